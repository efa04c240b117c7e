//! Walks over the set bits of a sequence of 64-bit words, in order: bit `i % 64` of
//! word `i / 64` stands for `i`. The words stay with their owner, which hands each one
//! to the walk when it gets there, so a walk can be kept beside the words it reads.

/// Where a walk is: the word being read and its set bits not yet handed out.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BitWalk {
    word: usize,
    bits: u64,
}

impl BitWalk {
    /// A walk that starts in word 0, whose bits are `first`.
    pub(crate) fn new(first: u64) -> Self {
        BitWalk {
            word: 0,
            bits: first,
        }
    }

    /// The next set bit. `word(k)` gives word `k` (from 1 on) when the walk reaches it,
    /// `None` past the last.
    #[inline]
    pub(crate) fn next(&mut self, mut word: impl FnMut(usize) -> Option<u64>) -> Option<usize> {
        while self.bits == 0 {
            self.word += 1;
            self.bits = word(self.word)?;
        }
        let i = 64 * self.word + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hands_out_set_bits_in_order_across_words() {
        // A word with no bit between two that have some, and the top bit of a word.
        let words = [0b101u64, 0, 1 << 63 | 1];
        let mut walk = BitWalk::new(words[0]);
        let got: Vec<usize> = std::iter::from_fn(|| walk.next(|k| words.get(k).copied())).collect();
        assert_eq!(got, [0, 2, 128, 191]);
        assert_eq!(BitWalk::default().next(|_| None), None);
    }
}
