//! End-to-end tests of `embargo compile` and of artifacts given to `--rules`: the same
//! answers as the rule text, and every artifact that cannot be used refused with exit 1
//! and a message that says why.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[path = "support/cli.rs"]
#[allow(dead_code)] // The shared helpers also serve tests of other files.
mod cli;
use cli::{embargo, root, temp_dir, text, MINI};

/// A file of this test binary's scratch folder (one folder for all its tests).
fn scratch(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| temp_dir("scratch")).join(name)
}

fn compiled(name: &str) -> PathBuf {
    let out = scratch(name);
    let o = out.to_string_lossy().into_owned();
    let run = embargo(&["compile", MINI, "-o", &o], "");
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("compiled 2 lists, 3 entities"));
    out
}

#[test]
fn an_artifact_answers_as_its_rule_text() {
    let art = compiled("mini.embc");
    let art = art.to_string_lossy().into_owned();
    let orders = std::fs::read_to_string(root().join("tests/fixtures/orders/orders-dev.jsonl"))
        .expect("dev orders")
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            if let Some(o) = v.as_object_mut() {
                o.retain(|k, _| matches!(k.as_str(), "id" | "parties" | "goods" | "route"));
            }
            format!("{v}\n")
        })
        .collect::<String>();
    let names = "{\"name\":\"Korea Mining Development Trading Corp\"}\n{\"name\":\"KOMID\"}\n{\"name\":\"Kim Chong-un\"}\n";
    for (args, input) in [
        (vec!["screen", "-"], orders.as_str()),
        (vec!["match", "--jsonl", "--threshold", "0.5"], names),
        (vec!["classify", "Lexus LX570 SUV"], ""),
        (vec!["show", "un:KPe.001"], ""),
    ] {
        let from_text = embargo(&[&args[..], &["--rules", MINI]].concat(), input);
        let from_art = embargo(&[&args[..], &["--rules", &art]].concat(), input);
        assert_eq!(
            from_text.status.code(),
            from_art.status.code(),
            "{args:?}: {}",
            text(&from_art.stderr)
        );
        assert!(!from_text.stdout.is_empty(), "{args:?}");
        assert_eq!(text(&from_text.stdout), text(&from_art.stdout), "{args:?}");
    }
}

#[test]
fn the_default_rules_start_from_their_artifact_with_the_same_hash() {
    let check = embargo(&["check"], "");
    let stdout = text(&check.stdout);
    let hash = stdout
        .lines()
        .find_map(|l| l.strip_prefix("ruleset "))
        .expect("check prints the hash")
        .to_string();
    let m = embargo(
        &["screen", "-"],
        "{\"id\":\"a\",\"parties\":[{\"name\":\"KOMID\"}]}\n",
    );
    assert_eq!(m.status.code(), Some(0), "{}", text(&m.stderr));
    assert!(text(&m.stdout).contains(&hash), "{}", text(&m.stdout));
}

fn refused(path: &Path, why: &str) {
    let p = path.to_string_lossy().into_owned();
    let out = embargo(&["match", "--rules", &p, "KOMID"], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("not a usable compiled ruleset"), "{stderr}");
    assert!(stderr.contains(why), "{stderr}");
}

#[test]
fn damaged_foreign_and_misplaced_artifacts_are_refused() {
    let good = std::fs::read(compiled("good.embc")).expect("written");

    let cut = scratch("cut.embc");
    std::fs::write(&cut, &good[..good.len() / 2]).expect("writes");
    refused(&cut, "cut short");

    let flipped = scratch("flipped.embc");
    let mut bytes = good.clone();
    if let Some(b) = bytes.get_mut(good.len() - 10) {
        *b ^= 0x40;
    }
    std::fs::write(&flipped, &bytes).expect("writes");
    refused(&flipped, "checksum");

    let foreign = scratch("foreign.embc");
    std::fs::write(&foreign, b"list un { }").expect("writes");
    refused(&foreign, "signature");

    // A compiled ruleset is whole: not added to the embedded one, nor mixed with text.
    let g = scratch("whole.embc");
    std::fs::write(&g, &good).expect("writes");
    let g = g.to_string_lossy().into_owned();
    for args in [
        vec!["match", "--add-rules", &g, "KOMID"],
        vec!["match", "--rules", &g, "--rules", MINI, "KOMID"],
    ] {
        let out = embargo(&args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains("whole ruleset"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn compile_refuses_to_write_over_its_input() {
    let input = scratch("in.emb");
    std::fs::copy(root().join(MINI).join("rules.emb"), &input).ok();
    let i = input.to_string_lossy().into_owned();
    let out = embargo(&["compile", &i, "-o", &i], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("also an input"),
        "{}",
        text(&out.stderr)
    );
}
