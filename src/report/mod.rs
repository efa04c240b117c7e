//! The reviewers' report: one self-contained HTML file from a file of decisions.
//!
//! [`ReportBuilder`] reads decisions one line at a time and keeps counts of every
//! decision (by decision, rule, list, country and over the file or over time), but
//! the details (hits, evidence, the rules' legal basis, the listed entities) only of
//! the orders held for review or blocked: a reviewer's worklist is those, and a file of
//! 100,000 decisions stays a page a browser opens at once. [`Report::to_html`] writes
//! the page: figures and charts as inline SVG, the worklist as a table the page's own
//! script sorts, filters and pages, and each order's evidence highlighted in the text
//! it was found in. Nothing is loaded from the network (the page says so to the
//! browser in its content security policy).
//!
//! Decisions carry no time of screening, and `screen` adds none, so that the same
//! orders and rules give the same bytes. The report charts decisions over time when
//! lines carry a `screened_at` (or an audit log's `time`) and otherwise over the
//! file's order, in equal slices.

mod entity;
mod html;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

pub use entity::{alias_kind, EntityDetails, ListRef};

use crate::io::Rejected;
use crate::order::Order;
use crate::rules::{Decision, Ruleset};

/// How a report is made.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The page's title (the decisions file's name, say).
    pub title: String,
    /// Orders held for review or blocked whose evidence is embedded; past it, they are
    /// still counted and listed, without their evidence.
    pub max_details: usize,
    /// Slices of the file (or days) in the chart over time.
    pub time_slices: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "Screening decisions".to_string(),
            max_details: 10_000,
            time_slices: 20,
        }
    }
}

/// Counts of decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Cleared.
    pub clear: u64,
    /// Held for review.
    pub review: u64,
    /// Blocked.
    pub block: u64,
}

impl Counts {
    fn add(&mut self, d: Decision) {
        match d {
            Decision::Clear => self.clear += 1,
            Decision::Review => self.review += 1,
            Decision::Block => self.block += 1,
        }
    }

    /// All decisions.
    pub fn total(&self) -> u64 {
        self.clear + self.review + self.block
    }
}

/// A rule as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    /// Its id.
    pub id: String,
    /// Its title, when the ruleset is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its legal basis.
    pub basis: Vec<String>,
    /// The reason its decisions give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Orders it fired on.
    pub orders: u64,
}

/// One order of the worklist (held for review or blocked).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The order id.
    pub id: String,
    /// `review` or `block`.
    pub decision: Decision,
    /// Indices into [`Report::rules`] of the rules that fired.
    pub rules: Vec<usize>,
    /// Lists of the entities hit.
    pub lists: Vec<String>,
    /// Countries named by the evidence (ISO codes).
    pub countries: Vec<String>,
    /// The best name score, when a name matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The position of its details in [`Report::details`], when embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<usize>,
    /// Whether the decision is a re-screen's (it has a `previous`).
    pub changed: bool,
}

/// What the report embeds of one order of the worklist.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    /// The hits, as the decision wrote them, without the `basis` and `reason` that are
    /// their rule's (in [`Report::rules`]), and with `input` filled in from the orders
    /// where the decision had none.
    pub hits: Vec<Value>,
    /// Hits suppressed by allowances.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Value>,
    /// For a re-screen's decision: the decision it replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Value>,
    /// For a re-screen's decision: the changes that explain it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Value>,
}

/// A slice of the chart over time.
#[derive(Debug, Clone, Serialize)]
pub struct Slice {
    /// Its label (a day, or a range of lines).
    pub label: String,
    /// Its decisions.
    pub counts: Counts,
}

/// Everything the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The page's title.
    pub title: String,
    /// Decisions by kind.
    pub counts: Counts,
    /// Lines that are no decision, with their line numbers.
    pub rejected: Vec<Rejected>,
    /// The ruleset hashes the decisions name, with counts.
    pub rulesets: BTreeMap<String, u64>,
    /// The hash of the ruleset the report read rule titles and entity details from,
    /// when it had one: decisions made with another may cite entities it lacks.
    pub loaded_ruleset: Option<String>,
    /// Entities the worklist's evidence cites that the loaded ruleset does not hold
    /// (their details cannot be shown), sorted.
    pub unknown_entities: Vec<String>,
    /// List versions the decisions name (`ofac-sdn 2024-05-03`), with counts.
    pub list_versions: BTreeMap<String, u64>,
    /// Those of [`Report::list_versions`] a decision marked stale (older than the
    /// screening's limit when it was made), with the largest age in days it gave.
    pub stale_lists: BTreeMap<String, u64>,
    /// Rules that fired, most orders first.
    pub rules: Vec<RuleInfo>,
    /// Orders with an entity hit on each list.
    pub lists: BTreeMap<String, u64>,
    /// Orders held or blocked whose evidence names each country.
    pub countries: BTreeMap<String, u64>,
    /// Whether [`Report::time`] is over days (`true`) or over the file's order.
    pub by_day: bool,
    /// Decisions over time or over the file.
    pub time: Vec<Slice>,
    /// The worklist, in file order.
    pub rows: Vec<Row>,
    /// Embedded evidence of the worklist.
    pub details: Vec<Detail>,
    /// Worklist orders whose evidence was left out (past `max_details`).
    pub details_left_out: u64,
    /// The listed entities the details cite.
    pub entities: BTreeMap<String, EntityDetails>,
    /// Re-screen decisions in the file (lines with a `previous`).
    pub rescreened: u64,
}

/// Reads decisions and gathers a [`Report`].
pub struct ReportBuilder<'a> {
    ruleset: Option<&'a Ruleset>,
    options: ReportOptions,
    counts: Counts,
    rejected: Vec<Rejected>,
    rulesets: BTreeMap<String, u64>,
    list_versions: BTreeMap<String, u64>,
    stale_lists: BTreeMap<String, u64>,
    rule_index: HashMap<String, usize>,
    rules: Vec<RuleInfo>,
    lists: BTreeMap<String, u64>,
    countries: BTreeMap<String, u64>,
    /// Each decision in file order, and its day when the line has one.
    timeline: Vec<(Decision, Option<String>)>,
    rows: Vec<Row>,
    details: Vec<Detail>,
    details_left_out: u64,
    rescreened: u64,
    /// Orders whose hits lack the input text, by id: (detail, hit) positions.
    missing_input: HashMap<String, Vec<(usize, usize)>>,
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl<'a> ReportBuilder<'a> {
    /// A builder; `ruleset` (the one the decisions were made with, or a newer one)
    /// supplies rule titles, legal basis the decisions lack, and entity details.
    pub fn new(ruleset: Option<&'a Ruleset>, options: ReportOptions) -> ReportBuilder<'a> {
        ReportBuilder {
            ruleset,
            options,
            counts: Counts::default(),
            rejected: Vec::new(),
            rulesets: BTreeMap::new(),
            list_versions: BTreeMap::new(),
            stale_lists: BTreeMap::new(),
            rule_index: HashMap::new(),
            rules: Vec::new(),
            lists: BTreeMap::new(),
            countries: BTreeMap::new(),
            timeline: Vec::new(),
            rows: Vec::new(),
            details: Vec::new(),
            details_left_out: 0,
            rescreened: 0,
            missing_input: HashMap::new(),
        }
    }

    fn rule(&mut self, id: &str) -> usize {
        if let Some(&k) = self.rule_index.get(id) {
            return k;
        }
        let known = self
            .ruleset
            .and_then(|rs| rs.rules().iter().find(|r| r.id == id));
        self.rules.push(RuleInfo {
            id: id.to_string(),
            title: known.and_then(|r| r.title.clone()),
            basis: known.map(|r| r.basis.clone()).unwrap_or_default(),
            reason: known.map(|r| r.reason.clone()),
            orders: 0,
        });
        self.rule_index.insert(id.to_string(), self.rules.len() - 1);
        self.rules.len() - 1
    }

    /// Reads one decision line (`line` its number, for errors). A line that is not a
    /// decision is kept as rejected and reported on the page.
    pub fn add_line(&mut self, line: u64, text: &str) -> Result<(), Rejected> {
        let reject = |id: Option<String>, error: String| Rejected { line, id, error };
        let value: Value =
            serde_json::from_str(text).map_err(|e| reject(None, format!("not a decision: {e}")))?;
        let Value::Object(mut obj) = value else {
            return Err(reject(
                None,
                "not a decision: expected a JSON object".to_string(),
            ));
        };
        let id = obj
            .get("id")
            .and_then(text_of)
            .ok_or_else(|| reject(None, "a decision needs an \"id\"".to_string()))?;
        let decision = match obj.get("decision").and_then(Value::as_str) {
            Some("clear") => Decision::Clear,
            Some("review") => Decision::Review,
            Some("block") => Decision::Block,
            Some(other) => {
                return Err(reject(
                    Some(id),
                    format!("\"decision\" must be clear, review or block, not `{other}`"),
                ))
            }
            None => {
                return Err(reject(
                    Some(id),
                    "it has no \"decision\" (clear, review or block)".to_string(),
                ))
            }
        };
        let hits = match obj.remove("hits") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(h)) => h,
            Some(_) => return Err(reject(Some(id), "\"hits\" must be a list".to_string())),
        };
        self.counts.add(decision);
        if let Some(h) = obj.get("ruleset").and_then(Value::as_str) {
            *self.rulesets.entry(h.to_string()).or_default() += 1;
        }
        for l in obj
            .get("lists")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(n), Some(d)) = (
                l.get("name").and_then(Value::as_str),
                l.get("as_of").and_then(Value::as_str),
            ) {
                let version = format!("{n} {d}");
                if l.get("stale").and_then(Value::as_bool) == Some(true) {
                    let age = l.get("age_days").and_then(Value::as_u64).unwrap_or(0);
                    let oldest = self.stale_lists.entry(version.clone()).or_default();
                    *oldest = (*oldest).max(age);
                }
                *self.list_versions.entry(version).or_default() += 1;
            }
        }
        let day = ["screened_at", "time"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str))
            .and_then(|t| t.get(..10))
            .map(str::to_string);
        self.timeline.push((decision, day));

        let mut rules = Vec::new();
        let mut lists = BTreeSet::new();
        let mut countries = BTreeSet::new();
        let mut score: Option<f64> = None;
        let mut hits: Vec<Value> = hits;
        for h in &mut hits {
            let Some(hit) = h.as_object_mut() else {
                continue;
            };
            if let Some(rule) = hit.get("rule").and_then(Value::as_str).map(str::to_string) {
                let k = self.rule(&rule);
                if !rules.contains(&k) {
                    rules.push(k);
                }
                // The basis and reason are the rule's: the page reads them once from
                // its table of rules rather than from every hit (a large file repeats
                // them thousands of times). The first hit teaches a rule the
                // ruleset does not know.
                if let Some(r) = self.rules.get_mut(k) {
                    if let Some(Value::Array(b)) = hit.get("basis") {
                        if r.basis.is_empty() {
                            r.basis = b
                                .iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect();
                        }
                    }
                    if r.reason.is_none() {
                        r.reason = hit
                            .get("reason")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                    }
                    let same_basis = hit.get("basis").is_none_or(|b| {
                        b.as_array().is_some_and(|b| {
                            b.len() == r.basis.len()
                                && b.iter()
                                    .zip(&r.basis)
                                    .all(|(x, y)| x.as_str() == Some(y.as_str()))
                        })
                    });
                    if same_basis {
                        hit.remove("basis");
                    }
                    if hit.get("reason").and_then(Value::as_str) == r.reason.as_deref() {
                        hit.remove("reason");
                    }
                }
            }
            if let Some(e) = hit.get("entity").and_then(Value::as_str) {
                if let Some((list, _)) = e.split_once(':') {
                    lists.insert(list.to_string());
                }
                if let Some(ent) = self.ruleset.and_then(|rs| rs.entity(e)) {
                    countries.extend(ent.countries.iter().cloned());
                    countries.extend(ent.nationalities.iter().cloned());
                }
                if let Some(s) = hit.get("score").and_then(Value::as_f64) {
                    score = Some(score.map_or(s, |b| b.max(s)));
                }
            }
            if let Some(place) = hit.get("place").and_then(Value::as_str) {
                if place.len() == 2 && place.bytes().all(|b| b.is_ascii_uppercase()) {
                    countries.insert(place.to_string());
                }
            }
        }
        for &k in &rules {
            if let Some(r) = self.rules.get_mut(k) {
                r.orders += 1;
            }
        }
        for l in &lists {
            *self.lists.entry(l.clone()).or_default() += 1;
        }
        let previous = obj.remove("previous").filter(|p| !p.is_null());
        if previous.is_some() {
            self.rescreened += 1;
        }
        if decision == Decision::Clear {
            return Ok(());
        }
        for c in &countries {
            *self.countries.entry(c.clone()).or_default() += 1;
        }
        let detail = if self.details.len() < self.options.max_details {
            let k = self.details.len();
            for (j, h) in hits.iter().enumerate() {
                let has_input = h.get("input").is_some_and(|i| !i.is_null());
                let has_field = h.get("field").and_then(Value::as_str).is_some();
                if !has_input && has_field {
                    self.missing_input
                        .entry(id.clone())
                        .or_default()
                        .push((k, j));
                }
            }
            let list_of = |v: Option<Value>| match v {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            self.details.push(Detail {
                hits,
                allowed: list_of(obj.remove("allowed")),
                changes: list_of(obj.remove("changes")),
                previous: previous.clone(),
            });
            Some(k)
        } else {
            self.details_left_out += 1;
            None
        };
        self.rows.push(Row {
            id,
            decision,
            rules,
            lists: lists.into_iter().collect(),
            countries: countries.into_iter().collect(),
            score,
            detail,
            changed: previous.is_some(),
        });
        Ok(())
    }

    /// Reads every line of a decisions file; lines that are not decisions are kept as
    /// rejected (see [`Report::rejected`]).
    pub fn add_lines(&mut self, reader: impl std::io::BufRead) -> std::io::Result<()> {
        for (k, line) in reader.lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            if let Err(r) = self.add_line(k as u64 + 1, &line) {
                self.rejected.push(r);
            }
        }
        Ok(())
    }

    /// Whether some worklist hits lack the text they were found in (decisions written
    /// before hits carried `input`), so that reading the orders would help.
    pub fn wants_orders(&self) -> bool {
        !self.missing_input.is_empty()
    }

    /// Fills in the input text of worklist hits that lack it from `order`.
    pub fn add_order(&mut self, order: &Order) {
        let Some(positions) = self.missing_input.remove(&order.id) else {
            return;
        };
        for (k, j) in positions {
            let Some(hit) = self
                .details
                .get_mut(k)
                .and_then(|d| d.hits.get_mut(j))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let text = hit
                .get("field")
                .and_then(Value::as_str)
                .and_then(|f| crate::engine::field::field_text(order, f))
                .map(str::to_string);
            if let Some(text) = text {
                hit.insert("input".into(), Value::String(text));
            }
        }
    }

    /// The report.
    pub fn finish(self) -> Report {
        let ReportBuilder {
            ruleset,
            options,
            counts,
            rejected,
            rulesets,
            list_versions,
            stale_lists,
            mut rules,
            lists,
            countries,
            timeline,
            rows,
            details,
            details_left_out,
            rescreened,
            ..
        } = self;
        let mut entities = BTreeMap::new();
        let mut unknown_entities = std::collections::BTreeSet::new();
        if let Some(rs) = ruleset {
            for d in &details {
                for h in d.hits.iter().chain(&d.allowed) {
                    if let Some(e) = h.get("entity").and_then(Value::as_str) {
                        if !entities.contains_key(e) {
                            match EntityDetails::of(rs, e) {
                                Some(details) => {
                                    entities.insert(e.to_string(), details);
                                }
                                None => {
                                    unknown_entities.insert(e.to_string());
                                }
                            }
                        }
                    }
                }
            }
        }
        // Rows refer to rules by position: sort a copy of the order, then renumber.
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by(|&a, &b| {
            rules[b]
                .orders
                .cmp(&rules[a].orders)
                .then(rules[a].id.cmp(&rules[b].id))
        });
        let mut renumber = vec![0; rules.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old] = new;
        }
        let mut sorted: Vec<Option<RuleInfo>> = rules.drain(..).map(Some).collect();
        let rules: Vec<RuleInfo> = order.iter().filter_map(|&k| sorted[k].take()).collect();
        let rows = rows
            .into_iter()
            .map(|mut r| {
                for k in &mut r.rules {
                    *k = renumber[*k];
                }
                r
            })
            .collect();
        let by_day = !timeline.is_empty() && timeline.iter().all(|(_, d)| d.is_some());
        let time = if by_day {
            let mut days: BTreeMap<String, Counts> = BTreeMap::new();
            for (d, day) in &timeline {
                if let Some(day) = day {
                    days.entry(day.clone()).or_default().add(*d);
                }
            }
            days.into_iter()
                .map(|(label, counts)| Slice { label, counts })
                .collect()
        } else {
            let n = timeline.len();
            let slices = options.time_slices.clamp(1, n.max(1));
            let size = n.div_ceil(slices).max(1);
            timeline
                .chunks(size)
                .enumerate()
                .map(|(k, chunk)| {
                    let mut counts = Counts::default();
                    for (d, _) in chunk {
                        counts.add(*d);
                    }
                    Slice {
                        label: format!("{}-{}", k * size + 1, k * size + chunk.len()),
                        counts,
                    }
                })
                .collect()
        };
        Report {
            title: options.title,
            counts,
            rejected,
            rulesets,
            loaded_ruleset: ruleset.map(|rs| rs.hash().to_string()),
            unknown_entities: unknown_entities.into_iter().collect(),
            list_versions,
            stale_lists,
            rules,
            lists,
            countries,
            by_day,
            time,
            rows,
            details,
            details_left_out,
            entities,
            rescreened,
        }
    }
}

impl Report {
    /// The page: one self-contained HTML document.
    pub fn to_html(&self) -> String {
        html::render(self)
    }

    /// A note when some decisions were made with other rules than the ones the
    /// report read, and what that leaves out: the details of entities those rules
    /// held and these do not.
    pub fn other_rules_note(&self) -> Option<String> {
        let loaded = self.loaded_ruleset.as_deref()?;
        let other: u64 = self
            .rulesets
            .iter()
            .filter(|(h, _)| h.as_str() != loaded)
            .map(|(_, n)| n)
            .sum();
        if other == 0 && self.unknown_entities.is_empty() {
            return None;
        }
        let mut note = format!(
            "{other} decision(s) were made with another ruleset than the one this report read ({loaded})"
        );
        if !self.unknown_entities.is_empty() {
            let shown: Vec<&str> = self
                .unknown_entities
                .iter()
                .take(5)
                .map(String::as_str)
                .collect();
            note.push_str(&format!(
                "; {} entit{} they cite {} not in it, so {} details are not shown ({}{})",
                self.unknown_entities.len(),
                if self.unknown_entities.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                if self.unknown_entities.len() == 1 {
                    "is"
                } else {
                    "are"
                },
                if self.unknown_entities.len() == 1 {
                    "its"
                } else {
                    "their"
                },
                shown.join(", "),
                if self.unknown_entities.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ));
        }
        note.push_str(": give the rules they were made with (--rules or --add-rules)");
        Some(note)
    }

    /// The stale list versions, with their age: `ofac-sdn 2024-05-03 (948 days)`.
    pub fn stale_list_text(&self) -> String {
        self.stale_lists
            .iter()
            .map(|(v, age)| format!("{v} ({age} days)"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &str = r#"{"id":"a","decision":"clear","hits":[],"ruleset":"sha256:1","lists":[{"name":"un","as_of":"2026-02-27"}]}
{"id":"b","decision":"block","hits":[{"rule":"listed","decision":"block","reason":"Listed","basis":["UNSCR 1718"],"kind":"entity","field":"parties[0].name","entity":"un:KPe.001","name":"KOMID","score":0.97},{"rule":"lux","decision":"block","reason":"Luxury","basis":["UNSCR 2094"],"kind":"route","field":"route.destination","place":"KP","text":"Nampo","start":0,"end":5}],"ruleset":"sha256:1"}
not json
{"id":"c","decision":"review","hits":[{"rule":"listed","kind":"entity","field":"parties[1].name","entity":"ofac-sdn:1","name":"X","score":0.8}],"ruleset":"sha256:1","previous":{"decision":"clear","ruleset":"sha256:0"},"changes":[{"text":"newly listed on ofac-sdn, as of 2026-12-01"}]}
{"id":"d","decision":"maybe","ruleset":"sha256:1"}
"#;

    #[test]
    fn counts_every_decision_and_keeps_the_worklist_evidence() {
        let mut b = ReportBuilder::new(
            None,
            ReportOptions {
                max_details: 1,
                time_slices: 2,
                ..ReportOptions::default()
            },
        );
        b.add_lines(LINES.as_bytes()).expect("reads");
        assert!(b.wants_orders(), "hit b has no input");
        let order = Order::from_json(
            r#"{"id":"b","parties":[{"name":"Komid Trading"}],"route":{"destination":"Nampo"}}"#,
        )
        .expect("order");
        b.add_order(&order);
        let r = b.finish();
        assert_eq!(
            r.counts,
            Counts {
                clear: 1,
                review: 1,
                block: 1
            }
        );
        let lines: Vec<u64> = r.rejected.iter().map(|x| x.line).collect();
        assert_eq!(lines, [3, 5]);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].countries, ["KP"]);
        assert_eq!(r.rows[0].lists, ["un"]);
        assert_eq!(r.rows[0].detail, Some(0));
        assert_eq!(r.rows[1].detail, None, "past max_details");
        assert!(r.rows[1].changed);
        assert_eq!((r.details_left_out, r.rescreened), (1, 1));
        // The rule fired on two orders; its basis and reason are kept once, in the table.
        assert_eq!(r.rules[0].id, "listed");
        assert_eq!(r.rules[0].orders, 2);
        assert_eq!(r.rules[0].basis, ["UNSCR 1718"]);
        let hit = &r.details[0].hits[0];
        assert!(hit.get("basis").is_none() && hit.get("reason").is_none());
        assert_eq!(hit["input"], "Komid Trading");
        assert_eq!(r.details[0].hits[1]["input"], "Nampo");
        assert!(!r.by_day);
        assert_eq!(r.time.len(), 2);
        assert_eq!(r.time[0].label, "1-2");
        let html = r.to_html();
        assert!(html.contains("id=\"count-total\" data-count=\"3\""));
        assert!(html.contains("line 3: not a decision"));
    }

    #[test]
    fn decisions_with_a_time_are_charted_by_day() {
        let mut b = ReportBuilder::new(None, ReportOptions::default());
        for (k, (day, d)) in [
            ("2026-12-01", "clear"),
            ("2026-12-02", "block"),
            ("2026-12-01", "review"),
        ]
        .iter()
        .enumerate()
        {
            let line = format!(
                r#"{{"id":"{k}","decision":"{d}","hits":[],"ruleset":"h","screened_at":"{day}T10:00:00Z"}}"#
            );
            b.add_line(k as u64 + 1, &line).expect("a decision");
        }
        let r = b.finish();
        assert!(r.by_day);
        let days: Vec<(&str, u64)> = r
            .time
            .iter()
            .map(|s| (s.label.as_str(), s.counts.total()))
            .collect();
        assert_eq!(days, [("2026-12-01", 2), ("2026-12-02", 1)]);
    }
}
