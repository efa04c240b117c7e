//! End-to-end tests of listed names written the way DPRK paperwork writes them, with
//! the shipped rules: a designated party's name translated into Chinese (simplified
//! characters) or Japanese, and its name with a branch in a city that also names
//! parties (`Dandong Branch`, `Shanghai Branch`, `Dandong Rep Office`). Each was a
//! silent `clear` (or only a review) of KOMID, UN KPe.001, in a user trial.

use serde_json::Value;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{embargo, json_lines};

const ORDERS: &str = include_str!("../../tests/fixtures/orders/translated-names.jsonl");

/// KOMID's EU entry (linked to UN KPe.001).
const KOMID: &str = "eu:32017R1509/XIII.B/1";

#[test]
fn komid_translated_or_with_a_branch_city_blocks() {
    let out = embargo(&["screen", "-"], ORDERS);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let decisions = json_lines(&out);
    assert_eq!(decisions.len(), 5, "{decisions:?}");
    for d in &decisions {
        assert_eq!(d["decision"], "block", "{d}");
        let hit: &Value = d["hits"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["kind"] == "entity"))
            .unwrap_or_else(|| panic!("an entity hit: {d}"));
        assert_eq!(hit["rule"], "dprk_listed_party", "{hit}");
        assert_eq!(hit["entity"], KOMID, "{hit}");
        // Translated, the name reads as the listed one but not letter for letter;
        // with the branch left out, it is the listed name.
        let score = hit["score"].as_f64().unwrap_or_default();
        let translated = matches!(d["id"].as_str(), Some("T1" | "T2"));
        assert!(
            if translated {
                score >= 0.95
            } else {
                score == 1.0
            },
            "{hit}"
        );
    }
}
