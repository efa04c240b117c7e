//! Bounded edit distances on ASCII words, shared by legal-form spotting and scoring.

use std::cell::OnceCell;

/// The optimal-string-alignment (restricted Damerau-Levenshtein) distance of two
/// words, counted in bytes (the words are ASCII), when it is at most `k`, computed
/// without allocating: this runs for every candidate word retrieval looks at. To
/// compare one word with many, prepare it once with [`OsaWord`].
pub(crate) fn osa_within(a: &[u8], b: &[u8], k: usize) -> Option<usize> {
    OsaWord::new(a).within(b, k)
}

/// A word prepared for distances to many others: where each of its bytes occurs, for
/// the bit-parallel algorithm of Hyyrö (2003), which takes a few word operations per
/// byte of the other word instead of a row of the distance table. Words longer than
/// 64 bytes or not ASCII take the table.
pub(crate) struct OsaWord<'a> {
    word: &'a [u8],
    /// Bit `i` of `positions[c]`: whether byte `i` of the word is `c`; `None` for a
    /// word that takes the table. Built on the first distance asked: most comparisons
    /// end before one (equal words, lengths too far apart).
    positions: OnceCell<Option<[u64; 128]>>,
}

impl<'a> OsaWord<'a> {
    /// Prepares `word`.
    pub(crate) fn new(word: &'a [u8]) -> OsaWord<'a> {
        OsaWord {
            word,
            positions: OnceCell::new(),
        }
    }

    fn positions(&self) -> &Option<[u64; 128]> {
        let word = self.word;
        self.positions.get_or_init(|| {
            (word.len() <= 64 && word.is_ascii()).then(|| {
                let mut table = [0u64; 128];
                for (i, &c) in word.iter().enumerate() {
                    if let Some(p) = table.get_mut(usize::from(c)) {
                        *p |= 1 << i;
                    }
                }
                table
            })
        })
    }

    /// The distance of the word to `b` when it is at most `k`.
    pub(crate) fn within(&self, b: &[u8], k: usize) -> Option<usize> {
        let a = self.word;
        if a.len().abs_diff(b.len()) > k {
            return None;
        }
        if a.is_empty() || b.is_empty() {
            return Some(a.len().max(b.len()));
        }
        match self.positions() {
            Some(table) if b.is_ascii() => osa_bits(a.len(), b, k, |c| {
                table.get(usize::from(c)).copied().unwrap_or(0)
            }),
            _ => {
                let d = osa_table(a, b);
                (d <= k).then_some(d)
            }
        }
    }
}

/// The bit-parallel distance of a word of `m` bytes (1 to 64) to `b`, when at most
/// `k`; `positions(c)` has bit `i` set when byte `i` of the word is `c`.
#[inline(always)]
fn osa_bits(m: usize, b: &[u8], k: usize, positions: impl Fn(u8) -> u64) -> Option<usize> {
    // The last row of the distance table is tracked through the vertical deltas of
    // its column (`up`/`down`: +1/-1 between rows i and i + 1), a bit per row.
    let last = 1u64 << (m - 1);
    let (mut up, mut down) = (!0u64, 0u64);
    let (mut diag, mut before) = (0u64, 0u64);
    let mut dist = m;
    for (j, &c) in b.iter().enumerate() {
        let here = positions(c);
        // A swap of `a[i - 1..=i]` with `b[j - 1..=j]` extends a diagonal that did not
        // advance in the previous column.
        let swap = ((!diag & here) << 1) & before;
        diag = (((here & up).wrapping_add(up)) ^ up) | here | down | swap;
        let right_up = down | !(diag | up);
        let right_down = diag & up;
        if right_up & last != 0 {
            dist += 1;
        } else if right_down & last != 0 {
            dist -= 1;
        }
        let shifted_up = (right_up << 1) | 1;
        up = (right_down << 1) | !(diag | shifted_up);
        down = shifted_up & diag;
        before = here;
        // Each byte of `b` left can lower the distance by one at most.
        if dist > k + (b.len() - 1 - j) {
            return None;
        }
    }
    (dist <= k).then_some(dist)
}

/// The distance from the whole table, three rows at a time.
fn osa_table(a: &[u8], b: &[u8]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    let (mut two_up, mut up, mut cur) = (0, width, 2 * width);
    for (j, slot) in rows.iter_mut().skip(up).take(width).enumerate() {
        *slot = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        let at = |r: usize, j: usize, rows: &[usize]| rows.get(r + j).copied().unwrap_or(0);
        if let Some(first) = rows.get_mut(cur) {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut v = (at(cur, j, &rows) + 1)
                .min(at(up, j + 1, &rows) + 1)
                .min(at(up, j, &rows) + cost);
            let swapped = i > 0
                && j > 0
                && a.get(i - 1) == Some(&cb)
                && b.get(j - 1) == Some(&ca)
                && ca != cb;
            if swapped {
                v = v.min(at(two_up, j - 1, &rows) + 1);
            }
            if let Some(slot) = rows.get_mut(cur + j + 1) {
                *slot = v;
            }
        }
        (two_up, up, cur) = (up, cur, two_up);
    }
    rows.get(up + b.len()).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `strsim` counts characters; on bytes it is the same for ASCII, and the table
    /// is checked against it there.
    fn reference(a: &str, b: &str, k: usize) -> Option<usize> {
        let d = if a.is_ascii() && b.is_ascii() {
            strsim::osa_distance(a, b)
        } else {
            osa_table(a.as_bytes(), b.as_bytes())
        };
        (d <= k).then_some(d)
    }

    #[test]
    fn known_distances() {
        for (a, b, d) in [
            ("kim", "kim", 0),
            ("kim", "kin", 1),
            ("jong", "jnog", 1),
            ("ca", "abc", 3),
            ("chol", "cheol", 1),
            ("", "abc", 3),
            ("pyongyang", "pyeongyang", 1),
            ("hyeon", "hyon", 1),
        ] {
            assert_eq!(
                osa_within(a.as_bytes(), b.as_bytes(), 9),
                Some(d),
                "{a} {b}"
            );
            assert_eq!(reference(a, b, 9), Some(d), "{a} {b}");
        }
        assert_eq!(osa_within(b"kim", b"park", 1), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Small alphabets make swaps, repeats and near misses common.
        #[test]
        fn same_as_strsim(a in "[abcd]{0,12}", b in "[abcd]{0,12}", k in 0usize..6) {
            prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), k), reference(&a, &b, k));
        }

        /// Either side of sixteen bytes, where the word's byte positions change method.
        #[test]
        fn same_as_strsim_mid_length(a in "[abc]{12,24}", b in "[abc]{12,24}", k in 0usize..10) {
            prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), k), reference(&a, &b, k));
        }

        #[test]
        fn same_as_strsim_long_and_mixed(a in "[a-e0-9 ]{50,70}", b in "[a-e0-9 ]{50,70}",
                                         k in 0usize..70) {
            prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), k), reference(&a, &b, k));
        }

        #[test]
        fn table_same_as_strsim(a in "[abcd]{0,12}", b in "[abcd]{0,12}") {
            prop_assert_eq!(osa_table(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b));
        }

        #[test]
        fn same_as_table_any_text(a in "\\PC{0,10}", b in "\\PC{0,10}", k in 0usize..8) {
            prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), k), reference(&a, &b, k));
        }
    }
}
