//! Who is logged in: the account's role and units, and server-side sessions.
//! The cookie carries a random token, the database only its SHA-256, so a
//! leaked database does not leak live sessions. Shared by every feature (the
//! request context reads it), so it depends on none of them.

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub mod guard;
pub mod password;
mod repo;

use crate::config::Settings;
use crate::db::Db;

crate::db::db_enum! {
    /// What an account may do; stored in `users.role`.
    pub enum Role {
        Admin = "admin",
        Coordinator = "coordinator",
        Member = "member",
        /// Sits on an award's councils; sees only the entries assigned to them.
        Judge = "judge",
        /// Enters works for an award; sees only their own entries.
        Entrant = "entrant",
    }
}

impl Role {
    /// The role a form or a stored row names, if any.
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_ids: Vec<i64>,
    /// An administrator reset the password: nothing but choosing a new one
    /// is open until it is changed.
    pub must_change_password: bool,
}

impl SessionUser {
    /// The office runs plans: administrators and coordinators.
    pub fn is_office(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coordinator)
    }

    /// Office and unit staff, who work on plans; judges and entrants only
    /// ever reach the award pages.
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coordinator | Role::Member)
    }

    pub fn belongs_to(&self, unit_id: i64) -> bool {
        self.unit_ids.contains(&unit_id)
    }
}

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
    repo::insert_session(db, &digest(&token), user_id, hours).await?;
    Ok(token)
}

/// The session's user and the current data version, in one query: the
/// version lets cached page data be reused without asking again.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<(SessionUser, i64)>, sqlx::Error> {
    repo::session_user(db, &digest(token)).await
}

/// Ends all of a user's sessions but the one with token `keep`, inside
/// the caller's transaction; how many ended.
pub async fn end_all(
    tx: &mut crate::db::Tx,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let keep = keep.map(digest);
    repo::end_sessions(tx, user_id, keep.as_deref()).await
}

pub async fn delete(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    repo::delete_session(db, &digest(token)).await
}

/// Logs a user in: opens a session and sends its cookie with a redirect to
/// `to`. Every way in (the log-in form, an entrant's registration) uses it.
pub async fn login_response(
    db: &Db,
    settings: &Settings,
    user_id: i64,
    to: &str,
) -> Result<Response, sqlx::Error> {
    let token = create(db, user_id, settings.session_hours).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&token, settings.session_hours, settings.cookies_secure()),
        )],
        Redirect::to(to),
    )
        .into_response())
}

fn set_cookie(token: &str, hours: i64, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        hours * 3600,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}
