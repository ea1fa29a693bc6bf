//! Ties across a prize boundary under the "the office decides" rule: the
//! office chooses who takes the places left, with a reason on record; the
//! ranking then runs again with the decision applied, and the results can
//! be published only when no tie waits.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::ranking::{rank_overall_batch, rank_round_batch};
use super::repo::{self, TieChoice};
use super::results::contest_and_round;
use super::{ContestRow, find_contest};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, HtmlForm};

/// The decision form of one tie.
#[derive(Debug, Default, Deserialize)]
pub struct TieForm {
    #[serde(default)]
    place: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    chosen: Vec<i64>,
    #[serde(default)]
    reason: String,
}

pub async fn decide_round(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<TieForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    if round.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    record(&state, &ctx, user, &contest, round.id, &form).await?;
    rank_round_batch(&state.db, Some(user), &contest, &round).await?;
    Ok(Redirect::to(&format!("/contests/{id}/rounds/{}/results", round.id)).into_response())
}

pub async fn decide_overall(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<TieForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    if repo::is_published(&state.db, id, None).await? {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    record(&state, &ctx, user, &contest, 0, &form).await?;
    rank_overall_batch(&state.db, user, &contest).await?;
    Ok(Redirect::to(&format!("/contests/{id}/overall")).into_response())
}

pub async fn decide_final(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<TieForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    record(&state, &ctx, user, &contest, repo::QUALIFY_KEY, &form).await?;
    super::finals::qualify_batch(&state.db, user, &contest).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}/finalists")).into_response())
}

/// Checks the choice against the tie the last ranking stored and records it.
async fn record(
    state: &Services,
    ctx: &Ctx,
    user: i64,
    contest: &ContestRow,
    key: i64,
    form: &TieForm,
) -> AppResult<()> {
    let ties = repo::ties(&state.db, contest.id, key).await?;
    let tie = ties
        .iter()
        .find(|t| form.place.trim().parse() == Ok(t.place) && t.tier == form.tier)
        .ok_or_else(|| AppError::BadRequest(ctx.t("err-contest-tie-gone")))?;
    let reason = crate::text::required(&form.reason, 1000)
        .map_err(|_| AppError::BadRequest(ctx.t("err-contest-tie-reason")))?;
    let candidates = tie.key();
    let mut chosen = form.chosen.clone();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.len() != tie.slots as usize
        || chosen.iter().any(|c| candidates.binary_search(c).is_err())
    {
        return Err(AppError::BadRequest(ctx.t1(
            "err-contest-tie-count",
            "slots",
            tie.slots,
        )));
    }
    let choice = TieChoice {
        candidates: &candidates,
        chosen: &chosen,
        reason: &reason,
    };
    repo::decide_tie(&state.db, user, contest.id, key, &choice).await?;
    Ok(())
}
