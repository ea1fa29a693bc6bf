//! The tracking feature's own services: the news-feed client and the public
//! calendar's rate limit, and the dashboard's cached data.

use std::sync::Arc;
use std::time::Duration;

use super::dashboard::{DashData, DashQuery};
use super::feeds::Fetcher;
use crate::config::Settings;
use crate::web::cache::VersionedCache;
use crate::web::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct Services {
    /// One HTTP client for news feeds (connection reuse, one set of limits).
    pub fetcher: Arc<Fetcher>,
    /// Public calendar feeds: 60 requests a minute per address.
    pub feed_limiter: Arc<RateLimiter>,
    pub dashboard_cache: Arc<VersionedCache<(i64, DashQuery), DashData>>,
}

impl Services {
    pub fn new(settings: &Settings) -> Self {
        Self {
            fetcher: Arc::new(Fetcher::new(
                Duration::from_secs(settings.feed_timeout_secs),
                settings.feeds_allow_private,
            )),
            feed_limiter: Arc::new(RateLimiter::new(60, Duration::from_secs(60))),
            dashboard_cache: Arc::new(VersionedCache::new(256)),
        }
    }
}

crate::state::part_of_state!(Services);
