//! Runs the `embargo` binary the way a user does, for the end-to-end CLI tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The rules fixture the CLI tests screen against: two lists, three real entities.
pub const MINI: &str = "tests/fixtures/rules/valid/dprk-mini";

/// Runs `embargo ARGS` with `stdin` as its standard input.
pub fn embargo(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the embargo binary runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("embargo finishes")
}

/// The JSON lines of standard output.
pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}
