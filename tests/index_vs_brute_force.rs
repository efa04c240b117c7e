//! The name index against a scan of every listed name, on the lists the binary ships:
//! retrieval must find every hit the scan scores at or above the threshold, with the
//! same score, and the search restricted to names sharing a distinctive word must find
//! every such hit that pairs a distinctive word. Queries are listed names spoiled the
//! ways screened names are (typos, dropped and added words, word order, legal forms,
//! words run together or split), with kinds and countries that may not agree.

use embargo::matching::{Basis, IndexedName, NameHit, NameIndex, NameQuery, SearchOptions};
use embargo::rules::ir::EntityKind;
use embargo::Ruleset;

/// A small deterministic generator, so a failure names a query that can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// Every seventh entity's names: a few thousand names, so the scan stays quick in a
/// debug build, with the real lists' vocabulary and word weights.
fn listed_names(ruleset: &Ruleset) -> Vec<IndexedName> {
    let mut names = Vec::new();
    for (k, e) in ruleset.entities().iter().enumerate().step_by(7) {
        let mut push = |text: &str, weak: bool| {
            let mut n = IndexedName::new(k as u32, text, e.kind);
            n.weak = weak;
            n.countries = e.countries.clone();
            names.push(n);
        };
        push(&e.name, false);
        for a in &e.aliases {
            push(&a.name, false);
        }
    }
    names
}

fn spoil(name: &str, r: &mut Lcg) -> String {
    let mut words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return name.to_string();
    }
    match r.next() % 9 {
        0 => {}
        1 => {
            // Two adjacent letters swapped in one word.
            let i = r.next() % words.len();
            let mut chars: Vec<char> = words[i].chars().collect();
            if chars.len() > 3 {
                let j = 1 + r.next() % (chars.len() - 2);
                chars.swap(j, j - 1);
                words[i] = chars.into_iter().collect();
            }
        }
        2 => {
            if words.len() > 1 {
                words.remove(r.next() % words.len());
            }
            words.push("Trading".into());
        }
        3 => words.reverse(),
        4 => {
            let extra = ["Shenyang", "Holdings", "Logistics", "Ltd.", "Kim", "Ocean"];
            words.insert(
                r.next() % (words.len() + 1),
                extra[r.next() % extra.len()].into(),
            );
        }
        6 | 7 if words.len() > 1 => {
            // Two adjacent words run together, the second time with a letter dropped.
            let i = r.next() % (words.len() - 1);
            let second = words.remove(i + 1);
            words[i].push_str(&second);
            if r.next() % 2 == 0 {
                let mut chars: Vec<char> = words[i].chars().collect();
                if chars.len() > 10 {
                    chars.remove(r.next() % chars.len());
                    words[i] = chars.into_iter().collect();
                }
            }
        }
        8 => {
            // A word split in two.
            let i = r.next() % words.len();
            let chars: Vec<char> = words[i].chars().collect();
            if chars.len() >= 6 {
                let at = 2 + r.next() % (chars.len() - 3);
                let (a, b) = chars.split_at(at);
                words[i] = a.iter().collect();
                words.insert(i + 1, b.iter().collect());
            }
        }
        _ => {
            // A letter dropped from one word.
            let i = r.next() % words.len();
            let mut chars: Vec<char> = words[i].chars().collect();
            if chars.len() > 4 {
                chars.remove(r.next() % chars.len());
                words[i] = chars.into_iter().collect();
            }
        }
    }
    words.join(" ")
}

fn same_hits(query: &str, want: &[&NameHit], got: &[NameHit], what: &str) {
    for h in want {
        match got.iter().find(|x| x.entity == h.entity) {
            Some(x) => assert!(
                (x.score - h.score).abs() < 1e-9,
                "{what}: `{query}` scores `{}` {} by the index, {} by the scan",
                h.name,
                x.score,
                h.score
            ),
            None => panic!(
                "{what}: `{query}` misses `{}` ({:.3}: {})",
                h.name, h.score, h.explanation
            ),
        }
    }
}

#[test]
fn retrieval_finds_every_hit_a_full_scan_finds() {
    let ruleset = Ruleset::embedded().expect("embedded rules");
    let names = listed_names(&ruleset);
    assert!(names.len() > 3_000, "{} names", names.len());
    let index = NameIndex::build(names.clone());
    // `EMBARGO_TEST_SEED` and `EMBARGO_TEST_QUERIES` try other queries, or more.
    let env = |var: &str, default: u64| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let mut r = Lcg(env("EMBARGO_TEST_SEED", 7));
    let (low, default) = (0.55, embargo::matching::DEFAULT_THRESHOLD);
    let scan = SearchOptions {
        threshold: low,
        limit: usize::MAX,
    };
    let (mut checked, mut distinctive) = (0, 0);
    for _ in 0..env("EMBARGO_TEST_QUERIES", 120) {
        let listed = &names[r.next() % names.len()];
        let mut query = NameQuery::new(spoil(&listed.name, &mut r));
        // Kinds and countries, the listed ones or others, lower scores by factors
        // retrieval must bound right.
        query.kind = match r.next() % 3 {
            0 => None,
            1 => Some(listed.kind),
            _ => Some(EntityKind::Vessel),
        };
        query.country = match r.next() % 3 {
            0 => None,
            1 => listed.countries.first().cloned(),
            _ => Some("CN".to_string()),
        };
        let all = index.search_brute_force(&query, &scan);

        let want: Vec<&NameHit> = all.iter().filter(|h| h.score >= default).collect();
        let got = index.search(
            &query,
            &SearchOptions {
                threshold: default,
                limit: usize::MAX,
            },
        );
        same_hits(&query.name, &want, &got, "search");
        assert_eq!(got.len(), want.len(), "`{}`: extra hits", query.name);
        checked += want.len();

        let shares = |h: &&NameHit| {
            h.explanation.pairs.iter().any(|p| {
                matches!(p.basis, Basis::Exact | Basis::Phonetic)
                    && p.query_weight.min(p.candidate_weight) >= 0.9
            })
        };
        let want: Vec<&NameHit> = all.iter().filter(shares).collect();
        let got = index.search_sharing_word(&query, &scan, 0.9);
        same_hits(&query.name, &want, &got, "search_sharing_word");
        distinctive += want.len();
    }
    // The spoiled names must mostly still find their entity, or this checks little.
    assert!(checked > 40, "{checked} hits at the default threshold");
    assert!(
        distinctive > 40,
        "{distinctive} hits sharing a distinctive word"
    );
}
