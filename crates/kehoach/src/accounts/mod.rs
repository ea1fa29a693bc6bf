//! Accounts: log-in and log-out (sessions themselves are `crate::session`), and the
//! administrator's user list.

pub mod domain;
pub mod password;
pub mod repo;

use askama::Template;
use axum::Router;
use axum::extract::FromRef;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::session;
use crate::state::{AppState, ClientIp};
use crate::units::repo as units_repo;
use crate::web::{Ctx, HtmlForm, Lang, Role, render};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang", post(set_lang))
        .route("/admin/users", get(users).post(add_user))
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
    HtmlForm(form): HtmlForm<LoginForm>,
) -> AppResult<Response> {
    let username = form.username.trim().to_lowercase();
    let key = format!("{ip}|{username}");
    if !state.login_limiter.hit(&key) {
        return Err(AppError::RateLimited);
    }
    let creds = repo::credentials(&state.db, &username).await?;
    let ok = password::verify(
        form.password,
        creds.as_ref().map(|c| c.password_hash.clone()),
    )
    .await;
    let Some(creds) = creds.filter(|_| ok) else {
        tracing::info!(%ip, %username, "failed log-in");
        let page = LoginPage {
            error: Some(ctx.t("login-failed")),
            username,
            ctx,
        };
        return Ok((axum::http::StatusCode::UNAUTHORIZED, render(&page)?).into_response());
    };
    state.login_limiter.reset(&key);
    Ok(session::login_response(&state.db, &state.settings, creds.id, "/").await?)
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
#[template(path = "accounts/templates/users.html")]
struct UsersPage {
    ctx: Ctx,
    error: Option<String>,
    users: Vec<repo::UserRow>,
    units: Vec<units_repo::UnitRow>,
}

impl UsersPage {
    fn role_key(&self, role: &Role) -> &'static str {
        match role {
            Role::Admin => "role-admin",
            Role::Coordinator => "role-coordinator",
            Role::Member => "role-member",
            Role::Judge => "role-judge",
            Role::Entrant => "role-entrant",
        }
    }
}

async fn users_page(state: &AppState, ctx: Ctx, error: Option<String>) -> AppResult<Response> {
    let page = UsersPage {
        users: repo::list(&state.db).await?,
        units: units_repo::list(&state.db).await?,
        error,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

async fn users(state: AppState, ctx: Ctx) -> AppResult<Response> {
    ctx.admin()?;
    users_page(&state, ctx, None).await
}

#[derive(Deserialize)]
struct NewUserForm {
    username: String,
    display_name: String,
    password: String,
    role: String,
    #[serde(default)]
    unit_ids: Vec<i64>,
    #[serde(default)]
    email: String,
}

async fn add_user(
    state: AppState,
    ctx: Ctx,
    HtmlForm(form): HtmlForm<NewUserForm>,
) -> AppResult<Response> {
    let actor = ctx.admin()?.id;
    let parsed = domain::NewUser::parse(
        &form.username,
        &form.display_name,
        &form.password,
        &form.role,
        form.unit_ids,
        &form.email,
    );
    let user = match parsed {
        Ok(u) => u,
        Err(key) => {
            let msg = ctx.t(key);
            return users_page(&state, ctx, Some(msg)).await;
        }
    };
    if repo::username_taken(&state.db, user.username.as_str()).await? {
        let msg = ctx.t("err-username-taken");
        return users_page(&state, ctx, Some(msg)).await;
    }
    let hash = password::hash(user.password.clone()).await?;
    repo::insert(&state.db, Some(actor), &user, &hash).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
