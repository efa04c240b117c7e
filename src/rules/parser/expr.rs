//! Conditions: `or` over `and` over `not`, parentheses and tests, at most
//! [`super::MAX_DEPTH`] levels deep.

use super::lex::*;
use super::{Fail, In, PResult, MAX_DEPTH};
use crate::rules::ast::*;
use crate::rules::diagnostic::did_you_mean;
use crate::rules::span::Span;

// ---------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------

pub(super) fn expr(i: In, depth: usize) -> PResult<Expr> {
    let (mut i, first) = and_expr(i, depth)?;
    let mut parts = vec![first];
    while let Some(rest) = keyword(i, "or") {
        let (rest, next) = and_expr(rest, depth)?;
        parts.push(next);
        i = rest;
    }
    Ok((i, collapse(parts, Expr::Or)))
}

pub(super) fn and_expr(i: In, depth: usize) -> PResult<Expr> {
    let (mut i, first) = unary(i, depth)?;
    let mut parts = vec![first];
    while let Some(rest) = keyword(i, "and") {
        let (rest, next) = unary(rest, depth)?;
        parts.push(next);
        i = rest;
    }
    Ok((i, collapse(parts, Expr::And)))
}

pub(super) fn collapse(mut parts: Vec<Expr>, make: fn(Vec<Expr>, Span) -> Expr) -> Expr {
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

pub(super) fn unary(i: In, depth: usize) -> PResult<Expr> {
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

pub(super) const TEST_KEYWORDS: &[&str] = &[
    "party",
    "vessel",
    "goods",
    "origin",
    "destination",
    "via",
    "route",
    "value",
];

pub(super) fn test(i: In) -> PResult<Expr> {
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
            } else if let Some(r) = keyword(i, "name") {
                let Some(r) = keyword(r, "in") else {
                    return expected(&skip_ws(r), "`in` after `party name`");
                };
                let (r, places) = place_ref(r)?;
                (r, Test::PartyNameIn { roles, places })
            } else if let Some(r) = keyword(i, "nationality") {
                let Some(r) = keyword(r, "in") else {
                    return expected(&skip_ws(r), "`in` after `party nationality`");
                };
                let (r, places) = place_ref(r)?;
                (r, Test::PartyNationalityIn { roles, places })
            } else {
                return expected(
                    &skip_ws(i),
                    "`matches`, `in`, `name in`, `nationality in` or `role(...)` after `party`",
                );
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

pub(super) fn score(i: In) -> PResult<Option<Number>> {
    let Some(r) = keyword(i, "score") else {
        return Ok((i, None));
    };
    let (r, _) = expect_punct(r, ">=", "after `score`")?;
    let (r, n) = number(r, "a score between 0 and 1")?;
    Ok((r, Some(n)))
}

pub(super) const FACETS: &[&str] = &["list", "program", "country", "kind", "entity", "remark"];

pub(super) fn entity_filter(i: In) -> PResult<EntityFilter> {
    if let Some(r) = keyword(i, "any") {
        return Ok((r, EntityFilter::default()));
    }
    let mut filter = EntityFilter::default();
    let mut i = i;
    let mut seen = 0;
    let mut given: Vec<&str> = Vec::new();
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
        // Facets of one kind given twice would read as alternatives while facets read
        // as all holding: `list(a) list(b)` looks like "on both" and meant "on either".
        if given.contains(&w) {
            return Err(Fail {
                span: here(&skip_ws(i)),
                message: format!("`{w}(..)` is given twice in one filter"),
                hint: Some(format!(
                    "give its values in one: `{w}(a, b)` holds for any of them; different facets must all hold"
                )),
            });
        }
        given.push(w);
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

pub(super) fn place_ref(i: In) -> PResult<PlaceRef> {
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

pub(super) fn category_ref(i: In) -> PResult<CategoryRef> {
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
