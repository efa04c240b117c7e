//! The `embargo` command: a thin shell over the library. Each subcommand lives in a
//! module of its own; none of them holds screening logic.
//!
//! Argument parsing, dispatch and exit codes live here.
//!
//! Exit codes mean one thing each (see `CONTRACT.md`): 0 every input record was
//! processed, 1 the command could not run (usage, rules, I/O), 2 some input records
//! were rejected while all others were processed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use embargo::config::Settings;
use embargo::engine::Screener;
use embargo::rules::{self, Ruleset};

mod check;
mod classify;
mod compare;
mod compile;
mod dispose;
mod fmt;
mod import;
mod lists;
mod matches;
mod outputs;
mod report;
mod rescreen;
mod rules_cmd;
mod screen;
mod serve;
mod show;

/// What a subcommand reports back to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every input record was processed.
    Ok,
    /// The command could not run.
    Failure,
    /// Some input records were rejected; the others were processed.
    Rejected,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Ok => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Rejected => ExitCode::from(2),
        }
    }
}

/// A failure that stops a command; printed once on stderr, exit code 1.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// embargo: sanctions screening of orders, names and goods against watchlists and
/// luxury-goods rules.
#[derive(Debug, Parser)]
#[command(name = "embargo", version, about, long_about = None)]
struct Cli {
    /// Settings file (default: ./embargo.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Screen orders (JSON lines or CSV) and write one decision per order.
    Screen(screen::ScreenArgs),
    /// Find the listed entities a name matches.
    Match(matches::MatchArgs),
    /// Score the similarity of two names.
    Compare(compare::CompareArgs),
    /// Validate rules and print a summary; every error as FILE:LINE:COL.
    Check(check::CheckArgs),
    /// Compile rules into an artifact (`rules.embc`) that `--rules` loads in
    /// milliseconds.
    Compile(compile::CompileArgs),
    /// Print rules files in canonical form.
    Fmt(fmt::FmtArgs),
    /// Goods categories (luxury, export-ban, import-ban) of a description and HS code.
    Classify(classify::ClassifyArgs),
    /// Turn an official list (OFAC, UN, EU, UK, CSL, FollowTheMoney) into a rules file.
    Import(import::ImportArgs),
    /// Serve the screening API over HTTP (health, metrics, rules reload, audit log).
    Serve(serve::ServeArgs),
    /// Work with the default ruleset compiled into the binary.
    #[command(subcommand)]
    Rules(rules_cmd::RulesCommand),
    /// Compare versions of the lists (`lists diff OLD NEW`).
    Lists(lists::ListsArgs),
    /// After a list or rule update, screen again only the orders that can change and
    /// write the decisions that did.
    Rescreen(rescreen::RescreenArgs),
    /// Write one self-contained HTML page of decisions for reviewers.
    Report(report::ReportArgs),
    /// Print a listed entity's details.
    Show(show::ShowArgs),
    /// Record that a hit under review is not the listed party: an `allow` item (who,
    /// when, why, until when) that later screening honours and reports.
    Dispose(dispose::DisposeArgs),
}

/// `--rules PATH` and `--add-rules PATH`, shared by every command that reads rules.
#[derive(Debug, Clone, Args, Default)]
pub struct RulesArgs {
    /// Rules file or folder (read recursively for *.emb), or a compiled ruleset
    /// (*.embc, given alone); repeatable. Loads exactly these, instead of the default
    /// ruleset compiled into the binary.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Rules file or folder to add to the default ruleset; repeatable. A list declared
    /// there replaces the shipped list of the same name.
    #[arg(long = "add-rules", value_name = "PATH", conflicts_with = "rules")]
    pub add_rules: Vec<PathBuf>,
}

impl RulesArgs {
    /// Which rules these arguments name.
    pub fn source(&self) -> rules::RuleSource {
        if !self.rules.is_empty() {
            rules::RuleSource::Paths(self.rules.clone())
        } else if !self.add_rules.is_empty() {
            rules::RuleSource::EmbeddedWith(self.add_rules.clone())
        } else {
            rules::RuleSource::Embedded
        }
    }

    /// The rules to screen with: as [`RulesArgs::source`], but the embedded default
    /// from its artifact, compiled when the binary was built (the same ruleset, read
    /// in milliseconds). Commands that report on the rule text (`check`, `fmt`) read
    /// the text.
    pub fn screening_source(&self) -> rules::RuleSource {
        match self.source() {
            rules::RuleSource::Embedded => embargo_compiled::source(),
            other => other,
        }
    }
}

/// Everything a command needs besides its own arguments.
pub struct Context {
    /// Settings from embargo.toml (or defaults).
    pub settings: Settings,
}

impl Context {
    /// Loads and checks rules (the embedded default, `--rules` or `--add-rules`) with
    /// the settings' options, refusing a ruleset that cannot decide and list names in
    /// the settings that no loaded list has.
    pub fn check_rules(&self, args: &RulesArgs) -> Result<rules::Checked, Failure> {
        Ok(self.settings.load_rules(&args.source())?)
    }

    /// Loads rules to screen with as [`Context::check_rules`] does, the embedded
    /// default from its artifact (see [`RulesArgs::screening_source`]).
    pub fn screening_rules(&self, args: &RulesArgs) -> Result<rules::Checked, Failure> {
        Ok(self.settings.load_rules(&args.screening_source())?)
    }

    /// Loads rules for a command that uses them: diagnostics of a broken ruleset are
    /// printed and the command fails; warnings are counted in one line on stderr and
    /// shown by `check`.
    pub fn ruleset(&self, args: &RulesArgs) -> Result<Ruleset, Failure> {
        let checked = self.screening_rules(args)?;
        let warnings = checked.warning_count();
        if warnings > 0 && checked.error_count() == 0 {
            eprintln!("note: the rules have {warnings} warning(s); `embargo check` shows them");
        }
        checked.into_ruleset().map_err(|e| {
            eprint!("{}", e.diagnostics().unwrap_or_default());
            Failure(format!(
                "the rules have {} error(s); run `embargo check` for details",
                e.error_count()
            ))
        })
    }
}

/// What a command that runs once builds from its rules, kept until the process exits
/// rather than freed when the command ends: freeing the default ruleset and its name
/// index (some hundred thousand allocations) was a fifth of the CPU of a one-name
/// `match`, for memory the process returns on exit anyway.
pub fn until_exit<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// The screener of a command that runs once, kept until the process exits.
pub fn screener_until_exit(ruleset: Ruleset, settings: &Settings) -> &'static Screener {
    until_exit(Screener::new(
        ruleset,
        embargo::engine::ScreenOptions::from(settings),
    ))
}

/// Answers every non-blank line of stdin with one JSON line on `out`, in input order.
/// A line `answer` cannot take is answered `{"id":..,"error":..}` (the id when the
/// line had one), so that the output still lines up with the input, and reported on
/// stderr with its line number; then the exit code is 2, every other line answered.
pub fn answer_jsonl<T: serde::Serialize>(
    out: &mut impl std::io::Write,
    mut answer: impl FnMut(&str) -> Result<T, String>,
) -> Result<Exit, Failure> {
    use std::io::BufRead;
    let mut rejected = 0usize;
    for (n, text) in std::io::stdin().lock().lines().enumerate() {
        let text = text?;
        if text.trim().is_empty() {
            continue;
        }
        match answer(&text) {
            Ok(a) => {
                serde_json::to_writer(&mut *out, &a)?;
                writeln!(out)?;
            }
            Err(message) => {
                rejected += 1;
                eprintln!("line {}: {message}", n + 1);
                serde_json::to_writer(&mut *out, &rejected_line(&text, message))?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    if rejected > 0 {
        eprintln!("{rejected} line(s) rejected");
        return Ok(Exit::Rejected);
    }
    Ok(Exit::Ok)
}

/// The answer to a JSON line that was rejected: its `id` when it is an object that has
/// one, and why.
fn rejected_line(text: &str, error: String) -> serde_json::Value {
    let mut answer = serde_json::Map::new();
    if let Some(id) = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("id").filter(|id| !id.is_null()).cloned())
    {
        answer.insert("id".to_string(), id);
    }
    answer.insert("error".to_string(), serde_json::Value::String(error));
    serde_json::Value::Object(answer)
}

fn settings(path: Option<&PathBuf>) -> Result<Settings, Failure> {
    match path {
        Some(p) => Ok(Settings::from_file(p)?),
        None => {
            let default = PathBuf::from("embargo.toml");
            if default.is_file() {
                // Settings can change decisions; one picked up unasked is said so.
                eprintln!("embargo: settings from ./embargo.toml (found in the working directory)");
                Ok(Settings::from_file(&default)?)
            } else {
                Ok(Settings::default())
            }
        }
    }
}

/// Parses arguments, runs the command, and turns the outcome into an exit code.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successful runs; every usage error exits 1.
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => Exit::Failure.into(),
            };
        }
    };
    let result = settings(cli.config.as_ref()).and_then(|settings| {
        let ctx = Context { settings };
        match &cli.command {
            Command::Screen(a) => screen::run(&ctx, a),
            Command::Match(a) => matches::run(&ctx, a),
            Command::Compare(a) => compare::run(a),
            Command::Check(a) => check::run(&ctx, a),
            Command::Compile(a) => compile::run(&ctx, a),
            Command::Fmt(a) => fmt::run(&ctx, a),
            Command::Classify(a) => classify::run(&ctx, a),
            Command::Import(a) => import::run(&ctx, a),
            Command::Serve(a) => serve::run(&ctx, a),
            Command::Rules(c) => rules_cmd::run(c),
            Command::Lists(a) => lists::run(&ctx, a),
            Command::Rescreen(a) => rescreen::run(&ctx, a),
            Command::Report(a) => report::run(&ctx, a),
            Command::Show(a) => show::run(&ctx, a),
            Command::Dispose(a) => dispose::run(&ctx, a),
        }
    });
    match result {
        Ok(exit) => exit.into(),
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            Exit::Failure.into()
        }
    }
}
