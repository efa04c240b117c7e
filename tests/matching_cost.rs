//! What a name search costs, counted rather than timed: a name that is one long run of
//! letters, or a pasted description, must cost no more than a name of a few words
//! once past the lengths a name can have (before issue 23, 2,000 letters took 20 s and
//! 1 MB never ended: every deletion variant of the run was hashed).

use embargo::matching::{IndexedName, NameIndex, NameQuery, SearchOptions, SearchWork};
use embargo::Ruleset;

fn index() -> NameIndex {
    let ruleset = Ruleset::embedded().expect("the embedded rules compile");
    let mut names = Vec::new();
    // Every third entity: the real vocabulary, a quicker build in a debug run.
    for (k, e) in ruleset.entities().iter().enumerate().step_by(3) {
        names.push(IndexedName::new(k as u32, e.name.clone(), e.kind));
        for a in &e.aliases {
            names.push(IndexedName::new(k as u32, a.name.clone(), e.kind));
        }
    }
    NameIndex::build(names)
}

fn total(w: &SearchWork) -> u64 {
    w.variants + w.words_compared + w.contained_checked + w.names_met + w.names_scored
}

fn letters(n: usize) -> String {
    // A fixed walk over the alphabet, so that runs hold many distinct trigrams.
    (0..n)
        .map(|k| char::from(b'a' + ((k * 7 + k / 26) % 26) as u8))
        .collect()
}

#[test]
fn a_long_run_of_letters_costs_no_more_than_a_long_word() {
    let index = index();
    let opts = SearchOptions::default();
    let work = |n: usize| total(&index.search_counted(&NameQuery::new(letters(n)), &opts).1);
    let word = work(64);
    assert!(word > 0, "a 64-letter word is looked up");
    for n in [200, 2_000, 5_000, 100_000] {
        let w = work(n);
        assert!(w <= word, "{n} letters: {w} steps, a 64-letter word {word}");
    }
    // Below the cut, work grows with the word, but no faster than its square (the
    // deletion variants of a word within two edits).
    let (a, b) = (work(16), work(32));
    assert!(b <= 4 * a + 1_000, "16 letters {a}, 32 letters {b}");
}

#[test]
fn a_pasted_description_costs_what_its_first_words_cost() {
    let index = index();
    let opts = SearchOptions::default();
    let words = [
        "korea", "trading", "kim", "jong", "bank", "shipping", "goods", "lexus",
    ];
    let text = |n: usize| -> String {
        (0..n)
            .map(|k| words[(k * 5 + k / 8) % words.len()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let work = |n: usize| total(&index.search_counted(&NameQuery::new(text(n)), &opts).1);
    let name = work(30);
    for n in [1_000, 150_000] {
        let w = work(n);
        assert!(w <= name, "{n} words: {w} steps, 30 words {name}");
    }
}
