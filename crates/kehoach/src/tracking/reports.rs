//! A unit's report for a period: pre-filled from its activities, written,
//! submitted, returned by the office with a comment, resubmitted, accepted.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::domain::{ActivityKind, ReportAction, ReportStatus};
use super::repo::{self, Counts, PeriodRow, ReportRow};
use super::require_unit_record;
use super::view::PeriodDates;
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::plans::repo::PlanRow;
use crate::state::AppState;
use crate::text::or_empty;
use crate::web::{Ctx, HtmlForm, render, render_form};

const MAX_TEXT: usize = 20_000;

#[derive(Template)]
#[template(path = "tracking/templates/mine.html")]
struct MinePage {
    ctx: Ctx,
    rows: Vec<(PeriodRow, String, i64, String, Option<ReportStatus>)>,
}

/// The periods of published plans for each of the user's units that has
/// duties in the plan (the same pairs a report can be opened for).
pub async fn mine(state: AppState, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let unit_names = super::own_units(&state.db, &user).await?;
    let mut rows = Vec::new();
    for plan in super::published_plans(&state.db).await? {
        let duties = crate::plans::repo::duties(&state.db, plan.id).await?;
        let with_duties: Vec<_> = unit_names
            .iter()
            .filter(|(unit_id, _)| duties.iter().any(|d| d.has_unit(unit_id)))
            .collect();
        for period in repo::periods(&state.db, plan.id).await? {
            for (unit_id, unit_name) in &with_duties {
                let status = repo::report(&state.db, period.id, *unit_id)
                    .await?
                    .map(|r| r.status);
                rows.push((
                    period.clone(),
                    plan.title.clone(),
                    *unit_id,
                    unit_name.clone(),
                    status,
                ));
            }
        }
    }
    Ok(render(&MinePage { ctx, rows })?.into_response())
}

#[derive(Template)]
#[template(path = "tracking/templates/report.html")]
struct ReportPage {
    ctx: Ctx,
    plan: PlanRow,
    period: PeriodRow,
    unit_id: i64,
    unit_name: String,
    report: ReportRow,
    counts: Counts,
    can_edit: bool,
    can_decide: bool,
    error: Option<String>,
}

impl ReportPage {
    fn kind(&self, kind: &ActivityKind) -> String {
        self.ctx.t(&kind.label_key())
    }
}

struct Loaded {
    plan: PlanRow,
    period: PeriodRow,
    unit_name: String,
    report: Option<ReportRow>,
}

async fn load(state: &AppState, ctx: &Ctx, period_id: i64, unit_id: i64) -> AppResult<Loaded> {
    let user = ctx.user()?;
    require_unit_record(user, unit_id)?;
    let (period, plan) = super::periods::with_plan(&state.db, period_id).await?;
    // A unit reports on a published plan it has duties in; any other pair
    // answers like one that does not exist.
    if !user.is_office() && !plan.is_published() {
        return Err(AppError::NotFound);
    }
    if !crate::plans::repo::duties(&state.db, plan.id)
        .await?
        .iter()
        .any(|d| d.has_unit(&unit_id))
    {
        return Err(AppError::NotFound);
    }
    let unit_name = crate::units::repo::find(&state.db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?
        .name;
    let report = repo::report(&state.db, period_id, unit_id).await?;
    Ok(Loaded {
        plan,
        period,
        unit_name,
        report,
    })
}

fn empty_report() -> ReportRow {
    ReportRow {
        id: 0,
        status: ReportStatus::Draft,
        results: String::new(),
        shortcomings: String::new(),
        proposals: String::new(),
        office_comment: None,
        submitted_at: None,
    }
}

async fn show(
    state: &AppState,
    ctx: Ctx,
    l: Loaded,
    unit_id: i64,
    error: Option<String>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    let report = l.report.unwrap_or_else(empty_report);
    let counts = repo::counts(&state.db, &l.period, Some(unit_id)).await?;
    let page = ReportPage {
        can_edit: user.belongs_to(unit_id) && report.status.editable_by_unit(),
        can_decide: user.is_office() && report.status.decidable_by_office(),
        plan: l.plan,
        period: l.period,
        unit_name: l.unit_name,
        unit_id,
        report,
        counts,
        error,
        ctx,
    };
    render_form(&page, page.error.is_some())
}

pub async fn page(
    state: AppState,
    ctx: Ctx,
    Path((period_id, unit_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let loaded = load(&state, &ctx, period_id, unit_id).await?;
    show(&state, ctx, loaded, unit_id, None).await
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    results: String,
    #[serde(default)]
    shortcomings: String,
    #[serde(default)]
    proposals: String,
    /// "save" keeps a draft; "submit" hands it to the office.
    action: String,
}

pub async fn save(
    state: AppState,
    ctx: Ctx,
    Path((period_id, unit_id)): Path<(i64, i64)>,
    HtmlForm(f): HtmlForm<ReportForm>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let loaded = load(&state, &ctx, period_id, unit_id).await?;
    // Only the unit writes its report; the office (who may see it) decides.
    if !user.belongs_to(unit_id) {
        return Err(AppError::Forbidden);
    }
    let before = loaded.report.clone();
    let current = before.clone().unwrap_or_else(empty_report);
    if !current.status.editable_by_unit() {
        let msg = ctx.t("err-report-locked");
        return show(&state, ctx, loaded, unit_id, Some(msg)).await;
    }
    let texts = (
        or_empty(&f.results, MAX_TEXT),
        or_empty(&f.shortcomings, MAX_TEXT),
        or_empty(&f.proposals, MAX_TEXT),
    );
    let (Ok(results), Ok(shortcomings), Ok(proposals)) = texts else {
        let msg = ctx.t("err-text-long");
        return show(&state, ctx, loaded, unit_id, Some(msg)).await;
    };
    // Any button but "submit" keeps a draft.
    let action = match f.action.parse() {
        Ok(ReportAction::Submit) => ReportAction::Submit,
        _ => ReportAction::Save,
    };
    let submit = action == ReportAction::Submit;
    if submit && results.is_empty() {
        let msg = ctx.t("err-report-results");
        return show(&state, ctx, loaded, unit_id, Some(msg)).await;
    }
    let after = ReportRow {
        status: if submit {
            ReportStatus::Submitted
        } else {
            current.status
        },
        submitted_at: if submit {
            Some(now())
        } else {
            current.submitted_at
        },
        results,
        shortcomings,
        proposals,
        ..current
    };
    repo::save_report(
        &state.db,
        user.id,
        &loaded.period,
        unit_id,
        before.as_ref(),
        &after,
        action,
    )
    .await?;
    Ok(Redirect::to(&format!("/reports/{period_id}/{unit_id}")).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    /// "accept" or "return".
    action: String,
    #[serde(default)]
    comment: String,
}

pub async fn decide(
    state: AppState,
    ctx: Ctx,
    Path((period_id, unit_id)): Path<(i64, i64)>,
    HtmlForm(f): HtmlForm<DecisionForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let loaded = load(&state, &ctx, period_id, unit_id).await?;
    let Some(before) = loaded
        .report
        .clone()
        .filter(|r| r.status.decidable_by_office())
    else {
        let msg = ctx.t("err-report-not-submitted");
        return show(&state, ctx, loaded, unit_id, Some(msg)).await;
    };
    let comment = or_empty(&f.comment, MAX_TEXT).unwrap_or_default();
    let (status, action) = match f.action.parse() {
        Ok(ReportAction::Accept) => (ReportStatus::Accepted, ReportAction::Accept),
        Ok(ReportAction::Return) if !comment.is_empty() => {
            (ReportStatus::Returned, ReportAction::Return)
        }
        Ok(ReportAction::Return) => {
            let msg = ctx.t("err-return-comment");
            return show(&state, ctx, loaded, unit_id, Some(msg)).await;
        }
        _ => return Err(AppError::BadRequest(ctx.t("err-status"))),
    };
    let after = ReportRow {
        status,
        office_comment: (!comment.is_empty()).then_some(comment),
        ..before.clone()
    };
    repo::save_report(
        &state.db,
        actor,
        &loaded.period,
        unit_id,
        Some(&before),
        &after,
        action,
    )
    .await?;
    Ok(Redirect::to(&format!("/periods/{period_id}")).into_response())
}
