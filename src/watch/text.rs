//! Reading JSON lines fast, for re-screening a million orders: texts borrowed from the
//! line where they need no unescaping, and lines read into one buffer per chunk.
//!
//! A text field reads exactly as the order reader reads it (`crate::order::de_text`):
//! a string as written, a number or boolean as its text, so that an id matches
//! whichever reader read it.

use std::borrow::Cow;
use std::io::BufRead;
use std::ops::Range;

use serde::{Deserialize, Deserializer};

/// A field orders write as text, number or boolean, borrowed when it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
            // As `order::scalar_text` writes them.
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

/// An optional text field as the order reader reads it: absent, `null` and blank are
/// all `None`.
pub(crate) fn opt_text<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    let t: Option<Text<'a>> = Option::deserialize(d)?;
    Ok(t.map(|t| t.0).filter(|t| !t.trim().is_empty()))
}

/// A required text field.
pub(crate) fn text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    Ok(Text::deserialize(d)?.0)
}

/// Lines of a chunk, in one buffer: each line's number and byte range.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    pub buf: Vec<u8>,
    pub lines: Vec<(u64, Range<usize>)>,
}

impl Chunk {
    /// The line numbers and texts of `lines`, some of this chunk's.
    pub fn batch<'c>(&'c self, lines: &[(u64, Range<usize>)]) -> Vec<(u64, &'c [u8])> {
        lines
            .iter()
            .map(|(n, r)| (*n, self.buf.get(r.clone()).unwrap_or_default()))
            .collect()
    }

    /// Reads up to `max` non-blank lines after line `*number`, counting lines read
    /// (blank ones included) into `*number`. An empty chunk means the end.
    pub fn read(
        &mut self,
        reader: &mut impl BufRead,
        number: &mut u64,
        max: usize,
    ) -> std::io::Result<()> {
        self.buf.clear();
        self.lines.clear();
        while self.lines.len() < max.max(1) {
            let start = self.buf.len();
            if reader.read_until(b'\n', &mut self.buf)? == 0 {
                break;
            }
            *number += 1;
            if self.buf[start..].iter().all(u8::is_ascii_whitespace) {
                self.buf.truncate(start);
                continue;
            }
            self.lines.push((*number, start..self.buf.len()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_as_the_order_reader_reads_them() {
        #[derive(Deserialize)]
        struct Mine<'a> {
            #[serde(borrow, deserialize_with = "text")]
            id: Cow<'a, str>,
        }
        #[derive(Deserialize)]
        struct Theirs {
            #[serde(deserialize_with = "crate::order::de_text")]
            id: String,
        }
        for json in [
            r#"{"id":"PO-1"}"#,
            r#"{"id":"P\"O"}"#,
            r#"{"id":12}"#,
            r#"{"id":-3}"#,
            r#"{"id":18446744073709551615}"#,
            r#"{"id":1.5e3}"#,
            r#"{"id":true}"#,
        ] {
            let mine: Mine = serde_json::from_str(json).expect("reads");
            let theirs: Theirs = serde_json::from_str(json).expect("reads");
            assert_eq!(mine.id, theirs.id, "{json}");
        }
        let borrowed: Mine = serde_json::from_str(r#"{"id":"PO-1"}"#).expect("reads");
        assert!(matches!(borrowed.id, Cow::Borrowed(_)));
    }

    #[test]
    fn chunks_keep_line_numbers_and_skip_blank_lines() {
        let input = b"a\n\n  \nb\nc";
        let mut reader = &input[..];
        let (mut chunk, mut n) = (Chunk::default(), 0);
        let lines = |c: &Chunk| -> Vec<(u64, Vec<u8>)> {
            c.lines
                .iter()
                .map(|(k, r)| (*k, c.buf[r.clone()].to_vec()))
                .collect()
        };
        chunk.read(&mut reader, &mut n, 2).expect("reads");
        assert_eq!(lines(&chunk), [(1, b"a\n".to_vec()), (4, b"b\n".to_vec())]);
        chunk.read(&mut reader, &mut n, 2).expect("reads");
        assert_eq!(lines(&chunk), [(5, b"c".to_vec())]);
        chunk.read(&mut reader, &mut n, 2).expect("reads");
        assert!(chunk.lines.is_empty());
    }
}
