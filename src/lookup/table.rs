//! A read-only hash table from nonzero integer keys, for the look-ups made for every
//! word of every description (the terms' vocabulary, the trie's edges) and every digit
//! of every tariff code.
//!
//! It is built once from the ruleset and then only read. Open addressing with linear
//! probing in one flat array at most a quarter full, and a multiplicative hash: a look-up
//! is a multiplication, a shift and usually one or two compares, where a general hash
//! map (even with a fast hasher) spends several times that on its control bytes. The
//! keys come from our own rules; description words are only looked up, so a trader
//! cannot fill a probe chain.

/// A key of a [`Table`]: an integer, 0 being no key.
pub(crate) trait Key: Copy + Eq + Default {
    /// The key's bits mixed into 64, of which the table keeps the top ones.
    fn mix(self) -> u64;
}

impl Key for u64 {
    #[inline]
    fn mix(self) -> u64 {
        self.wrapping_mul(MULTIPLIER)
    }
}

impl Key for u128 {
    #[inline]
    fn mix(self) -> u64 {
        let (low, high) = (self as u64, (self >> 64) as u64);
        (low ^ high.wrapping_mul(MULTIPLIER)).wrapping_mul(MULTIPLIER)
    }
}

/// A table from nonzero keys to `V`.
#[derive(Debug, Clone)]
pub(crate) struct Table<K, V> {
    /// `(key, value)`; key 0 marks an empty slot.
    slots: Box<[(K, V)]>,
    /// `64 - log2(slots.len())`: the hash keeps the top bits of the mixed key.
    shift: u32,
}

/// The table of most look-ups: words of at most 7 bytes, trie edges, code prefixes.
pub(crate) type U64Table<V> = Table<u64, V>;

/// Words of 8 to 15 bytes (see `terms::pack_long`).
pub(crate) type U128Table<V> = Table<u128, V>;

/// An odd constant with well-mixed bits (2^64 / golden ratio).
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

impl<K: Key, V: Copy + Default> Table<K, V> {
    /// A table holding `entries`; a key 0 is left out (it marks empty slots), and of
    /// two entries with one key the last wins.
    pub(crate) fn new(entries: impl IntoIterator<Item = (K, V)>) -> Self {
        let entries: Vec<(K, V)> = entries
            .into_iter()
            .filter(|e| e.0 != K::default())
            .collect();
        // At most a quarter full: most words of a description are looked up in vain,
        // and a miss then meets an empty slot at the first or second probe.
        let size = (entries.len() * 4).next_power_of_two().max(16);
        let mut table = Table {
            slots: vec![(K::default(), V::default()); size].into_boxed_slice(),
            shift: 64 - size.trailing_zeros(),
        };
        for (key, value) in entries {
            let mask = table.slots.len() - 1;
            let mut i = table.home(key);
            while let Some(slot) = table.slots.get_mut(i) {
                if slot.0 == K::default() || slot.0 == key {
                    *slot = (key, value);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        table
    }

    fn home(&self, key: K) -> usize {
        (key.mix() >> self.shift) as usize
    }

    /// The value of `key`, if the table holds it.
    #[inline]
    pub(crate) fn get(&self, key: K) -> Option<V> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        // The table is never full, so the walk meets an empty slot; the bound on the
        // loop only keeps a broken table from hanging it.
        for _ in 0..self.slots.len() {
            let &(k, v) = self.slots.get(i)?;
            // Empty first, so that key 0 is never found.
            if k == K::default() {
                return None;
            }
            if k == key {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use std::fmt::Debug;
    use std::hash::Hash;

    /// The table built from `entries` answers every key of theirs, every probe and
    /// `extremes` as a `HashMap` of the same entries does (key 0 left out).
    fn assert_as_hash_map<K: Key + Hash + Debug + From<u8>>(
        entries: &[(K, u32)],
        probes: &[K],
        extremes: [K; 3],
    ) -> Result<(), TestCaseError> {
        let table = Table::new(entries.iter().copied());
        let map: HashMap<K, u32> = entries
            .iter()
            .copied()
            .filter(|e| e.0 != K::from(0))
            .collect();
        let keys = entries.iter().map(|e| e.0).chain(probes.iter().copied());
        for key in keys.chain(extremes) {
            prop_assert_eq!(table.get(key), map.get(&key).copied(), "{:?}", key);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn answers_as_a_hash_map(
            entries in prop::collection::vec((any::<u64>(), any::<u32>()), 0..300),
            probes in prop::collection::vec(any::<u64>(), 0..50),
        ) {
            assert_as_hash_map(&entries, &probes, [0, 1, u64::MAX])?;
        }

        #[test]
        fn answers_as_a_hash_map_with_wide_keys(
            entries in prop::collection::vec((any::<u128>(), any::<u32>()), 0..300),
            probes in prop::collection::vec(any::<u128>(), 0..50),
        ) {
            assert_as_hash_map(&entries, &probes, [0, 1, u128::MAX])?;
        }
    }
}
