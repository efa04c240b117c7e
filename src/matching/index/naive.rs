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
    }
}
