//! A fixed-window counter per key (IP, or IP and user name, or a contest
//! participant) for public endpoints.
//!
//! A B-tree map, not a hash map: a hash map that grows to hundreds of
//! thousands of participants rehashes everything at once while every
//! request waits on the lock; a B-tree grows a node at a time.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window: Duration,
    hits: Mutex<Hits>,
}

#[derive(Debug)]
struct Hits {
    by_key: BTreeMap<String, (u32, Instant)>,
    last_sweep: Instant,
}

/// Above this many keys, expired ones are swept (at most once a window).
const SWEEP_ABOVE: usize = 100_000;

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            hits: Mutex::new(Hits {
                by_key: BTreeMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    /// Counts one hit; false once the key has used up its window.
    pub fn hit(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut guard = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let Hits {
            by_key: hits,
            last_sweep,
        } = &mut *guard;
        if hits.len() > SWEEP_ABOVE && now.duration_since(*last_sweep) >= self.window {
            // Bound memory under a flood of distinct keys.
            hits.retain(|_, (_, start)| now.duration_since(*start) < self.window);
            *last_sweep = now;
        }
        // Look up before inserting: the key is copied only for a new address.
        let Some(entry) = hits.get_mut(key) else {
            hits.insert(key.to_owned(), (1, now));
            return self.max >= 1;
        };
        if now.duration_since(entry.1) >= self.window {
            *entry = (0, now);
        }
        entry.0 += 1;
        entry.0 <= self.max
    }

    pub fn reset(&self, key: &str) {
        self.hits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_key
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_within_the_window() {
        let rl = RateLimiter::new(2, Duration::from_secs(60));
        assert!(rl.hit("a"));
        assert!(rl.hit("a"));
        assert!(!rl.hit("a"));
        assert!(rl.hit("b"));
        rl.reset("a");
        assert!(rl.hit("a"));
    }
}
