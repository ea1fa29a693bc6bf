//! Closing a round sealed, and checking a seal against what is stored
//! before anything rests on it.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{SealKey, Settled};

use super::round_of;
use crate::awards::EditionRow;
use crate::awards::Services;
use crate::awards::office::office_edition;
use crate::awards::repo::{self, AwardError, RoundRow, ScoreRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;

/// Closes a round and seals its score log; a log that does not check out
/// is never sealed.
pub async fn close(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    let key = svc.seal_key()?;
    let closed = repo::close_round(
        &state.db,
        key,
        user,
        round.id,
        &edition.criteria(),
        &edition.outcome(),
    )
    .await;
    match closed {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response()),
        Err(AwardError::RoundState) => Err(AppError::BadRequest(ctx.t("err-award-round-state"))),
        Err(e @ (AwardError::Broken(_) | AwardError::OtherKey(_))) => {
            Err(AppError::BadRequest(seal_message(&ctx, &round, &e)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks a round's log and sheets as they are stored now: the chain with
/// its key, the replayed sheets both ways, the derived totals and, once
/// sealed, the settings it was sealed with and the seal itself. Returns the
/// seal (for an open round, what it would be).
pub async fn verified_seal(
    db: &Db,
    key: &SealKey,
    edition: &EditionRow,
    round: &RoundRow,
) -> Result<String, AwardError> {
    let key = round.key(key)?;
    let log = repo::score_log(db, round.id).await?;
    let scores = repo::scores(db, round.id).await?;
    let outcome = edition.outcome();
    let settled = (round.seal.is_some() && key.is_keyed()).then_some(Settled(&outcome));
    let computed = kehoach_award::check_round(
        &key,
        &log,
        scores.iter().map(ScoreRow::kept),
        &edition.criteria(),
        settled,
    )?;
    match &round.seal {
        Some(stored) if !stored.eq_ignore_ascii_case(&computed) => Err(AwardError::SealDiffers {
            stored: stored.clone(),
            computed,
        }),
        _ => Ok(computed),
    }
}

/// [`verified_seal`] of one round by id, with the configured key: for the
/// command line and for checks outside a request.
pub async fn verify_round(
    db: &Db,
    settings: &crate::config::Settings,
    round: i64,
) -> Result<String, AwardError> {
    let key =
        crate::awards::seal_key::load(settings).map_err(|e| AwardError::NoKey(format!("{e:#}")))?;
    let round = repo::round(db, round)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let edition = repo::edition(db, round.edition_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    verified_seal(db, &key, &edition, &round).await
}

/// [`verified_seal`] for an action that rests on the round: a failure is
/// refused with a message naming the round and the first difference.
pub async fn require_seal(
    db: &Db,
    key: &SealKey,
    ctx: &Ctx,
    edition: &EditionRow,
    round: &RoundRow,
) -> AppResult<String> {
    match verified_seal(db, key, edition, round).await {
        Ok(seal) => Ok(seal),
        Err(AwardError::Db(e)) => Err(AppError::Db(e)),
        Err(e) => {
            tracing::warn!(round = round.id, error = %e, "award seal check failed");
            Err(AppError::BadRequest(seal_message(ctx, round, &e)))
        }
    }
}

pub(super) fn seal_message(ctx: &Ctx, round: &RoundRow, why: &AwardError) -> String {
    let name = format!("{} ({})", ctx.tk("award-stage-", round.stage), round.id);
    ctx.tr.t2("err-award-seal", ("round", name), ("why", why))
}
