//! Compiled rulesets: a ruleset written once, with the name index a [`Screener`]
//! would build from it, and read back without parsing or building anything.
//!
//! Compiling 8.6 MB of rule text and indexing 35,000 names takes most of a second;
//! reading the same ruleset from its artifact takes a few tens of milliseconds. The
//! `embargo` binary carries the default ruleset in this form (compiled when the binary
//! is built), and `embargo compile` writes one for rules of one's own.
//!
//! # Layout
//!
//! ```text
//! MAGIC (8 bytes) | format version (u32 LE) | header length (u32 LE) | header | ruleset | names
//! ```
//!
//! The header (postcard) names the library version and build fingerprint that wrote
//! the artifact, the ruleset's content hash, the length of each section and the
//! CRC-32 of the sections. The ruleset section is the compiled ruleset (postcard);
//! the names section the name index's tables (postcard, its integer arrays and
//! look-up tables as raw little-endian bytes: see `matching::index::tables`).
//!
//! # What is refused
//!
//! An artifact is used whole or not at all: bytes without the signature, another
//! format version, another build of the library (its tables are laid out by the code
//! that wrote them), a truncated or altered file, and sections that do not fit
//! together are each an [`ArtifactError`] saying which, never a partly read ruleset.
//!
//! # Why postcard
//!
//! A compact serde format over the types the engine already has: no second
//! definition of the ruleset or the index to keep in step (as a zero-copy format's
//! archived types would be), and no `unsafe`. What made it slow was not the format
//! but what it rebuilt: hash maps filled entry by entry and integers read one varint
//! at a time. The index now keeps its look-up tables as sorted arrays and writes its
//! arrays as raw bytes, read at the speed of a copy (see `docs/PERFORMANCE.md`).
//!
//! [`Screener`]: crate::Screener

mod ir;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::matching::NameIndex;
use crate::rules::Ruleset;

/// The first bytes of every artifact.
pub const MAGIC: &[u8; 8] = b"EMBC\0\x1a\r\n";

/// The layout version this build writes and reads (2: the name index's tables as
/// sorted arrays of raw bytes; 3: Arabic compounds indexed as their parts, and the
/// phonetic keys and consonants of pinyin, Wade-Giles and Arabic spellings folded; 4:
/// Arabic script's hamza letters and feminine `ه` read, and legal forms of names in
/// Chinese characters and Hangul; 5: which words are given names, in the vocabulary
/// and tagged on the name index's word ids; 6: an allowance always names its party and
/// entities).
pub const FORMAT_VERSION: u32 = 6;

/// The file extension of artifacts: `rules.embc`.
pub const EXTENSION: &str = "embc";

/// Whether `bytes` begin as an artifact does (they may still be refused).
///
/// # Examples
///
/// ```
/// assert!(!embargo::artifact::is_artifact(b"list un { }"));
/// ```
pub fn is_artifact(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// An artifact in the program's own bytes, such as the default ruleset the `embargo`
/// binary carries; see [`crate::rules::RuleSource::Compiled`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct StaticArtifact(pub &'static [u8]);

impl fmt::Debug for StaticArtifact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StaticArtifact({} bytes)", self.0.len())
    }
}

/// Why bytes are not a usable artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArtifactErrorKind {
    /// No artifact signature: another kind of file.
    Foreign,
    /// Written in another layout version.
    Version,
    /// Written by another build of the library.
    OtherBuild,
    /// Shorter than its header says.
    Truncated,
    /// Its bytes are not those written (checksum), or its sections do not read or fit.
    Corrupt,
}

/// Why bytes are not a usable artifact, in words.
#[derive(Debug, Clone)]
pub struct ArtifactError {
    kind: ArtifactErrorKind,
    detail: String,
}

impl ArtifactError {
    fn new(kind: ArtifactErrorKind, detail: impl Into<String>) -> ArtifactError {
        ArtifactError {
            kind,
            detail: detail.into(),
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> ArtifactErrorKind {
        self.kind
    }
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a usable compiled ruleset: {}", self.detail)
    }
}

impl std::error::Error for ArtifactError {}

/// What the header records.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    /// `embargo 0.1.0`.
    library: String,
    /// The build fingerprint (version, sources and rules hashed).
    fingerprint: String,
    /// The ruleset's content hash.
    ruleset: String,
    /// Bytes of the ruleset section.
    ruleset_len: u64,
    /// Bytes of the names section.
    names_len: u64,
    /// CRC-32 of both sections: damage is found before anything is decoded.
    crc: u32,
}

fn library() -> String {
    format!("embargo {}", env!("CARGO_PKG_VERSION"))
}

fn fingerprint() -> &'static str {
    crate::rules::load::build_fingerprint()
}

impl Ruleset {
    /// Writes this ruleset as an artifact, with the index of every list's names, for
    /// [`Ruleset::from_artifact`] to read back. Building the index takes about half a
    /// second for the default ruleset.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::Ruleset;
    /// let text = r#"
    /// list un { title "UN" as_of "2026-02-27" }
    /// entity un:KPe.001 { kind organization name "KOREA MINING DEVELOPMENT TRADING CORPORATION" }
    /// rule listed { basis "UNSCR 1718 (2006)" when party matches any then block "listed" }
    /// "#;
    /// let rules = Ruleset::from_text("un.emb", text)?;
    /// let bytes = rules.to_artifact()?;
    /// let again = Ruleset::from_artifact(&bytes)?;
    /// assert_eq!(again.hash(), rules.hash());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_artifact(&self) -> Result<Vec<u8>, crate::Error> {
        let names = match self.stored_names() {
            Some(n) => n.clone(),
            None => crate::engine::Screener::index_names(self),
        };
        let fail = |e: String| crate::Error::from(std::io::Error::other(e));
        let ruleset = ir::store(self).map_err(fail)?;
        let mut index = Vec::new();
        names.store(&mut index).map_err(fail)?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(&ruleset);
        crc.update(&index);
        let header = Header {
            library: library(),
            fingerprint: fingerprint().to_string(),
            ruleset: self.hash().to_string(),
            ruleset_len: ruleset.len() as u64,
            names_len: index.len() as u64,
            crc: crc.finalize(),
        };
        let header = postcard::to_allocvec(&header).map_err(|e| fail(e.to_string()))?;
        let header_len = u32::try_from(header.len()).map_err(|e| fail(e.to_string()))?;
        let mut out = Vec::with_capacity(16 + header.len() + ruleset.len() + index.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&header_len.to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&ruleset);
        out.extend_from_slice(&index);
        Ok(out)
    }

    /// Reads a ruleset written by [`Ruleset::to_artifact`], with its name index.
    ///
    /// # Errors
    ///
    /// Bytes that are not an artifact, one of another format version or another build
    /// of the library, and a truncated or altered one: see [`ArtifactError`].
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::artifact::ArtifactErrorKind;
    /// let err = embargo::Ruleset::from_artifact(b"list un {}").unwrap_err();
    /// assert_eq!(err.kind(), ArtifactErrorKind::Foreign);
    /// ```
    pub fn from_artifact(bytes: &[u8]) -> Result<Ruleset, ArtifactError> {
        use ArtifactErrorKind::*;
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| {
            ArtifactError::new(Foreign, "it does not begin with the EMBC signature")
        })?;
        let (version, rest) = take_u32(rest)?;
        if version != FORMAT_VERSION {
            return Err(ArtifactError::new(
                Version,
                format!("it is in format version {version}, this build reads version {FORMAT_VERSION}: compile the rules again with this build (`embargo compile`)"),
            ));
        }
        let (header_len, rest) = take_u32(rest)?;
        let (header, rest) = split(rest, u64::from(header_len), "header")?;
        let header: Header = postcard::from_bytes(header)
            .map_err(|e| ArtifactError::new(Corrupt, format!("its header does not read: {e}")))?;
        if header.library != library() || header.fingerprint != fingerprint() {
            return Err(ArtifactError::new(
                OtherBuild,
                format!(
                    "it was written by {} (build {}), this is {} (build {}): compile the rules again with this build (`embargo compile`)",
                    header.library,
                    header.fingerprint,
                    library(),
                    fingerprint()
                ),
            ));
        }
        let (ruleset, rest) = split(rest, header.ruleset_len, "ruleset")?;
        let (names, rest) = split(rest, header.names_len, "name index")?;
        if !rest.is_empty() {
            return Err(ArtifactError::new(
                Corrupt,
                format!("{} bytes follow its last section", rest.len()),
            ));
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(ruleset);
        crc.update(names);
        if crc.finalize() != header.crc {
            return Err(ArtifactError::new(
                Corrupt,
                "its checksum does not match its contents (the file was altered or damaged)",
            ));
        }
        // The two sections read apart, on two threads when there are two cores.
        let (rules, names) = std::thread::scope(|s| {
            let names = s.spawn(|| NameIndex::load_stored(names));
            let rules = ir::load(ruleset);
            let names = names
                .join()
                .unwrap_or_else(|_| Err("reading it failed".to_string()));
            (rules, names)
        });
        let mut rules = rules
            .map_err(|e| ArtifactError::new(Corrupt, format!("its ruleset does not read: {e}")))?;
        if rules.hash() != header.ruleset {
            return Err(ArtifactError::new(
                Corrupt,
                "its ruleset is not the one its header names",
            ));
        }
        let names = names.map_err(|e| {
            ArtifactError::new(Corrupt, format!("its name index does not read: {e}"))
        })?;
        rules.names = Some(names);
        Ok(rules)
    }
}

fn take_u32(bytes: &[u8]) -> Result<(u32, &[u8]), ArtifactError> {
    match bytes.split_first_chunk::<4>() {
        Some((n, rest)) => Ok((u32::from_le_bytes(*n), rest)),
        None => Err(ArtifactError::new(
            ArtifactErrorKind::Truncated,
            "it ends inside its header",
        )),
    }
}

fn split<'a>(bytes: &'a [u8], len: u64, what: &str) -> Result<(&'a [u8], &'a [u8]), ArtifactError> {
    usize::try_from(len)
        .ok()
        .and_then(|len| bytes.split_at_checked(len))
        .ok_or_else(|| {
            ArtifactError::new(
                ArtifactErrorKind::Truncated,
                format!(
                    "its {what} should be {len} bytes, {} are left: the file is cut short",
                    bytes.len()
                ),
            )
        })
}
