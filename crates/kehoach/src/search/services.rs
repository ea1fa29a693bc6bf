//! The search's own service: the folded corpus, cached under the data version.

use std::sync::Arc;

use super::Corpus;
use crate::web::cache::VersionedCache;

#[derive(Clone)]
pub struct Services {
    pub search_cache: Arc<VersionedCache<(), Corpus>>,
}

impl Services {
    pub fn new() -> Self {
        Self {
            search_cache: Arc::new(VersionedCache::new(1)),
        }
    }
}

impl Default for Services {
    fn default() -> Self {
        Self::new()
    }
}

crate::state::part_of_state!(Services);
