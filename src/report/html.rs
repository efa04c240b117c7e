//! The report page: figures and SVG charts written here, the worklist table drawn by
//! the page's script from the embedded data. Every text from the decisions is escaped
//! here, or set as text (never as markup) by the script.

use std::fmt::Write;

use super::{Counts, Report};

const TEMPLATE: &str = include_str!("template.html");
const CSS: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A horizontal bar chart of `items` (label, value, css class), largest first as given.
fn bars(title: &str, items: &[(String, u64, &str)], empty: &str) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart\"><figcaption>{}</figcaption>",
        esc(title)
    );
    if items.is_empty() {
        let _ = write!(svg, "<p class=\"empty\">{}</p></figure>", esc(empty));
        return svg;
    }
    let max = items.iter().map(|i| i.1).max().unwrap_or(1).max(1);
    let row = 22;
    let height = row * items.len() + 4;
    let _ = write!(
        svg,
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 520 {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">",
        esc(title)
    );
    for (k, (label, value, class)) in items.iter().enumerate() {
        let y = k * row + 2;
        let w = (*value as f64 / max as f64 * 250.0).max(1.0);
        let shown: String = label.chars().take(34).collect();
        let _ = write!(
            svg,
            "<g><title>{}: {}</title><text x=\"0\" y=\"{}\" class=\"label\">{}</text><rect x=\"210\" y=\"{}\" width=\"{w:.1}\" height=\"16\" class=\"{class}\"></rect><text x=\"{:.1}\" y=\"{}\" class=\"value\">{}</text></g>",
            esc(label),
            value,
            y + 13,
            esc(&shown),
            y,
            210.0 + w + 4.0,
            y + 13,
            thousands(*value)
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// Stacked columns of decisions per slice of time or of the file.
fn columns(title: &str, slices: &[super::Slice]) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart wide\"><figcaption>{}</figcaption>",
        esc(title)
    );
    if slices.is_empty() {
        svg.push_str("<p class=\"empty\">No decisions.</p></figure>");
        return svg;
    }
    let max = slices
        .iter()
        .map(|s| s.counts.total())
        .max()
        .unwrap_or(1)
        .max(1);
    let width = 1000.0;
    let col = width / slices.len() as f64;
    let _ = write!(
        svg,
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 1000 200\" width=\"100%\" preserveAspectRatio=\"none\">",
        esc(title)
    );
    for (k, s) in slices.iter().enumerate() {
        let x = k as f64 * col;
        let mut y = 180.0;
        let _ = write!(
            svg,
            "<g><title>{}: {} block, {} review, {} clear</title>",
            esc(&s.label),
            s.counts.block,
            s.counts.review,
            s.counts.clear
        );
        for (n, class) in [
            (s.counts.clear, "clear"),
            (s.counts.review, "review"),
            (s.counts.block, "block"),
        ] {
            let h = n as f64 / max as f64 * 170.0;
            if n > 0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" class=\"{class}\"></rect>",
                    x + 1.0,
                    y - h,
                    (col - 2.0).max(0.5),
                    h.max(0.5)
                );
            }
            y -= h;
        }
        svg.push_str("</g>");
    }
    let first = slices.first().map(|s| s.label.as_str()).unwrap_or("");
    let last = slices.last().map(|s| s.label.as_str()).unwrap_or("");
    let _ = write!(
        svg,
        "<text x=\"2\" y=\"196\" class=\"label\">{}</text><text x=\"998\" y=\"196\" class=\"label\" text-anchor=\"end\">{}</text></svg></figure>",
        esc(first),
        esc(last)
    );
    svg
}

fn tile(id: &str, label: &str, n: u64, class: &str) -> String {
    format!(
        "<div class=\"tile {class}\"><span class=\"n\" id=\"count-{id}\" data-count=\"{n}\">{}</span><span class=\"what\">{}</span></div>",
        thousands(n),
        esc(label)
    )
}

fn decision_bars(c: &Counts) -> Vec<(String, u64, &'static str)> {
    vec![
        ("block".to_string(), c.block, "block"),
        ("review".to_string(), c.review, "review"),
        ("clear".to_string(), c.clear, "clear"),
    ]
}

fn top(
    map: &std::collections::BTreeMap<String, u64>,
    n: usize,
) -> Vec<(String, u64, &'static str)> {
    let mut v: Vec<(String, u64, &'static str)> =
        map.iter().map(|(k, v)| (k.clone(), *v, "bar")).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// The whole page.
pub(crate) fn render(r: &Report) -> String {
    let c = &r.counts;
    let mut tiles = String::new();
    tiles.push_str(&tile("total", "decisions", c.total(), "total"));
    tiles.push_str(&tile("block", "blocked", c.block, "block"));
    tiles.push_str(&tile("review", "held for review", c.review, "review"));
    tiles.push_str(&tile("clear", "cleared", c.clear, "clear"));
    if r.rescreened > 0 {
        tiles.push_str(&tile(
            "changed",
            "changed by a re-screen",
            r.rescreened,
            "changed",
        ));
    }

    let mut notes = String::new();
    if !r.rejected.is_empty() {
        let _ = write!(
            notes,
            "<div class=\"warning\" id=\"rejected\"><strong>{} line(s) are not decisions and are not counted:</strong><ul>",
            r.rejected.len()
        );
        for x in r.rejected.iter().take(20) {
            let _ = write!(notes, "<li>line {}: {}</li>", x.line, esc(&x.error));
        }
        notes.push_str("</ul></div>");
    }
    if r.details_left_out > 0 {
        let _ = write!(
            notes,
            "<div class=\"warning\">The evidence of {} orders held or blocked is left out to keep this page small; they are listed, and `embargo report --max-details` embeds more.</div>",
            thousands(r.details_left_out)
        );
    }

    if let Some(note) = r.other_rules_note() {
        let _ = write!(
            notes,
            "<div class=\"warning\" id=\"other-rules\">{}</div>",
            esc(&note)
        );
    }
    if !r.stale_lists.is_empty() {
        let _ = write!(
            notes,
            "<div class=\"warning\" id=\"stale-lists\">Some decisions were made with lists older than the screening's limit (marked stale): {}. Screen again with current lists.</div>",
            esc(&r.stale_list_text())
        );
    }

    let mut provenance = String::new();
    for (h, n) in &r.rulesets {
        let _ = write!(
            provenance,
            "<li>ruleset <code>{}</code>: {} decisions{}</li>",
            esc(h),
            thousands(*n),
            if r.loaded_ruleset.as_deref() == Some(h.as_str()) {
                " (the rules this page read)"
            } else {
                ""
            }
        );
    }
    let versions: Vec<String> = r
        .list_versions
        .keys()
        .map(|v| match r.stale_lists.get(v) {
            Some(age) => format!("{} (stale, {age} days old)", esc(v)),
            None => esc(v),
        })
        .collect();
    if !versions.is_empty() {
        let _ = write!(provenance, "<li>lists: {}</li>", versions.join(", "));
    }

    let rule_bars: Vec<(String, u64, &str)> = r
        .rules
        .iter()
        .take(15)
        .map(|x| (x.id.clone(), x.orders, "bar"))
        .collect();
    let mut charts = String::new();
    charts.push_str(&bars("Decisions", &decision_bars(c), "No decisions."));
    charts.push_str(&bars("Orders by rule fired", &rule_bars, "No rule fired."));
    charts.push_str(&bars(
        "Orders by list of the entities hit",
        &top(&r.lists, 15),
        "No listed entity was hit.",
    ));
    charts.push_str(&bars(
        "Orders held or blocked, by country in their evidence",
        &top(&r.countries, 15),
        "No country named.",
    ));
    let over = if r.by_day {
        "Decisions by day screened".to_string()
    } else {
        "Decisions over the file (lines, in order; decisions carry no time of screening)"
            .to_string()
    };
    charts.push_str(&columns(&over, &r.time));

    // `<` is written as an escape inside the JSON, so no text can close the script.
    let data = serde_json::to_string(r)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c");
    fill(
        TEMPLATE,
        &[
            ("TITLE", &esc(&r.title)),
            ("CSS", CSS),
            ("TILES", &tiles),
            ("NOTES", &notes),
            ("PROVENANCE", &provenance),
            ("CHARTS", &charts),
            ("SCRIPT", SCRIPT),
            ("DATA", &data),
        ],
    )
}

/// Puts each value in place of its `{{KEY}}` in `template`, in one pass over the
/// template only: a value that holds `{{...}}` (a party name, say) is never read as a
/// place to fill.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}").and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (v, close))
        }) {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_grouped() {
        assert_eq!(esc("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn values_are_filled_in_once() {
        assert_eq!(
            fill("<p>{{A}}</p>{{B}}{{C}}", &[("A", "{{B}}"), ("B", "b")]),
            "<p>{{B}}</p>b{{C}}"
        );
    }
}
