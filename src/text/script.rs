//! One table of the scripts and marks the text readers treat specially.
//!
//! Each question is asked in one place: whether a character belongs to a script
//! written without spaces between words, whether it is a Hangul syllable or a Cyrillic
//! letter, and which characters are apostrophes. The ranges are Unicode blocks; see
//! the Unicode Standard's block list (`Blocks.txt`).

/// Whether `c` belongs to a script written without spaces between words (Han, kana),
/// or is Hangul, whose words carry attached particles: no word boundary can be
/// required next to such a character.
pub fn is_spaceless(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'   // Hangul jamo
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}' // Hangul compatibility jamo
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}') // CJK extensions B to F, compatibility supplement
}

/// Whether `c` is in the CJK Unified Ideographs block (`一` to `鿿`), where most
/// Chinese text is written.
pub fn is_cjk_unified(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether `c` is a precomposed Hangul syllable (`가` to `힣`).
pub fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Whether `c` is a CJK ideograph, read one syllable per character.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Whether `c` is a letter of the Latin blocks (Basic Latin to Latin Extended-B, `A`
/// to `ɏ`): the letters Latin transliterations of names are written in.
pub fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && c < '\u{0250}'
}

/// Whether `c` is in the Cyrillic block (`Ѐ` to `ӿ`): the letters of Russian,
/// Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian, Kazakh and others.
pub fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Whether `c` is one of the 64 basic Cyrillic letters, `А` to `я` (without `Ѐ`-`Џ`
/// and `ѐ`-`џ`): two bytes in UTF-8, and one lowercase letter each.
pub fn is_basic_cyrillic(c: char) -> bool {
    ('\u{0410}'..='\u{044F}').contains(&c)
}

/// Whether `c` is an apostrophe, as traders, lists and transliterations write one:
/// the ASCII apostrophe and grave accent, the left and right single quotation
/// marks, the modifier letter apostrophe, and the acute accent. An apostrophe joins
/// the letters around it (`men's`, `D'Or`); it never separates words.
pub const fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{00B4}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_syllables_and_han_are_spaceless() {
        for c in ['가', '힣', '一', '鿿', '\u{20000}', '豈'] {
            assert!(is_spaceless(c), "{c}");
        }
        assert!(is_hangul_syllable('가') && !is_hangul_syllable('ㄱ'));
        assert!(is_han('劳') && !is_han('カ'));
        for c in ['a', 'ж', 'ا', ' '] {
            assert!(!is_spaceless(c), "{c}");
        }
    }

    #[test]
    fn cyrillic_blocks() {
        assert!(is_cyrillic('ё') && !is_basic_cyrillic('ё'));
        assert!(is_basic_cyrillic('А') && is_basic_cyrillic('я'));
        assert!(!is_cyrillic('a'));
    }

    // The examples that documented these functions when they were public.
    #[test]
    fn example_is_spaceless() {
        use crate::text::script::is_spaceless;
        assert!(is_spaceless('劳'));
        assert!(is_spaceless('조'));
        assert!(is_spaceless('カ'));
        assert!(!is_spaceless('ж'));
    }

    #[test]
    fn example_is_apostrophe_examples() {
        use crate::text::script::is_apostrophe;
        assert!(is_apostrophe('\''));
        assert!(is_apostrophe('’'));
        assert!(is_apostrophe('ʼ'));
        assert!(!is_apostrophe('"'));
    }
}
