//! The secretariat's side: editions, intake, statistics and the councils.
//! Office roles only.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::EditionRow;
use super::domain::{EditionForm, EditionSettings, default_form, tiers_to_string};
use super::repo::{self, Breakdown, EntryRow, GroupCount, JudgeRow, RoundRow, Seat};
use super::states::{EditionStatus, EntryStatus};
use crate::accounts::domain::NewUser;
use crate::error::{AppError, AppResult};
use crate::session::password;
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm, dates, render, render_form};

/// The edition, for an office user.
pub async fn office_edition(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<(i64, EditionRow)> {
    let user = ctx.office()?.id;
    let edition = repo::edition(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((user, edition))
}

#[derive(Template)]
#[template(path = "awards/templates/office_list.html")]
struct ListPage {
    ctx: Ctx,
    editions: Vec<EditionRow>,
}

pub async fn list(state: AppState, ctx: Ctx) -> AppResult<Response> {
    ctx.office()?;
    let editions = repo::editions(&state.db).await?;
    Ok(render(&ListPage { ctx, editions })?.into_response())
}

#[derive(Template)]
#[template(path = "awards/templates/edition_form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<i64>,
    form: EditionForm,
    error: Option<String>,
    /// A round is sealed: the settings its outcome depends on are shown
    /// read-only.
    locked: bool,
}

fn form_page(
    ctx: Ctx,
    id: Option<i64>,
    form: EditionForm,
    error: Option<String>,
    locked: bool,
) -> AppResult<Response> {
    let has_error = error.is_some();
    render_form(
        &FormPage {
            ctx,
            id,
            form,
            error,
            locked,
        },
        has_error,
    )
}

/// Whether a round of the edition is sealed, which locks its outcome
/// settings.
async fn sealed(state: &AppState, id: i64) -> AppResult<bool> {
    Ok(repo::rounds(&state.db, id)
        .await?
        .iter()
        .any(|r| r.seal.is_some()))
}

pub async fn new_form(ctx: Ctx) -> AppResult<Response> {
    ctx.office()?;
    form_page(ctx, None, default_form(dates::today()), None, false)
}

pub async fn create(
    state: AppState,
    ctx: Ctx,
    HtmlForm(form): HtmlForm<EditionForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    match form.parse() {
        Ok(settings) => {
            let id = repo::save_edition(&state.db, user, None, &settings, None).await?;
            Ok(Redirect::to(&format!("/awards/{id}")).into_response())
        }
        Err(key) => {
            let msg = ctx.t(key);
            form_page(ctx, None, form, Some(msg), false)
        }
    }
}

pub async fn edit_form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    let locked = sealed(&state, id).await?;
    form_page(
        ctx,
        Some(id),
        EditionForm::from_settings(&edition),
        None,
        locked,
    )
}

pub async fn update(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<EditionForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let locked = sealed(&state, id).await?;
    match form.parse() {
        // Once a round is sealed its outcome rests on these settings; the
        // prize tiers stay open until the results are published.
        Ok(settings) if locked && settings.outcome() != edition.outcome() => {
            let msg = ctx.t("err-award-locked");
            form_page(ctx, Some(id), form, Some(msg), locked)
        }
        Ok(settings) if edition.is_published() && settings.tiers != edition.tiers => {
            let msg = ctx.t("err-award-published-results");
            form_page(ctx, Some(id), form, Some(msg), locked)
        }
        Ok(settings) => {
            // A change of tiers once a round is sealed goes into the minutes.
            let written = |s: &EditionSettings| tiers_to_string(&s.tiers).replace('\n', "; ");
            let (before, after) = (written(&edition.settings), written(&settings));
            let change = (locked && before != after).then_some((before.as_str(), after.as_str()));
            repo::save_edition(&state.db, user, Some(id), &settings, change).await?;
            Ok(Redirect::to(&format!("/awards/{id}")).into_response())
        }
        Err(key) => {
            let msg = ctx.t(key);
            form_page(ctx, Some(id), form, Some(msg), locked)
        }
    }
}

type Counts = Vec<GroupCount>;

#[derive(Template)]
#[template(path = "awards/templates/overview.html")]
struct OverviewPage {
    ctx: Ctx,
    edition: EditionRow,
    rounds: Vec<RoundRow>,
    by_category: Counts,
    by_outlet: Counts,
    by_locality: Counts,
    /// Names that may be one person written two ways, for review.
    review: Vec<Vec<super::people::Written>>,
}

impl OverviewPage {
    fn statuses(&self) -> &'static [EditionStatus] {
        EditionStatus::ALL
    }

    fn breakdowns(&self) -> [(String, &Counts); 3] {
        [
            (self.ctx.t("award-category"), &self.by_category),
            (self.ctx.t("award-outlet"), &self.by_outlet),
            (self.ctx.t("award-locality"), &self.by_locality),
        ]
    }
}

pub async fn overview(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    let by_category = repo::counts_by(&state.db, id, Breakdown::Category)
        .await?
        .into_iter()
        .map(|g| GroupCount {
            label: edition.category_name(&g.label),
            ..g
        })
        .collect();
    let page = OverviewPage {
        rounds: repo::rounds(&state.db, id).await?,
        by_category,
        by_outlet: by_agency(
            &edition,
            repo::counts_by(&state.db, id, Breakdown::Outlet).await?,
        ),
        by_locality: repo::counts_by(&state.db, id, Breakdown::Locality).await?,
        review: super::people::suspected_same(
            &repo::entries(&state.db, id)
                .await?
                .into_iter()
                .filter(|e| e.status != EntryStatus::Rejected)
                .collect::<Vec<_>>(),
        ),
        edition,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

/// Counts by outlet merged through the edition's directory: one line per
/// agency, most entries first.
fn by_agency(edition: &EditionRow, counts: Counts) -> Counts {
    let outlets = edition.outlet_directory();
    let mut merged: Vec<GroupCount> = Vec::new();
    for g in counts {
        let label = outlets.display(&g.label);
        match merged.iter_mut().find(|m| m.label == label) {
            Some(m) => {
                m.received += g.received;
                m.accepted += g.accepted;
            }
            None => merged.push(GroupCount { label, ..g }),
        }
    }
    merged.sort_by(|a, b| b.received.cmp(&a.received).then(a.label.cmp(&b.label)));
    merged
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn status(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<StatusForm>,
) -> AppResult<Response> {
    let (user, _) = office_edition(&state, &ctx, id).await?;
    let Ok(status) = form.status.parse::<EditionStatus>() else {
        return Err(AppError::BadRequest(ctx.t("err-award-status")));
    };
    repo::set_status(&state.db, user, id, status).await?;
    Ok(Redirect::to(&format!("/awards/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "awards/templates/intake.html")]
struct IntakePage {
    ctx: Ctx,
    edition: EditionRow,
    entries: Vec<EntryRow>,
    duplicates: Vec<(String, Vec<String>)>,
    notice: Option<String>,
    errors: Vec<String>,
}

pub async fn entries(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    intake_page(&state, ctx, edition, None, Vec::new()).await
}

/// The intake page, with the outcome of an import when there is one.
pub async fn intake_page(
    state: &AppState,
    ctx: Ctx,
    edition: EditionRow,
    notice: Option<String>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let id = edition.id;
    let has_errors = !errors.is_empty();
    let page = IntakePage {
        entries: repo::entries(&state.db, id).await?,
        duplicates: repo::duplicates(&state.db, id).await?,
        edition,
        ctx,
        notice,
        errors,
    };
    render_form(&page, has_errors)
}

#[derive(Deserialize)]
pub struct IntakeForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn intake(
    state: AppState,
    ctx: Ctx,
    Path((id, entry_id)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<IntakeForm>,
) -> AppResult<Response> {
    let (user, _) = office_edition(&state, &ctx, id).await?;
    let entry = repo::entry(&state.db, entry_id)
        .await?
        .filter(|e| e.edition_id == id)
        .ok_or(AppError::NotFound)?;
    if repo::in_a_round(&state.db, entry.id).await? {
        return Err(AppError::BadRequest(ctx.t("err-award-in-round")));
    }
    let reason = form.reason.trim();
    let status = match form.decision.parse() {
        Ok(EntryStatus::Accepted) => EntryStatus::Accepted,
        Ok(EntryStatus::Rejected) if !reason.is_empty() => EntryStatus::Rejected,
        Ok(EntryStatus::Rejected) => {
            return Err(AppError::BadRequest(ctx.t("err-award-reason")));
        }
        _ => return Err(AppError::BadRequest(ctx.t("err-award-status"))),
    };
    repo::set_intake(&state.db, user, entry.id, status, reason).await?;
    Ok(Redirect::to(&format!("/awards/{id}/entries#e{}", entry.id)).into_response())
}

#[derive(Template)]
#[template(path = "awards/templates/judges.html")]
struct JudgesPage {
    ctx: Ctx,
    edition: EditionRow,
    judges: Vec<JudgeRow>,
    codes: Vec<(i64, String)>,
    error: Option<String>,
}

impl JudgesPage {
    fn declared_codes(&self, j: &JudgeRow) -> String {
        self.codes
            .iter()
            .filter(|(id, _)| j.declared.contains(id))
            .map(|(_, c)| c.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn sits(&self, j: &JudgeRow, key: &str) -> bool {
        j.categories.iter().any(|c| c == key)
    }
}

async fn judges_page(
    state: &AppState,
    ctx: Ctx,
    edition: EditionRow,
    error: Option<String>,
) -> AppResult<Response> {
    let codes = repo::entries(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.code))
        .collect();
    let has_error = error.is_some();
    let page = JudgesPage {
        judges: repo::judges(&state.db, edition.id).await?,
        codes,
        edition,
        ctx,
        error,
    };
    render_form(&page, has_error)
}

pub async fn judges(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    judges_page(&state, ctx, edition, None).await
}

#[derive(Deserialize)]
pub struct SeatForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    final_council: Option<String>,
    /// Entry codes the judge declared a conflict with, comma-separated.
    #[serde(default)]
    declared: String,
}

/// Turns declared entry codes into entry ids; unknown codes are an error.
async fn declared_ids(state: &AppState, edition: i64, codes: &str) -> AppResult<Option<Vec<i64>>> {
    let entries = repo::entries(&state.db, edition).await?;
    let mut ids = Vec::new();
    for code in codes
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match entries.iter().find(|e| e.code.eq_ignore_ascii_case(code)) {
            Some(e) => ids.push(e.id),
            None => return Ok(None),
        }
    }
    Ok(Some(ids))
}

pub async fn add_judge(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<SeatForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let parsed = NewUser::parse(
        &form.username,
        &form.display_name,
        &form.password,
        "judge",
        vec![],
        "",
    );
    let new_user = match parsed {
        Ok(u) => u,
        Err(key) => {
            let msg = ctx.t(key);
            return judges_page(&state, ctx, edition, Some(msg)).await;
        }
    };
    if crate::accounts::repo::username_taken(&state.db, new_user.username.as_str()).await? {
        let msg = ctx.t("err-username-taken");
        return judges_page(&state, ctx, edition, Some(msg)).await;
    }
    let Some(declared) = declared_ids(&state, id, &form.declared).await? else {
        let msg = ctx.t("err-award-declared");
        return judges_page(&state, ctx, edition, Some(msg)).await;
    };
    let categories = known_categories(&edition, &form.categories);
    let hash = password::hash(new_user.password.as_str().to_owned()).await?;
    let seat = Seat {
        categories: &categories,
        outlet: form.outlet.trim(),
        final_council: form.final_council.is_some(),
        declared: &declared,
    };
    repo::add_judge(&state.db, user, id, &new_user, &hash, &seat).await?;
    Ok(Redirect::to(&format!("/awards/{id}/judges")).into_response())
}

fn known_categories(edition: &EditionRow, picked: &[String]) -> Vec<String> {
    picked
        .iter()
        .filter(|c| edition.category(c).is_some())
        .cloned()
        .collect()
}

pub async fn update_judge(
    state: AppState,
    ctx: Ctx,
    Path((id, judge)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<SeatForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    if !repo::judges(&state.db, id)
        .await?
        .iter()
        .any(|j| j.user_id == judge)
    {
        return Err(AppError::NotFound);
    }
    let Some(declared) = declared_ids(&state, id, &form.declared).await? else {
        let msg = ctx.t("err-award-declared");
        return judges_page(&state, ctx, edition, Some(msg)).await;
    };
    let categories = known_categories(&edition, &form.categories);
    let seat = Seat {
        categories: &categories,
        outlet: form.outlet.trim(),
        final_council: form.final_council.is_some(),
        declared: &declared,
    };
    repo::update_seat(&state.db, user, id, judge, &seat).await?;
    Ok(Redirect::to(&format!("/awards/{id}/judges")).into_response())
}
