//! End-to-end tests of how a party's or vessel's name field is screened with the
//! shipped rules when it holds more than the name: a firm's `M/S.` prefix is no part
//! of the name. Each case was a silent `clear` or a weaker decision on a designated
//! party (a user trial).

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{embargo, json_lines};

const WRAPPED: &str = include_str!("../../tests/fixtures/orders/wrapped-names.jsonl");

/// The decisions of the shipped rules on the wrapped-names fixture, by order id.
fn decisions() -> Vec<(String, Value)> {
    let out = embargo(&["screen", "-"], WRAPPED);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    json_lines(&out)
        .into_iter()
        .map(|d| (d["id"].as_str().unwrap_or_default().to_string(), d))
        .collect()
}

fn decision<'a>(all: &'a [(String, Value)], id: &str) -> &'a Value {
    &all.iter()
        .find(|(k, _)| k == id)
        .expect("every order decided")
        .1
}

/// The first entity hit of a decision.
fn entity_hit(d: &Value) -> &Value {
    d["hits"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["kind"] == "entity"))
        .unwrap_or_else(|| panic!("an entity hit: {d}"))
}

#[test]
fn a_firm_prefix_with_a_dot_is_no_part_of_the_name() {
    // `M/S.` scored 0.75 (review) where `M/s` and `Messrs.` gave 1.0: the dot after the
    // prefix kept it from being dropped, and its letters read as two initials.
    let all = decisions();
    for id in ["W5", "W6"] {
        let hit = entity_hit(decision(&all, id));
        assert_eq!(hit["rule"], "dprk_listed_party", "{id}: {hit}");
        assert_eq!(hit["score"], 1.0, "{id}: {hit}");
    }
}
