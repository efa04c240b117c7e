//! The score of one name against one listed entity does not depend on what the
//! searching thread did before (its memo of similar words, its scratch space) nor on
//! which thread searches: `rescreen` replays only the orders a list change can reach
//! and relies on every other score staying the same to the last bit.

use std::collections::HashMap;

use embargo::matching::{IndexedName, NameIndex, NameQuery, SearchOptions};
use embargo::Ruleset;

/// Every fifth entity's names, with their countries.
fn index(ruleset: &Ruleset) -> (NameIndex, Vec<String>) {
    let mut names = Vec::new();
    for (k, e) in ruleset.entities().iter().enumerate().step_by(5) {
        for (text, weak) in std::iter::once((&e.name, false)).chain(
            e.aliases
                .iter()
                .map(|a| (&a.name, a.strength == embargo::vocab::Strength::Weak)),
        ) {
            let mut n = IndexedName::new(k as u32, text, e.kind);
            n.weak = weak;
            n.countries = e.countries.clone();
            names.push(n);
        }
    }
    let listed = names.iter().map(|n| n.name.clone()).collect();
    (NameIndex::build(names), listed)
}

/// Queries that share words with one another in different company (so the memo
/// serves one from another's search), spelled the ways screened names are.
fn queries(listed: &[String]) -> Vec<NameQuery> {
    let mut out = Vec::new();
    for (k, name) in listed.iter().enumerate().step_by(11) {
        let words: Vec<&str> = name.split_whitespace().collect();
        let mut variants = vec![
            name.clone(),
            words.iter().rev().cloned().collect::<Vec<_>>().join(" "),
        ];
        if let Some((last, rest)) = words.split_last() {
            variants.push(format!("{} Trading Co Ltd", rest.join(" ")));
            variants.push(format!("{last}{}", rest.join("")));
        }
        for (j, v) in variants.into_iter().enumerate() {
            let mut q = NameQuery::new(&v);
            q.country = ["HK", "KP", "KR"].get((k + j) % 4).map(|c| c.to_string());
            out.push(q);
        }
    }
    out
}

type Scores = HashMap<(usize, u32), u64>;

fn scores_of(index: &NameIndex, queries: &[NameQuery], order: &[usize]) -> Scores {
    let opts = SearchOptions {
        threshold: 0.4,
        limit: 20,
    };
    let mut out = HashMap::new();
    for &k in order {
        if let Some(q) = queries.get(k) {
            for h in index.search(q, &opts) {
                out.insert((k, h.entity), h.score.to_bits());
            }
        }
    }
    out
}

#[test]
fn a_score_does_not_depend_on_earlier_searches_or_the_thread() {
    let ruleset = Ruleset::embedded().expect("the embedded rules compile");
    let (index, listed) = index(&ruleset);
    let queries = queries(&listed);
    assert!(queries.len() > 500, "{} queries", queries.len());
    let forward: Vec<usize> = (0..queries.len()).collect();
    let backward: Vec<usize> = forward.iter().rev().copied().collect();
    let first = scores_of(&index, &queries, &forward);
    // The same thread, its memo warm from every other query, in the other order.
    let again = scores_of(&index, &queries, &backward);
    // A fresh thread for each query: a cold memo and fresh scratch space.
    let fresh: Scores = std::thread::scope(|s| {
        forward
            .chunks(64)
            .map(|chunk| s.spawn(|| scores_of(&index, &queries, chunk)))
            .collect::<Vec<_>>()
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    assert!(first.len() > 500, "{} hits", first.len());
    for other in [&again, &fresh] {
        assert_eq!(first.len(), other.len());
        for (key, bits) in &first {
            let got = other.get(key).copied();
            assert_eq!(
                got,
                Some(*bits),
                "`{}` against entity {}: {} then {:?}",
                queries[key.0].name,
                key.1,
                f64::from_bits(*bits),
                got.map(f64::from_bits)
            );
        }
    }
}
