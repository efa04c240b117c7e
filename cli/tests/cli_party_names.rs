//! End-to-end tests of how a party's or vessel's name field is screened with the
//! shipped rules when it holds more than one name: parties joined by a wrapper (`c/o`,
//! `o/b/o`, `on behalf of`, ...) are each screened as a name of their own, a firm's
//! `M/S.` prefix is no part of the name, and a vessel's remark in parentheses does not
//! sink its name. Each case was a silent `clear` of a designated party (a user trial).

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
fn each_party_a_wrapper_joins_is_screened_on_its_own() {
    let all = decisions();
    for (id, part, start, end) in [
        ("W1", "Korea Kwangson Banking Corp", 0, 27),
        ("W2", "Korea Kwangson Banking Corp", 15, 42),
        ("W3", "Korea Mining Development Trading Corporation", 22, 66),
    ] {
        let d = decision(&all, id);
        assert_eq!(d["decision"], "block", "{d}");
        let hit = entity_hit(d);
        assert_eq!(hit["rule"], "dprk_listed_party", "{hit}");
        // The evidence stays that of the field as written: the input is the whole
        // name, the part that matched is named with its span in it.
        let input = hit["input"].as_str().unwrap_or_default();
        let chars: Vec<char> = input.chars().collect();
        assert_eq!(hit["part"]["text"], part, "{hit}");
        assert_eq!(hit["part"]["start"], start, "{hit}");
        assert_eq!(hit["part"]["end"], end, "{hit}");
        let spanned: String = chars[start..end].iter().collect();
        assert_eq!(spanned, part);
        let why = hit["explanation"].as_str().unwrap_or_default();
        assert!(
            why.starts_with(&format!("part \"{part}\"")),
            "the explanation names the part: {why}"
        );
    }
    // Two parties neither of which is listed stay clear.
    assert_eq!(decision(&all, "W4")["decision"], "clear");
    // A name with no wrapper is evidence of its own, with no part.
    let plain = entity_hit(decision(&all, "W9"));
    assert!(plain.get("part").is_none(), "{plain}");
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

#[test]
fn a_remark_in_parentheses_does_not_sink_a_vessel_name() {
    let all = decisions();
    for id in ["W7", "W8"] {
        let d = decision(&all, id);
        assert_eq!(d["decision"], "block", "{d}");
        let hit = entity_hit(d);
        assert_eq!(hit["rule"], "dprk_designated_vessel", "{hit}");
        assert_eq!(hit["field"], "route.vessel", "{hit}");
        assert_eq!(hit["part"]["start"], 0, "{hit}");
        assert_eq!(hit["part"]["end"], 9, "{hit}");
    }
}
