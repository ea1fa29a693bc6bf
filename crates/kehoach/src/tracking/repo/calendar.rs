//! What a unit's calendar feed shows, and the secret token its URL holds.

use crate::audit::{self, Entry};
use crate::db::Db;
use crate::plans::states::PlanStatus;

/// A dated thing the calendar lists: a duty's deadline, a period's due
/// date or an activity's first day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Dated {
    pub id: i64,
    pub date: String,
    pub text: String,
}

/// Deadlines of the unit's duties in published plans.
pub async fn duty_deadlines(db: &Db, unit_id: i64) -> Result<Vec<Dated>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.deadline AS date, d.text FROM duties d JOIN assignments a ON a.duty_id = d.id \
         JOIN plans p ON p.id = d.plan_id WHERE a.unit_id = $1 AND p.status = $2 AND d.deadline IS NOT NULL",
    )
    .bind(unit_id)
    .bind(PlanStatus::Published)
    .fetch_all(&db.pool)
    .await
}

/// Due dates of the reports the unit owes in published plans.
pub async fn report_due_dates(db: &Db, unit_id: i64) -> Result<Vec<Dated>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT pe.id, pe.due_on AS date, pe.name AS text FROM periods pe JOIN plans p ON p.id = pe.plan_id \
         JOIN duties d ON d.plan_id = p.id JOIN assignments a ON a.duty_id = d.id \
         WHERE a.unit_id = $1 AND p.status = $2",
    )
    .bind(unit_id)
    .bind(PlanStatus::Published)
    .fetch_all(&db.pool)
    .await
}

/// The unit's latest activities.
pub async fn activity_days(db: &Db, unit_id: i64) -> Result<Vec<Dated>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, date_from AS date, title AS text FROM activities WHERE unit_id = $1 \
         ORDER BY date_from DESC LIMIT 500",
    )
    .bind(unit_id)
    .fetch_all(&db.pool)
    .await
}

/// A unit and its feed token, if it has one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedUnit {
    pub id: i64,
    pub name: String,
    pub feed_token: Option<String>,
}

pub async fn unit_by_token(db: &Db, token: &str) -> Result<Option<FeedUnit>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, feed_token FROM units WHERE feed_token = $1")
        .bind(token)
        .fetch_optional(&db.pool)
        .await
}

pub async fn feed_unit(db: &Db, unit_id: i64) -> Result<Option<FeedUnit>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, feed_token FROM units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(&db.pool)
        .await
}

/// Gives the unit a new feed token, which revokes the old one.
pub async fn renew_token(
    db: &Db,
    actor: i64,
    unit_id: i64,
    token: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE units SET feed_token = $1 WHERE id = $2")
        .bind(token)
        .bind(unit_id)
        .execute(&mut *tx)
        .await?;
    let entry = Entry::new(actor, "renew", "calendar_feed", unit_id);
    audit::record::<(), &str>(&mut tx, entry, None, None).await?;
    tx.commit().await
}
