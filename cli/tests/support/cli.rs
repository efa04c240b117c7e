//! Runs the `embargo` binary the way a user does, for the end-to-end CLI tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The rules fixture the CLI tests screen against: two lists, three real entities.
pub const MINI: &str = "tests/fixtures/rules/valid/dprk-mini";

/// The workspace root: fixtures, examples and rules are named relative to it, and the
/// binary runs there as a user in a clone of the repository would.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `embargo ARGS` with `stdin` as its standard input.
pub fn embargo(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
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
