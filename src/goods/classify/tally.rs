//! What a line's finds say of the categories, 64 at a time: each term or code
//! prefix found has an [`Effect`] (the categories it is strong in, weak in, and
//! excludes, a bit each), and a line's [`Tally`] combines them a word of bits at a time.

use crate::lookup::bits::BitWalk;

/// What finding one term or code prefix does to 64 categories, a bit each (category
/// `64 * w + i` is bit `i` of word `w`): the categories it is strong in, weak in, and
/// excludes. A line's finds are then combined a word at a time, not a category at a
/// time: most lines touch a few categories, and deciding each one by one was a branch
/// the processor could not foresee.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Effect {
    pub(super) strong: u64,
    pub(super) weak: u64,
    pub(super) exclude: u64,
}

/// What a line's finds so far say of 64 categories, a bit each as in [`Effect`].
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Tally {
    strong: u64,
    /// Of the categories with strong evidence, those with a strong term.
    strong_term: u64,
    /// The categories a code prefix of the line is a strong code of.
    coded: u64,
    weak_term: u64,
    weak_hs: u64,
    /// Vetoed by an exclusion term, unless the line proves the category (see
    /// [`Tally::decide`]).
    excluded_term: u64,
    /// Vetoed by an exclusion code: the trader's code says it is other goods.
    excluded_hs: u64,
    /// A weak term found after another: the category may have two different weak
    /// terms, which its evidence then decides (the same term twice, or two that
    /// overlap, count once).
    weak_again: u64,
}

impl Tally {
    pub(super) fn add_term(&mut self, e: &Effect) {
        self.weak_again |= self.weak_term & e.weak;
        self.weak_term |= e.weak;
        self.strong |= e.strong;
        self.strong_term |= e.strong;
        self.excluded_term |= e.exclude;
    }

    pub(super) fn add_code(&mut self, e: &Effect) {
        self.weak_hs |= e.weak;
        self.strong |= e.strong;
        self.coded |= e.strong;
        self.excluded_hs |= e.exclude;
    }

    /// The categories matched for sure, and those matched if two different weak terms
    /// are found among their evidence.
    ///
    /// An exclusion term vetoes a category unless the line proves it twice over: a
    /// strong term of the category and a strong code of it (a weak code such as 7117,
    /// imitation jewellery, or 8708, car parts, proves nothing). One incidental word (`Lexus LX570,
    /// spare tyre included`, 8703.24) must not clear what the brand and the code say;
    /// a line with less (`Rolex toy watch`, no code) stays vetoed.
    ///
    /// An exclusion code vetoes weak evidence, not a strong term: a line that names a
    /// brand or model of the category (`Lexus LX570 SUV`) under a heading it excludes
    /// (9503, toys) says two contradicting things, and the text is what a relabelling
    /// leaves alone. It matches, and its evidence marks the code as a mismatch. With an
    /// exclusion term as well (`Lexus LX570 toy car`, 9503) the code and the words
    /// agree, and it stays vetoed.
    fn decide(&self) -> (u64, u64) {
        let proven = self.strong_term & self.coded;
        let named = self.strong_term & !self.excluded_term;
        let vetoed = self.excluded_hs & !named | self.excluded_term & !proven;
        let sure = (self.strong | self.weak_term & self.weak_hs) & !vetoed;
        let if_two = self.weak_again & !vetoed & !sure;
        (sure, if_two)
    }
}

/// The set bits of `words` in order (bit `i % 64` of word `i / 64` is `i`), each word
/// cleared as it is read (the categories a line matched, `Scratch::matched`).
pub(super) fn take_bits(words: &mut [u64]) -> impl Iterator<Item = u32> + '_ {
    let mut walk = BitWalk::new(words.first_mut().map(std::mem::take).unwrap_or(0));
    std::iter::from_fn(move || {
        // Category indexes are `u32` throughout.
        let bit = walk.next(|k| words.get_mut(k).map(std::mem::take))?;
        Some(bit as u32)
    })
}

/// The categories `tally` decides, into `matched` (a bit each, as in [`Effect`]), and
/// of those, the ones matched only if two different weak terms are found among their
/// evidence, into `if_two`.
pub(super) fn decide(tally: &[Tally], matched: &mut Vec<u64>, if_two: &mut Vec<u64>) {
    matched.clear();
    if_two.clear();
    for t in tally {
        let (sure, two) = t.decide();
        matched.push(sure | two);
        if_two.push(two);
    }
}

/// Whether category `ci` is among those of `if_two`.
pub(super) fn needs_two(if_two: &[u64], ci: u32) -> bool {
    if_two
        .get(ci as usize / 64)
        .is_some_and(|w| w & (1 << (ci % 64)) != 0)
}
