//! Topic prizes: the council names the works for each topic prize the
//! edition has, within its quota and to the works it allows (finalists
//! only, or any accepted entry); a work may hold one beside its main prize.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::office::office_edition;
use super::repo::{self, AwardError};
use super::states::{EntryStatus, RoundStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm};

#[derive(Deserialize)]
pub struct TopicForm {
    topic: String,
    code: String,
    #[serde(default)]
    reason: String,
    /// `give` or `withdraw`.
    action: String,
}

pub async fn decide(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<TopicForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    if edition.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-award-published-results")));
    }
    let refuse = |key: &str| Err(AppError::BadRequest(ctx.t(key)));
    let Some(topic) = edition.topic_prizes.iter().find(|t| t.name == form.topic) else {
        return refuse("err-award-topic");
    };
    let Some(entry) = repo::entries(&state.db, id)
        .await?
        .into_iter()
        .find(|e| e.code.eq_ignore_ascii_case(form.code.trim()))
    else {
        return refuse("err-award-code");
    };
    if form.action == "withdraw" {
        repo::withdraw_topic(&state.db, user, id, &topic.name, entry.id).await?;
        return Ok(Redirect::to(&format!("/awards/{id}/results#topics")).into_response());
    }
    let eligible = if topic.finalists_only {
        let rounds = repo::rounds(&state.db, id).await?;
        match rounds
            .iter()
            .find(|r| r.is_final() && r.status != RoundStatus::Pending)
        {
            Some(f) => repo::round_entries(&state.db, f.id)
                .await?
                .contains(&entry.id),
            None => false,
        }
    } else {
        entry.status == EntryStatus::Accepted
    };
    if !eligible {
        return refuse("err-award-topic-ineligible");
    }
    let reason: String = form.reason.trim().chars().take(1000).collect();
    match repo::give_topic(
        &state.db,
        user,
        id,
        &topic.name,
        entry.id,
        &reason,
        topic.quota,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/awards/{id}/results#topics")).into_response()),
        Err(AwardError::Refused(key)) => refuse(key),
        Err(e) => Err(e.into()),
    }
}
