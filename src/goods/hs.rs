//! Tariff code normalization: HS, CN, HTS and Schedule B codes as traders write them.
//!
//! `8703.24`, `8703 24 10`, `870324`, `HS 9101.21`, `2208.20.00-10` all become their
//! digits. Every national nomenclature extends the six-digit HS code, so a category's
//! HS prefix matches a code of any of them; the digits keep their positions in the
//! written code so evidence can point at what the trader wrote.

/// A tariff code reduced to its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HsCode {
    /// The digits, without dots or spaces.
    pub digits: String,
    /// For each digit, its character offset in the code as written.
    positions: Vec<usize>,
}

/// Fewest digits of a usable code: a four-digit heading.
pub const MIN_DIGITS: usize = 4;
/// Most digits of a usable code (ten-digit HTS / Schedule B; CN stops at eight).
pub const MAX_DIGITS: usize = 10;

impl HsCode {
    /// Parses a code: digits separated by dots, spaces or dashes, optionally after an
    /// `HS` / `HTS` / `CN` / `HS code:` label. Returns `None` for anything else, and for
    /// fewer than 4 or more than 10 digits.
    ///
    /// ```
    /// use embargo::goods::hs::HsCode;
    /// assert_eq!(HsCode::parse("8703.24").unwrap().digits, "870324");
    /// assert_eq!(HsCode::parse("HS 9101 21 00").unwrap().digits, "91012100");
    /// assert!(HsCode::parse("87").is_none());
    /// assert!(HsCode::parse("see invoice").is_none());
    /// ```
    pub fn parse(code: &str) -> Option<HsCode> {
        let mut digits = String::new();
        let mut positions = Vec::new();
        let mut label = true;
        for (i, c) in code.chars().enumerate() {
            if c.is_ascii_digit() {
                label = false;
                digits.push(c);
                positions.push(i);
            } else if matches!(c, '.' | ' ' | '-' | '\u{a0}' | '\t') {
                continue;
            } else if label && (c.is_ascii_alphabetic() || c == ':' || c == '#') {
                // A leading label such as `HS code:`; letters after the first digit are
                // not a code.
                continue;
            } else {
                return None;
            }
        }
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
            Some(HsCode { digits, positions })
        } else {
            None
        }
    }

    /// Whether the code falls under `prefix` (digits only).
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.digits.starts_with(prefix)
    }

    /// The character range, in the code as written, of its first `n` digits.
    pub fn span_of_prefix(&self, n: usize) -> Option<(usize, usize)> {
        let first = *self.positions.first()?;
        let last = *self.positions.get(n.checked_sub(1)?)?;
        Some((first, last + 1))
    }
}

/// Packs a digit string of at most 10 digits (and its length, so `0101` and `101`
/// differ) into one integer key for prefix lookup.
pub(crate) fn key(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    let mut v: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v * 16 + digits.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_one_code() {
        for s in [
            "870324",
            "8703.24",
            "8703 24",
            " 8703.24 ",
            "HS: 8703.24",
            "hs8703-24",
        ] {
            assert_eq!(
                HsCode::parse(s).map(|c| c.digits),
                Some("870324".into()),
                "{s}"
            );
        }
    }

    #[test]
    fn rejects_non_codes() {
        for s in [
            "",
            "87",
            "12345678901",
            "8703x",
            "see attached",
            "87.03.24a",
        ] {
            assert!(HsCode::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn prefix_span_counts_dots() {
        let c = HsCode::parse("2208.20").unwrap();
        assert!(c.starts_with("2208"));
        assert!(c.starts_with("220820"));
        assert!(!c.starts_with("2203"));
        assert_eq!(c.span_of_prefix(4), Some((0, 4)));
        assert_eq!(c.span_of_prefix(6), Some((0, 7)));
        assert_eq!(c.span_of_prefix(7), None);
    }

    #[test]
    fn keys_distinguish_leading_zeros() {
        assert_ne!(key("0101"), key("101"));
        assert_eq!(key("8703"), key("8703"));
        assert_eq!(key("87a3"), None);
    }
}
