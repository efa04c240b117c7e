//! Transliteration of non-Latin scripts to lowercase ASCII.
//!
//! Hangul, Cyrillic, Greek, Arabic (with Persian and Urdu letters) and Hebrew have
//! hand-written tables here because generic tables give spellings that lists never use
//! (Hangul as one run of Revised Romanization, Arabic and Hebrew without their vowel
//! letters read as vowels). Every other script goes through `any_ascii`.
//!
//! Hangul is romanized one syllable per token in the McCune-Reischauer style that DPRK
//! list entries use (`김정은` → `kim chong un`); Revised Romanization
//! ([`romanize_hangul_rr`]) is here for callers and tests. The two systems, and the
//! informal spellings between them, are made to meet by the phonetic key
//! ([`crate::normalize::phonetic_key`]), not by picking one spelling here.

use crate::text::script::is_hangul_syllable;

const MR_INITIAL: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "kh", "th",
    "ph", "h",
];
#[cfg(test)]
const RR_INITIAL: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const MR_MEDIAL: [&str; 21] = [
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "u", "ui", "i",
];
#[cfg(test)]
const RR_MEDIAL: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const FINAL: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// The Korean romanization systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Romanization {
    /// McCune-Reischauer without diacritics or apostrophes (`chong`, `pyong`): the
    /// system of DPRK list entries.
    McCuneReischauer,
    /// Revised Romanization of Korean (`jeong`, `byeong`): South Korean usage.
    #[cfg(test)]
    Revised,
}

/// Romanizes one Hangul syllable, or returns `None` for anything else.
pub fn romanize_syllable(c: char, system: Romanization) -> Option<String> {
    if !is_hangul_syllable(c) {
        return None;
    }
    let s = c as usize - 0xAC00;
    let (ini, med, fin) = (s / 588, (s % 588) / 28, s % 28);
    let (inis, meds) = match system {
        Romanization::McCuneReischauer => (&MR_INITIAL, &MR_MEDIAL),
        #[cfg(test)]
        Romanization::Revised => (&RR_INITIAL, &RR_MEDIAL),
    };
    let mut out = String::with_capacity(6);
    out.push_str(inis.get(ini).copied().unwrap_or(""));
    out.push_str(meds.get(med).copied().unwrap_or(""));
    out.push_str(FINAL.get(fin).copied().unwrap_or(""));
    Some(out)
}

/// Romanizes Hangul text with Revised Romanization, one word per syllable; other
/// characters are kept.
#[cfg(test)]
pub fn romanize_hangul_rr(text: &str) -> String {
    romanize_hangul(text, Romanization::Revised)
}

/// Romanizes Hangul text with McCune-Reischauer, one word per syllable; a leading `이`
/// or `리` of a word (the surname Ri/Yi/Lee) is written `ri`, as DPRK lists do.
#[cfg(test)]
pub fn romanize_hangul_mr(text: &str) -> String {
    romanize_hangul(text, Romanization::McCuneReischauer)
}

#[cfg(test)]
fn romanize_hangul(text: &str, system: Romanization) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut prev_hangul = false;
    for c in text.chars() {
        if let Some(r) = romanize_syllable(c, system) {
            if prev_hangul {
                out.push(' ');
            }
            if !prev_hangul && system == Romanization::McCuneReischauer && r == "i" {
                out.push_str("ri");
            } else {
                out.push_str(&r);
            }
            prev_hangul = true;
        } else {
            out.push(c);
            prev_hangul = false;
        }
    }
    out
}

/// Transliterates a run of lowercase Cyrillic text.
pub(crate) fn cyrillic(run: &[char], out: &mut String) {
    for (i, &c) in run.iter().enumerate() {
        let at_start = i == 0 || !run.get(i - 1).is_some_and(|p| p.is_alphabetic());
        let s = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' | 'э' | 'ё' => "e",
            'є' => "ye",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' => "i",
            'ї' => "yi",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ў' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            // No Russian word starts with ы; a leading one transcribes a foreign vowel
            // (Korean 은 → Ын), which Latin lists write `u`.
            'ы' if at_start => "u",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(s);
    }
}

/// Transliterates a run of lowercase Greek text (accents already removed).
pub(crate) fn greek(run: &[char], out: &mut String) {
    let mut i = 0;
    while let Some(&c) = run.get(i) {
        let next = run.get(i + 1).copied();
        let at_start = i == 0 || !run.get(i - 1).is_some_and(|p| p.is_alphabetic());
        let (s, used) = match (c, next) {
            ('ο', Some('υ')) => ("u", 2),
            ('α', Some('ι')) => ("e", 2),
            ('ε', Some('ι')) | ('ο', Some('ι')) => ("i", 2),
            ('μ', Some('π')) if at_start => ("b", 2),
            ('ν', Some('τ')) if at_start => ("d", 2),
            ('ν', Some('τ')) => ("nd", 2),
            ('γ', Some('γ')) => ("ng", 2),
            ('γ', Some('κ')) => ("g", 2),
            ('α', _) => ("a", 1),
            ('β', _) => ("v", 1),
            ('γ', _) => ("g", 1),
            ('δ', _) => ("d", 1),
            ('ε', _) => ("e", 1),
            ('ζ', _) => ("z", 1),
            ('η', _) | ('ι', _) | ('υ', _) => ("i", 1),
            ('θ', _) => ("th", 1),
            ('κ', _) => ("k", 1),
            ('λ', _) => ("l", 1),
            ('μ', _) => ("m", 1),
            ('ν', _) => ("n", 1),
            ('ξ', _) => ("x", 1),
            ('ο', _) | ('ω', _) => ("o", 1),
            ('π', _) => ("p", 1),
            ('ρ', _) => ("r", 1),
            ('σ', _) | ('ς', _) => ("s", 1),
            ('τ', _) => ("t", 1),
            ('φ', _) => ("f", 1),
            ('χ', _) => ("kh", 1),
            ('ψ', _) => ("ps", 1),
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        out.push_str(s);
        i += used;
    }
}

fn ends_with_consonant(out: &str) -> bool {
    out.chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphabetic() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
}

/// Transliterates a run of Arabic-script text (Arabic, Persian, Urdu letters).
///
/// Names are written without short vowels, so `و` and `ي` after a consonant are read as
/// the vowels `u` and `i` (بوتين → `butin`), and as `w` / `y` elsewhere.
pub(crate) fn arabic(run: &[char], out: &mut String) {
    for (i, &c) in run.iter().enumerate() {
        let at_start = i == 0 || !run.get(i - 1).is_some_and(|p| is_arabic_letter(*p));
        // `ع` is a consonant that Latin spellings leave out or write as a vowel: a `و`
        // or `ي` after it is a vowel, as after any consonant (عيسى Isa, عويس Aweys).
        let after_consonant = ends_with_consonant(out) || (i > 0 && run.get(i - 1) == Some(&'ع'));
        let at_end = !run.get(i + 1).is_some_and(|n| is_arabic_letter(*n));
        let s = match c {
            'ا' | 'أ' | 'آ' | 'ٱ' => "a",
            'إ' => "i",
            'ء' | 'ع' | 'ـ' => "",
            'ؤ' => "u",
            'ئ' => "i",
            'ب' => "b",
            'پ' => "p",
            'ت' | 'ط' | 'ٹ' => "t",
            'ة' => "a",
            'ث' => "th",
            'ج' => "j",
            'چ' => "ch",
            // The feminine ending written with `ه` (Persian and colloquial spellings of
            // `ة`: شحاته Shihata, زاده Zadeh) is a vowel after a consonant; not in
            // `الله`, whose `h` Latin writes.
            'ه' | 'ہ' if at_end && ends_with_consonant(out) && !out.ends_with("ll") => "a",
            'ح' | 'ه' | 'ہ' | 'ھ' => "h",
            'خ' => "kh",
            'د' | 'ض' | 'ڈ' => "d",
            'ذ' => "dh",
            'ر' | 'ڑ' => "r",
            'ز' | 'ظ' => "z",
            'ژ' => "zh",
            'س' | 'ص' => "s",
            'ش' => "sh",
            'غ' => "gh",
            'ف' => "f",
            'ق' => "q",
            'ك' | 'ک' => "k",
            'گ' => "g",
            'ل' => "l",
            'م' => "m",
            'ن' | 'ں' => "n",
            'و' if at_start => "w",
            'و' if after_consonant => "u",
            'و' => "w",
            'ي' | 'ی' | 'ى' | 'ے' if at_start => "y",
            // A final long vowel: `a` in Arabic (موسى Musa), `i` in Persian and
            // Pashto names written with it (حقانى Haqqani); Latin spellings write one.
            // After `ي` it is the ending `-ya` (يحيى Yahya), a syllable of its own.
            'ى' if out.ends_with('i') => "a",
            'ى' => "",
            'ے' => "e",
            'ي' | 'ی' if after_consonant => "i",
            'ي' | 'ی' => "y",
            // Short-vowel marks, when written.
            '\u{064E}' => "a",
            '\u{064F}' => "u",
            '\u{0650}' => "i",
            '\u{064B}'..='\u{065F}' | '\u{0670}' => "",
            '٠'..='٩' => {
                out.push(char::from(b'0' + (c as u32 - 0x660) as u8));
                continue;
            }
            '۰'..='۹' => {
                out.push(char::from(b'0' + (c as u32 - 0x6F0) as u8));
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(s);
    }
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0620}'..='\u{064A}').contains(&c) || ('\u{0671}'..='\u{06D3}').contains(&c)
}

/// Transliterates a run of Hebrew text (unpointed).
///
/// `ו` and `י` after a consonant are read as vowels, as in names (פוטין → `putin`).
pub(crate) fn hebrew(run: &[char], out: &mut String) {
    for (i, &c) in run.iter().enumerate() {
        let at_start = i == 0 || !run.get(i - 1).is_some_and(|p| is_hebrew_letter(*p));
        let next = run.get(i + 1).copied();
        let s = match c {
            'א' | 'ע' => "",
            'ב' if at_start => "b",
            'ב' => "v",
            'ג' => "g",
            'ד' => "d",
            'ה' => "h",
            'ו' if next == Some('ו') => "",
            'ו' if at_start => "v",
            'ו' if ends_with_consonant(out) => "u",
            'ו' => "v",
            'ז' => "z",
            'ח' | 'ך' => "kh",
            'ט' | 'ת' => "t",
            'י' if at_start => "y",
            'י' if ends_with_consonant(out) => "i",
            'י' => "y",
            'כ' | 'ק' => "k",
            'ל' => "l",
            'מ' | 'ם' => "m",
            'נ' | 'ן' => "n",
            'ס' => "s",
            'פ' if at_start => "p",
            'פ' | 'ף' => "f",
            'צ' | 'ץ' => "ts",
            'ר' => "r",
            'ש' => "sh",
            '\u{0591}'..='\u{05C7}' => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(s);
    }
}

fn is_hebrew_letter(c: char) -> bool {
    ('\u{05D0}'..='\u{05EA}').contains(&c)
}

/// The script family of a character, for choosing a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Other,
}

pub(crate) fn script_of(c: char) -> Script {
    match c as u32 {
        0x0400..=0x052F => Script::Cyrillic,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        _ => Script::Other,
    }
}

/// Transliterates a run of one script, appending lowercase ASCII to `out`.
pub(crate) fn run_to_ascii(script: Script, run: &[char], out: &mut String) {
    match script {
        Script::Cyrillic => cyrillic(run, out),
        Script::Greek => greek(run, out),
        Script::Arabic => arabic(run, out),
        Script::Hebrew => hebrew(run, out),
        Script::Other => {
            let s: String = run.iter().collect();
            out.push_str(&any_ascii::any_ascii(&s).to_ascii_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(script: Script, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        run_to_ascii(script, &chars, &mut out);
        out
    }

    #[test]
    fn hangul_both_systems() {
        assert_eq!(romanize_hangul_mr("조선"), "cho son");
        assert_eq!(romanize_hangul_rr("조선"), "jo seon");
        assert_eq!(romanize_hangul_mr("최룡해"), "choe ryong hae");
        assert_eq!(romanize_hangul_mr("박봉주"), "pak pong chu");
        assert_eq!(romanize_hangul_mr("이서연"), "ri so yon");
    }

    #[test]
    fn cyrillic_greek_arabic_hebrew() {
        assert_eq!(tr(Script::Cyrillic, "ким чен ын"), "kim chen un");
        assert_eq!(tr(Script::Cyrillic, "путин"), "putin");
        assert_eq!(tr(Script::Greek, "πουτιν"), "putin");
        assert_eq!(tr(Script::Arabic, "بوتين"), "butin");
        assert_eq!(tr(Script::Arabic, "فلاديمير"), "fladimir");
        assert_eq!(tr(Script::Arabic, "عيسى"), "is");
        assert_eq!(tr(Script::Arabic, "عويس"), "uys");
        assert_eq!(tr(Script::Hebrew, "פוטין"), "putin");
        assert_eq!(tr(Script::Hebrew, "ולדימיר"), "vldimir");
    }

    // The examples that documented these functions when they were public.
    #[test]
    fn example_romanize_syllable() {
        use crate::normalize::translit::{romanize_syllable, Romanization};
        assert_eq!(
            romanize_syllable('정', Romanization::McCuneReischauer).as_deref(),
            Some("chong")
        );
        assert_eq!(
            romanize_syllable('정', Romanization::Revised).as_deref(),
            Some("jeong")
        );
    }

    #[test]
    fn example_romanize_hangul_rr() {
        use crate::normalize::translit::romanize_hangul_rr;
        assert_eq!(romanize_hangul_rr("김정은"), "gim jeong eun");
    }

    #[test]
    fn example_romanize_hangul_mr() {
        use crate::normalize::translit::romanize_hangul_mr;
        assert_eq!(romanize_hangul_mr("김정은"), "kim chong un");
        assert_eq!(romanize_hangul_mr("리병철"), "ri pyong chol");
    }
}
