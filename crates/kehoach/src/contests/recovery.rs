//! Continuing a registration on another device (a new phone, a cleared
//! browser): with the personal code shown at registration, or with the
//! name and the identifying details given then. Tries are limited per
//! address and per person, and every try is on record.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::ContestRow;
use super::public::with_participant;
use super::repo::{self, RecoveryRecord};
use super::token::ParticipantToken;
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::state::ClientIp;
use crate::web::{Ctx, HtmlForm, render_form};

/// Failed tries a person gets per hour.
const TRIES_PER_HOUR: i64 = 5;

#[derive(Debug, Default, Deserialize)]
pub struct RecoverForm {
    /// The phone number or ID number given at registration.
    #[serde(default)]
    key: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    birth_year: String,
    /// The other identifier (the ID number when the key is the phone).
    #[serde(default)]
    other: String,
}

#[derive(Template)]
#[template(path = "contests/templates/recover.html")]
struct RecoverPage {
    ctx: Ctx,
    contest: ContestRow,
    form: RecoverForm,
    error: Option<String>,
}

async fn public_contest(state: &Services, id: i64) -> AppResult<ContestRow> {
    repo::contest(&state.db, id)
        .await?
        .filter(|c| !c.status.is_draft())
        .ok_or(AppError::NotFound)
}

fn page(
    ctx: Ctx,
    contest: ContestRow,
    form: RecoverForm,
    error: Option<String>,
) -> AppResult<Response> {
    let failed = error.is_some();
    render_form(
        &RecoverPage {
            ctx,
            contest,
            form,
            error,
        },
        failed,
    )
}

pub async fn form(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let contest = public_contest(&state, id).await?;
    page(ctx, contest, RecoverForm::default(), None)
}

/// A phone or ID number as stored: normalised the way registration did.
fn normalised(key: &str) -> Option<String> {
    kehoach_contest::normalise_phone(key)
        .map(|p| p.as_str().to_owned())
        .or_else(|_| kehoach_contest::normalise_id_number(key).map(|i| i.as_str().to_owned()))
        .ok()
}

/// Without the code: the name and every other detail the person gave at
/// registration must match, and there must be at least one such detail
/// besides the number looked up (a phone number alone is too easy to know).
fn details_match(p: &RecoveryRecord, key: &str, form: &RecoverForm) -> bool {
    let same_name = kehoach_plan::fold(form.full_name.trim()) == kehoach_plan::fold(&p.full_name)
        && !form.full_name.trim().is_empty();
    let mut extra = 0;
    if let Some(year) = p.birth_year {
        if form.birth_year.trim().parse() != Ok(year) {
            return false;
        }
        extra += 1;
    }
    let other = normalised(&form.other);
    for stored in [&p.phone, &p.id_number].into_iter().flatten() {
        if stored != key {
            if other.as_deref() != Some(stored.as_str()) {
                return false;
            }
            extra += 1;
        }
    }
    same_name && extra > 0
}

pub async fn recover(
    state: Services,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<RecoverForm>,
) -> AppResult<Response> {
    let contest = public_contest(&state, id).await?;
    if !state.recovery_limiter.hit(&ip) {
        let msg = ctx.t("contest-err-rate-limited");
        let mut res = page(ctx, contest, form, Some(msg))?;
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let found = match normalised(&form.key) {
        Some(key) => repo::recovery_candidate(&state.db, id, &key)
            .await?
            .map(|p| (p, key)),
        None => None,
    };
    // The same answer whether or not the number is registered.
    let Some((person, key)) = found else {
        let msg = ctx.t("contest-recover-no-match");
        return page(ctx, contest, form, Some(msg));
    };
    let hour_ago = crate::clock::now() - 3600;
    if repo::failed_recoveries(&state.db, person.id, hour_ago).await? >= TRIES_PER_HOUR {
        let msg = ctx.t("contest-recover-locked");
        let mut res = page(ctx, contest, form, Some(msg))?;
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let signer = state.signer().await?;
    let ok = if form.code.trim().is_empty() {
        details_match(&person, &key, &form)
    } else {
        signer.check_code(id, person.id, &form.code)
    };
    repo::record_recovery(&state.db, person.id, ok).await?;
    if !ok {
        let msg = ctx.t("contest-recover-no-match");
        return page(ctx, contest, form, Some(msg));
    }
    let token = signer.participant(ParticipantToken {
        contest: id,
        participant: person.id,
    });
    let res = Redirect::to(&format!("/thi/{id}")).into_response();
    Ok(with_participant(&state, res, id, &token))
}
