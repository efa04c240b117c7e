//! `embargo serve` reloading its rules (`POST /v1/reload`, SIGHUP) under traffic, and
//! refusing rules that do not load while the old ruleset keeps serving. Against the
//! real binary on 127.0.0.1 (see `support/server.rs`).

#[path = "support/http.rs"]
mod http;
#[path = "support/server.rs"]
mod server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::Conn;
use server::{assert_json_error, Server, TempDir, RULES, RULES_V2_EXTRA};

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

/// Asserts `POST /v1/reload` is refused (422) with the ruleset `serving` kept and a
/// first diagnostic holding `located`.
fn assert_reload_refused(server: &Server, serving: &str, located: &str) {
    let r = server.post("/v1/reload", "{}");
    assert_json_error(&r, 422, "error");
    let v = r.json();
    assert_eq!(v["ruleset"], serving);
    assert!(
        v["diagnostics"][0].as_str().unwrap().contains(located),
        "{v}"
    );
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
        server.signal("HUP");
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

#[cfg(unix)]
#[test]
fn a_rejected_reload_keeps_the_old_rules_and_readyz_says_so() {
    let dir = TempDir::new("reload-fail");
    let folder = dir.path("rules");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("base.emb"), RULES).unwrap();
    let server = Server::with_rules(&folder, &[]);
    let serving = ruleset_hash(&server);
    let ready = server.get("/readyz").json();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["ruleset"], serving.as_str());
    assert!(ready.get("last_reload").is_none(), "{ready}");

    // SIGHUP with a file that does not load: nothing changes but the record of it.
    std::fs::write(
        folder.join("broken.emb"),
        "rule oops {\n  when party matches\n",
    )
    .unwrap();
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(30);
    let ready = loop {
        let r = server.get("/readyz");
        let v = r.json();
        if v["last_reload"]["status"] == "rejected" {
            assert_eq!(r.status, 200, "still screening with rules that loaded: {v}");
            break v;
        }
        assert!(
            Instant::now() < deadline,
            "no reload recorded:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["ruleset"], serving.as_str());
    assert!(
        ready["last_reload"]["error"]
            .as_str()
            .unwrap()
            .contains("error"),
        "{ready}"
    );
    assert!(server
        .log_with(&["reload rejected"])
        .contains("reload rejected"));
    let body = r#"{"id":"k","parties":[{"name":"KOMID"}]}"#;
    assert_eq!(server.post("/v1/screen", body).json()["decision"], "block");

    // The same through the endpoint: 422 with located diagnostics.
    assert_reload_refused(&server, &serving, "broken.emb:");

    // Mended: reloaded, and readyz says so.
    std::fs::remove_file(folder.join("broken.emb")).unwrap();
    std::fs::write(folder.join("extra.emb"), RULES_V2_EXTRA).unwrap();
    let r = server.send("POST", "/v1/reload", &[], None);
    assert_eq!(r.status, 200, "{}", r.text());
    let ready = server.get("/readyz").json();
    assert_eq!(ready["last_reload"]["status"], "reloaded");
    assert_eq!(ready["ruleset"], r.json()["ruleset"]);
    assert_ne!(ready["ruleset"], serving.as_str());
}

/// A rules file emptied in place (a download cut to nothing) would have dropped what
/// it held and cleared what it caught: the reload is refused and the old rules serve.
#[test]
fn a_rules_file_emptied_in_place_is_not_reloaded() {
    let dir = TempDir::new("reload-empty");
    let folder = dir.path("rules");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("base.emb"), RULES).unwrap();
    std::fs::write(folder.join("extra.emb"), RULES_V2_EXTRA).unwrap();
    let server = Server::with_rules(&folder, &[]);
    let serving = ruleset_hash(&server);
    let caught = zephyr(&server);
    assert_ne!(caught, "clear");

    std::fs::write(folder.join("extra.emb"), "").unwrap();
    assert_reload_refused(
        &server,
        &serving,
        "extra.emb:1:1: error: the file holds no rules, lists or entities",
    );
    assert_eq!(zephyr(&server), caught);
    assert_eq!(ruleset_hash(&server), serving);
}
