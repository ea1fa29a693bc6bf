//! Rate limits per key (an address, a user name, a contest participant) by
//! governor's GCRA limiter: one small cell per key in a sharded map, so a
//! surge of contest entries does not queue on one lock.
//!
//! A limiter may have several tiers ("5 quickly, then 1 every 30 s; 20 in
//! all, then 1 every 5 min"): each further tier makes the wait longer, so a
//! guesser slows down without a hard lock-out of everyone behind one address.
//!
//! The map is bounded: above `max_keys` the idle keys (whose allowance is
//! full again) are swept; if live keys still fill it, hits are refused until
//! some expire. The size is looked at every 256 hits, so the map may pass its
//! bound by at most that many keys. Memory stays bounded whatever the keys an
//! attacker sends.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// One tier: `burst` hits at once, then one more every `every`.
#[derive(Debug, Clone, Copy)]
pub struct Tier {
    pub burst: u32,
    pub every: Duration,
}

pub struct RateLimiter<K: Hash + Eq + Clone = String> {
    tiers: Vec<DefaultKeyedRateLimiter<K>>,
    clock: DefaultClock,
    max_keys: usize,
    /// Milliseconds since `started` of the last sweep; sweeps are O(keys),
    /// so a flood triggers at most one a second.
    last_sweep_ms: AtomicU64,
    /// Hits counted since the size was last looked at: counting keys locks
    /// every shard, so it is done once per `SIZE_EVERY` hits, not per hit.
    hits: AtomicU64,
    /// Whether the map was full when last looked at.
    full: std::sync::atomic::AtomicBool,
    started: Instant,
}

impl<K: Hash + Eq + Clone> std::fmt::Debug for RateLimiter<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("tiers", &self.tiers.len())
            .field("max_keys", &self.max_keys)
            .finish()
    }
}

/// The most keys a limiter holds unless told otherwise.
pub const DEFAULT_MAX_KEYS: usize = 100_000;

/// How often (in hits) the number of keys is looked at; between two looks
/// at most this many new keys can pass the bound.
const SIZE_EVERY: u64 = 256;

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `max` hits per `window` per key, replenished smoothly.
    pub fn new(max: u32, window: Duration) -> Self {
        let max = max.max(1);
        Self::tiered(&[Tier {
            burst: max,
            every: window / max,
        }])
    }

    pub fn tiered(tiers: &[Tier]) -> Self {
        let tiers = tiers
            .iter()
            .map(|t| {
                let burst = NonZeroU32::new(t.burst.max(1)).unwrap_or(NonZeroU32::MIN);
                let quota = Quota::with_period(t.every.max(Duration::from_millis(1)))
                    .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
                    .allow_burst(burst);
                governor::RateLimiter::dashmap(quota)
            })
            .collect();
        Self {
            tiers,
            clock: DefaultClock::default(),
            max_keys: DEFAULT_MAX_KEYS,
            last_sweep_ms: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            full: std::sync::atomic::AtomicBool::new(false),
            started: Instant::now(),
        }
    }

    pub fn with_max_keys(mut self, max_keys: usize) -> Self {
        self.max_keys = max_keys.max(1);
        self
    }

    /// Counts one hit against every tier; on refusal, how long to wait.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        // The size is looked at once per `SIZE_EVERY` hits; in between, the
        // last answer stands (a full map refuses until a look finds room).
        let full = if self
            .hits
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SIZE_EVERY)
        {
            let full = self.len() >= self.max_keys && !self.sweep();
            self.full.store(full, Ordering::Relaxed);
            full
        } else {
            self.full.load(Ordering::Relaxed)
        };
        if full {
            return Err(Duration::from_secs(1));
        }
        let mut wait = Duration::ZERO;
        for tier in &self.tiers {
            if let Err(not_until) = tier.check_key(key) {
                wait = wait.max(not_until.wait_time_from(self.clock.now()));
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.max(Duration::from_secs(1)))
        }
    }

    /// Counts one hit; false once the key has used up its allowance.
    pub fn hit(&self, key: &K) -> bool {
        self.check(key).is_ok()
    }

    /// How many keys are held now (the largest tier).
    pub fn len(&self) -> usize {
        self.tiers.iter().map(|t| t.len()).max().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops idle keys, at most once a second; true if there is room after.
    fn sweep(&self) -> bool {
        let now_ms = self.started.elapsed().as_millis() as u64;
        let last = self.last_sweep_ms.load(Ordering::Relaxed);
        if now_ms.saturating_sub(last) >= 1000
            && self
                .last_sweep_ms
                .compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            for tier in &self.tiers {
                tier.retain_recent();
                tier.shrink_to_fit();
            }
        }
        self.len() < self.max_keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_tells_how_long_to_wait() {
        let rl: RateLimiter = RateLimiter::new(2, Duration::from_secs(60));
        assert!(rl.hit(&"a".to_owned()));
        assert!(rl.hit(&"a".to_owned()));
        let wait = rl.check(&"a".to_owned()).unwrap_err();
        assert!(wait > Duration::from_secs(20) && wait <= Duration::from_secs(30));
        assert!(rl.hit(&"b".to_owned()));
    }

    #[test]
    fn a_second_tier_makes_the_wait_longer() {
        let rl: RateLimiter<u8> = RateLimiter::tiered(&[
            Tier {
                burst: 2,
                every: Duration::from_millis(1),
            },
            Tier {
                burst: 3,
                every: Duration::from_secs(300),
            },
        ]);
        assert!(rl.hit(&1) && rl.hit(&1));
        std::thread::sleep(Duration::from_millis(5));
        assert!(rl.hit(&1));
        let wait = rl.check(&1).unwrap_err();
        assert!(wait > Duration::from_secs(200), "{wait:?}");
    }

    #[test]
    fn the_map_never_holds_more_than_its_bound() {
        let rl: RateLimiter<u32> = RateLimiter::new(5, Duration::from_secs(60)).with_max_keys(100);
        let allowed = (0..10_000).filter(|k| rl.hit(k)).count();
        assert!(allowed <= 100 + SIZE_EVERY as usize, "{allowed}");
        assert!(rl.len() <= 100 + SIZE_EVERY as usize);
    }
}
