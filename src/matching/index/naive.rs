//! Test oracle: the deletion variants of a word enumerated the obvious way, from their
//! definition (every string reached by deleting at most `k` bytes), to hold the
//! hashing enumeration of `build::for_each_deletion` to.

use std::collections::BTreeSet;

/// Every string reached from `s` by deleting at most `k` of its bytes.
pub(super) fn deletion_variants(s: &[u8], k: usize) -> BTreeSet<Vec<u8>> {
    let mut out = BTreeSet::from([s.to_vec()]);
    let mut frontier = vec![s.to_vec()];
    for _ in 0..k {
        let mut next = Vec::new();
        for w in &frontier {
            for i in 0..w.len() {
                let mut v = w.clone();
                v.remove(i);
                if out.insert(v.clone()) {
                    next.push(v);
                }
            }
        }
        frontier = next;
    }
    out
}

/// The hash of every variant of `s` with up to `k` (≤ 2) bytes deleted, each hashed
/// from its first byte, in the order `for_each_deletion` gives them: `s`, each byte
/// deleted in order, then each pair.
pub(super) fn deletion_hashes_in_order(s: &[u8], k: usize) -> Vec<u64> {
    use super::build::fnv;
    let without = |skip: &[usize]| {
        fnv(
            0,
            s.iter()
                .enumerate()
                .filter(|(p, _)| !skip.contains(p))
                .map(|(_, b)| *b),
        )
    };
    let mut out = vec![without(&[])];
    if k >= 1 {
        out.extend((0..s.len()).map(|i| without(&[i])));
    }
    if k >= 2 {
        for i in 0..s.len() {
            out.extend((i + 1..s.len()).map(|j| without(&[i, j])));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::build::{fnv, for_each_deletion};
    use super::*;

    proptest::proptest! {
        /// The hashes `for_each_deletion` gives are those of the variants, and no
        /// others.
        #[test]
        fn deletion_hashes_are_the_variants(s in "[a-z]{0,12}", k in 0usize..=2) {
            let mut got = BTreeSet::new();
            for_each_deletion(s.as_bytes(), k, |h| {
                got.insert(h);
            });
            let want: BTreeSet<u64> = deletion_variants(s.as_bytes(), k)
                .iter()
                .map(|v| fnv(0, v.iter().copied()))
                .collect();
            proptest::prop_assert_eq!(got, want);
        }

        /// ... in the order of the variants, each hashed whole: the deletion table
        /// of a compiled ruleset holds these hashes, and a search touches the names
        /// met in the order it looks them up.
        #[test]
        fn deletion_hashes_come_in_order(s in "[a-zé0-9]{0,14}", k in 0usize..=2) {
            let mut got = Vec::new();
            for_each_deletion(s.as_bytes(), k, |h| got.push(h));
            proptest::prop_assert_eq!(got, deletion_hashes_in_order(s.as_bytes(), k));
        }
    }
}
