//! Continuous screening over HTTP, against the real binary on 127.0.0.1:
//! `GET /v1/lists` (versions, counts, staleness) and `POST /v1/rescreen` (orders with
//! their previous decisions in, only the changed decisions out) across a reload.

#[path = "support/http.rs"]
mod http;
#[path = "support/server.rs"]
mod server;

use serde_json::{json, Value};

use server::{assert_json_error, Server, TempDir, RULES, RULES_V2_EXTRA};

/// A list of its own, last updated long ago.
const OLD_LIST: &str = r#"
list old-list { title "An old list" authority "Nobody" as_of "2020-01-02" source "old.csv" }
entity old-list:1 { kind person name "NOBODY AT ALL" }
"#;

#[test]
fn lists_gives_versions_counts_and_staleness() {
    let dir = TempDir::new("lists");
    let folder = dir.path("rules");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("base.emb"), RULES).unwrap();
    std::fs::write(folder.join("old.emb"), OLD_LIST).unwrap();
    let server = Server::with_rules(&folder, &[]);
    let r = server.get("/v1/lists");
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert!(body["ruleset"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(body["max_age_days"], 365);
    let lists = body["lists"].as_array().unwrap();
    let by_name = |n: &str| -> &Value { lists.iter().find(|l| l["name"] == n).unwrap() };
    let un = by_name("un");
    assert_eq!(un["as_of"], "2026-02-27");
    assert_eq!(un["title"], "UN Security Council Consolidated List");
    assert_eq!(un["entities"], 1);
    assert_eq!(un["screened"], true);
    let old = by_name("old-list");
    assert_eq!(old["as_of"], "2020-01-02");
    assert_eq!(old["authority"], "Nobody");
    assert_eq!(old["source"], "old.csv");
    assert_eq!(old["entities"], 1);
    assert_eq!(old["stale"], true);
    assert!(old["age_days"].as_i64().unwrap() > 365 * 6);
}

/// The orders of the rescreen test: one that the update names, one listed all
/// along, one nobody is.
fn orders() -> Vec<Value> {
    vec![
        json!({"id": "Z-1", "parties": [{"role": "buyer", "name": "Zephyr Quillon Holdings Ltd"}]}),
        json!({"id": "K-1", "parties": [{"role": "buyer", "name": "KOMID"}]}),
        json!({"id": "P-1", "route": {"destination": "CN"}}),
    ]
}

#[test]
fn rescreen_after_a_reload_returns_only_the_changed_decisions() {
    let dir = TempDir::new("rescreen");
    let folder = dir.path("rules");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("base.emb"), RULES).unwrap();
    let server = Server::with_rules(&folder, &[]);

    let r = server.post("/v1/screen", &json!({"orders": orders()}).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let first = r.json()["decisions"].as_array().unwrap().clone();
    let old_hash = first[0]["ruleset"].as_str().unwrap().to_string();
    assert_eq!(first[0]["decision"], "clear");
    assert_eq!(first[1]["decision"], "block");

    // Nothing changed yet: nothing is screened again, nothing comes back.
    let items: Vec<Value> = orders()
        .into_iter()
        .zip(&first)
        .map(|(o, d)| json!({"order": o, "previous": d}))
        .collect();
    let body = json!({ "items": items }).to_string();
    let r = server.post("/v1/rescreen", &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["orders"], 3);
    assert_eq!(a["rescreened"], 0);
    assert_eq!(a["decisions"], json!([]));

    // A new designation naming the first order's buyer.
    std::fs::write(folder.join("extra.emb"), RULES_V2_EXTRA).unwrap();
    let r = server.send("POST", "/v1/reload", &[], None);
    assert_eq!(r.status, 200, "{}", r.text());
    let new_hash = r.json()["ruleset"].as_str().unwrap().to_string();

    let r = server.post("/v1/rescreen", &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["ruleset"], new_hash.as_str());
    assert_eq!(a["compared_with"], old_hash.as_str());
    assert_eq!(a["orders"], 3);
    // Only the order whose buyer resembles the new entity was screened again.
    assert_eq!(a["rescreened"], 1);
    let changed = a["decisions"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{a}");
    let d = &changed[0];
    assert_eq!(d["id"], "Z-1");
    assert_eq!(d["decision"], "block");
    assert_eq!(d["ruleset"], new_hash.as_str());
    assert_eq!(
        d["previous"],
        json!({"decision": "clear", "ruleset": old_hash})
    );
    assert_eq!(d["changes"][0]["entity"], "un:KPe.099");
    assert_eq!(d["changes"][0]["change"], "added");
    assert_eq!(
        d["changes"][0]["text"],
        "newly listed on un, as of 2026-02-27"
    );

    // An order without a previous decision is screened and returned; one decided by
    // rules the server never had is screened again and returned only if it differs.
    let mut unknown = first[1].clone();
    unknown["ruleset"] = json!("sha256:never-loaded");
    let body = json!({"items": [
        {"order": orders()[2].clone()},
        {"order": orders()[1].clone(), "previous": unknown},
    ]});
    let r = server.post("/v1/rescreen", &body.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["rescreened"], 2);
    let changed = a["decisions"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{a}");
    assert_eq!(changed[0]["id"], "P-1");
    assert_eq!(changed[0]["previous"], Value::Null);
    assert_eq!(changed[0]["changes"][0]["text"], "no previous decision");
}

#[test]
fn rescreen_refuses_what_it_cannot_read_with_the_item_named() {
    let dir = TempDir::new("rescreen-bad");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let cases = [
        (
            json!({"items": [{"order": {"id": "A", "route": {"destination": "CN"}}, "previous": {"decision": "maybe", "ruleset": "x"}}]}),
            "items[0].previous",
        ),
        (
            json!({"items": [{"order": {"id": "A", "route": {"destination": "CN"}}, "previous": {"decision": "block", "ruleset": "x", "hits": [{"kind": "entity"}]}}]}),
            "items[0].previous.hits[0]",
        ),
        (
            json!({"items": [{"order": {"id": "A", "route": {"destination": "CN"}}}, {"order": {"id": "B"}}]}),
            "items[1].order",
        ),
        (json!({"orders": []}), "`items`"),
    ];
    for (body, named) in cases {
        let r = server.post("/v1/rescreen", &body.to_string());
        assert_json_error(&r, 422, named);
    }
    let r = server.post("/v1/rescreen", "{\"items\": [");
    assert_json_error(&r, 400, "JSON");
}

#[test]
fn rescreen_screens_again_an_order_edited_under_its_id() {
    let dir = TempDir::new("rescreen-edited");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let r = server.post("/v1/screen", &json!({"orders": orders()}).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let first = r.json()["decisions"].as_array().unwrap().clone();
    assert!(first.iter().all(|d| d["order_hash"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:"))));

    // P-1 now goes to a listed buyer, under the same id; the rules are the same.
    let mut edited = orders();
    edited[2]["parties"] = json!([{"role": "buyer", "name": "KOMID"}]);
    let items: Vec<Value> = edited
        .iter()
        .zip(&first)
        .map(|(o, d)| json!({"order": o, "previous": d}))
        .collect();
    let r = server.post("/v1/rescreen", &json!({ "items": items }).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["rescreened"], 1, "{a}");
    let changed = a["decisions"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{a}");
    assert_eq!(changed[0]["id"], "P-1");
    assert_eq!(changed[0]["decision"], "block");
    assert_eq!(
        changed[0]["changes"][0]["text"],
        "the order changed since its previous decision (another order_hash)"
    );
    let full = server.post("/v1/screen", &edited[2].to_string()).json();
    assert_eq!(changed[0]["hits"], full["hits"]);
    assert_eq!(changed[0]["order_hash"], full["order_hash"]);

    // Decisions without a fingerprint (an older version's): every order again.
    let items: Vec<Value> = orders()
        .iter()
        .zip(&first)
        .map(|(o, d)| {
            let mut d = d.clone();
            d.as_object_mut().unwrap().remove("order_hash");
            json!({"order": o, "previous": d})
        })
        .collect();
    let r = server.post("/v1/rescreen", &json!({ "items": items }).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["rescreened"], 3);
    assert_eq!(r.json()["decisions"], json!([]));
}

#[test]
fn a_batch_with_one_id_twice_is_refused_naming_both() {
    let dir = TempDir::new("duplicate-ids");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let twice = json!({"orders": [
        {"id": "A", "route": {"destination": "CN"}},
        {"id": "B", "route": {"destination": "CN"}},
        {"id": "A", "parties": [{"name": "KOMID"}]},
    ]});
    let r = server.post("/v1/screen", &twice.to_string());
    assert_json_error(
        &r,
        422,
        "orders[2]: duplicate order id `A`, first at orders[0]",
    );
    let items = json!({"items": [
        {"order": {"id": "A", "route": {"destination": "CN"}}},
        {"order": {"id": "A", "parties": [{"name": "KOMID"}]}},
    ]});
    let r = server.post("/v1/rescreen", &items.to_string());
    assert_json_error(
        &r,
        422,
        "items[1].order: duplicate order id `A`, first at items[0]",
    );
    let bad_hash = json!({"items": [{"order": {"id": "A", "route": {"destination": "CN"}},
        "previous": {"decision": "clear", "ruleset": "x", "order_hash": "sha256:abc"}}]});
    let r = server.post("/v1/rescreen", &bad_hash.to_string());
    assert_json_error(&r, 422, "items[0].previous");
}
