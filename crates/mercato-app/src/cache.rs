//! The small in-process catalog cache (DESIGN.md §3): the taxonomy
//! (markets, attributes, categories, brands) and resolved product views.
//!
//! Every catalog write on this node bumps a generation, which invalidates
//! at once; entries also expire after [`TTL`], which bounds how long another
//! node's change can stay unseen here. Prices per customer are applied after
//! the cache (they are not in these views).

use crate::catalog::ProductView;

/// A product view with its JSON body and ETag, computed once per cache fill.
pub struct CachedProduct {
    pub view: ProductView,
    pub json: Vec<u8>,
    pub etag: String,
}
use mercato_core::attribute::AttributeDef;
use mercato_core::catalog::{Brand, Category};
use mercato_core::market::Market;
use mercato_core::{BrandId, CategoryId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long an entry may be served without checking the database.
pub const TTL: Duration = Duration::from_secs(1);
/// Product views kept at most (the map is cleared when full: simple, and
/// a catalog page set that large is refetched within a second anyway).
const MAX_VIEWS: usize = 20_000;

/// Markets, attribute definitions, categories and brands, loaded together.
pub struct Taxonomy {
    pub markets: Vec<Market>,
    pub attributes: Arc<HashMap<String, AttributeDef>>,
    pub categories: Arc<HashMap<CategoryId, Category>>,
    pub brands: Arc<HashMap<BrandId, Brand>>,
}

type ViewKey = (String, String, String);

/// What the cache holds for a view.
pub enum ViewLookup {
    Fresh(Option<Arc<CachedProduct>>),
    /// Expired by age: serve it, and refresh it off the request path.
    Stale(Option<Arc<CachedProduct>>),
    Miss,
}
/// (generation, loaded or claimed at, the view or "not visible").
type ViewEntry = (u64, Instant, Option<Arc<CachedProduct>>);

/// The cache itself; one per `App`.
#[derive(Default)]
pub struct CatalogCache {
    generation: AtomicU64,
    taxonomy: RwLock<Option<(u64, Instant, Arc<Taxonomy>)>>,
    views: Mutex<HashMap<ViewKey, ViewEntry>>,
}

impl CatalogCache {
    /// Forgets everything: called after every catalog write.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn fresh(&self, generation: u64, at: Instant) -> bool {
        generation == self.generation.load(Ordering::SeqCst) && at.elapsed() < TTL
    }

    /// The cached taxonomy, if fresh; like [`CatalogCache::view`], one
    /// caller refreshes an expired entry while the others keep the old one.
    pub fn taxonomy(&self) -> Option<Arc<Taxonomy>> {
        {
            let guard = self.taxonomy.read().ok()?;
            let (g, at, t) = guard.as_ref()?;
            if self.fresh(*g, *at) {
                return Some(t.clone());
            }
        }
        let mut guard = self.taxonomy.write().ok()?;
        let (g, at, t) = guard.as_mut()?;
        if *g != self.generation.load(Ordering::SeqCst) {
            return None;
        }
        if at.elapsed() < TTL {
            // Another caller is refreshing (or just did).
            return Some(t.clone());
        }
        *at = Instant::now();
        None
    }

    /// The current generation, to stamp a value loaded from now on.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps a taxonomy loaded at `generation`.
    pub fn put_taxonomy(&self, generation: u64, t: Arc<Taxonomy>) {
        if let Ok(mut guard) = self.taxonomy.write() {
            *guard = Some((generation, Instant::now(), t));
        }
    }

    /// A cached view (`Some(None)` inside: cached as not visible / not found).
    ///
    /// An entry expired by age (not by a local write) is handed out once as
    /// [`ViewLookup::Stale`]: that caller starts a refresh in the
    /// background and serves the old value, and everyone else keeps getting
    /// it as fresh meanwhile, so an expiry neither sends concurrent requests
    /// to the database at once nor makes any request wait for the reload.
    pub fn lookup_view(&self, key: &ViewKey) -> ViewLookup {
        let Ok(mut guard) = self.views.lock() else {
            return ViewLookup::Miss;
        };
        let current = self.generation.load(Ordering::SeqCst);
        let Some((g, at, v)) = guard.get_mut(key) else {
            return ViewLookup::Miss;
        };
        if *g != current {
            return ViewLookup::Miss;
        }
        if at.elapsed() < TTL {
            return ViewLookup::Fresh(v.clone());
        }
        // This caller refreshes; the others see the entry as fresh until it is done.
        *at = Instant::now();
        ViewLookup::Stale(v.clone())
    }

    /// Keeps a view loaded at `generation`.
    pub fn put_view(&self, generation: u64, key: ViewKey, view: Option<Arc<CachedProduct>>) {
        if let Ok(mut guard) = self.views.lock() {
            if guard.len() >= MAX_VIEWS {
                guard.clear();
            }
            guard.insert(key, (generation, Instant::now(), view));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key() -> ViewKey {
        ("bolt".into(), "cn".into(), "en".into())
    }

    /// Backdates the entry as if it had been loaded `age` ago.
    fn age(cache: &CatalogCache, age: Duration) {
        let mut guard = cache.views.lock().unwrap();
        let entry = guard.get_mut(&key()).unwrap();
        entry.1 = Instant::now().checked_sub(age).unwrap();
    }

    #[test]
    fn an_expired_view_is_served_stale_once_then_fresh_and_a_write_forgets_it() {
        let cache = CatalogCache::default();
        assert!(matches!(cache.lookup_view(&key()), ViewLookup::Miss));
        cache.put_view(cache.generation(), key(), None);
        assert!(matches!(cache.lookup_view(&key()), ViewLookup::Fresh(None)));
        age(&cache, TTL * 2);
        // The first caller after expiry refreshes in the background…
        assert!(matches!(cache.lookup_view(&key()), ViewLookup::Stale(None)));
        // …while everyone else keeps the old value without waiting.
        assert!(matches!(cache.lookup_view(&key()), ViewLookup::Fresh(None)));
        // A local catalog write forgets it at once.
        cache.invalidate();
        assert!(matches!(cache.lookup_view(&key()), ViewLookup::Miss));
    }
}
