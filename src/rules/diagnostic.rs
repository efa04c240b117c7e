//! Diagnostics: what is wrong, where, and how to fix it.
//!
//! Rendered as `FILE:LINE:COL: error: message`, then the offending line with a caret
//! under the fault and an optional `help:` line. The first line is what editors and CI
//! log parsers understand; the rest is for the analyst reading the terminal.

use std::fmt::Write as _;

use serde::Serialize;

use super::span::{SourceMap, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; does not stop the ruleset from loading.
    Warning,
    /// The ruleset cannot be used.
    Error,
}

/// One problem found in rules text.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `FILE:LINE:COL` of the start of the span.
    pub fn location(&self, sources: &SourceMap) -> String {
        match sources.get(self.span.file) {
            Some(file) => {
                let (line, col) = file.line_col(self.span.start);
                format!("{}:{}:{}", file.name, line, col)
            }
            None => "<unknown>".to_string(),
        }
    }

    /// Renders the diagnostic with its source line and caret.
    pub fn render(&self, sources: &SourceMap) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}: {}: {}\n", self.location(sources), level, self.message);
        if let Some(file) = sources.get(self.span.file) {
            let (line, col) = file.line_col(self.span.start);
            let text = file.line_text(line);
            let (end_line, end_col) = file.line_col(self.span.end);
            let width = if end_line == line && end_col > col {
                end_col - col
            } else {
                1
            };
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {}", text.replace('\t', " "));
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(col.saturating_sub(1)),
                "^".repeat(width.min(120))
            );
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = help: {hint}");
        }
        out
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for cand in candidates {
        let score = strsim::jaro_winkler(&word.to_lowercase(), &cand.to_lowercase());
        if score >= 0.85 && best.map_or(true, |(_, s)| score > s) {
            best = Some((cand, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::super::span::{SourceFile, SourceMap};
    use super::*;

    #[test]
    fn renders_location_line_and_caret() {
        let mut map = SourceMap::new();
        let f = map.add(SourceFile::new("a.emb", "list x {\n  titel \"X\"\n}\n"));
        let d = Diagnostic::error(Span::new(f, 11, 16), "unknown property `titel`")
            .with_hint("did you mean `title`?");
        let text = d.render(&map);
        assert_eq!(
            text,
            "a.emb:2:3: error: unknown property `titel`\n  |\n2 |   titel \"X\"\n  |   ^^^^^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["luxury_vehicles", "watches"];
        assert_eq!(
            did_you_mean("luxury_vehicle", names),
            Some("luxury_vehicles")
        );
        assert_eq!(did_you_mean("coal", names), None);
    }
}
