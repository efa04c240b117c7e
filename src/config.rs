//! Engine settings that are not rules, read from `embargo.toml`.
//!
//! Every key is optional and documented on its field; unknown keys are rejected with
//! their line and column, because a misspelt threshold that silently falls back to the
//! default is worse than no setting at all. `embargo.example.toml` in the repository
//! lists every key with its default.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::rules::{SourceFile, SourceMap, Span};

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
    /// `check` warns when a list's `as_of` is older than this many days. Default 365.
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
    /// ```
    pub fn from_toml(name: &str, text: &str) -> Result<Settings, ConfigError> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            match e.span() {
                Some(range) => {
                    let mut map = SourceMap::new();
                    let id = map.add(SourceFile::new(name, text));
                    let d = crate::rules::Diagnostic::error(
                        Span::new(id, range.start, range.end),
                        message,
                    );
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
        Ok(settings)
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
        Ok(())
    }
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
