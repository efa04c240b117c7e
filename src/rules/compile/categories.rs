//! Goods categories: their terms (normalized here, once, for the classifier), their
//! codes (prefixes that exist in HS 2022), exclusions and threshold, and the warnings
//! about terms that can never count.

use std::collections::HashMap;

use super::{Compiler, Names};
use crate::reference;
use crate::rules::ast::{self, Exclusion, Text};
use crate::rules::diagnostic::{did_you_mean, Diagnostic};
use crate::rules::ir;
use crate::text::goods::pattern::inner_star_dropped;
use crate::text::goods::TermPattern;

/// A term of a category as written, its strength, and the pattern the classifier
/// reads it as (the first of its compiled patterns: the term with any inner `*`
/// dropped).
type WrittenTerm<'a> = (&'a Text, ast::Strength, &'a TermPattern);

/// The exclusion terms of category `c`, in order (its excluded codes left out).
fn exclusion_terms(c: &ast::Category) -> impl Iterator<Item = &Text> {
    c.exclusions
        .iter()
        .filter_map(|x| match x {
            Exclusion::Terms { terms, .. } => Some(terms),
            Exclusion::Hs { .. } => None,
        })
        .flatten()
}

impl Compiler<'_> {
    fn hs_codes(&mut self, codes: &[ast::HsPrefix]) -> Vec<String> {
        let mut out = Vec::new();
        for code in codes {
            match reference::check_hs(&code.digits) {
                Ok(()) => out.push(code.digits.clone()),
                Err(reference::HsProblem::Shape) => self.error_hint(
                    code.span,
                    format!("`{}` is not an HS code prefix", code.digits),
                    Some("HS codes have 2, 4, 6, 8 or 10 digits".to_string()),
                ),
                Err(reference::HsProblem::Unknown(level)) => self.error_hint(
                    code.span,
                    format!(
                        "HS code `{}` does not exist in HS 2022 (no `{level}`)",
                        code.digits
                    ),
                    None,
                ),
            }
        }
        out
    }

    /// Compiles one category, its terms normalized for the classifier, with the
    /// checks of its terms and codes.
    pub(super) fn category(&mut self, c: &ast::Category, names: &Names) -> Option<ir::Category> {
        let id = &c.name.name;
        if c.title.is_none() {
            self.error_hint(
                c.name.span,
                format!("category `{id}` has no `title`"),
                Some("add `title \"...\"`".to_string()),
            );
        }
        if c.basis.is_empty() {
            self.error_hint(
                c.name.span,
                format!("category `{id}` cites no legal basis"),
                Some("add `basis \"...\"` naming the resolution, regulation or annex".to_string()),
            );
        }
        if c.terms.is_empty() && c.hs.is_empty() {
            self.error_hint(
                c.name.span,
                format!(
                    "category `{id}` has neither `terms` nor `hs` codes, so it can never match"
                ),
                None,
            );
        }
        // Each term is normalized here, once: the classifier takes its patterns from
        // the compiled term, and the checks below read the same ones.
        let mut terms = Vec::new();
        let mut written = Vec::new();
        for g in &c.terms {
            if let Some(lang) = &g.lang {
                self.language_tag(lang);
            }
            for t in &g.terms {
                if t.value.trim().is_empty() {
                    self.error(t.span, "empty term");
                    continue;
                }
                let lang = g.lang.as_ref().map(|l| l.name.clone());
                terms.push(ir::Term::new(t.value.clone(), lang, g.strength));
                written.push((t, g.strength));
            }
        }
        let mut hs = Vec::new();
        for g in &c.hs {
            for digits in self.hs_codes(&g.codes) {
                hs.push(ir::HsPrefix {
                    digits,
                    strength: g.strength,
                });
            }
        }
        let mut exclude_terms = Vec::new();
        let mut exclude_hs = Vec::new();
        for x in &c.exclusions {
            match x {
                Exclusion::Terms { terms, .. } => {
                    exclude_terms.extend(terms.iter().map(|t| ir::ExcludedTerm::new(&t.value)));
                }
                Exclusion::Hs { codes, .. } => exclude_hs.extend(self.hs_codes(codes)),
            }
        }
        let patterns: Vec<WrittenTerm> = written
            .iter()
            .zip(&terms)
            .filter_map(|(&(t, strength), term)| Some((t, strength, term.patterns.first()?)))
            .collect();
        self.terms_excluded(c, &patterns, &exclude_terms);
        self.terms_repeated(c, &patterns);
        self.stars_inside_terms(c);
        let (threshold_usd, threshold_text) = match &c.threshold {
            Some(t) => {
                if t.above.amount.value <= 0.0 {
                    self.error(t.above.amount.span, "a threshold must be greater than zero");
                }
                (
                    self.money_usd(&t.above, &names.rates),
                    Some(format!(
                        "{} {}",
                        t.above.currency.name, t.above.amount.value
                    )),
                )
            }
            None => (None, None),
        };
        Some(ir::Category {
            id: id.clone(),
            title: c
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            tags: c.tags.iter().map(|t| t.value.clone()).collect(),
            basis: c.basis.iter().map(|t| t.value.clone()).collect(),
            terms,
            hs,
            exclude_terms,
            exclude_hs,
            threshold_usd,
            threshold_text,
        })
    }

    /// Warns of a term of category `c` that holds one of its exclusions once both are
    /// read as the classifier reads them (`tablet` and `Tablets`, `phone case` and
    /// `case`, `notebook` and `notebook*`): the exclusion is found wherever the term
    /// is, and vetoes the line, so the term can make the category match only with a
    /// strong code of it on the line (a strong term) or never (a weak one).
    /// `patterns` are the category's terms as the classifier reads them, `excluded`
    /// its compiled exclusions.
    fn terms_excluded(
        &mut self,
        c: &ast::Category,
        patterns: &[WrittenTerm],
        excluded: &[ir::ExcludedTerm],
    ) {
        let exclusions: Vec<(&TermPattern, &Text)> = exclusion_terms(c)
            .zip(excluded)
            .filter_map(|(x, compiled)| Some((compiled.patterns.first()?, x)))
            .collect();
        for (t, _, pattern) in patterns {
            let Some((_, x)) = exclusions.iter().find(|(x, _)| pattern.holds(x)) else {
                continue;
            };
            self.diags.push(
                Diagnostic::warning(
                    t.span,
                    format!(
                        "term `{}` of category `{}` holds its exclusion `{}`, which vetoes every line the term is found in unless the line also has a strong code of the category: the term alone can never match",
                        t.value, c.name.name, x.value
                    ),
                )
                .with_hint("drop the term, or narrow the exclusion to what it means to keep out"),
            );
        }
    }

    /// Warns of a `*` after a word inside a term (or an exclusion) that is not Cyrillic:
    /// only Cyrillic words are spelled with their endings there (see
    /// [`patterns_of`](crate::text::goods::pattern::patterns_of)); elsewhere the `*` would be dropped
    /// without a word, and the term would look for the bare stem.
    /// A category that no rule's `goods in` reaches decides nothing, which is fine for
    /// one `classify` alone reports (the shipped `import-cap` ones); but one whose tag
    /// is a letter off a tag that rules do reach (`tags luxry`) was meant for them, and
    /// would otherwise stay out of every rule unseen.
    pub(super) fn categories_no_rule_reaches(
        &mut self,
        items: &[ast::Item],
        data: &ir::RulesetData,
    ) {
        if data.rules.is_empty() {
            return;
        }
        let mut reached = vec![false; data.categories.len()];
        for r in &data.rules {
            mark_reached(&r.when, &mut reached);
        }
        let reached_tags: Vec<&str> = data
            .categories
            .iter()
            .zip(&reached)
            .filter(|(_, r)| **r)
            .flat_map(|(c, _)| c.tags.iter().map(String::as_str))
            .collect();
        for item in items {
            let ast::Item::Category(c) = item else {
                continue;
            };
            let Some(k) = data.categories.iter().position(|x| x.id == c.name.name) else {
                continue;
            };
            if reached.get(k).copied().unwrap_or(true) {
                continue;
            }
            let near_miss = c.tags.iter().find_map(|t| {
                let meant = reached_tags
                    .iter()
                    .find(|r| strsim::damerau_levenshtein(&t.value, r) == 1)?;
                Some(format!("its tag `{}`: did you mean `{meant}`?", t.value))
            });
            let Some(hint) = near_miss else { continue };
            self.diags.push(
                Diagnostic::warning(
                    c.name.span,
                    format!(
                        "no rule reaches category `{}`: it decides nothing",
                        c.name.name
                    ),
                )
                .with_hint(hint),
            );
        }
    }

    /// A `terms` line's language tag must be one: any word there is read as a tag, so
    /// a misspelt `weak` (`wek`) would otherwise make the line's terms strong.
    fn language_tag(&mut self, lang: &ast::Ident) {
        if reference::is_language_tag(&lang.name) {
            return;
        }
        let keywords = ["weak", "strong"];
        let hint = did_you_mean(&lang.name, keywords)
            .or_else(|| did_you_mean(&lang.name.to_ascii_lowercase(), reference::language_codes()))
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                "a language tag is an ISO 639-1 code (`en`, `zh`, `zh-Hant`); `weak` comes before it".to_string()
            });
        self.error_hint(
            lang.span,
            format!("unknown language tag `{}`", lang.name),
            Some(hint),
        );
    }

    fn stars_inside_terms(&mut self, c: &ast::Category) {
        let texts = c
            .terms
            .iter()
            .flat_map(|g| &g.terms)
            .chain(exclusion_terms(c));
        for t in texts {
            let Some(stem) = inner_star_dropped(&t.value) else {
                continue;
            };
            self.diags.push(
                Diagnostic::warning(
                    t.span,
                    format!(
                        "`{stem}*` inside term `{}` of category `{}` stands for `{stem}` only: a `*` inside a term gives the Russian endings of a Cyrillic word, and makes a prefix only at the end",
                        t.value, c.name.name
                    ),
                )
                .with_hint("write the whole word, or the term once for each form it takes"),
            );
        }
    }

    /// Warns of a term of category `c` that is another of its terms once both are
    /// read as the classifier reads them (`steel pipe` and `Steel Pipes`): the two are
    /// found at the same places, so the second adds nothing. When one is weak and the
    /// other strong, the warning is on the weak one, which never counts.
    fn terms_repeated(&mut self, c: &ast::Category, patterns: &[WrittenTerm]) {
        let mut seen: HashMap<&TermPattern, (&Text, ast::Strength)> = HashMap::new();
        for (t, strength_here, pattern) in patterns {
            let (t, strength_here) = (*t, *strength_here);
            let Some(&(first, strength)) = seen.get(pattern) else {
                seen.insert(pattern, (t, strength_here));
                continue;
            };
            let diagnostic = if strength == strength_here {
                Diagnostic::warning(
                    t.span,
                    format!(
                        "term `{}` of category `{}` is its term `{}` once normalized: it is found at the same places and adds nothing",
                        t.value, c.name.name, first.value
                    ),
                )
                .with_hint("drop one of the two")
            } else {
                let (weak, strong) = match strength_here {
                    ast::Strength::Weak => (t, first),
                    ast::Strength::Strong => {
                        // Any further repeat is measured against the strong one, so
                        // the weak one is warned of once.
                        seen.insert(pattern, (t, strength_here));
                        (first, t)
                    }
                };
                Diagnostic::warning(
                    weak.span,
                    format!(
                        "weak term `{}` of category `{}` is its strong term `{}` once normalized: the category matches wherever it is found, so the weak term never counts",
                        weak.value, c.name.name, strong.value
                    ),
                )
                .with_hint("drop the weak term, or the strong one if the term alone should not be enough")
            };
            self.diags.push(diagnostic);
        }
    }
}

/// Marks the categories a condition's `goods in` tests name.
fn mark_reached(cond: &ir::Cond, reached: &mut [bool]) {
    match cond {
        ir::Cond::And(v) | ir::Cond::Or(v) => v.iter().for_each(|c| mark_reached(c, reached)),
        ir::Cond::Not(c) => mark_reached(c, reached),
        ir::Cond::GoodsIn(ks) => {
            for &k in ks {
                if let Some(r) = reached.get_mut(k) {
                    *r = true;
                }
            }
        }
        _ => {}
    }
}
