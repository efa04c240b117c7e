//! `embargo serve` driven over HTTP: its API, audit log, auth and OpenAPI document,
//! against the real binary on 127.0.0.1 (see `support/server.rs`). Refusals are in
//! `server_errors.rs`, reload in `server_reload.rs`, limits, timeouts and shutdown in
//! `server_limits.rs`.

#[path = "support/http.rs"]
mod http;
#[path = "support/server.rs"]
mod server;

use std::process::{Command, Stdio};

use serde_json::{json, Value};

use server::{assert_json_error, json_lines, root, sha256_of, Server, TempDir, PLAIN_ORDER, RULES};

#[test]
fn screens_one_order_and_a_batch_and_audits_every_decision() {
    let dir = TempDir::new("screen");
    let rules = dir.write("rules.emb", RULES);
    let audit = dir.path("audit.jsonl");
    let server = Server::with_rules(&rules, &["--audit-log", audit.to_str().unwrap()]);

    let order = json!({"id": "PO-1",
        "parties": [{"role": "buyer", "name": "Komid", "country": "North Korea"}],
        "goods": [{"description": "Rolex Submariner", "hs": "9101.21", "quantity": 1, "value": 9000}]});
    let r = server.post("/v1/screen", &order.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.json();
    assert_eq!(d["id"], "PO-1");
    assert_eq!(d["decision"], "block");
    assert!(d["ruleset"].as_str().unwrap().starts_with("sha256:"));
    let rules_fired: Vec<&str> = d["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["rule"].as_str().unwrap())
        .collect();
    assert!(rules_fired.contains(&"listed") && rules_fired.contains(&"luxury"));
    let entity_hit = d["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "entity")
        .unwrap();
    assert_eq!(entity_hit["entity"], "un:KPe.001");
    assert_eq!(entity_hit["field"], "parties[0].name");
    let request_id = r.header("x-request-id").expect("request id").to_string();

    let batch = json!({"orders": [
        {"id": "B-1", "parties": [{"name": "Acme Tools GmbH", "country": "DE"}]},
        {"id": 2, "goods": [{"description": "patek philippe watch"}]},
        {"id": "B-3", "parties": [{"name": "KOREA MINING DEVELOPMENT TRADING CORP"}]}
    ]});
    let r = server.post("/v1/screen", &batch.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let ds = r.json();
    let decisions: Vec<(String, String)> = ds["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().into(),
                d["decision"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        decisions,
        [
            ("B-1".into(), "clear".into()),
            ("2".into(), "review".into()),
            ("B-3".into(), "block".into())
        ]
    );
    let r = server.post("/v1/screen", r#"{"orders": []}"#);
    assert_eq!(r.json(), json!({"decisions": []}));

    // One audit line per decision, written before the answers came back.
    let lines = json_lines(&audit);
    assert_eq!(lines.len(), 4, "{lines:?}");
    let first = &lines[0];
    assert_eq!(first["request_id"], request_id.as_str());
    assert_eq!(first["order"], "PO-1");
    assert_eq!(first["decision"], "block");
    assert_eq!(first["input_sha256"], sha256_of(&order).as_str());
    assert_eq!(first["ruleset"], d["ruleset"]);
    // The hits of the answer, less what quotes the order (log_order_contents is off).
    assert_eq!(first["hits"], without_quotes(&d["hits"]));
    assert_ne!(first["hits"], d["hits"], "the answer does quote the order");
    assert!(first["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(lines[1]["item"], 0);
    assert_eq!(lines[3]["item"], 2);
    assert_eq!(
        lines[3]["input_sha256"],
        sha256_of(&batch["orders"][2]).as_str()
    );
    assert_eq!(lines[1]["request_id"], lines[3]["request_id"]);
    // A caller's request id is kept.
    let r = server.send(
        "POST",
        "/v1/screen",
        &[
            ("Content-Type", "application/json"),
            ("X-Request-Id", "caller-42"),
        ],
        Some(br#"{"id":"PO-9","route":{"destination":"CN"}}"#),
    );
    assert_eq!(r.header("x-request-id"), Some("caller-42"));
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(text
        .lines()
        .last()
        .unwrap()
        .contains("\"request_id\":\"caller-42\""));
}

/// `hits` without the fields that quote an order (`text`, `explanation`).
fn without_quotes(hits: &Value) -> Value {
    match hits {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !["input", "text", "explanation"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without_quotes(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_quotes).collect()),
        v => v.clone(),
    }
}

#[test]
fn the_audit_log_holds_no_words_of_the_order() {
    let dir = TempDir::new("redact");
    let rules = dir.write("rules.emb", RULES);
    let audit = dir.path("audit.jsonl");
    let server = Server::with_rules(&rules, &["--audit-log", audit.to_str().unwrap()]);
    // A listed name with words of the order's own around it, a goods text with a term
    // among private words, a destination: each hit quotes some of them in the answer.
    let order = json!({"id": "PO-7",
        "parties": [{"name": "Korea Minning Developmant Trading Corporation"}],
        "goods": [{"description": "Rolex Zanzibarine heirloom", "hs": "9101"}],
        "route": {"destination": "Ruritania", "vessel": "Morningglory"}});
    let r = server.post("/v1/screen", &order.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let answer = r.text().to_lowercase();
    assert!(
        answer.contains("minning") && answer.contains("rolex"),
        "{answer}"
    );
    let log = std::fs::read_to_string(&audit)
        .expect("audit log")
        .to_lowercase();
    for word in [
        "minning",
        "developmant",
        "zanzibarine",
        "heirloom",
        "ruritania",
        "morningglory",
        "rolex",
    ] {
        assert!(!log.contains(word), "`{word}` in the audit log:\n{log}");
    }
    let line = &json_lines(&audit)[0];
    assert_eq!(line["decision"], "block");
    assert_eq!(line["input_sha256"], sha256_of(&order).as_str());
    let hits = line["hits"].as_array().expect("hits");
    assert!(hits
        .iter()
        .any(|h| h["entity"] == "un:KPe.001" && h["score"].is_number()));
    assert!(hits.iter().any(|h| h["category"] == "watches"));
    drop(server);

    // With consent the log keeps what the answer quotes.
    let config = dir.write("embargo.toml", "[server]\nlog_order_contents = true\n");
    let audit2 = dir.path("audit2.jsonl");
    let server = Server::with_rules(
        &rules,
        &[
            "--audit-log",
            audit2.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(server.post("/v1/screen", &order.to_string()).status, 200);
    let log = std::fs::read_to_string(&audit2)
        .expect("audit log")
        .to_lowercase();
    assert!(log.contains("rolex"), "{log}");
}

#[test]
fn match_classify_compare_entity_and_ruleset_answer_like_the_cli() {
    let dir = TempDir::new("ops");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);

    let r = server.post("/v1/match", r#"{"id":7,"name":"Korea Mining Development Trading Corp","kind":"organization","country":"KP","limit":5}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    let m = r.json();
    assert_eq!(m["id"], 7);
    assert_eq!(m["hits"][0]["entity"], "un:KPe.001");
    assert_eq!(m["hits"][0]["lists"], json!(["un"]));
    let r = server.post(
        "/v1/match",
        r#"{"name":"Korea Zzyzx Bakery","threshold":0,"limit":1}"#,
    );
    assert_eq!(
        r.json()["hits"].as_array().unwrap().len(),
        1,
        "threshold 0 returns the best"
    );

    let r = server.post(
        "/v1/classify",
        r#"{"id":"g1","description":"Rolex Daytona watch","hs":"9101"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["id"], "g1");
    assert_eq!(c["categories"][0]["id"], "watches");
    assert_eq!(c["categories"][0]["tags"], json!(["luxury"]));
    let evidence = &c["categories"][0]["evidence"];
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "term"
                && e["text"] == "Rolex"
                && e["start"] == 0
                && e["end"] == 5),
        "{evidence}"
    );

    // The service and the CLI give the same answers to the same lines.
    let pair = r#"{"a":"Kim Jong Un","b":"KIM Jong-un","kind":"person"}"#;
    let http = server.post("/v1/compare", pair).json();
    let cli = run_cli(&["compare", "--jsonl"], pair);
    assert_eq!(http, cli);
    assert!(http["score"].as_f64().unwrap() > 0.9);
    let line = r#"{"id":1,"name":"komid"}"#;
    let rules_arg = rules.to_str().unwrap();
    assert_eq!(
        server.post("/v1/match", line).json(),
        run_cli(&["match", "--rules", rules_arg, "--jsonl"], line)
    );

    let r = server.get("/v1/entities/un:KPe.001");
    assert_eq!(r.status, 200, "{}", r.text());
    let e = r.json();
    assert_eq!(e["id"], "un:KPe.001");
    assert_eq!(e["list"], "un");
    assert_eq!(e["aliases"][0]["name"], "KOMID");
    assert_json_error(&server.get("/v1/entities/un:NOPE"), 404, "un:NOPE");
    assert_eq!(server.get("/v1/entities/un%3AKPe.001").status, 200);

    let r = server.get("/v1/ruleset");
    assert_eq!(r.status, 200);
    let rs = r.json();
    assert!(rs["ruleset"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(rs["counts"]["entities"], 1);
    assert_eq!(rs["counts"]["names"], 2);
    assert_eq!(rs["counts"]["categories"], 1);
    assert_eq!(rs["counts"]["rules"], 2);
    assert_eq!(
        rs["lists"][0],
        json!({"name": "un", "title": "UN Security Council Consolidated List", "as_of": "2026-02-27", "entities": 1})
    );
}

fn run_cli(args: &[&str], stdin: &str) -> Value {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn health_metrics_and_an_openapi_document_that_is_true() {
    let dir = TempDir::new("meta");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);

    assert_eq!(server.get("/healthz").json(), json!({"status": "ok"}));
    let ready = server.get("/readyz").json();
    assert_eq!(ready["status"], "ready");

    // Every documented operation is routed, and every request example is accepted.
    let doc = server.get("/openapi.json").json();
    // No token here: the document declares no security and no 401 (nothing asks for one).
    assert!(doc.get("security").is_none(), "{doc}");
    assert!(doc["components"].get("securitySchemes").is_none());
    assert!(!doc.to_string().contains("\"401\""));
    let mut operations = 0;
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().unwrap() {
            operations += 1;
            let mut concrete = path.clone();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let example = p["example"]
                    .as_str()
                    .expect("path parameters have examples");
                concrete = concrete.replace(&format!("{{{name}}}"), example);
            }
            let examples = &op["requestBody"]["content"]["application/json"]["examples"];
            let method = method.to_uppercase();
            if let Some(examples) = examples.as_object() {
                for (name, ex) in examples {
                    let r = server.send(
                        &method,
                        &concrete,
                        &[("Content-Type", "application/json")],
                        Some(ex["value"].to_string().as_bytes()),
                    );
                    assert_eq!(
                        r.status,
                        200,
                        "{method} {path} example {name}: {}",
                        r.text()
                    );
                }
            } else {
                let r = server.send(&method, &concrete, &[], None);
                assert_eq!(r.status, 200, "{method} {path}: {}", r.text());
            }
        }
    }
    assert_eq!(operations, 13);

    server.post("/v1/screen", r#"{"id":"x","parties":[{"name":"KOMID"}]}"#);
    server.post("/v1/screen", "{");
    let m = server.get("/metrics");
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    let text = m.text();
    for needle in [
        "embargo_http_requests_total{route=\"/v1/screen\",status=\"200\"}",
        "embargo_http_requests_total{route=\"/v1/screen\",status=\"400\"} 1",
        "embargo_http_request_duration_seconds_bucket{route=\"/v1/screen\",le=\"+Inf\"}",
        "embargo_decisions_total{decision=\"block\"}",
        "embargo_ruleset_reloads_total{result=\"ok\"} 1",
        &format!(
            "embargo_ruleset_info{{hash=\"{}\"}} 1",
            ready["ruleset"].as_str().unwrap()
        ),
    ] {
        assert!(text.contains(needle), "metrics lack {needle}:\n{text}");
    }
}

#[test]
fn a_bearer_token_guards_everything_but_health() {
    let dir = TempDir::new("auth");
    let rules = dir.write("rules.emb", RULES);
    let rules_arg = rules.to_str().unwrap();
    let server = Server::start(
        &["--rules", rules_arg],
        &[("EMBARGO_TOKEN", "s3cret-token")],
    );
    assert!(server.log().contains("bearer token required"));

    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/readyz").status, 200);
    for path in [
        "/v1/ruleset",
        "/metrics",
        "/openapi.json",
        "/v1/entities/un:KPe.001",
    ] {
        let r = server.get(path);
        assert_json_error(&r, 401, "bearer token");
        assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    }
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1"}"#),
        401,
        "missing bearer token",
    );
    assert_json_error(&server.send("POST", "/v1/reload", &[], None), 401, "bearer");
    let screen = |auth: &str| {
        server.send(
            "POST",
            "/v1/screen",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", auth),
            ],
            Some(PLAIN_ORDER.as_bytes()),
        )
    };
    assert_json_error(&screen("Bearer wrong"), 401, "invalid bearer token");
    assert_json_error(&screen("Bearer s3cret-token-and-more"), 401, "invalid");
    assert_json_error(&screen("Basic czNjcmV0LXRva2Vu"), 401, "bearer");
    assert_eq!(screen("Bearer s3cret-token").status, 200);
    assert_eq!(screen("bearer  s3cret-token ").status, 200);
    // The document declares the bearer scheme, as this server has a token.
    let doc = server
        .send(
            "GET",
            "/openapi.json",
            &[("Authorization", "Bearer s3cret-token")],
            None,
        )
        .json();
    assert_eq!(doc["security"], json!([{"bearer": []}]));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["paths"]["/v1/screen"]["post"]["responses"]["401"].is_object());
    drop(server);

    // The same from `server.token_file`.
    let token = dir.write("token", "file-token\n");
    let config = dir.write(
        "embargo.toml",
        &format!("[server]\ntoken_file = {:?}\n", token.to_str().unwrap()),
    );
    let server = Server::start(
        &["--rules", rules_arg, "--config", config.to_str().unwrap()],
        &[],
    );
    assert_eq!(server.get("/v1/ruleset").status, 401);
    let r = server.send(
        "GET",
        "/v1/ruleset",
        &[("Authorization", "Bearer file-token")],
        None,
    );
    assert_eq!(r.status, 200);
}
#[test]
// Indexing the full embedded ruleset takes ~1 s in a release build but ~30 s in a
// debug one; `cargo test --release --test server` runs it, and so does
// `scripts/bench-serve.sh` in effect (it screens on the default rules).
#[cfg_attr(
    debug_assertions,
    ignore = "slow in debug builds: run with `cargo test --release --test server`"
)]
fn the_default_rules_screen_the_contract_example() {
    let server = Server::start(&[], &[]);
    let order = r#"{"id": "PO-1",
     "parties": [{"role": "buyer", "name": "Korea Mining Development Trading Corporation", "country": "KP", "address": "Pyongyang"}],
     "goods":   [{"description": "Lexus LX570 SUV, 2020", "hs": "8703.24", "quantity": 10, "value": 1000000, "currency": "USD"}],
     "route":   {"origin": "AE", "destination": "North Korea", "via": ["Nampo"]}}"#;
    let d = server.post("/v1/screen", order).json();
    assert_eq!(d["decision"], "block", "{d}");
    let hits = d["hits"].as_array().unwrap();
    // One hit per party: KOMID's UN entry is the hit's entity or among its `also`.
    let names_komid = |h: &serde_json::Value| {
        h["entity"] == "un:KPe.001"
            || h["also"]
                .as_array()
                .is_some_and(|a| a.iter().any(|e| e == "un:KPe.001"))
    };
    assert!(hits.iter().any(names_komid), "{d}");
    assert!(hits.iter().any(|h| h["kind"] == "goods"), "{d}");
    let c = server
        .post(
            "/v1/classify",
            r#"{"description":"Lexus LX570 SUV, 2020","hs":"8703.24","value":1000000}"#,
        )
        .json();
    assert!(
        c["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["tags"].as_array().unwrap().contains(&json!("luxury"))),
        "{c}"
    );
    let rs = server.get("/v1/ruleset").json();
    assert!(rs["counts"]["entities"].as_u64().unwrap() > 10_000);
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_sigterm_and_listens_on_names() {
    let dir = TempDir::new("stop");
    let rules = dir.write("rules.emb", RULES);
    let mut server = Server::start(
        &["--rules", rules.to_str().unwrap(), "--addr", "localhost:0"],
        &[],
    );
    assert_eq!(server.get("/healthz").status, 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    assert!(server
        .log_with(&["shutting down"])
        .contains("shutting down"));
}

#[test]
fn the_load_generator_drives_the_server_without_errors() {
    let dir = TempDir::new("loadgen");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .args([
            "run",
            "--quiet",
            "-p",
            "embargo-cli",
            "--example",
            "loadgen",
            "--",
        ])
        .args([
            "--addr",
            &server.addr,
            "--seconds",
            "0.5",
            "--connections",
            "2",
        ])
        .args([
            "--rate",
            "200",
            "--header",
            "--server-pid",
            &server.child.id().to_string(),
        ])
        .env_remove("EMBARGO_TOKEN")
        .output()
        .expect("cargo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // | load | connections | target | requests | errors | req/s | p50 | p99 | max | cpu |
    let row: Vec<&str> = text
        .lines()
        .last()
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .collect();
    assert_eq!(row.get(1), Some(&"POST /v1/screen"), "{text}");
    assert_eq!(row.get(3), Some(&"200"), "{text}");
    assert!(
        row.get(4)
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n > 0),
        "{text}"
    );
    assert_eq!(row.get(5), Some(&"0"), "errors: {text}");
}
