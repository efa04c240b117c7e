//! Description normalization for term matching.
//!
//! Invoice text is written in every style: `LUX HANDBAGS ASSORTED`, `Rolls-Royce`,
//! `Teppich handgeknüpft`, `VSOP 0.7L x 6 btls`, `钻石戒指 铂金`. Terms and descriptions go
//! through the same function, so a term matches whatever way the trader wrote it.
//! The normalized text is a sequence of tokens, each preceded and followed by one
//! ASCII space (`" lux handbag assorted "` becomes `" luxury handbag assorted "`), so a
//! whole-word test is a look at the byte before and after a match.
//!
//! What is folded:
//! - case (Unicode lowercase), compatibility forms (NFKD: full-width letters, ligatures)
//!   and diacritics (combining marks are dropped: `ü` → `u`, `ё` → `е`);
//! - punctuation and symbols become token breaks; apostrophes vanish (`men's` → `mens`);
//! - a token breaks where letters meet digits (`LX570` → `lx 570`, `700ml` → `700 ml`)
//!   and where CJK meets other scripts (`三星Galaxy` → `三星 galaxy`);
//! - common invoice abbreviations expand (`btls` → `bottle`, `pcs` → `piece`,
//!   `lux` → `luxury`, `edp` → `eau de parfum`);
//! - English plurals fold to one form (`watches` → `watch`, `accessories` → `accessory`,
//!   `bags` → `bag`). The folding is not a stemmer: it only has to send a singular and
//!   its plural to the same string, which it does for regular nouns.
//!
//! Han, kana and Hangul runs stay one token with no breaks inside: these scripts do not
//! separate words with spaces (and Korean glues particles to nouns), so the matcher
//! does not require word boundaries next to CJK characters.
//!
//! Every output byte remembers which original characters produced it, so a match in the
//! normalized text maps back to a character range of the original description.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A normalized description with a map back to the original text.
///
/// `text` starts and ends with a space and holds single spaces between tokens.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// For each byte of `text`: the character offset in the original where the
    /// character that produced it starts, and the offset just after the characters that
    /// produced it (for the last byte of a folded or expanded token, the end of the
    /// whole original token, so that `bags` is reported, not `bag`). One vector of pairs
    /// rather than two: one push per byte on the hot path.
    map: Vec<(u32, u32)>,
}

impl Normalized {
    /// The original character range `start..end` that produced the normalized bytes
    /// `start..end`; `None` for an empty or out-of-range span.
    ///
    /// ```
    /// use embargo::goods::normalize::normalize;
    /// let n = normalize("LUX HANDBAGS");
    /// let at = n.text.find("handbag").unwrap();
    /// assert_eq!(n.original_span(at, at + "handbag".len()), Some((4, 12)));
    /// ```
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let s = self.map.get(start)?.0;
        let e = self.map.get(end - 1)?.1;
        Some((s as usize, e as usize))
    }

    fn clear(&mut self) {
        self.text.clear();
        self.map.clear();
    }

    // Called for every byte of every description.
    #[inline]
    fn push_char(&mut self, c: char, start: u32, end: u32) {
        if c.is_ascii() {
            self.text.push(c);
            self.map.push((start, end));
            return;
        }
        let before = self.text.len();
        self.text.push(c);
        for _ in before..self.text.len() {
            self.map.push((start, end));
        }
    }

    fn push_str(&mut self, s: &str, start: u32, end: u32) {
        self.text.push_str(s);
        for _ in 0..s.len() {
            self.map.push((start, end));
        }
    }

    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.map.truncate(len);
    }
}

/// Normalizes `input` (see the module documentation).
///
/// ```
/// use embargo::goods::normalize::normalize;
/// assert_eq!(normalize("LUX Hand-Bags, 6 BTLS").text, " luxury hand bag 6 bottle ");
/// assert_eq!(normalize("Teppich handgeknüpft").text, " teppich handgeknupft ");
/// assert_eq!(normalize("Lexus LX570").text, " lexus lx 570 ");
/// ```
pub fn normalize(input: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(input, &mut out);
    out
}

/// Normalizes `input` into `out`, reusing its buffers.
pub fn normalize_into(input: &str, out: &mut Normalized) {
    out.clear();
    let mut w = Writer {
        out,
        token: None,
        class: Class::Sep,
    };
    // Room for the text and its map; abbreviations may still grow them.
    w.out.text.reserve(input.len() + 2);
    w.out.map.reserve(input.len() + 2);
    w.out.push_char(' ', 0, 0);
    let mut pos: u32 = 0;
    if input.is_ascii() {
        // Most invoice lines: one byte is one character, no decoding needed.
        for &b in input.as_bytes() {
            let end = pos + 1;
            w.ascii(b, pos, end);
            pos = end;
        }
    } else {
        for c in input.chars() {
            let end = pos + 1;
            if c.is_ascii() {
                w.ascii(c as u8, pos, end);
            } else {
                w.unicode(c, pos, end);
            }
            pos = end;
        }
    }
    w.finish_token(pos);
    if !w.out.text.ends_with(' ') {
        w.out.push_char(' ', pos, pos);
    }
}

/// The kind of character being written, which decides where tokens break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Sep,
    Letter,
    Digit,
    Cjk,
}

/// The token being written.
#[derive(Debug, Clone, Copy)]
struct Token {
    /// Byte offset in the output where it starts.
    at: usize,
    /// Original character offset where it starts.
    orig_start: u32,
    /// Whether it is made of ASCII letters only (the tokens that can be abbreviations
    /// or English plurals).
    ascii_letters: bool,
}

struct Writer<'a> {
    out: &'a mut Normalized,
    token: Option<Token>,
    class: Class,
}

impl Writer<'_> {
    // Called for every byte of every description.
    #[inline]
    fn ascii(&mut self, b: u8, start: u32, end: u32) {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => {
                self.emit(Class::Letter, (b | 0x20) as char, true, start, end)
            }
            b'0'..=b'9' => self.emit(Class::Digit, b as char, false, start, end),
            // `men's`, `'50s`: an apostrophe joins, it does not separate.
            b'\'' | b'`' => {}
            _ => self.separate(start),
        }
    }

    fn unicode(&mut self, c: char, start: u32, end: u32) {
        if is_apostrophe(c) {
            return;
        }
        if is_hangul_syllable(c) {
            // NFKD would split a syllable into jamo, and a term could then match half
            // a syllable; syllables are kept whole.
            self.emit(Class::Cjk, c, false, start, end);
            return;
        }
        if c == 'ß' || c == 'ẞ' {
            self.emit(Class::Letter, 's', false, start, end);
            self.emit(Class::Letter, 's', false, start, end);
            return;
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            for l in d.to_lowercase() {
                if l.is_ascii() {
                    self.ascii(l as u8, start, end);
                } else if is_cjk(l) {
                    self.emit(Class::Cjk, l, false, start, end);
                } else if l.is_alphabetic() {
                    self.emit(Class::Letter, l, false, start, end);
                } else if l.is_numeric() {
                    self.emit(Class::Digit, l, false, start, end);
                } else {
                    self.separate(start);
                }
            }
        });
    }

    // Called for every byte of every description.
    #[inline]
    fn emit(&mut self, class: Class, c: char, ascii_letter: bool, start: u32, end: u32) {
        if self.class != class {
            // Letters meeting digits, and CJK meeting anything else, break the token.
            self.finish_token(start);
            self.class = class;
        }
        match &mut self.token {
            Some(t) => t.ascii_letters &= ascii_letter,
            None => {
                self.token = Some(Token {
                    at: self.out.text.len(),
                    orig_start: start,
                    ascii_letters: ascii_letter,
                });
            }
        }
        self.out.push_char(c, start, end);
    }

    fn separate(&mut self, at: u32) {
        self.finish_token(at);
        self.class = Class::Sep;
    }

    /// Closes the current token: expands abbreviations, folds plurals, writes the
    /// separating space.
    fn finish_token(&mut self, at: u32) {
        let Some(tok) = self.token.take() else {
            return;
        };
        let orig_end = self
            .out
            .map
            .last()
            .map_or(tok.orig_start, |m| m.1)
            .max(tok.orig_start);
        if tok.ascii_letters {
            let len = self.out.text.len() - tok.at;
            let first = self.out.text.as_bytes().get(tok.at).copied().unwrap_or(0);
            if (2..=11).contains(&len) && may_abbreviate(first) {
                let word = self.out.text.get(tok.at..).unwrap_or("");
                if let Some(exp) = abbreviation(word) {
                    self.out.truncate(tok.at);
                    self.out.push_str(exp, tok.orig_start, orig_end);
                    self.out.push_char(' ', at, at);
                    return;
                }
            }
            let word = self.out.text.get(tok.at..).unwrap_or("");
            if let Some(fold) = fold_plural(word) {
                match fold {
                    Fold::Drop(n) => self.out.truncate(self.out.text.len() - n),
                    Fold::Replace(n, with) => {
                        let keep = self.out.text.len() - n;
                        let s = self.out.map.get(keep).map_or(tok.orig_start, |m| m.0);
                        self.out.truncate(keep);
                        self.out.push_str(with, s, orig_end);
                    }
                }
                if let Some(m) = self.out.map.last_mut() {
                    m.1 = orig_end;
                }
            }
        }
        self.out.push_char(' ', at, at);
    }
}

/// How a plural folds: drop the last `n` bytes, or replace them.
enum Fold {
    Drop(usize),
    Replace(usize, &'static str),
}

/// English plural folding for a lowercase ASCII word. Applied to singulars as well,
/// which is harmless: what matters is that both forms land on the same string.
fn fold_plural(w: &str) -> Option<Fold> {
    let b = w.as_bytes();
    let n = b.len();
    // Most tokens do not end in `s`; they leave here before any string comparison.
    if n < 3 || b.last() != Some(&b's') {
        return None;
    }
    match w {
        "scarves" => return Some(Fold::Replace(3, "f")),
        "knives" | "wives" => return Some(Fold::Replace(3, "fe")),
        "shelves" | "halves" => return Some(Fold::Replace(3, "f")),
        _ => {}
    }
    if n > 4 && w.ends_with("ies") {
        return Some(Fold::Replace(3, "y"));
    }
    if w.ends_with("sses") {
        return Some(Fold::Drop(2));
    }
    if n > 4 && (w.ends_with("ches") || w.ends_with("shes") || w.ends_with("xes")) {
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
/// Sorted by abbreviation: looked up by binary search for every short token, which a
/// long `match` on strings would make the slowest step of normalization.
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

/// Whether some abbreviation starts with `first`: most tokens skip the lookup.
fn may_abbreviate(first: u8) -> bool {
    matches!(
        first,
        b'a' | b'b' | b'c' | b'd' | b'e' | b'h' | b'j' | b'l' | b'p' | b's' | b'w' | b'y'
    )
}

/// A word of at most 8 bytes packed into an integer, so the lookup compares numbers
/// instead of calling `memcmp` for every token.
fn pack(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    Some(w.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)) | ((w.len() as u64) << 60))
}

fn abbreviation(w: &str) -> Option<&'static str> {
    static PACKED: std::sync::OnceLock<Vec<(u64, &'static str)>> = std::sync::OnceLock::new();
    let table = PACKED.get_or_init(|| {
        let mut t: Vec<(u64, &'static str)> = ABBREVIATIONS
            .iter()
            .filter_map(|(k, v)| pack(k.as_bytes()).map(|p| (p, *v)))
            .collect();
        t.sort_unstable_by_key(|e| e.0);
        t
    });
    match pack(w.as_bytes()) {
        Some(key) => table
            .binary_search_by_key(&key, |e| e.0)
            .ok()
            .and_then(|i| table.get(i))
            .map(|e| e.1),
        None if w.len() <= 11 => ABBREVIATIONS.iter().find(|(k, _)| *k == w).map(|e| e.1),
        None => None,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}')
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Scripts written without spaces between words (and Hangul, whose words carry
/// attached particles): no word boundary is required next to these characters.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'   // Hangul jamo
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}' // Hangul compatibility jamo
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).text
    }

    fn span_of(s: &str, needle: &str) -> Option<String> {
        let norm = normalize(s);
        let at = norm.text.find(needle)?;
        let (a, b) = norm.original_span(at, at + needle.len())?;
        Some(s.chars().skip(a).take(b - a).collect())
    }

    #[test]
    fn case_punctuation_and_spaces() {
        assert_eq!(n("  Rolls-Royce  CULLINAN!! "), " roll royce cullinan ");
        assert_eq!(n(""), " ");
        assert_eq!(n("--"), " ");
        assert_eq!(n("Van Cleef & Arpels"), " van cleef arpel ");
    }

    #[test]
    fn apostrophes_join() {
        assert_eq!(n("men's shoes"), " men shoe ");
        assert_eq!(n("Gibson Les Paul '50s"), " gibson les paul 50 s ");
        assert_eq!(n("ladies\u{2019} blouses"), " lady blouse ");
    }

    #[test]
    fn diacritics_and_compatibility_forms() {
        assert_eq!(n("Hermès Crème"), " herme creme ");
        assert_eq!(n("ＬＵＸ"), " luxury ");
        assert_eq!(n("Ёлка"), " елка ");
        assert_eq!(n("Straße"), " strasse ");
    }

    #[test]
    fn letters_and_digits_split() {
        assert_eq!(n("LX570"), " lx 570 ");
        assert_eq!(n("700ml x6"), " 700 ml x 6 ");
        assert_eq!(n("12YRS"), " 12 year ");
    }

    #[test]
    fn plurals_fold_to_singular() {
        for (p, s) in [
            ("watches", "watch"),
            ("glasses", "glass"),
            ("accessories", "accessory"),
            ("bags", "bag"),
            ("shoes", "shoe"),
            ("boxes", "box"),
            ("scarves", "scarf"),
            ("cigarettes", "cigarette"),
            ("TVs", "tv"),
        ] {
            assert_eq!(n(p), n(s), "{p} vs {s}");
        }
        assert_eq!(n("bus gas chess"), " bus gas chess ");
    }

    #[test]
    fn abbreviation_table_is_sorted() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        for (k, _) in ABBREVIATIONS {
            assert!(may_abbreviate(k.as_bytes()[0]), "{k}");
        }
    }

    #[test]
    fn abbreviations_expand() {
        assert_eq!(n("6 BTLS/CTN"), " 6 bottle carton ");
        assert_eq!(n("LUX"), " luxury ");
        assert_eq!(n("Tom Ford EDP"), " tom ford eau de parfum ");
        assert_eq!(n("jewelry"), n("jewellery"));
    }

    #[test]
    fn cjk_breaks_from_latin_but_not_inside() {
        assert_eq!(n("三星Galaxy手机"), " 三星 galaxy 手机 ");
        assert_eq!(n("钻石戒指 铂金"), " 钻石戒指 铂金 ");
        assert_eq!(n("양주 발렌타인"), " 양주 발렌타인 ");
    }

    #[test]
    fn spans_map_back_to_original_characters() {
        assert_eq!(
            span_of("LUX HANDBAGS", "handbag").as_deref(),
            Some("HANDBAGS")
        );
        assert_eq!(span_of("6 btls", "bottle").as_deref(), Some("btls"));
        assert_eq!(span_of("Hermès bags", "herme").as_deref(), Some("Hermès"));
        assert_eq!(
            span_of("ACCESSORIES", "accessory").as_deref(),
            Some("ACCESSORIES")
        );
        assert_eq!(span_of("Духи Chanel", "chanel").as_deref(), Some("Chanel"));
        assert_eq!(span_of("钻石戒指 铂金", "铂金").as_deref(), Some("铂金"));
        assert_eq!(span_of("Straße 5", "strasse").as_deref(), Some("Straße"));
        assert_eq!(span_of("ＬＵＸ bag", "luxury").as_deref(), Some("ＬＵＸ"));
        assert_eq!(span_of("😀 Rolex", "rolex").as_deref(), Some("Rolex"));
    }
}
