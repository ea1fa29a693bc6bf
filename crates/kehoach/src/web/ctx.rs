//! The request context every page handler takes: language and, when logged
//! in, the user with their role and units.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;

use super::{Lang, Tr, cookie};
use crate::error::{AppError, AppResult};
use crate::session::{self, Role, SessionUser};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub tr: Tr,
    pub user: Option<SessionUser>,
    /// The data version read with the session (see `web::cache`).
    pub data_version: i64,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.tr.t1(key, name, value)
    }

    pub fn t2(
        &self,
        key: &str,
        one: (&'static str, impl ToString),
        two: (&'static str, impl ToString),
    ) -> String {
        self.tr.t2(key, one, two)
    }

    /// A message whose key ends in a value, e.g. `award-status-` + `open`.
    pub fn tk(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        self.tr.t(&format!("{prefix}{value}"))
    }

    /// A logged-in plan user (office or unit staff).
    pub fn user(&self) -> AppResult<&SessionUser> {
        let user = self.account()?;
        if user.is_staff() {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Any logged-in account, judges and entrants included.
    pub fn account(&self) -> AppResult<&SessionUser> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    pub fn office(&self) -> AppResult<&SessionUser> {
        let user = self.account()?;
        if user.is_office() {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn admin(&self) -> AppResult<&SessionUser> {
        let user = self.account()?;
        if user.role == Role::Admin {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn is_office(&self) -> bool {
        self.user.as_ref().is_some_and(SessionUser::is_office)
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    pub fn display_name(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        let state = AppState::from_ref(state);
        let lang = cookie(&parts.headers, "lang")
            .and_then(Lang::parse)
            .unwrap_or_default();
        let found = match cookie(&parts.headers, session::COOKIE) {
            Some(token) => session::lookup(&state.db, token).await?,
            None => None,
        };
        let (user, data_version) = match found {
            Some((user, version)) => (Some(user), version),
            None => (None, 0),
        };
        // After an administrator's reset, only choosing a new password (or
        // leaving) is open.
        if user.as_ref().is_some_and(|u| u.must_change_password)
            && !matches!(parts.uri.path(), "/account/password" | "/logout" | "/lang")
        {
            return Err(AppError::MustChangePassword);
        }
        Ok(Self {
            lang,
            tr: Tr(lang),
            user,
            data_version,
        })
    }
}
