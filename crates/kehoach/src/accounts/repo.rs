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
