//! The plans feature's own services: page data cached under the data version.

use std::sync::Arc;

use super::{MyDutiesData, ReviewData};
use crate::web::cache::VersionedCache;

#[derive(Clone)]
pub struct Services {
    pub review_cache: Arc<VersionedCache<i64, ReviewData>>,
    /// Keyed by user and page.
    pub duties_cache: Arc<VersionedCache<(i64, i64), MyDutiesData>>,
}

impl Services {
    pub fn new() -> Self {
        Self {
            review_cache: Arc::new(VersionedCache::new(256)),
            duties_cache: Arc::new(VersionedCache::new(4096)),
        }
    }
}

impl Default for Services {
    fn default() -> Self {
        Self::new()
    }
}

crate::state::part_of_state!(Services);
