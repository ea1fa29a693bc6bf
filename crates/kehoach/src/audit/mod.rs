//! The audit log: every write records who did what, with the before and
//! after state, inside the same transaction as the write itself. Recording
//! also bumps the data version that page caches are stamped with.

mod page;

use serde::Serialize;

use crate::clock::now;
use crate::db::{Db, Tx};

pub use page::router;

pub struct Entry<'a> {
    pub user_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub plan_id: Option<i64>,
}

impl<'a> Entry<'a> {
    /// What `actor` did to one record; `None` actor is the system itself.
    pub fn new(
        actor: impl Into<Option<i64>>,
        action: &'a str,
        entity: &'a str,
        entity_id: impl Into<Option<i64>>,
    ) -> Self {
        Self {
            user_id: actor.into(),
            action,
            entity,
            entity_id: entity_id.into(),
            plan_id: None,
        }
    }

    /// The same record, filed under a plan (the plan's history shows it).
    pub fn in_plan(self, plan_id: impl Into<Option<i64>>) -> Self {
        Self {
            plan_id: plan_id.into(),
            ..self
        }
    }
}

pub async fn record<B: Serialize, A: Serialize>(
    tx: &mut Tx,
    entry: Entry<'_>,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, entity, entity_id, plan_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(entry.user_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.plan_id)
    .bind(before.and_then(|b| serde_json::to_string(b).ok()))
    .bind(after.and_then(|a| serde_json::to_string(a).ok()))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE data_version SET n = n + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Change {
    pub at: i64,
    #[sqlx(rename = "username")]
    pub user: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    #[sqlx(rename = "before_json")]
    pub before: String,
    #[sqlx(rename = "after_json")]
    pub after: String,
}

/// Changes, newest first; for one plan since an instant, or everything.
pub async fn changes(
    db: &Db,
    plan_id: Option<i64>,
    since: i64,
    limit: i64,
) -> Result<Vec<Change>, sqlx::Error> {
    sqlx::query_as::<_, Change>(
        "SELECT a.at, COALESCE(u.username, '') AS username, a.action, a.entity, a.entity_id, \
                COALESCE(a.before_json, '') AS before_json, COALESCE(a.after_json, '') AS after_json \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE ($1 = 0 OR a.plan_id = $2) AND a.at >= $3 \
         ORDER BY a.id DESC LIMIT $4",
    )
    .bind(i64::from(plan_id.is_some()))
    .bind(plan_id.unwrap_or(0))
    .bind(since)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}
