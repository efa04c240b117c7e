//! Opening list files: gzip detection, text decoding, and CSV records with the checks
//! that tell a complete file from a cut one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use super::error::ImportError;
use super::Ctx;

/// DOS end-of-file marker; OFAC still ends every CSV with one.
const DOS_EOF: u8 = 0x1a;

/// Opens a list file, transparently decompressing gzip (recognised by its magic bytes,
/// so a `.csv.gz` renamed to `.csv` still reads).
pub(crate) fn open(path: &Path) -> Result<Box<dyn BufRead>, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::io(path, None, e))?;
    let mut buf = BufReader::with_capacity(1 << 16, file);
    let head = buf.fill_buf().map_err(|e| ImportError::io(path, None, e))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(buf),
        )))
    } else {
        Ok(Box::new(buf))
    }
}

/// Text of one field: UTF-8 when it is, else Windows-1252, the encoding of the older
/// UK and EU files (`0x92` for a right quote, `0xE9` for `é`).
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect()),
    }
}

fn cp1252(b: u8) -> char {
    // Only 0x80..=0x9F differ from Latin-1; five of them are unassigned and map to
    // the C1 control of the same number, as browsers do.
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH
            .get(usize::from(b - 0x80))
            .copied()
            .unwrap_or('\u{fffd}'),
        _ => char::from(b),
    }
}

/// A reader that remembers how the stream ended, so that a file cut mid-record can be
/// told from a complete one after the parser is done.
pub(crate) struct Tail<R> {
    inner: R,
    /// The last byte read that is not the DOS end-of-file marker.
    last: Option<u8>,
    /// Double quotes seen, modulo 2: CSV quotes come in pairs (`""` escapes included),
    /// so an odd count at the end means the file stops inside a quoted field.
    odd_quotes: bool,
    /// Whether the last byte read that is not white space is the DOS end-of-file
    /// marker: a file cut between two rows ends in a whole row, and only this mark
    /// tells it from a complete one.
    marked: bool,
}

impl<R: Read> Tail<R> {
    fn new(inner: R) -> Self {
        Tail {
            inner,
            last: None,
            odd_quotes: false,
            marked: false,
        }
    }
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(chunk) = buf.get(..n) {
            for &b in chunk {
                if b == b'"' {
                    self.odd_quotes = !self.odd_quotes;
                }
            }
            if let Some(&b) = chunk.iter().rev().find(|&&b| b != DOS_EOF) {
                self.last = Some(b);
            }
            if let Some(&b) = chunk.iter().rev().find(|b| !b.is_ascii_whitespace()) {
                self.marked = b == DOS_EOF;
            }
        }
        Ok(n)
    }
}

/// One CSV record: its line and decoded fields.
pub(crate) struct Row {
    /// 1-based line the record starts on.
    pub line: u64,
    /// The fields, decoded.
    pub fields: Vec<String>,
}

impl Row {
    /// The field at `i`, trimmed; empty when absent.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(|s| s.trim()).unwrap_or("")
    }
}

/// A CSV file read record by record.
pub(crate) struct CsvFile {
    path: PathBuf,
    rdr: csv::Reader<Tail<Box<dyn BufRead>>>,
    record: csv::ByteRecord,
    /// Records returned so far.
    pub records: usize,
}

impl CsvFile {
    /// Opens `path` as CSV separated by `delimiter`, every line a record (headers are
    /// the caller's business: some files put a title row above them).
    pub fn open(path: &Path, delimiter: u8) -> Result<Self, ImportError> {
        // Records end at '\n' only: with the default (any of '\r', '\n', "\r\n") the
        // csv crate numbers the lines of CRLF files wrongly, and line numbers are what
        // an analyst fixing a bad row needs. The '\r' of a CRLF is dropped below.
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .has_headers(false)
            .flexible(true)
            .from_reader(Tail::new(open(path)?));
        Ok(CsvFile {
            path: path.to_path_buf(),
            rdr,
            record: csv::ByteRecord::new(),
            records: 0,
        })
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next record, or `None` at a clean end of file.
    ///
    /// # Errors
    ///
    /// Read errors, and a file that ends inside a record (no final line break, or an
    /// open quoted field).
    pub fn next_row(&mut self) -> Result<Option<Row>, ImportError> {
        loop {
            let more = self.rdr.read_byte_record(&mut self.record).map_err(|e| {
                let line = e.position().map(|p| p.line());
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => ImportError::io(&self.path, line, io),
                    other => ImportError::malformed(
                        &self.path,
                        line.unwrap_or(0),
                        None,
                        format!("{other:?}"),
                    ),
                }
            })?;
            if !more {
                self.check_end()?;
                return Ok(None);
            }
            let line = self.record.position().map(|p| p.line()).unwrap_or(0);
            // The DOS end-of-file marker after the last line reads as a record of its own.
            if self.record.len() == 1 && self.record.get(0).is_some_and(is_blank_or_eof) {
                continue;
            }
            let last = self.record.len().saturating_sub(1);
            let fields = self
                .record
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let f = if i == last {
                        f.strip_suffix(b"\r").unwrap_or(f)
                    } else {
                        f
                    };
                    decode(f).into_owned()
                })
                .collect();
            self.records += 1;
            return Ok(Some(Row { line, fields }));
        }
    }

    /// After the last record: fails unless the file ended with the DOS end-of-file
    /// marker, as OFAC ends its `sdn`, `alt`, `add` and `cons_*` files. Without it a
    /// file cut between two rows reads as whole (the count written for it then vouches
    /// for a list missing every entry after the cut).
    pub fn require_end_mark(&self) -> Result<(), ImportError> {
        if self.rdr.get_ref().marked {
            return Ok(());
        }
        Err(ImportError::truncated(
            &self.path,
            Some(self.rdr.position().line()),
            "the file does not end with the end-of-file mark (0x1A) OFAC ends its list files with: \
             it may be cut off between two rows; download it again",
        ))
    }

    fn check_end(&self) -> Result<(), ImportError> {
        let tail = self.rdr.get_ref();
        let line = Some(self.rdr.position().line());
        if tail.odd_quotes {
            return Err(ImportError::truncated(
                &self.path,
                line,
                "the file ends inside a quoted field",
            ));
        }
        match tail.last {
            None | Some(b'\n') | Some(b'\r') => Ok(()),
            Some(_) => Err(ImportError::truncated(
                &self.path,
                line,
                "the last record has no line break: the file was cut mid-row",
            )),
        }
    }
}

fn is_blank_or_eof(field: &[u8]) -> bool {
    field
        .iter()
        .all(|&b| b == DOS_EOF || b.is_ascii_whitespace())
}

/// Checks that a row has at least `n` fields, as a malformed-record message.
pub(crate) fn expect_fields(row: &Row, n: usize) -> Result<(), String> {
    if row.fields.len() < n {
        Err(format!("expected {n} fields, found {}", row.fields.len()))
    } else {
        Ok(())
    }
}

/// The header row of a CSV list: each column's position by name, and the width every
/// record must have. One reading for every format with a header, so a missing column
/// or a record of the wrong width is refused alike everywhere.
pub(crate) struct Header {
    columns: HashMap<String, usize>,
    width: usize,
}

impl Header {
    /// Reads `row` as the header of a file that must have the columns `required`,
    /// telling `what` the file was taken for when one is missing. Names are trimmed
    /// (exports leave spaces and tabs around them); a repeated name means its first
    /// column.
    pub fn new(path: &Path, row: &Row, required: &[&str], what: &str) -> Result<Self, ImportError> {
        let mut columns = HashMap::new();
        for (i, f) in row.fields.iter().enumerate() {
            columns.entry(f.trim().to_string()).or_insert(i);
        }
        if let Some(missing) = required.iter().find(|c| !columns.contains_key(**c)) {
            return Err(ImportError::malformed(
                path,
                row.line,
                None,
                format!("header has no `{missing}` column: not {what}"),
            ));
        }
        Ok(Header {
            columns,
            width: row.fields.len(),
        })
    }

    /// The field of `row` in column `name`, trimmed; empty when there is none.
    pub fn get<'r>(&self, row: &'r Row, name: &str) -> &'r str {
        self.columns.get(name).map_or("", |&i| row.get(i))
    }

    /// Whether `row` has as many fields as the header; a record that has not is
    /// reported to `ctx` as malformed (and the import stops, unless bad records are
    /// skipped).
    pub fn fits(&self, ctx: &mut Ctx<'_>, path: &Path, row: &Row) -> Result<bool, ImportError> {
        if row.fields.len() == self.width {
            return Ok(true);
        }
        ctx.bad_record(
            path,
            row.line,
            format!("expected {} fields, found {}", self.width, row.fields.len()),
        )?;
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&str]) -> Row {
        Row {
            line: 3,
            fields: fields.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn a_header_finds_columns_by_trimmed_name_and_refuses_a_missing_one() {
        let path = Path::new("list.csv");
        let header = Header::new(path, &row(&[" _id", "name\t", "name"]), &["_id"], "a list")
            .expect("has _id");
        assert_eq!(
            header.get(&row(&["7", " KOMID ", "other"]), "name"),
            "KOMID"
        );
        assert_eq!(header.get(&row(&["7"]), "name"), "");
        assert_eq!(header.get(&row(&["7", "x", "y"]), "absent"), "");

        let err = Header::new(path, &row(&["name"]), &["_id", "name"], "a CSL CSV")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("list.csv:3"), "{err}");
        assert!(
            err.contains("header has no `_id` column: not a CSL CSV"),
            "{err}"
        );
    }
}
