//! Similarity of two words: exact, same sound, a typo within an edit budget, the
//! same consonants, another form of a generic word, another script.
use super::*;

/// Similarity of two tokens with the same phonetic key.
pub(crate) const PHONETIC_SIM: f32 = 0.9;

/// Similarity of two short words with the same consonants: vowels written
/// differently (`Pavel` / `Pavlo`, `Naeem` / `Naim`).
pub(crate) const SKELETON_SIM: f32 = 0.7;

/// [`SKELETON_SIM`] for two words of one vowel (Cyrillic Чен for Korean 정 Jong):
/// as often two syllables of the same consonants (`Jon` / `Jang`, `Min` / `Myong`,
/// `Sin` / `Sung`). The pair aligns, but a name resting on it needs its other words
/// to reach a block.
pub(crate) const SYLLABLE_SKELETON_SIM: f32 = 0.5;

/// Words longer than this are not compared by consonants alone.
pub(crate) const SKELETON_MAX_LEN: usize = 5;

/// The consonants of a phonetic key, with a final `ng` read as `n`.
pub(crate) fn skeleton(key: &str) -> String {
    let mut out = vec![0u8; key.len()];
    let n = skeleton_into(key, &mut out).unwrap_or(0);
    out.truncate(n);
    // Only ASCII vowels and a final `k` were dropped: the rest is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes [`skeleton`] of `key` into `out` and returns its length in bytes; `None`
/// when `out` is too short.
pub(crate) fn skeleton_into(key: &str, out: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    for &c in key.as_bytes() {
        if !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            *out.get_mut(n)? = c;
            n += 1;
        }
    }
    // Keys spell `g` as `k`: a final `nk` is the `ng` read as `n`.
    if out.get(..n)?.ends_with(b"nk") {
        n -= 1;
    }
    Some(n)
}

/// Whether two keys have the same [`skeleton`] of at least two letters, compared
/// without allocating (this runs for many pairs of short words).
pub(crate) fn same_skeleton(a: &str, b: &str) -> bool {
    let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
    match (skeleton_into(a, &mut x), skeleton_into(b, &mut y)) {
        (Some(n), Some(m)) => n >= 2 && x.get(..n) == y.get(..m),
        // Keys this long are not short words; build the skeletons.
        _ => {
            let sk = skeleton(a);
            sk.len() >= 2 && sk == skeleton(b)
        }
    }
}

/// Similarity of an initial and a word starting with its letter.
pub(crate) const INITIAL_SIM: f32 = 0.6;

/// Why two tokens were aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Identical.
    Exact,
    /// Same phonetic key: romanization or transliteration variants (`jong` / `chong`).
    Phonetic,
    /// Phonetic keys within the edit budget for their length.
    Typo {
        /// Damerau-Levenshtein edits between the two keys.
        edits: u8,
    },
    /// Short words with the same consonants.
    Consonants,
    /// Two forms of one generic word (`banking` / `bank`, `korean` / `korea`).
    Form,
    /// A word in Arabic or Hebrew script and a Latin spelling with its consonants.
    Abjad,
    /// An initial and a word starting with it.
    Initial,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Basis::Exact => write!(f, "exact"),
            Basis::Phonetic => write!(f, "same sound"),
            Basis::Typo { edits } => write!(f, "{edits} edit(s)"),
            Basis::Consonants => write!(f, "same consonants"),
            Basis::Form => write!(f, "same word"),
            Basis::Abjad => write!(f, "same consonants, other script"),
            Basis::Initial => write!(f, "initial"),
        }
    }
}

/// Edits allowed between two tokens whose longer one has `len` characters. (Retrieval
/// finds every such pair: within this budget, the shorter token never needs more
/// deletions than its own budget to reach a common variant.)
pub(crate) fn budget(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    }
}

/// Edit budget for runs of adjacent words (names split or joined differently).
pub(crate) const RUN_BUDGET: usize = 1;

/// Similarity of two word texts and keys, 0 when they are not alike enough to align.
pub(crate) fn word_sim(at: &str, ak: &str, bt: &str, bk: &str) -> (f32, Basis) {
    word_sim_budget(at, ak, bt, bk, usize::MAX)
}

/// [`word_sim`] with the edit budget capped at `max_budget`. A typo is counted on the
/// texts or on the phonetic keys, whichever is closer, with the budget of the longer
/// one; it is graded by edits per length and Jaro-Winkler, and short words lose more
/// per edit (one letter of a three-letter syllable makes another syllable).
pub(crate) fn word_sim_budget(
    at: &str,
    ak: &str,
    bt: &str,
    bk: &str,
    max_budget: usize,
) -> (f32, Basis) {
    word_sim_to(&WordForms::new(at, ak), bt, bk, max_budget)
}

/// A word's text and key, prepared for comparing with many others (retrieval compares
/// a query word with every listed word that may be a typo of it).
pub(crate) struct WordForms<'a> {
    text: &'a str,
    key: &'a str,
    text_osa: OsaWord<'a>,
    key_osa: OsaWord<'a>,
    /// [`unheard`] of `text`, once asked.
    unheard: std::cell::OnceCell<bool>,
}

impl<'a> WordForms<'a> {
    /// Prepares a word of text `text` and phonetic key `key`.
    pub(crate) fn new(text: &'a str, key: &'a str) -> WordForms<'a> {
        WordForms {
            text,
            key,
            text_osa: OsaWord::new(text.as_bytes()),
            key_osa: OsaWord::new(key.as_bytes()),
            unheard: std::cell::OnceCell::new(),
        }
    }
}

/// [`word_sim_budget`] of a prepared word `a` and the word of text `bt`, key `bk`.
pub(crate) fn word_sim_to(a: &WordForms, bt: &str, bk: &str, max_budget: usize) -> (f32, Basis) {
    let (at, ak) = (a.text, a.key);
    if at == bt {
        return (1.0, Basis::Exact);
    }
    // Two words without vowels are letters (acronyms), not sounds: `KMC` is not
    // `CMC`, and only their letters are compared.
    let letters = !voiced(at) && !voiced(bt);
    if ak == bk && !ak.is_empty() && at.len() >= 2 && bt.len() >= 2 && !letters {
        return (PHONETIC_SIM, Basis::Phonetic);
    }
    // Another form of a generic word: `BANKING` / `BANK`, `KOREAN` / `KOREA`,
    // `INDUSTRIAL` / `INDUSTRY`.
    if (is_generic(at) || is_generic(bt)) && stem(at).is_some_and(|s| Some(s) == stem(bt)) {
        return (PHONETIC_SIM, Basis::Form);
    }
    let mut best: Option<(usize, usize)> = None; // (edits, longest)
    let other_syllable = other_syllable(at, ak, bt, bk);
    for (a, osa, b) in [(at, &a.text_osa, bt), (ak, &a.key_osa, bk)] {
        if other_syllable || (letters && a == ak) {
            break;
        }
        let longest = a.len().max(b.len());
        let k = budget(longest).min(max_budget);
        if k == 0 || a.len().abs_diff(b.len()) > k {
            continue;
        }
        let Some(d) = osa.within(b.as_bytes(), k) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((bd, bl)) => (d as f32 / longest as f32) < (bd as f32 / bl as f32),
        };
        if d <= k && better {
            best = Some((d, longest));
        }
    }
    if let Some((d, longest)) = best {
        let jw = strsim::jaro_winkler(at, bt) as f32;
        // A swap of two letters, or a key next to the right one, is how people mistype;
        // it keeps the syllable recognisable and counts half an edit. Other edits of a
        // short word make another syllable (`kim` / `kin` aside, `nam` / `dam`).
        let slip = d == 1 && keyboard_slip(at.as_bytes(), bt.as_bytes());
        let (edits, short) = if slip {
            (0.5, 0.0)
        } else {
            (
                d as f32,
                SHORT_WORD_PENALTY * (SHORT_WORD_LEN.saturating_sub(longest)) as f32,
            )
        };
        let s = PHONETIC_SIM * (0.5 * (1.0 - edits / longest.max(1) as f32) + 0.5 * jw) - short;
        // Vowels written differently around the same consonants are one name's
        // romanizations (`Mohamed` / `Muhammad`, `Ahmad` / `Ahmed`, `Salim` / `Salem`),
        // as Arabic script writes it: as close as a word and its script spelling.
        let one_name =
            same_consonants(at, bt) || first_vowel_only(at, bt) || slavic_spellings(at, bt);
        let s = if one_name {
            s.max(ABJAD_SIM)
        } else if common_syllables(at, ak, bt, bk) {
            // Two syllables that many listed names use (`Hong` / `Yong`, `Min` / `Jin`,
            // `Chen` / `Cheng`) are as often two names as one mistyped.
            s * COMMON_SYLLABLES_TYPO
        } else {
            s
        };
        // One word spelled as no listed name spells, a letter away from one that is:
        // that word mistyped, not another name. Whole words only: a run's joined
        // letters make sequences no word has (runs are compared within the run budget).
        let s = if max_budget > RUN_BUDGET && mistyped(a, bt) {
            s.max(MISTYPED_SIM)
        } else if max_budget > RUN_BUDGET && syllable_mistyped(a, bt) {
            s.max(SYLLABLE_MISTYPED_SIM)
        } else {
            s
        };
        return (s.max(0.05), Basis::Typo { edits: d as u8 });
    }
    // Consonants alone do not make a generic word another word: `KOREA` is not
    // `KORYO`, `BANK` not `BINH`.
    if at.len() <= SKELETON_MAX_LEN
        && bt.len() <= SKELETON_MAX_LEN
        && !other_syllable
        && !letters
        && same_skeleton(ak, bk)
        && !is_generic(at)
        && !is_generic(bt)
    {
        let sim = if one_vowel(at) && one_vowel(bt) {
            SYLLABLE_SKELETON_SIM
        } else {
            SKELETON_SIM
        };
        return (sim, Basis::Consonants);
    }
    (0.0, Basis::Exact)
}

/// The letter trigrams of listed words, a space where a word begins and ends
/// (`scripts/gen-letter-trigrams.py`, from the OFAC SDN list, public domain data).
const LETTER_TRIGRAMS: &str = include_str!("../letter_trigrams.txt");

/// The similarity at least of a word one letter away from a listed word, when exactly
/// one of the two is spelled as no listed name spells ([`unheard`]): as close as two
/// romanizations of one Arabic name ([`ABJAD_SIM`]).
pub(crate) const MISTYPED_SIM: f32 = 0.85;

/// Whether `word` (lowercase Latin letters) has three letters in a row, or two at
/// its start or end, that fewer than three listed words have: a spelling that no
/// name uses (`yusolng`, `kpmsuky`, `hrok`), which typing makes and romanizing does
/// not. Words of other letters are never unheard.
pub(crate) fn unheard(word: &str) -> bool {
    // One bit a trigram of 27 letters (a space and `a` to `z`): retrieval asks this for
    // every pair of words a letter apart, so no hashing.
    static KNOWN: OnceLock<Vec<u64>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        let mut bits = vec![0u64; TRIGRAM_SLOTS.div_ceil(64)];
        for g in LETTER_TRIGRAMS
            .lines()
            .filter_map(|l| l.strip_prefix('|')?.strip_suffix('|'))
        {
            if let [a, b, c] = g.as_bytes() {
                let i = trigram_slot(*a, *b, *c);
                if let Some(w) = bits.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            }
        }
        bits
    });
    let w = word.as_bytes();
    if w.len() < 2 || !w.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    // The word's letters with a space on each side.
    let at = |i: usize| match i.checked_sub(1) {
        Some(j) => w.get(j).copied().unwrap_or(b' '),
        None => b' ',
    };
    (0..w.len()).any(|i| {
        let slot = trigram_slot(at(i), at(i + 1), at(i + 2));
        known
            .get(slot / 64)
            .is_none_or(|b| b & (1 << (slot % 64)) == 0)
    })
}

/// Trigrams of a space and the 26 lowercase letters.
const TRIGRAM_SLOTS: usize = 27 * 27 * 27;

/// The place of a trigram of spaces and lowercase letters among [`TRIGRAM_SLOTS`].
fn trigram_slot(a: u8, b: u8, c: u8) -> usize {
    let n = |x: u8| usize::from(x.saturating_sub(b'a' - 1)).min(26) * usize::from(x != b' ');
    (n(a) * 27 + n(b)) * 27 + n(c)
}

/// Whether two words differ by one letter (left out, added, changed, or two swapped)
/// and exactly one of them is [`unheard`]: both voiced, so that letters (acronyms)
/// keep their own rule.
fn mistyped(a: &WordForms, bt: &str) -> bool {
    voiced(a.text)
        && voiced(bt)
        && a.text_osa.within(bt.as_bytes(), 1) == Some(1)
        && *a.unheard.get_or_init(|| unheard(a.text)) != unheard(bt)
}

/// The words of one syllable that listed names use (`scripts/gen-syllable-words.py`,
/// from the OFAC SDN list, public domain data).
const SYLLABLE_WORDS: &str = include_str!("../syllable_words.txt");

/// The similarity at least of a word of one syllable that no listed name uses, a letter
/// away from one that listed names use ([`syllable_mistyped`]): below [`MISTYPED_SIM`],
/// since a syllable the lists lack may still be a real one (`Soo`).
pub(crate) const SYLLABLE_MISTYPED_SIM: f32 = 0.8;

/// Whether two words of one syllable (one group of vowels, at most six letters, three
/// letters at least) differ by one letter and exactly one of them is a syllable that
/// listed names use: the other is that syllable mistyped (`Sirk` / `Sik`, `Tonh` /
/// `Tong`, `Hrok` / `Hyok`), not another syllable, which a name would have used. Both
/// voiced, so that letters (acronyms) keep their own rule.
fn syllable_mistyped(a: &WordForms, bt: &str) -> bool {
    static KNOWN: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    let shape = |w: &str| {
        (3..=SYLLABLE_WORD_MAX_LEN).contains(&w.len())
            && w.as_bytes()
                .iter()
                .enumerate()
                .filter(|&(i, c)| {
                    is_vowel_byte(*c)
                        && (i == 0 || !w.as_bytes().get(i - 1).is_some_and(|p| is_vowel_byte(*p)))
                })
                .count()
                == 1
    };
    if !shape(a.text) || !shape(bt) || a.text_osa.within(bt.as_bytes(), 1) != Some(1) {
        return false;
    }
    let known = KNOWN.get_or_init(|| {
        SYLLABLE_WORDS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    known.contains(a.text) != known.contains(bt)
}

/// Letters at most of a word of one syllable in [`SYLLABLE_WORDS`].
const SYLLABLE_WORD_MAX_LEN: usize = 6;

/// Whether a word has a vowel (`y` counts): one that has none is read letter by letter.
fn voiced(word: &str) -> bool {
    word.bytes().any(is_vowel_byte)
}

/// Whether two words of two syllables or more, with the same first letter, have the
/// same consonants as [`abjad_fold`] reads them (two at least: `As'ad` / `As'ed`,
/// `Adel` / `Adal`, `Libi` / `Lebi`, whose later vowels romanizations write as they
/// hear them). With three or more, a first vowel alone may also differ: it is an alif
/// in the script, written with whichever vowel a spelling hears (`Ahmad` / `Ehmad`,
/// `Anwar` / `Enwar`); two consonants are too few to say that much (`Edam` / `Odam`).
/// Two consonants are also too few for the fold to join letters written differently
/// (`q` / `c` / `k` / `g` / `kh`, `z` / `s` / `th`): with its vowels folded too, a
/// short word would meet any other of its shape (`Acme` / `AQMI`, `Kane` / `Ghana`);
/// only vowels, glides and digraphs may differ then (`Charia` / `Sharia`, `Tuah` /
/// `Tuwah`).
fn same_consonants(a: &str, b: &str) -> bool {
    let (fa, fb) = (abjad_fold(a), abjad_fold(b));
    let (ca, cb) = (consonants(&fa), consonants(&fb));
    let written_alike = || {
        consonants(&fold_letters(a, Fold::KeepLetters))
            == consonants(&fold_letters(b, Fold::KeepLetters))
    };
    let syllables = |f: &str| {
        let mut n = 0;
        let mut prev = false;
        for c in f.chars() {
            let v = matches!(c, 'a' | 'i' | 'u');
            n += usize::from(v && !prev);
            prev = v;
        }
        n
    };
    ca.len() >= 2
        && ca == cb
        && (ca.len() >= 3 || written_alike())
        && match (fa.chars().next(), fb.chars().next()) {
            (Some(x), Some(y)) if x == y => true,
            _ if ca.len() < 3 => false,
            // Only the first vowel differs (`Ahmad` / `Ehmad`), not more (`Anderson`
            // / `Indersen`).
            (Some(x), Some(y)) => {
                "aiu".contains(x) && "aiu".contains(y) && fa.get(1..) == fb.get(1..)
            }
            _ => false,
        }
        && syllables(&fa) >= 2
        && syllables(&fb) >= 2
}

/// Whether two words of two syllables or more are one name in the spellings that
/// Slavic names take in English, German, French and Scandinavian lists: `j` for `y`
/// (`Jurij` / `Yuri`, `Zakarija`), `w` for `v`, `ff` for a final `v`, `ch`, `tch`,
/// `tsch`, `tj`, `sh`, `sch`, `zh`, `zj`, `kh` for one hissing or rough sound
/// (`Vladimirovitj`, `Michaylovich`, `Kalachnik`), `ye` or `ie` for `e` after a consonant
/// (`Alyeksandrovich`, `Olyeg`), and a final `ij`, `iy`, `yy`, `ii` or `y` for `i`.
/// Only pairs within the edit budget are asked, so whole other names stay apart.
fn slavic_spellings(a: &str, b: &str) -> bool {
    let syllables = |w: &str| {
        let mut n = 0;
        let mut prev = false;
        for c in w.bytes() {
            let v = is_vowel_byte(c);
            n += usize::from(v && !prev);
            prev = v;
        }
        n
    };
    syllables(a) >= 2 && syllables(b) >= 2 && slavic_fold(a) == slavic_fold(b)
}

/// A word with the letters of [`slavic_spellings`] folded to one form each (`c` for
/// the hissing and rough sounds, upper case so that no written `c` meets them).
fn slavic_fold(word: &str) -> String {
    let mut w = word.to_string();
    for (from, to) in [
        ("tsch", "C"),
        ("tch", "C"),
        ("sch", "C"),
        ("tj", "C"),
        ("zh", "C"),
        ("zj", "C"),
        ("kh", "C"),
        ("ch", "C"),
        ("sh", "C"),
        ("w", "v"),
        ("j", "y"),
        ("ff", "v"),
        ("ks", "x"),
    ] {
        if w.contains(from) {
            w = w.replace(from, to);
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(w.len());
    let b = w.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        let after_consonant = out.last().is_some_and(|&p| !is_vowel_byte(p));
        if matches!(c, b'y' | b'i') && matches!(next, Some(b'e' | b'o')) && after_consonant {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    for end in [&b"iy"[..], b"yy", b"ii", b"yi"] {
        if out.ends_with(end) {
            out.truncate(out.len() - 1);
            break;
        }
    }
    if out.len() > 1 && out.last() == Some(&b'y') {
        out.pop();
        out.push(b'i');
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Whether two words of three letters or more differ only in their first letter, `a`,
/// `e` or `i` (`Abu` / `Ebu`, `Adam` / `Edam`, `Issam` / `Essam`): an alif, written
/// with whichever vowel a spelling hears, in a word too short for
/// [`same_consonants`] (two consonants or fewer).
fn first_vowel_only(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let alif = |c: &u8| matches!(c, b'a' | b'e' | b'i');
    a.len() >= 3
        && a.len() == b.len()
        && matches!((a.first(), b.first()), (Some(x), Some(y)) if x != y && alif(x) && alif(y))
        && a.get(1..) == b.get(1..)
}

/// Whether two words of one syllable (a Korean or Chinese given name's part) are two
/// syllables rather than one mistyped: they differ in their first letter (`Yong`,
/// `Tong`), one has a consonant before the other's glide (`Kyong` / `Yong`), or
/// their phonetic keys differ in one vowel (`Sang` / `Song`, `Chang` / `Chong`). One syllable's romanizations share a phonetic key (`Jong` /
/// `Chong`, `Hyon` / `Hyeon`), and people seldom mistype a word's first letter; a
/// word of more syllables (`Ahmad` / `Ahmed`) keeps its typos.
pub(crate) fn other_syllable(at: &str, ak: &str, bt: &str, bk: &str) -> bool {
    if !one_syllable(at, ak) || !one_syllable(bt, bk) {
        return false;
    }
    // A letter typed for its neighbour on the keyboard (`Dik` for `Sik`) stays a typo,
    // as does a letter added or left out.
    let first_differs = at.len() == bt.len()
        && at.as_bytes().first() != bt.as_bytes().first()
        && ak.as_bytes().first() != bk.as_bytes().first()
        && !keyboard_slip(at.as_bytes(), bt.as_bytes());
    let (a, b) = (ak.as_bytes(), bk.as_bytes());
    // One vowel between consonants: `y` is often written for `i` (`Joynt`), and a
    // vowel next to another is a diphthong or two syllables written apart (`Seyed` /
    // `Siyed`, `Ma'ed` / `Ma'ad`).
    let vowel = |c: &u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let alone = |k: &[u8], i: usize| {
        let next_to =
            |j: Option<usize>| j.and_then(|j| k.get(j)).is_some_and(|c| is_vowel_byte(*c));
        !next_to(i.checked_sub(1)) && !next_to(Some(i + 1))
    };
    // Unless one written vowel holds the other: `Bak` / `Baek` (keys `pak` / `pek`)
    // is a letter left out, not another vowel (`Chong` / `Jang` is).
    let one_vowel_differs = a.len() == b.len() && !vowel_left_out(at, bt) && {
        let mut diff = a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y);
        matches!((diff.next(), diff.next()),
            (Some((i, (x, y))), None) if vowel(x) && vowel(y) && alone(a, i) && alone(b, i))
    };
    // A consonant before a glide (`Kyong` / `Yong`, `Kwang` / `Wang`) begins another
    // syllable; `h` is often written or left out (`Hwan` / `Wan`).
    let glide_added = {
        let (long, short) = if at.len() > bt.len() {
            (at.as_bytes(), bt.as_bytes())
        } else {
            (bt.as_bytes(), at.as_bytes())
        };
        long.len() == short.len() + 1
            && long.get(1..) == Some(short)
            && long
                .first()
                .is_some_and(|c| !is_vowel_byte(*c) && *c != b'h')
            && matches!(long.get(1), Some(b'y' | b'w'))
    };
    first_differs || glide_added || one_vowel_differs
}

/// Whether the written vowels of one word are those of the other with a letter left
/// out (`a` / `ae`): the first run of vowels of each, compared.
fn vowel_left_out(a: &str, b: &str) -> bool {
    // A slice of the word, not a copy: this runs for many pairs of short words.
    fn vowels(w: &str) -> &str {
        let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
        let b = w.as_bytes();
        let start = b.iter().position(|&c| is_vowel(c)).unwrap_or(b.len());
        let len = b.iter().skip(start).take_while(|&&c| is_vowel(c)).count();
        w.get(start..start + len).unwrap_or_default()
    }
    let (va, vb) = (vowels(a), vowels(b));
    let (short, long) = if va.len() < vb.len() {
        (va, vb)
    } else {
        (vb, va)
    };
    !short.is_empty() && long.len() == short.len() + 1 && long.contains(short)
}

/// Whether a word has one vowel letter (`y` aside, a glide): `Jon`, `Myong`, not
/// `Said` or `Saeed`.
fn one_vowel(word: &str) -> bool {
    word.bytes()
        .filter(|c| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u'))
        .count()
        == 1
}

/// Whether a word of text `t` and phonetic key `k` is one syllable: one group of
/// vowels, at most [`SYLLABLE_MAX_LEN`] letters.
fn one_syllable(t: &str, k: &str) -> bool {
    t.len() <= SYLLABLE_MAX_LEN && {
        let b = k.as_bytes();
        let starts = (0..b.len())
            .filter(|&i| {
                b.get(i).is_some_and(|c| is_vowel_byte(*c))
                    && (i == 0 || !b.get(i - 1).is_some_and(|c| is_vowel_byte(*c)))
            })
            .count();
        starts == 1
    }
}

/// Whether two words are both one syllable and both used by many listed names
/// (weighing less than [`COMMON_SYLLABLE_WEIGHT`]).
fn common_syllables(at: &str, ak: &str, bt: &str, bk: &str) -> bool {
    // The shapes first: the weights are looked up for few pairs.
    let common = |t: &str, k: &str| weight_of(t, k, TokenClass::Word) < COMMON_SYLLABLE_WEIGHT;
    one_syllable(at, ak) && one_syllable(bt, bk) && common(at, ak) && common(bt, bk)
}

/// A syllable weighing less than this is used by more than about a dozen listed names.
const COMMON_SYLLABLE_WEIGHT: f32 = 0.8;

/// The factor on the similarity of two common syllables a typo apart
/// ([`common_syllables`]).
const COMMON_SYLLABLES_TYPO: f32 = 0.8;

/// Words of one syllable are at most this long (`Cheong`).
pub(crate) const SYLLABLE_MAX_LEN: usize = 6;

fn is_vowel_byte(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A word without the endings that make its other forms (`-ing`, `-s`, `-es`, `-ies`,
/// `-ial`, `-y`, `-e`, an adjective's `-n`), when four letters or more are left.
pub(crate) fn stem(word: &str) -> Option<&str> {
    let n = word.len();
    let cut = if n >= 6 && (word.ends_with("ing") || word.ends_with("ial") || word.ends_with("ies"))
    {
        3
    } else if n >= 6 && word.ends_with("es") {
        2
    } else if (n >= 6 && word.ends_with("an"))
        || (n >= 5 && (word.ends_with('s') || word.ends_with('y') || word.ends_with('e')))
    {
        1
    } else {
        0
    };
    word.get(..n - cut).filter(|s| s.len() >= 4)
}

/// Similarity of a word read from Arabic or Hebrew script (`a`, when `a_abjad`) and
/// a Latin spelling: the same consonants, and the letters the script wrote (long
/// vowels included: `محمود` is `mahmud`, not `muhammad`) in the Latin spelling's
/// order, both read by [`abjad_fold`]. `None` unless exactly one side is such a word.
pub(crate) fn abjad_sim(a: &str, a_abjad: bool, b: &str, b_abjad: bool) -> Option<(f32, Basis)> {
    let (script, latin) = match (a_abjad, b_abjad) {
        (true, false) => (abjad_fold(a), fold_letters(b, Fold::KeepE)),
        (false, true) => (abjad_fold(b), fold_letters(a, Fold::KeepE)),
        _ => return None,
    };
    let skel = consonants(&script);
    // One consonant is enough when the script wrote a vowel beside it and the Latin
    // spelling starts with the vowel of an `ع` that the reading leaves out: `علي` (read
    // `li`) is Ali, `عواد` (`uad`) Awwad, `عدي` (`di`) Uday; `ما` (`ma`) is not Mei.
    let starts_with_vowel = latin.bytes().next().is_some_and(|c| b"aeiu".contains(&c));
    let enough = skel.len() >= 2 || (skel.len() == 1 && script.len() >= 2 && starts_with_vowel);
    let same = enough && skel == consonants(&latin) && script_letters_fit(&script, &latin);
    same.then_some((ABJAD_SIM, Basis::Abjad))
}

/// Whether the letters Arabic or Hebrew script wrote (`script`, by [`abjad_fold`])
/// appear in a Latin spelling (`latin`, folded keeping `e`) in order. Latin spellings
/// write the script's vowels their own ways: a long `a` or `i` may be written `e`
/// (Maghreb `Djamel`, `Belkalem` for `جمال`, `بلكلام`; `Selim`); a word's first vowel
/// is an alif, which carries whichever vowel the name has (`انتصار` Intissar, `اسامة`
/// Usama); its last, a feminine ending (`ة`, or `ه` after a consonant), is written
/// with any vowel (`-a`, `-e`, `-eh`, `-ih`).
fn script_letters_fit(script: &str, latin: &str) -> bool {
    let vowel = |c: u8| matches!(c, b'a' | b'i' | b'u' | b'e');
    let (s, l) = (script.as_bytes(), latin.as_bytes());
    let mut at = 0;
    for (k, &c) in s.iter().enumerate() {
        let edge = vowel(c) && (k == 0 || k + 1 == s.len());
        if k == 0 && edge {
            // The alif's vowel is the Latin word's first letter, or it is left out.
            if l.first().copied().is_some_and(vowel) {
                at = 1;
            }
            continue;
        }
        let fits = |d: u8| d == c || (d == b'e' && matches!(c, b'a' | b'i')) || (edge && vowel(d));
        match l
            .get(at..)
            .and_then(|rest| rest.iter().position(|&d| fits(d)))
        {
            Some(p) => at += p + 1,
            None => return false,
        }
    }
    true
}

/// Similarity of a word in Arabic or Hebrew script and its Latin spelling.
pub(crate) const ABJAD_SIM: f32 = 0.85;

/// A word as the letters of Arabic script would spell it, so that a transliteration
/// and a Latin spelling compare: digraphs as one letter (`kh`, `sh`, `th`, `dh`, `gh`,
/// `dj`), the letters lists write for one sound as one (`q`/`k`/`c`, `th`/`s`/`z`,
/// `e`/`i`, `o`/`u`, `y`/`i`, `w`/`u`), doubled letters once.
pub(crate) fn abjad_fold(word: &str) -> String {
    fold_letters(word, Fold::Abjad)
}

/// What [`fold_letters`] keeps apart that [`abjad_fold`] joins.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// Nothing: [`abjad_fold`].
    Abjad,
    /// `e` apart from `i` (a Latin spelling's `e` may stand for the script's `a` as
    /// well as its `i`).
    KeepE,
    /// The letters lists write for one sound (`c`, `q`, `k`, `g`, `kh`, `gh`; `z`,
    /// `s`, `th`): the consonants as written, digraphs and doubled letters read once.
    KeepLetters,
}

/// [`abjad_fold`], keeping apart what `fold` says.
fn fold_letters(word: &str, fold: Fold) -> String {
    let b = word.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut k = 0;
    while let Some(&c) = b.get(k) {
        let next = b.get(k + 1).copied();
        let (letter, used) = match (c, next) {
            // Upper case: no written letter meets them.
            (b'k' | b'g', Some(b'h')) if fold == Fold::KeepLetters => (b'K', 2),
            (b't', Some(b'h')) if fold == Fold::KeepLetters => (b'T', 2),
            (b'k', Some(b'h')) | (b'g', Some(b'h')) => (b'k', 2),
            (b's', Some(b'h')) | (b'c', Some(b'h')) => (b'x', 2),
            // `th` is Arabic ث, written `s` in Persian and Urdu names (Usman, Saqib).
            (b't', Some(b'h')) => (b's', 2),
            (b'd', Some(b'j')) => (b'j', 2),
            // French spellings of North African names: `Lounici` is لونيسي.
            (b'c', Some(b'e' | b'i' | b'y')) => (b's', 1),
            (b'd', Some(b'h')) => (b'd', 2),
            (b'p', Some(b'h')) => (b'f', 2),
            (b'q' | b'c' | b'g' | b'z', _) if fold == Fold::KeepLetters => (c, 1),
            (b'q' | b'c' | b'g', _) => (b'k', 1),
            (b'e', _) if fold == Fold::KeepE => (b'e', 1),
            (b'e' | b'y', _) => (b'i', 1),
            (b'o' | b'w', _) => (b'u', 1),
            (b'z', _) => (b's', 1),
            _ => (c, 1),
        };
        if out.last() != Some(&letter) {
            out.push(letter);
        }
        k += used;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The consonants of a folded word (see [`abjad_fold`]).
pub(crate) fn consonants(folded: &str) -> String {
    folded
        .chars()
        .filter(|c| !matches!(c, 'a' | 'i' | 'u' | 'e'))
        .collect()
}

/// The better of two similarities.
pub(crate) fn best_sim(a: (f32, Basis), b: Option<(f32, Basis)>) -> (f32, Basis) {
    match b {
        Some(b) if b.0 > a.0 => b,
        _ => a,
    }
}

/// Whether two words of equal length differ by two adjacent letters swapped or by one
/// letter typed with a neighbouring key of a QWERTY keyboard.
pub(crate) fn keyboard_slip(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y);
    match (diff.next(), diff.next(), diff.next()) {
        (Some((_, (&x, &y))), None, None) => adjacent_keys(x, y),
        (Some((i, (&x1, &y1))), Some((j, (&x2, &y2))), None) => j == i + 1 && x1 == y2 && x2 == y1,
        _ => false,
    }
}

/// Whether two letters are neighbours on a QWERTY keyboard (rows staggered by a quarter
/// and three quarters of a key).
pub(crate) fn adjacent_keys(x: u8, y: u8) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    const OFFSET: [f32; 3] = [0.0, 0.25, 0.75];
    let pos = |c: u8| {
        ROWS.iter()
            .zip(OFFSET)
            .enumerate()
            .find_map(|(r, (row, off))| {
                row.iter()
                    .position(|&k| k == c)
                    .map(|col| (r as f32, col as f32 + off))
            })
    };
    match (pos(x), pos(y)) {
        (Some((r1, c1)), Some((r2, c2))) if x != y => {
            let (dr, dc) = ((r1 - r2).abs(), (c1 - c2).abs());
            (dr == 0.0 && dc == 1.0) || (dr == 1.0 && dc <= 0.75)
        }
        _ => false,
    }
}

/// Typos in words shorter than this many letters lose [`SHORT_WORD_PENALTY`] per
/// missing letter.
pub(crate) const SHORT_WORD_LEN: usize = 6;

pub(crate) const SHORT_WORD_PENALTY: f32 = 0.06;

/// Similarity of two tokens in [0, 1]; 0 when they do not align.
pub(crate) fn token_sim(a: &Tok, b: &Tok) -> (f32, Basis) {
    use TokenClass::*;
    match (a.class, b.class) {
        (Number, Number) | (Initial, Initial) => {
            if a.text == b.text {
                (1.0, Basis::Exact)
            } else {
                (0.0, Basis::Exact)
            }
        }
        (Initial, Word) => initial_sim(a, b),
        (Word, Initial) => initial_sim(b, a),
        (Word, Word) => best_sim(
            word_sim(&a.text, &a.key, &b.text, &b.key),
            abjad_sim(&a.text, a.abjad, &b.text, b.abjad),
        ),
        _ => (0.0, Basis::Exact),
    }
}

pub(crate) fn initial_sim(initial: &Tok, word: &Tok) -> (f32, Basis) {
    let same = initial.text.bytes().next() == word.text.bytes().next()
        || (!initial.key.is_empty() && initial.key.bytes().next() == word.key.bytes().next());
    if same {
        (INITIAL_SIM, Basis::Initial)
    } else {
        (0.0, Basis::Initial)
    }
}
