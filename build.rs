//! Embeds the default ruleset: every `*.emb` file under `rules/`, in sorted order,
//! becomes a `(relative path, contents)` pair the binary loads when no `--rules` is
//! given. Doing it here rather than listing files by hand keeps new rule files from
//! being silently left out.
//!
//! It also writes `BUILD_FINGERPRINT`: a hash of the crate's version, its sources and
//! its rules. A compiled ruleset (see `src/artifact`) records the fingerprint of the
//! build that wrote it, and another build refuses it: the stored tables are laid out
//! by the code that wrote them.

use std::fs;
use std::path::{Path, PathBuf};

// The fold under which place names are compared, the library's own (one
// implementation), so that the keys written here are the ones a query is folded to.
#[allow(dead_code)]
#[path = "src/text/fold.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/text/script.rs"]
mod script;

/// Writes `$OUT_DIR/NAME.keys`: `src/data/NAME` with each tab-separated field folded
/// (its first too), line for line, and a comment line left empty. Folding the 65,000
/// country and city names here, not at each start, takes most of the start-up of a
/// command that reads a country name or tests a place (see `src/reference.rs`).
fn write_keys(root: &Path, out: &Path, name: &str) -> Result<(), Box<dyn std::error::Error>> {
    let source = root.join("src/data").join(name);
    println!("cargo:rerun-if-changed={}", source.display());
    let text = fs::read_to_string(&source)?;
    let mut keys = String::with_capacity(text.len());
    for line in text.lines() {
        if !line.starts_with('#') {
            let folded: Vec<String> = line.split('\t').map(fold::fold).collect();
            keys.push_str(&folded.join("\t"));
        }
        keys.push('\n');
    }
    fs::write(out.join(format!("{name}.keys")), keys)?;
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "emb") {
            out.push(path);
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: stable across builds and toolchains, which `std`'s hasher is not
/// promised to be; it tells builds apart, it protects nothing.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// Every file under `dir`, for the fingerprint.
fn collect_all(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_all(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn fingerprint(root: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for dir in ["src", "rules"] {
        println!("cargo:rerun-if-changed={dir}");
        if root.join(dir).is_dir() {
            collect_all(&root.join(dir), &mut files)?;
        }
    }
    files.sort();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    fnv(&mut hash, std::env::var("CARGO_PKG_VERSION")?.as_bytes());
    for f in &files {
        let rel = f.strip_prefix(root)?.to_string_lossy().replace('\\', "/");
        fnv(&mut hash, rel.as_bytes());
        fnv(&mut hash, &fs::read(f)?);
    }
    Ok(format!("{hash:016x}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    if rules.is_dir() {
        collect(&rules, &mut files)?;
    }
    files.sort();
    let mut code = String::from("/// The default ruleset: `(path relative to rules/, contents)`.\npub static EMBEDDED_RULES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&rules)?.to_string_lossy().replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    code.push_str(&format!(
        "/// The version, sources and rules of this build, hashed.\npub static BUILD_FINGERPRINT: &str = {:?};\n",
        fingerprint(&root)?
    ));
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    fs::write(out.join("embedded_rules.rs"), code)?;
    for name in ["countries.tsv", "country-names.tsv", "city-names.tsv"] {
        write_keys(&root, &out, name)?;
    }
    Ok(())
}
