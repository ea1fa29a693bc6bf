//! Reporting periods and the units' reports in them.

use crate::plans::states::PlanStatus;
use serde::Serialize;

use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::Db;
use crate::tracking::domain::{NewPeriod, PeriodKind, ReportAction, ReportStatus};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PeriodRow {
    pub id: i64,
    pub plan_id: i64,
    pub kind: PeriodKind,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub due_on: String,
}

macro_rules! period_select {
    () => {
        "SELECT id, plan_id, kind, name, starts_on, ends_on, due_on FROM periods"
    };
}

pub async fn periods(db: &Db, plan_id: i64) -> Result<Vec<PeriodRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        period_select!(),
        " WHERE plan_id = $1 ORDER BY starts_on, id"
    ))
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn period(db: &Db, id: i64) -> Result<Option<PeriodRow>, sqlx::Error> {
    sqlx::query_as(concat!(period_select!(), " WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Periods of published plans, the ones reminders are sent for.
pub async fn published_period_ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.id FROM periods p JOIN plans pl ON pl.id = p.plan_id WHERE pl.status = $1",
    )
    .bind(PlanStatus::Published)
    .fetch_all(&db.pool)
    .await
}

pub async fn insert_period(
    db: &Db,
    actor: Option<i64>,
    plan_id: i64,
    p: &NewPeriod,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO periods (plan_id, kind, name, starts_on, ends_on, due_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(plan_id)
    .bind(p.kind)
    .bind(&p.name)
    .bind(&p.starts_on)
    .bind(&p.ends_on)
    .bind(&p.due_on)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let entry = Entry::new(actor, "create", "period", id).in_plan(plan_id);
    audit::record::<(), _>(&mut tx, entry, None, Some(p)).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub status: ReportStatus,
    pub results: String,
    pub shortcomings: String,
    pub proposals: String,
    pub office_comment: Option<String>,
    pub submitted_at: Option<i64>,
}

pub async fn report(
    db: &Db,
    period_id: i64,
    unit_id: i64,
) -> Result<Option<ReportRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, results, shortcomings, proposals, office_comment, submitted_at \
         FROM reports WHERE period_id = $1 AND unit_id = $2",
    )
    .bind(period_id)
    .bind(unit_id)
    .fetch_optional(&db.pool)
    .await
}

/// Writes a report's text and status (creating the row on first save).
pub async fn save_report(
    db: &Db,
    actor: i64,
    period: &PeriodRow,
    unit_id: i64,
    before: Option<&ReportRow>,
    after: &ReportRow,
    action: ReportAction,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reports (period_id, unit_id, status, results, shortcomings, proposals, office_comment, \
         submitted_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (period_id, unit_id) DO UPDATE SET status = excluded.status, results = excluded.results, \
         shortcomings = excluded.shortcomings, proposals = excluded.proposals, \
         office_comment = excluded.office_comment, submitted_at = excluded.submitted_at, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING id",
    )
    .bind(period.id)
    .bind(unit_id)
    .bind(after.status)
    .bind(&after.results)
    .bind(&after.shortcomings)
    .bind(&after.proposals)
    .bind(&after.office_comment)
    .bind(after.submitted_at)
    .bind(now())
    .bind(actor)
    .fetch_one(&mut *tx)
    .await?;
    let entry = Entry::new(actor, action.as_str(), "report", id).in_plan(period.plan_id);
    audit::record(&mut tx, entry, before, Some(after)).await?;
    tx.commit().await
}

/// A unit a period expects a report from, with its report's state.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitReportRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub status: Option<ReportStatus>,
    pub submitted_at: Option<i64>,
}

/// The units a period expects a report from (every unit with a duty in the
/// plan) with their report's status, if any; by name.
pub async fn period_reports(
    db: &Db,
    period: &PeriodRow,
) -> Result<Vec<UnitReportRow>, sqlx::Error> {
    let mut rows: Vec<UnitReportRow> = sqlx::query_as(
        "SELECT u.id AS unit_id, u.name AS unit_name, r.status, r.submitted_at FROM units u \
         LEFT JOIN reports r ON r.unit_id = u.id AND r.period_id = $1 \
         WHERE u.id IN (SELECT a.unit_id FROM assignments a JOIN duties d ON d.id = a.duty_id WHERE d.plan_id = $2)",
    )
    .bind(period.id)
    .bind(period.plan_id)
    .fetch_all(&db.pool)
    .await?;
    rows.sort_by_cached_key(|r| kehoach_plan::fold(&r.unit_name));
    Ok(rows)
}
