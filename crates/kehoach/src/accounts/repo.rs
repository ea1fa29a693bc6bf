//! Account queries: users and their units (sessions live in `crate::session`).

use super::domain::NewUser;
use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::Db;
use crate::web::Role;

#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub must_change_password: i64,
}

pub async fn credentials(db: &Db, username: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as::<_, Credentials>(
        "SELECT id, password_hash, must_change_password FROM users \
         WHERE username = $1 AND disabled = 0",
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
    pub id: i64,
    pub disabled: bool,
    pub must_change_password: bool,
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
    disabled: i64,
    must_change_password: i64,
    unit_name: String,
}

pub async fn list(db: &Db) -> Result<Vec<UserRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, UserUnit>(
        "SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.must_change_password, \
                COALESCE(un.name, '') AS unit_name \
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
                    id: r.id,
                    disabled: r.disabled != 0,
                    must_change_password: r.must_change_password != 0,
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

/// An account an administrator acts on.
#[derive(sqlx::FromRow)]
pub struct Account {
    pub username: String,
}

pub async fn account(db: &Db, id: i64) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as::<_, Account>("SELECT username FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn password_hash(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND disabled = 0")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A failed log-in, audited with the address and a bounded prefix of the
/// name typed (never the password).
pub async fn record_failed_login(db: &Db, typed: &str, address: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(typed)
        .fetch_optional(&mut *tx)
        .await?;
    let after = serde_json::json!({ "username": typed, "address": address });
    audit_user(&mut tx, None, "login-failed", user, after).await?;
    tx.commit().await
}

/// Audits an action on an account, inside the transaction that did it.
async fn audit_user(
    tx: &mut crate::db::Tx,
    actor: Option<i64>,
    action: &str,
    id: Option<i64>,
    after: serde_json::Value,
) -> Result<(), sqlx::Error> {
    audit::record::<(), _>(
        tx,
        Entry::new(actor, action, "user", id),
        None,
        Some(&after),
    )
    .await
}

async fn update_password(
    tx: &mut crate::db::Tx,
    id: i64,
    hash: &str,
    must_change: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(hash)
        .bind(i64::from(must_change))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The user's own new password; their other sessions end.
pub async fn change_own_password(
    db: &Db,
    id: i64,
    hash: &str,
    keep_token: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    update_password(&mut tx, id, hash, false).await?;
    let ended = crate::session::end_all(&mut tx, id, keep_token).await?;
    let after = serde_json::json!({ "other_sessions_ended": ended });
    audit_user(&mut tx, Some(id), "change-password", Some(id), after).await?;
    tx.commit().await
}

/// An administrator's reset: a temporary password to replace at the next
/// log-in; every session of the account ends.
pub async fn reset_password(db: &Db, actor: i64, id: i64, hash: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    update_password(&mut tx, id, hash, true).await?;
    let ended = crate::session::end_all(&mut tx, id, None).await?;
    let after = serde_json::json!({ "must_change_password": true, "sessions_ended": ended });
    audit_user(&mut tx, Some(actor), "reset-password", Some(id), after).await?;
    tx.commit().await
}

/// Disables (ending every session) or re-enables an account.
pub async fn set_disabled(db: &Db, actor: i64, id: i64, disabled: bool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let ended = if disabled {
        crate::session::end_all(&mut tx, id, None).await?
    } else {
        0
    };
    let after = serde_json::json!({ "disabled": disabled, "sessions_ended": ended });
    let action = if disabled { "disable" } else { "enable" };
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, action, "user", id),
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await
}

/// Ends every session of an account; how many there were.
pub async fn end_sessions(db: &Db, actor: i64, id: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let ended = crate::session::end_all(&mut tx, id, None).await?;
    let after = serde_json::json!({ "sessions_ended": ended });
    audit_user(&mut tx, Some(actor), "end-sessions", Some(id), after).await?;
    tx.commit().await?;
    Ok(ended)
}
