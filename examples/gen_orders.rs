//! Writes N generated orders as JSON lines, for the screening benchmark:
//!
//! ```text
//! cargo run --release --example gen_orders -- 1000000 > orders.jsonl
//! ```

use std::io::{BufWriter, Write};

#[path = "../benches/support/gen_orders.rs"]
mod gen_orders;

fn main() -> std::io::Result<()> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let mut rng = gen_orders::Rng::new(seed);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for i in 0..n {
        writeln!(out, "{}", gen_orders::order(i, &mut rng))?;
    }
    out.flush()
}
