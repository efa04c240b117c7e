//! Lists, entities and place sets: dates and ages of lists, countries resolved to ISO
//! codes, an entity's names, kind, identifiers and dates checked.

use super::{Compiler, Names};
use crate::refdata::date::days_from_civil;
use crate::reference;
use crate::rules::ast::{self, SetKind, Text};
use crate::rules::diagnostic::{did_you_mean, Diagnostic};
use crate::rules::ir::{self, EntityKind};

impl Compiler<'_> {
    pub(super) fn list(&mut self, l: &ast::ListDecl) -> ir::List {
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

    pub(super) fn list_age(&mut self, l: &ast::ListDecl, as_of: &Text) {
        let Some(today) = &self.options.today else {
            return;
        };
        let (Some(then), Some(now)) = (days_from_civil(&as_of.value), days_from_civil(today))
        else {
            return;
        };
        let age = now - then;
        // A day ahead is a publisher east of here; more is a typo (2205 for 2025) that
        // would keep the list from ever being called stale.
        if age < -1 {
            self.diags.push(
                Diagnostic::warning(
                    as_of.span,
                    format!(
                        "list `{}` is dated {}, after today ({today}): its age cannot be checked, and decisions call it stale",
                        l.name.name, as_of.value
                    ),
                )
                .with_hint("`as_of` is the date of the list's version: correct it"),
            );
            return;
        }
        let Some(max) = self.options.max_list_age_days else {
            return;
        };
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

    pub(super) fn country(&mut self, t: &Text) -> Option<String> {
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
    pub(super) fn entity(
        &mut self,
        e: ast::Entity,
        id: String,
        names: &Names,
    ) -> Result<ir::Entity, String> {
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

    pub(super) fn place_set(&mut self, kind: SetKind, items: &[Text]) -> ir::PlaceSet {
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
}
