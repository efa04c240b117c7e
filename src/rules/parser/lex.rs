//! Tokens: whitespace and comments, identifiers and keywords, strings with their
//! escapes, numbers, HS codes, money, entity ids and comma lists. Each helper skips
//! the whitespace before its token and returns the rest of the input.

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1, satisfy};
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::sequence::{pair, preceded};
use nom::{IResult, Slice};

use super::{Fail, In, PResult};
use crate::rules::ast::*;
use crate::rules::span::{FileId, Span};

// ---------------------------------------------------------------------------------
// Tokens (nom)
// ---------------------------------------------------------------------------------

pub(super) fn offset(i: &In) -> usize {
    i.location_offset()
}

pub(super) fn span_of(file: FileId, start: usize, end: usize) -> Span {
    Span::new(file, start, end)
}

/// The span of the token at `i` (a word, or one character), for carets.
pub(super) fn here(i: &In) -> Span {
    let start = offset(i);
    let len = match raw_ident(*i) {
        Ok((_, w)) => w.fragment().len(),
        Err(_) => i.fragment().chars().next().map_or(0, char::len_utf8),
    };
    Span::new(i.extra, start, start + len)
}

/// Whitespace and `#` comments. Hand-written rather than `many0(alt(..))`: it runs
/// before every token, and must not allocate.
pub(super) fn skip_ws(i: In) -> In {
    let bytes = i.fragment().as_bytes();
    let mut k = 0;
    while let Some(&b) = bytes.get(k) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => k += 1,
            b'#' => {
                k += bytes
                    .get(k..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                    .unwrap_or(bytes.len() - k);
            }
            // Other Unicode whitespace is rare; fall back to char decoding for it.
            _ if b >= 0x80 => match i.fragment().get(k..).and_then(|r| r.chars().next()) {
                Some(c) if c.is_whitespace() => k += c.len_utf8(),
                _ => break,
            },
            _ => break,
        }
    }
    if k == 0 {
        i
    } else {
        i.slice(k..)
    }
}

pub(super) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

pub(super) fn is_local_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
}

pub(super) fn raw_ident(i: In) -> IResult<In, In> {
    recognize(pair(satisfy(is_ident_start), take_while(is_ident_char)))(i)
}

pub(super) fn raw_number(i: In) -> IResult<In, In> {
    recognize(pair(
        pair(digit1, take_while(|c: char| c.is_ascii_digit() || c == '_')),
        opt(preceded(char('.'), digit1)),
    ))(i)
}

pub(super) fn raw_hs(i: In) -> IResult<In, In> {
    recognize(pair(digit1, many0(preceded(char('.'), digit1))))(i)
}

/// Describes what stands at `i`, for "found ..." in messages.
pub(super) fn found(i: &In) -> String {
    let rest = i.fragment();
    if rest.is_empty() {
        return "the end of the file".to_string();
    }
    if let Ok((_, w)) = raw_ident(*i) {
        return format!("`{}`", w.fragment());
    }
    match rest.chars().next() {
        Some('"') => "a string".to_string(),
        Some(c) if c.is_ascii_digit() => "a number".to_string(),
        Some('\n') => "the end of the line".to_string(),
        Some(c) => format!("`{c}`"),
        None => "the end of the file".to_string(),
    }
}

pub(super) fn fail<T>(i: &In, message: impl Into<String>) -> Result<T, Fail> {
    Err(Fail {
        span: here(i),
        message: message.into(),
        hint: None,
    })
}

pub(super) fn expected<T>(i: &In, what: &str) -> Result<T, Fail> {
    fail(i, format!("expected {what}, found {}", found(i)))
}

// ---------------------------------------------------------------------------------
// Lexical helpers: each skips leading whitespace and returns the rest.
// ---------------------------------------------------------------------------------

pub(super) fn ident<'a>(i: In<'a>, what: &str) -> PResult<'a, Ident> {
    let i = skip_ws(i);
    match raw_ident(i) {
        Ok((rest, w)) => Ok((
            rest,
            Ident {
                name: w.fragment().to_string(),
                span: span_of(i.extra, offset(&w), offset(&rest)),
            },
        )),
        Err(_) => expected(&i, what),
    }
}

/// A property keyword as written, borrowed from the text: property names are most of
/// the tokens of a large file, and the tree does not keep them.
#[derive(Clone, Copy)]
pub(super) struct Kw<'a> {
    pub(super) name: &'a str,
    pub(super) span: Span,
}

pub(super) fn keyword_here<'a>(i: In<'a>, what: &str) -> PResult<'a, Kw<'a>> {
    let i = skip_ws(i);
    match raw_ident(i) {
        Ok((rest, w)) => Ok((
            rest,
            Kw {
                name: w.fragment(),
                span: span_of(i.extra, offset(&w), offset(&rest)),
            },
        )),
        Err(_) => expected(&i, what),
    }
}

/// Peeks at the next identifier without consuming it.
pub(super) fn peek_ident<'a>(i: In<'a>) -> Option<&'a str> {
    let i = skip_ws(i);
    raw_ident(i).ok().map(|(_, w)| *w.fragment())
}

/// Consumes keyword `kw` if it is the next identifier.
pub(super) fn keyword<'a>(i: In<'a>, kw: &str) -> Option<In<'a>> {
    let j = skip_ws(i);
    match raw_ident(j) {
        Ok((rest, w)) if *w.fragment() == kw => Some(rest),
        _ => None,
    }
}

pub(super) fn punct<'a>(i: In<'a>, p: &'static str) -> Option<In<'a>> {
    let j = skip_ws(i);
    let r: IResult<In, In> = tag(p)(j);
    r.ok().map(|(rest, _)| rest)
}

pub(super) fn expect_punct<'a>(i: In<'a>, p: &'static str, context: &str) -> PResult<'a, Span> {
    let j = skip_ws(i);
    match punct(j, p) {
        Some(rest) => Ok((rest, span_of(j.extra, offset(&j), offset(&rest)))),
        None => expected(&j, &format!("`{p}` {context}")),
    }
}

pub(super) fn string<'a>(i: In<'a>, what: &str) -> PResult<'a, Text> {
    let i = skip_ws(i);
    if !i.fragment().starts_with('"') {
        return expected(&i, what);
    }
    let start = offset(&i);
    let body = i.fragment();
    // Most strings have no escape: find the closing quote and copy the slice at once.
    if let Some(len) = body.get(1..).and_then(|b| b.find(['"', '\\', '\n'])) {
        if body.as_bytes().get(1 + len) == Some(&b'"') {
            let value = body.get(1..1 + len).unwrap_or("").to_string();
            let rest = i.slice(len + 2..);
            return Ok((
                rest,
                Text {
                    value,
                    span: span_of(i.extra, start, start + len + 2),
                },
            ));
        }
    }
    let mut value = String::new();
    let mut chars = body.char_indices().skip(1);
    while let Some((pos, c)) = chars.next() {
        match c {
            '"' => {
                let rest = i.slice(pos + 1..);
                return Ok((
                    rest,
                    Text {
                        value,
                        span: span_of(i.extra, start, start + pos + 1),
                    },
                ));
            }
            '\n' => {
                return Err(Fail {
                    span: span_of(i.extra, start, start + 1),
                    message: "unterminated string: a string must close on the line it opens"
                        .to_string(),
                    hint: Some(
                        "add the closing `\"`; write a line break inside a string as `\\n`"
                            .to_string(),
                    ),
                })
            }
            '\\' => {
                let Some((epos, e)) = chars.next() else { break };
                match e {
                    '"' => value.push('"'),
                    '\\' => value.push('\\'),
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    'u' => {
                        let rest = body.get(epos + 1..).unwrap_or("");
                        let code = rest
                            .strip_prefix('{')
                            .and_then(|r| r.split_once('}'))
                            .map(|(hex, _)| hex);
                        let ch = code
                            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                            .and_then(char::from_u32);
                        match (code, ch) {
                            (Some(hex), Some(ch)) => {
                                value.push(ch);
                                // Skip `{hex}`.
                                for _ in 0..hex.len() + 2 {
                                    chars.next();
                                }
                            }
                            _ => {
                                return Err(Fail {
                                    span: span_of(i.extra, start + pos, start + epos + 1),
                                    message: "invalid unicode escape".to_string(),
                                    hint: Some(
                                        "write `\\u{AC00}`: hexadecimal digits in braces"
                                            .to_string(),
                                    ),
                                })
                            }
                        }
                    }
                    other => {
                        return Err(Fail {
                            span: span_of(i.extra, start + pos, start + epos + other.len_utf8()),
                            message: format!("unknown escape `\\{other}` in string"),
                            hint: Some("escapes are \\\" \\\\ \\n \\t and \\u{...}".to_string()),
                        })
                    }
                }
            }
            c => value.push(c),
        }
    }
    Err(Fail {
        span: span_of(i.extra, start, start + 1),
        message: "unterminated string".to_string(),
        hint: Some("add the closing `\"`".to_string()),
    })
}

/// A bare identifier or a quoted string.
pub(super) fn word<'a>(i: In<'a>, what: &str) -> PResult<'a, Text> {
    let j = skip_ws(i);
    if j.fragment().starts_with('"') {
        return string(j, what);
    }
    match raw_ident(j) {
        Ok((rest, w)) => Ok((
            rest,
            Text {
                value: w.fragment().to_string(),
                span: span_of(j.extra, offset(&w), offset(&rest)),
            },
        )),
        Err(_) => expected(&j, what),
    }
}

pub(super) fn number<'a>(i: In<'a>, what: &str) -> PResult<'a, Number> {
    let j = skip_ws(i);
    match raw_number(j) {
        Ok((rest, n)) => {
            let text: String = n.fragment().chars().filter(|c| *c != '_').collect();
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok((
                    rest,
                    Number {
                        value,
                        text: n.fragment().to_string(),
                        span: span_of(j.extra, offset(&n), offset(&rest)),
                    },
                )),
                _ => fail(&j, format!("`{}` is not a valid number", n.fragment())),
            }
        }
        Err(_) => expected(&j, what),
    }
}

pub(super) fn hs_code<'a>(i: In<'a>) -> PResult<'a, HsPrefix> {
    let j = skip_ws(i);
    match raw_hs(j) {
        Ok((rest, c))
            if rest
                .fragment()
                .starts_with(|ch: char| ch.is_alphanumeric() || ch == '_') =>
        {
            let junk = rest
                .fragment()
                .chars()
                .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == '.')
                .map(char::len_utf8)
                .sum::<usize>();
            let end = offset(&rest) + junk;
            let token = j.fragment().get(..end - offset(&j)).unwrap_or("");
            Err(Fail {
                span: span_of(j.extra, offset(&c), end),
                message: format!("`{token}` is not an HS code"),
                hint: Some(
                    "HS codes are digits with optional dots, e.g. `8703` or `8711.50`".to_string(),
                ),
            })
        }
        Ok((rest, c)) => Ok((
            rest,
            HsPrefix {
                digits: c.fragment().chars().filter(char::is_ascii_digit).collect(),
                span: span_of(j.extra, offset(&c), offset(&rest)),
            },
        )),
        Err(_) => expected(&j, "an HS code (digits, e.g. `8703` or `8711.50`)"),
    }
}

pub(super) fn money<'a>(i: In<'a>) -> PResult<'a, Money> {
    let (i, currency) = ident(i, "a currency code (e.g. `USD`)")?;
    let (i, amount) = number(i, "an amount after the currency code")?;
    let span = currency.span.to(amount.span);
    Ok((
        i,
        Money {
            currency,
            amount,
            span,
        },
    ))
}

pub(super) fn entity_id<'a>(i: In<'a>) -> PResult<'a, EntityId> {
    let (i, list) = ident(i, "an entity id `LIST:ID` (e.g. `ofac-sdn:36`)")?;
    let colon: IResult<In, In> = tag(":")(i);
    let Ok((i, _)) = colon else {
        return Err(Fail {
            span: here(&i),
            message: format!(
                "expected `:` after `{}`: an entity id is `LIST:ID`",
                list.name
            ),
            hint: Some(format!("for example `{}:123`", list.name)),
        });
    };
    if i.fragment().starts_with('"') {
        let (rest, s) = string(i, "the list's own id")?;
        let span = list.span.to(s.span);
        return Ok((
            rest,
            EntityId {
                list,
                local: s.value,
                span,
            },
        ));
    }
    let r: IResult<In, In> = take_while1(is_local_id_char)(i);
    match r {
        Ok((rest, local)) => {
            let span = span_of(i.extra, list.span.start, offset(&rest));
            Ok((
                rest,
                EntityId {
                    list,
                    local: local.fragment().to_string(),
                    span,
                },
            ))
        }
        Err(_) => expected(&i, "the list's own id after `:`"),
    }
}

/// `item ("," item)*`, continuing over line breaks after a comma.
pub(super) fn comma_list<'a, T>(
    i: In<'a>,
    mut item: impl FnMut(In<'a>) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let (mut i, first) = item(i)?;
    let mut out = vec![first];
    while let Some(rest) = punct(i, ",") {
        let (rest, next) = item(rest)?;
        out.push(next);
        i = rest;
    }
    Ok((i, out))
}

/// [`comma_list`] appending to `out`, for properties that may repeat: it saves a
/// vector per line of a large imported list. On failure `out` is left as it was, as
/// if the line had not been there.
pub(super) fn comma_list_into<'a, T>(
    i: In<'a>,
    out: &mut Vec<T>,
    mut item: impl FnMut(In<'a>) -> PResult<'a, T>,
) -> Result<In<'a>, Fail> {
    let before = out.len();
    let mut i = i;
    let mut first = true;
    loop {
        let next = if first { Some(i) } else { punct(i, ",") };
        let Some(at) = next else {
            return Ok(i);
        };
        first = false;
        match item(at) {
            Ok((rest, value)) => {
                out.push(value);
                i = rest;
            }
            Err(f) => {
                out.truncate(before);
                return Err(f);
            }
        }
    }
}

/// `"(" item ("," item)* ")"`
pub(super) fn paren_list<'a, T>(
    i: In<'a>,
    context: &str,
    item: impl FnMut(In<'a>) -> PResult<'a, T>,
) -> PResult<'a, (Vec<T>, Span)> {
    let (i, open) = expect_punct(i, "(", context)?;
    let (i, items) = comma_list(i, item)?;
    let (i, close) = expect_punct(i, ")", "to close the list")?;
    Ok((i, (items, open.to(close))))
}
