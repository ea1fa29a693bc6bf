//! Units' sub-plans of a plan, and the units a plan hands duties to.

use crate::db::Db;

/// A theme of the parent plan.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParentTheme {
    pub number: String,
    pub text: String,
}

pub async fn parent_themes(db: &Db, parent: i64) -> Result<Vec<ParentTheme>, sqlx::Error> {
    sqlx::query_as("SELECT number, text FROM themes WHERE plan_id = $1 ORDER BY position")
        .bind(parent)
        .fetch_all(&db.pool)
        .await
}

/// A unit's sub-plan with its text, for the coverage check.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubPlanRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    pub source_text: String,
}

pub async fn subplans(db: &Db, parent: i64) -> Result<Vec<SubPlanRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.unit_id, u.name AS unit_name, p.title, p.source_text FROM plans p \
         JOIN units u ON u.id = p.unit_id WHERE p.parent_id = $1 ORDER BY p.id",
    )
    .bind(parent)
    .fetch_all(&db.pool)
    .await
}

/// A unit by id and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedUnit {
    pub id: i64,
    pub name: String,
}

/// The units with a duty in the plan, in no particular order.
pub async fn plan_units(db: &Db, plan_id: i64) -> Result<Vec<NamedUnit>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.id, u.name FROM units u JOIN assignments a ON a.unit_id = u.id \
         JOIN duties d ON d.id = a.duty_id WHERE d.plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}
