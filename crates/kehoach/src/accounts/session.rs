//! Server-side sessions: the cookie carries a random token, the database only
//! its SHA-256, so a leaked database does not leak live sessions.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit;
use crate::db::{Db, now};
use crate::web::{Role, SessionUser};

pub const COOKIE: &str = "kh_session";

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn create(db: &Db, user_id: i64, hours: i64) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let at = now();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(at)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(digest(&token))
    .bind(user_id)
    .bind(at)
    .bind(at + hours * 3600)
    .execute(&mut *tx)
    .await?;
    audit::record::<(), ()>(&mut tx, entry(user_id, "login"), None, None).await?;
    tx.commit().await?;
    Ok(token)
}

/// The session's user and the current data version, in one query: the
/// version lets cached page data be reused without asking again.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<(SessionUser, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, uu.unit_id, \
                (SELECT n FROM data_version WHERE id = 1) \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN user_units uu ON uu.user_id = u.id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(digest(token))
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let Some(role) = Role::parse(first.get::<String, _>(3).as_str()) else {
        return Ok(None);
    };
    let user = SessionUser {
        id: first.get(0),
        username: first.get(1),
        display_name: first.get(2),
        role,
        unit_ids: rows
            .iter()
            .filter_map(|r| r.get::<Option<i64>, _>(4))
            .collect(),
    };
    Ok(Some((user, first.get(5))))
}

pub async fn delete(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let user: Option<i64> =
        sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(digest(token))
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(user_id) = user {
        audit::record::<(), ()>(&mut tx, entry(user_id, "logout"), None, None).await?;
    }
    tx.commit().await
}

fn entry(user_id: i64, action: &'static str) -> audit::Entry<'static> {
    audit::Entry {
        user_id: Some(user_id),
        action,
        entity: "session",
        entity_id: None,
        plan_id: None,
    }
}

pub fn set_cookie(token: &str, hours: i64, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        hours * 3600,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}
