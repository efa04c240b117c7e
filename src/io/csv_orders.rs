//! Orders from CSV: one row per order, with a header row.
//!
//! The columns are those of the flat layout ([`super::flat`]), shared with Arrow and
//! Parquet; a list is a text of `;`-separated items. Columns one knows to hold nothing
//! to screen (an internal note) are named to [`CsvOrders::with_ignored`].
//!
//! Rows are split here rather than by a general CSV reader, so that every physical line
//! is accounted for: a quote never closed is not allowed to swallow the rest of the
//! file. Its record is rejected, and reading goes on from the line after the one it
//! opened on. A quoted field may run on over line breaks (a cell with Alt+Enter in
//! Excel), but only in a record that reads as one without doubt: a stray quote that a
//! later quote closes would otherwise take the rows between into one field, unseen.
//! Such a record is rejected whole, with the lines it spans, when a closing quote is
//! followed by text, when its field count is not the header's, or when a line inside
//! the quoted field reads as a row of its own. Line numbers count physical lines,
//! whether they end in `\n` or `\r\n`.

use std::collections::VecDeque;
use std::io::BufRead;

use super::flat::{Cell, Layout};
use super::{OrderReader, Record, Rejected, BOM};

/// A quoted field may run over at most this many lines: a longer one is a quote left
/// open, and stopping there bounds the memory one bad quote can take.
const MAX_RECORD_LINES: u64 = 1000;

/// Physical lines of the input, with lines given back after a record that swallowed
/// them is rejected.
struct Lines<R> {
    reader: R,
    /// Lines read from `reader` so far.
    read: u64,
    /// Lines to read again before `reader`: `(number, text)`.
    again: VecDeque<(u64, Vec<u8>)>,
}

impl<R: BufRead> Lines<R> {
    /// The next line, without its line break (`\n` or `\r\n`).
    fn next(&mut self) -> std::io::Result<Option<(u64, Vec<u8>)>> {
        if let Some(l) = self.again.pop_front() {
            return Ok(Some(l));
        }
        let mut buf = Vec::new();
        if self.reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(None);
        }
        self.read += 1;
        if self.read == 1 {
            if let Some(rest) = buf.strip_prefix(BOM) {
                buf = rest.to_vec();
            }
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        Ok(Some((self.read, buf)))
    }
}

/// One row as split: its fields, or why it could not be.
enum Row {
    /// The fields of a record starting on `line`.
    Fields { line: u64, fields: Vec<Vec<u8>> },
    /// A quote opened on `quote_line` and never closed, in the record starting on
    /// `line`; read up to `last_line`.
    Unclosed {
        line: u64,
        quote_line: u64,
        last_line: u64,
    },
    /// A record from `line` to `last_line` whose quoted field, opened on
    /// `quote_line`, runs over line breaks, but that does not read as one record:
    /// `why`.
    Spanning {
        line: u64,
        quote_line: u64,
        last_line: u64,
        why: String,
    },
}

/// Whether `line`, read alone, is a row of `width` fields with every quote where
/// RFC 4180 puts it: a line of the file that a quote left open took into a field.
fn reads_as_row(line: &[u8], width: usize) -> bool {
    if line.iter().all(u8::is_ascii_whitespace) {
        return false;
    }
    let (mut fields, mut quoted, mut at_start) = (1, false, true);
    let mut bytes = line.iter().peekable();
    while let Some(&b) = bytes.next() {
        match b {
            b'"' if quoted => {
                if bytes.peek() == Some(&&b'"') {
                    bytes.next();
                } else if matches!(bytes.peek(), None | Some(b',')) {
                    quoted = false;
                } else {
                    return false;
                }
            }
            b'"' if at_start => quoted = true,
            b'"' => return false,
            b',' if !quoted => {
                fields += 1;
                at_start = true;
                continue;
            }
            _ => {}
        }
        at_start = false;
    }
    !quoted && fields == width
}

/// Splits the next non-blank record. RFC 4180: a field starting with `"` is quoted
/// until a lone `"`, with `""` standing for one quote, and may hold commas and line
/// breaks; text after a closing quote is kept (as common readers do) in a record of
/// one line. `width` is the header's field count, once known: a record over several
/// lines must have it.
fn next_row<R: BufRead>(
    lines: &mut Lines<R>,
    width: Option<usize>,
) -> std::io::Result<Option<Row>> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let (start, first) = loop {
        match lines.next()? {
            None => return Ok(None),
            Some((_, l)) if l.iter().all(|b| b.is_ascii_whitespace()) => continue,
            Some(l) => break l,
        }
    };
    let mut taken: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let mut state = State::FieldStart;
    let mut quote_line = start;
    // The line the first field to run over a line break opened on.
    let mut spanning_from: Option<u64> = None;
    // The first line where a closing quote is followed by text.
    let mut text_after_quote: Option<u64> = None;
    let (mut number, mut line) = (start, first);
    loop {
        for &b in &line {
            match state {
                State::FieldStart if b == b'"' => {
                    state = State::Quoted;
                    quote_line = number;
                }
                State::FieldStart | State::Unquoted if b == b',' => {
                    fields.push(std::mem::take(&mut field));
                    state = State::FieldStart;
                }
                State::FieldStart | State::Unquoted => {
                    field.push(b);
                    state = State::Unquoted;
                }
                State::Quoted if b == b'"' => state = State::QuoteInQuoted,
                State::Quoted => field.push(b),
                State::QuoteInQuoted if b == b'"' => {
                    field.push(b'"');
                    state = State::Quoted;
                }
                State::QuoteInQuoted if b == b',' => {
                    fields.push(std::mem::take(&mut field));
                    state = State::FieldStart;
                }
                State::QuoteInQuoted => {
                    field.push(b);
                    state = State::Unquoted;
                    text_after_quote.get_or_insert(number);
                }
            }
        }
        if state != State::Quoted {
            fields.push(field);
            let Some(quote_line) = spanning_from else {
                return Ok(Some(Row::Fields {
                    line: start,
                    fields,
                }));
            };
            let inside_a_row = width.and_then(|w| {
                taken
                    .iter()
                    .find(|(n, l)| *n > quote_line && reads_as_row(l, w))
                    .map(|(n, _)| *n)
            });
            let why = if let Some(l) = text_after_quote {
                format!("a closing quote on line {l} is followed by text, where a `,` or the line's end belongs")
            } else if let Some(w) = width.filter(|w| *w != fields.len()) {
                format!("it has {} fields, but the header has {w}", fields.len())
            } else if let Some(n) = inside_a_row {
                format!("line {n}, inside the quoted field, reads as a row of its own")
            } else {
                return Ok(Some(Row::Fields {
                    line: start,
                    fields,
                }));
            };
            return Ok(Some(Row::Spanning {
                line: start,
                quote_line,
                last_line: number,
                why,
            }));
        }
        // A quoted field goes on over the line break.
        spanning_from.get_or_insert(quote_line);
        taken.push((number, std::mem::take(&mut line)));
        let next = if number - start + 1 >= MAX_RECORD_LINES {
            None
        } else {
            lines.next()?
        };
        match next {
            Some((n, l)) => {
                field.push(b'\n');
                number = n;
                line = l;
            }
            None => {
                // The lines after the one the quote opened on are rows of their own,
                // most likely; they are read again.
                let last_line = taken.last().map_or(start, |(n, _)| *n);
                let again: Vec<(u64, Vec<u8>)> =
                    taken.into_iter().filter(|(n, _)| *n > quote_line).collect();
                for l in again.into_iter().rev() {
                    lines.again.push_front(l);
                }
                return Ok(Some(Row::Unclosed {
                    line: start,
                    quote_line,
                    last_line,
                }));
            }
        }
    }
}

/// A CSV file of orders.
pub struct CsvOrders<R> {
    lines: Lines<R>,
    layout: Layout,
    record: Vec<Vec<u8>>,
}

impl<R: BufRead> CsvOrders<R> {
    /// Reads the header row; fails when it cannot be read, has no `id` column, or
    /// names a column embargo does not read.
    pub fn new(input: R) -> Result<Self, String> {
        Self::with_ignored(input, &[])
    }

    /// [`CsvOrders::new`], with columns that are known to hold nothing to screen and
    /// are not read (compared without regard to case).
    pub fn with_ignored(input: R, ignored: &[String]) -> Result<Self, String> {
        let mut lines = Lines {
            reader: input,
            read: 0,
            again: VecDeque::new(),
        };
        let (line, headers) = match next_row(&mut lines, None) {
            Ok(Some(Row::Fields { line, fields })) if lines.read == line => (line, fields),
            Ok(Some(Row::Fields { line, .. } | Row::Spanning { line, .. })) => {
                return Err(format!(
                    "line {line}: the CSV header runs over a line break (lines {line} to {}): a quote out of place?",
                    lines.read
                ))
            }
            Ok(Some(Row::Unclosed { line, .. })) => {
                return Err(format!(
                    "line {line}: the CSV header has a quote never closed"
                ))
            }
            Ok(None) => return Err("the CSV input is empty: no header row".to_string()),
            Err(e) => return Err(format!("cannot read the CSV header: {e}")),
        };
        let headers: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let layout = Layout::new(&headers, ignored).map_err(|e| match e.column {
            Some(k) => format!("line {line}, column {}: {}", k + 1, e.message),
            None => format!("line {line}: the CSV header has {}", e.message),
        })?;
        Ok(CsvOrders {
            lines,
            layout,
            record: Vec::new(),
        })
    }

    fn order(&self, line: u64) -> Record {
        if self.record.len() != self.layout.len() {
            return Err(Rejected {
                line,
                id: None,
                error: format!(
                    "{} fields, but the header has {}",
                    self.record.len(),
                    self.layout.len()
                ),
            });
        }
        let mut row = self.layout.row();
        for (k, raw) in self.record.iter().enumerate() {
            let Ok(value) = std::str::from_utf8(raw) else {
                return Err(Rejected {
                    line,
                    id: None,
                    error: "a field is not valid UTF-8".to_string(),
                });
            };
            row.set(k, Cell::Text(value));
        }
        row.finish(line)
    }
}

impl<R: BufRead> OrderReader for CsvOrders<R> {
    fn lines_read(&self) -> u64 {
        self.lines.read
    }
}

impl<R: BufRead> Iterator for CsvOrders<R> {
    type Item = Result<Record, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match next_row(&mut self.lines, Some(self.layout.len())) {
            Ok(None) => None,
            Ok(Some(Row::Fields { line, fields })) => {
                self.record = fields;
                Some(Ok(self.order(line)))
            }
            Ok(Some(Row::Unclosed {
                line,
                quote_line,
                last_line,
            })) => Some(Ok(Err(Rejected {
                line,
                id: None,
                error: format!(
                    "the quote opened on line {quote_line} is never closed (lines {line} to {last_line} would have been one record); the lines after it are read as rows again"
                ),
            }))),
            Ok(Some(Row::Spanning {
                line,
                quote_line,
                last_line,
                why,
            })) => Some(Ok(Err(Rejected {
                line,
                id: None,
                error: format!(
                    "lines {line} to {last_line} would be one record, the quote opened on line {quote_line} closing on line {last_line}, but {why}: all {} lines are rejected (a stray `\"` on line {quote_line}?)",
                    last_line - line + 1
                ),
            }))),
            Err(e) => Some(Err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        CsvOrders::new(text.as_bytes())
            .expect("header")
            .map(|r| r.expect("io"))
            .collect()
    }

    #[test]
    fn lists_numbered_and_role_columns() {
        let csv = "id,party_role,party_name,party_country,buyer_name,buyer_country,goods1_description,goods1_value,goods2_description,hs,origin,destination,via,notes\n\
                   PO-1,seller;bank,Acme Ltd;Koryo Bank,CN;,Dalian Ruifeng,CN,Lexus LX570,\"1,000,000\",cognac XO,,AE,CN,Dalian;Nampo,hello\n";
        let records: Vec<Record> = CsvOrders::with_ignored(csv.as_bytes(), &["Notes".to_string()])
            .expect("header")
            .map(|r| r.expect("io"))
            .collect();
        let (line, o) = records[0].as_ref().expect("order");
        assert_eq!(*line, 2);
        assert_eq!(o.parties.len(), 3);
        assert_eq!(o.parties[1].name.as_deref(), Some("Koryo Bank"));
        assert_eq!(o.parties[1].country, None);
        assert_eq!(o.parties[2].role.as_deref(), Some("buyer"));
        assert_eq!(o.goods.len(), 2);
        assert_eq!(o.goods[0].value, Some(1_000_000.0));
        assert_eq!(o.route.via, ["Dalian", "Nampo"]);
        // Not named as ignored, the same column refuses the file.
        let err = CsvOrders::new(csv.as_bytes()).err().unwrap_or_default();
        assert!(
            err.starts_with("line 1, column 14: unknown column `notes`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_columns_are_refused_with_a_hint() {
        let err = CsvOrders::new("id,destinaton,buyer_nam\n".as_bytes())
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with(
                "line 1, column 2: unknown column `destinaton`: did you mean `destination`?"
            ),
            "{err}"
        );
    }

    #[test]
    fn bad_rows_are_rejected_with_their_line() {
        let csv = "id,goods_value,goods_description\nA,10,x\nB,ten,x\nC,1,x,2\n\"D\nstill D\",5,x\nE,6,x\n";
        let records = read(csv);
        assert_eq!(records.len(), 5);
        let b = records[1].as_ref().expect_err("B rejected");
        assert_eq!((b.line, b.id.as_deref()), (3, Some("B")));
        assert!(b.error.contains("value `ten` is not a number"));
        assert_eq!(records[2].as_ref().expect_err("C rejected").line, 4);
        // A quoted field spanning lines: the record starts on line 5, the next on 7.
        assert_eq!(
            records[3].as_ref().map(|(l, o)| (*l, o.id.clone())),
            Ok((5, "D\nstill D".to_string()))
        );
        assert_eq!(records[4].as_ref().map(|(l, _)| *l), Ok(7));
    }

    #[test]
    fn an_unclosed_quote_swallows_no_row() {
        let csv = "id,destination,goods_description\nA1,KP,Rolex watch\nA2,KP,\"Rolex watch\nA3,KP,Rolex watch\nA4,KP,Rolex watch\n";
        let mut reader = CsvOrders::new(csv.as_bytes()).expect("header");
        let records: Vec<Record> = reader.by_ref().map(|r| r.expect("io")).collect();
        let lines: Vec<(u64, bool)> = records
            .iter()
            .map(|r| match r {
                Ok((l, _)) => (*l, true),
                Err(rej) => (rej.line, false),
            })
            .collect();
        assert_eq!(lines, [(2, true), (3, false), (4, true), (5, true)]);
        let why = &records[1].as_ref().expect_err("A2").error;
        assert!(
            why.contains("quote opened on line 3 is never closed"),
            "{why}"
        );
        assert_eq!(reader.lines_read(), 5);
    }

    /// `(line, screened)` of each record.
    fn outcome(records: &[Record]) -> Vec<(u64, bool)> {
        records
            .iter()
            .map(|r| match r {
                Ok((l, _)) => (*l, true),
                Err(rej) => (rej.line, false),
            })
            .collect()
    }

    #[test]
    fn a_stray_quote_closed_later_rejects_every_line_it_took() {
        let head = "id,buyer_name,goods_description,destination\n";
        let rest =
            "C2,Korea Kwangson Banking Corp.,cognac,CN\nC3,Foo,\"bolts\",DE\nC4,Bar,nuts,DE\n";
        for stray in [
            "C1,Acme,\"steel bolts,DE\n",
            "C1,Acme,\"steel bolts 12\"\",DE\n",
        ] {
            let records = read(&format!("{head}{stray}{rest}"));
            assert_eq!(outcome(&records), [(2, false), (5, true)], "{stray}");
            let why = &records[0].as_ref().expect_err("C1").error;
            assert!(
                why.starts_with("lines 2 to 4 would be one record, the quote opened on line 2 closing on line 4, but a closing quote on line 4 is followed by text"),
                "{why}"
            );
            assert!(why.contains("all 3 lines are rejected"), "{why}");
        }
        // Closed by a second stray quote, a quote then a comma: the row it took shows.
        let records = read(&format!(
            "{head}C1,Acme,\"steel bolts,DE\nC2,Korea Kwangson Banking Corp.,cognac,CN\nC3,Foo,\",DE\nC4,Bar,nuts,DE\n"
        ));
        assert_eq!(outcome(&records), [(2, false), (5, true)]);
        let why = &records[0].as_ref().expect_err("C1").error;
        assert!(
            why.contains("line 3, inside the quoted field, reads as a row of its own"),
            "{why}"
        );
        // A record whose field count is off.
        let records = read(&format!(
            "{head}C1,Acme,\"steel\nbolts\",DE,extra\nC4,Bar,nuts,DE\n"
        ));
        assert_eq!(outcome(&records), [(2, false), (4, true)]);
        let why = &records[0].as_ref().expect_err("C1").error;
        assert!(
            why.contains("it has 5 fields, but the header has 4"),
            "{why}"
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_kept_as_text() {
        let records =
            read("id,goods_description,destination\nC1,steel bolts 12\",DE\nC2,cognac,KP\n");
        assert_eq!(outcome(&records), [(2, true), (3, true)]);
        let (_, c1) = records[0].as_ref().expect("C1");
        assert_eq!(c1.goods[0].description.as_deref(), Some("steel bolts 12\""));
    }

    #[test]
    fn a_header_over_two_lines_is_refused() {
        let err = CsvOrders::new("id,\"buyer\nname\"\nA,B\n".as_bytes())
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with("line 1: the CSV header runs over a line break (lines 1 to 2)"),
            "{err}"
        );
    }

    #[test]
    fn reads_as_row_follows_rfc_4180_quotes() {
        assert!(reads_as_row(b"C2,Korea,cognac,CN", 4));
        assert!(reads_as_row(b"C2,\"Korea, \"\"KP\"\"\",cognac,CN", 4));
        assert!(!reads_as_row(b"C2,Korea,cognac", 4));
        assert!(!reads_as_row(b"still D\",5,x,y", 4));
        assert!(!reads_as_row(b"C2,\"Korea\"x,cognac,CN", 4));
        assert!(!reads_as_row(b"C2,\"Korea,cognac,CN", 4));
        assert!(!reads_as_row(b"  ", 1));
    }

    #[test]
    fn crlf_lines_and_a_byte_order_mark() {
        let csv = "\u{feff}id,destination\r\nA1,KP\r\n\r\nA2,\"North\r\nKorea\"\r\nA3,CN\r\n";
        let records = read(csv);
        let got: Vec<(u64, String, Option<String>)> = records
            .iter()
            .map(|r| {
                let (l, o) = r.as_ref().expect("order");
                (*l, o.id.clone(), o.route.destination.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                (2, "A1".to_string(), Some("KP".to_string())),
                (4, "A2".to_string(), Some("North\nKorea".to_string())),
                (6, "A3".to_string(), Some("CN".to_string())),
            ]
        );
    }

    #[test]
    fn a_header_without_id_is_refused() {
        assert!(CsvOrders::new("name,value\n".as_bytes()).is_err());
        assert!(CsvOrders::new("destination,value\n".as_bytes()).is_err());
    }
}
