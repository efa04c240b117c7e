//! Fuzzes the whole pipeline from text: parse, compile, render diagnostics.
//!
//! Run where a nightly toolchain exists:
//!     cargo install cargo-fuzz
//!     cd fuzz && cargo +nightly fuzz run parse -- -max_total_time=300
//! Invalid input is expected and fine (it yields diagnostics); the target fails only
//! when something panics. A crashing input found here becomes a test in
//! `tests/rules_parser_regressions.rs`.
#![no_main]

use embargo::rules::{load_str, CompileOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader takes text; lossy decoding keeps the bytes' structure (quotes,
    // braces, line breaks) around any invalid sequence.
    let text = String::from_utf8_lossy(data);
    let options = CompileOptions {
        max_list_age_days: Some(365),
        // Fixed, so a crash reproduces on any day.
        today: Some("2026-03-01".to_string()),
    };
    let checked = load_str("fuzz.emb", &text, &options);
    let _ = checked.render_diagnostics();
});
