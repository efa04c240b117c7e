//! Times the phases of starting from the default ruleset's artifact: reading it,
//! building a screener, the first name search. `cargo run --release --example
//! start_phases -- [--write] ARTIFACT` (`--write`: compile the embedded rules to it
//! first).

/// CPU time of this thread so far (Linux), which a busy machine does not inflate.
struct Instant(u64);

impl Instant {
    fn now() -> Instant {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
        Instant(
            text.split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        )
    }
    fn elapsed(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(Instant::now().0.saturating_sub(self.0))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = args
        .next()
        .ok_or("usage: start_phases [--write] ARTIFACT")?;
    if path == "--write" {
        path = args.next().ok_or("usage: start_phases --write ARTIFACT")?;
        let t = Instant::now();
        let rules = embargo::Ruleset::embedded()?;
        let compiled = t.elapsed();
        let t = Instant::now();
        std::fs::write(&path, rules.to_artifact()?)?;
        println!(
            "compiled the text {compiled:?}, wrote the artifact {:?}",
            t.elapsed()
        );
    }
    let t = Instant::now();
    let bytes = std::fs::read(&path)?;
    let read = t.elapsed();
    let t = Instant::now();
    let rules = embargo::Ruleset::from_artifact(&bytes)?;
    let load = t.elapsed();
    let t = Instant::now();
    let screener = embargo::Screener::new(rules, embargo::ScreenOptions::default());
    let new = t.elapsed();
    let t = Instant::now();
    let hits = screener.match_name(
        &embargo::NameQuery::new("Korea Kwangson Banking Corp"),
        0.8,
        10,
    );
    let search = t.elapsed();
    println!("read {read:?} from_artifact {load:?} Screener::new {new:?} first search {search:?} ({} hits)", hits.len());
    Ok(())
}
