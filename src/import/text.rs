//! Small text helpers shared by the importers: dates as lists write them, identifier
//! scheme names, multi-value fields.

use std::path::Path;

use crate::reference::is_date;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the forms `born` is written in when known.
pub(crate) fn is_partial_iso_date(s: &str) -> bool {
    match s.len() {
        4 => all_digits(s),
        7 => is_date(&format!("{s}-01")),
        10 => is_date(s),
        _ => false,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn ymd(year: u32, month: u32, day: u32) -> Option<String> {
    let out = format!("{year:04}-{month:02}-{day:02}");
    (year >= 1000 && is_date(&out)).then_some(out)
}

/// A list's date of publication found in a file name (`consolidated-2026-02-27.xml`).
pub(crate) fn date_in_file_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let b = name.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let cand = name.get(i..i + 10)?;
        let before_ok = i == 0 || !b.get(i - 1).is_some_and(u8::is_ascii_digit);
        let after_ok = !b.get(i + 10).is_some_and(u8::is_ascii_digit);
        (before_ok && after_ok && is_date(cand)).then(|| cand.to_string())
    })
}

/// OFAC's dates: `06 Apr 1955`, `Apr 1955`, `1955`; `None` for anything else
/// (`circa 1955`, `1955 to 1958`), which the caller keeps as written.
pub(crate) fn ofac_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let month = |m: &str| {
        let m = m.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|x| m.starts_with(x))
            .map(|i| i as u32 + 1)
    };
    match parts.as_slice() {
        [y] if y.len() == 4 && all_digits(y) => Some((*y).to_string()),
        [m, y] if y.len() == 4 && all_digits(y) => month(m).map(|m| format!("{y}-{m:02}")),
        [d, m, y] if y.len() == 4 && all_digits(y) && all_digits(d) => {
            ymd(y.parse().ok()?, month(m)?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// Day-first numeric dates: `16.7.2009`, `13/04/2018`, `00/00/1980` (unknown day and
/// month, as the UK list writes a bare year), and ISO dates passed through.
pub(crate) fn dmy_date(s: &str) -> Option<String> {
    let s = s.trim();
    if is_partial_iso_date(s) {
        return Some(s.to_string());
    }
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if !(all_digits(d) && all_digits(m) && all_digits(y) && y.len() == 4) {
        return None;
    }
    let (d, m, year): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    match (d, m) {
        (0, 0) => Some(format!("{year:04}")),
        (0, m) if (1..=12).contains(&m) => Some(format!("{year:04}-{m:02}")),
        _ => ymd(year, m, d),
    }
}

/// US month-first dates: `05/03/2024` -> `2024-05-03`.
pub(crate) fn mdy_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim().split('/').collect();
    let [m, d, y] = parts.as_slice() else {
        return None;
    };
    if !(all_digits(m) && all_digits(d) && all_digits(y) && y.len() == 4) {
        return None;
    }
    ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// An identifier scheme name from a label: `Tax ID No.` -> `tax_id_no`. The rule
/// language wants ASCII letters, digits, `_` and `-`, starting with a letter.
pub(crate) fn scheme(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "id_");
    }
    out
}

/// Splits a multi-value field on `sep`, trimming and dropping empty parts.
pub(crate) fn split_values<'a>(s: &'a str, sep: &'a str) -> impl Iterator<Item = &'a str> {
    s.split(sep).map(str::trim).filter(|v| !v.is_empty())
}

/// The items of a numbered enumeration, `1) Saudi Arabia 2) Qatar` or
/// `(1)-(2) Tunisia (3) Libya`; a plain value is one item.
pub(crate) fn numbered_parts(s: &str) -> Vec<&str> {
    let s = s.trim();
    let head = s.trim_start_matches('(');
    let numbered = head.starts_with(|c: char| c.is_ascii_digit())
        && head
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with(')');
    if !numbered {
        return if s.is_empty() { Vec::new() } else { vec![s] };
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A marker: optional '(', digits, ')'.
        let open = usize::from(bytes.get(i) == Some(&b'('));
        let digits = bytes
            .get(i + open..)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let at_word_start = i == 0 || bytes.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric());
        if digits > 0 && at_word_start && bytes.get(i + open + digits) == Some(&b')') {
            parts.push(s.get(start..i).unwrap_or(""));
            i += open + digits + 1;
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(s.get(start..).unwrap_or(""));
    parts
        .into_iter()
        .map(|p| p.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | ';' | '.')))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Collapses runs of whitespace (line breaks included) into single spaces.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first 7-digit number following "IMO" in free text (`IMO number: 5571322`,
/// `(IMO) Number: 1790183`, `IMO 5434358`).
pub(crate) fn imo_in_text(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find("IMO") {
        let after = rest.get(i + 3..).unwrap_or("");
        let gap = after
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(after.len());
        let digits: String = after
            .get(gap..)
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.len() == 7 && gap <= 12 {
            return Some(digits);
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(ofac_date("06 Apr 1955").as_deref(), Some("1955-04-06"));
        assert_eq!(ofac_date("Apr 1955").as_deref(), Some("1955-04"));
        assert_eq!(ofac_date("1955").as_deref(), Some("1955"));
        assert_eq!(ofac_date("circa 1955"), None);
        assert_eq!(ofac_date("31 Feb 1955"), None);
        assert_eq!(ofac_date("29 Feb 1956").as_deref(), Some("1956-02-29"));
        assert_eq!(dmy_date("16.7.2009").as_deref(), Some("2009-07-16"));
        assert_eq!(dmy_date("00/00/1980").as_deref(), Some("1980"));
        assert_eq!(dmy_date("00/05/1980").as_deref(), Some("1980-05"));
        assert_eq!(dmy_date("1965 or 1966"), None);
        assert_eq!(
            date_in_file_name(Path::new("un/consolidated-2026-02-27.xml")).as_deref(),
            Some("2026-02-27")
        );
        assert_eq!(date_in_file_name(Path::new("sdn-2024-05.csv")), None);
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("Tax ID No."), "tax_id_no");
        assert_eq!(scheme("D-U-N-S Number"), "d_u_n_s_number");
        assert_eq!(scheme("1st"), "id_1st");
    }

    #[test]
    fn imo_numbers_in_text() {
        assert_eq!(
            imo_in_text("(IMO) Number: 1790183. x").as_deref(),
            Some("1790183")
        );
        assert_eq!(
            imo_in_text("IMO number: 5571322.").as_deref(),
            Some("5571322")
        );
        assert_eq!(imo_in_text("IMO 5434358.").as_deref(), Some("5434358"));
        assert_eq!(imo_in_text("KARIMOV 12345678901"), None);
    }

    #[test]
    fn numbered() {
        assert_eq!(
            numbered_parts("1) Saudi Arabia 2) Qatar"),
            ["Saudi Arabia", "Qatar"]
        );
        assert_eq!(
            numbered_parts("(1)-(2) Tunisia (3) Libya (4) Algeria"),
            ["Tunisia", "Libya", "Algeria"]
        );
        assert_eq!(numbered_parts("Pakistan"), ["Pakistan"]);
        assert_eq!(
            numbered_parts("Kalashnikov AK-47 (2)"),
            ["Kalashnikov AK-47 (2)"]
        );
    }
}
