//! Re-screening gives exactly what a full screen gives: after an update of 100 entities
//! of the shipped OFAC SDN list, the decisions `Rescreen` writes for an order book are
//! the decisions that differ between a full screen before and after the update, and
//! each is the full screen's decision.
//!
//! That holds because a name's score against a listed name does not depend on the
//! other listed names; `scores_do_not_depend_on_other_listed_names` fails if that
//! stops being true (say, word weights computed from the lists loaded), which would
//! make selective re-screening miss changes.
//!
//! The shipped rules are compiled and indexed once for all tests of this file (the
//! slowest part in a debug build).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use embargo::engine::{ScreenOptions, Screener};
use embargo::io::JsonlOrders;
use embargo::matching::{NameQuery, SearchOptions};
use embargo::watch::{hit_set, previous_of, PreviousDecisions, Reason, Rescreen};
use embargo::{Order, Ruleset};

#[path = "../benches/support/gen_orders.rs"]
mod gen_orders;
#[path = "../benches/support/list_changes.rs"]
mod list_changes;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped rules and their screener.
fn shipped() -> &'static Screener {
    static SHIPPED: OnceLock<Screener> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let rules =
            Ruleset::from_paths(&[root().join("rules")]).expect("the shipped rules compile");
        Screener::new(rules, ScreenOptions::default())
    })
}

/// The shipped rules files, with `lists/ofac-sdn.emb` left out.
fn rule_files_but_sdn(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("rules folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rule_files_but_sdn(&path, out);
        } else if path.extension().is_some_and(|e| e == "emb")
            && !path.ends_with("lists/ofac-sdn.emb")
        {
            out.push(path);
        }
    }
}

/// The shipped rules after an update of `n` SDN entities.
fn updated(n: usize) -> (Ruleset, list_changes::Update) {
    let rules = root().join("rules");
    let sdn = std::fs::read_to_string(rules.join("lists/ofac-sdn.emb")).expect("the SDN list");
    let (text, update) = list_changes::update(&sdn, "ofac-sdn", n, true);
    let dir = std::env::temp_dir().join(format!("embargo-rescreen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("ofac-sdn.emb");
    std::fs::write(&file, text).expect("write the update");
    let mut files = Vec::new();
    rule_files_but_sdn(&rules, &mut files);
    files.push(file);
    let new = Ruleset::from_paths(&files).expect("the updated rules compile");
    let _ = std::fs::remove_dir_all(&dir);
    (new, update)
}

/// `n` generated orders, then one order for each name in `names` (a counterparty of
/// the book that the update touches), as JSON lines and as orders.
fn order_book(n: u64, seed: u64, names: &[String]) -> (String, Vec<Order>) {
    let mut rng = gen_orders::Rng::new(seed);
    let mut text: String = (0..n)
        .map(|i| gen_orders::order(i, &mut rng) + "\n")
        .collect();
    for (k, name) in names.iter().enumerate() {
        let line = serde_json::json!({
            "id": format!("PO-T{k}"),
            "parties": [
                {"role": "seller", "name": "Ningbo Sunrise Textile Co., Ltd.", "country": "CN"},
                {"role": "buyer", "name": name, "country": "CN"},
            ],
            "goods": [{"description": "polyester staple fibre", "hs": "5503.20", "quantity": 10, "value": 1200}],
            "route": {"origin": "CN", "destination": "CN", "via": ["Dalian"]},
        });
        text.push_str(&format!("{line}\n"));
    }
    let orders = JsonlOrders::new(text.as_bytes())
        .map(|r| r.expect("reads").expect("a valid order").1)
        .collect();
    (text, orders)
}

/// `v` with every fractional number rounded to 12 decimals. Two searches of one name
/// in one index have been seen to give scores a last bit apart (0.9138754367828368
/// and ...369 for `Golden Bridge Machinery Pte Ltd` against `GOLDEN BRIDGE`, in a debug
/// build, the same search run on another thread with other searches before it);
/// decisions and the entities hit are compared exactly, scores to 12 decimals.
fn rounded(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => n
            .as_f64()
            .map(|f| Value::from((f * 1e12).round() / 1e12))
            .unwrap_or(Value::Number(n)),
        Value::Array(a) => Value::Array(a.into_iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, rounded(v))).collect()),
        other => other,
    }
}

#[test]
fn rescreening_writes_exactly_the_decisions_a_full_screen_changes() {
    let before = shipped();
    let old = before.ruleset();
    let (new, update) = updated(100);
    let touched: Vec<String> = update
        .removed
        .iter()
        .chain(&update.changed)
        .filter_map(|id| old.entity(id).map(|e| e.name.clone()))
        .chain(
            update
                .added
                .iter()
                .filter_map(|id| new.entity(id).map(|e| e.name.clone())),
        )
        .collect();
    assert_eq!(touched.len(), 100);
    // Orders whose party name joins two parties (`A c/o B`), screened whole and each
    // party alone: a re-screen must give what a full screen gives for them too. (The
    // whole name searched among the changed names already selects these; selection
    // searches the parts as well, as the screener does.)
    const PARTNER: &str = "Zhejiang Ningbo Sunrise Textile Garment Import Export Holding \
                           Group Company Limited Hangzhou Xiaoshan Warehouse Logistics";
    let wrapped: Vec<String> = touched
        .iter()
        .take(20)
        .enumerate()
        .map(|(k, n)| match k % 2 {
            0 => format!("{PARTNER} c/o {n}"),
            _ => format!("{n} o/b/o {PARTNER}"),
        })
        .collect();
    let names: Vec<String> = touched.iter().chain(&wrapped).cloned().collect();
    let after = Screener::new(new, ScreenOptions::default());
    let (_, mut orders) = order_book(2_000, 11, &names);
    // Some previous decisions were made under other settings than the re-screen's (a
    // user's embargo.toml): a higher threshold, or only the UN list enabled. Those are
    // not what the old rules give under today's settings, whatever the update did:
    // `Tangun Trading Corporation` is held for review under 0.95 and blocked under the
    // default; `CHON Chi Bu` is clear on the UN list alone and blocked on the EU's.
    let strict = Screener::new(
        old.clone(),
        ScreenOptions {
            threshold: 0.95,
            ..ScreenOptions::default()
        },
    );
    let un_only = Screener::new(
        old.clone(),
        ScreenOptions {
            lists: vec!["un".to_string()],
            ..ScreenOptions::default()
        },
    );
    for (id, name) in [
        ("PO-S1", "Tangun Trading Corporation"),
        ("PO-S2", "CHON Chi Bu"),
    ] {
        orders.push(
            Order::from_json(
                &serde_json::json!({"id": id, "parties": [{"name": name}]}).to_string(),
            )
            .expect("an order"),
        );
    }
    let made_with = |i: usize, o: &Order| -> (&Screener, Option<Reason>) {
        if o.id == "PO-S1" || i % 150 == 30 {
            (&strict, Some(Reason::SettingsChanged))
        } else if o.id == "PO-S2" || i % 150 == 100 {
            (&un_only, Some(Reason::ListsChanged))
        } else {
            (before, None)
        }
    };
    // Since the previous screen, the user edited some orders under their ids: a party
    // became a listed one (the decision changes whatever the lists did) or a goods
    // line's quantity changed (it may not). The file is written anew: the orders not
    // edited read as the same orders (the same `order_hash`) whatever the JSON text.
    let mut edited_ids = Vec::new();
    let now_orders: Vec<Order> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut o = o.clone();
            if i % 150 == 5 && !o.parties.is_empty() {
                o.parties[0].name = Some("KOMID".to_string());
                edited_ids.push(o.id.clone());
            } else if i % 150 == 77 && !o.goods.is_empty() {
                o.goods[0].quantity = Some(o.goods[0].quantity.unwrap_or(0.0) + 1.0);
                edited_ids.push(o.id.clone());
            }
            o
        })
        .collect();
    assert!(edited_ids.len() >= 20, "{}", edited_ids.len());
    let text: String = now_orders
        .iter()
        .map(|o| serde_json::to_string(o).expect("json") + "\n")
        .collect();

    let mut previous = PreviousDecisions::default();
    let mut expected = BTreeMap::new();
    let mut decisions = String::new();
    let mut other_settings: BTreeMap<String, Reason> = BTreeMap::new();
    for (i, (o, edited)) in orders.iter().zip(&now_orders).enumerate() {
        let (screener, why) = made_with(i, o);
        if let Some(why) = why {
            other_settings.insert(o.id.clone(), why);
        }
        let was = screener.screen(o);
        decisions.push_str(&serde_json::to_string(&was).expect("json"));
        decisions.push('\n');
        let now = after.screen(edited);
        if was.decision != now.decision || hit_set(&was) != hit_set(&now) {
            expected.insert(o.id.clone(), serde_json::to_value(&now).expect("json"));
        }
        previous
            .insert(o.id.clone(), previous_of(&was))
            .expect("ids are distinct");
    }
    let generated_changed = expected.keys().filter(|id| !id.starts_with("PO-T")).count();
    assert!(
        expected.len() >= 50 && generated_changed >= 1,
        "the update should change decisions: {} in all, {generated_changed} of generated orders",
        expected.len()
    );

    let wrapped_changed = expected
        .keys()
        .filter_map(|id| id.strip_prefix("PO-T")?.parse::<usize>().ok())
        .filter(|&k| k >= touched.len())
        .count();
    assert!(
        wrapped_changed >= 1,
        "the update should change decisions of wrapped names"
    );

    let rescreen = Rescreen::new(old, after.clone());
    let d = rescreen.diff();
    assert_eq!(
        d.counts(Some("ofac-sdn")),
        (
            update.added.len(),
            update.removed.len(),
            update.changed.len()
        )
    );
    assert!(d.logic.is_empty(), "{:?}", d.logic);
    let mut out = Vec::new();
    let summary = rescreen
        .run_jsonl(text.as_bytes(), &previous, 256, &mut out, &|r| {
            panic!("rejected line {}: {}", r.line, r.error)
        })
        .expect("runs");
    // Read in step with the orders, the decisions give the same output; and so they
    // do out of step (an unreadable line a third of the way, then a map).
    let in_step = |decisions: &str| {
        let mut again = Vec::new();
        let (s, rejected) = rescreen
            .run_jsonl_in_step(
                text.as_bytes(),
                decisions.as_bytes(),
                256,
                &mut again,
                &|r| panic!("rejected line {}: {}", r.line, r.error),
            )
            .expect("runs");
        (again, s.rescreened_total(), rejected.len())
    };
    assert_eq!(
        in_step(&decisions),
        (out.clone(), summary.rescreened_total(), 0)
    );
    let cut = decisions
        .match_indices('\n')
        .nth(orders.len() / 3)
        .map_or(0, |(k, _)| k + 1);
    let broken = format!("{}not a decision\n{}", &decisions[..cut], &decisions[cut..]);
    assert_eq!(
        in_step(&broken),
        (out.clone(), summary.rescreened_total(), 1)
    );
    // A decision line after the last order's is read and reported too.
    let longer = format!("{decisions}not a decision either\n");
    assert_eq!(
        in_step(&longer),
        (out.clone(), summary.rescreened_total(), 1)
    );

    let mut written = BTreeMap::new();
    let mut explained = BTreeMap::new();
    for line in String::from_utf8(out).expect("utf-8").lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).expect("json");
        let obj = v.as_object_mut().expect("an object");
        let prev = obj.remove("previous").expect("previous");
        let changes = obj.remove("changes").expect("changes");
        let id = obj["id"].as_str().expect("id").to_string();
        assert!(
            prev["decision"].is_string() && prev["ruleset"] == old.hash(),
            "{prev}"
        );
        let list_changes = changes
            .as_array()
            .is_some_and(|c| !c.is_empty() && c.iter().all(|c| c["entity"].is_string()));
        let order_changed = changes[0]["text"]
            == "the order changed since its previous decision (another order_hash)";
        let settings_text = match other_settings.get(&id) {
            Some(Reason::SettingsChanged) => "the previous decision was made under other settings (threshold 0.95, limit 10; now threshold 0.8, limit 10)",
            Some(_) => "the previous decision screened other lists (un; now eu, ofac-cons, ofac-sdn, un)",
            None => "",
        };
        assert!(
            if edited_ids.contains(&id) {
                order_changed
            } else if other_settings.contains_key(&id) {
                changes[0]["text"] == settings_text
            } else {
                list_changes
            },
            "{id}: a list change, the edit or the settings must explain it: {changes}"
        );
        explained.insert(id.clone(), changes);
        written.insert(id, v);
    }
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the orders whose decision changed"
    );
    for (id, want) in &expected {
        let got = written.get(id).map(|v| rounded(v.clone()));
        assert_eq!(got, Some(rounded(want.clone())), "the decision of {id}");
    }
    assert_eq!(summary.orders, orders.len() as u64);
    assert!(
        summary.rescreened_total() < orders.len() as u64 / 4,
        "most orders are not screened again: {summary}"
    );
    assert!(
        summary.rescreened.contains_key(&Reason::NameMatchesChange)
            && summary.rescreened.contains_key(&Reason::CitesChangedEntity),
        "{summary}"
    );
    assert_eq!(
        summary.rescreened.get(&Reason::OrderChanged).copied(),
        Some(edited_ids.len() as u64),
        "{summary}"
    );
    for why in [Reason::SettingsChanged, Reason::ListsChanged] {
        let made = other_settings.values().filter(|r| **r == why).count() as u64;
        assert!(made >= 10, "{made}");
        assert_eq!(
            summary.rescreened.get(&why).copied(),
            Some(made),
            "{summary}"
        );
    }
    // The trial's two orders: a full screen blocks both, so the re-screen writes both.
    for id in ["PO-S1", "PO-S2"] {
        assert_eq!(
            written.get(id).map(|d| d["decision"].clone()),
            Some(serde_json::json!("block")),
            "{id}"
        );
    }
    let edits_written = edited_ids
        .iter()
        .filter(|id| written.contains_key(*id))
        .count();
    assert!(
        edits_written >= 10 && edits_written < edited_ids.len(),
        "some edits change the decision and some do not: {edits_written} of {}",
        edited_ids.len()
    );

    // A new designation is explained as such.
    let (id, _) = written
        .iter()
        .find(|(_, v)| {
            v.to_string()
                .contains("DANDONG HONGXIANG LOGISTICS CO., LTD.")
        })
        .expect("an order of a Dandong Hongxiang company changed");
    assert!(explained[id]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["text"]
            == "newly listed on ofac-sdn, as of 2026-12-01"
            && c["name"] == "DANDONG HONGXIANG LOGISTICS CO., LTD.")));
}

/// The rules of the small test fixture, with `extra` appended.
fn mini(extra: &str) -> Ruleset {
    let dir = root().join("tests/fixtures/rules/valid/dprk-mini");
    let mut text = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for f in files {
        text.push_str(&std::fs::read_to_string(f).expect("read"));
        text.push('\n');
    }
    text.push_str(extra);
    Ruleset::from_text("mini.emb", &text).expect("compiles")
}

#[test]
fn a_rule_change_screens_everything_again_and_no_change_screens_nothing() {
    let old = mini("");
    let before = Screener::new(old.clone(), ScreenOptions::default());
    let (text, orders) = order_book(300, 5, &["KOMID".to_string()]);
    let mut previous = PreviousDecisions::default();
    for o in &orders {
        previous
            .insert(o.id.clone(), previous_of(&before.screen(o)))
            .expect("distinct");
    }
    let same = Rescreen::new(&old, before.clone());
    let mut out = Vec::new();
    let s = same
        .run_jsonl(text.as_bytes(), &previous, 64, &mut out, &|_| {})
        .expect("runs");
    assert_eq!((s.rescreened_total(), out.len()), (0, 0), "{s}");

    // One decision rule more: every order is screened again, and those it fires on
    // change, explained by the rule.
    let new = mini(
        "rule bulk_fibre { basis \"test\" when value > USD 1000 then review \"Large order\" }\n",
    );
    let after = Screener::new(new, ScreenOptions::default());
    let changed = Rescreen::new(&old, after.clone());
    let mut out = Vec::new();
    let s = changed
        .run_jsonl(text.as_bytes(), &previous, 64, &mut out, &|_| {})
        .expect("runs");
    assert_eq!(
        s.rescreened.get(&Reason::RulesChanged),
        Some(&(orders.len() as u64)),
        "{s}"
    );
    let expected = orders
        .iter()
        .filter(|o| before.screen(o).decision != after.screen(o).decision)
        .count();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(expected > 0);
    assert_eq!(text.lines().count(), expected);
    assert!(text
        .lines()
        .all(|l| l.contains("\"text\":\"rule bulk_fibre added\"")));
}

#[test]
fn orders_without_a_previous_decision_are_screened_and_written() {
    let old = mini("");
    let screener = Screener::new(old.clone(), ScreenOptions::default());
    let (text, orders) = order_book(20, 9, &[]);
    let rescreen = Rescreen::new(&old, screener);
    let mut out = Vec::new();
    let s = rescreen
        .run_jsonl(
            format!("{text}{{\"id\": \"bad\", \"goods\": [{{\"value\": \"ten\"}}]}}\nnot json\n")
                .as_bytes(),
            &PreviousDecisions::default(),
            8,
            &mut out,
            &|_| {},
        )
        .expect("runs");
    assert_eq!(s.rescreened.get(&Reason::NoPrevious), Some(&20));
    assert_eq!(s.rejected, 2);
    let out = String::from_utf8(out).expect("utf-8");
    assert_eq!(out.lines().count(), orders.len());
    assert!(out
        .lines()
        .all(|l| l.contains("\"previous\":null") && l.contains("no previous decision")));
}

#[test]
fn scores_do_not_depend_on_other_listed_names() {
    // Every hit a party name gets against the full shipped lists, it gets with the same
    // score against an index of only the entities hit.
    let screener = shipped();
    let full = screener.ruleset();
    let (_, orders) = order_book(400, 3, &[]);
    let mut names: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    for o in &orders {
        for p in &o.parties {
            if let Some(n) = &p.name {
                let cc = p
                    .country
                    .as_deref()
                    .and_then(embargo::reference::country_code);
                names.insert((n.clone(), cc.map(str::to_string)));
            }
        }
    }
    for listed in [
        "Korea Kwangson Banking Corp",
        "Kim Chong Un",
        "Dandong Hongxiang Industrial Development Co Ltd",
        "Ocean Maritime Management Co Ltd",
    ] {
        names.insert((listed.to_string(), None));
    }
    let opts = SearchOptions {
        threshold: 0.55,
        limit: 50,
    };
    let query = |(name, cc): &(String, Option<String>)| {
        let mut q = NameQuery::new(name.as_str());
        q.country = cc.clone();
        q
    };
    let mut hits = BTreeMap::new();
    let mut hit_entities = BTreeSet::new();
    for n in &names {
        let found: Vec<(String, u64)> = screener
            .names()
            .search(&query(n), &opts)
            .into_iter()
            .map(|h| {
                (
                    full.entities()[h.entity as usize].id.clone(),
                    h.score.to_bits(),
                )
            })
            .collect();
        hit_entities.extend(found.iter().map(|(e, _)| e.clone()));
        hits.insert(n.clone(), found);
    }
    assert!(
        hit_entities.len() >= 20,
        "too few hits to tell: {}",
        hit_entities.len()
    );
    let alone = full.with_entities_only(|e| hit_entities.contains(&e.id));
    let small = Screener::new(alone.clone(), ScreenOptions::default());
    for (n, want) in &hits {
        let got: Vec<(String, u64)> = small
            .names()
            .search(&query(n), &opts)
            .into_iter()
            .map(|h| {
                (
                    alone.entities()[h.entity as usize].id.clone(),
                    h.score.to_bits(),
                )
            })
            .collect();
        assert_eq!(&got, want, "{n:?}");
    }
}

/// An order whose hit names one entry of a linked party (two lists' entries sharing
/// a registration number) changes when the other entry changes, though its own entry
/// and the names it matches do not: a rule's filter accepts a hit through any entry of
/// its party. Re-screening selects it and explains it by the linked entry's change.
#[test]
fn a_change_to_a_linked_entry_selects_the_orders_citing_its_party() {
    let rules = linked_party_rules;
    let linked = LINKED_SDN_ENTRY;
    let unlinked = r#"entity ofac-sdn:22222 {
  kind person
  name "SOMEONE ELSE ENTIRELY"
  program DPRK
}"#;
    let old = Ruleset::from_text("old.emb", &rules(&format!("{linked}\n{unlinked}"))).expect("old");
    // The SDN entry of the party is lifted; nothing else changes.
    let new = Ruleset::from_text("new.emb", &rules(unlinked)).expect("new");
    let order = linked_party_order();
    let before = Screener::new(old.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(before.decision, embargo::Decision::Block);
    let hits = hit_set(&before);
    // The hit names the UN entry, the only one whose name the party's matches.
    assert_eq!(
        hits.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>(),
        ["Entity(\"un:KPe.001\")"]
    );
    let full = Screener::new(new.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(full.decision, embargo::Decision::Clear);

    let rescreen = Rescreen::new(&old, Screener::new(new, ScreenOptions::default()));
    let previous = previous_of(&before);
    assert_eq!(
        rescreen.select(&(&order).into(), Some(&previous)),
        Some(Reason::CitesLinkedChange)
    );
    let changed = rescreen.rescreen(&order, Some(&previous)).expect("changed");
    assert_eq!(changed.decision.decision, full.decision);
    assert_eq!(changed.changes.len(), 1, "{:?}", changed.changes);
    assert_eq!(changed.changes[0].entity.as_deref(), Some("ofac-sdn:11111"));
    assert_eq!(
        changed.changes[0].text,
        "removed from ofac-sdn, as of 2026-03-01"
    );
}

/// An order whose buyer is named as the UN entry of [`linked_party_rules`] is.
fn linked_party_order() -> Order {
    Order::from_json(
        r#"{"id": "PO-1", "parties": [{"role": "buyer", "name": "Korea Mining Development Trading Corporation"}]}"#,
    )
    .expect("order")
}

/// The SDN entry of the party in [`linked_party_rules`]: another name, the same
/// registration number as the UN entry.
const LINKED_SDN_ENTRY: &str = r#"entity ofac-sdn:11111 {
  kind organization
  name "CHANGGWANG SINYONG CORPORATION"
  program DPRK
  identifier registration "KOMID-778899"
}"#;

/// The UN entry and an SDN entry of one party (they share a registration number), with
/// a rule that accepts only the SDN program.
fn linked_party_rules(sdn: &str) -> String {
    format!(
        r#"
list un {{ title "UN" as_of "2026-02-27" }}
list ofac-sdn {{ title "SDN" as_of "2026-03-01" }}
entity un:KPe.001 {{
  kind organization
  name "KOREA MINING DEVELOPMENT TRADING CORPORATION"
  program "UN 1718"
  identifier registration "KOMID-778899"
}}
{sdn}
rule us_listed {{
  basis "31 CFR Part 510"
  when party matches program(DPRK)
  then block "A party is designated under the US DPRK program"
}}
"#
    )
}

/// A new SDN entry whose name no party matches makes a hit on its UN twin count: an
/// order that named the UN entry and was cleared (no test accepted the UN entry alone)
/// is blocked now, and re-screening selects it by the UN entry's name although neither
/// its decision nor its names cite anything that changed.
#[test]
fn a_new_entry_selects_the_orders_matching_an_entry_of_its_party() {
    let sdn = LINKED_SDN_ENTRY;
    let old = Ruleset::from_text("old.emb", &linked_party_rules("")).expect("old");
    let new = Ruleset::from_text("new.emb", &linked_party_rules(sdn)).expect("new");
    let order = linked_party_order();
    let before = Screener::new(old.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(before.decision, embargo::Decision::Clear);
    let full = Screener::new(new.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(full.decision, embargo::Decision::Block);

    let rescreen = Rescreen::new(&old, Screener::new(new, ScreenOptions::default()));
    let previous = previous_of(&before);
    assert_eq!(
        rescreen.select(&(&order).into(), Some(&previous)),
        Some(Reason::NameMatchesChange)
    );
    let changed = rescreen.rescreen(&order, Some(&previous)).expect("changed");
    assert_eq!(changed.decision.decision, full.decision);
}

/// A new alias on the SDN entry of a party changes no test's verdict on a hit on its
/// UN entry: the orders that cite the UN entry, and whose names do not match the alias,
/// keep their decision and are not screened again.
#[test]
fn an_alias_on_a_linked_entry_leaves_the_orders_citing_its_party_alone() {
    let sdn = |alias: &str| {
        format!(
            r#"entity ofac-sdn:11111 {{
  kind organization
  name "CHANGGWANG SINYONG CORPORATION"
  {alias}
  program DPRK
  identifier registration "KOMID-778899"
}}"#
        )
    };
    let old = Ruleset::from_text("old.emb", &linked_party_rules(&sdn(""))).expect("old");
    let new = Ruleset::from_text(
        "new.emb",
        &linked_party_rules(&sdn(r#"alias "GENERAL PRECIOUS METAL""#)),
    )
    .expect("new");
    let order = linked_party_order();
    let before = Screener::new(old.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(before.decision, embargo::Decision::Block);
    let full = Screener::new(new.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(
        (full.decision, hit_set(&full)),
        (before.decision, hit_set(&before))
    );

    let rescreen = Rescreen::new(&old, Screener::new(new, ScreenOptions::default()));
    assert_eq!(rescreen.diff().entities.len(), 1);
    assert_eq!(
        rescreen.select(&(&order).into(), Some(&previous_of(&before))),
        None
    );
}

/// The SDN entry of a party is lifted, but the rule that accepted the party's UN entry
/// through it also accepts UN entries itself: every hit on the party the SDN test took,
/// the UN test beside it under the same `or` takes too, so the orders citing the UN
/// entry keep their decision and are not screened again. With the UN test asking for
/// a higher score, a hit between the two scores would change: they are.
#[test]
fn a_lifted_entry_whose_party_another_test_accepts_leaves_its_orders_alone() {
    let sdn = LINKED_SDN_ENTRY;
    let with_un_test = |un_score: &str, entities: &str| {
        linked_party_rules(entities).replace(
            "when party matches program(DPRK)",
            &format!("when party matches program(DPRK) or party matches list(un){un_score}"),
        )
    };
    let order = linked_party_order();
    for (un_score, selected) in [
        ("", None),
        (" score >= 0.99", Some(Reason::CitesLinkedChange)),
    ] {
        let old = Ruleset::from_text("old.emb", &with_un_test(un_score, sdn)).expect("old");
        let new = Ruleset::from_text("new.emb", &with_un_test(un_score, "")).expect("new");
        let before = Screener::new(old.clone(), ScreenOptions::default()).screen(&order);
        assert_eq!(before.decision, embargo::Decision::Block);
        let full = Screener::new(new.clone(), ScreenOptions::default()).screen(&order);
        let rescreen = Rescreen::new(&old, Screener::new(new, ScreenOptions::default()));
        let previous = previous_of(&before);
        assert_eq!(
            rescreen.select(&(&order).into(), Some(&previous)),
            selected,
            "UN test{un_score}"
        );
        if selected.is_none() {
            assert_eq!(
                (full.decision, hit_set(&full)),
                (before.decision, hit_set(&before))
            );
        } else {
            // Screened again, to what a full screen gives.
            let same = (full.decision, hit_set(&full)) == (before.decision, hit_set(&before));
            let changed = rescreen.rescreen(&order, Some(&previous));
            assert_eq!(
                changed.map(|c| c.decision.decision),
                (!same).then_some(full.decision)
            );
        }
    }
}

/// An alias added to the SDN entry of a party whose UN entry the orders cite: a name
/// that finds the old and the new SDN entry alike (the same score on the same unchanged
/// name) gets the same hit before and after, so the order is not screened again. An
/// alias the name matches better is a change it sees: the order is screened again, to
/// what a full screen gives.
#[test]
fn a_name_found_alike_on_both_versions_of_an_entry_leaves_its_orders_alone() {
    let sdn = |alias: &str| {
        format!(
            r#"entity ofac-sdn:11111 {{
  kind organization
  name "KOREA MINING DEVELOPMENT TRADING"
  {alias}
  program DPRK
  identifier registration "KOMID-778899"
}}"#
        )
    };
    let order = linked_party_order();
    let old = Ruleset::from_text("old.emb", &linked_party_rules(&sdn(""))).expect("old");
    let before = Screener::new(old.clone(), ScreenOptions::default()).screen(&order);
    assert_eq!(before.decision, embargo::Decision::Block);
    assert_eq!(
        hit_set(&before)
            .iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>(),
        ["Entity(\"un:KPe.001\")"]
    );
    let previous = previous_of(&before);
    // The order's name finds the SDN entry too, at a score its test accepts: the
    // entry changed in an alias nobody names, not in what the name finds.
    let old_screener = Screener::new(old.clone(), ScreenOptions::default());
    let found = old_screener.names().search(
        &NameQuery::new("Korea Mining Development Trading Corporation"),
        &SearchOptions {
            threshold: 0.8,
            limit: 10,
        },
    );
    let scores: Vec<(String, f64)> = found
        .iter()
        .filter_map(|h| Some((old.entities().get(h.entity as usize)?.id.clone(), h.score)))
        .collect();
    assert!(
        scores.iter().any(|(id, _)| id == "ofac-sdn:11111"),
        "{scores:?}"
    );
    let probe = embargo::watch::OrderNames::from(&order);
    for (alias, selected) in [
        (r#"alias weak "KMD FRONT COMPANY""#, None),
        (
            r#"alias "KOREA MINING DEVELOPMENT TRADING CORPORATION""#,
            Some(Reason::NameMatchesChange),
        ),
    ] {
        let new = Ruleset::from_text("new.emb", &linked_party_rules(&sdn(alias))).expect("new");
        let full = Screener::new(new.clone(), ScreenOptions::default()).screen(&order);
        let rescreen = Rescreen::new(&old, Screener::new(new, ScreenOptions::default()));
        assert_eq!(rescreen.diff().entities.len(), 1);
        assert_eq!(
            rescreen.select(&probe, Some(&previous)),
            selected,
            "{alias}"
        );
        let same = (full.decision, hit_set(&full)) == (before.decision, hit_set(&before));
        if selected.is_none() {
            assert!(same, "{alias}: {:?}", hit_set(&full));
        }
        let changed = rescreen.rescreen(&order, Some(&previous));
        assert_eq!(
            changed.map(|c| (c.decision.decision, hit_set(&c.decision))),
            (!same).then(|| (full.decision, hit_set(&full))),
            "{alias}"
        );
    }
}
