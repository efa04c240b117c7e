//! Conditions: on one line when they fit, else broken before `and` and `or`.

use super::{entity_id, idents, money, string_list, width, words, WIDTH};
use crate::rules::ast::*;

/// Prints a condition. Nested groups of the same operator and `not` over a group are
/// parenthesized so that the tree reads back unchanged.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::Or(parts, _) => parts
            .iter()
            .map(|p| match p {
                Expr::Or(..) => format!("({})", expr(p)),
                _ => expr(p),
            })
            .collect::<Vec<_>>()
            .join(" or "),
        Expr::And(parts, _) => parts
            .iter()
            .map(|p| match p {
                Expr::Or(..) | Expr::And(..) => format!("({})", expr(p)),
                _ => expr(p),
            })
            .collect::<Vec<_>>()
            .join(" and "),
        Expr::Not(inner, _) => match inner.as_ref() {
            Expr::Cond(_) | Expr::Not(..) => format!("not {}", expr(inner)),
            _ => format!("not ({})", expr(inner)),
        },
        Expr::Cond(c) => test(&c.test),
    }
}

fn roles(r: &[Text]) -> String {
    if r.is_empty() {
        String::new()
    } else {
        format!(" role({})", words(r))
    }
}

/// A name test's filter as the rules language writes it (`list(un) program("UN 1718")`).
pub fn filter(f: &EntityFilter) -> String {
    let mut parts = Vec::new();
    if !f.lists.is_empty() {
        parts.push(format!("list({})", idents(&f.lists)));
    }
    if !f.programs.is_empty() {
        parts.push(format!("program({})", words(&f.programs)));
    }
    if !f.countries.is_empty() {
        parts.push(format!("country({})", words(&f.countries)));
    }
    if !f.kinds.is_empty() {
        parts.push(format!("kind({})", idents(&f.kinds)));
    }
    if !f.entities.is_empty() {
        let ids: Vec<String> = f.entities.iter().map(entity_id).collect();
        parts.push(format!("entity({})", ids.join(", ")));
    }
    if !f.remarks.is_empty() {
        parts.push(format!("remark({})", string_list(&f.remarks).join(", ")));
    }
    if parts.is_empty() {
        "any".to_string()
    } else {
        parts.join(" ")
    }
}

fn score(s: &Option<Number>) -> String {
    match s {
        Some(n) => format!(" score >= {}", n.text),
        None => String::new(),
    }
}

fn places(p: &PlaceRef) -> String {
    match p {
        PlaceRef::Set(name) => name.name.clone(),
        PlaceRef::Countries(v, _) => format!("countries({})", words(v)),
        PlaceRef::Places(v, _) => format!("places({})", words(v)),
    }
}

fn test(t: &Test) -> String {
    match t {
        Test::PartyMatches {
            roles: r,
            filter: f,
            min_score,
        } => format!(
            "party{} matches {}{}",
            roles(r),
            filter(f),
            score(min_score)
        ),
        Test::PartyIn {
            roles: r,
            places: p,
        } => format!("party{} in {}", roles(r), places(p)),
        Test::PartyNameIn {
            roles: r,
            places: p,
        } => format!("party{} name in {}", roles(r), places(p)),
        Test::PartyNationalityIn {
            roles: r,
            places: p,
        } => format!("party{} nationality in {}", roles(r), places(p)),
        Test::VesselMatches {
            filter: f,
            min_score,
        } => format!("vessel matches {}{}", filter(f), score(min_score)),
        Test::GoodsIn(c) => match c {
            CategoryRef::Named(n) => format!("goods in {}", n.name),
            CategoryRef::List(v, _) => format!("goods in categories({})", idents(v)),
            CategoryRef::Tagged(v, _) => format!("goods in tagged({})", words(v)),
        },
        Test::RouteIn { leg, places: p } => {
            let leg = match leg {
                RouteLeg::Origin => "origin",
                RouteLeg::Destination => "destination",
                RouteLeg::Via => "via",
                RouteLeg::Any => "route",
            };
            format!("{leg} in {}", places(p))
        }
        Test::Value { op, amount } => {
            let op = match op {
                Comparison::Gt => ">",
                Comparison::Ge => ">=",
                Comparison::Lt => "<",
                Comparison::Le => "<=",
            };
            format!("value {op} {}", money(amount))
        }
    }
}

/// The column after `piece`, written from column `col`: its last line's width when
/// it spans lines.
fn column_after(piece: &str, col: usize) -> usize {
    match piece.rsplit_once('\n') {
        Some((_, last)) => width(last),
        None => col + width(piece),
    }
}

/// Whether `part`, an operand of `parent`, is written in parentheses.
fn parenthesized(parent: &Expr, part: &Expr) -> bool {
    match parent {
        Expr::Or(..) => matches!(part, Expr::Or(..)),
        Expr::And(..) => matches!(part, Expr::Or(..) | Expr::And(..)),
        _ => false,
    }
}

/// Condition `e` written from column `col`, on one line when it fits in [`WIDTH`].
/// Otherwise its operands are filled into lines, each further line starting at
/// column `indent` with its `and` or `or`; an operand in parentheses that does not fit
/// either is broken the same way inside them, two columns further in, and the
/// operands after it start a new line:
///
/// ```text
///   when (party in dprk_transshipment_hubs or route in dprk_transshipment_hubs
///       or route in dprk or route in dprk_places)
///     and (party matches list(un) program("UN 1718") score >= 0.55
///       or party matches country(KP) score >= 0.55)
/// ```
pub fn layout(e: &Expr, col: usize, indent: usize) -> String {
    layout_with(e, col, indent, 0, &mut Notes::default())
}

/// The comments written inside a condition, in source order, and how many of them are
/// already placed.
#[derive(Debug, Default)]
pub(super) struct Notes<'c> {
    pub(super) comments: Vec<&'c Comment>,
    pub(super) next: usize,
}

impl<'c> Notes<'c> {
    /// The next comment, if it stands before byte `end` of the source.
    fn next_before(&self, end: usize) -> Option<&'c Comment> {
        self.comments
            .get(self.next)
            .copied()
            .filter(|c| c.span.start < end)
    }

    /// The comments not placed yet.
    pub(super) fn rest(&self) -> &[&'c Comment] {
        self.comments.get(self.next..).unwrap_or_default()
    }

    /// Whether the next comment is placed inside `e`'s text: between two of its
    /// operands, at any depth. A comment inside a test, or after the last operand's
    /// last test, is placed after the test, where the parser would read it back.
    fn placed_within(&self, e: &Expr) -> bool {
        match e {
            Expr::And(parts, _) | Expr::Or(parts, _) => parts.last().is_some_and(|last| {
                self.next_before(last.span().start).is_some() || self.placed_within(last)
            }),
            Expr::Not(inner, _) => self.placed_within(inner),
            Expr::Cond(_) => false,
        }
    }
}

/// [`layout`], with the comments written inside the condition kept between its
/// operands where they stood: a comment that ended a line ends the line of the
/// operand before it, one on a line of its own stays on a line of its own, and the
/// next operand starts a new line.
/// `tail` is how many columns what follows `e` on its last line takes (the closing
/// parentheses of the groups it ends).
pub(super) fn layout_with(
    e: &Expr,
    col: usize,
    indent: usize,
    tail: usize,
    notes: &mut Notes,
) -> String {
    let flat = expr(e);
    if !notes.placed_within(e) && col + width(&flat) + tail <= WIDTH {
        return flat;
    }
    match e {
        Expr::Or(parts, _) => group(e, parts, "or", (col, indent, tail), notes),
        Expr::And(parts, _) => group(e, parts, "and", (col, indent, tail), notes),
        Expr::Not(inner, _) if matches!(inner.as_ref(), Expr::Or(..) | Expr::And(..)) => {
            format!(
                "not ({})",
                layout_with(inner, col + 5, indent, tail + 1, notes)
            )
        }
        // `not not (...)`: the inner negation breaks as it would alone.
        Expr::Not(inner, _) if matches!(inner.as_ref(), Expr::Not(..)) => {
            format!("not {}", layout_with(inner, col + 4, indent, tail, notes))
        }
        _ => flat,
    }
}

/// The operands `parts` of `parent`, joined by `op`, filled into lines from column
/// `col`, further lines from `indent`, with `tail` columns after the last.
fn group(
    parent: &Expr,
    parts: &[Expr],
    op: &str,
    (col, indent, tail): (usize, usize, usize),
    notes: &mut Notes,
) -> String {
    let mut out = String::new();
    let mut at = col;
    // Whether the operand before was broken over lines.
    let mut after_broken = false;
    for (k, part) in parts.iter().enumerate() {
        let tail = if k + 1 == parts.len() { tail } else { 0 };
        // The comments before this operand, and those inside the one before it.
        let mut commented = false;
        while let Some(c) = notes.next_before(part.span().start) {
            notes.next += 1;
            if c.trailing && !commented {
                out.push_str("  #");
            } else {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                out.push('#');
            }
            out.push_str(&c.text);
            if c.blank_after && !c.trailing {
                out.push('\n');
            }
            commented = true;
        }
        if commented {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            at = indent;
        }
        let flat = operand(parent, part);
        let fits = |at: usize| at + width(&flat) + tail <= WIDTH && !notes.placed_within(part);
        if k > 0 {
            if commented {
                // A fresh line at `indent` already.
            } else if !after_broken && fits(at + op.len() + 2) {
                out.push(' ');
                at += 1;
            } else {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                at = indent;
            }
            out.push_str(op);
            out.push(' ');
            at += op.len() + 1;
        }
        let piece = if fits(at) {
            flat
        } else if parenthesized(parent, part) {
            format!(
                "({})",
                layout_with(part, at + 1, indent + 2, tail + 1, notes)
            )
        } else {
            layout_with(part, at, indent + 2, tail, notes)
        };
        at = column_after(&piece, at);
        after_broken = piece.contains('\n');
        out.push_str(&piece);
    }
    out
}

/// `part`, an operand of `parent`, on one line, in parentheses where it needs them.
fn operand(parent: &Expr, part: &Expr) -> String {
    if parenthesized(parent, part) {
        format!("({})", expr(part))
    } else {
        expr(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parser;
    use crate::rules::span::FileId;

    fn when(text: &str) -> Expr {
        let rule = format!("rule r {{\n  when {text}\n  then block \"x\"\n}}\n");
        let (file, diags) = parser::parse(FileId(0), &rule);
        assert!(diags.is_empty(), "{diags:?}");
        match file.items.into_iter().next() {
            Some(Item::Rule(r)) => r.when,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn short_conditions_stay_on_one_line() {
        let e = when("goods in tagged(luxury) and (destination in dprk or party in dprk)");
        assert_eq!(
            layout(&e, 7, 4),
            "goods in tagged(luxury) and (destination in dprk or party in dprk)"
        );
    }

    #[test]
    fn long_conditions_break_before_and_or_within_the_width() {
        let e = when(
            "(party in dprk_transshipment_hubs or route in dprk_transshipment_hubs or route in dprk \
             or route in dprk_places or party in dprk or party in dprk_places) and (party matches \
             list(un) program(\"UN 1718\") score >= 0.55 or party matches country(KP) score >= 0.55)",
        );
        let text = layout(&e, 7, 4);
        assert_eq!(
            text,
            "(party in dprk_transshipment_hubs or route in dprk_transshipment_hubs or route in dprk\n      \
             or route in dprk_places or party in dprk or party in dprk_places)\n    \
             and (party matches list(un) program(\"UN 1718\") score >= 0.55\n      \
             or party matches country(KP) score >= 0.55)"
        );
        let first = 7 + text.lines().next().map_or(0, width);
        assert!(first <= WIDTH && text.lines().skip(1).all(|l| width(l) <= WIDTH));
        assert_eq!(when(&text), e);
    }

    #[test]
    fn a_doubly_negated_group_breaks_inside_its_parentheses() {
        let e = when(
            "not not (destination in a or party matches list(a_aa_a__aa, a__a___aaa_aa_a, aa____, aa_____))",
        );
        let text = layout(&e, 7, 4);
        assert!(text.starts_with("not not ("), "{text}");
        assert!(text.lines().count() > 1, "{text}");
        let first = text.lines().next().map_or(0, |l| 7 + width(l));
        assert!(
            first <= WIDTH && text.lines().skip(1).all(|l| width(l) <= WIDTH),
            "{text}"
        );
    }

    #[test]
    fn a_negated_group_breaks_inside_its_parentheses() {
        let long = ["destination in dprk"; 6].join(" or ");
        let e = when(&format!("goods in tagged(export-ban) and not ({long})"));
        let text = layout(&e, 7, 4);
        assert!(text.contains("and not (destination in dprk"), "{text}");
        assert!(text.contains("\n      or destination in dprk"), "{text}");
        assert_eq!(when(&text), e);
    }
}
