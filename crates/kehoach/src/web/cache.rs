//! Page data cached under the data version. Every audited write bumps the
//! version in the database (whichever process or server makes it), and every
//! request reads it together with its session, so an entry is reused only
//! while nothing at all has been written since it was loaded.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct VersionedCache<K, V> {
    entries: Mutex<HashMap<K, (i64, Arc<V>)>>,
    max_entries: usize,
}

impl<K: Eq + Hash + Clone, V> VersionedCache<K, V> {
    pub fn new(max_entries: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries,
        }
    }

    /// The value for `key` at `version`, loading it when absent or stale.
    pub async fn get<E, F, Fut>(&self, key: K, version: i64, load: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some((v, value)) = self.lock().get(&key)
            && *v == version
        {
            return Ok(value.clone());
        }
        let value = Arc::new(load().await?);
        let mut entries = self.lock();
        if entries.len() >= self.max_entries {
            entries.retain(|_, (v, _)| *v == version);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert(key, (version, value.clone()));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (i64, Arc<V>)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reloads_only_when_the_version_moves() {
        let cache: VersionedCache<i64, String> = VersionedCache::new(2);
        let load = |s: &'static str| move || async move { Ok::<_, ()>(s.to_owned()) };
        assert_eq!(*cache.get(1, 7, load("a")).await.unwrap(), "a");
        assert_eq!(*cache.get(1, 7, load("b")).await.unwrap(), "a");
        assert_eq!(*cache.get(1, 8, load("c")).await.unwrap(), "c");
        for k in 2..10 {
            cache.get(k, 8, load("x")).await.unwrap();
        }
        assert!(cache.lock().len() <= 2);
    }
}
