//! The contests feature's state: the shared core, plus open rounds in
//! memory, the group-commit writer, the token signer and the public side's
//! own rate limits. Contest handlers take it in place of `AppState`; it
//! derefs to the shared core (`db`, `settings`).

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use super::ContestRow;
use super::live::Live;
use super::token::Signer;
use super::writer::Writer;
use crate::db::Db;
use crate::state::{AppState, Core};
use crate::web::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct Services(Arc<Inner>);

pub struct Inner {
    pub core: AppState,
    pub contest_live: Live,
    pub contest_writer: Writer,
    contest_signer: tokio::sync::OnceCell<Signer>,
    /// Many participants share one address (schools, mobile carriers'
    /// NAT), so the per-address limit is generous and configurable.
    pub contest_ip_limiter: RateLimiter,
    pub participant_limiter: RateLimiter<i64>,
    /// Tries to continue a registration on another device, per address.
    pub recovery_limiter: RateLimiter,
}

impl Services {
    pub fn new(core: &AppState) -> Self {
        let settings = &core.settings;
        Self(Arc::new(Inner {
            contest_writer: Writer::spawn(&core.db, settings.contest_queue),
            contest_live: Live::default(),
            contest_signer: Default::default(),
            contest_ip_limiter: RateLimiter::new(
                settings.contest_ip_per_minute,
                Duration::from_secs(60),
            )
            .with_max_keys(1_000_000),
            // A surge brings hundreds of thousands of participants a
            // minute; a million small cells bound the memory (~100 MiB).
            participant_limiter: RateLimiter::new(120, Duration::from_secs(60))
                .with_max_keys(1_000_000),
            recovery_limiter: RateLimiter::new(30, Duration::from_secs(15 * 60)),
            core: core.clone(),
        }))
    }

    /// The token signer, keyed by a secret kept in the database so that
    /// every server of an installation (and the command line) agrees.
    pub async fn signer(&self) -> Result<&Signer, sqlx::Error> {
        self.0
            .contest_signer
            .get_or_try_init(|| stored_signer(&self.core.db))
            .await
    }

    /// A contest's settings, cached until the office changes the contest.
    pub async fn contest_settings(&self, id: i64) -> Result<Option<Arc<ContestRow>>, sqlx::Error> {
        self.contest_live.contest(&self.core.db, id).await
    }
}

/// The token signer, keyed by the installation's stored secret.
pub async fn stored_signer(db: &Db) -> Result<Signer, sqlx::Error> {
    let key = crate::db::secret(db, "contest_tokens").await?;
    Ok(Signer::new(key.as_bytes()))
}

impl Deref for Services {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Deref for Inner {
    type Target = Core;
    fn deref(&self) -> &Core {
        &self.core
    }
}

crate::state::part_of_state!(Services);
