//! Syntax trees -> validated, immutable [`Ruleset`].
//!
//! Validation happens here and only here: unknown references, duplicates, invalid
//! country, currency and HS codes, dates, scores and thresholds. Every problem becomes
//! a [`Diagnostic`] pointing at the offending text; compilation carries on after an
//! error so that one run reports them all. Only a ruleset without errors is built.

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::ast::{self, CategoryRef, Expr, Item, PlaceRef, SetKind, Test, Text};
use super::diagnostic::{did_you_mean, Diagnostic};
use super::ir::{self, EntityKind, Ruleset, RulesetData};
use super::span::Span;
use crate::refdata::date::{days_from_civil, today_utc};
use crate::reference;

mod categories;
mod money;

/// Knobs of compilation that are not rules.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// Warn about lists whose `as_of` is older than this many days.
    pub max_list_age_days: Option<u32>,
    /// Today's date (`YYYY-MM-DD`), for list ages and allowance expiry.
    pub today: Option<String>,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            max_list_age_days: Some(365),
            today: Some(today_utc()),
        }
    }
}

/// `LIST:ID`, as [`ast::EntityId`] displays it, without the formatting machinery.
fn entity_id_text(id: &ast::EntityId) -> String {
    let mut s = String::with_capacity(id.list.name.len() + 1 + id.local.len());
    s.push_str(&id.list.name);
    s.push(':');
    s.push_str(&id.local);
    s
}

/// Compiles parsed files into a ruleset. `hash` identifies the sources.
///
/// Returns the ruleset when there is no error, and every diagnostic (errors and
/// warnings) either way.
pub fn compile(
    files: Vec<ast::File>,
    hash: String,
    options: &CompileOptions,
) -> (Option<Ruleset>, Vec<Diagnostic>) {
    let mut c = Compiler {
        diags: Vec::new(),
        options,
        unknown_lists: HashSet::new(),
        countries: FxHashMap::default(),
    };
    // Entities are most of an imported list: they are taken by value so that their
    // strings move into the compiled ruleset instead of being copied.
    let mut entities = Vec::new();
    let mut others = Vec::new();
    for file in files {
        for item in file.items {
            match item {
                Item::Entity(e) => entities.push(e),
                other => others.push(other),
            }
        }
    }
    let data = c.run(&others, entities, hash);
    let ok = !c.diags.iter().any(Diagnostic::is_error);
    (ok.then(|| Ruleset::from_data(data)), c.diags)
}

struct Compiler<'o> {
    diags: Vec<Diagnostic>,
    options: &'o CompileOptions,
    /// Unknown list names already reported: a whole imported file under a misspelt or
    /// broken `list` would otherwise give one error per entity.
    unknown_lists: HashSet<String>,
    /// Country texts already resolved: an imported list repeats a few hundred values
    /// over and over, and the reference lookup allocates and scans every time.
    countries: FxHashMap<String, &'static str>,
}

/// Names declared anywhere, for references and duplicate checks.
#[derive(Default)]
struct Names<'a> {
    lists: HashMap<&'a str, (usize, Span)>,
    categories: HashMap<&'a str, (&'a ast::Category, Span)>,
    sets: HashMap<&'a str, &'a ast::SetDecl>,
    /// Ids of entities that were declared but could not be compiled (unknown list, no
    /// name); the compiled ones are found in the sorted entity table.
    failed_entity_ids: FxHashSet<String>,
    programs: FxHashSet<String>,
    tags: HashSet<&'a str>,
    rates: ir::Rates,
}

impl Compiler<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, message));
    }

    fn error_hint(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::error(span, message);
        self.diags.push(match hint {
            Some(h) => d.with_hint(h),
            None => d,
        });
    }

    fn duplicate(&mut self, what: &str, name: &str, span: Span, first: Span) {
        let _ = first;
        self.error_hint(
            span,
            format!("duplicate {what} `{name}`"),
            Some(format!(
                "{what} names must be unique across all loaded files; rename or remove one"
            )),
        );
    }

    fn run(&mut self, items: &[Item], entities: Vec<ast::Entity>, hash: String) -> RulesetData {
        let mut names = Names::default();
        for e in &entities {
            for p in &e.programs {
                if !names.programs.contains(p.value.as_str()) {
                    names.programs.insert(p.value.clone());
                }
            }
        }
        let mut data = RulesetData {
            hash,
            ..RulesetData::default()
        };
        data.rates.insert("USD".to_string(), 1.0);

        // Pass 1: declarations, so that references may point forwards and across files.
        let mut first_rates: Option<Span> = None;
        for item in items {
            match item {
                Item::List(l) => {
                    if let Some((_, first)) = names.lists.get(l.name.name.as_str()) {
                        let first = *first;
                        self.duplicate("list", &l.name.name, l.name.span, first);
                    } else {
                        names
                            .lists
                            .insert(&l.name.name, (data.lists.len(), l.name.span));
                        data.lists.push(self.list(l));
                    }
                }
                Item::Category(cat) => {
                    if names.categories.contains_key(cat.name.name.as_str())
                        || names.sets.contains_key(cat.name.name.as_str())
                    {
                        self.duplicate("category", &cat.name.name, cat.name.span, cat.name.span);
                    } else {
                        names
                            .categories
                            .insert(&cat.name.name, (cat, cat.name.span));
                        for t in &cat.tags {
                            names.tags.insert(&t.value);
                        }
                    }
                }
                Item::Set(s) => {
                    if names.sets.contains_key(s.name.name.as_str())
                        || names.categories.contains_key(s.name.name.as_str())
                    {
                        self.duplicate("set", &s.name.name, s.name.span, s.name.span);
                    } else {
                        names.sets.insert(&s.name.name, s);
                    }
                }
                Item::Rates(r) => {
                    if let Some(first) = first_rates {
                        self.duplicate("rates", "rates", r.span, first);
                        continue;
                    }
                    first_rates = Some(r.span);
                    self.rates(r, &mut data.rates);
                }
                _ => {}
            }
        }
        names.rates = data.rates.clone();

        // Pass 2: everything that refers to declarations.
        let mut rule_names: HashMap<&str, Span> = HashMap::new();
        let mut allow_names: HashMap<&str, Span> = HashMap::new();
        let mut categories: Vec<&ast::Category> =
            names.categories.values().map(|(c, _)| *c).collect();
        categories.sort_by(|a, b| a.name.name.cmp(&b.name.name));
        for cat in &categories {
            if let Some(compiled) = self.category(cat, &names) {
                data.categories.push(compiled);
            }
        }
        let category_index: HashMap<&str, usize> = data
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();

        data.entities.reserve(entities.len());
        let ids: Vec<String> = entities.iter().map(|e| entity_id_text(&e.id)).collect();
        // Later declarations of an id are duplicates; found over borrowed ids so that
        // each id string is made once and moved into the ruleset.
        let duplicate: Vec<bool> = {
            let mut seen: FxHashSet<&str> =
                FxHashSet::with_capacity_and_hasher(ids.len(), Default::default());
            ids.iter().map(|id| !seen.insert(id.as_str())).collect()
        };
        for ((e, id), dup) in entities.into_iter().zip(ids).zip(duplicate) {
            if dup {
                self.error_hint(
                    e.id.span,
                    format!("duplicate entity `{id}`"),
                    Some("an entity id may be defined once; merge the two entries".to_string()),
                );
                continue;
            }
            match self.entity(e, id, &names) {
                Ok(ent) => data.entities.push(ent),
                Err(id) => {
                    names.failed_entity_ids.insert(id);
                }
            }
        }
        for item in items {
            match item {
                Item::Set(s) => match s.kind {
                    SetKind::Countries | SetKind::Places => {
                        let set = self.place_set(s.kind, &s.items);
                        data.place_sets.insert(s.name.name.clone(), set);
                    }
                    SetKind::Categories => {
                        let mut members = Vec::new();
                        for t in &s.items {
                            match category_index.get(t.value.as_str()) {
                                Some(i) => members.push(*i),
                                None => self.unknown_category(t.span, &t.value, &names),
                            }
                        }
                        data.category_sets.insert(s.name.name.clone(), members);
                    }
                },
                Item::Include(_)
                | Item::List(_)
                | Item::Category(_)
                | Item::Rates(_)
                | Item::Entity(_) => {}
                Item::Rule(_) | Item::Allow(_) => {}
            }
        }
        // Ids are unique here, so an unstable sort gives the same order without a buffer.
        data.entities.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        self.entity_counts(items, &names, &data);

        for item in items {
            match item {
                Item::Rule(r) => {
                    if let Some(first) = rule_names.get(r.name.name.as_str()) {
                        let first = *first;
                        self.duplicate("rule", &r.name.name, r.name.span, first);
                        continue;
                    }
                    rule_names.insert(&r.name.name, r.name.span);
                    if let Some(rule) = self.rule(r, &names, &data, &category_index) {
                        data.rules.push(rule);
                    }
                }
                Item::Allow(a) => {
                    if let Some(first) = allow_names.get(a.name.name.as_str()) {
                        let first = *first;
                        self.duplicate("allowance", &a.name.name, a.name.span, first);
                        continue;
                    }
                    allow_names.insert(&a.name.name, a.name.span);
                    if let Some(allow) = self.allow(a, &names, &data.entities) {
                        data.allows.push(allow);
                    }
                }
                _ => {}
            }
        }
        data
    }

    /// Checks each list's stated `entities` count against the entities loaded for it:
    /// a list file cut off at an entity boundary parses, and only its count tells.
    fn entity_counts(&mut self, items: &[Item], names: &Names, data: &RulesetData) {
        let mut loaded = vec![0usize; data.lists.len()];
        for e in &data.entities {
            if let Some(n) = loaded.get_mut(e.list) {
                *n += 1;
            }
        }
        for item in items {
            let Item::List(l) = item else { continue };
            let Some(stated) = &l.entities else { continue };
            // Only the declaration that was kept (a duplicate is an error already).
            let Some((k, span)) = names.lists.get(l.name.name.as_str()) else {
                continue;
            };
            if span.start != l.name.span.start || span.file != l.name.span.file {
                continue;
            }
            let v = stated.value;
            if v < 0.0 || v.fract() != 0.0 {
                self.error(
                    stated.span,
                    format!("`entities` is a count of entities, not `{v}`"),
                );
                continue;
            }
            let have = loaded.get(*k).copied().unwrap_or(0);
            if v != have as f64 {
                self.error_hint(
                    stated.span,
                    format!(
                        "list `{}` states {v} entities, but {have} are loaded",
                        l.name.name
                    ),
                    Some(
                        "the list file may be cut off, edited by hand, or joined by entities of another file: import it again, and keep entities of your own in a list of your own"
                            .to_string(),
                    ),
                );
            }
        }
    }

    fn date(&mut self, t: &Text, what: &str) -> bool {
        if reference::is_date(&t.value) {
            true
        } else {
            self.error_hint(
                t.span,
                format!("`{}` is not a valid {what} date", t.value),
                Some("write dates as \"YYYY-MM-DD\"".to_string()),
            );
            false
        }
    }

    fn list(&mut self, l: &ast::ListDecl) -> ir::List {
        if l.title.is_none() {
            self.error_hint(
                l.name.span,
                format!("list `{}` has no `title`", l.name.name),
                Some("add `title \"...\"`".to_string()),
            );
        }
        let mut as_of = String::new();
        match &l.as_of {
            None => self.error_hint(
                l.name.span,
                format!("list `{}` has no `as_of` date", l.name.name),
                Some(
                    "every list states the date of its version: `as_of \"YYYY-MM-DD\"`".to_string(),
                ),
            ),
            Some(t) => {
                if self.date(t, "`as_of`") {
                    as_of = t.value.clone();
                    self.list_age(l, t);
                }
            }
        }
        ir::List {
            name: l.name.name.clone(),
            title: l
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            authority: l.authority.as_ref().map(|t| t.value.clone()),
            url: l.url.as_ref().map(|t| t.value.clone()),
            as_of,
            source: l.source.as_ref().map(|t| t.value.clone()),
            basis: l.basis.iter().map(|t| t.value.clone()).collect(),
        }
    }

    fn list_age(&mut self, l: &ast::ListDecl, as_of: &Text) {
        let (Some(max), Some(today)) = (self.options.max_list_age_days, &self.options.today) else {
            return;
        };
        let (Some(then), Some(now)) = (days_from_civil(&as_of.value), days_from_civil(today))
        else {
            return;
        };
        let age = now - then;
        if age > i64::from(max) {
            self.diags.push(
                Diagnostic::warning(
                    as_of.span,
                    format!(
                        "list `{}` is {age} days old (as of {}), older than the {max} days allowed",
                        l.name.name, as_of.value
                    ),
                )
                .with_hint("import a current version of the list, or raise `lists.max_age_days` in embargo.toml"),
            );
        }
    }

    fn country(&mut self, t: &Text) -> Option<String> {
        if let Some(code) = self.countries.get(t.value.as_str()) {
            return Some((*code).to_string());
        }
        match reference::country_code(&t.value) {
            Some(code) => {
                self.countries.insert(t.value.clone(), code);
                Some(code.to_string())
            }
            None => {
                let hint = if t.value.eq_ignore_ascii_case("korea") {
                    Some(
                        "`Korea` is ambiguous: write KP (North Korea) or KR (South Korea)"
                            .to_string(),
                    )
                } else {
                    did_you_mean(&t.value.to_ascii_uppercase(), reference::country_codes())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| {
                            Some("use an ISO 3166-1 alpha-2 code such as KP, CN, RU".to_string())
                        })
                };
                self.error_hint(t.span, format!("unknown country `{}`", t.value), hint);
                None
            }
        }
    }

    /// Compiles one entity, or gives its id back when it cannot be (already reported).
    fn entity(&mut self, e: ast::Entity, id: String, names: &Names) -> Result<ir::Entity, String> {
        let list_name = e.id.list.name.as_str();
        let list = match names.lists.get(list_name) {
            Some((i, _)) => *i,
            None => {
                if self.unknown_lists.insert(list_name.to_string()) {
                    let hint = did_you_mean(list_name, names.lists.keys().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some(format!("declare it with `list {list_name} {{ ... }}`")));
                    self.error_hint(
                        e.id.list.span,
                        format!("unknown list `{list_name}` (reported once for all its entities)"),
                        hint,
                    );
                }
                return Err(id);
            }
        };
        if e.id.local.is_empty() {
            self.error(e.id.span, "empty entity id");
        }
        let kind = match &e.kind {
            None => EntityKind::Unknown,
            Some(k) => match EntityKind::parse(&k.name) {
                Some(kind) => kind,
                None => {
                    let hint =
                        did_you_mean(&k.name, ["person", "organization", "vessel", "aircraft"])
                            .map(|s| format!("did you mean `{s}`?"));
                    self.error_hint(k.span, format!("unknown entity kind `{}`", k.name), hint);
                    EntityKind::Unknown
                }
            },
        };
        let name = match &e.name {
            Some(n) if !n.value.trim().is_empty() => n.value.clone(),
            Some(n) => {
                self.error(n.span, "empty name");
                return Err(id);
            }
            None => {
                self.error_hint(
                    e.id.span,
                    format!("entity `{}` has no `name`", e.id),
                    Some("add `name \"...\"`".to_string()),
                );
                return Err(id);
            }
        };
        let countries: Vec<String> = e.countries.iter().filter_map(|t| self.country(t)).collect();
        let nationalities: Vec<String> = e
            .nationalities
            .iter()
            .filter_map(|t| self.country(t))
            .collect();
        for id in &e.identifiers {
            if id.scheme.name == "imo" && !reference::imo_valid(&id.value.value) {
                self.diags.push(Diagnostic::warning(
                    id.value.span,
                    format!("IMO number `{}` fails its check digit", id.value.value),
                ));
            }
        }
        if let Some(l) = &e.listed {
            self.date(l, "`listed`");
        }
        let texts = |v: Vec<Text>| v.into_iter().map(|t| t.value).collect::<Vec<_>>();
        Ok(ir::Entity {
            id,
            list,
            kind,
            name,
            aliases: e
                .aliases
                .into_iter()
                .filter(|a| !a.name.value.trim().is_empty())
                .map(|a| ir::Alias {
                    name: a.name.value,
                    relation: a.relation,
                    strength: a.strength,
                })
                .collect(),
            countries,
            nationalities,
            programs: texts(e.programs),
            identifiers: e
                .identifiers
                .into_iter()
                .map(|i| ir::Identifier {
                    scheme: i.scheme.name,
                    value: i.value.value,
                    note: i.note.map(|n| n.value),
                })
                .collect(),
            addresses: texts(e.addresses),
            born: texts(e.born),
            birthplaces: texts(e.birthplaces),
            positions: texts(e.positions),
            listed: e.listed.map(|t| t.value),
            remarks: texts(e.remarks),
        })
    }

    fn place_set(&mut self, kind: SetKind, items: &[Text]) -> ir::PlaceSet {
        let mut set = ir::PlaceSet::default();
        for t in items {
            match kind {
                SetKind::Countries => {
                    if let Some(code) = self.country(t) {
                        set.countries.push(code);
                    }
                }
                _ => {
                    if t.value.trim().is_empty() {
                        self.error(t.span, "empty place name");
                    } else {
                        set.places.push(t.value.clone());
                    }
                }
            }
        }
        set
    }

    fn unknown_category(&mut self, span: Span, name: &str, names: &Names) {
        let candidates = names.categories.keys().chain(names.sets.keys()).copied();
        let hint = did_you_mean(name, candidates).map(|s| format!("did you mean `{s}`?"));
        self.error_hint(span, format!("unknown category `{name}`"), hint);
    }

    fn rule(
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

    fn expr(
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

    fn score(&mut self, n: &Option<ast::Number>) -> Option<f64> {
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

    fn filter(
        &mut self,
        f: &ast::EntityFilter,
        names: &Names,
        data: &RulesetData,
    ) -> ir::EntityFilter {
        let mut out = ir::EntityFilter::default();
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
        out
    }

    fn places(&mut self, p: &PlaceRef, names: &Names, data: &RulesetData) -> ir::PlaceSet {
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

    fn test(
        &mut self,
        t: &Test,
        names: &Names,
        data: &RulesetData,
        cats: &HashMap<&str, usize>,
    ) -> ir::Cond {
        let roles = |r: &[Text]| r.iter().map(|t| t.value.to_lowercase()).collect::<Vec<_>>();
        match t {
            Test::PartyMatches {
                roles: r,
                filter,
                min_score,
            } => ir::Cond::PartyMatches {
                roles: roles(r),
                filter: self.filter(filter, names, data),
                min_score: self.score(min_score),
            },
            Test::PartyIn { roles: r, places } => ir::Cond::PartyIn {
                roles: roles(r),
                places: self.places(places, names, data),
            },
            Test::PartyNameIn { roles: r, places } => ir::Cond::PartyNameIn {
                roles: roles(r),
                places: self.places(places, names, data),
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

    fn allow(
        &mut self,
        a: &ast::Allow,
        names: &Names,
        entities: &[ir::Entity],
    ) -> Option<ir::Allow> {
        let because = match &a.because {
            Some(b) if !b.value.trim().is_empty() => b.value.clone(),
            _ => {
                self.error_hint(
                    a.name.span,
                    format!("allowance `{}` gives no justification", a.name.name),
                    Some("add `because \"...\"`: who reviewed it, when, and why it is not the listed party".to_string()),
                );
                return None;
            }
        };
        if a.entity.is_none() && a.party.is_none() {
            self.error_hint(
                a.name.span,
                format!(
                    "allowance `{}` names neither an `entity` nor a party `name`",
                    a.name.name
                ),
                None,
            );
            return None;
        }
        if let Some(id) = &a.entity {
            let text = id.to_string();
            let compiled = entities
                .binary_search_by(|e| e.id.as_str().cmp(&text))
                .is_ok();
            if !compiled && !names.failed_entity_ids.contains(&text) {
                self.error(id.span, format!("unknown entity `{text}`"));
            }
        }
        let country = a.country.as_ref().and_then(|c| self.country(c));
        if let Some(e) = &a.expires {
            self.date(e, "`expires`");
        }
        Some(ir::Allow {
            id: a.name.name.clone(),
            entity: a.entity.as_ref().map(ToString::to_string),
            party: a.party.as_ref().map(|t| t.value.clone()),
            country,
            because,
            expires: a.expires.as_ref().map(|t| t.value.clone()),
        })
    }
}
