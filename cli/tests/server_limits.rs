//! `embargo serve` under load and abuse, against the real binary on 127.0.0.1 (see
//! `support/server.rs`): the bounded queue, request deadlines, the connection cap,
//! header-read and idle timeouts, shutdown, a failing audit log and binding beyond
//! loopback. Every test counts or observes; waits are bounded only as failure guards.

#[path = "support/http.rs"]
mod http;
#[path = "support/server.rs"]
mod server;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use serde_json::json;

use server::{assert_json_error, json_lines, Server, TempDir, PLAIN_ORDER, RULES};

/// A server on [`RULES`] with `settings` as its `[server]` table (and an audit log
/// when `audit` is given).
fn start(dir: &TempDir, settings: &str, audit: Option<&str>, setup: Option<&str>) -> Server {
    let rules = dir.write("rules.emb", RULES);
    let config = dir.write("embargo.toml", &format!("[server]\n{settings}\n"));
    let mut args = vec![
        "--rules".to_string(),
        rules.display().to_string(),
        "--config".to_string(),
        config.display().to_string(),
    ];
    if let Some(a) = audit {
        args.push("--audit-log".into());
        args.push(dir.path(a).display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Server::start_in_shell(setup, &args, &[])
}

/// A batch of `n` orders, each with two names to search and a goods line.
fn batch(n: usize) -> String {
    // Each its own id: a batch with one id twice is refused before any screening.
    let orders: Vec<String> = (0..n)
        .map(|k| format!(r#"{{"id":"b{k}","parties":[{{"name":"Korea Mining Development Trading Corp"}},{{"name":"Acme Tools International Trading"}}],"goods":[{{"description":"Rolex watch and patek philippe"}}]}}"#))
        .collect();
    format!(r#"{{"orders":[{}]}}"#, orders.join(","))
}

/// Waits until `series` is exactly `value` (a level that falls back), with a guard.
fn wait_level(server: &Server, series: &str, value: f64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.metric(series) != Some(value) {
        assert!(
            Instant::now() < deadline,
            "{series} never {value}:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_full_queue_answers_429_at_once_and_reads_no_body() {
    let dir = TempDir::new("queue");
    let server = start(
        &dir,
        "max_concurrency = 1\nmax_queue = 1\nrequest_timeout_ms = 600000",
        None,
        None,
    );
    // Two requests admitted (one slot, one place in the queue), their bodies half sent.
    let body = format!("{PLAIN_ORDER:<100}");
    let head = format!(
        "POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut c = server.conn();
        c.send_raw(format!("{head}{}", &body[..6]).as_bytes())
            .expect("half a request");
        stalled.push(c);
    }
    server.wait_metric("embargo_requests_admitted", 2.0);

    // A third is refused at once: its answer comes although its 1 MiB body never does.
    let mut c = server.conn();
    c.send_raw(
        b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n",
    )
    .expect("a head");
    let r = c.read_response().expect("an answer before the body");
    assert_json_error(&r, 429, "busy");
    assert_eq!(r.header("retry-after"), Some("1"));
    let r = server.post("/v1/match", r#"{"name":"KOMID"}"#);
    assert_json_error(&r, 429, "busy");
    // Probes and metrics do not queue.
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/readyz").status, 200);
    assert_eq!(
        server.metric("embargo_requests_rejected_total{reason=\"queue_full\"}"),
        Some(2.0)
    );

    // The stalled bodies arrive: both are answered, and the queue is open again.
    for c in &mut stalled {
        c.send_raw(&body.as_bytes()[6..]).expect("the rest");
        let r = c.read_response().expect("answer");
        assert_eq!(r.status, 200, "{}", r.text());
    }
    wait_level(&server, "embargo_requests_admitted", 0.0);
    assert_eq!(server.post("/v1/screen", PLAIN_ORDER).status, 200);
}

#[test]
fn a_request_past_its_deadline_stops_its_work_and_is_not_logged() {
    let dir = TempDir::new("deadline");
    let server = start(
        &dir,
        "request_timeout_ms = 1000\nmax_body_bytes = 67108864\nmax_concurrency = 1",
        Some("audit.jsonl"),
        None,
    );
    // Far more orders than one second can screen, in release builds too.
    let n = 50_000;
    let r = server.post("/v1/screen", &batch(n));
    assert_json_error(&r, 503, "timed out");
    assert_eq!(r.header("retry-after"), Some("1"));
    let id = r.header("x-request-id").expect("request id").to_string();
    // The slot (and the places the 9 MB body took) free once the abandoned work has
    // stopped; until then the next request is refused for load or waits out its own
    // deadline.
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let r = server.post("/v1/screen", PLAIN_ORDER);
        match r.status {
            200 => break,
            429 => std::thread::sleep(Duration::from_millis(20)),
            _ => assert_json_error(&r, 503, "timed out"),
        }
        assert!(Instant::now() < deadline, "the slot never freed");
    }
    // Only that last decision was logged: none of the request answered 503.
    let lines = json_lines(&dir.path("audit.jsonl"));
    assert!(
        lines.iter().all(|l| l["request_id"] != id.as_str()),
        "{} decisions of a request answered 503 are in the audit log",
        lines.len() - 1
    );
    assert_eq!(lines.len(), 1);
    // And the work stopped rather than screening every order.
    let screened = server
        .metric("embargo_orders_screened_total")
        .expect("counter");
    assert!(screened < n as f64, "{screened} of {n} orders screened");
    assert_eq!(server.metric("embargo_requests_abandoned_total"), Some(1.0));
}

#[cfg(unix)]
#[test]
fn idle_connections_cannot_lock_out_health_checks() {
    let dir = TempDir::new("idle-cap");
    // 300 idle connections against a 256 open-file limit.
    let server = start(&dir, "", None, Some("ulimit -n 256"));
    assert!(
        server.log().contains("open-file limit 256"),
        "{}",
        server.log()
    );
    let idle: Vec<std::net::TcpStream> = (0..300)
        .map(|_| std::net::TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    let r = server.get("/healthz");
    assert_eq!(r.status, 200, "{}", r.text());
    let evicted = server
        .metric("embargo_connections_closed_total{cause=\"evicted_idle\"}")
        .expect("counter");
    assert!(evicted >= 1.0, "{evicted}");
    assert!(server.metric("embargo_connections").expect("gauge") < 256.0);
    assert_eq!(server.post("/v1/screen", PLAIN_ORDER).status, 200);
    drop(idle);
}

/// Whether the server closed `c` (end of stream or reset) rather than answering or
/// leaving it open until the client's read timeout.
fn closed(c: &mut http::Conn) -> bool {
    match c.read_response() {
        Err(e) => matches!(
            e.kind(),
            ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
        ),
        Ok(_) => false,
    }
}

#[test]
fn a_head_sent_too_slowly_and_an_idle_connection_are_closed() {
    let dir = TempDir::new("timeouts");
    let server = start(
        &dir,
        "header_read_timeout_ms = 200\nidle_timeout_ms = 600000",
        None,
        None,
    );
    let mut half = server.conn();
    half.send_raw(b"GET /healthz HTTP/1.1\r\nHo")
        .expect("half a head");
    assert!(closed(&mut half), "a half-sent head kept its connection");
    assert_eq!(
        server.metric("embargo_connections_closed_total{cause=\"timeout\"}"),
        Some(1.0)
    );
    drop(server);

    let dir = TempDir::new("timeouts-idle");
    let server = start(
        &dir,
        "header_read_timeout_ms = 600000\nidle_timeout_ms = 200",
        None,
        None,
    );
    let mut c = server.conn();
    assert_eq!(c.get("/healthz").expect("first request").status, 200);
    assert!(closed(&mut c), "an idle keep-alive connection stayed open");
}

#[cfg(unix)]
#[test]
fn shutdown_waits_for_neither_a_half_sent_head_nor_work_past_the_grace_period() {
    let dir = TempDir::new("shutdown");
    let mut server = start(
        &dir,
        "shutdown_grace_ms = 300\nrequest_timeout_ms = 600000\nheader_read_timeout_ms = 600000\n\
         idle_timeout_ms = 600000\nmax_body_bytes = 67108864",
        Some("audit.jsonl"),
        None,
    );
    let mut half = server.conn();
    half.send_raw(b"GET /healthz HTTP/1.1\r\nHo")
        .expect("half a head");
    let addr = server.addr.clone();
    let body = batch(50_000);
    let long = std::thread::spawn(move || {
        http::Conn::connect(&addr)
            .and_then(|mut c| c.post_json("/v1/screen", &body))
            .map(|r| r.status)
    });
    server.wait_metric("embargo_screening_slots_busy", 1.0);
    server.signal("TERM");
    let exit = server.wait_exit(Duration::from_secs(120));
    let exit = exit.unwrap_or_else(|| panic!("still running:\n{}", server.log()));
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    let log = server.log_with(&["still busy after 300 ms"]);
    assert!(log.contains("still busy after 300 ms"), "{log}");
    // The long request got no decision, and none was logged.
    let status = long.join().expect("client thread");
    assert!(!matches!(status, Ok(200)), "{status:?}");
    assert!(json_lines(&dir.path("audit.jsonl")).is_empty());
    assert!(closed(&mut half));
}

#[test]
fn binding_beyond_loopback_needs_a_token_or_an_explicit_flag() {
    let dir = TempDir::new("bind");
    let rules = dir.write("rules.emb", RULES);
    let rules = rules.to_str().expect("utf-8");
    let refused = Server::try_start_in_shell(None, &["--rules", rules, "--addr", "0.0.0.0:0"], &[]);
    let Err(stderr) = refused else {
        panic!("listening on 0.0.0.0 with neither a token nor --insecure-no-token");
    };
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0:0 without a bearer token")
            && stderr.contains("--insecure-no-token")
            && stderr.contains("exit status: 1"),
        "{stderr}"
    );
    let server = Server::start(
        &[
            "--rules",
            rules,
            "--addr",
            "0.0.0.0:0",
            "--insecure-no-token",
        ],
        &[],
    );
    assert!(server.log().contains("(no auth;"), "{}", server.log());
    drop(server);
    let server = Server::start(
        &["--rules", rules, "--addr", "0.0.0.0:0"],
        &[("EMBARGO_TOKEN", "t0ken")],
    );
    assert!(server.log().contains("bearer token required"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_failing_audit_log_gives_no_decision_leaves_no_torn_line_and_recovers_after_rotation() {
    let dir = TempDir::new("audit-full");
    // A file size limit stands in for a full disk: a write that crosses it is cut
    // short, the next refused (EFBIG), as ENOSPC does. SIGXFSZ is ignored so that
    // the write fails instead of the process dying, as it would on a full disk.
    let server = start(
        &dir,
        "",
        Some("audit.jsonl"),
        Some("trap '' XFSZ; ulimit -f 16"),
    );
    let order =
        json!({"id": "A", "parties": [{"name": "Korea Mining Development Trading Corporation"}],
        "goods": [{"description": "Rolex Submariner watch", "hs": "9101.21"}]})
        .to_string();
    let mut answered = 0;
    let refused = loop {
        let r = server.post("/v1/screen", &order);
        match r.status {
            200 => answered += 1,
            _ => break r,
        }
        assert!(answered < 1000, "the file size limit never bit");
    };
    assert_json_error(&refused, 503, "audit log cannot be written");
    assert!(answered > 0);
    let r = server.get("/readyz");
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["status"], "audit log failing");
    assert_json_error(&server.post("/v1/screen", &order), 503, "audit log");
    assert_eq!(server.metric("embargo_audit_log_ok"), Some(0.0));
    // Exactly the answered decisions, each a whole line: nothing torn, nothing glued.
    let audit = dir.path("audit.jsonl");
    let lines = json_lines(&audit);
    assert_eq!(lines.len(), answered);
    assert!(lines.iter().all(|l| l["decision"] == "block"));

    // Rotated away and SIGHUP: a new file, ready again, and it says what was lost.
    let rotated = dir.path("audit.jsonl.1");
    std::fs::rename(&audit, &rotated).expect("rotate");
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.get("/readyz").status != 200 {
        assert!(
            Instant::now() < deadline,
            "not ready again:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.post("/v1/screen", &order).status, 200);
    let fresh = json_lines(&audit);
    assert_eq!(fresh.len(), 2, "{fresh:?}");
    assert_eq!(fresh[0]["event"], "audit_gap");
    assert!(fresh[0]["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(fresh[1]["decision"], "block");
    assert_eq!(json_lines(&rotated).len(), answered);
}
