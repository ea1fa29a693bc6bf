//! Session queries: a session is stored under its token's digest.

use super::{Role, SessionUser};
use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::Db;

/// Stores a new session under its token's digest, clearing expired ones.
pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    hours: i64,
) -> Result<(), sqlx::Error> {
    let at = now();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(at)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(at)
    .bind(at + hours * 3600)
    .execute(&mut *tx)
    .await?;
    audit::record::<(), ()>(&mut tx, session_entry(user_id, "login"), None, None).await?;
    tx.commit().await
}

/// The session's user joined with one of their units, and the data version.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    must_change_password: i64,
    unit_id: Option<i64>,
    data_version: i64,
}

/// The live session's user and the current data version, in one query.
pub async fn session_user(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(SessionUser, i64)>, sqlx::Error> {
    let rows = sqlx::query_as::<_, SessionRow>(
        "SELECT u.id, u.username, u.display_name, u.role, u.must_change_password, uu.unit_id, \
                (SELECT n FROM data_version WHERE id = 1) AS data_version \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN user_units uu ON uu.user_id = u.id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let unit_ids = rows.iter().filter_map(|r| r.unit_id).collect();
    let Some(first) = rows.into_iter().next() else {
        return Ok(None);
    };
    // A role this version does not know opens no session.
    let Some(role) = Role::parse(&first.role) else {
        return Ok(None);
    };
    let user = SessionUser {
        id: first.id,
        username: first.username,
        display_name: first.display_name,
        role,
        unit_ids,
        must_change_password: first.must_change_password != 0,
    };
    Ok(Some((user, first.data_version)))
}

/// Ends a session; the log-out is audited when the session existed.
pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let user: Option<i64> =
        sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(user_id) = user {
        audit::record::<(), ()>(&mut tx, session_entry(user_id, "logout"), None, None).await?;
    }
    tx.commit().await
}

/// Ends every session of a user but the one whose digest is `keep` (the
/// user changing their own password stays logged in where they are).
pub async fn end_sessions(
    tx: &mut crate::db::Tx,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

fn session_entry(user_id: i64, action: &'static str) -> Entry<'static> {
    Entry::new(user_id, action, "session", None::<i64>)
}
