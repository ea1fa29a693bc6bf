//! The monitoring dashboard of a plan: themes × channels coverage, activities
//! over time, report status per unit, and key themes a unit has not touched.
//! Every figure links to the activities behind it.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use serde::Deserialize;
use sqlx::Row;

use super::domain::ReportStatus;
use super::repo::{self, PeriodRow};
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

impl DashQuery {
    /// Extra conditions on `activities a`; every value is a number.
    fn conditions(&self, members: Option<&[i64]>) -> String {
        let mut c = String::new();
        if let Some(units) = members {
            let list: Vec<String> = units.iter().map(i64::to_string).collect();
            let list = if list.is_empty() {
                "-1".to_owned()
            } else {
                list.join(",")
            };
            c.push_str(&format!(" AND a.unit_id IN ({list})"));
        }
        if let Some(t) = self.theme {
            c.push_str(&format!(
                " AND a.id IN (SELECT activity_id FROM activity_themes WHERE theme_id = {t})"
            ));
        }
        if let Some(ch) = self.channel {
            c.push_str(&format!(" AND a.channel_id = {ch}"));
        }
        c
    }
}

/// What the dashboard reads, cached under the data version.
pub struct DashData {
    plan: PlanRow,
    periods: Vec<PeriodRow>,
    period: Option<PeriodRow>,
    themes: Vec<(i64, String, String)>,
    channels: Vec<(i64, String)>,
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
    let (from, to) = period
        .as_ref()
        .map(|p| (p.starts_on.clone(), p.ends_on.clone()))
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let themes =
        sqlx::query("SELECT id, number, kind FROM themes WHERE plan_id = $1 ORDER BY position")
            .bind(plan_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect::<Vec<(i64, String, String)>>();
    let channels =
        sqlx::query("SELECT id, number FROM channels WHERE plan_id = $1 ORDER BY position")
            .bind(plan_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    let range = format!(
        "a.plan_id = $1 AND a.date_from >= $2 AND a.date_from <= $3{}",
        filter.conditions(members.as_deref())
    );
    let coverage = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT at.theme_id, a.channel_id, COUNT(*) FROM activities a \
         JOIN activity_themes at ON at.activity_id = a.id WHERE {range} GROUP BY at.theme_id, a.channel_id"
    )))
    .bind(plan_id)
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| ((r.get(0), r.get(1)), r.get(2)))
    .collect();
    let months: Vec<(String, i64)> = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT substr(a.date_from, 1, 7), COUNT(*) FROM activities a WHERE {range} GROUP BY substr(a.date_from, 1, 7) ORDER BY 1"
    )))
    .bind(plan_id)
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let touched: HashSet<(i64, i64)> = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT a.unit_id, at.theme_id FROM activities a JOIN activity_themes at ON at.activity_id = a.id WHERE {range}"
    )))
    .bind(plan_id)
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let key_themes: Vec<&(i64, String, String)> = themes.iter().filter(|t| t.2 == "key").collect();
    let today = crate::web::dates::today_iso();
    let units: Vec<(i64, String, Option<ReportStatus>, bool)> = match &period {
        Some(p) => repo::period_reports(db, p)
            .await?
            .into_iter()
            .map(|(id, name, st, _)| (id, name, st, super::periods::is_late(st, &p.due_on, &today)))
            .collect(),
        None => plan_units(db, plan_id)
            .await?
            .into_iter()
            .map(|(id, n)| (id, n, None, false))
            .collect(),
    };
    let in_group = |id: &i64| members.as_ref().is_none_or(|m| m.contains(id));
    let units: Vec<_> = units.into_iter().filter(|u| in_group(&u.0)).collect();
    let untouched = units
        .iter()
        .filter_map(|(id, name, _, _)| {
            let missing: Vec<String> = key_themes
                .iter()
                .filter(|t| !touched.contains(&(*id, t.0)))
                .map(|t| t.1.clone())
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

async fn plan_units(db: &Db, plan_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut units: Vec<(i64, String)> = sqlx::query(
        "SELECT DISTINCT u.id, u.name FROM units u JOIN assignments a ON a.unit_id = u.id \
         JOIN duties d ON d.id = a.duty_id WHERE d.plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    units.sort_by_cached_key(|(_, n)| kehoach_plan::fold(n));
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
