//! Every example runs and prints what it promises.

use std::process::Command;

fn run_example(name: &str) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", name])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn custom_rules_example() {
    let out = run_example("custom_rules");
    assert!(out.contains("rule pianos_to_dprk -> block"), "{out}");
    assert!(out.contains("entity house:42: SUNRISE PACIFIC TRADING LIMITED (1 alias)"));
    assert!(out.contains("custom.emb:"), "{out}");
    assert!(out.contains("did you mean `pianos`?"), "{out}");
}
