//! Building a classifier: every distinct term pattern of the categories with the
//! categories that use it (strong, weak or as an exclusion), every code prefix
//! likewise, and what finding each does to the categories, 64 at a time.

use std::collections::{BTreeMap, HashMap};

use super::tally::Effect;
use crate::goods::terms::TermMatcher;
use crate::lookup::table::U64Table;
use crate::rules::ir::{Category, Rates, Strength};
use crate::text::goods::TermPattern;

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) categories: Vec<Category>,
    /// Finds the patterns' texts; its term ids index `patterns`.
    pub(super) terms: TermMatcher,
    pub(super) patterns: Vec<Pattern>,
    /// What finding each pattern does to the categories: [`Inner::set_words`] entries
    /// per pattern, in pattern order.
    pub(super) pattern_effects: Vec<Effect>,
    /// Keyed by [`hs_key`]: the uses of each code prefix. Looked up once per digit of
    /// every line's code, so in a flat table.
    pub(super) hs: U64Table<CodeUses>,
    /// One bit per chapter (two digits) and per heading (four digits, from bit 100):
    /// whether the rules have a longer code prefix under it. Where they have none, a
    /// bit test ends the look-ups of a code there (1.6% faster on the bench's codes).
    pub(super) hs_deeper: Box<[u64]>,
    /// The uses of every code prefix, the ranges of which `hs` holds.
    pub(super) hs_uses: Vec<Use>,
    /// What finding each code prefix does, as `pattern_effects` for the patterns.
    pub(super) hs_effects: Vec<Effect>,
    /// How many 64-bit words hold one bit per category (at least one).
    pub(super) set_words: usize,
    pub(super) rates: Rates,
}

/// A code prefix of the rules: the range of [`Inner::hs_uses`] that uses it, and where
/// its effects start in [`Inner::hs_effects`].
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CodeUses {
    uses: (u32, u32),
    effects: u32,
}

/// A distinct normalized term and every category that uses it.
#[derive(Debug)]
pub(super) struct Pattern {
    /// The normalized text, and whether it matches a word prefix (`автомобил*`).
    pub(super) spec: TermPattern,
    pub(super) uses: Vec<Use>,
    /// Whether it is one of [`NAME_WORDS`], and on which side of a name.
    pub(super) name_word: Option<NameSide>,
}

/// The bit of [`Inner::hs_deeper`] for a code's first `len` digits (2 or 4) read as
/// the number `value`: chapters from bit 0, headings from bit 100.
pub(super) fn deeper_bit(len: usize, value: usize) -> usize {
    value + if len == 4 { 100 } else { 0 }
}

/// The pattern `spec`, made on first sight: terms of several categories that
/// normalize alike share one.
fn pattern_of_text<'a>(
    by_text: &mut HashMap<TermPattern, usize>,
    patterns: &'a mut Vec<Pattern>,
    spec: &TermPattern,
) -> Option<&'a mut Pattern> {
    let id = match by_text.get(spec) {
        Some(&id) => id,
        None => {
            patterns.push(Pattern {
                spec: spec.clone(),
                uses: Vec::new(),
                name_word: None,
            });
            by_text.insert(spec.clone(), patterns.len() - 1);
            patterns.len() - 1
        }
    };
    patterns.get_mut(id)
}

/// Where a word that makes a name stands: after the name (`Rolex Trading LLC`,
/// `Cartier Street`) or before it (`Mr. Bentley`, `notify: Mercedes Rodriguez`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameSide {
    After,
    Before,
}

/// Words that make the term next to them a name rather than goods: a legal form or a
/// trade after it names a company, a street word a place, a title or an addressee
/// word before it a person or a party. A shipping document names its parties in the
/// same text as its goods, and a brand is often also a surname or a trader's name,
/// so `shipper: Armani Logistics Srl - used tyres` is not designer fashion. Only the
/// term right next to the word is dropped, not the category: `Tiffany & Co. diamond
/// ring` is still jewellery by `diamond ring`. An exclusion is dropped alike: `Coin Co`
/// is a company, and vetoes no jewellery. Words that also go with goods are not
/// here (`limited` in `limited edition`, `brand` in `Rolex brand watches`, `road` in
/// `Harley-Davidson Road Glide`).
const NAME_WORDS: &[(&str, NameSide)] = &[
    ("llc", NameSide::After),
    ("ltd", NameSide::After),
    ("inc", NameSide::After),
    ("gmbh", NameSide::After),
    ("srl", NameSide::After),
    ("sarl", NameSide::After),
    ("plc", NameSide::After),
    ("pte", NameSide::After),
    ("jsc", NameSide::After),
    ("ooo", NameSide::After),
    ("fze", NameSide::After),
    ("fzco", NameSide::After),
    ("fzc", NameSide::After),
    ("co", NameSide::After),
    ("company", NameSide::After),
    ("corp", NameSide::After),
    ("corporation", NameSide::After),
    ("holding", NameSide::After),
    ("trading", NameSide::After),
    ("logistics", NameSide::After),
    ("shipping", NameSide::After),
    ("freight", NameSide::After),
    ("street", NameSide::After),
    ("mr", NameSide::Before),
    ("mrs", NameSide::Before),
    ("ms", NameSide::Before),
    ("dr", NameSide::Before),
    ("attn", NameSide::Before),
    ("notify", NameSide::Before),
    ("consignee", NameSide::Before),
    ("shipper", NameSide::Before),
];

#[derive(Debug, Clone, Copy)]
pub(super) struct Use {
    pub(super) category: u32,
    /// Identifies the term within the category, so that two occurrences of one weak
    /// term are not mistaken for two different weak terms.
    pub(super) term: u32,
    pub(super) role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Strong,
    Weak,
    Exclude,
}

impl From<Strength> for Role {
    fn from(s: Strength) -> Role {
        match s {
            Strength::Strong => Role::Strong,
            Strength::Weak => Role::Weak,
        }
    }
}

impl Inner {
    /// The uses of a code prefix.
    pub(super) fn code_uses(&self, code: CodeUses) -> &[Use] {
        let (start, end) = code.uses;
        self.hs_uses
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The effects of pattern `term` (see [`Inner::pattern_effects`]).
    pub(super) fn term_effects(&self, term: u32) -> &[Effect] {
        let at = term as usize * self.set_words;
        self.pattern_effects
            .get(at..at + self.set_words)
            .unwrap_or_default()
    }

    /// The effects of a code prefix.
    pub(super) fn code_effects(&self, code: CodeUses) -> &[Effect] {
        let at = code.effects as usize;
        self.hs_effects
            .get(at..at + self.set_words)
            .unwrap_or_default()
    }
}

impl Inner {
    /// Builds the classifier's tables for `categories`.
    pub(super) fn build(categories: &[Category], rates: Rates) -> Inner {
        let mut by_text: HashMap<TermPattern, usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut hs_map: BTreeMap<u64, Vec<Use>> = BTreeMap::new();
        // Chapters and headings with a longer prefix under them (see `Inner::hs_deeper`).
        let mut deeper = vec![0u64; (100 + 10_000usize).div_ceil(64)];

        // Each term comes with its patterns, made when the rules compiled.
        let mut add = |specs: &[TermPattern], use_: Use| {
            for spec in specs {
                if let Some(p) = pattern_of_text(&mut by_text, &mut patterns, spec) {
                    p.uses.push(use_);
                }
            }
        };

        for (ci, cat) in categories.iter().enumerate() {
            let category = ci as u32;
            for (ti, t) in cat.terms.iter().enumerate() {
                let use_ = Use {
                    category,
                    term: ti as u32,
                    role: t.strength.into(),
                };
                add(&t.patterns, use_);
            }
            for (xi, x) in cat.exclude_terms.iter().enumerate() {
                let use_ = Use {
                    category,
                    term: (cat.terms.len() + xi) as u32,
                    role: Role::Exclude,
                };
                add(&x.patterns, use_);
            }
            let codes = cat
                .hs
                .iter()
                .map(|h| (h.digits.as_str(), Role::from(h.strength)))
                .chain(cat.exclude_hs.iter().map(|d| (d.as_str(), Role::Exclude)));
            for (hi, (digits, role)) in codes.enumerate() {
                let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
                for len in [2, 4] {
                    if digits.len() > len {
                        if let Some(value) = digits.get(..len).and_then(|d| d.parse().ok()) {
                            let bit = deeper_bit(len, value);
                            if let Some(w) = deeper.get_mut(bit / 64) {
                                *w |= 1 << (bit % 64);
                            }
                        }
                    }
                }
                if let Some(k) = hs_key(&digits) {
                    hs_map.entry(k).or_default().push(Use {
                        category,
                        term: hi as u32,
                        role,
                    });
                }
            }
        }

        // The spellings hand-typed invoices write for the terms, once every term and
        // exclusion is known: a variant that is one of them is not made.
        for (ci, cat) in categories.iter().enumerate() {
            for (ti, t) in cat.terms.iter().enumerate() {
                let use_ = Use {
                    category: ci as u32,
                    term: ti as u32,
                    role: t.strength.into(),
                };
                for spec in &t.patterns {
                    for v in super::spelling::variants(spec, t.strength == Strength::Strong) {
                        if by_text.contains_key(&v) || NAME_WORDS.iter().any(|&(w, _)| w == v.text)
                        {
                            continue;
                        }
                        let id = patterns.len();
                        patterns.push(Pattern {
                            spec: v.clone(),
                            uses: vec![use_],
                            name_word: None,
                        });
                        by_text.insert(v, id);
                    }
                }
            }
        }

        for &(word, side) in NAME_WORDS {
            let spec = TermPattern {
                text: word.into(),
                prefix: false,
            };
            if let Some(p) = pattern_of_text(&mut by_text, &mut patterns, &spec) {
                p.name_word = Some(side);
            }
        }

        let set_words = categories.len().div_ceil(64).max(1);
        let mut hs_uses = Vec::new();
        let mut hs_effects = Vec::new();
        let mut hs_entries = Vec::new();
        for (key, uses) in hs_map {
            let code = CodeUses {
                uses: (hs_uses.len() as u32, (hs_uses.len() + uses.len()) as u32),
                effects: hs_effects.len() as u32,
            };
            hs_effects.extend(effects_of(&uses, set_words));
            hs_uses.extend(uses);
            hs_entries.push((key, code));
        }
        let pattern_effects = patterns
            .iter()
            .flat_map(|p| effects_of(&p.uses, set_words))
            .collect();

        let specs: Vec<TermPattern> = patterns.iter().map(|p| p.spec.clone()).collect();
        let terms = TermMatcher::new(&specs);
        Inner {
            categories: categories.to_vec(),
            terms,
            patterns,
            pattern_effects,
            hs: U64Table::new(hs_entries),
            hs_deeper: deeper.into_boxed_slice(),
            hs_uses,
            hs_effects,
            set_words,
            rates,
        }
    }
}

/// What finding a term or code with `uses` does to the categories, `words` entries
/// (see [`Effect`]).
fn effects_of(uses: &[Use], words: usize) -> Vec<Effect> {
    let mut effects = vec![Effect::default(); words];
    for u in uses {
        let Some(e) = effects.get_mut(u.category as usize / 64) else {
            continue;
        };
        let bit = 1 << (u.category % 64);
        match u.role {
            Role::Strong => e.strong |= bit,
            Role::Weak => e.weak |= bit,
            Role::Exclude => e.exclude |= bit,
        }
    }
    effects
}

/// Packs a digit string of at most 10 digits (and its length, so `0101` and `101`
/// differ) into one integer key for prefix lookup.
fn hs_key(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    let mut v: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v * 16 + digits.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs_keys_distinguish_leading_zeros() {
        assert_ne!(hs_key("0101"), hs_key("101"));
        assert_eq!(hs_key("8703"), hs_key("8703"));
        assert_eq!(hs_key("87a3"), None);
    }
}
