//! Engine settings that are not rules, read from `embargo.toml`.
//!
//! Every key is optional and documented on its field; unknown keys are rejected with
//! their line and column and a "did you mean", because a misspelt threshold that
//! silently falls back to the default is worse than no setting at all. So are list
//! names in `[lists] enabled` that no loaded list has ([`Settings::load_rules`]
//! checks them against the rules): `enabled = ["ofac"]` would screen against nothing.
//! `embargo.example.toml` in the repository lists every key with its default.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::rules::diagnostic::did_you_mean;
use crate::rules::{CompileOptions, Diagnostic, RuleSource, SourceFile, SourceMap, Span};

/// All settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Name matching.
    pub matching: MatchingSettings,
    /// Which lists to load and how old they may be.
    pub lists: ListSettings,
    /// The HTTP service.
    pub server: ServerSettings,
    /// Output of the CLI.
    pub output: OutputSettings,
    /// Batch screening.
    pub batch: BatchSettings,
    /// The file the settings were read from, to locate problems found once the rules
    /// are loaded (a list name no list has). Not a setting.
    #[serde(skip)]
    pub origin: SettingsOrigin,
}

/// The text settings were read from, and its name, when they were read from one. It
/// takes no part in equality: two settings are equal when they set the same, wherever
/// they were read from.
#[derive(Debug, Clone, Default)]
pub struct SettingsOrigin {
    /// The file name, as diagnostics show it, and the whole text.
    pub file: Option<(String, Arc<str>)>,
}

/// Name matching thresholds and limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchingSettings {
    /// Score at or above which a name is taken to match a listed name: the lowest score
    /// `match` reports, and the threshold of rules with no `score >=` of their own
    /// (rules that review a grey zone below it state their own lower score). Default:
    /// [`crate::matching::DEFAULT_THRESHOLD`], chosen on the labelled evaluation sets.
    pub threshold: f64,
    /// Most hits returned per name. Default 10.
    pub limit: usize,
}

impl Default for MatchingSettings {
    fn default() -> Self {
        MatchingSettings {
            threshold: crate::matching::DEFAULT_THRESHOLD,
            limit: 10,
        }
    }
}

/// List selection and freshness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ListSettings {
    /// Only entities of these lists are screened (by list name); empty means all.
    pub enabled: Vec<String>,
    /// A list whose `as_of` is older than this many days is stale: `check`, `screen`,
    /// `match` and `serve` warn of it, and each decision's `lists` marks it. Default 365.
    pub max_age_days: u32,
}

impl Default for ListSettings {
    fn default() -> Self {
        ListSettings {
            enabled: Vec::new(),
            max_age_days: 365,
        }
    }
}

/// `embargo serve` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on. Default `127.0.0.1:8080` (loopback only).
    pub addr: String,
    /// File holding the bearer token that guards every endpoint but health checks.
    /// The environment variable `EMBARGO_TOKEN` takes precedence. Default: none.
    pub token_file: Option<String>,
    /// Largest request body accepted, in bytes. Default 1 MiB.
    pub max_body_bytes: usize,
    /// Time allowed for one request, in milliseconds. Default 10000.
    pub request_timeout_ms: u64,
    /// Screening slots; a request takes one per started 64 KiB of its body (a single
    /// order one, a 1 MiB batch 17), and waits in line for them. Default 64.
    pub max_concurrency: usize,
    /// Places in line beyond `max_concurrency`, counted the same way; a request that
    /// finds too few is answered 429 at once, before its body is read, so the bodies
    /// held stay under the larger of `(max_concurrency + max_queue) * 64 KiB` and
    /// `max_body_bytes`. Default 64.
    pub max_queue: usize,
    /// Open connections at most (lowered to fit the open-file limit); at the cap the
    /// longest-idle connection is closed to let a new one in. Default 1024.
    pub max_connections: usize,
    /// Time for a request's headers to arrive once its first byte has, in
    /// milliseconds. Default 10000.
    pub header_read_timeout_ms: u64,
    /// A keep-alive connection with no request for this long is closed, in
    /// milliseconds. Default 60000.
    pub idle_timeout_ms: u64,
    /// On SIGTERM or Ctrl-C, time given to requests in flight before the rest is
    /// abandoned, in milliseconds. Default 10000.
    pub shutdown_grace_ms: u64,
    /// Append-only JSON lines audit log of decisions. Default: none.
    pub audit_log: Option<String>,
    /// Log order contents (names, goods). Default false: logs hold no order data.
    pub log_order_contents: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            addr: "127.0.0.1:8080".to_string(),
            token_file: None,
            max_body_bytes: 1 << 20,
            request_timeout_ms: 10_000,
            max_concurrency: 64,
            max_queue: 64,
            max_connections: 1024,
            header_read_timeout_ms: 10_000,
            idle_timeout_ms: 60_000,
            shutdown_grace_ms: 10_000,
            audit_log: None,
            log_order_contents: false,
        }
    }
}

/// CLI output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputSettings {
    /// Include score explanations (token alignments) in hits. Default true.
    pub explain: bool,
    /// Show a progress bar on stderr for batch screening when it is a terminal. Default true.
    pub progress: bool,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            explain: true,
            progress: true,
        }
    }
}

/// Batch screening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchSettings {
    /// Worker threads; 0 means one per core. Default 0.
    pub threads: usize,
    /// Orders screened per chunk (bounds memory). Default 4096.
    pub chunk_size: usize,
    /// Distinct party-name searches remembered across orders (0: none). Order files
    /// repeat their counterparties; results are the same either way. Default 200000.
    pub name_cache: usize,
}

impl Default for BatchSettings {
    fn default() -> Self {
        BatchSettings {
            threads: 0,
            chunk_size: 4096,
            name_cache: 200_000,
        }
    }
}

/// A settings file that could not be used.
#[derive(Debug)]
pub struct ConfigError {
    /// `FILE:LINE:COL: message` (or `FILE: message` when no position is known).
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    /// Parses settings from TOML text; `name` is used in error messages.
    ///
    /// # Examples
    /// ```
    /// use embargo::config::Settings;
    /// let s = Settings::from_toml("embargo.toml", "[matching]\nlimit = 5\n").unwrap();
    /// assert_eq!(s.matching.limit, 5);
    /// let err = Settings::from_toml("embargo.toml", "[matching]\nlimt = 5\n").unwrap_err();
    /// assert!(err.message.starts_with("embargo.toml:2:1: unknown field `limt`"));
    /// assert!(err.message.contains("help: did you mean `limit`?"));
    /// ```
    pub fn from_toml(name: &str, text: &str) -> Result<Settings, ConfigError> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            match e.span() {
                Some(range) => {
                    let mut map = SourceMap::new();
                    let id = map.add(SourceFile::new(name, text));
                    let mut d = Diagnostic::error(Span::new(id, range.start, range.end), message);
                    if let Some(hint) = unknown_key_hint(e.message()) {
                        d = d.with_hint(hint);
                    }
                    let rendered = d.render(&map);
                    // `render` says "error:"; a settings message reads better without it.
                    ConfigError {
                        message: rendered.replacen(": error: ", ": ", 1),
                    }
                }
                None => ConfigError {
                    message: format!("{name}: {message}"),
                },
            }
        })?;
        settings.validate(name)?;
        settings.origin = SettingsOrigin {
            file: Some((name.to_string(), Arc::from(text))),
        };
        Ok(settings)
    }

    /// The compile options these settings ask for.
    pub fn compile_options(&self) -> CompileOptions {
        CompileOptions {
            max_list_age_days: Some(self.lists.max_age_days),
            ..CompileOptions::default()
        }
    }

    /// Loads the rules `source` names as [`crate::rules::load()`] does, with these
    /// settings' compile options, and checks the settings against them: a name in
    /// `[lists] enabled` that no loaded list has is an error located in the settings
    /// file, and a rule screening only lists that `enabled` leaves out is warned of.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::config::Settings;
    /// use embargo::rules::RuleSource;
    /// let s = Settings::from_toml("embargo.toml", "[lists]\nenabled = [\"ofac\"]\n")?;
    /// let checked = s.load_rules(&RuleSource::Embedded)?;
    /// assert!(checked.ruleset.is_none());
    /// assert!(checked.render_diagnostics().contains(
    ///     "embargo.toml:2:12: error: no list is named `ofac`"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_rules(
        &self,
        source: &RuleSource,
    ) -> Result<crate::rules::Checked, crate::rules::LoadError> {
        let mut checked = crate::rules::load(source, &self.compile_options())?;
        self.check_lists(&mut checked);
        Ok(checked)
    }

    /// Checks `[lists] enabled` against the lists of `checked` (see
    /// [`Settings::load_rules`]).
    pub fn check_lists(&self, checked: &mut crate::rules::Checked) {
        if self.lists.enabled.is_empty() {
            return;
        }
        let Some(ruleset) = checked.ruleset.clone() else {
            return;
        };
        let names: Vec<&str> = ruleset.lists().iter().map(|l| l.name.as_str()).collect();
        // The settings text, for locations: the file read, or the settings as TOML.
        // It joins the sources only when a diagnostic points into it.
        let (name, text) = self.origin.file.clone().unwrap_or_else(|| {
            (
                "<settings>".to_string(),
                Arc::from(toml::to_string(self).unwrap_or_default()),
            )
        });
        let spans = enabled_spans(&text);
        let mut source = Some(SourceFile::new(name, text));
        let mut id = None;
        let mut at = |checked: &mut crate::rules::Checked, k: usize| {
            let file = *id.get_or_insert_with(|| {
                checked
                    .sources
                    .add(source.take().unwrap_or_else(|| SourceFile::new("", "")))
            });
            spans
                .get(k)
                .map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end))
        };
        let mut failed = false;
        for (k, name) in self.lists.enabled.iter().enumerate() {
            if names.contains(&name.as_str()) {
                continue;
            }
            failed = true;
            let family: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| n.starts_with(&format!("{name}-")))
                .collect();
            let hint = if !family.is_empty() {
                format!(
                    "did you mean {}?",
                    family
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )
            } else if let Some(near) = did_you_mean(name, names.iter().copied()) {
                format!("did you mean `{near}`?")
            } else {
                format!("the lists loaded are {}", names.join(", "))
            };
            let span = at(checked, k);
            checked.diagnostics.push(
                Diagnostic::error(
                    span,
                    format!("no list is named `{name}`: `lists.enabled` would screen against none of its entities"),
                )
                .with_hint(hint),
            );
        }
        if failed {
            checked.ruleset = None;
            return;
        }
        // Rules that name only lists left out can never fire; the operator may mean
        // it, but should see it.
        for rule in ruleset.rules() {
            let mut lists = Vec::new();
            filter_lists(&rule.when, &mut lists);
            let left_out: Vec<&str> = lists
                .iter()
                .filter_map(|i| ruleset.lists().get(*i).map(|l| l.name.as_str()))
                .filter(|n| !self.lists.enabled.iter().any(|e| e == n))
                .collect();
            if !lists.is_empty() && left_out.len() == lists.len() {
                let span = at(checked, 0);
                checked.diagnostics.push(Diagnostic::warning(
                    span,
                    format!(
                        "rule `{}` screens only list(s) {} that `lists.enabled` leaves out: it can never fire",
                        rule.id,
                        left_out.join(", ")
                    ),
                ));
            }
        }
    }

    /// Reads settings from a file.
    pub fn from_file(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            message: format!("{}: {e}", path.display()),
        })?;
        Settings::from_toml(&path.display().to_string(), &text)
    }

    fn validate(&self, name: &str) -> Result<(), ConfigError> {
        let m = &self.matching;
        let bad = |what: &str| {
            Err(ConfigError {
                message: format!("{name}: {what}"),
            })
        };
        if !(0.0..=1.0).contains(&m.threshold) {
            return bad("matching.threshold must be between 0 and 1");
        }
        if m.limit == 0 {
            return bad("matching.limit must be at least 1");
        }
        if self.batch.chunk_size == 0 {
            return bad("batch.chunk_size must be at least 1");
        }
        // A zero here would leave a service that refuses or drops every request.
        let s = &self.server;
        let at_least_one = [
            ("server.max_body_bytes", s.max_body_bytes as u64),
            ("server.request_timeout_ms", s.request_timeout_ms),
            ("server.max_concurrency", s.max_concurrency as u64),
            ("server.max_connections", s.max_connections as u64),
            ("server.header_read_timeout_ms", s.header_read_timeout_ms),
            ("server.idle_timeout_ms", s.idle_timeout_ms),
        ];
        if let Some((key, _)) = at_least_one.iter().find(|(_, v)| *v == 0) {
            return bad(&format!("{key} must be at least 1"));
        }
        Ok(())
    }
}

/// The lists named by the name tests of `cond`, as indices (repeats kept).
fn filter_lists(cond: &crate::rules::ir::Cond, out: &mut Vec<usize>) {
    use crate::rules::ir::Cond;
    match cond {
        Cond::And(v) | Cond::Or(v) => v.iter().for_each(|c| filter_lists(c, out)),
        Cond::Not(c) => filter_lists(c, out),
        Cond::PartyMatches { filter, .. } | Cond::VesselMatches { filter, .. } => {
            out.extend(filter.lists.iter().copied());
        }
        _ => {}
    }
}

/// Byte ranges of the names in `[lists] enabled`, in order.
fn enabled_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    #[derive(Deserialize)]
    struct Shadow {
        #[serde(default)]
        lists: Option<ShadowLists>,
    }
    #[derive(Deserialize)]
    struct ShadowLists {
        #[serde(default)]
        enabled: Vec<toml::Spanned<String>>,
    }
    toml::from_str::<Shadow>(text)
        .ok()
        .and_then(|s| s.lists)
        .map(|l| l.enabled.iter().map(toml::Spanned::span).collect())
        .unwrap_or_default()
}

impl PartialEq for SettingsOrigin {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

/// "did you mean" for serde's `unknown field `x`, expected one of `a`, `b``.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(key, known.iter().copied()).map(|k| format!("did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_through_toml() {
        let text = toml::to_string(&Settings::default()).unwrap_or_default();
        let back = Settings::from_toml("t", &text);
        assert_eq!(back.ok(), Some(Settings::default()));
    }

    #[test]
    fn unknown_keys_are_located() {
        let err = Settings::from_toml("e.toml", "[server]\naddr = \"x\"\nbogus = 1\n");
        let msg = err.err().map(|e| e.message).unwrap_or_default();
        assert!(
            msg.starts_with("e.toml:3:1: unknown field `bogus`"),
            "{msg}"
        );
    }

    #[test]
    fn thresholds_are_checked() {
        let err = Settings::from_toml("e.toml", "[matching]\nthreshold = 1.5\n");
        assert!(err.is_err());
    }
}
