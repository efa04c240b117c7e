//! The invoice words the normalizer rewrites: abbreviations and spelling variants
//! (`btls` is `bottle`, `edp` is `eau de parfum`), and English plurals, folded to one
//! form (`watches` and `watch` are both `watch`).

use crate::lookup::table::U64Table;

/// The invoice abbreviations the normalizer expands, each with its expansion (one
/// word, or several separated by single spaces).
pub(crate) fn abbreviations() -> impl Iterator<Item = (&'static str, &'static str)> {
    ABBREVIATIONS.iter().copied()
}

/// The expansion of `word` (lowercase ASCII letters) if it is an abbreviation.
#[inline]
pub(super) fn abbreviation_of(word: &[u8]) -> Option<&'static str> {
    if may_be_abbreviation(word) {
        abbreviation(word)
    } else {
        None
    }
}

/// Whether folding the plural of `word` (ASCII letters, any case) rewrites any of its
/// first `n` bytes, rather than leaving them or cutting the word short: `babies` is
/// written `baby`, so its fourth byte changes; `pipes` is written `pipe`.
pub(crate) fn plural_rewrites_start(word: &[u8], n: usize) -> bool {
    // A fold replaces at most the last three bytes, of a word that ends in `s`.
    if word.len() > n + 3 || word.last().is_none_or(|&b| b | 0x20 != b's') {
        return false;
    }
    let mut lower = [0u8; 16];
    let Some(buf) = lower.get_mut(..word.len()) else {
        return false;
    };
    buf.copy_from_slice(word);
    buf.make_ascii_lowercase();
    matches!(fold_plural(buf), Some(Fold::Replace(cut, _)) if word.len().saturating_sub(cut) < n)
}

/// How a plural folds: drop the last `n` bytes, or replace them.
pub(super) enum Fold {
    Drop(usize),
    Replace(usize, &'static str),
}

/// English plural folding for a lowercase ASCII word. Applied to singulars as well,
/// which is harmless: what matters is that both forms land on the same string.
pub(super) fn fold_plural(w: &[u8]) -> Option<Fold> {
    let b = w;
    let n = b.len();
    // Most tokens do not end in `s`; they leave here before any string comparison.
    if n < 3 || b.last() != Some(&b's') {
        return None;
    }
    match w {
        b"scarves" => return Some(Fold::Replace(3, "f")),
        b"knives" | b"wives" => return Some(Fold::Replace(3, "fe")),
        b"shelves" | b"halves" => return Some(Fold::Replace(3, "f")),
        _ => {}
    }
    if n > 4 && w.ends_with(b"ies") {
        return Some(Fold::Replace(3, "y"));
    }
    if w.ends_with(b"sses") {
        return Some(Fold::Drop(2));
    }
    if n > 4 && (w.ends_with(b"ches") || w.ends_with(b"shes") || w.ends_with(b"xes")) {
        return Some(Fold::Drop(2));
    }
    let prev = b.get(n - 2).copied().unwrap_or(b's');
    if matches!(prev, b's' | b'u' | b'i') {
        return None;
    }
    if n == 3 && matches!(prev, b'a' | b'e' | b'o') {
        // `gas`, `yes`, `bos`: three-letter words ending in a vowel and s are not plurals
        // (`tvs`, `cds` are).
        return None;
    }
    Some(Fold::Drop(1))
}

/// Invoice abbreviations and spelling variants, with their folded (singular) form.
/// Sorted by abbreviation, to be read easily. Looked up in a flat table (see
/// [`abbreviation`]) for the short tokens that may be one, which a long `match` on
/// strings would make the slowest step of normalization.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("accs", "accessory"),
    ("accy", "accessory"),
    ("assd", "assorted"),
    ("assrtd", "assorted"),
    ("asst", "assorted"),
    ("asstd", "assorted"),
    ("btl", "bottle"),
    ("btls", "bottle"),
    ("bttl", "bottle"),
    ("bttls", "bottle"),
    ("champ", "champagne"),
    ("champers", "champagne"),
    ("cig", "cigarette"),
    ("cigs", "cigarette"),
    ("ctn", "carton"),
    ("ctns", "carton"),
    ("doz", "dozen"),
    ("dz", "dozen"),
    ("edc", "eau de cologne"),
    ("edp", "eau de parfum"),
    ("edt", "eau de toilette"),
    ("elec", "electric"),
    ("hbag", "handbag"),
    ("hbags", "handbag"),
    ("jewelleries", "jewellery"),
    ("jewellery", "jewellery"),
    ("jewellry", "jewellery"),
    ("jewelries", "jewellery"),
    ("jewelry", "jewellery"),
    ("jwlry", "jewellery"),
    ("lthr", "leather"),
    // Not `lx`: Lexus LX models are written that way.
    ("lux", "luxury"),
    ("luxe", "luxury"),
    ("pc", "piece"),
    ("pce", "piece"),
    ("pces", "piece"),
    ("pcs", "piece"),
    ("pr", "pair"),
    ("prs", "pair"),
    ("stck", "stuck"),
    ("stk", "stuck"),
    ("whiskey", "whisky"),
    ("whiskeys", "whisky"),
    ("whiskies", "whisky"),
    ("wtch", "watch"),
    ("wtchs", "watch"),
    ("yo", "year"),
    ("yr", "year"),
    ("yrs", "year"),
];

/// For each letter, the lengths of the abbreviations that start with it (bit `n` for
/// `n` bytes).
static ABBREVIATION_LENGTHS: [u16; 26] = {
    let mut t = [0u16; 26];
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        let k = ABBREVIATIONS[i].0.as_bytes();
        t[(k[0] - b'a') as usize] |= 1 << k.len();
        i += 1;
    }
    t
};

/// Whether some abbreviation has the first letter and the length of `word`, a
/// lowercase ASCII word: the lookup is for the few tokens that pass.
pub(crate) fn may_be_abbreviation(word: &[u8]) -> bool {
    let Some(first) = word.first() else {
        return false;
    };
    let lengths = ABBREVIATION_LENGTHS
        .get(usize::from(first.wrapping_sub(b'a')))
        .copied()
        .unwrap_or(0);
    word.len() < 16 && lengths & (1 << word.len()) != 0
}

/// A word of at most 8 bytes packed into an integer, so the lookup compares numbers
/// instead of calling `memcmp` for every token.
fn pack(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    Some(w.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)) | ((w.len() as u64) << 60))
}

pub(super) fn abbreviation(w: &[u8]) -> Option<&'static str> {
    // Packed abbreviations of at most 8 bytes, to the index of their entry: one probe
    // of a flat table for each token that passes `may_be_abbreviation`.
    static PACKED: std::sync::OnceLock<U64Table<u8>> = std::sync::OnceLock::new();
    let table = PACKED.get_or_init(|| {
        U64Table::new(
            ABBREVIATIONS
                .iter()
                .enumerate()
                .filter_map(|(i, (k, _))| Some((pack(k.as_bytes())?, u8::try_from(i).ok()?))),
        )
    });
    match pack(w) {
        Some(key) => table
            .get(key)
            .and_then(|i| ABBREVIATIONS.get(usize::from(i)))
            .map(|e| e.1),
        None if w.len() <= 11 => ABBREVIATIONS
            .iter()
            .find(|(k, _)| k.as_bytes() == w)
            .map(|e| e.1),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_table_is_sorted() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        for (k, _) in ABBREVIATIONS {
            assert!(may_be_abbreviation(k.as_bytes()), "{k}");
            assert!((2..=11).contains(&k.len()), "{k}");
        }
        assert!(!may_be_abbreviation(b"steel"));
        for (k, v) in ABBREVIATIONS {
            assert_eq!(abbreviation(k.as_bytes()), Some(*v), "{k}");
        }
        assert!(!may_be_abbreviation(b""));
    }
}
