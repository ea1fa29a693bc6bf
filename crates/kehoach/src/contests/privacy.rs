//! Participants' personal data (Decree 13/2023): erased on request, and
//! for a whole contest once its retention period after the last round has
//! passed. Erasing keeps the scores and the locality (the statistics and
//! the published results stay true) and removes everything that identifies
//! the person: name, year of birth, phone, ID number, workplace.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{ContestRow, find_contest, repo, view};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, render};

pub use super::repo::{erase, purge_expired};

#[derive(Deserialize)]
pub struct Find {
    #[serde(default)]
    phone: String,
}

pub struct Found {
    pub id: i64,
    pub full_name: String,
    pub phone_masked: String,
    pub locality: String,
    pub submissions: i64,
}

#[derive(Template)]
#[template(path = "contests/templates/participants.html")]
struct Page {
    ctx: Ctx,
    contest: ContestRow,
    phone: String,
    found: Vec<Found>,
    searched: bool,
}

/// Finds a participant by the phone number or ID number they give when
/// they ask for their data to be erased.
pub async fn find(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<Find>,
) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    let key = kehoach_contest::normalise_phone(&q.phone)
        .map(|p| p.as_str().to_owned())
        .or_else(|_| kehoach_contest::normalise_id_number(&q.phone).map(|i| i.as_str().to_owned()))
        .ok();
    let found = match &key {
        Some(key) => repo::find(&state.db, id, key)
            .await?
            .into_iter()
            .map(|r| Found {
                id: r.id,
                full_name: r.full_name,
                phone_masked: view::masked(r.phone.as_deref()),
                locality: r.locality,
                submissions: r.submissions,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(render(&Page {
        ctx,
        contest,
        searched: !q.phone.trim().is_empty(),
        phone: q.phone,
        found,
    })?
    .into_response())
}

pub async fn erase_one(
    state: Services,
    ctx: Ctx,
    Path((id, participant)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    if !repo::erase(&state.db, user, id, participant).await? {
        return Err(AppError::NotFound);
    }
    // The writer forgets the contest's phone numbers and reloads them, so
    // the person may register again.
    state.contest_writer.forget_people(id);
    Ok(Redirect::to(&format!("/contests/{id}/participants")).into_response())
}
