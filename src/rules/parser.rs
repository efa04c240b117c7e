//! Rules text -> syntax tree, with every error of a file.
//!
//! Tokens are recognized with `nom` over a `nom_locate` span, so every node knows its
//! byte range. Items and properties are driven by a small recursive-descent layer on
//! top, because that is where recovery lives: a bad property is reported and the
//! parser resumes at the next line; a bad item resumes at the next top-level keyword.
//! That is what lets `check` report all errors of a file, not only the first.
//!
//! The grammar (EBNF) is in `rules/README.md`; the shape of each item is in
//! [`super::ast`]. Expressions nest at most [`MAX_DEPTH`] levels.

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1, satisfy};
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::sequence::{pair, preceded};
use nom::{IResult, Slice};
use nom_locate::LocatedSpan;

use super::ast::*;
use super::diagnostic::{did_you_mean, Diagnostic};
use super::span::{FileId, Span};

/// How deeply `when` expressions may nest (parentheses and `not`).
pub const MAX_DEPTH: usize = 64;

type In<'a> = LocatedSpan<&'a str, FileId>;

/// A parse failure: where, and what was expected there. Kept out of the public API;
/// it becomes a [`Diagnostic`].
#[derive(Debug)]
struct Fail {
    span: Span,
    message: String,
    hint: Option<String>,
}

impl Fail {
    fn into_diagnostic(self) -> Diagnostic {
        let d = Diagnostic::error(self.span, self.message);
        match self.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

type PResult<'a, T> = Result<(In<'a>, T), Fail>;

/// Parses one file's text. Returns the items that parsed and every error found.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let mut parser = Parser {
        diagnostics: Vec::new(),
        block_failed: false,
    };
    let mut file_ast = parser.file(In::new_extra(text, file));
    file_ast.comments = comments(file, text);
    (file_ast, parser.diagnostics)
}

/// Every `#` comment outside a string. Strings never span lines, so a line break
/// always ends one. The characters that matter are ASCII, so the scan is over bytes:
/// a UTF-8 continuation byte can never be mistaken for one of them.
fn comments(file: FileId, text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'\n' => {
                in_string = false;
                escaped = false;
            }
            b'\\' if in_string => escaped = !escaped,
            b'"' if !escaped => in_string = !in_string,
            b'#' if !in_string => {
                let end = bytes
                    .get(pos..)
                    .and_then(|t| t.iter().position(|&c| c == b'\n'))
                    .map_or(text.len(), |n| pos + n);
                let body = text.get(pos + 1..end).unwrap_or("");
                out.push(Comment {
                    text: body.trim_end_matches('\r').to_string(),
                    span: span_of(file, pos, end),
                });
                // Resume at the line break so the state machine sees it.
                pos = end;
                continue;
            }
            _ => escaped = false,
        }
        if b != b'\\' {
            escaped = false;
        }
        pos += 1;
    }
    out
}

struct Parser {
    diagnostics: Vec<Diagnostic>,
    /// Whether a property of the block just parsed failed.
    block_failed: bool,
}

// ---------------------------------------------------------------------------------
// Tokens (nom)
// ---------------------------------------------------------------------------------

fn offset(i: &In) -> usize {
    i.location_offset()
}

fn span_of(file: FileId, start: usize, end: usize) -> Span {
    Span::new(file, start, end)
}

/// The span of the token at `i` (a word, or one character), for carets.
fn here(i: &In) -> Span {
    let start = offset(i);
    let len = match raw_ident(*i) {
        Ok((_, w)) => w.fragment().len(),
        Err(_) => i.fragment().chars().next().map_or(0, char::len_utf8),
    };
    Span::new(i.extra, start, start + len)
}

/// Whitespace and `#` comments. Hand-written rather than `many0(alt(..))`: it runs
/// before every token, and must not allocate.
fn skip_ws(i: In) -> In {
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

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_local_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
}

fn raw_ident(i: In) -> IResult<In, In> {
    recognize(pair(satisfy(is_ident_start), take_while(is_ident_char)))(i)
}

fn raw_number(i: In) -> IResult<In, In> {
    recognize(pair(
        pair(digit1, take_while(|c: char| c.is_ascii_digit() || c == '_')),
        opt(preceded(char('.'), digit1)),
    ))(i)
}

fn raw_hs(i: In) -> IResult<In, In> {
    recognize(pair(digit1, many0(preceded(char('.'), digit1))))(i)
}

/// Describes what stands at `i`, for "found ..." in messages.
fn found(i: &In) -> String {
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

fn fail<T>(i: &In, message: impl Into<String>) -> Result<T, Fail> {
    Err(Fail {
        span: here(i),
        message: message.into(),
        hint: None,
    })
}

fn expected<T>(i: &In, what: &str) -> Result<T, Fail> {
    fail(i, format!("expected {what}, found {}", found(i)))
}

// ---------------------------------------------------------------------------------
// Lexical helpers: each skips leading whitespace and returns the rest.
// ---------------------------------------------------------------------------------

fn ident<'a>(i: In<'a>, what: &str) -> PResult<'a, Ident> {
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
struct Kw<'a> {
    name: &'a str,
    span: Span,
}

fn keyword_here<'a>(i: In<'a>, what: &str) -> PResult<'a, Kw<'a>> {
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
fn peek_ident<'a>(i: In<'a>) -> Option<&'a str> {
    let i = skip_ws(i);
    raw_ident(i).ok().map(|(_, w)| *w.fragment())
}

/// Consumes keyword `kw` if it is the next identifier.
fn keyword<'a>(i: In<'a>, kw: &str) -> Option<In<'a>> {
    let j = skip_ws(i);
    match raw_ident(j) {
        Ok((rest, w)) if *w.fragment() == kw => Some(rest),
        _ => None,
    }
}

fn punct<'a>(i: In<'a>, p: &'static str) -> Option<In<'a>> {
    let j = skip_ws(i);
    let r: IResult<In, In> = tag(p)(j);
    r.ok().map(|(rest, _)| rest)
}

fn expect_punct<'a>(i: In<'a>, p: &'static str, context: &str) -> PResult<'a, Span> {
    let j = skip_ws(i);
    match punct(j, p) {
        Some(rest) => Ok((rest, span_of(j.extra, offset(&j), offset(&rest)))),
        None => expected(&j, &format!("`{p}` {context}")),
    }
}

fn string<'a>(i: In<'a>, what: &str) -> PResult<'a, Text> {
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
fn word<'a>(i: In<'a>, what: &str) -> PResult<'a, Text> {
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

fn number<'a>(i: In<'a>, what: &str) -> PResult<'a, Number> {
    let j = skip_ws(i);
    match raw_number(j) {
        Ok((rest, n)) => {
            let text: String = n.fragment().chars().filter(|c| *c != '_').collect();
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok((
                    rest,
                    Number {
                        value,
                        span: span_of(j.extra, offset(&n), offset(&rest)),
                    },
                )),
                _ => fail(&j, format!("`{}` is not a valid number", n.fragment())),
            }
        }
        Err(_) => expected(&j, what),
    }
}

fn hs_code<'a>(i: In<'a>) -> PResult<'a, HsPrefix> {
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

fn money<'a>(i: In<'a>) -> PResult<'a, Money> {
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

fn entity_id<'a>(i: In<'a>) -> PResult<'a, EntityId> {
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
fn comma_list<'a, T>(
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
fn comma_list_into<'a, T>(
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
fn paren_list<'a, T>(
    i: In<'a>,
    context: &str,
    item: impl FnMut(In<'a>) -> PResult<'a, T>,
) -> PResult<'a, (Vec<T>, Span)> {
    let (i, open) = expect_punct(i, "(", context)?;
    let (i, items) = comma_list(i, item)?;
    let (i, close) = expect_punct(i, ")", "to close the list")?;
    Ok((i, (items, open.to(close))))
}

// ---------------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------------

const TOP_KEYWORDS: &[&str] = &[
    "include", "list", "category", "entity", "set", "rule", "allow", "rates",
];

/// What a block-parsing function does with one property.
type PropFn<'a, T> = fn(&mut T, &str, Kw<'a>, In<'a>) -> PResult<'a, ()>;

impl Parser {
    fn file(&mut self, mut i: In) -> File {
        let mut items = Vec::new();
        loop {
            i = skip_ws(i);
            if i.fragment().is_empty() {
                break;
            }
            match self.item(i) {
                Ok((rest, item)) => {
                    // A rule with a failed property comes back as `None`: it is reported
                    // and incomplete, and nothing refers to rules. Other items with a
                    // failed property are kept, so references to them do not cascade.
                    items.extend(item);
                    self.block_failed = false;
                    i = rest;
                }
                Err(f) => {
                    self.diagnostics.push(f.into_diagnostic());
                    i = recover_top(i);
                }
            }
        }
        File {
            items,
            comments: Vec::new(),
        }
    }

    fn item<'a>(&mut self, i: In<'a>) -> PResult<'a, Option<Item>> {
        let start = offset(&skip_ws(i));
        let (after_kw, kw) = ident(
            i,
            "an item: `list`, `category`, `entity`, `set`, `rule`, `allow`, `rates` or `include`",
        )
        .map_err(|mut f| {
            // An item cannot start with punctuation; say what can.
            f.hint = Some("each top-level item starts with a keyword".to_string());
            f
        })?;
        let file = i.extra;
        let item = match kw.name.as_str() {
            "include" => {
                let (rest, path) = string(after_kw, "a file path in quotes after `include`")?;
                let span = span_of(file, start, offset(&rest));
                return Ok((rest, Some(Item::Include(Include { path, span }))));
            }
            "list" => {
                let (j, name) = ident(after_kw, "the list's name after `list`")?;
                let mut list = ListDecl {
                    name,
                    title: None,
                    authority: None,
                    url: None,
                    as_of: None,
                    source: None,
                    basis: Vec::new(),
                    span: Span::default(),
                };
                let rest = self.block(j, "list", &mut list, LIST_PROPS, list_prop)?;
                list.span = span_of(file, start, offset(&rest));
                (rest, Item::List(list))
            }
            "category" => {
                let (j, name) = ident(after_kw, "the category's id after `category`")?;
                let mut cat = Category {
                    name,
                    title: None,
                    tags: Vec::new(),
                    basis: Vec::new(),
                    terms: Vec::new(),
                    hs: Vec::new(),
                    exclusions: Vec::new(),
                    threshold: None,
                    span: Span::default(),
                };
                let rest = self.block(j, "category", &mut cat, CATEGORY_PROPS, category_prop)?;
                cat.span = span_of(file, start, offset(&rest));
                (rest, Item::Category(cat))
            }
            "entity" => {
                let (j, id) = entity_id(after_kw)?;
                let mut ent = Entity {
                    id,
                    kind: None,
                    name: None,
                    aliases: Vec::new(),
                    countries: Vec::new(),
                    nationalities: Vec::new(),
                    programs: Vec::new(),
                    identifiers: Vec::new(),
                    addresses: Vec::new(),
                    born: Vec::new(),
                    birthplaces: Vec::new(),
                    positions: Vec::new(),
                    listed: None,
                    remarks: Vec::new(),
                    span: Span::default(),
                };
                let rest = self.block(j, "entity", &mut ent, ENTITY_PROPS, entity_prop)?;
                ent.span = span_of(file, start, offset(&rest));
                (rest, Item::Entity(ent))
            }
            "set" => {
                let (j, kind_word) = ident(
                    after_kw,
                    "the set's kind: `countries`, `places` or `categories`",
                )?;
                let kind = match kind_word.name.as_str() {
                    "countries" => SetKind::Countries,
                    "places" => SetKind::Places,
                    "categories" => SetKind::Categories,
                    other => {
                        let mut f = Fail {
                            span: kind_word.span,
                            message: format!("unknown set kind `{other}`"),
                            hint: Some(
                                "a set holds `countries`, `places` or `categories`".to_string(),
                            ),
                        };
                        if let Some(s) = did_you_mean(other, ["countries", "places", "categories"])
                        {
                            f.hint = Some(format!("did you mean `{s}`?"));
                        }
                        return Err(f);
                    }
                };
                let (j, name) = ident(j, "the set's name")?;
                let (j, _) = expect_punct(j, "=", "after the set's name")?;
                let (rest, items) = comma_list(j, |k| word(k, "a set member"))?;
                let span = span_of(file, start, offset(&rest));
                return Ok((
                    rest,
                    Some(Item::Set(SetDecl {
                        kind,
                        name,
                        items,
                        span,
                    })),
                ));
            }
            "rule" => {
                let (j, name) = ident(after_kw, "the rule's id after `rule`")?;
                let mut draft = RuleDraft {
                    name,
                    title: None,
                    basis: Vec::new(),
                    when: None,
                    then: None,
                };
                let rest = self.block(j, "rule", &mut draft, RULE_PROPS, rule_prop)?;
                let span = span_of(file, start, offset(&rest));
                let name_span = draft.name.span;
                if self.block_failed {
                    // Already reported, and incomplete: nothing to keep.
                    return Ok((rest, None));
                }
                let Some(when) = draft.when else {
                    return Err(Fail {
                        span: name_span,
                        message: format!("rule `{}` has no `when` condition", draft.name.name),
                        hint: Some("add `when <condition>`, e.g. `when goods in tagged(luxury) and destination in dprk`".to_string()),
                    });
                };
                let Some(then) = draft.then else {
                    return Err(Fail {
                        span: name_span,
                        message: format!("rule `{}` has no `then` decision", draft.name.name),
                        hint: Some(
                            "add `then block \"reason\"` (or `review`, `clear`)".to_string(),
                        ),
                    });
                };
                (
                    rest,
                    Item::Rule(Rule {
                        name: draft.name,
                        title: draft.title,
                        basis: draft.basis,
                        when,
                        then,
                        span,
                    }),
                )
            }
            "allow" => {
                let (j, name) = ident(after_kw, "the allowance's id after `allow`")?;
                let mut allow = Allow {
                    name,
                    entity: None,
                    party: None,
                    country: None,
                    because: None,
                    expires: None,
                    span: Span::default(),
                };
                let rest = self.block(j, "allow", &mut allow, ALLOW_PROPS, allow_prop)?;
                allow.span = span_of(file, start, offset(&rest));
                (rest, Item::Allow(allow))
            }
            "rates" => {
                let mut rates = Rates {
                    as_of: None,
                    source: None,
                    rates: Vec::new(),
                    span: Span::default(),
                };
                let rest = self.block(after_kw, "rates", &mut rates, RATES_PROPS, rates_prop)?;
                rates.span = span_of(file, start, offset(&rest));
                (rest, Item::Rates(rates))
            }
            other => {
                let hint = match did_you_mean(other, TOP_KEYWORDS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("items start with one of: {}", TOP_KEYWORDS.join(", ")),
                };
                return Err(Fail {
                    span: kw.span,
                    message: format!("unknown item `{other}`"),
                    hint: Some(hint),
                });
            }
        };
        Ok((item.0, Some(item.1)))
    }

    /// `{ prop* }` with per-property recovery. `props` lists the property keywords for
    /// "did you mean" and for resynchronizing after an error.
    fn block<'a, T>(
        &mut self,
        i: In<'a>,
        what: &str,
        target: &mut T,
        props: &[&str],
        prop: PropFn<'a, T>,
    ) -> Result<In<'a>, Fail> {
        // The context is formatted only on failure: this runs once per item.
        let j = skip_ws(i);
        let (mut i, open) = match punct(j, "{") {
            Some(rest) => (rest, span_of(j.extra, offset(&j), offset(&rest))),
            None => return expected(&j, &format!("`{{` to open the {what}")),
        };
        self.block_failed = false;
        loop {
            i = skip_ws(i);
            if let Some(rest) = punct(i, "}") {
                return Ok(rest);
            }
            if i.fragment().is_empty() {
                return Err(Fail {
                    span: open,
                    message: format!("this `{{` of the {what} is never closed"),
                    hint: Some("add the closing `}`".to_string()),
                });
            }
            let result = match keyword_here(i, "a property name or `}`") {
                Ok((j, kw)) => {
                    // A top-level keyword at the start of a line most likely means a
                    // missing `}`. Tested on the word already read: this runs for
                    // every property of a large file.
                    if TOP_KEYWORDS.contains(&kw.name)
                        && !props.contains(&kw.name)
                        && starts_line(&i)
                    {
                        return Err(Fail {
                            span: open,
                            message: format!("this `{{` of the {what} is never closed"),
                            hint: Some("add the closing `}` before the next item".to_string()),
                        });
                    }
                    if props.contains(&kw.name) {
                        prop(target, kw.name, kw, j)
                    } else {
                        let hint = match did_you_mean(kw.name, props.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("a {what} takes: {}", props.join(", ")),
                        };
                        Err(Fail {
                            span: kw.span,
                            message: format!("unknown {what} property `{}`", kw.name),
                            hint: Some(hint),
                        })
                    }
                }
                Err(f) => Err(f),
            };
            match result {
                Ok((rest, ())) => i = rest,
                Err(f) => {
                    let at = f.span.start;
                    self.diagnostics.push(f.into_diagnostic());
                    self.block_failed = true;
                    i = recover_line(i, at);
                }
            }
        }
    }
}

/// Whether only indentation stands before `i` on its line.
fn starts_line(i: &In) -> bool {
    let column0 = i.get_column().saturating_sub(1);
    i.get_line_beginning()
        .get(..column0)
        .is_some_and(|before| before.iter().all(|b| *b == b' ' || *b == b'\t'))
}

/// After a bad item: resume at the next line that starts with a top-level keyword.
fn recover_top(i: In) -> In {
    let text = i.fragment();
    let mut pos = 0;
    // Always make progress past the failing token.
    loop {
        let Some(nl) = text.get(pos..).and_then(|t| t.find('\n')) else {
            return i.slice(text.len()..);
        };
        pos += nl + 1;
        let line = text.get(pos..).unwrap_or("");
        let word: String = line.chars().take_while(|c| is_ident_char(*c)).collect();
        if TOP_KEYWORDS.contains(&word.as_str()) {
            return i.slice(pos..);
        }
    }
}

/// After a bad property: resume at the line after the error, or at a `}` closing the
/// block on the error's own line.
fn recover_line(i: In, error_at: usize) -> In {
    let base = offset(&i);
    let text = i.fragment();
    let from = error_at.saturating_sub(base).min(text.len());
    let line_end = text
        .get(from..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |n| from + n);
    // A `}` later on the same line (outside a string) closes the block.
    let seg = text.get(from..line_end).unwrap_or("");
    let mut in_str = false;
    let mut escaped = false;
    for (k, c) in seg.char_indices() {
        match c {
            '\\' if in_str && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_str = !in_str,
            '}' if !in_str => return i.slice(from + k..),
            _ => {}
        }
        escaped = false;
    }
    let next = (line_end + 1).min(text.len());
    i.slice(next.max(from.min(text.len())).max(1.min(text.len()))..)
}

fn set_once<T>(slot: &mut Option<T>, value: T, kw: &Kw) -> Result<(), Fail> {
    if slot.is_some() {
        return Err(Fail {
            span: kw.span,
            message: format!("`{}` is given twice", kw.name),
            hint: Some("keep one".to_string()),
        });
    }
    *slot = Some(value);
    Ok(())
}

// ---------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------

const LIST_PROPS: &[&str] = &["title", "authority", "url", "as_of", "source", "basis"];

fn list_prop<'a>(l: &mut ListDecl, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    let (i, s) = string(i, "a string in quotes")?;
    match kw {
        "title" => set_once(&mut l.title, s, &kwi)?,
        "authority" => set_once(&mut l.authority, s, &kwi)?,
        "url" => set_once(&mut l.url, s, &kwi)?,
        "as_of" => set_once(&mut l.as_of, s, &kwi)?,
        "source" => set_once(&mut l.source, s, &kwi)?,
        _ => l.basis.push(s),
    }
    Ok((i, ()))
}

const CATEGORY_PROPS: &[&str] = &[
    "title",
    "tags",
    "basis",
    "terms",
    "hs",
    "exclude",
    "threshold",
];

fn strength(i: In) -> (In, Strength) {
    if let Some(rest) = keyword(i, "weak") {
        (rest, Strength::Weak)
    } else if let Some(rest) = keyword(i, "strong") {
        (rest, Strength::Strong)
    } else {
        (i, Strength::Strong)
    }
}

fn category_prop<'a>(c: &mut Category, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    let start = kwi.span;
    match kw {
        "title" => {
            let (i, s) = string(i, "the title in quotes")?;
            set_once(&mut c.title, s, &kwi)?;
            Ok((i, ()))
        }
        "basis" => {
            let (i, s) = string(i, "a legal citation in quotes after `basis`")?;
            c.basis.push(s);
            Ok((i, ()))
        }
        "tags" => {
            let (i, tags) = comma_list(i, |k| word(k, "a tag"))?;
            c.tags.extend(tags);
            Ok((i, ()))
        }
        "terms" => {
            let (i, strength) = strength(i);
            let j = skip_ws(i);
            let (i, lang) = if j.fragment().starts_with('"') {
                (i, None)
            } else {
                let (i, l) = ident(i, "a term in quotes (or a language tag such as `zh`)")?;
                (i, Some(l))
            };
            let (i, terms) = comma_list(i, |k| string(k, "a term in quotes"))?;
            let span = start.to(terms.last().map_or(start, |t| t.span));
            c.terms.push(TermGroup {
                strength,
                lang,
                terms,
                span,
            });
            Ok((i, ()))
        }
        "hs" => {
            let (i, strength) = strength(i);
            let (i, codes) = comma_list(i, hs_code)?;
            let span = start.to(codes.last().map_or(start, |t| t.span));
            c.hs.push(HsGroup {
                strength,
                codes,
                span,
            });
            Ok((i, ()))
        }
        "exclude" => {
            if let Some(j) = keyword(i, "hs") {
                let (i, codes) = comma_list(j, hs_code)?;
                let span = start.to(codes.last().map_or(start, |t| t.span));
                c.exclusions.push(Exclusion::Hs { codes, span });
                Ok((i, ()))
            } else {
                let (i, terms) = comma_list(i, |k| {
                    string(k, "a term in quotes (or `hs` and codes) after `exclude`")
                })?;
                let span = start.to(terms.last().map_or(start, |t| t.span));
                c.exclusions.push(Exclusion::Terms { terms, span });
                Ok((i, ()))
            }
        }
        _ => {
            let (i, above) = money(i)?;
            let span = start.to(above.span);
            set_once(&mut c.threshold, Threshold { above, span }, &kwi)?;
            Ok((i, ()))
        }
    }
}

const ENTITY_PROPS: &[&str] = &[
    "kind",
    "name",
    "alias",
    "country",
    "nationality",
    "program",
    "identifier",
    "address",
    "born",
    "birthplace",
    "position",
    "listed",
    "remark",
];

fn entity_prop<'a>(e: &mut Entity, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    match kw {
        "kind" => {
            let (i, k) = ident(i, "`person`, `organization`, `vessel` or `aircraft`")?;
            set_once(&mut e.kind, k, &kwi)?;
            Ok((i, ()))
        }
        "name" => {
            let (i, s) = string(i, "the name in quotes")?;
            set_once(&mut e.name, s, &kwi)?;
            Ok((i, ()))
        }
        "alias" => {
            let (i, relation) = if let Some(r) = keyword(i, "aka") {
                (r, AliasRelation::Aka)
            } else if let Some(r) = keyword(i, "fka") {
                (r, AliasRelation::Fka)
            } else if let Some(r) = keyword(i, "nka") {
                (r, AliasRelation::Nka)
            } else {
                (i, AliasRelation::Aka)
            };
            let (i, strength) = strength(i);
            let (i, name) = string(i, "the alias in quotes").map_err(|mut f| {
                f.hint = Some("write `alias [aka|fka|nka] [strong|weak] \"name\"`".to_string());
                f
            })?;
            let span = kwi.span.to(name.span);
            e.aliases.push(Alias {
                relation,
                strength,
                name,
                span,
            });
            Ok((i, ()))
        }
        "country" | "nationality" | "program" => {
            let out = match kw {
                "country" => &mut e.countries,
                "nationality" => &mut e.nationalities,
                _ => &mut e.programs,
            };
            let i = comma_list_into(i, out, |k| word(k, "a word or a string in quotes"))?;
            Ok((i, ()))
        }
        "identifier" => {
            let (i, scheme) = ident(i, "an identifier scheme (`imo`, `swift`, `passport`, ...)")?;
            let (i, value) = string(i, "the identifier's value in quotes")?;
            let j = skip_ws(i);
            let (i, note) = if j.fragment().starts_with('"') {
                let (i, n) = string(j, "a note")?;
                (i, Some(n))
            } else {
                (i, None)
            };
            let span = kwi.span.to(note.as_ref().map_or(value.span, |n| n.span));
            e.identifiers.push(Identifier {
                scheme,
                value,
                note,
                span,
            });
            Ok((i, ()))
        }
        "listed" => {
            let (i, s) = string(i, "a date in quotes (`\"YYYY-MM-DD\"`)")?;
            set_once(&mut e.listed, s, &kwi)?;
            Ok((i, ()))
        }
        _ => {
            let (i, s) = string(i, "a string in quotes")?;
            match kw {
                "address" => e.addresses.push(s),
                "born" => e.born.push(s),
                "birthplace" => e.birthplaces.push(s),
                "position" => e.positions.push(s),
                _ => e.remarks.push(s),
            }
            Ok((i, ()))
        }
    }
}

struct RuleDraft {
    name: Ident,
    title: Option<Text>,
    basis: Vec<Text>,
    when: Option<Expr>,
    then: Option<Outcome>,
}

const RULE_PROPS: &[&str] = &["title", "basis", "when", "then"];

fn rule_prop<'a>(r: &mut RuleDraft, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    match kw {
        "title" => {
            let (i, s) = string(i, "the title in quotes")?;
            set_once(&mut r.title, s, &kwi)?;
            Ok((i, ()))
        }
        "basis" => {
            let (i, s) = string(i, "a legal citation in quotes after `basis`")?;
            r.basis.push(s);
            Ok((i, ()))
        }
        "when" => {
            let (i, e) = expr(i, 0)?;
            set_once(&mut r.when, e, &kwi)?;
            Ok((i, ()))
        }
        _ => {
            let (i, d) = ident(i, "`clear`, `review` or `block` after `then`")?;
            let decision = match d.name.as_str() {
                "clear" => Decision::Clear,
                "review" => Decision::Review,
                "block" => Decision::Block,
                other => {
                    let hint = did_you_mean(other, ["clear", "review", "block"]).map_or(
                        "a decision is `clear`, `review` or `block`".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    return Err(Fail {
                        span: d.span,
                        message: format!("unknown decision `{other}`"),
                        hint: Some(hint),
                    });
                }
            };
            let (i, reason) = string(i, "the reason in quotes after the decision")?;
            let span = kwi.span.to(reason.span);
            set_once(
                &mut r.then,
                Outcome {
                    decision,
                    reason,
                    span,
                },
                &kwi,
            )?;
            Ok((i, ()))
        }
    }
}

const ALLOW_PROPS: &[&str] = &["entity", "name", "country", "because", "expires"];

fn allow_prop<'a>(a: &mut Allow, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    match kw {
        "entity" => {
            let (i, id) = entity_id(i)?;
            set_once(&mut a.entity, id, &kwi)?;
            Ok((i, ()))
        }
        "country" => {
            let (i, c) = word(i, "a country code after `country`")?;
            set_once(&mut a.country, c, &kwi)?;
            Ok((i, ()))
        }
        _ => {
            let (i, s) = string(i, "a string in quotes")?;
            match kw {
                "name" => set_once(&mut a.party, s, &kwi)?,
                "because" => set_once(&mut a.because, s, &kwi)?,
                _ => set_once(&mut a.expires, s, &kwi)?,
            }
            Ok((i, ()))
        }
    }
}

const RATES_PROPS: &[&str] = &["as_of", "source", "rate"];

fn rates_prop<'a>(r: &mut Rates, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    match kw {
        "as_of" => {
            let (i, s) = string(i, "a date in quotes")?;
            set_once(&mut r.as_of, s, &kwi)?;
            Ok((i, ()))
        }
        "source" => {
            let (i, s) = string(i, "a string in quotes")?;
            set_once(&mut r.source, s, &kwi)?;
            Ok((i, ()))
        }
        _ => {
            let (i, currency) = ident(i, "a currency code after `rate`")?;
            let (i, usd) = number(i, "the US dollars per unit")?;
            let span = kwi.span.to(usd.span);
            r.rates.push(Rate {
                currency,
                usd,
                span,
            });
            Ok((i, ()))
        }
    }
}

// ---------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------

fn expr(i: In, depth: usize) -> PResult<Expr> {
    let (mut i, first) = and_expr(i, depth)?;
    let mut parts = vec![first];
    while let Some(rest) = keyword(i, "or") {
        let (rest, next) = and_expr(rest, depth)?;
        parts.push(next);
        i = rest;
    }
    Ok((i, collapse(parts, Expr::Or)))
}

fn and_expr(i: In, depth: usize) -> PResult<Expr> {
    let (mut i, first) = unary(i, depth)?;
    let mut parts = vec![first];
    while let Some(rest) = keyword(i, "and") {
        let (rest, next) = unary(rest, depth)?;
        parts.push(next);
        i = rest;
    }
    Ok((i, collapse(parts, Expr::And)))
}

fn collapse(mut parts: Vec<Expr>, make: fn(Vec<Expr>, Span) -> Expr) -> Expr {
    if parts.len() == 1 {
        if let Some(only) = parts.pop() {
            return only;
        }
    }
    let span = match (parts.first(), parts.last()) {
        (Some(a), Some(b)) => a.span().to(b.span()),
        _ => Span::default(),
    };
    make(parts, span)
}

fn unary(i: In, depth: usize) -> PResult<Expr> {
    let j = skip_ws(i);
    if depth >= MAX_DEPTH {
        return fail(
            &j,
            format!("condition nested more than {MAX_DEPTH} levels deep"),
        );
    }
    if let Some(rest) = keyword(j, "not") {
        let (rest, inner) = unary(rest, depth + 1)?;
        let span = here(&j).to(inner.span());
        return Ok((rest, Expr::Not(Box::new(inner), span)));
    }
    if let Some(rest) = punct(j, "(") {
        let (rest, inner) = expr(rest, depth + 1)?;
        let (rest, _) = expect_punct(rest, ")", "to close `(`")?;
        // Parentheses only group; the tree keeps no node for them.
        return Ok((rest, inner));
    }
    test(j)
}

const TEST_KEYWORDS: &[&str] = &[
    "party",
    "vessel",
    "goods",
    "origin",
    "destination",
    "via",
    "route",
    "value",
];

fn test(i: In) -> PResult<Expr> {
    let j = skip_ws(i);
    let start = offset(&j);
    let (i, kw) = ident(j, "a condition (`party`, `vessel`, `goods`, `origin`, `destination`, `via`, `route`, `value`), `not` or `(`")?;
    let (i, test) = match kw.name.as_str() {
        "party" => {
            let (i, roles) = if let Some(r) = keyword(i, "role") {
                let (r, (roles, _)) = paren_list(r, "after `role`", |k| word(k, "a role"))?;
                (r, roles)
            } else {
                (i, Vec::new())
            };
            if let Some(r) = keyword(i, "matches") {
                let (r, filter) = entity_filter(r)?;
                let (r, min_score) = score(r)?;
                (
                    r,
                    Test::PartyMatches {
                        roles,
                        filter,
                        min_score,
                    },
                )
            } else if let Some(r) = keyword(i, "in") {
                let (r, places) = place_ref(r)?;
                (r, Test::PartyIn { roles, places })
            } else {
                return expected(&skip_ws(i), "`matches`, `in` or `role(...)` after `party`");
            }
        }
        "vessel" => {
            let Some(r) = keyword(i, "matches") else {
                return expected(&skip_ws(i), "`matches` after `vessel`");
            };
            let (r, filter) = entity_filter(r)?;
            let (r, min_score) = score(r)?;
            (r, Test::VesselMatches { filter, min_score })
        }
        "goods" => {
            let Some(r) = keyword(i, "in") else {
                return expected(&skip_ws(i), "`in` after `goods`");
            };
            let (r, cats) = category_ref(r)?;
            (r, Test::GoodsIn(cats))
        }
        "origin" | "destination" | "via" | "route" => {
            let leg = match kw.name.as_str() {
                "origin" => RouteLeg::Origin,
                "destination" => RouteLeg::Destination,
                "via" => RouteLeg::Via,
                _ => RouteLeg::Any,
            };
            let Some(r) = keyword(i, "in") else {
                return expected(&skip_ws(i), &format!("`in` after `{}`", kw.name));
            };
            let (r, places) = place_ref(r)?;
            (r, Test::RouteIn { leg, places })
        }
        "value" => {
            let k = skip_ws(i);
            let (r, op) = if let Some(r) = punct(k, ">=") {
                (r, Comparison::Ge)
            } else if let Some(r) = punct(k, "<=") {
                (r, Comparison::Le)
            } else if let Some(r) = punct(k, ">") {
                (r, Comparison::Gt)
            } else if let Some(r) = punct(k, "<") {
                (r, Comparison::Lt)
            } else {
                return expected(&k, "`>`, `>=`, `<` or `<=` after `value`");
            };
            let (r, amount) = money(r)?;
            (r, Test::Value { op, amount })
        }
        other => {
            let hint = did_you_mean(other, TEST_KEYWORDS.iter().copied()).map_or_else(
                || format!("conditions start with: {}", TEST_KEYWORDS.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            return Err(Fail {
                span: kw.span,
                message: format!("unknown condition `{other}`"),
                hint: Some(hint),
            });
        }
    };
    let span = span_of(j.extra, start, offset(&i));
    Ok((i, Expr::Cond(Condition { test, span })))
}

fn score(i: In) -> PResult<Option<Number>> {
    let Some(r) = keyword(i, "score") else {
        return Ok((i, None));
    };
    let (r, _) = expect_punct(r, ">=", "after `score`")?;
    let (r, n) = number(r, "a score between 0 and 1")?;
    Ok((r, Some(n)))
}

const FACETS: &[&str] = &["list", "program", "country", "kind", "entity", "remark"];

fn entity_filter(i: In) -> PResult<EntityFilter> {
    if let Some(r) = keyword(i, "any") {
        return Ok((r, EntityFilter::default()));
    }
    let mut filter = EntityFilter::default();
    let mut i = i;
    let mut seen = 0;
    loop {
        let word_here = peek_ident(i);
        let Some(w) = word_here.filter(|w| FACETS.contains(w)) else {
            if seen == 0 {
                let j = skip_ws(i);
                let mut f = Fail {
                    span: here(&j),
                    message: format!(
                        "expected `any` or a filter (`list(..)`, `program(..)`, `country(..)`, `kind(..)`, `entity(..)`, `remark(..)`), found {}",
                        found(&j)
                    ),
                    hint: None,
                };
                if let Some(s) = word_here.and_then(|w| did_you_mean(w, FACETS.iter().copied())) {
                    f.hint = Some(format!("did you mean `{s}`?"));
                }
                return Err(f);
            }
            return Ok((i, filter));
        };
        let Some(r) = keyword(i, w) else {
            return Ok((i, filter));
        };
        let ctx = format!("after `{w}`");
        i = match w {
            "list" => {
                let (r, (v, _)) = paren_list(r, &ctx, |k| ident(k, "a list name"))?;
                filter.lists.extend(v);
                r
            }
            "kind" => {
                let (r, (v, _)) = paren_list(r, &ctx, |k| ident(k, "an entity kind"))?;
                filter.kinds.extend(v);
                r
            }
            "program" => {
                let (r, (v, _)) = paren_list(r, &ctx, |k| word(k, "a program"))?;
                filter.programs.extend(v);
                r
            }
            "country" => {
                let (r, (v, _)) = paren_list(r, &ctx, |k| word(k, "a country"))?;
                filter.countries.extend(v);
                r
            }
            "remark" => {
                let (r, (v, _)) = paren_list(r, &ctx, |k| string(k, "a text in quotes"))?;
                filter.remarks.extend(v);
                r
            }
            _ => {
                let (r, (v, _)) = paren_list(r, &ctx, entity_id)?;
                filter.entities.extend(v);
                r
            }
        };
        seen += 1;
    }
}

fn place_ref(i: In) -> PResult<PlaceRef> {
    if let Some(r) = keyword(i, "countries") {
        let (r, (v, span)) = paren_list(r, "after `countries`", |k| word(k, "a country"))?;
        return Ok((r, PlaceRef::Countries(v, span)));
    }
    if let Some(r) = keyword(i, "places") {
        let (r, (v, span)) = paren_list(r, "after `places`", |k| word(k, "a place name"))?;
        return Ok((r, PlaceRef::Places(v, span)));
    }
    let (r, name) = ident(i, "a set name, `countries(...)` or `places(...)`")?;
    Ok((r, PlaceRef::Set(name)))
}

fn category_ref(i: In) -> PResult<CategoryRef> {
    if let Some(r) = keyword(i, "categories") {
        let (r, (v, span)) = paren_list(r, "after `categories`", |k| ident(k, "a category id"))?;
        return Ok((r, CategoryRef::List(v, span)));
    }
    if let Some(r) = keyword(i, "tagged") {
        let (r, (v, span)) = paren_list(r, "after `tagged`", |k| word(k, "a tag"))?;
        return Ok((r, CategoryRef::Tagged(v, span)));
    }
    let (r, name) = ident(
        i,
        "a category or set name, `categories(...)` or `tagged(...)`",
    )?;
    Ok((r, CategoryRef::Named(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: an incomplete rule was once dropped through a sentinel `include ""`
    /// item, which also dropped real empty includes.
    #[test]
    fn an_empty_include_is_kept() {
        let (file, diags) = parse(FileId(0), "include \"\"\n");
        assert!(diags.is_empty());
        assert_eq!(file.items.len(), 1);
    }

    #[test]
    fn a_rule_with_a_bad_property_is_reported_once_and_dropped() {
        let (file, diags) = parse(
            FileId(0),
            "rule r { basis \"b\" when party matches any score >= then block \"x\" }",
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(file.items.is_empty());
    }
}
