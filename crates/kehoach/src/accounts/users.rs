//! The administrator's user list: adding accounts, resetting a password,
//! disabling and re-enabling an account, ending all of its sessions. Every
//! change is audited in the store.

use askama::Template;
use axum::Router;
use axum::extract::{FromRef, Path};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rand::Rng;
use serde::Deserialize;

use super::{domain, repo};
use crate::error::{AppError, AppResult};
use crate::session::password;
use crate::state::AppState;
use crate::units::repo as units_repo;
use crate::web::{Ctx, HtmlForm, Role, render_form};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new()
        .route("/admin/users", get(users).post(add_user))
        .route("/admin/users/{id}/reset-password", post(reset_password))
        .route("/admin/users/{id}/disable", post(disable))
        .route("/admin/users/{id}/enable", post(enable))
        .route("/admin/users/{id}/end-sessions", post(end_sessions))
}

#[derive(Template)]
#[template(path = "accounts/templates/users.html")]
struct UsersPage {
    ctx: Ctx,
    error: Option<String>,
    /// A just-reset account and its temporary password, shown once.
    reset: Option<(String, String)>,
    notice: Option<String>,
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

/// What the list shows above the table after an action.
#[derive(Default)]
struct Shown {
    error: Option<String>,
    reset: Option<(String, String)>,
    notice: Option<String>,
}

impl Shown {
    fn error(msg: String) -> Self {
        Self {
            error: Some(msg),
            ..Self::default()
        }
    }

    fn notice(msg: String) -> Self {
        Self {
            notice: Some(msg),
            ..Self::default()
        }
    }
}

async fn users_page(state: &AppState, ctx: Ctx, shown: Shown) -> AppResult<Response> {
    let has_error = shown.error.is_some();
    let page = UsersPage {
        users: repo::list(&state.db).await?,
        units: units_repo::list(&state.db).await?,
        error: shown.error,
        reset: shown.reset,
        notice: shown.notice,
        ctx,
    };
    render_form(&page, has_error)
}

async fn users(state: AppState, ctx: Ctx) -> AppResult<Response> {
    ctx.admin()?;
    users_page(&state, ctx, Shown::default()).await
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
            return users_page(&state, ctx, Shown::error(msg)).await;
        }
    };
    // Every unit named must exist: an unknown id is a form error.
    if !crate::units::known_units(&state.db, &user.unit_ids).await? {
        let msg = ctx.t("err-unit-unknown");
        return users_page(&state, ctx, Shown::error(msg)).await;
    }
    if repo::username_taken(&state.db, user.username.as_str()).await? {
        let msg = ctx.t("err-username-taken");
        return users_page(&state, ctx, Shown::error(msg)).await;
    }
    let hash = password::hash(user.password.as_str().to_owned()).await?;
    repo::insert(&state.db, Some(actor), &user, &hash).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// Twelve letters and digits without look-alikes (0/O, 1/l/I), in groups
/// of four so it can be read out over the phone.
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

async fn target(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<(i64, repo::Account)> {
    let actor = ctx.admin()?.id;
    let account = repo::account(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((actor, account))
}

/// Sets a temporary password, shown once to the administrator; the user
/// must choose their own at the next log-in, and their sessions end now.
async fn reset_password(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (actor, account) = target(&state, &ctx, id).await?;
    let temporary = temporary_password();
    let hash = password::hash(temporary.clone()).await?;
    repo::reset_password(&state.db, actor, id, &hash).await?;
    let shown = Shown {
        reset: Some((account.username, temporary)),
        ..Shown::default()
    };
    users_page(&state, ctx, shown).await
}

async fn disable(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (actor, account) = target(&state, &ctx, id).await?;
    if actor == id {
        let msg = ctx.t("users-self-disable");
        return users_page(&state, ctx, Shown::error(msg)).await;
    }
    repo::set_disabled(&state.db, actor, id, true).await?;
    let msg = ctx.t1("users-disabled-done", "name", account.username);
    users_page(&state, ctx, Shown::notice(msg)).await
}

async fn enable(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (actor, account) = target(&state, &ctx, id).await?;
    repo::set_disabled(&state.db, actor, id, false).await?;
    let msg = ctx.t1("users-enabled-done", "name", account.username);
    users_page(&state, ctx, Shown::notice(msg)).await
}

async fn end_sessions(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (actor, account) = target(&state, &ctx, id).await?;
    let ended = repo::end_sessions(&state.db, actor, id).await?;
    let msg = ctx.tr.t2(
        "users-sessions-ended",
        ("name", account.username),
        ("count", ended),
    );
    users_page(&state, ctx, Shown::notice(msg)).await
}
