//! Runs the `embargo` binary the way a user does, for the end-to-end CLI tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The rules fixture the CLI tests screen against: two lists, three real entities.
pub const MINI: &str = "tests/fixtures/rules/valid/dprk-mini";

/// A small order book screened against [`MINI`] by the re-screening tests: two listed
/// parties, a listed vessel, two parties that are not listed.
pub const BOOK: &str = r#"{"id":"PO-1","parties":[{"name":"Huaxin Trading Co Ltd","country":"KP"},{"name":"Sunrise Logistics","country":"SG"}]}
{"id":"PO-2","parties":[{"name":"Korea Kwangson Banking Corp","country":"KP"}]}
{"id":"PO-3","parties":[{"name":"Evergreen Textile Co","country":"CN"}],"goods":[{"description":"cotton T-shirts"}]}
{"id":"PO-4","route":{"vessel":"CHON MA SAN","imo":"IMO 8660313"}}
{"id":"PO-5","parties":[{"name":"KOMID","country":"KP"}]}
"#;

/// The workspace root: fixtures, examples and rules are named relative to it, and the
/// binary runs there as a user in a clone of the repository would.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The binary under test: this build's, or the one `EMBARGO_SERVE_BIN` names (to see
/// these tests fail on another build, as `support/server.rs` allows).
pub fn binary() -> String {
    std::env::var("EMBARGO_SERVE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_embargo").into())
}

/// Runs `embargo ARGS` with `stdin` as its standard input.
pub fn embargo(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(binary())
        .current_dir(root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the embargo binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.as_bytes().to_vec();
    // From another thread, so that a child writing a lot before it has read all its
    // input cannot stall on a full pipe; a child that exits without reading (a bad
    // argument, missing rules) closes the pipe, which is no failure of the test.
    let writer = std::thread::spawn(move || match input.write_all(&bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.expect("write stdin"),
    });
    let out = child.wait_with_output().expect("embargo finishes");
    writer.join().expect("the stdin writer finishes");
    out
}

/// The JSON lines of standard output.
pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// The `id` of each decision a run wrote, in order.
pub fn ids(out: &Output) -> Vec<String> {
    json_lines(out)
        .iter()
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect()
}

/// A fresh, empty folder for one test's files, named after the test binary, `name`
/// and this process, so that concurrent test binaries and reruns never share one.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "embargo-{}-{name}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Output bytes as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A run's standard error as text.
pub fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

/// A path as a command-line argument (test paths are UTF-8).
pub fn arg(path: &std::path::Path) -> String {
    path.to_str().expect("utf-8 path").to_string()
}

/// The decision (`block`, `review`, `clear`) of order `id` among `decisions`, or an
/// empty text when none has that id.
pub fn decision_of(decisions: &[Value], id: &str) -> String {
    decisions
        .iter()
        .find(|d| d["id"] == id)
        .and_then(|d| d["decision"].as_str())
        .unwrap_or_default()
        .to_string()
}
