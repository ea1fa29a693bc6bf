//! Results: the computed ranking and tiers of an edition, and the
//! council's decisions on them.

use serde::Serialize;

use super::{audited, from_json};
use crate::awards::notices::Notice;
use crate::db::batch::{self, Value};
use crate::db::{Db, flag};

#[derive(Debug, Clone, Serialize)]
pub struct PrizeRow {
    pub entry_id: i64,
    pub position: i64,
    pub mean_milli: i64,
    pub computed_tier: String,
    pub tier: String,
    pub reason: String,
    pub forwarded: bool,
}

impl PrizeRow {
    pub fn overridden(&self) -> bool {
        self.tier != self.computed_tier
    }
}

/// A result as stored: `forwarded` is 0 or 1.
#[derive(sqlx::FromRow)]
struct PrizeRecord {
    entry_id: i64,
    position: i64,
    mean_milli: i64,
    computed_tier: String,
    tier: String,
    reason: String,
    forwarded: i64,
}

impl From<PrizeRecord> for PrizeRow {
    fn from(r: PrizeRecord) -> Self {
        PrizeRow {
            entry_id: r.entry_id,
            position: r.position,
            mean_milli: r.mean_milli,
            computed_tier: r.computed_tier,
            tier: r.tier,
            reason: r.reason,
            forwarded: r.forwarded != 0,
        }
    }
}

pub async fn prizes(db: &Db, edition_id: i64) -> Result<Vec<PrizeRow>, sqlx::Error> {
    Ok(sqlx::query_as::<_, PrizeRecord>(
        "SELECT entry_id, position, mean_milli, computed_tier, tier, reason, forwarded FROM award_prizes \
         WHERE edition_id = $1 ORDER BY position, entry_id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(PrizeRow::from)
    .collect())
}

/// The notices stored with an edition's computed results.
pub async fn notices(db: &Db, edition_id: i64) -> Result<Vec<Notice>, sqlx::Error> {
    let json: String = sqlx::query_scalar("SELECT notices_json FROM award_editions WHERE id = $1")
        .bind(edition_id)
        .fetch_one(&db.pool)
        .await?;
    from_json(&json)
}

/// Replaces the computed results of an edition and their notices.
pub async fn save_prizes(
    db: &Db,
    actor: i64,
    edition_id: i64,
    rows: &[PrizeRow],
    notices: &[Notice],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let notices_json =
        serde_json::to_string(notices).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE award_editions SET notices_json = $1 WHERE id = $2")
        .bind(&notices_json)
        .bind(edition_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM award_prizes WHERE edition_id = $1")
        .bind(edition_id)
        .execute(&mut *tx)
        .await?;
    let values = rows
        .iter()
        .map(|p| {
            vec![
                Value::Int(edition_id),
                Value::Int(p.entry_id),
                Value::Int(p.position),
                Value::Int(p.mean_milli),
                Value::Text(p.computed_tier.clone()),
                Value::Text(p.tier.clone()),
                Value::Text(p.reason.clone()),
                Value::Int(flag(p.forwarded)),
            ]
        })
        .collect();
    batch::insert(
        &mut tx,
        db.engine,
        "INSERT INTO award_prizes (edition_id, entry_id, position, mean_milli, computed_tier, \
         tier, reason, forwarded) VALUES ",
        "",
        values,
    )
    .await?;
    audited(
        &mut tx,
        actor,
        "results",
        "award_edition",
        edition_id,
        &serde_json::json!({ "results": rows, "notices": notices }),
    )
    .await?;
    tx.commit().await
}

/// A council decision on one entry: its tier (empty for none), the reason,
/// and whether it goes on to the national award.
pub async fn decide(
    db: &Db,
    actor: i64,
    edition_id: i64,
    entry_id: i64,
    tier: &str,
    reason: &str,
    forwarded: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE award_prizes SET tier = $1, reason = $2, forwarded = $3 WHERE edition_id = $4 AND entry_id = $5",
    )
    .bind(tier)
    .bind(reason)
    .bind(flag(forwarded))
    .bind(edition_id)
    .bind(entry_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    audited(
        &mut tx,
        actor,
        "decide",
        "award_entry",
        entry_id,
        &serde_json::json!({ "tier": tier, "reason": reason, "forwarded": forwarded }),
    )
    .await?;
    tx.commit().await
}
