//! Where the comments inside an item go when it is printed.
//!
//! An item prints its properties in a fixed order, which need not be the order they
//! were written in, so a comment is attached to a property rather than to a place in
//! the text: a comment on a line of its own goes with the property after it (or to
//! the end of the block, after the last), a comment that ends a line with the
//! property before it, and a comment inside a property (between the members of a
//! list, between the lines of a condition) with that property.

use crate::rules::ast::Comment;
use crate::rules::span::Span;

/// Which property of an item a comment goes with, by its index in printing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// At the end of the item's first line (`category x {  # note`).
    Head,
    /// On its own line before the property.
    Before(usize),
    /// Inside the property.
    Inside(usize),
    /// At the end of the property's last line.
    After(usize),
    /// On its own line before the closing `}`.
    End,
}

/// The comments of one item, each with its place.
#[derive(Debug, Default)]
pub(super) struct Notes<'c> {
    placed: Vec<(Place, &'c Comment)>,
}

impl<'c> Notes<'c> {
    /// Places `comments` (in source order) among `props`, the source spans of the
    /// item's properties in printing order.
    pub(super) fn new(comments: &[&'c Comment], props: &[Span]) -> Notes<'c> {
        let placed = comments.iter().map(|&c| (place_of(c, props), c)).collect();
        Notes { placed }
    }

    /// The comments at `place`, in source order.
    pub(super) fn at(&self, place: Place) -> impl Iterator<Item = &'c Comment> + '_ {
        self.placed
            .iter()
            .filter(move |(p, _)| *p == place)
            .map(|(_, c)| *c)
    }

    /// The comments inside property `k`, in source order.
    pub(super) fn inside(&self, k: usize) -> Vec<&'c Comment> {
        self.at(Place::Inside(k)).collect()
    }

    /// Whether there is no comment at all.
    pub(super) fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }
}

fn place_of(c: &Comment, props: &[Span]) -> Place {
    let at = c.span.start;
    // An absent property has an empty span, and no place in the text.
    let props = props.iter().map(|s| Some(*s).filter(|s| s.start < s.end));
    let props: Vec<Option<Span>> = props.collect();
    if let Some(k) = props
        .iter()
        .position(|s| s.is_some_and(|s| s.start < at && at < s.end))
    {
        return Place::Inside(k);
    }
    if c.trailing {
        // The property whose text ends last before it: the comment ends its line.
        let mut best: Option<(usize, usize)> = None;
        for (k, s) in props.iter().enumerate() {
            let Some(s) = s else { continue };
            if s.end <= at && best.is_none_or(|(_, end)| s.end >= end) {
                best = Some((k, s.end));
            }
        }
        return best.map_or(Place::Head, |(k, _)| Place::After(k));
    }
    // The property written first after it.
    let mut best: Option<(usize, usize)> = None;
    for (k, s) in props.iter().enumerate() {
        let Some(s) = s else { continue };
        if s.start > at && best.is_none_or(|(_, start)| s.start < start) {
            best = Some((k, s.start));
        }
    }
    best.map_or(Place::End, |(k, _)| Place::Before(k))
}

/// Writes `c` on a line of its own after `indent`, and the empty line after it when it
/// had one.
pub(super) fn own_line(out: &mut String, indent: &str, c: &Comment) {
    out.push_str(indent);
    out.push('#');
    out.push_str(&c.text);
    out.push('\n');
    if c.blank_after {
        out.push('\n');
    }
}

/// Writes `c` at the end of the last line of `out` (which ends with a line break), or,
/// when a comment already ends that line (two comments written on two lines that print
/// as one, as `entity # a` then `un:X { # b`), on a line of its own after it: a second
/// `#` on the line would read back as part of the first comment.
pub(super) fn end_of_line(out: &mut String, c: &Comment) {
    let line_start = out.trim_end_matches('\n').rfind('\n').map_or(0, |k| k + 1);
    let line = out.get(line_start..).unwrap_or_default();
    if let Some(at) = comment_at(line) {
        let mut indent: String = line.chars().take_while(|c| *c == ' ').collect();
        // After a block's opening line, the comment is the block's, indented as its
        // properties are.
        if line
            .get(..at)
            .is_some_and(|code| code.trim_end().ends_with('{'))
        {
            indent.push_str("  ");
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&indent);
        out.push('#');
        out.push_str(&c.text);
        out.push('\n');
        return;
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out.push_str("  #");
    out.push_str(&c.text);
    out.push('\n');
}

/// Where a printed line's comment starts: its first `#` outside quoted strings.
fn comment_at(line: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (k, ch) in line.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return Some(k),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::span::FileId;

    #[test]
    fn a_second_comment_for_one_line_goes_on_its_own_line() {
        let mut out = String::from("entity un:X {\n");
        end_of_line(&mut out, &comment(0, true));
        end_of_line(&mut out, &comment(1, true));
        assert_eq!(out, "entity un:X {  #\n  #\n");
        let mut out = String::from("  remark \"#not a comment\"\n");
        end_of_line(&mut out, &comment(0, true));
        assert_eq!(out, "  remark \"#not a comment\"  #\n");
    }

    fn comment(at: usize, trailing: bool) -> Comment {
        Comment {
            text: String::new(),
            trailing,
            blank_after: false,
            span: Span::new(FileId(0), at, at + 1),
        }
    }

    #[test]
    fn comments_go_with_the_property_written_next_to_them() {
        let sp = |a, b| Span::new(FileId(0), a, b);
        // Printed in another order than written: the second is written first.
        let props = [sp(50, 60), sp(10, 20), sp(30, 45)];
        assert_eq!(place_of(&comment(5, false), &props), Place::Before(1));
        assert_eq!(place_of(&comment(25, false), &props), Place::Before(2));
        assert_eq!(place_of(&comment(25, true), &props), Place::After(1));
        assert_eq!(place_of(&comment(40, false), &props), Place::Inside(2));
        assert_eq!(place_of(&comment(70, false), &props), Place::End);
        assert_eq!(place_of(&comment(70, true), &props), Place::After(0));
        assert_eq!(place_of(&comment(5, true), &props), Place::Head);
    }
}
