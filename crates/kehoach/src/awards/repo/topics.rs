//! Topic prizes given by the council, beside the main tiers.

use super::entries::lock_edition;
use super::{AwardError, audited};
use crate::db::Db;

/// A work holding a topic prize.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicAwardRow {
    pub topic: String,
    pub entry_id: i64,
    pub reason: String,
}

pub async fn topic_awards(db: &Db, edition_id: i64) -> Result<Vec<TopicAwardRow>, sqlx::Error> {
    sqlx::query_as::<_, TopicAwardRow>(
        "SELECT topic, entry_id, reason FROM award_topic_awards WHERE edition_id = $1 \
         ORDER BY topic, entry_id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await
}

/// Gives `topic` to an entry, within the topic's `quota`, counted inside the
/// transaction after the edition row is locked.
pub async fn give_topic(
    db: &Db,
    actor: i64,
    edition_id: i64,
    topic: &str,
    entry_id: i64,
    reason: &str,
    quota: u32,
) -> Result<(), AwardError> {
    let mut tx = db.begin().await?;
    lock_edition(&mut tx, edition_id).await?;
    let held: Vec<i64> = sqlx::query_scalar(
        "SELECT entry_id FROM award_topic_awards WHERE edition_id = $1 AND topic = $2",
    )
    .bind(edition_id)
    .bind(topic)
    .fetch_all(&mut *tx)
    .await?;
    if held.contains(&entry_id) {
        return Ok(());
    }
    if held.len() >= quota as usize {
        return Err(AwardError::Refused("err-award-topic-full"));
    }
    sqlx::query(
        "INSERT INTO award_topic_awards (edition_id, topic, entry_id, reason) VALUES ($1, $2, $3, $4)",
    )
    .bind(edition_id)
    .bind(topic)
    .bind(entry_id)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    audited(
        &mut tx,
        actor,
        "topic-prize",
        "award_entry",
        entry_id,
        &serde_json::json!({ "topic": topic, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn withdraw_topic(
    db: &Db,
    actor: i64,
    edition_id: i64,
    topic: &str,
    entry_id: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM award_topic_awards WHERE edition_id = $1 AND topic = $2 AND entry_id = $3",
    )
    .bind(edition_id)
    .bind(topic)
    .bind(entry_id)
    .execute(&mut *tx)
    .await?;
    audited(
        &mut tx,
        actor,
        "topic-prize-withdrawn",
        "award_entry",
        entry_id,
        &serde_json::json!({ "topic": topic }),
    )
    .await?;
    tx.commit().await
}
