//! A fixed-window counter per key (IP, or IP and user name) for public
//! endpoints such as the login form.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window: Duration,
    hits: Mutex<HashMap<String, (u32, Instant)>>,
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit; false once the key has used up its window.
    pub fn hit(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if hits.len() > 100_000 {
            // Bound memory under a flood of distinct keys.
            hits.retain(|_, (_, start)| now.duration_since(*start) < self.window);
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
