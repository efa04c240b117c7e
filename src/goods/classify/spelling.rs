//! The spellings of a term that hand-typed invoices write for it, besides its own: a
//! name of two words written as one (`Landcruiser` for `land cruiser`), a name whose
//! first letter stands apart (`i-Phone` for `iphone`), and one slip of the keyboard in
//! a long brand or model name (`Hennesy`, `Henessy`, `Rollex`, `Maybah`). Only a
//! strong term gets the slips: it is a name, which no other word is one letter from,
//! while a generic word (`salon` is one letter from `saloon`) would be read as another.
//! A variant that is the text of any term or exclusion of the rules is not made: the
//! rules' own words keep their meaning.

use crate::text::goods::TermPattern;

/// The shortest strong term that gets a doubled letter written once or a letter
/// doubled (`rolex` and `rollex`).
const MIN_SLIP: usize = 5;

/// The shortest strong term that gets a letter left out (`maybach` and `maybah`):
/// leaving a letter out of a shorter word makes another word too often.
const MIN_DROP: usize = 7;

/// The other spellings of `spec` (a term, `strong` or weak in its category), each
/// normalized, without `spec` itself; none for a prefix term or a term that is not
/// ASCII letters, digits and spaces.
pub(super) fn variants(spec: &TermPattern, strong: bool) -> Vec<TermPattern> {
    let text = spec.text.as_str();
    if spec.prefix
        || !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
    {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = text.split(' ').collect();
    // Two words of letters written as one.
    if (2..=3).contains(&words.len()) {
        for k in 1..words.len() {
            let (a, b) = (words[k - 1], words[k]);
            let letters = |w: &str| w.len() >= 3 && w.bytes().all(|c| c.is_ascii_lowercase());
            if letters(a) && letters(b) {
                let mut joined = words[..k - 1].join(" ");
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(a);
                joined.push_str(&words[k..].join(" "));
                out.push(joined);
            }
        }
    }
    if strong && words.len() == 1 && text.bytes().all(|c| c.is_ascii_lowercase()) {
        let b = text.as_bytes();
        // A product name whose first letter is written apart (`i-Phone`, `e-Tron`).
        if b.len() >= MIN_SLIP && matches!(b[0], b'i' | b'e') && !is_vowel(b[1]) {
            out.push(format!("{} {}", &text[..1], &text[1..]));
        }
        if b.len() >= MIN_SLIP {
            for k in 1..b.len() {
                // A doubled letter written once (`hennessy`: `henessy`, `hennesy`).
                if b[k] == b[k - 1] {
                    out.push(format!("{}{}", &text[..k], &text[k + 1..]));
                // A consonant after the first letter doubled (`rolex`: `rollex`).
                } else if !is_vowel(b[k]) && b.get(k + 1) != Some(&b[k]) {
                    out.push(format!("{}{}", &text[..=k], &text[k..]));
                }
            }
        }
        if b.len() >= MIN_DROP {
            // A letter left out, not the first or the last (`maybach`: `maybah`).
            for k in 1..b.len() - 1 {
                if b[k] != b[k - 1] {
                    out.push(format!("{}{}", &text[..k], &text[k + 1..]));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    // A variant the normalizer would read as another word (`solidus` less its `u` is
    // `solids`, read as `solid`) is not made.
    out.iter()
        .filter(|v| v.as_str() != text)
        .filter_map(|v| TermPattern::of(v).filter(|p| p.text == *v))
        .collect()
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str, strong: bool) -> Vec<String> {
        let spec = TermPattern::of(text).expect("a term");
        variants(&spec, strong)
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn hand_typed_spellings_of_names() {
        assert!(of("land cruiser", false).contains(&"landcruiser".to_string()));
        assert!(of("bullet proof car", true).contains(&"bulletproof car".to_string()));
        assert!(of("iphone", true).contains(&"i phone".to_string()));
        let hennessy = of("hennessy", true);
        assert!(hennessy.contains(&"henessy".to_string()), "{hennessy:?}");
        assert!(hennessy.contains(&"hennesy".to_string()), "{hennessy:?}");
        assert!(of("rolex", true).contains(&"rollex".to_string()));
        assert!(of("maybach", true).contains(&"maybah".to_string()));
        // No slips for a weak term, a short one, or the last letter of a long one.
        assert!(!of("saloon", false).contains(&"salon".to_string()));
        assert!(of("benz", true).is_empty());
        assert!(!of("overseas", true).contains(&"oversea".to_string()));
        // Nor for a prefix term or one with a digit.
        assert!(of("автомобил*", true).is_empty());
        assert!(of("lx 570", true).is_empty());
    }
}
