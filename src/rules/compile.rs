//! Syntax trees -> validated, immutable [`Ruleset`].
//!
//! Validation happens here and only here: unknown references, duplicates, invalid
//! country, currency and HS codes, dates, scores and thresholds. Every problem becomes
//! a [`Diagnostic`] pointing at the offending text; compilation carries on after an
//! error so that one run reports them all. Only a ruleset without errors is built.

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::ast::{self, Item, SetKind, Text};
use super::diagnostic::Diagnostic;
use super::ir::{self, Ruleset, RulesetData};
use super::span::Span;
use crate::refdata::date::today_utc;
use crate::reference;

mod categories;
mod entities;
mod money;
mod rules;

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
    let others = c.extend_sets(others);
    let data = c.run(&others, entities, hash);
    let ok = !c.diags.iter().any(Diagnostic::is_error);
    (ok.then(|| Ruleset::from_data(data)), c.diags)
}

/// The word a set declaration uses for `kind`.
fn set_kind(kind: ast::SetKind) -> &'static str {
    match kind {
        ast::SetKind::Countries => "countries",
        ast::SetKind::Places => "places",
        ast::SetKind::Categories => "categories",
    }
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

    /// Adds the members of each `set NAME += ...` to the set of that name declared with
    /// `=` (a shipped set, extended from a file given with `--add-rules`), so that the
    /// passes after see one set. Adding to no set, or to a set of another kind, is an
    /// error: the members would otherwise be screened nowhere.
    fn extend_sets(&mut self, items: Vec<Item>) -> Vec<Item> {
        let (extensions, mut items): (Vec<Item>, Vec<Item>) = items
            .into_iter()
            .partition(|i| matches!(i, Item::Set(s) if s.extends));
        for ext in extensions {
            let Item::Set(ext) = ext else { continue };
            let base = items.iter_mut().find_map(|i| match i {
                Item::Set(s) if s.name.name == ext.name.name => Some(s),
                _ => None,
            });
            match base {
                Some(base) if base.kind == ext.kind => base.items.extend(ext.items),
                Some(base) => self.error(
                    ext.name.span,
                    format!(
                        "set `{}` holds {}, not {}",
                        ext.name.name,
                        set_kind(base.kind),
                        set_kind(ext.kind)
                    ),
                ),
                None => self.error_hint(
                    ext.name.span,
                    format!("no set `{}` to add to", ext.name.name),
                    Some(
                        "`+=` adds to a set declared in another loaded file (such as the shipped \
                         `dprk_transshipment_hubs`); declare a new set with `=`"
                            .to_string(),
                    ),
                ),
            }
        }
        items
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
                        self.error_hint(
                            s.name.span,
                            format!("duplicate set `{}`", s.name.name),
                            Some(format!(
                                "set names must be unique across all loaded files; to add \
                                 members to the other one, write `set {} {} += ...`",
                                set_kind(s.kind),
                                s.name.name
                            )),
                        );
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
        self.categories_no_rule_reaches(items, &data);
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
}
