//! The application: every feature's router and services assembled into one
//! router. Only this module (and `serve`) names all the features; features
//! depend on `state`, never on `app`.

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::middleware;
use axum::response::Redirect;
use axum::routing::get;
use std::time::Duration;

use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, Role};
use crate::{accounts, audit, awards, contests, plans, search, tracking, units, web};

/// Declares the router state and `FromRef<App>` for each of its parts, so a
/// handler takes the part it uses.
macro_rules! router_state {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $part:ty),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name {
            $($field: $part),+
        }

        $(impl FromRef<$name> for $part {
            fn from_ref(app: &$name) -> Self {
                app.$field.clone()
            }
        })+
    };
}

router_state!(
    /// The router's state: the shared core beside each feature's services.
    App {
        core: AppState,
        plans: plans::Services,
        search: search::Services,
        tracking: tracking::Services,
        contests: contests::Services,
        awards: awards::Services,
    }
);

impl App {
    pub fn new(core: AppState) -> Self {
        Self {
            plans: plans::Services::new(),
            search: search::Services::new(),
            tracking: tracking::Services::new(&core.settings),
            contests: contests::Services::new(&core),
            awards: awards::Services::new(&core.settings),
            core,
        }
    }
}

pub fn router(core: AppState) -> Router {
    let settings = &core.settings;
    let upload_limit = settings.max_upload_bytes + 64 * 1024;
    let secs = Duration::from_secs;
    let request_timeout = secs(settings.request_timeout_secs);
    let upload_timeout = secs(settings.upload_timeout_secs);
    let body_timeout = secs(settings.body_timeout_secs);
    let site = web::site::Site::new(settings);
    let proxies = web::client::Proxies::new(
        web::client::parse_proxies(&settings.trusted_proxies).unwrap_or_default(),
    );
    let app = App::new(core);
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/{name}", get(web::assets::serve))
        .merge(accounts::router())
        .merge(units::router())
        .merge(plans::router())
        .merge(tracking::router())
        .merge(search::router())
        .merge(audit::router())
        .merge(contests::router())
        .merge(awards::router())
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        // Entry files (video, audio) are far larger than plan documents;
        // each category's own cap is enforced while the file streams in,
        // and the upload has its own, longer, time.
        .merge(
            awards::upload_router().layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                upload_timeout,
            )),
        )
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(middleware::from_fn_with_state(
            site.clone(),
            web::csrf::protect,
        ))
        .layer(middleware::from_fn_with_state(
            site.clone(),
            web::site::security_headers,
        ))
        .layer(middleware::from_fn_with_state(site, web::site::check_host))
        .layer(middleware::from_fn_with_state(
            proxies,
            web::client::resolve,
        ))
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

/// Office users start at their plans, unit members at their duties,
/// judges at their assigned entries and entrants at their own entries.
async fn home(ctx: Ctx) -> AppResult<Redirect> {
    let user = ctx.account()?;
    Ok(Redirect::to(match user.role {
        Role::Admin | Role::Coordinator => "/plans",
        Role::Member => "/duties",
        Role::Judge => "/giai/cham",
        Role::Entrant => "/giai/cua-toi",
    }))
}
