//! Collects one entity's facts from however many records a list spreads them over,
//! dropping blanks and exact repeats, then builds the syntax tree node.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::rules::ast::{self, AliasRelation, Strength};
use crate::rules::span::Span;

use crate::reference::{country_code, imo_valid, is_date};

use super::text::squash;
use super::{Ctx, ImportError};

/// A text node; imported nodes have no source position.
pub(crate) fn text(s: &str) -> ast::Text {
    ast::Text {
        value: s.to_string(),
        span: Span::default(),
    }
}

/// An identifier node.
pub(crate) fn ident(s: &str) -> ast::Ident {
    ast::Ident {
        name: s.to_string(),
        span: Span::default(),
    }
}

/// The kinds of party the rule language knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Person,
    Organization,
    Vessel,
    Aircraft,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Vessel => "vessel",
            Kind::Aircraft => "aircraft",
        }
    }
}

/// One entity being assembled.
#[derive(Debug, Default)]
pub(crate) struct EntityBuilder {
    list: String,
    local: String,
    kind: Option<Kind>,
    name: Option<String>,
    aliases: Vec<(AliasRelation, Strength, String)>,
    countries: Vec<String>,
    nationalities: Vec<String>,
    programs: Vec<String>,
    identifiers: Vec<(String, String, Option<String>)>,
    addresses: Vec<String>,
    born: Vec<String>,
    birthplaces: Vec<String>,
    positions: Vec<String>,
    listed: Option<String>,
    remarks: Vec<String>,
    /// Country values that are neither codes nor known names, with what they were
    /// given as (`Country`, `Nationality`).
    pub unknown_countries: Vec<(&'static str, String)>,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    let s = squash(s);
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

impl EntityBuilder {
    /// A new entity `list:local`.
    pub fn new(list: &str, local: &str) -> Self {
        EntityBuilder {
            list: list.to_string(),
            local: local.trim().to_string(),
            ..EntityBuilder::default()
        }
    }

    /// The list's own identifier.
    pub fn local(&self) -> &str {
        &self.local
    }

    pub fn set_kind(&mut self, kind: Kind) {
        self.kind = Some(kind);
    }

    pub fn has_name(&self) -> bool {
        self.name.is_some()
    }

    /// Sets the primary name; a second primary name becomes an alias.
    pub fn name(&mut self, name: &str) {
        let name = squash(name);
        if name.is_empty() {
            return;
        }
        match &self.name {
            None => self.name = Some(name),
            Some(existing) if *existing == name => {}
            Some(_) => self.alias(AliasRelation::Aka, Strength::Strong, &name),
        }
    }

    /// Adds an alias unless it repeats the name or another alias.
    pub fn alias(&mut self, relation: AliasRelation, strength: Strength, alias: &str) {
        // The UN list writes some aliases in quotes: `"KOMID"`.
        let alias = squash(alias);
        let alias = match alias.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
            Some(inner) if !inner.contains('"') => inner.trim().to_string(),
            _ => alias,
        };
        if alias.is_empty() || self.name.as_deref() == Some(alias.as_str()) {
            return;
        }
        match self.aliases.iter_mut().find(|(_, _, a)| *a == alias) {
            // The same spelling listed twice with different qualities counts once, as
            // the stronger: a weak duplicate would only lower its score.
            Some(existing) => {
                if strength == Strength::Strong {
                    existing.1 = Strength::Strong;
                }
            }
            None => self.aliases.push((relation, strength, alias)),
        }
    }

    /// Adds a country given as a code or a name; returns false when it is neither.
    pub fn country(&mut self, c: &str) -> bool {
        Self::coded(
            &mut self.countries,
            &mut self.unknown_countries,
            "Country",
            c,
        )
    }

    /// Adds a nationality given as a code or a country name.
    pub fn nationality(&mut self, c: &str) -> bool {
        Self::coded(
            &mut self.nationalities,
            &mut self.unknown_countries,
            "Nationality",
            c,
        )
    }

    fn coded(
        v: &mut Vec<String>,
        unknown: &mut Vec<(&'static str, String)>,
        label: &'static str,
        c: &str,
    ) -> bool {
        let c = c.trim();
        if c.is_empty() {
            return true;
        }
        // "Afghanistan (since 2009)": the place, with a remark the list added.
        let bare = c.split_once(" (").map(|(b, _)| b.trim()).unwrap_or(c);
        match country_code(c).or_else(|| country_code(bare)) {
            Some(code) => {
                push_unique(v, code);
                true
            }
            None => {
                let c = squash(c);
                if !unknown.iter().any(|(l, u)| *l == label && *u == c) {
                    unknown.push((label, c));
                }
                false
            }
        }
    }

    pub fn program(&mut self, p: &str) {
        push_unique(&mut self.programs, p);
    }

    /// Adds an identifier; `scheme` must already be a valid scheme name.
    pub fn identifier(&mut self, scheme: &str, value: &str, note: Option<&str>) {
        let value = squash(value);
        if value.is_empty() {
            return;
        }
        let note = note.map(squash).filter(|n| !n.is_empty());
        if let Some(existing) = self
            .identifiers
            .iter_mut()
            .find(|(s, v, _)| s == scheme && *v == value)
        {
            if existing.2.is_none() {
                existing.2 = note;
            }
            return;
        }
        self.identifiers.push((scheme.to_string(), value, note));
    }

    /// Adds an IMO number, under `imo` only when its check digit holds: the rules
    /// compiler rejects a bad one, and the list's value is still worth keeping.
    pub fn imo(&mut self, value: &str, note: Option<&str>) {
        let value = value.trim();
        let digits = value.strip_prefix("IMO").unwrap_or(value).trim();
        if imo_valid(digits) && digits.len() == 7 {
            self.identifier("imo", digits, note);
        } else {
            let note = match note {
                Some(n) => format!("{n}; fails the IMO check digit"),
                None => "fails the IMO check digit".to_string(),
            };
            self.identifier("imo_unverified", digits, Some(&note));
        }
    }

    pub fn address(&mut self, a: &str) {
        push_unique(&mut self.addresses, a);
    }

    pub fn born(&mut self, b: &str) {
        push_unique(&mut self.born, b);
    }

    pub fn birthplace(&mut self, b: &str) {
        push_unique(&mut self.birthplaces, b);
    }

    pub fn position(&mut self, p: &str) {
        push_unique(&mut self.positions, p);
    }

    /// Sets the designation date if it is an ISO date and none is set (the earliest
    /// seen is kept when records disagree).
    pub fn listed(&mut self, date: &str) {
        if !is_date(date) {
            return;
        }
        match &self.listed {
            Some(d) if d.as_str() <= date => {}
            _ => self.listed = Some(date.to_string()),
        }
    }

    pub fn remark(&mut self, r: &str) {
        push_unique(&mut self.remarks, r);
    }

    /// The entity node. An entity without a name takes its first alias as name; with
    /// neither, `None`.
    pub fn build(mut self) -> Option<ast::Entity> {
        if self.name.is_none() && !self.aliases.is_empty() {
            let (_, _, first) = self.aliases.remove(0);
            self.name = Some(first);
        }
        let name = self.name?;
        let texts = |v: Vec<String>| v.iter().map(|s| text(s)).collect::<Vec<_>>();
        Some(ast::Entity {
            id: ast::EntityId {
                list: ident(&self.list),
                local: self.local,
                span: Span::default(),
            },
            kind: self.kind.map(|k| ident(k.keyword())),
            name: Some(text(&name)),
            aliases: self
                .aliases
                .into_iter()
                .map(|(relation, strength, a)| ast::Alias {
                    relation,
                    strength,
                    name: text(&a),
                    span: Span::default(),
                })
                .collect(),
            countries: texts(self.countries),
            nationalities: texts(self.nationalities),
            programs: texts(self.programs),
            identifiers: self
                .identifiers
                .into_iter()
                .map(|(scheme, value, note)| ast::Identifier {
                    scheme: ident(&scheme),
                    value: text(&value),
                    note: note.as_deref().map(text),
                    span: Span::default(),
                })
                .collect(),
            addresses: texts(self.addresses),
            born: texts(self.born),
            birthplaces: texts(self.birthplaces),
            positions: texts(self.positions),
            listed: self.listed.as_deref().map(text),
            remarks: texts(self.remarks),
            span: Span::default(),
        })
    }
}

/// The entities of a list being read, in the order first met, each found again by its
/// list id: lists that spread one party over several rows (the CSL, one row per US
/// list; the UK ConList, one row per name; the EU files, one row per fact) gather them
/// here, each entity remembering the file and line it started on for its diagnostics.
pub(crate) struct Parties {
    list: &'static str,
    entities: Vec<(EntityBuilder, PathBuf, u64)>,
    index: HashMap<String, usize>,
}

impl Parties {
    /// No entities yet, of `list`.
    pub fn new(list: &'static str) -> Self {
        Parties {
            list,
            entities: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Whether an entity `id` was met before.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The entity `id`, new (starting at `path:line`) when not met before.
    pub fn entry(&mut self, id: &str, path: &Path, line: u64) -> Option<&mut EntityBuilder> {
        let i = match self.index.get(id) {
            Some(&i) => i,
            None => {
                self.index.insert(id.to_string(), self.entities.len());
                self.entities
                    .push((EntityBuilder::new(self.list, id), path.to_path_buf(), line));
                self.entities.len() - 1
            }
        };
        self.entities.get_mut(i).map(|(e, _, _)| e)
    }

    /// Finishes every entity in order (see [`Ctx::build`]).
    pub fn build(self, ctx: &mut Ctx<'_>) -> Result<Vec<ast::Entity>, ImportError> {
        let mut out = Vec::with_capacity(self.entities.len());
        for (e, path, line) in self.entities {
            if let Some(e) = ctx.build(e, &path, line)? {
                out.push(e);
            }
        }
        Ok(out)
    }
}
