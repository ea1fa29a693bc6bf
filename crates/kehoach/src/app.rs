//! The application: every feature's router and services assembled into one
//! router. Only this module (and `serve`) names all the features; features
//! depend on `state`, never on `app`.

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::middleware;
use axum::response::Redirect;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
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
    let upload_limit = core.settings.max_upload_bytes + 64 * 1024;
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
        // Entry files (video, audio) are far larger than plan documents;
        // each category's own cap is enforced while the file streams in.
        .merge(awards::upload_router())
        .layer(middleware::from_fn(web::csrf::protect))
        .layer(middleware::from_fn(security_headers))
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

/// Headers that keep pages from being framed, sniffed or fed foreign scripts.
async fn security_headers(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler may set its own policy (entry files are framed by our own
    // judging page); every other response gets the strict one.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
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
