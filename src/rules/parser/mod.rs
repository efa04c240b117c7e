//! Rules text -> syntax tree, with every error of a file.
//!
//! Tokens are recognized with `nom` over a `nom_locate` span, so every node knows its
//! byte range (`lex`). Items and properties are driven by a small recursive-descent
//! layer on top (`items`, and this module's item and block loop), because that is
//! where recovery lives: a bad property is reported and the parser resumes at the
//! next line; a bad item resumes at the next top-level keyword. That is what lets
//! `check` report all errors of a file, not only the first. Conditions are parsed by
//! `expr`, and nest at most [`MAX_DEPTH`] levels.
//!
//! # Grammar
//!
//! In EBNF; `#` comments and whitespace may stand between any two tokens. The shape of
//! each item is in [`super::ast`], and `rules/README.md` explains each property.
//!
//! ```text
//! file        = item* ;
//! item        = include | list | category | entity | set | rule | allow | rates ;
//! include     = "include" STRING ;
//! list        = "list" IDENT "{" list_prop* "}" ;
//! list_prop   = ("title" | "authority" | "url" | "as_of" | "source" | "basis") STRING ;
//! category    = "category" IDENT "{" cat_prop* "}" ;
//! cat_prop    = "title" STRING | "tags" words | "basis" STRING
//!             | "terms" strength? lang? strings
//!             | "hs" strength? codes
//!             | "exclude" ( strings | "hs" codes )
//!             | "threshold" money ;
//! entity      = "entity" entity_id "{" ent_prop* "}" ;
//! ent_prop    = "kind" IDENT | "name" STRING
//!             | "alias" relation? strength? STRING
//!             | ("country" | "nationality" | "program") words
//!             | "identifier" IDENT STRING STRING?
//!             | ("address" | "born" | "birthplace" | "position" | "remark") STRING
//!             | "listed" STRING ;
//! set         = "set" ("countries" | "places" | "categories") IDENT "=" words ;
//! rule        = "rule" IDENT "{" rule_prop* "}" ;
//! rule_prop   = "title" STRING | "basis" STRING | "when" expr
//!             | "then" ("clear" | "review" | "block") STRING ;
//! allow       = "allow" IDENT "{" allow_prop* "}" ;
//! allow_prop  = "entity" entity_id ("," entity_id)*
//!             | ("name" | "because" | "by" | "on" | "expires") STRING | "country" word ;
//! rates       = "rates" "{" rates_prop* "}" ;
//! rates_prop  = ("as_of" | "source") STRING | "rate" IDENT NUMBER ;
//!
//! expr        = and_expr ("or" and_expr)* ;
//! and_expr    = unary ("and" unary)* ;
//! unary       = "not" unary | "(" expr ")" | test ;
//! test        = "party" roles? "matches" filter score?
//!             | "party" roles? "in" places
//!             | "vessel" "matches" filter score?
//!             | "goods" "in" categories
//!             | ("origin" | "destination" | "via" | "route") "in" places
//!             | "value" (">" | ">=" | "<" | "<=") money ;
//! roles       = "role" "(" words ")" ;
//! filter      = "any" | facet+ ;
//! facet       = ("list" | "kind") "(" idents ")" | ("program" | "country") "(" words ")"
//!             | "entity" "(" entity_id ("," entity_id)* ")" | "remark" "(" strings ")" ;
//! score       = "score" ">=" NUMBER ;
//! places      = IDENT | "countries" "(" words ")" | "places" "(" words ")" ;
//! categories  = IDENT | "categories" "(" idents ")" | "tagged" "(" words ")" ;
//!
//! strength    = "strong" | "weak" ;
//! relation    = "aka" | "fka" | "nka" ;
//! lang        = IDENT ;                    (* a language tag; not "weak"/"strong" *)
//! money       = IDENT NUMBER ;             (* ISO 4217 code and amount *)
//! words       = word ("," word)* ;   word = IDENT | STRING ;
//! strings     = STRING ("," STRING)* ;
//! idents      = IDENT ("," IDENT)* ;
//! codes       = HS ("," HS)* ;
//! entity_id   = IDENT ":" (LOCAL | STRING) ;
//!
//! STRING      = '"' ( char | '\"' | '\\' | '\n' | '\t' | '\u{' hex+ '}' )* '"' ;
//! IDENT       = ( letter | "_" ) ( letter | digit | "_" | "-" )* ;
//! NUMBER      = digit ( digit | "_" )* ( "." digit+ )? ;
//! HS          = digit+ ( "." digit+ )* ;
//! LOCAL       = ( letter | digit | "_" | "-" | "." | "/" )+ ;
//! ```

use nom::Slice;
use nom_locate::LocatedSpan;

use super::ast::*;
use super::diagnostic::{did_you_mean, Diagnostic};
use super::span::{FileId, Span};

mod expr;
mod items;
mod lex;

use items::*;
use lex::*;

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
                let line_start = text
                    .get(..pos)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |n| n + 1);
                let before = text.get(line_start..pos).unwrap_or("");
                // The line after this one, when there is one, holds only whitespace.
                let next_line = text.get(end + 1..).filter(|_| end < text.len());
                let blank_after = next_line.is_some_and(|rest| {
                    let line = rest.split('\n').next().unwrap_or("");
                    line.trim().is_empty() && (rest.contains('\n') || !line.is_empty())
                });
                let trailing = !before.trim().is_empty();
                out.push(Comment {
                    text: body.trim_end_matches('\r').to_string(),
                    trailing,
                    blank_after: blank_after && !trailing,
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
                    entities: None,
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
                let (j, extends) = match punct(j, "+=") {
                    Some(rest) => (rest, true),
                    None => (
                        expect_punct(j, "=", "(or `+=`) after the set's name")?.0,
                        false,
                    ),
                };
                let (rest, items) = comma_list(j, |k| word(k, "a set member"))?;
                let span = span_of(file, start, offset(&rest));
                return Ok((
                    rest,
                    Some(Item::Set(SetDecl {
                        kind,
                        name,
                        extends,
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
                    entities: Vec::new(),
                    party: None,
                    country: None,
                    because: None,
                    by: None,
                    on: None,
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
