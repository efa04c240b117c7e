//! Tariff codes as traders write them: the one reader of HS, CN, HTS and Schedule B
//! codes in orders and goods lines.
//!
//! `8703.24`, `8703 24 10`, `870324`, `HS 9101.21`, `HS: 8703.24`, `CN 8703 24 10`,
//! `HTS 9101.21.00`, `Schedule B 9101210000`, `2208.20.00-10` all become their digits:
//! any code with or without dots, spaces or dashes, after an optional label, of 6 to
//! 10 digits or a 4-digit heading (as `CONTRACT.md` describes). Every national
//! nomenclature extends the six-digit HS code, so a category's HS prefix matches a
//! code of any of them; the digits keep their positions in the written code so
//! evidence can point at what the trader wrote.
//!
//! Rules files write code prefixes in their own grammar (digits with optional dots,
//! 2 to 10 digits; see `rules/README.md`), read by the rule-language parser and checked
//! against HS 2022 by the compiler.

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
    /// Parses a code: digits separated by dots, spaces or dashes, optionally after a
    /// label of letters, `:` and `#` (`HS`, `HTS`, `CN`, `HS code:`, `Schedule B`). Returns `None` for anything else, and for
    /// fewer than 4 or more than 10 digits.
    ///
    /// ```
    /// use embargo::refdata::hs::HsCode;
    /// assert_eq!(HsCode::parse("8703.24").unwrap().digits, "870324");
    /// assert_eq!(HsCode::parse("HS 9101 21 00").unwrap().digits, "91012100");
    /// assert!(HsCode::parse("87").is_none());
    /// assert!(HsCode::parse("see invoice").is_none());
    /// ```
    pub fn parse(code: &str) -> Option<HsCode> {
        let c = CodeDigits::parse(code)?;
        Some(HsCode {
            digits: c.digits().iter().map(|&d| char::from(d)).collect(),
            positions: CodeDigits::positions(code).collect(),
        })
    }

    /// Checks a code declared on a goods line (an order's `hs`, `classify --hs`, a
    /// classify request), the one rule every input follows: 6 to 10 digits with or
    /// without dots, or a 4-digit heading. Five digits are refused too: they are
    /// neither, most often a code whose leading zero a spreadsheet dropped.
    ///
    /// ```
    /// use embargo::refdata::hs::HsCode;
    /// assert!(HsCode::declared("8703.24").is_ok());
    /// assert!(HsCode::declared("8703").is_ok());
    /// assert!(HsCode::declared("10121").is_err());
    /// assert!(HsCode::declared("abc").unwrap_err().contains("`abc` is not an HS code"));
    /// ```
    pub fn declared(code: &str) -> Result<HsCode, String> {
        match HsCode::parse(code) {
            Some(c) if c.digits.len() != 5 => Ok(c),
            _ => Err(format!(
                "`{code}` is not an HS code (6 to 10 digits with or without dots, or a 4-digit heading)"
            )),
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

/// A tariff code's digits in a fixed array: the classifier parses the code of every
/// goods line, and this costs no allocation. Where each digit was written is found
/// again from the code, for the few codes that are reported as evidence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeDigits {
    len: usize,
    digits: [u8; MAX_DIGITS],
}

impl CodeDigits {
    /// Parses a code; see [`HsCode::parse`], which answers the same.
    pub(crate) fn parse(code: &str) -> Option<CodeDigits> {
        let mut c = CodeDigits {
            len: 0,
            digits: [0; MAX_DIGITS],
        };
        let mut label = true;
        // Read as bytes, without decoding: every character a code may hold is ASCII
        // but the no-break space, and any other non-ASCII character rejects it.
        let bytes = code.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b.is_ascii_digit() {
                label = false;
                // An eleventh digit makes the code unusable whatever follows.
                *c.digits.get_mut(c.len)? = b;
                c.len += 1;
            } else if matches!(b, b'.' | b' ' | b'-' | b'\t') {
                continue;
            } else if b == 0xC2 && bytes.get(i) == Some(&0xA0) {
                // U+00A0, the no-break space, in UTF-8.
                i += 1;
            } else if label && (b.is_ascii_alphabetic() || b == b':' || b == b'#') {
                // A leading label such as `HS code:`; letters after the first digit are
                // not a code.
                continue;
            } else {
                return None;
            }
        }
        (c.len >= MIN_DIGITS).then_some(c)
    }

    /// The digits, as ASCII bytes.
    pub(crate) fn digits(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or_default()
    }

    /// The character offsets of the digits in `code`, the text this was parsed from.
    fn positions(code: &str) -> impl Iterator<Item = usize> + '_ {
        code.chars()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| i)
    }

    /// The character range, in `code` (the text this was parsed from), of the first
    /// `n` digits.
    pub(crate) fn span_of_prefix(&self, code: &str, n: usize) -> Option<(usize, usize)> {
        if n == 0 || n > self.len {
            return None;
        }
        let mut positions = Self::positions(code);
        let first = positions.next()?;
        let last = if n == 1 { first } else { positions.nth(n - 2)? };
        Some((first, last + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forms_of_one_code() {
        for s in [
            "870324",
            "8703.24",
            "8703 24",
            " 8703.24 ",
            "HS: 8703.24",
            "hs8703-24",
            "CN 8703 24",
            "HTS 8703.24",
            "Schedule B 870324",
            "8703\u{a0}24",
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

    /// The reader restated the slow, obvious way: characters, a `String` and a `Vec`.
    fn naive_parse(code: &str) -> Option<(String, Vec<usize>)> {
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
                // A leading label.
                continue;
            } else {
                return None;
            }
        }
        (MIN_DIGITS..=MAX_DIGITS)
            .contains(&digits.len())
            .then_some((digits, positions))
    }

    fn assert_same_as_naive(s: &str) -> Result<(), TestCaseError> {
        let want = naive_parse(s);
        let digits = CodeDigits::parse(s);
        for n in 0..=MAX_DIGITS + 1 {
            let naive_span = want.as_ref().and_then(|(_, p)| {
                let first = *p.first()?;
                let last = *p.get(n.checked_sub(1)?)?;
                Some((first, last + 1))
            });
            prop_assert_eq!(
                digits.as_ref().and_then(|d| d.span_of_prefix(s, n)),
                naive_span,
                "{:?} {}",
                s,
                n
            );
        }
        let got = HsCode::parse(s);
        prop_assert_eq!(
            got.as_ref()
                .map(|c| (c.digits.clone(), c.positions.clone())),
            want,
            "{:?}",
            s
        );
        Ok(())
    }

    #[test]
    fn same_as_naive_on_examples() {
        for s in [
            "",
            "87",
            "8703",
            "8703.24",
            "HS: 8703.24",
            "hs8703-24",
            "1234567890",
            "12345678901",
            "12345678901x",
            "8703x",
            "87.03.24a",
            "#8703",
            "8703\u{a0}24",
            "Ⅷ703",
            "8７03",
            "HS 9101 21 00",
        ] {
            if let Err(e) = assert_same_as_naive(s) {
                panic!("{e}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn same_as_naive(s in "[0-9 .\\-:#hHsScCx\u{a0}\u{85}\u{c2}\t７é]{0,16}") {
            assert_same_as_naive(&s)?;
        }

        #[test]
        fn same_as_naive_on_any_text(s in any::<String>()) {
            assert_same_as_naive(&s)?;
        }
    }
}
