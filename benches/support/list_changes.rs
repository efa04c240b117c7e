//! A deterministic update of a list file, as a weekly list release looks: some
//! designations lifted, some amended (aliases added, programs changed), some new,
//! spread over the whole list as releases are. A few of them are parties the generated
//! orders (`gen_orders.rs`) name, so that the update changes decisions. Used by the
//! re-screening test and benchmark.
//!
//! It works on the canonical text the importers print (`entity ID {` ... `}` blocks),
//! so it needs nothing of the library.

/// What the update did, by entity id.
#[derive(Debug, Default, Clone)]
pub struct Update {
    /// Ids removed.
    pub removed: Vec<String>,
    /// Ids changed.
    pub changed: Vec<String>,
    /// Ids added.
    pub added: Vec<String>,
}

/// Names of the new designations: one close to a party the generated orders name (a
/// Dandong company), the rest made-up front companies.
const NEW_NAMES: &[(&str, &str, &str)] = &[(
    "organization",
    "DANDONG HONGXIANG LOGISTICS CO., LTD.",
    "CN",
)];
const FRONT_FIRST: &[&str] = &[
    "KORYO",
    "CHOLSAN",
    "MYOHYANG",
    "SONGNAM",
    "KUMGANG",
    "PAEKTU",
    "RUNGRA",
    "TAESONG",
    "HWANGGUM",
    "CHONGBONG",
];
const FRONT_LAST: &[&str] = &[
    "GENERAL TRADING CORPORATION",
    "SHIPPING COMPANY",
    "TECHNOLOGY EXCHANGE CENTER",
    "MINERALS EXPORT BUREAU",
    "JOINT VENTURE COMPANY",
];

/// Applies an update of `n` entities to `text`, a list file in canonical form
/// (`list_name` its list): about a third removed, a third changed, a third added.
/// Entities are chosen evenly over the file. With `reach_orders`, two the generated
/// orders name come first (Tanchon Commercial Bank, Korea Hyoksin Trading Corporation)
/// and one new designation is close to a third; without it, the update names none of
/// their counterparties, as most weekly updates touch none of a given order book's.
pub fn update(text: &str, list_name: &str, n: usize, reach_orders: bool) -> (String, Update) {
    // Split into the header and entity blocks, keeping every byte.
    let mut header = String::new();
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        match current.as_mut() {
            Some(b) => {
                b.push_str(line);
                if line.trim_end() == "}" {
                    blocks.extend(current.take());
                }
            }
            None if line.starts_with("entity ") => current = Some(line.to_string()),
            None if blocks.is_empty() => header.push_str(line),
            None => {
                if let Some(last) = blocks.last_mut() {
                    last.push_str(line);
                }
            }
        }
    }
    blocks.extend(current);
    let id_of = |b: &str| -> String {
        b.trim_start_matches("entity ")
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let named = |b: &str, name: &str| b.contains(&format!("  name \"{name}\""));
    let third = (n / 3).max(1);
    let candidates: Vec<usize> = (0..blocks.len()).collect();
    let stride = (candidates.len() / (2 * third + 2)).max(1);
    let mut picked: Vec<usize> = candidates.iter().copied().step_by(stride).collect();
    // The ones the orders name go first, so that the update reaches some decisions.
    let named_by_orders: &[&str] = if reach_orders {
        &[
            "TANCHON COMMERCIAL BANK",
            "KOREA HYOKSIN TRADING CORPORATION",
        ]
    } else {
        &[]
    };
    for &name in named_by_orders {
        if let Some(k) = blocks.iter().position(|b| named(b, name)) {
            picked.retain(|&x| x != k);
            picked.insert(0, k);
        }
    }
    let mut update = Update::default();
    let mut remove = Vec::new();
    // The first of them (Korea Hyoksin) is lifted, the other amended; further down,
    // every other one is lifted until a third are.
    for (i, &k) in picked.iter().take(2 * third).enumerate() {
        let id = id_of(&blocks[k]);
        let lifted = if i < 2 { i == 0 } else { i % 2 == 0 };
        if lifted && update.removed.len() < third {
            remove.push(k);
            update.removed.push(id);
            continue;
        }
        let b = &mut blocks[k];
        let Some(end) = b.rfind('}') else { continue };
        let addition = match i % 3 {
            0 if !b.contains("DPRK4") => "  program DPRK4\n".to_string(),
            0 => "  program DPRK-NKSPEA\n".to_string(),
            1 => format!(
                "  alias weak \"{}-{i} FRONT\"\n",
                FRONT_FIRST[i % FRONT_FIRST.len()]
            ),
            _ => "  remark \"Amended: additional identifying information.\"\n".to_string(),
        };
        b.insert_str(end, &addition);
        update.changed.push(id);
    }
    remove.sort_unstable();
    for k in remove.into_iter().rev() {
        blocks.remove(k);
    }
    let mut added = String::new();
    for i in 0..(n - update.removed.len() - update.changed.len()) {
        let id = format!("{list_name}:99{i:04}");
        let (kind, name, country) = match NEW_NAMES.get(i).filter(|_| reach_orders) {
            Some(&(k, name, c)) => (k, name.to_string(), c),
            None => (
                "organization",
                format!(
                    "{} {} {}",
                    FRONT_FIRST[i % FRONT_FIRST.len()],
                    FRONT_FIRST[(i / FRONT_FIRST.len() + 3) % FRONT_FIRST.len()],
                    FRONT_LAST[i % FRONT_LAST.len()]
                ),
                "KP",
            ),
        };
        added.push_str(&format!(
            "\nentity {id} {{\n  kind {kind}\n  name \"{name}\"\n  country {country}\n  program DPRK3\n  listed \"2026-12-01\"\n}}\n"
        ));
        update.added.push(id);
    }
    // The new version's date, and its count of entities where the list states one.
    let count = blocks.len() + update.added.len();
    let header: String = header
        .split_inclusive('\n')
        .map(|l| {
            if l.trim_start().starts_with("as_of ") {
                "  as_of \"2026-12-01\"\n".to_string()
            } else if l.trim_start().starts_with("entities ") {
                format!("  entities {count}\n")
            } else {
                l.to_string()
            }
        })
        .collect();
    (format!("{header}{}{added}", blocks.concat()), update)
}
