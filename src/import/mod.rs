//! Importers for the official sanctions lists.
//!
//! Each importer reads one published format and produces a rules [`ast::File`]: one
//! `list` declaration followed by one `entity` per listed party, ready for the canonical
//! printer. Nothing here matches or scores; the output is plain rules text that a
//! compliance analyst can review in git like any other rules file.
//!
//! | format | input | entity ids |
//! | --- | --- | --- |
//! | `ofac-sdn` | `sdn.csv` with `alt.csv`, `add.csv`, `sdn_comments.csv`, or `sdn.xml` | `ofac-sdn:ENT_NUM` |
//! | `ofac-cons` | `cons_prim.csv` with `cons_alt.csv`, `cons_add.csv`, `cons_comments.csv` | `ofac-cons:ENT_NUM` |
//! | `un` | the UN Security Council consolidated list XML | `un:REFERENCE_NUMBER` |
//! | `eu` | the EU FSF legacy `;` CSV, or the Official Journal transcription CSV | `eu:LOGICAL_ID`, `eu:CELEX.RECORD` |
//! | `uk` | the HM Treasury ConList CSV | `uk:GROUP_ID` |
//! | `csl` | the US Consolidated Screening List CSV, plain or gzip | `csl:_ID` |
//! | `ftm` | FollowTheMoney entities, one JSON object per line | `ftm:ID` |
//!
//! Every reader streams its input through a real parser (`csv`, `quick-xml`,
//! `serde_json`, `flate2`). A malformed record is an error naming the file and line,
//! unless [`ImportOptions::skip_bad`] is set, in which case it is skipped and counted in
//! [`ImportStats::skipped`]. A truncated input (a CSV cut mid-row, an XML document cut
//! mid-element, a gzip stream cut short) is always an error: a silently partial list
//! would screen as if the missing parties were not listed.
//!
//! # Examples
//!
//! ```no_run
//! use embargo::import::{import, Format, ImportOptions};
//! use std::path::PathBuf;
//!
//! let inputs = [PathBuf::from("sdn.csv"), PathBuf::from("alt.csv"), PathBuf::from("add.csv")];
//! let opts = ImportOptions { as_of: Some("2024-05-03".into()), ..ImportOptions::default() };
//! let imported = import(Format::OfacSdn, &inputs, &opts)?;
//! eprintln!("{} entities", imported.stats.entities);
//! # Ok::<(), embargo::import::ImportError>(())
//! ```

mod builder;
mod csl;
mod error;
mod eu;
mod ftm;
mod ofac;
mod ofac_xml;
mod read;
mod remarks;
mod text;
mod uk;
mod un;
mod xml;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::rules::ast;

pub use error::ImportError;

/// A list format the importers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OFAC Specially Designated Nationals list (CSV set or `sdn.xml`).
    OfacSdn,
    /// OFAC Consolidated (non-SDN) list, same CSV layout as the SDN files.
    OfacCons,
    /// UN Security Council Consolidated List (XML).
    Un,
    /// EU consolidated financial sanctions (FSF legacy CSV, or the Official Journal
    /// transcription CSV).
    Eu,
    /// UK HM Treasury / OFSI Consolidated List (ConList CSV).
    Uk,
    /// US Consolidated Screening List (trade.gov CSV, optionally gzip-compressed).
    Csl,
    /// FollowTheMoney entities, one JSON object per line.
    Ftm,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [Format; 7] = [
        Format::OfacSdn,
        Format::OfacCons,
        Format::Un,
        Format::Eu,
        Format::Uk,
        Format::Csl,
        Format::Ftm,
    ];

    /// The format's command-line name, which is also the name of the list it produces
    /// and the prefix of its entity ids (`ofac-sdn:36`).
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::import::Format;
    /// assert_eq!(Format::OfacSdn.name(), "ofac-sdn");
    /// assert_eq!("un".parse::<Format>().unwrap(), Format::Un);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Format::OfacSdn => "ofac-sdn",
            Format::OfacCons => "ofac-cons",
            Format::Un => "un",
            Format::Eu => "eu",
            Format::Uk => "uk",
            Format::Csl => "csl",
            Format::Ftm => "ftm",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ImportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                ImportError::usage(format!(
                    "unknown list format `{s}` (expected one of: {})",
                    names.join(", ")
                ))
            })
    }
}

/// How an import treats bad input and dates.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Skip malformed records (counting each in [`ImportStats::skipped`]) instead of
    /// failing. Truncated files fail either way.
    pub skip_bad: bool,
    /// The list's as-of date (`YYYY-MM-DD`), overriding what the input says. Needed for
    /// formats that carry no date (OFAC CSV, CSL) unless the file name holds one.
    pub as_of: Option<String>,
}

/// The result of an import: the rules tree and what went into it.
#[derive(Debug, Clone)]
pub struct Imported {
    /// One `list` declaration followed by the entities, in source order.
    pub file: ast::File,
    /// Counts and skipped records.
    pub stats: ImportStats,
}

/// What an import read and wrote.
#[derive(Debug, Clone, Default)]
pub struct ImportStats {
    /// Entities written.
    pub entities: usize,
    /// Alias lines written (all entities).
    pub aliases: usize,
    /// Address lines written.
    pub addresses: usize,
    /// Identifier lines written.
    pub identifiers: usize,
    /// Records read from each input file, in input order.
    pub files: Vec<FileStats>,
    /// Malformed records skipped under [`ImportOptions::skip_bad`].
    pub skipped: Vec<SkippedRecord>,
    /// Records of a secondary file (aliases, addresses, comments) naming an entity that
    /// the primary file does not have; OFAC publishes the files separately, so mixed
    /// vintages leave a few behind.
    pub unmatched: usize,
    /// Records that carry nothing to import (an OFAC address row of `-0-` only).
    pub empty: usize,
    /// Things an analyst should know about the import (where the as-of date came from,
    /// remarks cut short by the publisher, values that could not be interpreted).
    pub notes: Vec<String>,
}

/// Records read from one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStats {
    /// The file.
    pub path: PathBuf,
    /// Data records (rows, XML entries or JSON lines) read, headers excluded.
    pub records: usize,
}

/// One record left out under [`ImportOptions::skip_bad`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRecord {
    /// The file it is in.
    pub path: PathBuf,
    /// Its 1-based line number.
    pub line: u64,
    /// Why it was skipped.
    pub message: String,
}

impl fmt::Display for SkippedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// Imports one list from its published files.
///
/// `inputs` holds the files of one list version: for OFAC the primary file first, then
/// any of the alias, address and comments files (recognised by their names: `alt`,
/// `add`, `comments`); for every other format one file (or several, read in turn).
///
/// # Errors
///
/// An [`ImportError`] naming the file and line for unreadable, truncated or (without
/// [`ImportOptions::skip_bad`]) malformed input, and for a missing as-of date.
///
/// # Examples
///
/// ```no_run
/// use embargo::import::{import, Format, ImportOptions};
/// let imported = import(
///     Format::Un,
///     &["consolidated.xml".into()],
///     &ImportOptions::default(),
/// )?;
/// assert!(imported.stats.entities > 0);
/// # Ok::<(), embargo::import::ImportError>(())
/// ```
pub fn import(
    format: Format,
    inputs: &[PathBuf],
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    if inputs.is_empty() {
        return Err(ImportError::usage(format!("{format}: no input file given")));
    }
    if let Some(date) = &opts.as_of {
        if !crate::reference::is_date(date) {
            return Err(ImportError::usage(format!(
                "--as-of `{date}` is not a date YYYY-MM-DD"
            )));
        }
    }
    let mut ctx = Ctx::new(opts);
    let parsed = match format {
        Format::OfacSdn | Format::OfacCons => ofac::import(format, inputs, &mut ctx)?,
        Format::Un => un::import(inputs, &mut ctx)?,
        Format::Eu => eu::import(inputs, &mut ctx)?,
        Format::Uk => uk::import(inputs, &mut ctx)?,
        Format::Csl => csl::import(inputs, &mut ctx)?,
        Format::Ftm => ftm::import(inputs, &mut ctx)?,
    };
    ctx.finish(format, inputs, parsed)
}

/// Renders an import as a rules file in canonical form; the provenance header
/// (command, source files, as-of date, counts) is part of the tree as comments.
///
/// # Examples
///
/// ```no_run
/// use embargo::import::{import, render, Format, ImportOptions};
/// let imported = import(Format::Ftm, &["sample.ftm.json".into()], &ImportOptions::default())?;
/// print!("{}", render(&imported));
/// # Ok::<(), embargo::import::ImportError>(())
/// ```
pub fn render(imported: &Imported) -> String {
    crate::rules::print::print_file(&imported.file)
}

/// The header comments of a generated file: what made it, from what, as of when.
fn provenance(format: Format, source: &str, as_of: &str, stats: &ImportStats) -> Vec<ast::Comment> {
    let lines = [
        format!(" Generated by `embargo import {format}`: do not edit by hand, regenerate."),
        format!(" Source: {source}"),
        format!(" As of: {as_of}"),
        format!(
            " {} entities, {} aliases, {} addresses, {} identifiers; {} records skipped, {} unmatched, {} empty",
            stats.entities,
            stats.aliases,
            stats.addresses,
            stats.identifiers,
            stats.skipped.len(),
            stats.unmatched,
            stats.empty
        ),
    ];
    lines
        .into_iter()
        .map(|text| ast::Comment {
            text,
            trailing: false,
            blank_after: false,
            span: Default::default(),
        })
        .collect()
}

/// What a format module hands back: the list header facts and the entities.
pub(crate) struct Parsed {
    /// The list's title, authority, url and basis.
    pub meta: ListMeta,
    /// The as-of date found in the input, if any.
    pub as_of: Option<String>,
    /// The entities, in source order.
    pub entities: Vec<ast::Entity>,
}

/// Fixed descriptive facts about a list.
pub(crate) struct ListMeta {
    pub title: &'static str,
    pub authority: &'static str,
    pub url: &'static str,
    pub basis: &'static [&'static str],
}

/// Shared state of one import run: options, counters, skipped records.
pub(crate) struct Ctx<'a> {
    pub opts: &'a ImportOptions,
    pub stats: ImportStats,
    unknown_countries: std::collections::BTreeMap<String, usize>,
}

impl<'a> Ctx<'a> {
    fn new(opts: &'a ImportOptions) -> Self {
        Ctx {
            opts,
            stats: ImportStats::default(),
            unknown_countries: Default::default(),
        }
    }

    /// A malformed record: an error, or under `--skip-bad` a counted skip.
    pub fn bad_record(
        &mut self,
        path: &Path,
        line: u64,
        message: impl Into<String>,
    ) -> Result<(), ImportError> {
        let message = message.into();
        if self.opts.skip_bad {
            self.stats.skipped.push(SkippedRecord {
                path: path.to_path_buf(),
                line,
                message,
            });
            Ok(())
        } else {
            Err(ImportError::malformed(path, line, None, message))
        }
    }

    /// Records `n` data records read from `path`.
    pub fn file_read(&mut self, path: &Path, records: usize) {
        self.stats.files.push(FileStats {
            path: path.to_path_buf(),
            records,
        });
    }

    /// Finishes an entity: one without any name is a malformed record. Country values
    /// that are neither codes nor known names are kept as remarks and tallied.
    pub fn build(
        &mut self,
        mut entity: builder::EntityBuilder,
        path: &Path,
        line: u64,
    ) -> Result<Option<ast::Entity>, ImportError> {
        for (label, c) in std::mem::take(&mut entity.unknown_countries) {
            entity.remark(&format!("{label}: {c}"));
            *self.unknown_countries.entry(c).or_default() += 1;
        }
        let local = entity.local().to_string();
        match entity.build() {
            Some(e) if !local.is_empty() => Ok(Some(e)),
            Some(_) => {
                self.bad_record(path, line, "record without an identifier")?;
                Ok(None)
            }
            None => {
                self.bad_record(path, line, format!("record {local} has no name"))?;
                Ok(None)
            }
        }
    }

    /// Adds a note for the analyst.
    pub fn note(&mut self, note: impl Into<String>) {
        self.stats.notes.push(note.into());
    }

    fn finish(
        mut self,
        format: Format,
        inputs: &[PathBuf],
        parsed: Parsed,
    ) -> Result<Imported, ImportError> {
        let as_of = match (&self.opts.as_of, parsed.as_of) {
            (Some(date), _) => date.clone(),
            (None, Some(date)) => date,
            (None, None) => match inputs.iter().find_map(|p| text::date_in_file_name(p)) {
                Some(date) => {
                    self.note(format!("as-of date {date} taken from the file name"));
                    date
                }
                None => {
                    return Err(ImportError::usage(format!(
                        "{format}: the input carries no list date and its file name holds none; pass --as-of YYYY-MM-DD"
                    )))
                }
            },
        };
        if !self.unknown_countries.is_empty() {
            let mut values: Vec<String> = std::mem::take(&mut self.unknown_countries)
                .into_iter()
                .map(|(c, n)| format!("{c} ({n})"))
                .collect();
            let total = values.len();
            values.truncate(20);
            self.note(format!(
                "{total} country values not recognised, kept as remarks: {}{}",
                values.join(", "),
                if total > 20 { ", ..." } else { "" }
            ));
        }
        let source = inputs
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            })
            .collect::<Vec<_>>()
            .join(", ");
        let meta = parsed.meta;
        let list = ast::ListDecl {
            name: builder::ident(format.name()),
            title: Some(builder::text(meta.title)),
            authority: Some(builder::text(meta.authority)),
            url: Some(builder::text(meta.url)),
            as_of: Some(builder::text(&as_of)),
            source: Some(builder::text(&source)),
            basis: meta.basis.iter().map(|b| builder::text(b)).collect(),
            // The count lets `check` find a file cut off at an entity boundary.
            entities: Some(ast::Number {
                value: parsed.entities.len() as f64,
                text: parsed.entities.len().to_string(),
                span: Default::default(),
            }),
            span: Default::default(),
        };
        let mut items = Vec::with_capacity(parsed.entities.len() + 1);
        items.push(ast::Item::List(list));
        for e in parsed.entities {
            self.stats.entities += 1;
            self.stats.aliases += e.aliases.len();
            self.stats.addresses += e.addresses.len();
            self.stats.identifiers += e.identifiers.len();
            items.push(ast::Item::Entity(e));
        }
        let comments = provenance(format, &source, &as_of, &self.stats);
        Ok(Imported {
            file: ast::File { items, comments },
            stats: self.stats,
        })
    }
}
