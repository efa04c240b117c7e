//! The index's look-up tables as flat sorted arrays: a key (a word's text, a deletion
//! variant's hash, a trigram) to the ids filed under it.
//!
//! Hash maps keyed by strings and integers cost a compiled ruleset most of its start:
//! every entry is hashed and inserted again, and every string key and id list is a heap
//! allocation of its own. These tables are a handful of integer arrays instead, written
//! to an artifact as raw little-endian bytes (see [`raw`]) and read back at the speed
//! of a copy. A look-up mixes the key, takes its top bits as a bucket and scans the
//! bucket's entries (one or two, the buckets being as many as the entries): about the
//! cost of a hash map's probe.

use serde::{Deserialize, Serialize};

use rustc_hash::FxHashMap;

/// An odd constant with well-mixed bits (2^64 / golden ratio): keys are multiplied by
/// it, so that trigrams (small integers) spread over the buckets as hashes do.
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// The seed of the hash of string keys.
const TEXT_SALT: u64 = 0x5bd1_e995;

fn mix(key: u64) -> u64 {
    key.wrapping_mul(MULTIPLIER)
}

fn text_hash(text: &str) -> u64 {
    mix(super::build::fnv(TEXT_SALT, text.bytes()))
}

/// A read-only map from keys (integers, or strings kept beside their hashes) to lists
/// of ids.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(super) struct Groups {
    /// Each entry's mixed key, rising.
    #[serde(with = "raw")]
    keys: Vec<u64>,
    /// Entry `e`'s ids are `ids[off[e]..off[e + 1]]`.
    #[serde(with = "raw")]
    off: Vec<u32>,
    #[serde(with = "raw")]
    ids: Vec<u32>,
    /// The entries whose mixed key's top bits are `b` are `buckets[b]..buckets[b + 1]`.
    #[serde(with = "raw")]
    buckets: Vec<u32>,
    /// `64 - log2(buckets.len() - 1)`.
    shift: u32,
    /// For string keys, entry `e`'s text is `text[text_off[e]..text_off[e + 1]]`
    /// (two entries may share a hash); empty for integer keys.
    #[serde(with = "raw")]
    text_off: Vec<u32>,
    text: String,
}

impl Groups {
    /// Integer keys each with one id, from `(key, id)` pairs in any order; each key's
    /// ids rising, without repeats.
    pub(super) fn from_pairs(mut pairs: Vec<(u64, u32)>) -> Groups {
        // Mixing is one-to-one: sorted by mixed key, the pairs are grouped as the
        // table lays them out, with no second sort of the groups.
        for p in &mut pairs {
            p.0 = mix(p.0);
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut entries: Vec<(u64, &str, usize, usize)> = Vec::new();
        let mut at = 0;
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            if let Some(&(k, _)) = group.first() {
                entries.push((k, "", at, at + group.len()));
            }
            at += group.len();
        }
        let ids: Vec<u32> = pairs.iter().map(|p| p.1).collect();
        Groups::from_sorted(&entries, &ids, false)
    }

    /// String keys and their ids, each list kept in its order.
    pub(super) fn from_texts(map: &FxHashMap<Box<str>, Vec<u32>>) -> Groups {
        let mut ids: Vec<u32> = Vec::with_capacity(map.values().map(Vec::len).sum());
        let mut entries: Vec<(u64, &str, usize, usize)> = Vec::with_capacity(map.len());
        for (k, v) in map {
            entries.push((text_hash(k), k, ids.len(), ids.len() + v.len()));
            ids.extend_from_slice(v);
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        Groups::from_sorted(&entries, &ids, true)
    }

    /// `entries` (mixed key, text, range of `ids`) sorted by mixed key.
    fn from_sorted(entries: &[(u64, &str, usize, usize)], ids: &[u32], texts: bool) -> Groups {
        let n = entries.len();
        let nb = n.next_power_of_two().max(2);
        let shift = 64 - nb.trailing_zeros();
        let mut g = Groups {
            keys: Vec::with_capacity(n),
            off: Vec::with_capacity(n + 1),
            ids: Vec::with_capacity(ids.len()),
            buckets: Vec::with_capacity(nb + 1),
            shift,
            text_off: Vec::with_capacity(if texts { n + 1 } else { 0 }),
            text: String::new(),
        };
        g.off.push(0);
        if texts {
            g.text_off.push(0);
        }
        for &(k, text, from, to) in entries {
            g.keys.push(k);
            g.ids
                .extend_from_slice(ids.get(from..to).unwrap_or_default());
            g.off.push(g.ids.len() as u32);
            if texts {
                g.text.push_str(text);
                g.text_off.push(g.text.len() as u32);
            }
        }
        // buckets[b] = the first entry whose bucket is b or later.
        let mut e = 0usize;
        for b in 0..=nb {
            while g.keys.get(e).is_some_and(|&k| ((k >> shift) as usize) < b) {
                e += 1;
            }
            g.buckets.push(e as u32);
        }
        g
    }

    /// The entries of mixed key `k`'s bucket.
    #[inline]
    fn bucket(&self, k: u64) -> std::ops::Range<usize> {
        let b = (k >> self.shift) as usize;
        let at = |i: usize| self.buckets.get(i).copied().unwrap_or(0) as usize;
        at(b)..at(b + 1)
    }

    #[inline]
    fn ids_of(&self, e: usize) -> &[u32] {
        let at = |i: usize| self.off.get(i).copied().unwrap_or(0) as usize;
        self.ids.get(at(e)..at(e + 1)).unwrap_or(&[])
    }

    /// The ids filed under integer key `key`.
    #[inline]
    pub(super) fn get_int(&self, key: u64) -> Option<&[u32]> {
        let k = mix(key);
        let r = self.bucket(k);
        let e = r.start + self.keys.get(r)?.iter().position(|&x| x == k)?;
        Some(self.ids_of(e))
    }

    /// Appends to `out` the ids filed under each of the integer keys `keys` (those of
    /// no key, in no particular order: callers sort them). The table is read a stage
    /// at a time for all keys, bucket bounds, then entries, then id ranges, so that
    /// the reads of different keys, each most often a cache miss, overlap rather than
    /// wait on one another. `spans` is scratch space.
    pub(super) fn get_ints_into(
        &self,
        keys: &[u64],
        spans: &mut Vec<(u32, u32)>,
        out: &mut Vec<u32>,
    ) {
        spans.clear();
        spans.extend(keys.iter().map(|&key| {
            let r = self.bucket(mix(key));
            (r.start as u32, r.end as u32)
        }));
        for (span, &key) in spans.iter_mut().zip(keys) {
            let k = mix(key);
            let (from, to) = (span.0 as usize, span.1 as usize);
            let found = self
                .keys
                .get(from..to)
                .and_then(|ks| ks.iter().position(|&x| x == k));
            // An entry `e` becomes (e, e + 1); no entry, an empty span.
            *span = found.map_or((0, 0), |p| ((from + p) as u32, (from + p + 1) as u32));
        }
        for span in spans.iter_mut() {
            if span.1 > span.0 {
                let at = |i: u32| self.off.get(i as usize).copied().unwrap_or(0);
                *span = (at(span.0), at(span.1));
            }
        }
        for &(from, to) in spans.iter() {
            if let Some(ids) = self.ids.get(from as usize..to as usize) {
                out.extend_from_slice(ids);
            }
        }
    }

    /// The ids filed under string key `text`.
    #[inline]
    pub(super) fn get(&self, text: &str) -> Option<&[u32]> {
        let k = text_hash(text);
        let r = self.bucket(k);
        for (e, &x) in self.keys.get(r.clone())?.iter().enumerate() {
            if x != k {
                continue;
            }
            let e = r.start + e;
            let at = |i: usize| self.text_off.get(i).copied().unwrap_or(0) as usize;
            if self.text.get(at(e)..at(e + 1)) == Some(text) {
                return Some(self.ids_of(e));
            }
        }
        None
    }

    /// A filter of this table's keys (see [`KeyFilter`]).
    pub(super) fn key_filter(&self) -> KeyFilter {
        KeyFilter::of(&self.keys)
    }

    /// Every id held.
    pub(super) fn all_ids(&self) -> &[u32] {
        &self.ids
    }

    /// Heap bytes held.
    pub(super) fn heap_bytes(&self) -> usize {
        self.keys.capacity() * 8
            + (self.off.capacity()
                + self.ids.capacity()
                + self.buckets.capacity()
                + self.text_off.capacity())
                * 4
            + self.text.capacity()
    }

    /// Whether the arrays fit together, so that a look-up finds what was filed (a
    /// damaged table would answer nothing or the wrong ids, never panic).
    pub(super) fn check(&self) -> Result<(), String> {
        let n = self.keys.len();
        let rising = |v: &[u32]| v.windows(2).all(|w| w.first() <= w.get(1));
        let nb = self.buckets.len().saturating_sub(1);
        let ok = nb >= 2
            && nb.is_power_of_two()
            && self.shift == 64 - nb.trailing_zeros()
            && self.keys.windows(2).all(|w| w.first() <= w.get(1))
            && self.off.len() == n + 1
            && rising(&self.off)
            && self
                .off
                .last()
                .is_some_and(|&l| l as usize == self.ids.len())
            && rising(&self.buckets)
            && self.buckets.last().is_some_and(|&l| l as usize == n)
            && self.buckets.first() == Some(&0)
            && (self.text_off.is_empty()
                || (self.text_off.len() == n + 1
                    && rising(&self.text_off)
                    && self
                        .text_off
                        .last()
                        .is_some_and(|&l| l as usize == self.text.len())
                    && self
                        .text_off
                        .iter()
                        .all(|&o| self.text.is_char_boundary(o as usize))))
            && self
                .keys
                .iter()
                .enumerate()
                .all(|(e, &k)| self.bucket(k).contains(&e));
        if ok {
            Ok(())
        } else {
            Err("a look-up table's arrays do not fit together".into())
        }
    }
}

/// Bits of a mixed key set in a [`KeyFilter`] word: four of 64.
const FILTER_BITS: u32 = 4;

/// Which keys a table may hold, in a few bits per key (a Bloom filter of one 64-bit
/// word per key): a key it does not hold is told in one read, most often from cache,
/// where the table's own look-up reads its bucket bounds and then its keys, each a
/// miss in tables of tens of megabytes. Most deletion variants of a query word or run
/// are filed under nothing. Never says no to a key the table holds.
#[derive(Debug, Default)]
pub(super) struct KeyFilter {
    words: Vec<u64>,
    /// `64 - log2(words.len())`.
    shift: u32,
}

impl KeyFilter {
    /// A filter of mixed keys `keys`, at about 10 bits a key (one in 50 to 100 keys
    /// held by none passes).
    fn of(keys: &[u64]) -> KeyFilter {
        let n = (keys.len() * 10 / 64).next_power_of_two().max(1);
        let mut f = KeyFilter {
            words: vec![0; n],
            shift: 64 - n.trailing_zeros(),
        };
        for &k in keys {
            let (w, bits) = f.place(k);
            if let Some(x) = f.words.get_mut(w) {
                *x |= bits;
            }
        }
        f
    }

    /// The word of mixed key `k` (its top bits) and its bits there (from the bits
    /// below, which the word's choice leaves independent).
    #[inline]
    fn place(&self, k: u64) -> (usize, u64) {
        let w = k.checked_shr(self.shift).unwrap_or(0) as usize;
        let bits = (0..FILTER_BITS).fold(0u64, |m, j| m | 1 << ((k >> (6 * j)) & 63));
        (w, bits)
    }

    /// Whether integer key `key` may be among the table's keys.
    #[inline]
    pub(super) fn may_hold(&self, key: u64) -> bool {
        let (w, bits) = self.place(mix(key));
        self.words.get(w).is_none_or(|x| x & bits == bits)
    }
}

/// Arrays of integers written as their little-endian bytes, one `bytes` value in the
/// serde data model, rather than an integer at a time: postcard would write each as
/// a varint and read each back through its decoder, which was most of the cost of
/// reading a compiled ruleset's name index.
pub(super) mod raw {
    use serde::{Deserialize, Deserializer, Serializer};

    /// A value of fixed size in little-endian bytes.
    pub(in crate::matching::index) trait Raw: Sized {
        /// Its size in bytes.
        const SIZE: usize;
        /// Appends its bytes.
        fn put(&self, out: &mut Vec<u8>);
        /// It back from exactly `SIZE` bytes.
        fn take(b: &[u8]) -> Self;
    }

    fn le<const N: usize>(b: &[u8]) -> [u8; N] {
        b.first_chunk::<N>().copied().unwrap_or([0; N])
    }

    impl Raw for u8 {
        const SIZE: usize = 1;
        fn put(&self, out: &mut Vec<u8>) {
            out.push(*self);
        }
        fn take(b: &[u8]) -> Self {
            b.first().copied().unwrap_or(0)
        }
    }

    /// [`Raw`] for numbers stored as their little-endian bytes.
    macro_rules! raw_le {
        ($($t:ty),*) => {$(
            impl Raw for $t {
                const SIZE: usize = std::mem::size_of::<$t>();
                fn put(&self, out: &mut Vec<u8>) {
                    out.extend_from_slice(&self.to_le_bytes());
                }
                fn take(b: &[u8]) -> Self {
                    <$t>::from_le_bytes(le(b))
                }
            }
        )*};
    }
    raw_le!(u16, u32, u64, f32);

    impl<A: Raw, B: Raw, C: Raw> Raw for (A, B, C) {
        const SIZE: usize = A::SIZE + B::SIZE + C::SIZE;
        fn put(&self, out: &mut Vec<u8>) {
            self.0.put(out);
            self.1.put(out);
            self.2.put(out);
        }
        fn take(b: &[u8]) -> Self {
            let rest = b.get(A::SIZE..).unwrap_or_default();
            (
                A::take(b),
                B::take(rest),
                C::take(rest.get(B::SIZE..).unwrap_or_default()),
            )
        }
    }

    impl<A: Raw, B: Raw> Raw for (A, B) {
        const SIZE: usize = A::SIZE + B::SIZE;
        fn put(&self, out: &mut Vec<u8>) {
            self.0.put(out);
            self.1.put(out);
        }
        fn take(b: &[u8]) -> Self {
            (A::take(b), B::take(b.get(A::SIZE..).unwrap_or_default()))
        }
    }

    /// Writes `v` as one run of bytes.
    pub(in crate::matching::index) fn serialize<T: Raw, S: Serializer>(
        v: &[T],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(v.len() * T::SIZE);
        for x in v {
            x.put(&mut out);
        }
        s.serialize_bytes(&out)
    }

    /// Reads what [`serialize`] wrote; a length that is not a whole number of values
    /// is an error.
    pub(in crate::matching::index) fn deserialize<'de, T: Raw, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        let bytes = <&'de [u8]>::deserialize(d)?;
        if bytes.len() % T::SIZE != 0 {
            return Err(serde::de::Error::custom(format!(
                "{} bytes are not a whole number of {}-byte values",
                bytes.len(),
                T::SIZE
            )));
        }
        Ok(bytes.chunks_exact(T::SIZE).map(T::take).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn integer_keys_answer_as_a_hash_map(
            pairs in prop::collection::vec((0u64..64, 0u32..100), 0..300),
            probes in prop::collection::vec(any::<u64>(), 0..50),
        ) {
            let mut sorted = pairs.clone();
            sorted.sort_unstable();
            sorted.dedup();
            let table = Groups::from_pairs(pairs.clone());
            prop_assert!(table.check().is_ok());
            let mut map: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
            for &(k, v) in &sorted {
                map.entry(k).or_default().push(v);
            }
            let mut all = Vec::new();
            for k in pairs.iter().map(|p| p.0).chain(probes.iter().copied()) {
                prop_assert_eq!(table.get_int(k), map.get(&k).map(Vec::as_slice));
                all.push(k);
            }
            // A filter of the keys keeps every key filed.
            let filter = table.key_filter();
            for k in pairs.iter().map(|p| p.0) {
                prop_assert!(filter.may_hold(k));
            }
            // Many at once: the same ids, all of them.
            let (mut got, mut spans) = (Vec::new(), Vec::new());
            table.get_ints_into(&all, &mut spans, &mut got);
            let mut want: Vec<u32> = all.iter().flat_map(|k| map.get(k).into_iter().flatten().copied()).collect();
            got.sort_unstable();
            want.sort_unstable();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn string_keys_answer_as_a_hash_map(
            entries in prop::collection::vec(("[a-cé]{0,4}", prop::collection::vec(0u32..9, 0..4)), 0..100),
            probes in prop::collection::vec("[a-cé]{0,4}", 0..50),
        ) {
            let map: FxHashMap<Box<str>, Vec<u32>> = entries
                .iter()
                .map(|(k, v)| (k.as_str().into(), v.clone()))
                .collect();
            let table = Groups::from_texts(&map);
            prop_assert!(table.check().is_ok());
            for k in entries.iter().map(|e| &e.0).chain(&probes) {
                prop_assert_eq!(table.get(k), map.get(k.as_str()).map(Vec::as_slice));
            }
        }
    }

    /// The filter says no to most keys the table does not hold, at its size of about
    /// 10 bits a key (what makes it worth asking before the table).
    #[test]
    fn the_key_filter_refuses_most_keys_not_filed() {
        let spread = |i: u64| (i ^ 0x5851_f42d).wrapping_mul(0x2545_f491_4f6c_dd1d);
        let table = Groups::from_pairs((0..20_000u64).map(|i| (spread(i), 1)).collect());
        let filter = table.key_filter();
        assert!((0..20_000u64).all(|i| filter.may_hold(spread(i))));
        let passed = (20_000..40_000u64)
            .filter(|&i| filter.may_hold(spread(i)))
            .count();
        assert!(
            passed < 20_000 / 20,
            "{passed} of 20,000 keys not filed passed"
        );
    }

    #[test]
    fn tables_survive_their_bytes() {
        let map: FxHashMap<Box<str>, Vec<u32>> =
            [("KIM".into(), vec![1, 5]), ("JONG".into(), vec![2])]
                .into_iter()
                .collect();
        let table = Groups::from_texts(&map);
        let bytes = postcard::to_allocvec(&table).unwrap_or_default();
        let back: Groups = postcard::from_bytes(&bytes).unwrap_or_default();
        assert!(back.check().is_ok());
        assert_eq!(back.get("KIM"), Some(&[1, 5][..]));
        assert_eq!(back.get("JONG"), Some(&[2][..]));
        assert_eq!(back.get("UN"), None);
        // Cut short, the bytes are refused rather than read as another table.
        assert!(
            postcard::from_bytes::<Groups>(bytes.get(..bytes.len() - 3).unwrap_or_default())
                .is_err()
        );
    }
}
