//! A real `embargo serve` on 127.0.0.1 with an OS-chosen port (read from its stderr),
//! with small rules files written to a temp folder so each start takes milliseconds.
//! Shared by the service's end-to-end tests.

#![allow(dead_code)] // Each test file takes a different part.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::http::{Conn, Response};

/// A listed entity, a goods category and two rules: enough for every endpoint.
pub const RULES: &str = r#"
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
pub const RULES_V2_EXTRA: &str = r#"
entity un:KPe.099 {
  kind organization
  name "ZEPHYR QUILLON HOLDINGS"
  country KP
  program "UN 1718"
}
"#;

/// An order every screen accepts and clears under [`RULES`].
pub const PLAIN_ORDER: &str = r#"{"id":"plain","route":{"destination":"CN"}}"#;

/// A temp folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "embargo-serve-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write temp file");
        p
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The workspace root: fixtures, examples and rules are named relative to it, and the
/// binary runs there as a user in a clone of the repository would.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The binary under test: this build's, or the one `EMBARGO_SERVE_BIN` names (to see
/// these tests fail on another build, such as the main branch's).
pub fn binary() -> String {
    std::env::var("EMBARGO_SERVE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_embargo").into())
}

/// A running `embargo serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_in_shell(None, args, env)
    }

    /// Starts the server through `sh -c "SETUP; exec embargo serve ..."` when `setup`
    /// is given (resource limits, ignored signals), as an operator's unit file would.
    pub fn start_in_shell(setup: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::try_start_in_shell(setup, args, env).unwrap_or_else(|log| {
            panic!("server did not start:\n{log}");
        })
    }

    /// As [`Server::start_in_shell`], or the server's stderr (ending with its exit
    /// status) when it did not start.
    pub fn try_start_in_shell(
        setup: Option<&str>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Server, String> {
        let bin = binary();
        let mut cmd = match setup {
            Some(s) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(format!("{s}; exec \"$0\" \"$@\"")).arg(bin);
                c
            }
            None => Command::new(bin),
        };
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
                    let _ = tx.send(Some(addr));
                }
            }
            let _ = tx.send(None);
        });
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(Some(addr)) => Ok(Server {
                child,
                addr,
                stderr: log,
            }),
            _ => {
                let _ = child.kill();
                let status = child.wait();
                // The reader thread has seen the end of stderr (it sent `None`), or
                // 120 seconds passed: either way the text is as complete as it gets.
                let mut text = log.lock().unwrap().clone();
                match status {
                    Ok(s) => text.push_str(&format!("{s}\n")),
                    Err(e) => text.push_str(&format!("wait failed: {e}\n")),
                }
                Err(text)
            }
        }
    }

    pub fn with_rules(rules: &Path, more: &[&str]) -> Server {
        let mut args = vec!["--rules", rules.to_str().expect("utf-8 path")];
        args.extend_from_slice(more);
        Server::start(&args, &[])
    }

    pub fn send(
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

    pub fn conn(&self) -> Conn {
        Conn::connect(&self.addr).expect("connect")
    }

    pub fn get(&self, path: &str) -> Response {
        self.conn().get(path).expect("GET")
    }

    pub fn post(&self, path: &str, body: &str) -> Response {
        self.conn().post_json(path, body).expect("POST")
    }

    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The log once it holds every one of `needles`, or as it stands after ten
    /// seconds: stderr is read by another thread, which may lag behind the server.
    pub fn log_with(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if needles.iter().all(|n| log.contains(n)) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` (`TERM`, `HUP`) to the server.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// The exit status, once the server has exited; `None` if it is still running
    /// after `guard` (a failure guard, far beyond what the test needs).
    pub fn wait_exit(&mut self, guard: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + guard;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The value of the metric line starting with `series` (name and labels).
    pub fn metric(&self, series: &str) -> Option<f64> {
        let text = self.get("/metrics").text();
        text.lines().find_map(|l| {
            l.strip_prefix(series)?
                .strip_prefix(' ')?
                .trim()
                .parse()
                .ok()
        })
    }

    /// Waits until `series` reaches `at_least`, failing after a generous guard.
    pub fn wait_metric(&self, series: &str, at_least: f64) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = self.metric(series).unwrap_or(f64::NAN);
            if v >= at_least {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{series} stayed at {v}, below {at_least}:\n{}",
                self.log()
            );
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
pub fn assert_json_error(r: &Response, status: u16, contains: &str) {
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

pub fn sha256_of(v: &Value) -> String {
    let hash = Sha256::digest(serde_json::to_vec(v).unwrap());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The JSON lines of a file (an audit log); panics on a line that is not JSON.
pub fn json_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l:?}")))
        .collect()
}
