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
use std::fmt::Write;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

use rustc_hash::FxBuildHasher;

use crate::matching::NameHit;

const SHARDS: usize = 16;

/// The query as one string (see [`key_into`]), so that a look-up borrows a reused
/// buffer instead of allocating a key: most look-ups find their entry.
type Shard = Mutex<HashMap<Box<str>, Arc<[NameHit]>, FxBuildHasher>>;

/// Writes the key of a query into `buf`: the threshold's bits, the country's length
/// and text, then the name. Each part is delimited by a length or a fixed size, so two
/// different queries never share a key.
fn key_into(buf: &mut String, name: &str, country: Option<&str>, threshold: f64) {
    buf.clear();
    for b in threshold.to_bits().to_le_bytes() {
        buf.push(char::from(b));
    }
    match country {
        // Country codes are short; a longer text still gets an unambiguous length.
        Some(c) => {
            // Writing to a String cannot fail.
            let _ = write!(buf, "{}:", c.len());
            buf.push_str(c);
        }
        None => buf.push('-'),
    }
    buf.push_str(name);
}

thread_local! {
    static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

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
        let shard_of = |key: &str| FxBuildHasher.hash_one(key) as usize % SHARDS;
        let found = KEY.with(|k| {
            let mut key = k.borrow_mut();
            key_into(&mut key, name, country, threshold);
            let shard = self.shards.get(shard_of(key.as_str()))?;
            let hit = shard
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(key.as_str())
                .cloned();
            // A key of its own only for a new entry.
            Some(match hit {
                Some(hits) => Ok(hits),
                None => Err((Box::<str>::from(key.as_str()), shard)),
            })
        });
        let (key, shard) = match found {
            Some(Ok(hits)) => return hits,
            Some(Err(new)) => new,
            None => return search().into(),
        };
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
    fn different_queries_never_share_a_key() {
        let queries: [(&str, Option<&str>, f64); 6] = [
            ("KP", None, 0.8),
            ("", Some("KP"), 0.8),
            ("2:KPACME", None, 0.8),
            ("ACME", Some("KP"), 0.8),
            ("ACME", Some("KP"), 0.7),
            ("PACME", Some("K"), 0.8),
        ];
        let keys: Vec<String> = queries
            .iter()
            .map(|(n, c, t)| {
                let mut k = String::new();
                key_into(&mut k, n, *c, *t);
                k
            })
            .collect();
        for (i, a) in keys.iter().enumerate() {
            for b in keys.iter().skip(i + 1) {
                assert_ne!(a, b);
            }
        }
    }

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
