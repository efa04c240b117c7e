//! Chinese names in Wade-Giles, read as pinyin.
//!
//! Lists write Chinese names in pinyin (`DANDONG HONGDA TRADE`); older records, Taiwan
//! and Hong Kong papers, and screened names often in Wade-Giles without its apostrophes
//! (`TANTUNG HUNGTA TRADE`, `Peiching`, `Chen Jen-chieh`). The two spell one syllable
//! apart in ways no typo or key fold covers without joining unrelated syllables
//! (`ren` / `jen`, `zeng` / `tseng`, `ge` / `ko`, `zi` / `tzu`, `xie` / `hsieh`), so
//! [`pinyin_of_wade_giles`] gives a screened name written in Wade-Giles another
//! reading in pinyin, syllable by syllable from a table (`zh_syllables.tsv`, generated
//! by `scripts/gen-zh-syllables.py` from pypinyin); it then meets the listed pinyin
//! name as its words do, joined or split (`Hsiao-ming` / `Xiaoming`).
//!
//! Only that way round: without its apostrophes Wade-Giles has one spelling for two
//! pinyin syllables (`chang` is zhang and chang, `chi` ji and qi), so a pinyin name
//! read as Wade-Giles would meet names of other syllables (`Lei Qiang` / `ZHANG Lei`).
//! A spelling reads back as the syllable without the apostrophe (`chang` zhang), whose
//! phonetic key ([`super::phonetic_key`]) the other one mostly shares.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const SYLLABLES: &str = include_str!("zh_syllables.tsv");

/// The longest syllable, in letters (`zhuang`, `hsiung`).
const MAX_SYLLABLE: usize = 6;

struct Table {
    /// The pinyin syllables.
    pinyin: HashSet<&'static str>,
    /// Wade-Giles spelling → the pinyin syllable it reads back as.
    back: HashMap<&'static str, &'static str>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Table {
            pinyin: HashSet::new(),
            back: HashMap::new(),
        };
        for line in SYLLABLES.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            if let (Some(p), Some(w)) = (cols.next(), cols.next()) {
                t.pinyin.insert(p);
                if cols.next() == Some("*") {
                    t.back.insert(w, p);
                }
            }
        }
        t
    })
}

/// `word` (lowercase ASCII letters) cut into the fewest syllables for which `is`
/// holds; `None` when it cannot be.
fn syllables(word: &str, is: impl Fn(&str) -> bool) -> Option<Vec<&str>> {
    let n = word.len();
    // best[i]: the fewest syllables that spell word[..i], and where the last starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    if let Some(first) = best.first_mut() {
        *first = Some((0, 0));
    }
    for end in 1..=n {
        for start in end.saturating_sub(MAX_SYLLABLE)..end {
            let Some((count, _)) = best.get(start).copied().flatten() else {
                continue;
            };
            if !word.get(start..end).is_some_and(&is) {
                continue;
            }
            if best
                .get(end)
                .copied()
                .flatten()
                .is_none_or(|(c, _)| count + 1 < c)
            {
                if let Some(slot) = best.get_mut(end) {
                    *slot = Some((count + 1, start));
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best.get(end).copied().flatten()?;
        out.push(word.get(start..end)?);
        end = start;
    }
    out.reverse();
    Some(out)
}

/// `name` in pinyin, when it is written in Wade-Giles: every word of it is Wade-Giles
/// syllables, or a word `keep` tells to keep as it is (generic words, legal forms,
/// stopwords: `TRADE`, `CO`, `LTD`), or one `is_place` knows (`Nampo`), and one
/// syllable at least is spelled only as Wade-Giles spells (`HSIANG`, `Chih`, `TIEN`). A word of one letter is an
/// initial and stays. `None` otherwise: a name in pinyin or another script, a name
/// with another word (most Korean, Arabic and European names: `Chong`, `Hassan`).
pub fn pinyin_of_wade_giles(
    name: &str,
    keep: impl Fn(&str) -> bool,
    is_place: impl Fn(&str) -> bool,
) -> Option<String> {
    if !name.is_ascii() {
        return None;
    }
    let t = table();
    let mut out = String::with_capacity(name.len() + 8);
    let mut wade_giles_only = false;
    let mut rest = name;
    while !rest.is_empty() {
        let split = rest
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let (gap, tail) = rest.split_at(split);
        out.push_str(gap);
        let len = tail
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tail.len());
        let (word, after) = tail.split_at(len);
        rest = after;
        if word.is_empty() {
            continue;
        }
        let lower = word.to_ascii_lowercase();
        if lower.len() == 1 || keep(&lower) {
            out.push_str(word);
            continue;
        }
        match syllables(&lower, |s| t.back.contains_key(s)).filter(|p| joined_right(p)) {
            Some(parts) => {
                wade_giles_only |= parts.iter().any(|p| only_wade_giles(p));
                for part in parts {
                    out.push_str(t.back.get(part).copied().unwrap_or(part));
                }
            }
            None if is_place(&lower) => out.push_str(word),
            None => return None,
        }
    }
    wade_giles_only.then_some(out)
}

/// Whether syllables joined in one word are written as Chinese names join them: a
/// syllable that starts with a vowel never follows another without an apostrophe
/// (`Xi'an`), so `jihoo` is no `jih o o`.
fn joined_right(parts: &[&str]) -> bool {
    parts
        .iter()
        .skip(1)
        .all(|p| !p.starts_with(['a', 'e', 'i', 'o', 'u']))
}

/// Whether `name` may hold a syllable [`only_wade_giles`] tells, so that
/// [`pinyin_of_wade_giles`] may read it: every such syllable holds one of these
/// letter pairs or triples, and most screened names hold none. A test over the bytes,
/// before anything of the name is split, folded or looked up.
pub fn may_be_wade_giles(name: &str) -> bool {
    let b = name.as_bytes();
    let at = |i: usize| b.get(i).map_or(0, u8::to_ascii_lowercase);
    // `ieh`, `ueh` and `erh` end in `eh` or `rh`; the other markers are themselves.
    (0..b.len()).any(|i| {
        matches!(
            (at(i), at(i + 1)),
            (b'h' | b't' | b's', b's') | (b't', b'z') | (b'i' | b'e' | b'r', b'h')
        ) || matches!(
            (at(i), at(i + 1), at(i + 2)),
            (b'u', b'e', b'i') | (b'i', b'e', b'n')
        )
    })
}

/// Whether a Wade-Giles syllable is spelled as no pinyin syllable and no Korean
/// romanization spells one (`hs`, `ts`, `tz`, `ss`; `-ih`, `-ieh`, `-ueh`, `-uei`,
/// `-ien`, `erh`): `Jen`, `Ko`, `Sung`, `Ho` are also Korean syllables, and a Korean
/// name read as pinyin (`Sang-ho` as `sang-he`) meets other names than its own.
fn only_wade_giles(syllable: &str) -> bool {
    ["hs", "ts", "tz", "ss", "uei", "ien"]
        .iter()
        .any(|m| syllable.contains(m))
        || ["ih", "ieh", "ueh", "erh"]
            .iter()
            .any(|m| syllable.ends_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinyin(name: &str) -> Option<String> {
        let keep = |w: &str| matches!(w, "trade" | "trading" | "co" | "ltd" | "international");
        pinyin_of_wade_giles(name, keep, |w| w == "nampo")
    }

    #[test]
    fn wade_giles_names_read_in_pinyin() {
        assert_eq!(
            pinyin("TAN TUNG TIEN FU TRADE CO., LTD.").as_deref(),
            Some("dan dong dian fu TRADE CO., LTD.")
        );
        assert_eq!(
            pinyin("Chang Hsiao-ming").as_deref(),
            Some("zhang xiao-ming")
        );
        assert_eq!(pinyin("Jen Ching-tzu").as_deref(), Some("ren jing-zi"));
        assert_eq!(
            pinyin("HSIN PEICHING (Nampo)").as_deref(),
            Some("xin beijing (Nampo)")
        );
        assert_eq!(pinyin("Ko Hsueh"), Some("ge xue".to_string()));
    }

    #[test]
    fn other_names_have_no_such_reading() {
        // Pinyin already: every word is pinyin.
        assert_eq!(pinyin("DANDONG HONGDA TRADE CO., LTD."), None);
        assert_eq!(pinyin("Wang Lin"), None);
        // A word that is no Wade-Giles (`kim`, `chol`, `chong`, `hassan`).
        assert_eq!(pinyin("KIM CHOL SAM"), None);
        assert_eq!(pinyin("Han Chong Su"), None);
        assert_eq!(pinyin("Hassan Ali"), None);
        // Korean names of syllables Wade-Giles also has, and a vowel joined on.
        assert_eq!(pinyin("Yun Sang-ho"), None);
        assert_eq!(pinyin("Han Jihoo"), None);
        assert_eq!(pinyin("金正恩"), None);
    }

    #[test]
    fn the_fewest_syllables() {
        let t = table();
        assert_eq!(
            syllables("xian", |s| t.pinyin.contains(s)),
            Some(vec!["xian"])
        );
        assert_eq!(
            syllables("tantung", |s| t.back.contains_key(s)),
            Some(vec!["tan", "tung"])
        );
    }

    /// Every name read in pinyin passes the quick test first (so skipping the others
    /// loses no reading), whatever its Wade-Giles syllables and case; names of no
    /// such syllable fail it.
    #[test]
    fn names_read_in_pinyin_pass_the_quick_test() {
        let t = table();
        let mut syllables: Vec<&str> = t.back.keys().copied().collect();
        syllables.sort_unstable();
        let mut read = 0;
        for (k, a) in syllables.iter().enumerate() {
            let b = syllables
                .get((k * 7 + 3) % syllables.len())
                .copied()
                .unwrap_or("fu");
            for name in [
                format!("{a} {b} Trade Co."),
                format!("{}{b}", a.to_uppercase()),
                format!("Wang {a}-{b}"),
            ] {
                if pinyin(&name).is_some() {
                    read += 1;
                    assert!(may_be_wade_giles(&name), "{name}");
                }
            }
        }
        assert!(read >= 50, "{read} names read");
        for name in [
            "Korea Kwangson Banking Corp",
            "KIM CHOL SAM",
            "Mohammed Ali",
            "Wang Lin",
        ] {
            assert!(!may_be_wade_giles(name), "{name}");
        }
        assert!(may_be_wade_giles("TAN TUNG TIEN FU TRADE CO., LTD."));
    }
}
