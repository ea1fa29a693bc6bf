//! The application: shared state and the router assembled from each feature.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::middleware;
use axum::response::Redirect;
use axum::routing::get;
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::db::Db;
use crate::error::AppResult;
use crate::web::cache::VersionedCache;
use crate::web::ratelimit::RateLimiter;
use crate::web::{Ctx, Role};
use crate::{accounts, audit, awards, contests, plans, search, tracking, units, web};

pub struct Inner {
    pub db: Db,
    pub settings: Settings,
    pub login_limiter: RateLimiter,
    /// Public calendar feeds: 60 requests a minute per address.
    pub feed_limiter: RateLimiter,
    /// One HTTP client for news feeds (connection reuse, one set of limits).
    pub fetcher: crate::tracking::feeds::Fetcher,
    /// Contests' public side: open rounds in memory, the group-commit
    /// writer, the token signer and its own rate limits.
    pub contest_live: crate::contests::live::Live,
    pub contest_writer: crate::contests::writer::Writer,
    pub contest_signer: tokio::sync::OnceCell<crate::contests::token::Signer>,
    pub contest_ip_limiter: RateLimiter,
    pub participant_limiter: RateLimiter,
    /// Award entry files (local folder or S3), opened on first use.
    pub award_blobs: std::sync::OnceLock<crate::awards::store::Blobs>,
    /// The gallery's files fetched without logging in, per address.
    pub award_public_limiter: RateLimiter,
    pub review_cache: VersionedCache<i64, crate::plans::ReviewData>,
    pub duties_cache: VersionedCache<(i64, i64), crate::plans::MyDutiesData>,
    pub search_cache: VersionedCache<(), crate::search::Corpus>,
    pub dashboard_cache: VersionedCache<
        (i64, crate::tracking::dashboard::DashQuery),
        crate::tracking::dashboard::DashData,
    >,
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        let fetcher = crate::tracking::feeds::Fetcher::new(
            Duration::from_secs(settings.feed_timeout_secs),
            settings.feeds_allow_private,
        );
        let contest_writer = crate::contests::writer::Writer::spawn(&db, settings.contest_queue);
        Self(Arc::new(Inner {
            fetcher,
            contest_live: Default::default(),
            contest_writer,
            contest_signer: Default::default(),
            award_blobs: Default::default(),
            // Generous: a video player seeks with many range requests.
            award_public_limiter: RateLimiter::new(600, Duration::from_secs(60)),
            // Many participants share one address (schools, mobile carriers'
            // NAT), so the per-address limit is generous and configurable.
            contest_ip_limiter: RateLimiter::new(
                settings.contest_ip_per_minute,
                Duration::from_secs(60),
            ),
            participant_limiter: RateLimiter::new(120, Duration::from_secs(60)),
            db,
            settings,
            // Ten tries per address and user name per 15 minutes.
            login_limiter: RateLimiter::new(10, Duration::from_secs(15 * 60)),
            feed_limiter: RateLimiter::new(60, Duration::from_secs(60)),
            review_cache: VersionedCache::new(256),
            duties_cache: VersionedCache::new(4096),
            search_cache: VersionedCache::new(1),
            dashboard_cache: VersionedCache::new(256),
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl FromRequestParts<AppState> for AppState {
    type Rejection = Infallible;
    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(state.clone())
    }
}

/// The peer address, or "local" for in-process requests (tests, tools).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "local".into()),
        ))
    }
}

pub fn router(state: AppState) -> Router {
    let upload_limit = state.settings.max_upload_bytes + 64 * 1024;
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
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
