//! Reporting periods of a plan (office), and who has reported in each.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::domain::{NewPeriod, PeriodKind, ReportStatus};
use super::repo::{self, PeriodRow};
use super::view::PeriodDates;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::plans::repo::{self as plans, PlanRow};
use crate::state::AppState;
use crate::web::dates::today_iso;
use crate::web::{Ctx, HtmlForm, render, render_form};

#[derive(Template)]
#[template(path = "tracking/templates/periods.html")]
struct PeriodsPage {
    ctx: Ctx,
    plan: PlanRow,
    periods: Vec<PeriodRow>,
    kinds: &'static [PeriodKind],
    error: Option<String>,
}

async fn periods_page(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    error: Option<String>,
) -> AppResult<Response> {
    let plan = plans::plan(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let periods = repo::periods(&state.db, id).await?;
    let has_error = error.is_some();
    let page = PeriodsPage {
        ctx,
        plan,
        periods,
        kinds: PeriodKind::ALL,
        error,
    };
    render_form(&page, has_error)
}

pub async fn list(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    periods_page(&state, ctx, id, None).await
}

#[derive(Deserialize)]
pub struct PeriodForm {
    kind: String,
    name: String,
    starts_on: String,
    ends_on: String,
    due_on: String,
}

pub async fn create(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(f): HtmlForm<PeriodForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    plans::plan(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match NewPeriod::parse(&f.kind, &f.name, &f.starts_on, &f.ends_on, &f.due_on) {
        Ok(p) => {
            repo::insert_period(&state.db, Some(actor), id, &p).await?;
            Ok(Redirect::to(&format!("/plans/{id}/periods")).into_response())
        }
        Err(key) => {
            let msg = ctx.t(key);
            periods_page(&state, ctx, id, Some(msg)).await
        }
    }
}

pub struct UnitReport {
    pub unit_id: i64,
    pub unit_name: String,
    pub status: Option<ReportStatus>,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "tracking/templates/period.html")]
struct PeriodPage {
    ctx: Ctx,
    period: PeriodRow,
    plan: PlanRow,
    reports: Vec<UnitReport>,
}

impl PeriodPage {
    fn late_count(&self) -> usize {
        self.reports.iter().filter(|r| r.late).count()
    }
}

/// Pure: a report is late once the due date has passed without the unit
/// having handed it in (submitted or accepted).
pub fn is_late(status: Option<ReportStatus>, due_on: &str, today: &str) -> bool {
    today > due_on
        && !matches!(
            status,
            Some(ReportStatus::Submitted | ReportStatus::Accepted)
        )
}

/// A period and its plan, or 404.
pub async fn with_plan(db: &Db, period_id: i64) -> AppResult<(PeriodRow, PlanRow)> {
    let period = repo::period(db, period_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = plans::plan(db, period.plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((period, plan))
}

pub async fn status(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let (period, plan) = with_plan(&state.db, id).await?;
    let today = today_iso();
    let reports = repo::period_reports(&state.db, &period)
        .await?
        .into_iter()
        .map(|r| UnitReport {
            late: is_late(r.status, &period.due_on, &today),
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            status: r.status,
        })
        .collect();
    Ok(render(&PeriodPage {
        ctx,
        period,
        plan,
        reports,
    })?
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_follows_the_due_date_and_the_status() {
        assert!(is_late(None, "2021-04-05", "2021-04-06"));
        assert!(is_late(
            Some(ReportStatus::Returned),
            "2021-04-05",
            "2021-04-06"
        ));
        assert!(!is_late(
            Some(ReportStatus::Submitted),
            "2021-04-05",
            "2021-04-06"
        ));
        assert!(!is_late(None, "2021-04-05", "2021-04-05"));
    }
}
