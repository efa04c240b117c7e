//! Writes a list file after a deterministic update of about N entities (a third
//! lifted, a third amended, a third new, some close to the generated orders'
//! counterparties), for the re-screening benchmark:
//!
//! ```text
//! cargo run --release --example update_list -- rules/lists/ofac-sdn.emb ofac-sdn 100 > ofac-sdn.emb
//! ```
//!
//! The fourth argument is `book` (the default: some entities the generated orders name
//! are among those changed) or `spread` (none of them is; see `list_changes::update`).

#[path = "../benches/support/list_changes.rs"]
mod list_changes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: update_list LIST_FILE LIST_NAME [N] [book|spread]";
    let path = args.next().ok_or(usage)?;
    let name = args.next().ok_or(usage)?;
    let n: usize = match args.next() {
        Some(n) => n.parse()?,
        None => 100,
    };
    let reach_orders = match args.next().as_deref() {
        None | Some("book") => true,
        Some("spread") => false,
        Some(other) => return Err(format!("unknown mode `{other}`; {usage}").into()),
    };
    let text = std::fs::read_to_string(&path)?;
    let (updated, update) = list_changes::update(&text, &name, n, reach_orders);
    print!("{updated}");
    eprintln!(
        "{name}: {} removed, {} changed, {} added",
        update.removed.len(),
        update.changed.len(),
        update.added.len()
    );
    Ok(())
}
