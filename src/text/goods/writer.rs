//! The general normalizer: any text, a character at a time, with ASCII runs taken
//! whole; see the module documentation of [`super`] for what it writes.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::ascii::{ascii_class, APOSTROPHE, DIGIT, LETTER, SEP};
use super::lexicon::{abbreviation_of, fold_plural, Fold};
use super::{Normalized, Piece};
use crate::text::script::{
    is_apostrophe, is_basic_cyrillic, is_cjk_unified, is_hangul_syllable, is_spaceless,
};

/// The pieces of an abbreviation's expansion `exp` written at byte `at`: each word
/// of it stands for the whole original token.
fn push_expansion(pieces: &mut Vec<Piece>, exp: &str, at: u32, orig_start: u32, orig_end: u32) {
    let mut at = at;
    // Split on bytes: `str::split` costs more than the few words it finds.
    for word in exp.as_bytes().split(|&b| b == b' ') {
        let end = at + word.len() as u32;
        pieces.push(Piece {
            start: at,
            end,
            orig_start,
            orig_end,
            width: 0,
            spelled: at,
        });
        at = end + 1;
    }
}

/// The normalizer. ASCII letters and digits are taken a run at a time (a word of an
/// invoice line is copied and lowercased in one step); any other character goes
/// through Unicode decomposition one at a time. With `MAP` false no offset map is kept;
/// the text is the same either way, because nothing but the map depends on `MAP`.
pub(super) fn write<const MAP: bool>(input: &str, out: &mut Normalized) {
    out.text.clear();
    out.map.clear();
    out.pieces.clear();
    out.has_cjk = false;
    // Room for the text (and its map); abbreviations may still grow them.
    out.text.reserve(input.len() + 2);
    if MAP {
        out.map.reserve(input.len() + 2);
    }
    let mut w = Writer::<MAP> {
        out,
        token: None,
        class: Class::Sep,
        last_end: 0,
    };
    w.push_byte(b' ', 0, 0);
    let bytes = input.as_bytes();
    let mut i = 0;
    // Character offset of byte `i` in the original.
    let mut pos: u32 = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            let class = ascii_class(b);
            if class == LETTER || class == DIGIT {
                let end = w.ascii_run(bytes, i, class, pos);
                pos += (end - i) as u32;
                i = end;
                continue;
            }
            if class == SEP {
                w.separate(pos);
            }
            i += 1;
            pos += 1;
            continue;
        }
        let Some(c) = input.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        w.unicode(c, pos, pos + 1);
        i += c.len_utf8();
        pos += 1;
    }
    w.finish_token(pos);
    if !w.out.text.ends_with(' ') {
        w.push_byte(b' ', pos, pos);
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
    /// Bytes per original character while its map is arithmetic, else 0 (see
    /// [`Piece::width`]).
    width: u8,
}

struct Writer<'a, const MAP: bool> {
    out: &'a mut Normalized,
    /// Open while `class` is not `Sep`.
    token: Option<Token>,
    class: Class,
    /// The original offset just after the characters that produced the last byte
    /// written: where the open token ends in the original.
    last_end: u32,
}

impl<const MAP: bool> Writer<'_, MAP> {
    #[inline]
    fn push_byte(&mut self, b: u8, start: u32, end: u32) {
        // Only ASCII bytes are pushed; the mask tells the compiler so (a one-byte push).
        self.out.text.push(char::from(b & 0x7f));
        if MAP {
            self.out.map.push((start, end));
        }
    }

    fn push_str(&mut self, s: &str, start: u32, end: u32) {
        self.out.text.push_str(s);
        if MAP {
            self.out
                .map
                .extend(std::iter::repeat_n((start, end), s.len()));
        }
    }

    fn truncate(&mut self, len: usize) {
        self.out.text.truncate(len);
        if MAP {
            self.out.map.truncate(len);
        }
    }

    /// Switches to `class`, closing the open token if it was of another class, and
    /// opens a token at original offset `start` if none is open.
    #[inline]
    fn enter(&mut self, class: Class, ascii_letter: bool, start: u32) {
        if self.class != class {
            // Letters meeting digits, and CJK meeting anything else, break the token.
            self.finish_token(start);
            self.class = class;
        }
        match &mut self.token {
            Some(t) => {
                t.ascii_letters &= ascii_letter;
            }
            None => {
                self.token = Some(Token {
                    at: self.out.text.len(),
                    orig_start: start,
                    ascii_letters: ascii_letter,
                    width: 0,
                });
            }
        }
    }

    /// Writes the run of ASCII letters or digits (`class`) that starts at byte `from`
    /// of `bytes` and at original offset `start`; apostrophes inside it are dropped.
    /// Returns where the run ends: on its last letter or digit, so that a trailing
    /// apostrophe is left to the caller (which skips it) and `last_end` is the end of
    /// the last character written.
    #[inline]
    fn ascii_run(&mut self, bytes: &[u8], from: usize, class: u8, start: u32) -> usize {
        let letters = class == LETTER;
        self.enter(
            if letters { Class::Letter } else { Class::Digit },
            letters,
            start,
        );
        let fresh = self
            .token
            .as_ref()
            .is_some_and(|t| t.at == self.out.text.len());
        let mut i = from;
        let mut end = from;
        let mut p = start;
        // An apostrophe was skipped since the last letter or digit: when another one
        // follows, the run has a gap between its characters.
        let mut skipped = false;
        let mut gap = false;
        while let Some(&b) = bytes.get(i) {
            let c = ascii_class(b);
            if c == class {
                // Lowercases a letter and leaves a digit as it is (digits have bit 5 set).
                self.push_byte(b | 0x20, p, p + 1);
                i += 1;
                p += 1;
                end = i;
                gap |= skipped;
            } else if c == APOSTROPHE {
                skipped = true;
                i += 1;
                p += 1;
            } else {
                break;
            }
        }
        if let Some(t) = &mut self.token {
            // A run appended to an open token is not worth following: width 0 only
            // sends its spans to the map.
            t.width = u8::from(fresh && !gap);
        }
        self.last_end = start + (end - from) as u32;
        end
    }

    /// One ASCII character produced by decomposing a non-ASCII one.
    fn ascii(&mut self, b: u8, start: u32, end: u32) {
        match ascii_class(b) {
            LETTER => self.emit(Class::Letter, char::from(b | 0x20), true, start, end),
            DIGIT => self.emit(Class::Digit, char::from(b), false, start, end),
            APOSTROPHE => {}
            _ => self.separate(start),
        }
    }

    fn unicode(&mut self, c: char, start: u32, end: u32) {
        // The scripts of the non-Latin lines of most invoices, taken without the
        // decomposition tables where these do nothing: CJK unified ideographs
        // (no decomposition, no case) and the basic Cyrillic alphabet (one case
        // mapping; only `й` and `Й` decompose, to `и` and a combining breve).
        if is_cjk_unified(c) {
            self.emit(Class::Cjk, c, false, start, end);
            return;
        }
        if is_basic_cyrillic(c) && c != 'й' && c != 'Й' {
            let lower = if c < '\u{0430}' {
                char::from_u32(u32::from(c) + 0x20).unwrap_or(c)
            } else {
                c
            };
            self.emit(Class::Letter, lower, false, start, end);
            return;
        }
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
                } else if is_apostrophe(l) {
                    // `ŉ` is an apostrophe and `n`: the apostrophe vanishes as it
                    // does written alone.
                } else if is_spaceless(l) {
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

    #[inline]
    fn emit(&mut self, class: Class, c: char, ascii_letter: bool, start: u32, end: u32) {
        self.enter(class, ascii_letter, start);
        self.out.has_cjk |= class == Class::Cjk;
        let before = self.out.text.len();
        if let Some(t) = &mut self.token {
            // One character for one original character, right after the previous one
            // and as wide: the map stays arithmetic.
            let width = c.len_utf8() as u8;
            let one_for_one = end == start + 1;
            let follows = t.at == before || (t.width == width && start == self.last_end);
            t.width = if one_for_one && follows { width } else { 0 };
        }
        self.out.text.push(c);
        if MAP {
            let n = self.out.text.len() - before;
            self.out.map.extend(std::iter::repeat_n((start, end), n));
        }
        self.last_end = end;
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
        let orig_end = self.last_end.max(tok.orig_start);
        let mut width = tok.width;
        if tok.ascii_letters {
            let word = self.out.text.as_bytes().get(tok.at..).unwrap_or_default();
            if let Some(exp) = abbreviation_of(word) {
                self.truncate(tok.at);
                push_expansion(
                    &mut self.out.pieces,
                    exp,
                    tok.at as u32,
                    tok.orig_start,
                    orig_end,
                );
                self.push_str(exp, tok.orig_start, orig_end);
                self.push_byte(b' ', at, at);
                return;
            }
            let word = self.out.text.as_bytes().get(tok.at..).unwrap_or_default();
            if let Some(fold) = fold_plural(word) {
                match fold {
                    Fold::Drop(n) => self.truncate(self.out.text.len() - n),
                    Fold::Replace(n, with) => {
                        width = 0;
                        let keep = self.out.text.len() - n;
                        let s = if MAP {
                            self.out.map.get(keep).map_or(tok.orig_start, |m| m.0)
                        } else {
                            tok.orig_start
                        };
                        self.truncate(keep);
                        self.push_str(with, s, orig_end);
                    }
                }
                if MAP {
                    if let Some(m) = self.out.map.last_mut() {
                        m.1 = orig_end;
                    }
                }
            }
        }
        self.out.pieces.push(Piece {
            start: tok.at as u32,
            end: self.out.text.len() as u32,
            orig_start: tok.orig_start,
            orig_end,
            width,
            spelled: tok.at as u32,
        });
        self.push_byte(b' ', at, at);
    }
}
