//! Syntax tree -> canonical text.
//!
//! The canonical form is what `embargo fmt` writes and what the importers generate:
//! two-space indentation, one property per line in a fixed order per item, strings
//! escaped, bare words where a word needs no quotes. It is built so that
//! `parse(print(tree)) == tree` for every tree the parser can produce.

use std::fmt::Write as _;

use super::ast::*;

/// Prints a whole file.
///
/// # Examples
/// ```
/// use embargo::rules::{parser, print, FileId};
/// let (file, errors) = parser::parse(FileId(0), "set countries dprk = KP, \"North Korea\"");
/// assert!(errors.is_empty());
/// assert_eq!(print::print_file(&file), "set countries dprk = KP, \"North Korea\"\n");
/// ```
pub fn print_file(file: &File) -> String {
    let mut out = String::new();
    let mut comments = file.comments.iter().peekable();
    let mut previous: Option<&Item> = None;
    for item in &file.items {
        let span = item.span();
        let mut leading = Vec::new();
        while let Some(c) = comments.next_if(|c| c.span.start <= span.start) {
            leading.push(c);
        }
        let mut inner = Vec::new();
        while let Some(c) = comments.next_if(|c| c.span.start < span.end) {
            inner.push(c);
        }
        let mut text = String::new();
        print_item(&mut text, item);
        // A one-line item has no inside to hold a comment (one written after a comma
        // where a set's members continue on the next line). Printed after the line it
        // would read back as a leading comment of the next item, and a second `fmt`
        // would move it again; before the item it stays put.
        if !text.trim_end_matches('\n').contains('\n') {
            leading.append(&mut inner);
        }
        // Blank lines between blocks; consecutive one-liners of the same kind stay together.
        if let Some(prev) = previous {
            let one_liners = matches!(
                (prev, item),
                (Item::Include(_), Item::Include(_)) | (Item::Set(_), Item::Set(_))
            );
            if !one_liners || !leading.is_empty() {
                out.push('\n');
            }
        }
        for c in leading {
            let _ = writeln!(out, "#{}", c.text);
        }
        match (inner.is_empty(), text.split_once('\n')) {
            (false, Some((head, rest))) => {
                let _ = writeln!(out, "{head}");
                for c in inner {
                    let _ = writeln!(out, "  #{}", c.text);
                }
                out.push_str(rest);
            }
            _ => out.push_str(&text),
        }
        previous = Some(item);
    }
    let trailing: Vec<_> = comments.collect();
    if !trailing.is_empty() && previous.is_some() {
        out.push('\n');
    }
    for c in trailing {
        let _ = writeln!(out, "#{}", c.text);
    }
    out
}

/// Prints one item, followed by a line break.
pub fn print_item(out: &mut String, item: &Item) {
    match item {
        Item::Include(i) => {
            let _ = writeln!(out, "include {}", quote(&i.path.value));
        }
        Item::List(l) => {
            let _ = writeln!(out, "list {} {{", l.name.name);
            opt_str(out, "title", &l.title);
            opt_str(out, "authority", &l.authority);
            opt_str(out, "url", &l.url);
            opt_str(out, "as_of", &l.as_of);
            opt_str(out, "source", &l.source);
            many_str(out, "basis", &l.basis);
            out.push_str("}\n");
        }
        Item::Category(c) => print_category(out, c),
        Item::Entity(e) => print_entity(out, e),
        Item::Set(s) => {
            let kind = match s.kind {
                SetKind::Countries => "countries",
                SetKind::Places => "places",
                SetKind::Categories => "categories",
            };
            let head = format!("set {kind} {} = ", s.name.name);
            // Place names read better quoted alike; codes and ids read better bare.
            let items = match s.kind {
                SetKind::Places => string_list(&s.items),
                _ => word_list(&s.items),
            };
            wrapped(out, &head, &items, "  ");
        }
        Item::Rule(r) => {
            let _ = writeln!(out, "rule {} {{", r.name.name);
            opt_str(out, "title", &r.title);
            many_str(out, "basis", &r.basis);
            let _ = writeln!(out, "  when {}", expr(&r.when));
            let _ = writeln!(
                out,
                "  then {} {}",
                r.then.decision.as_str(),
                quote(&r.then.reason.value)
            );
            out.push_str("}\n");
        }
        Item::Allow(a) => {
            let _ = writeln!(out, "allow {} {{", a.name.name);
            if let Some(id) = &a.entity {
                let _ = writeln!(out, "  entity {}", entity_id(id));
            }
            opt_str(out, "name", &a.party);
            if let Some(c) = &a.country {
                let _ = writeln!(out, "  country {}", word(&c.value));
            }
            opt_str(out, "because", &a.because);
            opt_str(out, "expires", &a.expires);
            out.push_str("}\n");
        }
        Item::Rates(r) => {
            out.push_str("rates {\n");
            opt_str(out, "as_of", &r.as_of);
            opt_str(out, "source", &r.source);
            for rate in &r.rates {
                let _ = writeln!(
                    out,
                    "  rate {} {}",
                    rate.currency.name,
                    number(rate.usd.value)
                );
            }
            out.push_str("}\n");
        }
    }
}

fn print_category(out: &mut String, c: &Category) {
    let _ = writeln!(out, "category {} {{", c.name.name);
    opt_str(out, "title", &c.title);
    if !c.tags.is_empty() {
        wrapped(out, "  tags ", &word_list(&c.tags), "    ");
    }
    many_str(out, "basis", &c.basis);
    for g in &c.terms {
        let mut head = "  terms ".to_string();
        if g.strength == Strength::Weak {
            head.push_str("weak ");
        }
        if let Some(lang) = &g.lang {
            let _ = write!(head, "{} ", lang.name);
        }
        wrapped(out, &head, &string_list(&g.terms), "    ");
    }
    for g in &c.hs {
        let head = if g.strength == Strength::Weak {
            "  hs weak "
        } else {
            "  hs "
        };
        wrapped(out, head, &code_list(&g.codes), "    ");
    }
    for x in &c.exclusions {
        match x {
            Exclusion::Terms { terms, .. } => {
                wrapped(out, "  exclude ", &string_list(terms), "    ")
            }
            Exclusion::Hs { codes: c, .. } => wrapped(out, "  exclude hs ", &code_list(c), "    "),
        }
    }
    if let Some(t) = &c.threshold {
        let _ = writeln!(out, "  threshold {}", money(&t.above));
    }
    out.push_str("}\n");
}

fn print_entity(out: &mut String, e: &Entity) {
    let _ = writeln!(out, "entity {} {{", entity_id(&e.id));
    if let Some(k) = &e.kind {
        let _ = writeln!(out, "  kind {}", k.name);
    }
    opt_str(out, "name", &e.name);
    for a in &e.aliases {
        out.push_str("  alias ");
        match a.relation {
            AliasRelation::Aka => {}
            AliasRelation::Fka => out.push_str("fka "),
            AliasRelation::Nka => out.push_str("nka "),
        }
        if a.strength == Strength::Weak {
            out.push_str("weak ");
        }
        let _ = writeln!(out, "{}", quote(&a.name.value));
    }
    if !e.countries.is_empty() {
        wrapped(out, "  country ", &word_list(&e.countries), "    ");
    }
    if !e.nationalities.is_empty() {
        wrapped(out, "  nationality ", &word_list(&e.nationalities), "    ");
    }
    if !e.programs.is_empty() {
        wrapped(out, "  program ", &word_list(&e.programs), "    ");
    }
    for id in &e.identifiers {
        let _ = write!(
            out,
            "  identifier {} {}",
            id.scheme.name,
            quote(&id.value.value)
        );
        if let Some(note) = &id.note {
            let _ = write!(out, " {}", quote(&note.value));
        }
        out.push('\n');
    }
    many_str(out, "address", &e.addresses);
    many_str(out, "born", &e.born);
    many_str(out, "birthplace", &e.birthplaces);
    many_str(out, "position", &e.positions);
    opt_str(out, "listed", &e.listed);
    many_str(out, "remark", &e.remarks);
    out.push_str("}\n");
}

/// Widest line the printer aims for; longer comma lists continue on the next line.
const WIDTH: usize = 100;

/// `head` followed by `items` joined with ", ", wrapped greedily after commas at
/// [`WIDTH`] with continuation lines indented by `indent`. Ends with a line break.
fn wrapped(out: &mut String, head: &str, items: &[String], indent: &str) {
    let mut line = head.to_string();
    for (k, item) in items.iter().enumerate() {
        let sep = if k + 1 < items.len() { "," } else { "" };
        let first_on_line = k == 0;
        if !first_on_line && line.chars().count() + 1 + item.chars().count() + sep.len() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.to_string();
        } else if !first_on_line {
            line.push(' ');
        }
        line.push_str(item);
        line.push_str(sep);
    }
    out.push_str(&line);
    out.push('\n');
}

fn word_list(values: &[Text]) -> Vec<String> {
    values.iter().map(|t| word(&t.value)).collect()
}

fn string_list(values: &[Text]) -> Vec<String> {
    values.iter().map(|t| quote(&t.value)).collect()
}

fn code_list(values: &[HsPrefix]) -> Vec<String> {
    values.iter().map(|c| hs_dotted(&c.digits)).collect()
}

fn opt_str(out: &mut String, key: &str, value: &Option<Text>) {
    if let Some(v) = value {
        let _ = writeln!(out, "  {key} {}", quote(&v.value));
    }
}

fn many_str(out: &mut String, key: &str, values: &[Text]) {
    for v in values {
        let _ = writeln!(out, "  {key} {}", quote(&v.value));
    }
}

/// A string literal with escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` can be written as a bare identifier.
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn word(s: &str) -> String {
    if is_ident(s) {
        s.to_string()
    } else {
        quote(s)
    }
}

fn words(values: &[Text]) -> String {
    values
        .iter()
        .map(|t| word(&t.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn idents(values: &[Ident]) -> String {
    values
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An HS code in the usual dotted form: `8711.50`, `8703.24.00.10`.
pub fn hs_dotted(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + 3);
    for (k, c) in digits.chars().enumerate() {
        if k >= 4 && k % 2 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn number(n: f64) -> String {
    // `Display` for f64 is the shortest text that reads back to the same value, and
    // never uses an exponent, so it is valid in the language.
    format!("{n}")
}

fn money(m: &Money) -> String {
    format!("{} {}", m.currency.name, number(m.amount.value))
}

/// `LIST:ID`, quoting the id when it holds characters a bare id cannot.
pub fn entity_id(id: &EntityId) -> String {
    let bare = !id.local.is_empty()
        && id
            .local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    if bare {
        format!("{}:{}", id.list.name, id.local)
    } else {
        format!("{}:{}", id.list.name, quote(&id.local))
    }
}

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

fn filter(f: &EntityFilter) -> String {
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
        Some(n) => format!(" score >= {}", number(n.value)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs_codes_print_dotted() {
        assert_eq!(hs_dotted("87"), "87");
        assert_eq!(hs_dotted("8703"), "8703");
        assert_eq!(hs_dotted("871150"), "8711.50");
        assert_eq!(hs_dotted("8703240010"), "8703.24.00.10");
    }

    #[test]
    fn quoting_escapes_what_the_parser_unescapes() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
        assert_eq!(quote("\u{1}"), "\"\\u{1}\"");
    }
}
