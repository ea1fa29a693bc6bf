//! The council's decisions on whole tiers: a tier it chooses not to award
//! ("không trao"), recorded with its reason in the decision and the minutes.
//! While it stands no work can be given that tier, and a recompute that
//! would place works in it leaves them without it, saying why.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::office::office_edition;
use super::repo::{self, AwardError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm};

#[derive(Deserialize)]
pub struct TierForm {
    tier: String,
    #[serde(default)]
    reason: String,
    /// `not-awarded` or `undo`.
    action: String,
}

pub async fn decide(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<TierForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let refuse = |key: &str| Err(AppError::BadRequest(ctx.t(key)));
    if edition.is_published() {
        return refuse("err-award-published-results");
    }
    let Some(tier) = edition.tiers.iter().find(|t| t.name == form.tier) else {
        return refuse("err-award-tier");
    };
    let back = Redirect::to(&format!("/awards/{id}/results#tiers")).into_response();
    if form.action == "undo" {
        repo::undo_not_awarded(&state.db, user, id, &tier.name).await?;
        return Ok(back);
    }
    let reason: String = form.reason.trim().chars().take(1000).collect();
    if reason.is_empty() {
        return refuse("err-award-not-awarded-reason");
    }
    match repo::decide_not_awarded(&state.db, user, id, &tier.name, &reason).await {
        Ok(()) => Ok(back),
        Err(AwardError::Refused(key)) => refuse(key),
        Err(e) => Err(e.into()),
    }
}

/// The sentence the papers and the results page use for a tier not
/// awarded.
pub fn not_awarded_line(tier: &str, reason: &str) -> String {
    format!("{tier}: không trao. Lý do: {reason}")
}
