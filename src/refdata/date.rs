//! Calendar dates, `YYYY-MM-DD` in UTC: today's date, and days counted from
//! 1970-01-01 either way, for list ages, allowance expiry and audit log names.
//!
//! The day counts are Howard Hinnant's `days_from_civil` and `civil_from_days`
//! algorithms for the proleptic Gregorian calendar.

use crate::reference;

/// Today's date in UTC as `YYYY-MM-DD`.
///
/// # Examples
///
/// ```
/// let today = embargo::refdata::date::today_utc();
/// assert!(embargo::refdata::date::days_from_civil(&today).is_some());
/// ```
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date; `None` for anything else.
///
/// # Examples
///
/// ```
/// use embargo::refdata::date::days_from_civil;
/// assert_eq!(days_from_civil("1970-01-02"), Some(1));
/// assert_eq!(days_from_civil("1969-12-31"), Some(-1));
/// assert_eq!(days_from_civil("2026-02-30"), None);
/// ```
pub fn days_from_civil(date: &str) -> Option<i64> {
    if !reference::is_date(date) {
        return None;
    }
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    // Years start in March, so that the leap day ends a year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `(year, month, day)` of a count of days since 1970-01-01; the inverse of
/// [`days_from_civil`].
///
/// # Examples
///
/// ```
/// use embargo::refdata::date::{civil_from_days, days_from_civil};
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(days_from_civil("2024-02-29").unwrap_or(0)), (2024, 2, 29));
/// ```
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for d in ["1970-01-01", "2000-02-29", "2026-11-23", "1944-10-13"] {
            let days = days_from_civil(d).unwrap_or(i64::MIN);
            let (y, m, dd) = civil_from_days(days);
            assert_eq!(format!("{y:04}-{m:02}-{dd:02}"), d);
        }
        assert_eq!(days_from_civil("1970-01-02"), Some(1));
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let first = days_from_civil("1900-01-01").unwrap_or(0);
        let last = days_from_civil("2299-12-31").unwrap_or(0);
        for z in first..=last {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(&format!("{y:04}-{m:02}-{d:02}")), Some(z));
        }
    }
}
