//! Continuing a registration on another device: the person as registered,
//! and the tries, limited per person and each on record.

use crate::audit::{self, Entry};
use crate::db::Db;

/// What a recovery is checked against.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecoveryRecord {
    pub id: i64,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

/// The participant registered with this (normalised) phone or ID number.
pub async fn recovery_candidate(
    db: &Db,
    contest: i64,
    key: &str,
) -> Result<Option<RecoveryRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, full_name, birth_year, phone, id_number FROM contest_participants \
         WHERE contest_id = $1 AND (phone = $2 OR id_number = $2) ORDER BY id LIMIT 1",
    )
    .bind(contest)
    .bind(key)
    .fetch_optional(&db.pool)
    .await
}

/// Failed tries for a participant since `since` (seconds).
pub async fn failed_recoveries(db: &Db, participant: i64, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " FROM contest_recoveries WHERE participant_id = $1 AND at >= $2 AND ok = 0"
    ))
    .bind(participant)
    .bind(since)
    .fetch_one(&db.pool)
    .await
}

/// Records a try, and audits it.
pub async fn record_recovery(db: &Db, participant: i64, ok: bool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO contest_recoveries (participant_id, at, ok) VALUES ($1, $2, $3)")
        .bind(participant)
        .bind(crate::clock::now())
        .bind(i64::from(ok))
        .execute(&mut *tx)
        .await?;
    let action = if ok { "recover" } else { "recover_failed" };
    let entry = Entry::new(None, action, "contest_participant", participant);
    audit::record::<(), ()>(&mut tx, entry, None, None).await?;
    tx.commit().await
}
