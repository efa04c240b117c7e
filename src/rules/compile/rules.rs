//! Decision rules and allowances: conditions resolved against the lists, categories
//! and sets they name, scores and money checked.

use std::collections::HashMap;

use super::{Compiler, Names};
use crate::reference;
use crate::roles::{role_key, KNOWN};
use crate::rules::ast::{self, CategoryRef, Expr, PlaceRef, SetKind, Test, Text};
use crate::rules::diagnostic::{did_you_mean, Diagnostic};
use crate::rules::ir::{self, EntityKind, RulesetData};
use crate::rules::span::Span;

impl Compiler<'_> {
    pub(super) fn unknown_category(&mut self, span: Span, name: &str, names: &Names) {
        let candidates = names.categories.keys().chain(names.sets.keys()).copied();
        let hint = did_you_mean(name, candidates).map(|s| format!("did you mean `{s}`?"));
        self.error_hint(span, format!("unknown category `{name}`"), hint);
    }

    pub(super) fn rule(
        &mut self,
        r: &ast::Rule,
        names: &Names,
        data: &RulesetData,
        cats: &HashMap<&str, usize>,
    ) -> Option<ir::Rule> {
        if r.basis.is_empty() {
            self.error_hint(
                r.name.span,
                format!("rule `{}` cites no legal basis", r.name.name),
                Some("add `basis \"...\"`".to_string()),
            );
        }
        if r.then.reason.value.trim().is_empty() {
            self.error(r.then.reason.span, "the reason must not be empty");
        }
        let before = self.diags.iter().filter(|d| d.is_error()).count();
        let when = self.expr(&r.when, names, data, cats);
        let after = self.diags.iter().filter(|d| d.is_error()).count();
        if after > before {
            return None;
        }
        Some(ir::Rule {
            id: r.name.name.clone(),
            title: r.title.as_ref().map(|t| t.value.clone()),
            basis: r.basis.iter().map(|t| t.value.clone()).collect(),
            when,
            decision: r.then.decision,
            reason: r.then.reason.value.clone(),
        })
    }

    pub(super) fn expr(
        &mut self,
        e: &Expr,
        names: &Names,
        data: &RulesetData,
        cats: &HashMap<&str, usize>,
    ) -> ir::Cond {
        match e {
            Expr::And(parts, _) => ir::Cond::And(
                parts
                    .iter()
                    .map(|p| self.expr(p, names, data, cats))
                    .collect(),
            ),
            Expr::Or(parts, _) => ir::Cond::Or(
                parts
                    .iter()
                    .map(|p| self.expr(p, names, data, cats))
                    .collect(),
            ),
            Expr::Not(inner, _) => ir::Cond::Not(Box::new(self.expr(inner, names, data, cats))),
            Expr::Cond(c) => {
                // A name test over no entity can never hold: the rule would pass every
                // order as if its parties had been screened.
                let names_entities = matches!(
                    c.test,
                    Test::PartyMatches { .. } | Test::VesselMatches { .. }
                );
                if names_entities && data.entities.is_empty() {
                    self.error_hint(
                        c.span,
                        "no entity is loaded, so this name test can never hold",
                        Some("load the list files this rule screens against".to_string()),
                    );
                }
                self.test(&c.test, names, data, cats)
            }
        }
    }

    pub(super) fn score(&mut self, n: &Option<ast::Number>) -> Option<f64> {
        let n = n.as_ref()?;
        if !(0.0..=1.0).contains(&n.value) {
            self.error_hint(
                n.span,
                format!("score `{}` is out of range", n.value),
                Some("scores are between 0 and 1".to_string()),
            );
        }
        Some(n.value)
    }

    pub(super) fn filter(
        &mut self,
        f: &ast::EntityFilter,
        names: &Names,
        data: &RulesetData,
    ) -> ir::EntityFilter {
        let mut out = ir::EntityFilter::default();
        let (said_before, errors_before) = (
            self.diags.len(),
            self.diags.iter().filter(|d| d.is_error()).count(),
        );
        for l in &f.lists {
            match names.lists.get(l.name.as_str()) {
                Some((i, _))
                    if !data.entities.is_empty() && !data.entities.iter().any(|e| e.list == *i) =>
                {
                    self.error_hint(
                        l.span,
                        format!(
                            "list `{}` holds no entity, so this name test can never hold",
                            l.name
                        ),
                        Some(format!(
                            "load the entities of `{}` (its list file may be empty or cut off)",
                            l.name
                        )),
                    );
                    out.lists.push(*i);
                }
                Some((i, _)) => out.lists.push(*i),
                None => {
                    let hint = did_you_mean(&l.name, names.lists.keys().copied())
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error_hint(l.span, format!("unknown list `{}`", l.name), hint);
                }
            }
        }
        for p in &f.programs {
            if !names.programs.is_empty() && !names.programs.contains(p.value.as_str()) {
                let hint = did_you_mean(&p.value, names.programs.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                let d = Diagnostic::warning(
                    p.span,
                    format!("no loaded entity carries program `{}`", p.value),
                );
                self.diags.push(match hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                });
            }
            out.programs.push(p.value.clone());
        }
        for c in &f.countries {
            if let Some(code) = self.country(c) {
                out.countries.push(code);
            }
        }
        for k in &f.kinds {
            match EntityKind::parse(&k.name) {
                Some(kind) => out.kinds.push(kind),
                None => {
                    let hint =
                        did_you_mean(&k.name, ["person", "organization", "vessel", "aircraft"])
                            .map(|s| format!("did you mean `{s}`?"));
                    self.error_hint(k.span, format!("unknown entity kind `{}`", k.name), hint);
                }
            }
        }
        for r in &f.remarks {
            if r.value.trim().is_empty() {
                self.error(r.span, "an empty remark text matches every entity");
            }
            out.remarks.push(r.value.to_lowercase());
        }
        for id in &f.entities {
            let text = id.to_string();
            if data
                .entities
                .binary_search_by(|e| e.id.as_str().cmp(&text))
                .is_err()
            {
                self.error(id.span, format!("unknown entity `{text}`"));
            }
            out.entities.push(text);
        }
        // A fault of a facet, or (with no list named) a program warned of, says it already.
        let faulty = self.diags.iter().filter(|d| d.is_error()).count() > errors_before
            || (f.lists.is_empty() && self.diags.len() > said_before);
        if !faulty && !data.entities.is_empty() && !data.entities.iter().any(|e| out.accepts(e)) {
            self.filter_accepts_nothing(f);
        }
        out
    }

    /// Each facet of a name test narrows it; together they may leave no loaded entity
    /// (`list(internal) program(DPRK)` when no entity of `internal` carries DPRK), and
    /// then the test can never hold. Naming a list, that is an error, as an empty list
    /// is; without one, a warning, as a program no entity carries is (a rule may be
    /// written for designations still to come on any list).
    fn filter_accepts_nothing(&mut self, f: &ast::EntityFilter) {
        let spans = f.lists.iter().map(|l| l.span);
        let spans = spans.chain(f.programs.iter().map(|p| p.span));
        let spans = spans.chain(f.countries.iter().map(|c| c.span));
        let spans = spans.chain(f.kinds.iter().map(|k| k.span));
        let spans = spans.chain(f.entities.iter().map(|e| e.span));
        let Some(span) = spans.chain(f.remarks.iter().map(|r| r.span)).next() else {
            return;
        };
        let message = format!(
            "no loaded entity passes `{}`, so this name test can never hold",
            crate::rules::print::filter(f)
        );
        let hint = "an entity must pass every facet: check each value against what the lists hold (`embargo show ID` prints an entity's programs, countries and kind)";
        if f.lists.is_empty() {
            self.diags
                .push(Diagnostic::warning(span, message).with_hint(hint));
        } else {
            self.error_hint(span, message, Some(hint.to_string()));
        }
    }

    pub(super) fn places(
        &mut self,
        p: &PlaceRef,
        names: &Names,
        data: &RulesetData,
    ) -> ir::PlaceSet {
        match p {
            PlaceRef::Set(name) => match data.place_sets.get(&name.name) {
                Some(set) => set.clone(),
                None => {
                    let is_categories = names
                        .sets
                        .get(name.name.as_str())
                        .is_some_and(|s| s.kind == SetKind::Categories);
                    if is_categories {
                        self.error(
                            name.span,
                            format!("`{}` is a set of categories, not of places", name.name),
                        );
                    } else {
                        let candidates = names
                            .sets
                            .iter()
                            .filter(|(_, s)| s.kind != SetKind::Categories)
                            .map(|(k, _)| *k);
                        let hint = did_you_mean(&name.name, candidates)
                            .map(|s| format!("did you mean `{s}`?"))
                            .or_else(|| {
                                reference::country_code(&name.name)
                                    .map(|c| format!("for a country write `countries({c})`"))
                            });
                        self.error_hint(name.span, format!("unknown set `{}`", name.name), hint);
                    }
                    ir::PlaceSet::default()
                }
            },
            PlaceRef::Countries(items, _) => self.place_set(SetKind::Countries, items),
            PlaceRef::Places(items, _) => self.place_set(SetKind::Places, items),
        }
    }

    /// The countries of a `party nationality in` test. A nationality is a country, so
    /// places (cities, ports) there could never match: a set or list of them is an
    /// error, not a test that silently never holds.
    fn nationalities(&mut self, p: &PlaceRef, names: &Names, data: &RulesetData) -> Vec<String> {
        let set = self.places(p, names, data);
        if !set.places.is_empty() {
            let (span, what) = match p {
                PlaceRef::Set(name) => (name.span, format!("`{}` holds places", name.name)),
                PlaceRef::Places(_, span) => (*span, "`places(...)` names places".to_string()),
                PlaceRef::Countries(_, span) => (*span, "the set holds places".to_string()),
            };
            self.error_hint(
                span,
                format!("a nationality is a country, and {what}: `party nationality in` could never match them"),
                Some("use a set of countries or `countries(...)`".to_string()),
            );
        }
        set.countries
    }

    /// A test's roles as orders' roles are compared ([`role_key`]); one embargo does
    /// not know is warned of, as no order may ever carry it (`role(buyr)`).
    fn roles(&mut self, roles: &[Text]) -> Vec<String> {
        let mut out = Vec::new();
        for r in roles {
            let key = role_key(&r.value);
            if !KNOWN.contains(&key.as_str()) {
                let d = Diagnostic::warning(
                    r.span,
                    format!(
                        "`{}` is not a role embargo knows: orders may not use it",
                        r.value
                    ),
                );
                self.diags
                    .push(match did_you_mean(&key, KNOWN.iter().copied()) {
                        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                        None => d.with_hint(format!("known roles: {}", KNOWN.join(", "))),
                    });
            }
            out.push(key);
        }
        out
    }

    pub(super) fn test(
        &mut self,
        t: &Test,
        names: &Names,
        data: &RulesetData,
        cats: &HashMap<&str, usize>,
    ) -> ir::Cond {
        match t {
            Test::PartyMatches {
                roles: r,
                filter,
                min_score,
            } => ir::Cond::PartyMatches {
                roles: self.roles(r),
                filter: self.filter(filter, names, data),
                min_score: self.score(min_score),
            },
            Test::PartyIn { roles: r, places } => ir::Cond::PartyIn {
                roles: self.roles(r),
                places: self.places(places, names, data),
            },
            Test::PartyNameIn { roles: r, places } => ir::Cond::PartyNameIn {
                roles: self.roles(r),
                places: self.places(places, names, data),
            },
            Test::PartyNationalityIn { roles: r, places } => ir::Cond::PartyNationalityIn {
                roles: self.roles(r),
                countries: self.nationalities(places, names, data),
            },
            Test::VesselMatches { filter, min_score } => ir::Cond::VesselMatches {
                filter: self.filter(filter, names, data),
                min_score: self.score(min_score),
            },
            Test::GoodsIn(r) => {
                let mut out = Vec::new();
                match r {
                    CategoryRef::Named(n) => {
                        if let Some(i) = cats.get(n.name.as_str()) {
                            out.push(*i);
                        } else if let Some(members) = data.category_sets.get(&n.name) {
                            out.extend(members.iter().copied());
                        } else {
                            self.unknown_category(n.span, &n.name, names);
                        }
                    }
                    CategoryRef::List(v, _) => {
                        for n in v {
                            match cats.get(n.name.as_str()) {
                                Some(i) => out.push(*i),
                                None => self.unknown_category(n.span, &n.name, names),
                            }
                        }
                    }
                    CategoryRef::Tagged(tags, _) => {
                        for tag in tags {
                            if !names.tags.contains(tag.value.as_str()) {
                                let hint = did_you_mean(&tag.value, names.tags.iter().copied())
                                    .map(|s| format!("did you mean `{s}`?"));
                                self.error_hint(
                                    tag.span,
                                    format!("no category is tagged `{}`", tag.value),
                                    hint,
                                );
                            }
                            for (i, c) in data.categories.iter().enumerate() {
                                if c.tags.contains(&tag.value) && !out.contains(&i) {
                                    out.push(i);
                                }
                            }
                        }
                    }
                }
                out.sort_unstable();
                out.dedup();
                ir::Cond::GoodsIn(out)
            }
            Test::RouteIn { leg, places } => ir::Cond::RouteIn {
                leg: *leg,
                places: self.places(places, names, data),
            },
            Test::Value { op, amount } => {
                if amount.amount.value < 0.0 {
                    self.error(amount.amount.span, "an amount must not be negative");
                }
                ir::Cond::Value {
                    op: *op,
                    usd: self.money_usd(amount, &names.rates).unwrap_or(0.0),
                }
            }
        }
    }

    pub(super) fn allow(
        &mut self,
        a: &ast::Allow,
        names: &Names,
        entities: &[ir::Entity],
    ) -> Option<ir::Allow> {
        // Every fault of the allowance is reported, not only the first.
        let because = match &a.because {
            Some(b) if !b.value.trim().is_empty() => Some(b.value.clone()),
            _ => {
                self.error_hint(
                    a.name.span,
                    format!("allowance `{}` gives no justification", a.name.name),
                    Some("add `because \"...\"`: who reviewed it, when, and why it is not the listed party".to_string()),
                );
                None
            }
        };
        // Both are required: an allowance is one analyst's finding about one party
        // and one listed entity. Without `name` it would clear the entity for every
        // party, without `entity` every listed entity for that name.
        if a.entities.is_empty() {
            self.error_hint(
                a.name.span,
                format!("allowance `{}` names no `entity`", a.name.name),
                Some(
                    "name the listed entity the party was cleared of: `entity un:KPe.001`"
                        .to_string(),
                ),
            );
        }
        match &a.party {
            Some(p) if p.value.trim().is_empty() => {
                self.error(
                    p.span,
                    format!("allowance `{}` has a blank party `name`", a.name.name),
                );
            }
            Some(_) => {}
            None => self.error_hint(
                a.name.span,
                format!("allowance `{}` names no party", a.name.name),
                Some("add `name \"...\"`: the party name as screened".to_string()),
            ),
        }
        for id in &a.entities {
            let text = id.to_string();
            let compiled = entities
                .binary_search_by(|e| e.id.as_str().cmp(&text))
                .is_ok();
            if !compiled && !names.failed_entity_ids.contains(&text) {
                self.error(id.span, format!("unknown entity `{text}`"));
            }
        }
        let country = a.country.as_ref().and_then(|c| self.country(c));
        let on_ok = a.on.as_ref().is_some_and(|d| self.date(d, "`on`"));
        if let Some(x) = &a.expires {
            if self.date(x, "`expires`") {
                if let Some(on) = a.on.as_ref().filter(|_| on_ok) {
                    if x.value < on.value {
                        self.error(
                            x.span,
                            format!(
                                "allowance `{}` expires ({}) before it was cleared ({})",
                                a.name.name, x.value, on.value
                            ),
                        );
                    }
                }
                self.expired_allowance(a, x);
            }
        }
        let party = a.party.as_ref().filter(|p| !p.value.trim().is_empty())?;
        if a.entities.is_empty() {
            return None;
        }
        Some(ir::Allow {
            id: a.name.name.clone(),
            entities: a.entities.iter().map(ToString::to_string).collect(),
            party: party.value.clone(),
            country,
            because: because?,
            by: a.by.as_ref().map(|t| t.value.clone()),
            on: a.on.as_ref().map(|t| t.value.clone()),
            expires: a.expires.as_ref().map(|t| t.value.clone()),
        })
    }

    /// A warning for an allowance past its `expires` date: it no longer applies.
    fn expired_allowance(&mut self, a: &ast::Allow, expires: &ast::Text) {
        let Some(today) = self.options.today.as_deref() else {
            return;
        };
        if expires.value.as_str() < today {
            self.diags.push(
                Diagnostic::warning(
                    expires.span,
                    format!(
                        "allowance `{}` expired on {}: the hits it cleared are reported again",
                        a.name.name, expires.value
                    ),
                )
                .with_hint("review the hit again, and record a new disposition if it still holds"),
            );
        }
    }
}
