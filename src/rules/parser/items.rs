//! The properties of each item: which keywords a block takes, and what follows each.

use super::expr::expr;
use super::lex::*;
use super::{set_once, Fail, In, PResult};
use crate::rules::ast::*;
use crate::rules::diagnostic::did_you_mean;

// ---------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------

pub(super) const LIST_PROPS: &[&str] = &[
    "title",
    "authority",
    "url",
    "as_of",
    "source",
    "basis",
    "entities",
];

pub(super) fn list_prop<'a>(l: &mut ListDecl, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    if kw == "entities" {
        let (i, n) = number(i, "the number of entities the list holds")?;
        set_once(&mut l.entities, n, &kwi)?;
        return Ok((i, ()));
    }
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

pub(super) const CATEGORY_PROPS: &[&str] = &[
    "title",
    "tags",
    "basis",
    "terms",
    "hs",
    "exclude",
    "threshold",
];

pub(super) fn strength(i: In) -> (In, Strength) {
    if let Some(rest) = keyword(i, "weak") {
        (rest, Strength::Weak)
    } else if let Some(rest) = keyword(i, "strong") {
        (rest, Strength::Strong)
    } else {
        (i, Strength::Strong)
    }
}

pub(super) fn category_prop<'a>(
    c: &mut Category,
    kw: &str,
    kwi: Kw<'a>,
    i: In<'a>,
) -> PResult<'a, ()> {
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

pub(super) const ENTITY_PROPS: &[&str] = &[
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

pub(super) fn entity_prop<'a>(e: &mut Entity, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
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

pub(super) struct RuleDraft {
    pub(super) name: Ident,
    pub(super) title: Option<Text>,
    pub(super) basis: Vec<Text>,
    pub(super) when: Option<Expr>,
    pub(super) then: Option<Outcome>,
}

pub(super) const RULE_PROPS: &[&str] = &["title", "basis", "when", "then"];

pub(super) fn rule_prop<'a>(
    r: &mut RuleDraft,
    kw: &str,
    kwi: Kw<'a>,
    i: In<'a>,
) -> PResult<'a, ()> {
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

pub(super) const ALLOW_PROPS: &[&str] = &[
    "entity", "name", "country", "because", "by", "on", "expires",
];

pub(super) fn allow_prop<'a>(a: &mut Allow, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
    match kw {
        "entity" => {
            // Given once, as a list: `entity ofac-sdn:36, un:KPi.033`.
            let mut given = (!a.entities.is_empty()).then_some(());
            set_once(&mut given, (), &kwi)?;
            let (i, ids) = comma_list(i, entity_id)?;
            a.entities = ids;
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
                "by" => set_once(&mut a.by, s, &kwi)?,
                "on" => set_once(&mut a.on, s, &kwi)?,
                _ => set_once(&mut a.expires, s, &kwi)?,
            }
            Ok((i, ()))
        }
    }
}

pub(super) const RATES_PROPS: &[&str] = &["as_of", "source", "rate"];

pub(super) fn rates_prop<'a>(r: &mut Rates, kw: &str, kwi: Kw<'a>, i: In<'a>) -> PResult<'a, ()> {
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
