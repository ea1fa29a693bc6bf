//! The awards feature's own services: the entry file store and the seal
//! key, opened on first use, and the rate limit on files fetched without logging in.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use kehoach_award::SealKey;

use super::store::Blobs;
use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::web::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct Services(Arc<Inner>);

struct Inner {
    settings: Settings,
    blobs: OnceLock<Blobs>,
    seal_key: OnceLock<SealKey>,
    /// The gallery's files fetched without logging in, per address.
    public_limiter: RateLimiter,
}

impl Services {
    pub fn new(settings: &Settings) -> Self {
        Self(Arc::new(Inner {
            settings: settings.clone(),
            blobs: OnceLock::new(),
            seal_key: OnceLock::new(),
            // Generous: a video player seeks with many range requests.
            public_limiter: RateLimiter::new(600, Duration::from_secs(60)),
        }))
    }

    /// The entry file store, opened on first use from the settings.
    pub fn blobs(&self) -> AppResult<&Blobs> {
        if let Some(b) = self.0.blobs.get() {
            return Ok(b);
        }
        let blobs = Blobs::from_settings(&self.0.settings).map_err(AppError::Internal)?;
        Ok(self.0.blobs.get_or_init(|| blobs))
    }

    /// The key of the score logs' chain, read (or created) on first use.
    pub fn seal_key(&self) -> AppResult<&SealKey> {
        if let Some(k) = self.0.seal_key.get() {
            return Ok(k);
        }
        let key = super::seal_key::load(&self.0.settings).map_err(AppError::Internal)?;
        Ok(self.0.seal_key.get_or_init(|| key))
    }

    /// Whether an anonymous download from `ip` is still within its limit;
    /// if not, how long to wait.
    pub fn public_download_allowed(&self, ip: &str) -> Result<(), std::time::Duration> {
        self.0.public_limiter.check(&ip.to_owned())
    }
}

crate::state::part_of_state!(Services);
