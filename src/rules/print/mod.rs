//! Syntax tree -> canonical text.
//!
//! The canonical form is what `embargo fmt` writes and what the importers generate:
//! two-space indentation, one property per line in a fixed order per item, lists
//! wrapped after commas and conditions broken before `and` and `or` past
//! [`WIDTH`] columns, strings escaped, bare words where a word needs no quotes, and
//! numbers as written. Comments stay where they were written (see `notes`), with
//! an empty line after a comment that had one. It is built so that
//! `parse(print(tree)) == tree` for every tree the parser can produce, and printing
//! is idempotent.

use std::fmt::Write as _;

use super::ast::*;
use super::span::Span;
use crate::text::script::is_spaceless;

mod expr;
mod notes;

pub use expr::{expr, filter, layout};
use notes::{end_of_line, own_line, Notes, Place};

/// Widest line the printer aims for, in columns (a CJK character takes two): longer
/// comma lists continue on the next line, longer conditions break before `and` and
/// `or`. A single string or test longer than this stays whole.
pub const WIDTH: usize = 100;

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
        // A comment that ends the previous item's last line stays there.
        if previous.is_some() {
            while let Some(c) = leading.first().filter(|c| c.trailing) {
                end_of_line(&mut out, c);
                leading.remove(0);
            }
        }
        // Blank lines between blocks; consecutive one-liners of the same kind stay
        // together.
        if let Some(prev) = previous {
            let one_liners = matches!(
                (prev, item),
                (Item::Include(_), Item::Include(_)) | (Item::Set(_), Item::Set(_))
            );
            if (!one_liners || !leading.is_empty()) && !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        for c in leading {
            own_line(&mut out, "", c);
        }
        print_item_with(&mut out, item, &inner);
        previous = Some(item);
    }
    let mut trailing: Vec<_> = comments.collect();
    if previous.is_some() {
        while let Some(c) = trailing.first().filter(|c| c.trailing) {
            end_of_line(&mut out, c);
            trailing.remove(0);
        }
        if !trailing.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
    for c in trailing {
        own_line(&mut out, "", c);
    }
    out
}

/// Prints one item, followed by a line break.
pub fn print_item(out: &mut String, item: &Item) {
    print_item_with(out, item, &[]);
}

/// Prints one item with `comments`, the comments written inside it.
fn print_item_with(out: &mut String, item: &Item, comments: &[&Comment]) {
    let mut b = Block {
        out,
        notes: Notes::default(),
    };
    match item {
        Item::Include(i) => {
            for c in comments.iter().filter(|c| !c.trailing) {
                own_line(b.out, "", c);
            }
            let _ = writeln!(b.out, "include {}", quote(&i.path.value));
            for c in comments.iter().filter(|c| c.trailing) {
                end_of_line(b.out, c);
            }
        }
        Item::List(l) => {
            let props = [
                opt_span(&l.title),
                opt_span(&l.authority),
                opt_span(&l.url),
                opt_span(&l.as_of),
                opt_span(&l.source),
            ];
            let props: Vec<Span> = props
                .into_iter()
                .chain(spans(&l.basis))
                .chain([l.entities.as_ref().map(|n| n.span).unwrap_or_default()])
                .collect();
            b.open(format!("list {} {{", l.name.name), comments, &props);
            let mut k = 0..;
            b.opt_str(&mut k, "title", &l.title);
            b.opt_str(&mut k, "authority", &l.authority);
            b.opt_str(&mut k, "url", &l.url);
            b.opt_str(&mut k, "as_of", &l.as_of);
            b.opt_str(&mut k, "source", &l.source);
            b.many_str(&mut k, "basis", &l.basis);
            if let Some(n) = &l.entities {
                let at = k.next().unwrap_or_default();
                b.line(at, format!("  entities {}", n.text));
            }
            b.close();
        }
        Item::Category(c) => print_category(&mut b, c, comments),
        Item::Entity(e) => print_entity(&mut b, e, comments),
        Item::Set(s) => {
            let kind = match s.kind {
                SetKind::Countries => "countries",
                SetKind::Places => "places",
                SetKind::Categories => "categories",
            };
            let op = if s.extends { "+=" } else { "=" };
            let head = format!("set {kind} {} {op} ", s.name.name);
            // Place names read better quoted alike; codes and ids read better bare.
            let items = match s.kind {
                SetKind::Places => string_list(&s.items),
                _ => word_list(&s.items),
            };
            // A set is one property: every comment in it stands among its members.
            let items = with_spans(items, &s.items);
            wrapped(b.out, &head, &items, "  ", comments, "");
        }
        Item::Rule(r) => {
            let props: Vec<Span> = [opt_span(&r.title)]
                .into_iter()
                .chain(spans(&r.basis))
                .chain([r.when.span(), r.then.span])
                .collect();
            b.open(format!("rule {} {{", r.name.name), comments, &props);
            let mut k = 0..;
            b.opt_str(&mut k, "title", &r.title);
            b.many_str(&mut k, "basis", &r.basis);
            let when = k.next().unwrap_or_default();
            b.before(when);
            let mut inside = expr::Notes {
                comments: b.notes.inside(when),
                next: 0,
            };
            let _ = writeln!(
                b.out,
                "  when {}",
                expr::layout_with(&r.when, 7, 4, 0, &mut inside)
            );
            // Comments inside the last test, after it.
            for c in inside.rest() {
                if c.trailing {
                    end_of_line(b.out, c);
                } else {
                    own_line(b.out, "  ", c);
                }
            }
            b.after(when);
            let then = k.next().unwrap_or_default();
            b.before(then);
            let _ = writeln!(
                b.out,
                "  then {} {}",
                r.then.decision.as_str(),
                quote(&r.then.reason.value)
            );
            b.inside_after(then);
            b.after(then);
            b.close();
        }
        Item::Allow(a) => {
            let props = [
                a.entities.first().map(|e| e.span),
                a.party.as_ref().map(|t| t.span),
                a.country.as_ref().map(|t| t.span),
                a.because.as_ref().map(|t| t.span),
                a.by.as_ref().map(|t| t.span),
                a.on.as_ref().map(|t| t.span),
                a.expires.as_ref().map(|t| t.span),
            ]
            .map(Option::unwrap_or_default);
            b.open(format!("allow {} {{", a.name.name), comments, &props);
            let mut k = 0..;
            let at = k.next().unwrap_or_default();
            if !a.entities.is_empty() {
                let ids = a.entities.iter().map(|e| (entity_id(e), e.span)).collect();
                b.list(at, "  entity ", ids);
            }
            b.opt_str(&mut k, "name", &a.party);
            let at = k.next().unwrap_or_default();
            if let Some(c) = &a.country {
                b.line(at, format!("  country {}", word(&c.value)));
            }
            b.opt_str(&mut k, "because", &a.because);
            b.opt_str(&mut k, "by", &a.by);
            b.opt_str(&mut k, "on", &a.on);
            b.opt_str(&mut k, "expires", &a.expires);
            b.close();
        }
        Item::Rates(r) => {
            let props: Vec<Span> = [opt_span(&r.as_of), opt_span(&r.source)]
                .into_iter()
                .chain(r.rates.iter().map(|rate| rate.span))
                .collect();
            b.open("rates {".to_string(), comments, &props);
            let mut k = 0..;
            b.opt_str(&mut k, "as_of", &r.as_of);
            b.opt_str(&mut k, "source", &r.source);
            for rate in &r.rates {
                let at = k.next().unwrap_or_default();
                b.line(
                    at,
                    format!("  rate {} {}", rate.currency.name, rate.usd.text),
                );
            }
            b.close();
        }
    }
}

fn print_category<'c>(b: &mut Block<'_, 'c>, c: &Category, comments: &[&'c Comment]) {
    let exclusion_span = |x: &Exclusion| match x {
        Exclusion::Terms { span, .. } | Exclusion::Hs { span, .. } => *span,
    };
    let props: Vec<Span> = [opt_span(&c.title), list_span(&c.tags)]
        .into_iter()
        .chain(spans(&c.basis))
        .chain(c.terms.iter().map(|g| g.span))
        .chain(c.hs.iter().map(|g| g.span))
        .chain(c.exclusions.iter().map(exclusion_span))
        .chain([c.threshold.as_ref().map(|t| t.span).unwrap_or_default()])
        .collect();
    b.open(format!("category {} {{", c.name.name), comments, &props);
    let mut k = 0..;
    b.opt_str(&mut k, "title", &c.title);
    let at = k.next().unwrap_or_default();
    if !c.tags.is_empty() {
        b.list(at, "  tags ", with_spans(word_list(&c.tags), &c.tags));
    }
    b.many_str(&mut k, "basis", &c.basis);
    for g in &c.terms {
        let mut head = "  terms ".to_string();
        if g.strength == Strength::Weak {
            head.push_str("weak ");
        }
        if let Some(lang) = &g.lang {
            let _ = write!(head, "{} ", lang.name);
        }
        let at = k.next().unwrap_or_default();
        b.list(at, &head, with_spans(string_list(&g.terms), &g.terms));
    }
    for g in &c.hs {
        let head = if g.strength == Strength::Weak {
            "  hs weak "
        } else {
            "  hs "
        };
        let at = k.next().unwrap_or_default();
        b.list(at, head, code_list(&g.codes));
    }
    for x in &c.exclusions {
        let at = k.next().unwrap_or_default();
        match x {
            Exclusion::Terms { terms, .. } => {
                b.list(at, "  exclude ", with_spans(string_list(terms), terms));
            }
            Exclusion::Hs { codes, .. } => b.list(at, "  exclude hs ", code_list(codes)),
        }
    }
    let at = k.next().unwrap_or_default();
    if let Some(t) = &c.threshold {
        b.line(at, format!("  threshold {}", money(&t.above)));
    }
    b.close();
}

fn print_entity<'c>(b: &mut Block<'_, 'c>, e: &Entity, comments: &[&'c Comment]) {
    let props: Vec<Span> = [
        e.kind.as_ref().map(|k| k.span).unwrap_or_default(),
        opt_span(&e.name),
    ]
    .into_iter()
    .chain(e.aliases.iter().map(|a| a.span))
    .chain([
        list_span(&e.countries),
        list_span(&e.nationalities),
        list_span(&e.programs),
    ])
    .chain(e.identifiers.iter().map(|i| i.span))
    .chain(spans(&e.addresses))
    .chain(spans(&e.born))
    .chain(spans(&e.birthplaces))
    .chain(spans(&e.positions))
    .chain([opt_span(&e.listed)])
    .chain(spans(&e.remarks))
    .collect();
    b.open(format!("entity {} {{", entity_id(&e.id)), comments, &props);
    let mut k = 0..;
    let at = k.next().unwrap_or_default();
    if let Some(kind) = &e.kind {
        b.line(at, format!("  kind {}", kind.name));
    }
    b.opt_str(&mut k, "name", &e.name);
    for a in &e.aliases {
        let mut line = String::from("  alias ");
        match a.relation {
            AliasRelation::Aka => {}
            AliasRelation::Fka => line.push_str("fka "),
            AliasRelation::Nka => line.push_str("nka "),
        }
        if a.strength == Strength::Weak {
            line.push_str("weak ");
        }
        line.push_str(&quote(&a.name.value));
        let at = k.next().unwrap_or_default();
        b.line(at, line);
    }
    for (key, values) in [
        ("  country ", &e.countries),
        ("  nationality ", &e.nationalities),
        ("  program ", &e.programs),
    ] {
        let at = k.next().unwrap_or_default();
        if !values.is_empty() {
            b.list(at, key, with_spans(word_list(values), values));
        }
    }
    for id in &e.identifiers {
        let mut line = format!("  identifier {} {}", id.scheme.name, quote(&id.value.value));
        if let Some(note) = &id.note {
            let _ = write!(line, " {}", quote(&note.value));
        }
        let at = k.next().unwrap_or_default();
        b.line(at, line);
    }
    b.many_str(&mut k, "address", &e.addresses);
    b.many_str(&mut k, "born", &e.born);
    b.many_str(&mut k, "birthplace", &e.birthplaces);
    b.many_str(&mut k, "position", &e.positions);
    b.opt_str(&mut k, "listed", &e.listed);
    b.many_str(&mut k, "remark", &e.remarks);
    b.close();
}

/// An item being printed as a block, with the comments written inside it.
struct Block<'o, 'c> {
    out: &'o mut String,
    notes: Notes<'c>,
}

impl<'c> Block<'_, 'c> {
    /// Writes the first line, `head`, and places `comments` among `props`, the source
    /// spans of the properties in the order they will be printed.
    fn open(&mut self, head: String, comments: &[&'c Comment], props: &[Span]) {
        self.notes = if comments.is_empty() {
            Notes::default()
        } else {
            Notes::new(comments, props)
        };
        self.out.push_str(&head);
        self.out.push('\n');
        for c in self.notes.at(Place::Head) {
            end_of_line(self.out, c);
        }
    }

    /// The comments that go before property `k`.
    fn before(&mut self, k: usize) {
        if self.notes.is_empty() {
            return;
        }
        for c in self.notes.at(Place::Before(k)) {
            own_line(self.out, "  ", c);
        }
    }

    /// The comments that end property `k`'s last line.
    fn after(&mut self, k: usize) {
        if self.notes.is_empty() {
            return;
        }
        for c in self.notes.at(Place::After(k)) {
            end_of_line(self.out, c);
        }
    }

    /// The comments inside property `k`, which prints as one line, written after it.
    fn inside_after(&mut self, k: usize) {
        if self.notes.is_empty() {
            return;
        }
        for c in self.notes.at(Place::Inside(k)) {
            if c.trailing {
                end_of_line(self.out, c);
            } else {
                own_line(self.out, "  ", c);
            }
        }
    }

    /// Property `k`, printed as the one line `line`.
    fn line(&mut self, k: usize, line: String) {
        self.before(k);
        self.out.push_str(&line);
        self.out.push('\n');
        self.inside_after(k);
        self.after(k);
    }

    /// Property `k`, `head` followed by a list wrapped at [`WIDTH`].
    fn list(&mut self, k: usize, head: &str, items: Vec<(String, Span)>) {
        self.before(k);
        let inside = if self.notes.is_empty() {
            Vec::new()
        } else {
            self.notes.inside(k)
        };
        wrapped(self.out, head, &items, "    ", &inside, "  ");
        self.after(k);
    }

    /// An optional string property, the next in `k`.
    fn opt_str(&mut self, k: &mut std::ops::RangeFrom<usize>, key: &str, value: &Option<Text>) {
        let at = k.next().unwrap_or_default();
        if let Some(v) = value {
            self.line(at, format!("  {key} {}", quote(&v.value)));
        }
    }

    /// A repeated string property, one line each, the next in `k`.
    fn many_str(&mut self, k: &mut std::ops::RangeFrom<usize>, key: &str, values: &[Text]) {
        for v in values {
            let at = k.next().unwrap_or_default();
            self.line(at, format!("  {key} {}", quote(&v.value)));
        }
    }

    /// The comments at the end of the block, and its closing line.
    fn close(&mut self) {
        for c in self.notes.at(Place::End) {
            own_line(self.out, "  ", c);
        }
        self.out.push_str("}\n");
    }
}

/// `head` followed by `items` joined with ", ", wrapped greedily after commas at
/// [`WIDTH`] with continuation lines indented by `indent`, and `comments` (written
/// between the items, by their spans) where they stand; any after the last item go
/// after the list, on lines of their own at `after`. Ends with a line break.
fn wrapped(
    out: &mut String,
    head: &str,
    items: &[(String, Span)],
    indent: &str,
    comments: &[&Comment],
    after: &str,
) {
    let mut comments = comments.iter().peekable();
    let mut line = head.to_string();
    // Whether the line holds no item yet: the next goes on it whatever its width.
    let mut fresh = true;
    let flush = |out: &mut String, line: &mut String| {
        out.push_str(line.trim_end());
        out.push('\n');
        *line = indent.to_string();
    };
    for (k, (item, span)) in items.iter().enumerate() {
        while let Some(c) = comments.next_if(|c| c.span.start < span.start) {
            if c.trailing {
                line.truncate(line.trim_end().len());
                line.push_str("  #");
                line.push_str(&c.text);
            } else {
                if !fresh || k == 0 {
                    flush(out, &mut line);
                }
                line.push('#');
                line.push_str(&c.text);
            }
            flush(out, &mut line);
            if c.blank_after && !c.trailing {
                out.push('\n');
            }
            fresh = true;
        }
        let sep = if k + 1 < items.len() { "," } else { "" };
        if !fresh && width(&line) + 1 + width(item) + sep.len() > WIDTH {
            flush(out, &mut line);
        } else if !fresh {
            line.push(' ');
        }
        line.push_str(item);
        line.push_str(sep);
        fresh = false;
    }
    out.push_str(&line);
    out.push('\n');
    for c in comments {
        if c.trailing {
            end_of_line(out, c);
        } else {
            own_line(out, after, c);
        }
    }
}

/// How many columns `s` takes on a screen: two for a character of a script written
/// without spaces (CJK, kana, Hangul), which are drawn twice as wide, one for others.
fn width(s: &str) -> usize {
    s.chars().map(|c| 1 + usize::from(is_spaceless(c))).sum()
}

/// The span of an optional property, or an empty one.
fn opt_span(t: &Option<Text>) -> Span {
    t.as_ref().map(|t| t.span).unwrap_or_default()
}

/// The spans of a repeated property, one per line.
fn spans(values: &[Text]) -> impl Iterator<Item = Span> + '_ {
    values.iter().map(|t| t.span)
}

/// The span of a list property, from its first member to its last.
fn list_span(values: &[Text]) -> Span {
    match (values.first(), values.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    }
}

fn with_spans(printed: Vec<String>, values: &[Text]) -> Vec<(String, Span)> {
    printed.into_iter().zip(spans(values)).collect()
}

fn word_list(values: &[Text]) -> Vec<String> {
    values.iter().map(|t| word(&t.value)).collect()
}

fn string_list(values: &[Text]) -> Vec<String> {
    values.iter().map(|t| quote(&t.value)).collect()
}

fn code_list(values: &[HsPrefix]) -> Vec<(String, Span)> {
    values
        .iter()
        .map(|c| (hs_dotted(&c.digits), c.span))
        .collect()
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

fn money(m: &Money) -> String {
    format!("{} {}", m.currency.name, m.amount.text)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parser;
    use crate::rules::span::FileId;

    fn fmt(text: &str) -> String {
        let (file, diags) = parser::parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        print_file(&file)
    }

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

    #[test]
    fn numbers_are_printed_as_written() {
        let text = "rates {\n  rate EUR 1.10\n  rate XAU 2_650.50\n}\n";
        assert_eq!(fmt(text), text);
    }

    #[test]
    fn comments_stay_with_what_they_were_written_next_to() {
        // `hs` is printed after `terms`: its comment goes with it.
        let text = "\
# Header.

# Section.
category c {  # head
  title \"C\"
  basis \"B\"
  # Codes.
  hs 87  # chapter
  terms \"a\",
    # Brands.
    \"b\",  # the b
    \"c\"
  # Closing.
}
";
        let want = "\
# Header.

# Section.
category c {  # head
  title \"C\"
  basis \"B\"
  terms \"a\",
    # Brands.
    \"b\",  # the b
    \"c\"
  # Codes.
  hs 87  # chapter
  # Closing.
}
";
        assert_eq!(fmt(text), want);
        assert_eq!(fmt(want), want);
    }
}
