//! Server-side sessions: the cookie carries a random token, the database only
//! its SHA-256, so a leaked database does not leak live sessions.

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::repo;
use crate::config::Settings;
use crate::db::Db;
use crate::web::SessionUser;

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
            set_cookie(&token, settings.session_hours, settings.secure_cookies),
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
