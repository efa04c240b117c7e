//! The goods normalization as first written: one character at a time, with the offset
//! map built for every byte. It is slower than the production path and kept only for
//! tests, which assert that the production path writes the same text and the same map.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::{
    abbreviation, fold_plural, is_apostrophe, is_cjk, is_hangul_syllable, Fold, Normalized,
};

fn push_char(out: &mut Normalized, c: char, start: u32, end: u32) {
    let before = out.text.len();
    out.text.push(c);
    for _ in before..out.text.len() {
        out.map.push((start, end));
    }
}

fn push_str(out: &mut Normalized, s: &str, start: u32, end: u32) {
    out.text.push_str(s);
    for _ in 0..s.len() {
        out.map.push((start, end));
    }
}

fn truncate(out: &mut Normalized, len: usize) {
    out.text.truncate(len);
    out.map.truncate(len);
}

/// The normalization as first written, with its map (see the module documentation).
pub fn normalize_into(input: &str, out: &mut Normalized) {
    out.text.clear();
    out.map.clear();
    let mut w = Writer {
        out,
        token: None,
        class: Class::Sep,
    };
    // Room for the text and its map; abbreviations may still grow them.
    w.out.text.reserve(input.len() + 2);
    w.out.map.reserve(input.len() + 2);
    push_char(w.out, ' ', 0, 0);
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
        push_char(w.out, ' ', pos, pos);
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
        push_char(self.out, c, start, end);
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
                if let Some(exp) = abbreviation(word.as_bytes()) {
                    truncate(self.out, tok.at);
                    push_str(self.out, exp, tok.orig_start, orig_end);
                    push_char(self.out, ' ', at, at);
                    return;
                }
            }
            let word = self.out.text.get(tok.at..).unwrap_or("");
            if let Some(fold) = fold_plural(word.as_bytes()) {
                match fold {
                    Fold::Drop(n) => {
                        let keep = self.out.text.len() - n;
                        truncate(self.out, keep);
                    }
                    Fold::Replace(n, with) => {
                        let keep = self.out.text.len() - n;
                        let s = self.out.map.get(keep).map_or(tok.orig_start, |m| m.0);
                        truncate(self.out, keep);
                        push_str(self.out, with, s, orig_end);
                    }
                }
                if let Some(m) = self.out.map.last_mut() {
                    m.1 = orig_end;
                }
            }
        }
        push_char(self.out, ' ', at, at);
    }
}

/// Whether some abbreviation starts with `first`: most tokens skip the lookup.
pub(super) fn may_abbreviate(first: u8) -> bool {
    matches!(
        first,
        b'a' | b'b' | b'c' | b'd' | b'e' | b'h' | b'j' | b'l' | b'p' | b's' | b'w' | b'y'
    )
}
