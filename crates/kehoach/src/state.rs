//! The state every feature shares: the store, the settings and the log-in
//! guard. It depends on no feature; each feature keeps its own services
//! (caches, writers, limiters) in a `Services` value of its own, and the
//! application (`app`) puts them side by side. A handler asks for what it
//! uses by type: `state: AppState`, `svc: contests::Services`, `ctx: Ctx`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::config::Settings;
use crate::db::Db;
use crate::session::guard::LoginGuard;

pub struct Core {
    pub db: Db,
    pub settings: Settings,
    /// Who may try a password now (per address and per user name).
    pub login: LoginGuard,
}

#[derive(Clone)]
pub struct AppState(Arc<Core>);

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        Self(Arc::new(Core {
            db,
            settings,
            login: LoginGuard::default(),
        }))
    }
}

impl Deref for AppState {
    type Target = Core;
    fn deref(&self) -> &Core {
        &self.0
    }
}

/// Lets a part of the application's state be a handler argument of its own
/// (`svc: contests::Services`), for any router state that holds it.
macro_rules! part_of_state {
    ($part:ty) => {
        impl<S: Send + Sync> ::axum::extract::FromRequestParts<S> for $part
        where
            $part: ::axum::extract::FromRef<S>,
        {
            type Rejection = ::std::convert::Infallible;
            async fn from_request_parts(
                _: &mut ::axum::http::request::Parts,
                state: &S,
            ) -> Result<Self, Self::Rejection> {
                Ok(<$part as ::axum::extract::FromRef<S>>::from_ref(state))
            }
        }
    };
}
pub(crate) use part_of_state;

part_of_state!(AppState);

/// The client's address (through trusted proxies, `web::client`), the peer
/// address, or "local" for in-process requests (tests, tools).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        if let Some(c) = parts.extensions.get::<crate::web::client::ClientAddr>() {
            return Ok(Self(c.0.to_string()));
        }
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "local".into()),
        ))
    }
}
