//! `embargo serve` driven over HTTP: the real binary on 127.0.0.1 with an OS-chosen
//! port (read from its stderr), small rules files written to a temp folder so each
//! start takes milliseconds.

#[path = "support/http.rs"]
mod http;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use http::{Conn, Response};

/// A listed entity, a goods category and two rules: enough for every endpoint.
const RULES: &str = r#"
list un { title "UN Security Council Consolidated List" as_of "2026-02-27" }
entity un:KPe.001 {
  kind organization
  name "KOREA MINING DEVELOPMENT TRADING CORPORATION"
  alias "KOMID"
  country KP
  program "UN 1718"
}
category watches {
  title "Luxury watches"
  tags luxury
  basis "EU Reg. 2017/1509, Annex VIII"
  terms "rolex", "patek philippe"
  hs 9101
}
rule listed {
  basis "UNSCR 1718 (2006), para. 8(d)"
  when party matches list(un)
  then block "A party is listed"
}
rule luxury {
  basis "EU Reg. 2017/1509, Art. 10"
  when goods in watches
  then review "Luxury goods"
}
"#;

/// The same rules plus a second entity.
const RULES_V2_EXTRA: &str = r#"
entity un:KPe.099 {
  kind organization
  name "ZEPHYR QUILLON HOLDINGS"
  country KP
  program "UN 1718"
}
"#;

/// A temp folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "embargo-serve-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write temp file");
        p
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `embargo serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

/// The workspace root: fixtures, examples and rules are named relative to it, and the
/// binary runs there as a user in a clone of the repository would.
fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl Server {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
        cmd.current_dir(root()).arg("serve").args(args);
        if !args.contains(&"--addr") {
            cmd.args(["--addr", "127.0.0.1:0"]);
        }
        cmd.env_remove("EMBARGO_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start embargo serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        // Keep draining stderr for the server's whole life, so it never blocks on a
        // full pipe, and keep the text for assertions.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // Record the line before announcing the address, so that a test
                // reading the log right after `start` sees the start-up line.
                {
                    let mut s = sink.lock().unwrap();
                    s.push_str(&line);
                    s.push('\n');
                }
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send(addr);
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!("server did not start:\n{}", log.lock().unwrap());
            }
        };
        Server {
            child,
            addr,
            stderr: log,
        }
    }

    fn with_rules(rules: &Path, more: &[&str]) -> Server {
        let mut args = vec!["--rules", rules.to_str().expect("utf-8 path")];
        args.extend_from_slice(more);
        Server::start(&args, &[])
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        self.conn()
            .send(method, path, headers, body)
            .expect("request")
    }

    fn conn(&self) -> Conn {
        Conn::connect(&self.addr).expect("connect")
    }

    fn get(&self, path: &str) -> Response {
        self.conn().get(path).expect("GET")
    }

    fn post(&self, path: &str, body: &str) -> Response {
        self.conn().post_json(path, body).expect("POST")
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The log once it holds every one of `needles`, or as it stands after ten
    /// seconds: stderr is read by another thread, which may lag behind the server.
    fn log_with(&self, needles: &[&str]) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if needles.iter().all(|n| log.contains(n)) || std::time::Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A 4xx answer with a JSON error that says something.
fn assert_json_error(r: &Response, status: u16, contains: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    let message = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {}", r.text()));
    assert!(
        message.contains(contains),
        "error {message:?} should mention {contains:?}"
    );
    assert_eq!(v["status"], status);
}

fn sha256_of(v: &Value) -> String {
    let hash = Sha256::digest(serde_json::to_vec(v).unwrap());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

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
    let text = std::fs::read_to_string(&audit).expect("audit log");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    let first = &lines[0];
    assert_eq!(first["request_id"], request_id.as_str());
    assert_eq!(first["order"], "PO-1");
    assert_eq!(first["decision"], "block");
    assert_eq!(first["input_sha256"], sha256_of(&order).as_str());
    assert_eq!(first["ruleset"], d["ruleset"]);
    assert_eq!(first["hits"], d["hits"]);
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
        Some(br#"{"id":"PO-9","route":{"origin":"CN"}}"#),
    );
    assert_eq!(r.header("x-request-id"), Some("caller-42"));
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(text
        .lines()
        .last()
        .unwrap()
        .contains("\"request_id\":\"caller-42\""));
}

#[test]
fn match_classify_compare_entity_and_ruleset_answer_like_the_cli() {
    let dir = TempDir::new("ops");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);

    let r = server.post("/v1/match", r#"{"id":7,"name":"Korea Mining Development Trading Corp","kind":"organization","country":"KP","limit":"5"}"#);
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
    assert_eq!(operations, 11);

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
fn malformed_requests_get_json_4xx_and_no_order_contents_reach_the_log() {
    let dir = TempDir::new("bad");
    let rules = dir.write("rules.emb", RULES);
    let config = dir.write("embargo.toml", "[server]\nmax_body_bytes = 4096\n");
    let server = Server::with_rules(&rules, &["--config", config.to_str().unwrap()]);
    let secret = "Quixotic Secretname Trading";

    // Not JSON, not readable, empty.
    assert_json_error(&server.post("/v1/screen", "{\"id\": "), 400, "invalid JSON");
    assert_json_error(
        &server.post(
            "/v1/screen",
            &format!("{{\"id\":\"1\",\"parties\":[{{\"name\":\"{secret}\"}}],}}"),
        ),
        400,
        "invalid JSON",
    );
    assert_json_error(&server.post("/v1/screen", ""), 400, "empty");
    assert_json_error(&server.post("/v1/match", "  \n"), 400, "empty");
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "application/json")],
        Some(b"{\"id\":\"\xff\xfe\"}"),
    );
    assert_json_error(&r, 400, "invalid JSON");
    let deep = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    assert_json_error(&server.post("/v1/screen", &deep), 400, "invalid JSON");
    // Understood as JSON, but not a valid request.
    assert_json_error(&server.post("/v1/screen", "{}"), 422, "id");
    assert_json_error(&server.post("/v1/screen", r#"{"id":"  "}"#), 422, "id");
    assert_json_error(&server.post("/v1/screen", "[1,2]"), 422, "an array");
    assert_json_error(
        &server.post("/v1/screen", r#"{"orders": {"id": "1"}}"#),
        422,
        "orders",
    );
    assert_json_error(
        &server.post(
            "/v1/screen",
            r#"{"orders": [{"id": "1", "route": {"origin": "CN"}}, 5]}"#,
        ),
        422,
        "orders[1]",
    );
    assert_json_error(
        &server.post(
            "/v1/screen",
            &format!(
                r#"{{"id":"1","parties":[{{"name":"{secret}"}}],"goods":[{{"value":"ten"}}]}}"#
            ),
        ),
        422,
        "",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","goods":[{"quantity":-3}]}"#),
        422,
        "goods[0].quantity",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","goods":[{"hs":"ABCD"}]}"#),
        422,
        "goods[0].hs",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","parties":"Komid"}"#),
        422,
        "",
    );
    assert_json_error(
        &server.post("/v1/match", r#"{"kind":"person"}"#),
        422,
        "name",
    );
    assert_json_error(
        &server.post(
            "/v1/match",
            &format!(r#"{{"name":"{secret}","kind":"boat"}}"#),
        ),
        422,
        "kind",
    );
    assert_json_error(
        &server.post("/v1/match", r#"{"name":"x","limit":0}"#),
        422,
        "limit",
    );
    assert_json_error(
        &server.post("/v1/match", r#"{"name":"x","threshold":1.5}"#),
        422,
        "threshold",
    );
    assert_json_error(&server.post("/v1/match", r#"{"name":["x"]}"#), 422, "");
    assert_json_error(&server.post("/v1/match", "\"komid\""), 422, "a string");
    assert_json_error(
        &server.post("/v1/classify", r#"{"id":1}"#),
        422,
        "description",
    );
    assert_json_error(
        &server.post("/v1/classify", r#"{"description":"x","value":-1}"#),
        422,
        "value",
    );
    assert_json_error(&server.post("/v1/compare", r#"{"a":"x"}"#), 422, "\"b\"");
    // Too large: declared, and streamed without a length.
    let big = format!(
        r#"{{"id":"1","parties":[{{"name":"{}"}}]}}"#,
        "A".repeat(5000)
    );
    assert_json_error(&server.post("/v1/screen", &big), 413, "4096");
    let mut c = server.conn();
    let mut raw = b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..5 {
        raw.extend_from_slice(b"400\r\n");
        raw.extend_from_slice(&[b' '; 0x400]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    c.send_raw(&raw).unwrap();
    assert_json_error(&c.read_response().unwrap(), 413, "4096");
    // Not JSON by its type.
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "text/plain")],
        Some(br#"{"id":"1","route":{"origin":"CN"}}"#),
    );
    assert_json_error(&r, 415, "application/json");
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "multipart/form-data; boundary=x")],
        Some(b"--x--"),
    );
    assert_json_error(&r, 415, "application/json");
    // JSON without a type, or with `curl -d`'s default type, is read as JSON.
    let r = server.send(
        "POST",
        "/v1/screen",
        &[],
        Some(br#"{"id":"1","route":{"origin":"CN"}}"#),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(br#"{"id":"1","route":{"origin":"CN"}}"#),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "application/json; charset=utf-8")],
        Some(br#"{"id":"1","route":{"origin":"CN"}}"#),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Unknown routes and methods.
    assert_json_error(&server.get("/v2/screen"), 404, "/v2/screen");
    assert_json_error(&server.get("/v1/screen"), 405, "GET");
    assert_json_error(
        &server.send("DELETE", "/v1/ruleset", &[], None),
        405,
        "DELETE",
    );

    // Still serving after all that, and the log holds statuses, not contents.
    assert_eq!(server.get("/healthz").status, 200);
    let ok = server.post(
        "/v1/screen",
        &format!(r#"{{"id":"ok","parties":[{{"name":"{secret}"}}]}}"#),
    );
    assert_eq!(ok.status, 200);
    let log = server.log_with(&["-> 422", "-> 413", "-> 400"]);
    assert!(
        log.contains("-> 422") && log.contains("-> 413") && log.contains("-> 400"),
        "{log}"
    );
    assert!(
        !log.contains("Secretname"),
        "order contents in the log:\n{log}"
    );
    assert!(!log.to_lowercase().contains("panic"), "{log}");
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
        &server.post("/v1/screen", r#"{"id":"1","route":{"origin":"CN"}}"#),
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
            Some(br#"{"id":"1","route":{"origin":"CN"}}"#),
        )
    };
    assert_json_error(&screen("Bearer wrong"), 401, "invalid bearer token");
    assert_json_error(&screen("Bearer s3cret-token-and-more"), 401, "invalid");
    assert_json_error(&screen("Basic czNjcmV0LXRva2Vu"), 401, "bearer");
    assert_eq!(screen("Bearer s3cret-token").status, 200);
    assert_eq!(screen("bearer  s3cret-token ").status, 200);
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

/// Posts orders on `threads` connections until `stop`, counting answers by status.
fn traffic(
    addr: &str,
    threads: usize,
    stop: Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<(usize, Vec<String>)>> {
    (0..threads)
        .map(|t| {
            let addr = addr.to_string();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::connect(&addr).unwrap();
                let (mut ok, mut failures) = (0, Vec::new());
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let body = format!(r#"{{"id":"t{t}-{n}","parties":[{{"name":"Komid"}}]}}"#);
                    match conn.post_json("/v1/screen", &body) {
                        Ok(r) if r.status == 200 && r.json()["decision"] == "block" => ok += 1,
                        Ok(r) => failures.push(format!("{} {}", r.status, r.text())),
                        Err(e) => {
                            failures.push(e.to_string());
                            conn = Conn::connect(&addr).unwrap();
                        }
                    }
                }
                (ok, failures)
            })
        })
        .collect()
}

/// The decision on an order whose buyer only the second version of the rules lists.
fn zephyr(server: &Server) -> String {
    let body = r#"{"id":"z","parties":[{"name":"Zephyr Quillon Holdings"}]}"#;
    let d = server.post("/v1/screen", body).json();
    d["decision"].as_str().unwrap_or("?").to_string()
}

fn ruleset_hash(server: &Server) -> String {
    server.get("/v1/ruleset").json()["ruleset"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn reload_swaps_rules_under_traffic_and_rejects_broken_rules() {
    let dir = TempDir::new("reload");
    let folder = dir.path("rules");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("base.emb"), RULES).unwrap();
    let server = Server::with_rules(&folder, &[]);
    let first = ruleset_hash(&server);
    assert_eq!(zephyr(&server), "clear");

    let stop = Arc::new(AtomicBool::new(false));
    let workers = traffic(&server.addr, 2, stop.clone());
    std::thread::sleep(Duration::from_millis(100));

    // A new entity: reloaded, and screened against at once.
    std::fs::write(folder.join("extra.emb"), RULES_V2_EXTRA).unwrap();
    let r = server.send("POST", "/v1/reload", &[], None);
    assert_eq!(r.status, 200, "{}", r.text());
    let answer = r.json();
    assert_eq!(answer["changed"], true);
    assert_eq!(answer["previous"], first.as_str());
    let second = answer["ruleset"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    assert_eq!(ruleset_hash(&server), second);
    assert_eq!(zephyr(&server), "block");

    // A broken file: rejected with its diagnostics; the second ruleset keeps serving.
    std::fs::write(
        folder.join("broken.emb"),
        "rule oops {\n  when party matches list(nowhere)\n  then blok \"x\"\n}\n",
    )
    .unwrap();
    let r = server.send("POST", "/v1/reload", &[], None);
    assert_json_error(&r, 422, "error");
    let rejected = r.json();
    assert_eq!(rejected["ruleset"], second.as_str());
    let diagnostics = rejected["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d.as_str().unwrap().contains("broken.emb:")),
        "{diagnostics:?}"
    );
    assert_eq!(ruleset_hash(&server), second);
    assert_eq!(zephyr(&server), "block");
    std::fs::remove_file(folder.join("broken.emb")).unwrap();

    // SIGHUP reloads as well.
    #[cfg(unix)]
    {
        std::fs::remove_file(folder.join("extra.emb")).unwrap();
        let status = Command::new("kill")
            .args(["-HUP", &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        while ruleset_hash(&server) != first {
            assert!(
                Instant::now() < deadline,
                "SIGHUP did not reload:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    let mut total = 0;
    for w in workers {
        let (ok, failures) = w.join().unwrap();
        assert!(
            failures.is_empty(),
            "requests failed during reload: {failures:?}"
        );
        total += ok;
    }
    assert!(total > 0);
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.contains("embargo_ruleset_reloads_total{result=\"rejected\"} 1"),
        "{metrics}"
    );
}

#[test]
fn slow_requests_time_out_with_a_json_503() {
    let dir = TempDir::new("timeout");
    let rules = dir.write("rules.emb", RULES);
    let config = dir.write(
        "embargo.toml",
        "[server]\nrequest_timeout_ms = 20\nmax_body_bytes = 67108864\nmax_concurrency = 1\n",
    );
    let server = Server::with_rules(&rules, &["--config", config.to_str().unwrap()]);
    // Enough orders that screening them takes far longer than the limit, in release
    // builds too (5,000 orders, a quarter of a second), while one order stays well inside it.
    let order = r#"{"id":"1","parties":[{"name":"Korea Mining Development Trading Corp"},{"name":"Acme Tools International Trading"}],"goods":[{"description":"Rolex watch and patek philippe"}]}"#;
    let batch = format!(r#"{{"orders":[{}]}}"#, vec![order; 5_000].join(","));
    let r = server.post("/v1/screen", &batch);
    assert_json_error(&r, 503, "timed out");
    assert_eq!(r.header("retry-after"), Some("1"));
    // The single screening slot frees once the abandoned work ends; then all is well.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = server.post("/v1/screen", r#"{"id":"after","route":{"origin":"CN"}}"#);
        if r.status == 200 {
            break;
        }
        assert_eq!(r.status, 503, "{}", r.text());
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(50));
    }
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
    assert!(hits.iter().any(|h| h["entity"] == "un:KPe.001"), "{d}");
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
