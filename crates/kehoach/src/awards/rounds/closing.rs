//! Closing a round sealed, and checking a seal against what is stored.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};

use super::round_of;
use crate::awards::office::office_edition;
use crate::awards::repo::{self, AwardError, ScoreRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;

/// Closes a round and seals its score log; a log that does not check out
/// is never sealed.
pub async fn close(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (user, _) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    match repo::close_round(&state.db, user, round.id).await {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response()),
        Err(AwardError::RoundState) => Err(AppError::BadRequest(ctx.t("err-award-round-state"))),
        Err(AwardError::Broken(why)) => Err(AppError::Internal(anyhow::anyhow!(
            "score log of round {} fails: {why}",
            round.id
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The seal check of `kehoach_award` on what is stored now: the seal when
/// the round checks out, [`AwardError::Broken`] when it does not.
pub async fn verified_seal(db: &Db, round: i64) -> Result<String, AwardError> {
    let log = repo::score_log(db, round).await?;
    let scores = repo::scores(db, round).await?;
    Ok(kehoach_award::check_round(
        &log,
        scores.iter().map(ScoreRow::kept),
    )?)
}
