//! The ruleset section of an artifact: the compiled ruleset as postcard, with the two
//! things its JSON form leaves out (each entity's list, each term's patterns) stored
//! beside it, and its cross-references checked before anything reads them.

use serde::{Deserialize, Serialize};

use crate::engine::links::Links;
use crate::rules::ir::{Cond, EntityFilter, RulesetData};
use crate::rules::Ruleset;
use crate::text::goods::pattern::TermPattern;

#[derive(Serialize)]
struct Stored<'a> {
    data: &'a RulesetData,
    /// Each entity's list (its position in `lists`), which the entity's serialized
    /// form leaves out.
    entity_lists: Vec<u32>,
    /// Each entity's group of entries of one party across lists (see
    /// [`Links`]), found by comparing every name when the rules compiled.
    groups: Vec<u32>,
    /// Each term's and then each excluded term's patterns, category by category, as
    /// (text, prefix): normalizing every term again cost a tenth of the start.
    patterns: Vec<Vec<(&'a str, bool)>>,
}

#[derive(Deserialize)]
struct Read {
    data: RulesetData,
    entity_lists: Vec<u32>,
    groups: Vec<u32>,
    patterns: Vec<Vec<(String, bool)>>,
}

/// Every term's patterns, in the order [`Stored::patterns`] keeps them.
fn term_patterns(data: &mut RulesetData) -> impl Iterator<Item = &mut Vec<TermPattern>> {
    data.categories.iter_mut().flat_map(|c| {
        let terms = c.terms.iter_mut().map(|t| &mut t.patterns);
        terms.chain(c.exclude_terms.iter_mut().map(|t| &mut t.patterns))
    })
}

/// The ruleset section of `rules`.
pub(super) fn store(rules: &Ruleset) -> Result<Vec<u8>, String> {
    let entity_lists = rules
        .entities()
        .iter()
        .map(|e| u32::try_from(e.list).map_err(|e| e.to_string()))
        .collect::<Result<Vec<u32>, String>>()?;
    let links = match &rules.links {
        Some(l) => Links::clone(l),
        None => Links::new(rules),
    };
    let groups = links
        .groups()
        .iter()
        .map(|&g| u32::try_from(g).map_err(|e| e.to_string()))
        .collect::<Result<Vec<u32>, String>>()?;
    let patterns = rules
        .inner
        .categories
        .iter()
        .flat_map(|c| {
            let terms = c.terms.iter().map(|t| &t.patterns);
            terms.chain(c.exclude_terms.iter().map(|t| &t.patterns))
        })
        .map(|ps| ps.iter().map(|p| (p.text.as_str(), p.prefix)).collect())
        .collect();
    postcard::to_allocvec(&Stored {
        data: &rules.inner,
        entity_lists,
        groups,
        patterns,
    })
    .map_err(|e| e.to_string())
}

/// The ruleset [`store`] wrote, checked.
pub(super) fn load(bytes: &[u8]) -> Result<Ruleset, String> {
    let Read {
        mut data,
        entity_lists,
        groups,
        patterns,
    } = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
    if entity_lists.len() != data.entities.len() {
        return Err("entities and their lists differ in number".into());
    }
    let lists = data.lists.len();
    for (e, &list) in data.entities.iter_mut().zip(&entity_lists) {
        e.list = list as usize;
        if e.list >= lists {
            return Err(format!("entity {} names list {list} of {lists}", e.id));
        }
    }
    let terms = term_patterns(&mut data).count();
    if patterns.len() != terms {
        return Err(format!(
            "{} terms and {} terms' patterns",
            terms,
            patterns.len()
        ));
    }
    for (to, from) in term_patterns(&mut data).zip(patterns) {
        *to = from
            .into_iter()
            .map(|(text, prefix)| TermPattern { text, prefix })
            .collect();
    }
    check(&data)?;
    let n = data.entities.len();
    if groups.len() != n || groups.iter().any(|&g| g as usize >= n) {
        return Err("its entities' groups do not fit its entities".into());
    }
    let mut rules = Ruleset::from_data(data);
    rules.links = Some(std::sync::Arc::new(Links::from_groups(
        groups.into_iter().map(|g| g as usize).collect(),
    )));
    Ok(rules)
}

/// Whether every position the ruleset holds points at something.
fn check(data: &RulesetData) -> Result<(), String> {
    let categories = data.categories.len();
    let filter_fits = |f: &EntityFilter| f.lists.iter().all(|&l| l < data.lists.len());
    fn walk(c: &Cond, ok: &mut dyn FnMut(&Cond) -> bool) -> bool {
        ok(c)
            && match c {
                Cond::And(v) | Cond::Or(v) => v.iter().all(|c| walk(c, ok)),
                Cond::Not(c) => walk(c, ok),
                _ => true,
            }
    }
    let mut fits = |c: &Cond| match c {
        Cond::PartyMatches { filter, .. } | Cond::VesselMatches { filter, .. } => {
            filter_fits(filter)
        }
        Cond::GoodsIn(v) => v.iter().all(|&k| k < categories),
        _ => true,
    };
    if let Some(r) = data.rules.iter().find(|r| !walk(&r.when, &mut fits)) {
        return Err(format!(
            "rule {} names a list or category it does not have",
            r.id
        ));
    }
    if data
        .category_sets
        .values()
        .any(|v| v.iter().any(|&k| k >= categories))
    {
        return Err("a category set names a category it does not have".into());
    }
    if !data.entities.windows(2).all(|w| match w {
        [a, b] => a.id <= b.id,
        _ => true,
    }) {
        return Err("its entities are not sorted by id".into());
    }
    Ok(())
}
