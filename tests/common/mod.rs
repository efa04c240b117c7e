//! Shared by the rule-language property tests: a valid seed file and mutations of it.

#![allow(dead_code)] // Each test crate uses a different part of this module.

use proptest::prelude::*;
use proptest::sample::Index;

/// A valid rules file that touches every item kind and most of the syntax: escapes,
/// quoted entity ids, comments inside blocks and at line ends, a condition over several
/// lines, values continued after a comma. Mutations of it reach deep into the parser
/// (rather than failing on the first token, as random bytes mostly do).
pub const SEED: &str = r##"# Seed file for property tests.
include "lists/un.emb"
list un {
  title "UN Security Council Consolidated List"
  as_of "2026-02-27"
  basis "UNSCR 1718 (2006)"
}

entity un:KPe.001 { # trailing comment
  kind organization
  name "KOREA MINING \"KOMID\" \\ DEVELOPMENT\tTRADING \u{AC00}"
  alias fka weak "CHANGGWANG SINYONG CORPORATION"
  alias nka strong "劳力士"
  country KP, "North Korea",
    CN
  program "UN 1718"
  identifier imo "9123456" "flag DPRK"
  address "Central District, Pyongyang"
  born "1965"
  listed "2009-04-24"
  remark "#not a comment"
}

list csl {
  title "Consolidated Screening List"
  as_of "2026-01-05"
}

entity csl:"A B/1" {
  name "X"
}

category watches {
  title "Luxury watches"
  tags luxury, "export-ban"
  basis "EU Reg. 2017/1509, Annex VIII"
  terms "rolex", "patek philippe"
  terms weak zh "劳力士"
  hs weak 9101, 9102.11
  exclude "toy watch"
  exclude hs 9503
  threshold USD 1_000.50
}

set countries dprk = KP
set places hubs = "Dandong",
  Hunchun, "Nampo"
category cars {
  title "Luxury vehicles"
  basis "EU Reg. 2017/1509, Annex VIII, item 14"
  hs 8703
}

set categories lux = watches, cars

rule luxury_to_dprk {
  title "Luxury goods to the DPRK"
  basis "UNSCR 1718 (2006), para. 8(a)(iii)"
  when goods in tagged(luxury) and (destination in dprk or party role(buyer, "end user") in countries(KP))
    or not not (vessel matches list(un) kind(organization) entity(un:KPe.001, csl:"A B/1") score >= 0.9
      and party matches any)
    or party matches program(DPRK, "UN 1718") country(KP) score >= 1
    or value >= EUR 10000 or route in places("Nampo") or via in hubs or origin in dprk
    or goods in categories(watches, cars) or goods in lux # a comment in a condition
  then block "Luxury goods may not be supplied to the DPRK"
}

allow kdb {
  entity un:KPe.001
  name "KOREA DEVELOPMENT BANK"
  country KR
  because "Reviewed"
  expires "2027-03-02"
}

# A paragraph of comment,

# and another, apart from the item after it.

rates {
  as_of "2026-01-02"
  source "ECB"
  rate EUR 1.17
  rate GBP 1.34
  rate CHF 1.10 # a number as written
}
# trailing comment
"##;

/// Characters that are likely to matter to the lexer, plus anything at all.
pub fn mutation_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '"', '\\', '\n', '\r', '\t', ' ', '#', '{', '}', '(', ')', ',', ':', '=', '<',
            '>', '.', '_', '-', '/', '0', '9', 'a', 'u', 'n', 'é', '劳', '\u{0}', '\u{2028}',
        ]),
        1 => any::<char>(),
    ]
}

const SNIPPETS: &[&str] = &[
    " # note\n",
    "\n#",
    ",\n  ",
    "\r\n",
    " and ",
    " or ",
    "not ",
    "(",
    ")",
    "\"",
    "\\u{",
    "}",
    "{",
    " weak ",
    "include \"x\"\n",
    "set countries s = A\n",
];

/// One edit of a text, at a position chosen relative to its length.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Insert a character.
    Insert(Index, char),
    /// Insert a snippet of the language: a comment, a line break after a comma, a
    /// keyword. Single characters rarely build these.
    InsertSnippet(Index, &'static str),
    /// Delete a run of up to 8 characters.
    Delete(Index, usize),
    /// Copy a run of up to 40 characters to another place (duplicates keywords,
    /// strings and braces, which single characters rarely build).
    Copy(Index, usize, Index),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), mutation_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<Index>(), prop::sample::select(SNIPPETS.to_vec()))
            .prop_map(|(i, s)| Edit::InsertSnippet(i, s)),
        (any::<Index>(), 1usize..8).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<Index>(), 1usize..40, any::<Index>()).prop_map(|(a, n, b)| Edit::Copy(a, n, b)),
    ]
}

/// Applies edits to `text`, working on characters so the result is valid UTF-8.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match e {
            Edit::Insert(at, c) => {
                let at = at.index(chars.len() + 1);
                chars.insert(at, *c);
            }
            Edit::InsertSnippet(at, snippet) => {
                let at = at.index(chars.len() + 1);
                chars.splice(at..at, snippet.chars());
            }
            Edit::Delete(at, n) => {
                if chars.is_empty() {
                    continue;
                }
                let at = at.index(chars.len());
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            Edit::Copy(from, n, to) => {
                if chars.is_empty() {
                    continue;
                }
                let from = from.index(chars.len());
                let end = (from + n).min(chars.len());
                let run: Vec<char> = chars[from..end].to_vec();
                let to = to.index(chars.len() + 1);
                chars.splice(to..to, run);
            }
        }
    }
    chars.into_iter().collect()
}

/// A mutated seed: 1 to 6 edits.
pub fn mutated_seed() -> impl Strategy<Value = String> {
    prop::collection::vec(edit(), 1..6).prop_map(|edits| apply(SEED, &edits))
}

/// Cases per property, overridable with `PROPTEST_CASES` for soak runs.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
