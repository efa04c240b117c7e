//! The values of an order's fields that must mean something to be screened: a party's
//! name, a date of birth, a party's country or nationality, a goods line's currency, a route field written as a country code,
//! an IMO number.
//!
//! Each check is here once and [`crate::Order::validate`] runs them, so every way an
//! order comes in (JSON lines, CSV, Parquet, Arrow, the service, the Python package)
//! refuses the same values with the same message. A value that cannot be read is
//! never screened on a guess: a malformed date of birth would count as evidence
//! against a name hit and lower a block to a review, and a country no one recognizes
//! would leave the order clear of every country rule.

use crate::reference;
use crate::rules::diagnostic::did_you_mean;

/// Checks a party's name: it must keep something to screen once normalized, a word,
/// a number or an initial. A name of punctuation (`...`), legal forms alone
/// (`Co., Ltd.`) or common words alone (`The`) would be screened as no name at all and
/// cleared, while a blank name is refused; so it is refused as a blank one is. A legal
/// form alone says what kind of company, never which one: it is a name lost on the
/// way (a field cut, a placeholder), and the sender can put the real one.
///
/// # Examples
///
/// ```
/// use embargo::order_values::check_party_name;
/// assert!(check_party_name("Korea Kwangson Banking Corp").is_ok());
/// assert!(check_party_name("3M").is_ok() && check_party_name("朝鲜").is_ok());
/// assert!(check_party_name("...").is_err());
/// assert!(check_party_name("Co., Ltd.").is_err());
/// ```
pub fn check_party_name(text: &str) -> Result<(), String> {
    use crate::normalize::{normalize, TokenClass};
    let screened = normalize(text, None).iter().any(|t| {
        matches!(
            t.class,
            TokenClass::Word | TokenClass::Number | TokenClass::Initial
        )
    });
    if screened {
        Ok(())
    } else {
        Err(format!(
            "`{text}` has nothing to screen once normalized (only punctuation, legal forms or common words)"
        ))
    }
}

/// Checks a goods line's currency: an ISO 4217 code, in any case (`usd` is `USD`).
/// A code that is none (`USX`) is refused, with a "did you mean" when one code is
/// closest: its value could not
/// be compared with any amount. Whether the rules have a rate for a real code is the
/// screener's question (a value in a currency without a rate meets every value test).
///
/// # Examples
///
/// ```
/// use embargo::order_values::check_currency;
/// assert!(check_currency("USD").is_ok() && check_currency(" brl ").is_ok());
/// assert!(check_currency("USX").unwrap_err().contains("not an ISO 4217 currency code"));
/// assert!(check_currency("dollars").is_err());
/// ```
pub fn check_currency(text: &str) -> Result<(), String> {
    let code = text.trim().to_ascii_uppercase();
    if reference::is_currency(&code) {
        return Ok(());
    }
    let hint = match did_you_mean(&code, reference::currency_codes()) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    };
    Err(format!("`{text}` is not an ISO 4217 currency code{hint}"))
}

/// What a date of birth must look like, as the message says it.
pub const DOB_SHAPES: &str = "YYYY, YYYY-MM or YYYY-MM-DD";

/// Checks a date of birth: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and a real calendar
/// date (`1984-13-45` and `1983-02-29` are not).
///
/// # Examples
///
/// ```
/// use embargo::order_values::check_dob;
/// assert!(check_dob("1984").is_ok() && check_dob("1984-01").is_ok());
/// assert!(check_dob("1984-02-29").is_ok());
/// assert!(check_dob("1984-13-45").is_err() && check_dob("yesterday").is_err());
/// ```
pub fn check_dob(text: &str) -> Result<(), String> {
    let t = text.trim();
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let fits = match b.len() {
        4 => digits(0..4),
        7 => {
            digits(0..4)
                && b.get(4) == Some(&b'-')
                && digits(5..7)
                && t.get(5..7)
                    .and_then(|m| m.parse::<u32>().ok())
                    .is_some_and(|m| (1..=12).contains(&m))
        }
        10 => digits(0..4) && digits(5..7) && digits(8..10) && reference::is_date(t),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(format!("`{text}` is not a date of birth ({DOB_SHAPES})"))
    }
}

/// The ISO code of a party's country or nationality: a code, a name in any major
/// language or script, a list spelling or a demonym; `None` for a name that says only
/// "Korea", which is understood (the rules hold it for review) though it names no
/// single country. Anything else is refused with the value and, when one is close, a
/// "did you mean".
///
/// # Examples
///
/// ```
/// use embargo::order_values::check_country;
/// assert_eq!(check_country("Corée du Nord"), Ok(Some("KP")));
/// assert_eq!(check_country("North Korean"), Ok(Some("KP")));
/// assert_eq!(check_country("Korea"), Ok(None));
/// let why = check_country("KPP").unwrap_err();
/// assert!(why.contains("did you mean `KP`?"), "{why}");
/// assert!(check_country("Narnia").is_err());
/// ```
pub fn check_country(text: &str) -> Result<Option<&'static str>, String> {
    if let Some(code) = reference::country_code(text) {
        return Ok(Some(code));
    }
    if reference::says_only_korea(text) {
        return Ok(None);
    }
    Err(format!(
        "`{text}` is not a country (an ISO code or a country name){}",
        country_hint(text)
    ))
}

/// Checks a route field (origin, destination, a place of `via`). A route names
/// places as well as countries, so a place embargo does not know is screened as
/// written; but a value written as a country code (two or three capital letters)
/// that is none is a code mistyped, and a mistyped `KP` must not pass as a town.
///
/// # Examples
///
/// ```
/// use embargo::order_values::check_route_place;
/// assert!(check_route_place("Nampo").is_ok() && check_route_place("KP").is_ok());
/// assert!(check_route_place("PRK").is_ok() && check_route_place("Narnia").is_ok());
/// assert!(check_route_place("ZZ").is_err() && check_route_place("KPP").is_err());
/// ```
pub fn check_route_place(text: &str) -> Result<(), String> {
    let t = text.trim();
    let code_like = (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_uppercase());
    if code_like && reference::country_code(t).is_none() {
        return Err(format!(
            "`{text}` looks like a country code but is none{}",
            country_hint(t)
        ));
    }
    Ok(())
}

/// Checks a vessel's IMO number: seven digits, after an optional `IMO` (with a space,
/// colon or dash or nothing between), whose last digit is the check digit of the six
/// before it.
///
/// # Examples
///
/// ```
/// use embargo::order_values::check_imo;
/// assert!(check_imo("9176187").is_ok() && check_imo("IMO 9176187").is_ok());
/// assert!(check_imo("imo:9176187").is_ok());
/// assert!(check_imo("917618").is_err() && check_imo("IMO 91761870").is_err());
/// assert!(check_imo("CHON MA SAN").is_err());
/// assert!(check_imo("9176188").is_err(), "check digit");
/// ```
pub fn check_imo(text: &str) -> Result<(), String> {
    let t = text.trim();
    let number = match t.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("IMO") => t
            .get(3..)
            .unwrap_or_default()
            .trim_start_matches([' ', ':', '-', '.']),
        _ => t,
    };
    if number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit()) {
        // A mistyped digit would otherwise pass as another ship's number, and the
        // vessel's name is not screened when its number is given.
        if crate::reference::imo_valid(number) {
            Ok(())
        } else {
            Err(format!(
                "`{text}` fails the IMO check digit (the last digit checks the other six): a digit is mistyped"
            ))
        }
    } else {
        Err(format!(
            "`{text}` is not an IMO number (7 digits, with or without `IMO`)"
        ))
    }
}

/// "; did you mean `KP`?" for a value close to a country code (when written as one)
/// or to a country's name; nothing when none is close.
fn country_hint(text: &str) -> String {
    let t = text.trim();
    let code_like = (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic());
    let best = if code_like {
        did_you_mean(&t.to_ascii_uppercase(), reference::country_codes())
    } else {
        did_you_mean(
            t,
            reference::country_codes().flat_map(reference::country_names),
        )
    };
    best.map_or_else(String::new, |s| format!("; did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_birth() {
        for ok in ["1984", "1984-12", "1984-12-31", " 2000-02-29 "] {
            assert!(check_dob(ok).is_ok(), "{ok}");
        }
        for bad in [
            "1984-13-45",
            "1984-00",
            "1984-13",
            "1983-02-29",
            "84",
            "+984",
            "1984/01/02",
            "19840102",
            "yesterday",
            "1984-1-2",
        ] {
            let why = check_dob(bad).unwrap_err();
            assert!(why.contains("not a date of birth"), "{bad}: {why}");
        }
    }

    #[test]
    fn countries_in_any_writing() {
        for (text, code) in [
            ("KP", "KP"),
            ("kp", "KP"),
            ("PRK", "KP"),
            ("Korea, North", "KP"),
            ("朝鲜", "KP"),
            ("КНДР", "KP"),
            ("Nordkorea", "KP"),
            ("North Korean", "KP"),
            ("Deutschland", "DE"),
        ] {
            assert_eq!(check_country(text), Ok(Some(code)), "{text}");
        }
        for bare in ["Korea", "Corea", "Корея"] {
            assert_eq!(check_country(bare), Ok(None), "{bare}");
        }
        let why = check_country("XX").unwrap_err();
        assert!(why.contains("`XX` is not a country"), "{why}");
        assert!(check_country("Narnia").is_err());
        let why = check_country("Swizerland").unwrap_err();
        assert!(why.contains("did you mean"), "{why}");
    }

    #[test]
    fn route_places_and_code_lookalikes() {
        for ok in [
            "Nampo", "Dalian", "KP", "PRK", "UAE", "Narnia", "Zz", "Port X",
        ] {
            assert!(check_route_place(ok).is_ok(), "{ok}");
        }
        for bad in ["ZZ", "KPP", "XX"] {
            assert!(check_route_place(bad).is_err(), "{bad}");
        }
        assert!(check_route_place("KPP")
            .unwrap_err()
            .contains("did you mean `KP`?"));
    }

    #[test]
    fn imo_numbers() {
        for ok in [
            "8660313",
            "IMO 8660313",
            "IMO8660313",
            "imo: 8660313",
            "IMO-8660313",
        ] {
            assert!(check_imo(ok).is_ok(), "{ok}");
        }
        for bad in [
            "866031",
            "86603130",
            "IMO",
            "IMO 866 0313",
            "8660313A",
            "n/a",
        ] {
            assert!(check_imo(bad).is_err(), "{bad}");
        }
    }
}
