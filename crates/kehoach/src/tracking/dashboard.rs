//! The monitoring dashboard of a plan: themes × channels coverage, activities
//! over time, report status per unit, and key themes a unit has not touched.
//! Every figure links to the activities behind it.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use serde::Deserialize;

use super::domain::ReportStatus;
use super::repo::{self, ActivityFilter, GridChannel, GridTheme, PeriodRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::plans::repo::{self as plans, PlanRow};
use crate::state::AppState;
use crate::web::{Ctx, render};

/// The dashboard's filters: a period, a unit group, a theme, a channel.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub struct DashQuery {
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    group: Option<i64>,
    #[serde(default)]
    theme: Option<i64>,
    #[serde(default)]
    channel: Option<i64>,
}

/// What the dashboard reads, cached under the data version.
pub struct DashData {
    plan: PlanRow,
    periods: Vec<PeriodRow>,
    period: Option<PeriodRow>,
    themes: Vec<GridTheme>,
    channels: Vec<GridChannel>,
    coverage: HashMap<(i64, Option<i64>), i64>,
    months: Vec<(String, i64)>,
    reports: Vec<(i64, String, Option<ReportStatus>, bool)>,
    untouched: Vec<(String, Vec<String>)>,
    total: i64,
    groups: Vec<(i64, String)>,
    filter: DashQuery,
}

async fn load(db: &Db, plan_id: i64, filter: DashQuery) -> AppResult<DashData> {
    let period_id = filter.period;
    let groups = crate::units::repo::groups(db).await?;
    let members: Option<Vec<i64>> = filter
        .group
        .and_then(|g| groups.iter().find(|x| x.id == g))
        .map(|g| g.members.iter().map(|m| m.0).collect());
    let plan = plans::plan(db, plan_id).await?.ok_or(AppError::NotFound)?;
    let periods = repo::periods(db, plan_id).await?;
    let period = period_id.and_then(|id| periods.iter().find(|p| p.id == id).cloned());
    let scope = ActivityFilter {
        // An unknown group filters nothing, as its members are unknown.
        group_id: filter.group.filter(|_| members.is_some()),
        plan_id: Some(plan_id),
        theme_id: filter.theme,
        channel_id: filter.channel,
        from: period.as_ref().map(|p| p.starts_on.clone()),
        to: period.as_ref().map(|p| p.ends_on.clone()),
        ..Default::default()
    };
    let themes = repo::grid_themes(db, plan_id).await?;
    let channels = repo::grid_channels(db, plan_id).await?;
    let coverage = repo::coverage(db, &scope)
        .await?
        .into_iter()
        .map(|c| ((c.theme_id, c.channel_id), c.n))
        .collect();
    let months: Vec<(String, i64)> = repo::months(db, &scope)
        .await?
        .into_iter()
        .map(|m| (m.month, m.n))
        .collect();
    let touched: HashSet<repo::Touched> = repo::touched(db, &scope).await?.into_iter().collect();
    let key_themes: Vec<&GridTheme> = themes.iter().filter(|t| t.is_key()).collect();
    let today = crate::web::dates::today_iso();
    let units: Vec<(i64, String, Option<ReportStatus>, bool)> = match &period {
        Some(p) => repo::period_reports(db, p)
            .await?
            .into_iter()
            .map(|r| {
                let late = super::periods::is_late(r.status, &p.due_on, &today);
                (r.unit_id, r.unit_name, r.status, late)
            })
            .collect(),
        None => plan_units(db, plan_id)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name, None, false))
            .collect(),
    };
    let in_group = |id: &i64| members.as_ref().is_none_or(|m| m.contains(id));
    let units: Vec<_> = units.into_iter().filter(|u| in_group(&u.0)).collect();
    let untouched = units
        .iter()
        .filter_map(|(id, name, _, _)| {
            let missing: Vec<String> = key_themes
                .iter()
                .filter(|t| {
                    !touched.contains(&repo::Touched {
                        unit_id: *id,
                        theme_id: t.id,
                    })
                })
                .map(|t| t.number.clone())
                .collect();
            (!missing.is_empty()).then(|| (name.clone(), missing))
        })
        .collect();
    Ok(DashData {
        total: months.iter().map(|m| m.1).sum(),
        plan,
        periods,
        period,
        themes,
        channels,
        coverage,
        months,
        reports: if period_id.is_some() {
            units
        } else {
            Vec::new()
        },
        untouched,
        groups: groups.into_iter().map(|g| (g.id, g.name)).collect(),
        filter,
    })
}

/// The plan's units by name.
async fn plan_units(db: &Db, plan_id: i64) -> Result<Vec<repo::NamedUnit>, sqlx::Error> {
    let mut units = repo::plan_units(db, plan_id).await?;
    units.sort_by_cached_key(|u| kehoach_plan::fold(&u.name));
    Ok(units)
}

#[derive(Template)]
#[template(path = "tracking/templates/dashboard.html")]
struct DashPage {
    ctx: Ctx,
    data: std::sync::Arc<DashData>,
    chart: String,
}

impl DashPage {
    fn cell(&self, theme: &i64, channel: Option<i64>) -> i64 {
        self.data
            .coverage
            .get(&(*theme, channel))
            .copied()
            .unwrap_or(0)
    }

    fn channel_cell(&self, theme: &i64, channel: &i64) -> i64 {
        self.cell(theme, Some(*channel))
    }

    /// A heat level 0–4 for a count, relative to the busiest cell.
    fn heat(&self, n: impl std::borrow::Borrow<i64>) -> i64 {
        let n = *n.borrow();
        let max = self.data.coverage.values().copied().max().unwrap_or(0);
        if n == 0 || max == 0 {
            0
        } else {
            1 + (n * 3) / max
        }
    }

    fn group_is(&self, id: &i64) -> bool {
        self.data.filter.group == Some(*id)
    }

    fn theme_is(&self, id: &i64) -> bool {
        self.data.filter.theme == Some(*id)
    }

    fn channel_is(&self, id: &i64) -> bool {
        self.data.filter.channel == Some(*id)
    }

    fn period_is(&self, id: &i64) -> bool {
        self.data.period.as_ref().is_some_and(|p| p.id == *id)
    }

    fn period_query(&self) -> String {
        self.data
            .period
            .as_ref()
            .map(|p| format!("&amp;period={}", p.id))
            .unwrap_or_default()
    }
}

pub async fn page(
    state: AppState,
    svc: super::Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DashQuery>,
) -> AppResult<Html<String>> {
    ctx.office()?;
    let data = svc
        .dashboard_cache
        .get((id, q), ctx.data_version, || load(&state.db, id, q))
        .await?;
    let chart = super::charts::bars(&ctx.t("dash-over-time"), &data.months);
    render(&DashPage { ctx, data, chart })
}
