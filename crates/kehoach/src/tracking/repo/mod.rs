//! Tracking storage, one file per aggregate: activities, periods with their
//! reports, the figures summed over them, calendars, evidence files,
//! sub-plans and notices. Handlers call these functions and hold no SQL.

mod activities;
mod calendar;
mod evidence;
mod notices;
mod periods;
mod subplans;
mod summary;

pub use activities::*;
pub use calendar::*;
pub use evidence::*;
pub use notices::*;
pub use periods::*;
pub use subplans::*;
pub use summary::*;

use crate::db::Db;
use crate::plans::states::PlanStatus;

/// An entry of a select list.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

/// Published plans a unit can record activities under.
pub async fn published_plans(db: &Db) -> Result<Vec<Choice>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind || ' ' || title AS label FROM plans WHERE status = $1 ORDER BY id DESC",
    )
    .bind(PlanStatus::Published)
    .fetch_all(&db.pool)
    .await
}

/// A plan's themes as "number. text".
pub async fn themes(db: &Db, plan_id: i64) -> Result<Vec<Choice>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number || '. ' || text AS label FROM themes WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}

/// A plan's channels as "number. text".
pub async fn channels(db: &Db, plan_id: i64) -> Result<Vec<Choice>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number || '. ' || text AS label FROM channels WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}
