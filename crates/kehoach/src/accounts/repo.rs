//! Account queries: users, their units, and their sessions.

use super::domain::NewUser;
use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::Db;
use crate::web::{Role, SessionUser};

#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
}

pub async fn credentials(db: &Db, username: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as::<_, Credentials>(
        "SELECT id, password_hash FROM users WHERE username = $1 AND disabled = 0",
    )
    .bind(username)
    .fetch_optional(&db.pool)
    .await
}

pub async fn username_taken(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}

/// Stores a user with an already computed hash; one transaction, audited.
pub async fn insert(
    db: &Db,
    actor: Option<i64>,
    user: &NewUser,
    password_hash: &str,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = insert_tx(&mut tx, actor, user, password_hash).await?;
    tx.commit().await?;
    Ok(id)
}

/// Stores a user inside the caller's transaction (an award's judge is a
/// user and a council seat, written together).
pub async fn insert_tx(
    tx: &mut crate::db::Tx,
    actor: Option<i64>,
    user: &NewUser,
    password_hash: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, created_at, email) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.username.as_str())
    .bind(&user.display_name)
    .bind(password_hash)
    .bind(user.role.as_str())
    .bind(now())
    .bind(&user.email)
    .fetch_one(&mut **tx)
    .await?;
    for unit_id in &user.unit_ids {
        sqlx::query("INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)")
            .bind(id)
            .bind(unit_id)
            .execute(&mut **tx)
            .await?;
    }
    let after = serde_json::json!({
        "username": user.username.as_str(),
        "display_name": user.display_name,
        "role": user.role.as_str(),
        "unit_ids": user.unit_ids,
    });
    audit::record::<(), _>(
        tx,
        Entry::new(actor, "create", "user", id),
        None,
        Some(&after),
    )
    .await?;
    Ok(id)
}

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub units: String,
}

/// A user joined with one of their units ("" for none).
#[derive(sqlx::FromRow)]
struct UserUnit {
    id: i64,
    username: String,
    display_name: String,
    /// An unknown stored spelling is a decode error, not a member.
    role: Role,
    unit_name: String,
}

pub async fn list(db: &Db) -> Result<Vec<UserRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, UserUnit>(
        "SELECT u.id, u.username, u.display_name, u.role, COALESCE(un.name, '') AS unit_name \
         FROM users u LEFT JOIN user_units uu ON uu.user_id = u.id \
         LEFT JOIN units un ON un.id = uu.unit_id ORDER BY u.username, un.name",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<(i64, UserRow)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some((last, row)) if *last == r.id => {
                row.units.push_str("; ");
                row.units.push_str(&r.unit_name);
            }
            _ => out.push((
                r.id,
                UserRow {
                    role: r.role,
                    username: r.username,
                    display_name: r.display_name,
                    units: r.unit_name,
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

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
    unit_id: Option<i64>,
    data_version: i64,
}

/// The live session's user and the current data version, in one query.
pub async fn session_user(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(SessionUser, i64)>, sqlx::Error> {
    let rows = sqlx::query_as::<_, SessionRow>(
        "SELECT u.id, u.username, u.display_name, u.role, uu.unit_id, \
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

fn session_entry(user_id: i64, action: &'static str) -> Entry<'static> {
    Entry::new(user_id, action, "session", None::<i64>)
}
