//! Order screening throughput: generated orders (benches/support/gen_orders.rs)
//! screened with the full default ruleset, against the baseline of the same orders
//! screened with a three-entity ruleset (tests/fixtures/rules/valid/dprk-mini), which
//! costs the same JSON parsing, goods classification, rule evaluation and
//! serialization but almost no list.
//!
//! `cargo bench --bench screen` runs the criterion groups per core (one thread). For
//! the 1,000,000-order run through the command line, with peak memory, see
//! `scripts/bench-screen.sh`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use embargo::{Order, Ruleset, ScreenOptions, Screener};

#[path = "support/gen_orders.rs"]
mod gen_orders;

const ORDERS: u64 = 2_000;

fn orders() -> Vec<String> {
    let mut rng = gen_orders::Rng::new(11);
    (0..ORDERS)
        .map(|i| gen_orders::order(i, &mut rng))
        .collect()
}

fn screen_all(screener: &Screener, lines: &[String]) -> usize {
    let mut blocks = 0;
    for line in lines {
        if let Ok(order) = Order::from_json(line) {
            let d = screener.screen(&order);
            blocks += usize::from(d.decision == embargo::Decision::Block);
            black_box(serde_json::to_string(&d).map(|s| s.len()).unwrap_or(0));
        }
    }
    blocks
}

fn main() {
    let lines = orders();
    let full = match Ruleset::embedded() {
        Ok(r) => Screener::new(r, ScreenOptions::default()),
        Err(e) => panic!("the embedded rules compile: {e}"),
    };
    let mini = match Ruleset::from_paths(&["tests/fixtures/rules/valid/dprk-mini"]) {
        Ok(r) => Screener::new(r, ScreenOptions::default()),
        Err(e) => panic!("the mini rules compile: {e}"),
    };
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut group = c.benchmark_group("screen");
    group.throughput(Throughput::Elements(ORDERS));
    group.bench_function("baseline-mini-rules", |b| {
        b.iter(|| screen_all(&mini, &lines))
    });
    group.bench_function("full-default-rules", |b| {
        b.iter(|| screen_all(&full, &lines))
    });
    group.finish();
    c.final_summary();
}
