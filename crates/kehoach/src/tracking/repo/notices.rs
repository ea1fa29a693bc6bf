//! In-app notices and the record of reminders sent.

use crate::clock::now;
use crate::db::{Db, Tx};
use crate::tracking::reminders::ReminderKind;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub text: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// A user's latest notices, newest first.
pub async fn notices(db: &Db, user_id: i64) -> Result<Vec<NoticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT text, link, created_at, read_at FROM notices WHERE user_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// Reading is not an audited change of the plan's data: no version bump.
pub async fn mark_read(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Records that a reminder goes out; false when it already went.
pub async fn claim_reminder(
    tx: &mut Tx,
    period_id: i64,
    unit_id: i64,
    kind: ReminderKind,
) -> Result<bool, sqlx::Error> {
    let fresh = sqlx::query(
        "INSERT INTO reminders_sent (period_id, unit_id, kind, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (period_id, unit_id, kind) DO NOTHING",
    )
    .bind(period_id)
    .bind(unit_id)
    .bind(kind)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(fresh > 0)
}

/// An active member of a unit, whom reminders reach.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub email: Option<String>,
    pub display_name: String,
}

pub async fn active_members(tx: &mut Tx, unit_id: i64) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.email, u.display_name FROM users u JOIN user_units uu ON uu.user_id = u.id \
         WHERE uu.unit_id = $1 AND u.disabled = 0",
    )
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn insert_notice(
    tx: &mut Tx,
    user_id: i64,
    text: &str,
    link: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO notices (user_id, text, link, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(text)
        .bind(link)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
