//! A bounded memo of name searches, shared by every thread screening with one
//! [`super::Screener`].
//!
//! Order files name the same counterparties over and over (a trader's buyers, banks
//! and carriers), and a name search is the costliest step of screening an order, so
//! each distinct (name, country, threshold) is searched once. The memo holds at most
//! a fixed number of entries: a shard that fills up is emptied and starts again, which
//! keeps memory bounded without the bookkeeping of an LRU. Results are the same with
//! or without it; only the time differs.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

use rustc_hash::FxBuildHasher;

use crate::matching::NameHit;

const SHARDS: usize = 16;

type Key = (Box<str>, Option<Box<str>>, u64);
type Shard = Mutex<HashMap<Key, Arc<[NameHit]>, FxBuildHasher>>;

/// Name search results by query.
pub(crate) struct NameCache {
    shards: Vec<Shard>,
    per_shard: usize,
}

impl NameCache {
    /// A memo of at most `capacity` entries; 0 remembers nothing.
    pub(crate) fn new(capacity: usize) -> NameCache {
        NameCache {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            per_shard: capacity.div_ceil(SHARDS),
        }
    }

    /// The hits remembered for the query, or `search`'s, remembered.
    pub(crate) fn get_or_search(
        &self,
        name: &str,
        country: Option<&str>,
        threshold: f64,
        search: impl FnOnce() -> Vec<NameHit>,
    ) -> Arc<[NameHit]> {
        if self.per_shard == 0 {
            return search().into();
        }
        let key: Key = (name.into(), country.map(Into::into), threshold.to_bits());
        let Some(shard) = self
            .shards
            .get(FxBuildHasher.hash_one(&key) as usize % SHARDS)
        else {
            return search().into();
        };
        // A panic elsewhere while holding the lock leaves a map that is still valid.
        if let Some(hits) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return hits.clone();
        }
        // Searching outside the lock: two threads may search the same new name at
        // once, which costs a little time and nothing else.
        let hits: Arc<[NameHit]> = search().into();
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.per_shard {
            map.clear();
        }
        map.insert(key, hits.clone());
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_within_capacity_and_stays_bounded() {
        // Room for 100 names per shard: ten names never fill one.
        let cache = NameCache::new(1600);
        let mut searches = 0;
        for round in 0..2 {
            for i in 0..10 {
                let name = format!("name {i}");
                let hits = cache.get_or_search(&name, None, 0.8, || {
                    searches += 1;
                    Vec::new()
                });
                assert!(hits.is_empty());
            }
            assert_eq!(searches, 10, "round {round}: each name searched once");
        }
        // Another threshold or country is another query.
        cache.get_or_search("name 1", Some("KP"), 0.8, || {
            searches += 1;
            Vec::new()
        });
        assert_eq!(searches, 11);
        let cache = NameCache::new(32);
        for i in 0..10_000 {
            cache.get_or_search(&format!("other {i}"), None, 0.8, Vec::new);
        }
        let held: usize = cache
            .shards
            .iter()
            .map(|s| s.lock().map(|m| m.len()).unwrap_or(0))
            .sum();
        assert!(held <= 32, "{held}");
    }
}
