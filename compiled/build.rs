//! Compiles the library's embedded rules and writes their artifact to
//! `$OUT_DIR/default.embc`, which `src/lib.rs` embeds. Cargo runs this again whenever
//! the library (its code or its rules) changes, so the artifact always matches the
//! library it is read by; the library refuses one of another build anyway.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    let rules = embargo::Ruleset::embedded()?;
    let bytes = rules.to_artifact()?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("default.embc");
    std::fs::write(out, bytes)?;
    Ok(())
}
