//! Accounts: log-in and log-out (sessions themselves are `crate::session`),
//! changing one's own password, and the administrator's user list.

pub mod domain;
pub mod repo;
mod users;

use askama::Template;
use axum::Router;
use axum::extract::FromRef;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::error::{AppError, AppResult, retry_after};
use crate::session::{self, password};
use crate::state::{AppState, ClientIp};
use crate::web::{Ctx, HtmlForm, Lang, render, render_form};

/// A log-in form is two short fields; anything larger is refused unread.
const LOGIN_FORM_LIMIT: usize = 4 * 1024;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang", post(set_lang))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
        .merge(users::router())
}

#[derive(Template)]
#[template(path = "accounts/templates/login.html")]
struct LoginPage {
    ctx: Ctx,
    error: Option<String>,
    username: String,
}

async fn login_form(ctx: Ctx) -> AppResult<Response> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(render(&LoginPage {
        ctx,
        error: None,
        username: String::new(),
    })?
    .into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login(
    state: AppState,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    HtmlForm(form): HtmlForm<LoginForm, LOGIN_FORM_LIMIT>,
) -> AppResult<Response> {
    // A name that cannot be a user name is refused before any lookup, and
    // only a bounded, escaped prefix of it is ever logged or stored.
    let username = domain::Username::parse(&form.username).ok();
    let shown = crate::text::log_prefix(form.username.trim(), 40);
    let limit_key = username.as_ref().map_or(shown.as_str(), |u| u.as_str());
    if let Err(wait) = state.login.attempt(&ip, limit_key) {
        tracing::info!(%ip, username = %shown, "log-in refused: too many attempts");
        let msg = ctx.t1("login-wait", "seconds", wait.as_secs().max(1));
        let page = LoginPage {
            error: Some(msg),
            username: String::new(),
            ctx,
        };
        let res = (StatusCode::TOO_MANY_REQUESTS, render(&page)?).into_response();
        return Ok(retry_after(res, wait));
    }
    let creds = match &username {
        Some(u) if form.password.len() <= password::MAX_LEN => {
            repo::credentials(&state.db, u.as_str()).await?
        }
        _ => None,
    };
    let ok = password::verify(
        form.password,
        creds.as_ref().map(|c| c.password_hash.clone()),
    )
    .await
    .map_err(|_| AppError::Busy)?;
    let Some(creds) = creds.filter(|_| ok) else {
        tracing::info!(%ip, username = %shown, "failed log-in");
        repo::record_failed_login(&state.db, &shown, &ip).await?;
        let page = LoginPage {
            error: Some(ctx.t("login-failed")),
            username: username.map(|u| u.as_str().to_owned()).unwrap_or_default(),
            ctx,
        };
        return Ok((StatusCode::UNAUTHORIZED, render(&page)?).into_response());
    };
    let to = if creds.must_change_password != 0 {
        "/account/password"
    } else {
        "/"
    };
    Ok(session::login_response(&state.db, &state.settings, creds.id, to).await?)
}

async fn logout(state: AppState, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = crate::web::cookie(&headers, session::COOKIE) {
        session::delete(&state.db, token).await?;
    }
    Ok((
        [(header::SET_COOKIE, session::clear_cookie())],
        Redirect::to("/login"),
    )
        .into_response())
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
}

/// Switches the UI language and returns to the page the user was on.
async fn set_lang(headers: HeaderMap, HtmlForm(form): HtmlForm<LangForm>) -> Response {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    (
        [(
            header::SET_COOKIE,
            format!(
                "lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
                lang.code()
            ),
        )],
        Redirect::to(&back),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "accounts/templates/password.html")]
struct PasswordPage {
    ctx: Ctx,
    error: Option<String>,
    done: bool,
}

async fn password_form(ctx: Ctx) -> AppResult<Response> {
    ctx.account()?;
    render_form(
        &PasswordPage {
            ctx,
            error: None,
            done: false,
        },
        false,
    )
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// Changes one's own password: the current one first, then the rules; every
/// other session of the account ends (a thief's among them).
async fn change_password(
    state: AppState,
    ctx: Ctx,
    headers: HeaderMap,
    HtmlForm(form): HtmlForm<PasswordForm, LOGIN_FORM_LIMIT>,
) -> AppResult<Response> {
    let me = ctx.account()?.clone();
    let refuse = |ctx: Ctx, key: &str| {
        let page = PasswordPage {
            error: Some(ctx.t(key)),
            ctx,
            done: false,
        };
        render_form(&page, true)
    };
    let stored = repo::password_hash(&state.db, me.id).await?;
    let ok = password::verify(form.current, stored)
        .await
        .map_err(|_| AppError::Busy)?;
    if !ok {
        return refuse(ctx, "password-current-wrong");
    }
    if form.new != form.confirm {
        return refuse(ctx, "password-mismatch");
    }
    let new = match domain::NewPassword::parse(&form.new, &me.username) {
        Ok(p) => p,
        Err(key) => return refuse(ctx, key),
    };
    let hash = password::hash(new.as_str().to_owned()).await?;
    let keep = crate::web::cookie(&headers, session::COOKIE);
    repo::change_own_password(&state.db, me.id, &hash, keep).await?;
    let page = PasswordPage {
        ctx,
        error: None,
        done: true,
    };
    render_form(&page, false)
}
