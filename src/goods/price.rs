//! Unit prices and item counts written in a description.
//!
//! A value threshold compares what one item (or one set) is worth. Invoice lines often
//! carry a total with the unit price in the text (`500 pcs @ USD 2.50`,
//! `USD 0.90/pc`, `2.10 EUR each`) or a count (`1 set`, `10 Stk`); this module finds
//! them. It reads the original text with its own small lexer, because the normalized
//! text has lost the `@`, `/` and currency signs that make a number a price.

/// A price for one item found in a description.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPrice {
    /// The amount.
    pub amount: f64,
    /// ISO 4217 code, when written next to it.
    pub currency: Option<&'static str>,
}

/// A token of the text, as the price and count rules read it. `Copy`, with words
/// reduced to what the rules ask of them, so lexing a line allocates only the token
/// vector (the first lexer kept a `String` for every word and a `Vec<char>` of the
/// text, and was the largest cost of a line with a value threshold).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Num(f64),
    /// A word that is not a currency: the [`word`] flags of its lowercase form.
    Word(u16),
    Cur(&'static str),
    At,
    Slash,
}

/// Word flags: which of the words the rules look for a word is (0 for any other).
mod word {
    /// `us`, which a following `$` makes a currency (`US$`).
    pub const US: u16 = 1;
    /// A countable unit that is a set (`set`, `Satz`, `комплект`).
    pub const UNIT_SET: u16 = 1 << 1;
    /// A countable unit that is one piece (`pcs`, `pair`, `Stück`, `bottle`).
    pub const UNIT_PIECE: u16 = 1 << 2;
    /// `per`, `pro`, `за`: "per" before a unit.
    pub const PER: u16 = 1 << 3;
    /// `each`, `ea`, `apiece`, `je`: "per item" by itself.
    pub const EACH: u16 = 1 << 4;
    /// `unit`, as in `unit price`.
    pub const UNIT: u16 = 1 << 5;
    /// `price`.
    pub const PRICE: u16 = 1 << 6;
    /// A word that says the line is a set's make-up (`set`, `service`, `kit`, `box`).
    pub const COMPOSITE: u16 = 1 << 7;
    /// A countable unit of either kind.
    pub const ANY_UNIT: u16 = UNIT_SET | UNIT_PIECE;
}

/// The flags of a lowercase word.
fn word_flags(w: &str) -> u16 {
    use word::*;
    match w {
        "us" => US,
        "set" | "sets" => UNIT_SET | COMPOSITE,
        "satz" | "комплект" | "комплекта" | "комплектов" | "套" => {
            UNIT_SET
        }
        "unit" => UNIT_PIECE | UNIT,
        "ea" => UNIT_PIECE | EACH,
        "pc" | "pcs" | "pce" | "piece" | "pieces" | "units" | "item" | "items" | "pair"
        | "pairs" | "pr" | "prs" | "stk" | "stück" | "stueck" | "шт" | "штук" | "штуки"
        | "штука" | "件" | "个" | "台" | "개" | "대" | "bottle" | "bottles" | "btl" | "btls" => {
            UNIT_PIECE
        }
        "per" | "pro" | "за" => PER,
        "each" | "apiece" | "je" => EACH,
        "price" => PRICE,
        "service" | "kit" | "kits" | "pack" | "box" | "gift" => COMPOSITE,
        _ => 0,
    }
}

/// Longest lowercase word, in bytes, that [`word_flags`] or [`currency_word`] knows
/// (`комплектов`); a longer word is none of them.
const LONGEST_WORD: usize = 20;

/// The text's tokens. Digits, `.` and `,` are ASCII, so numbers are read as bytes (a
/// byte of a multi-byte character is never an ASCII digit); words are read as
/// characters, since letters of any script make a word.
fn lex(text: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut toks = Vec::with_capacity(16);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            let (tok, end) = number(text, i);
            toks.extend(tok);
            i = end;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if c.is_alphabetic() {
            let (tok, end) = word_token(text, i);
            toks.push(tok);
            i = end;
            continue;
        }
        match c {
            '@' => toks.push(Tok::At),
            '/' => toks.push(Tok::Slash),
            '$' => {
                // `US$` was lexed as the word `us`, which the sign makes a currency.
                if let Some(Tok::Word(w)) = toks.last() {
                    if *w == word::US {
                        toks.pop();
                    }
                }
                toks.push(Tok::Cur("USD"));
            }
            '€' => toks.push(Tok::Cur("EUR")),
            '£' => toks.push(Tok::Cur("GBP")),
            '₩' => toks.push(Tok::Cur("KRW")),
            '₽' => toks.push(Tok::Cur("RUB")),
            _ => {}
        }
        i += c.len_utf8();
    }
    toks
}

/// The number that starts at byte `from` (an ASCII digit) and the byte just after
/// it: digits, a `.` between digits, and `,` before a group of exactly three digits
/// (`38,000`; `1,5` stays two numbers). No token when the digits do not parse
/// (`1.2.3`).
fn number(text: &str, from: usize) -> (Option<Tok>, usize) {
    let bytes = text.as_bytes();
    let digit_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut i = from;
    let mut grouped = false;
    while let Some(&d) = bytes.get(i) {
        if d.is_ascii_digit() || (d == b'.' && digit_at(i + 1)) {
        } else if d == b',' && digit_at(i + 1) && thousands_group(bytes, i + 1) {
            grouped = true;
        } else {
            break;
        }
        i += 1;
    }
    let written = text.get(from..i).unwrap_or_default();
    let value = if grouped {
        written.replace(',', "").parse::<f64>()
    } else {
        written.parse::<f64>()
    };
    (value.ok().map(Tok::Num), i)
}

/// Whether the bytes from `from` are three ASCII digits not followed by a fourth.
fn thousands_group(bytes: &[u8], from: usize) -> bool {
    let digit_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    digit_at(from) && digit_at(from + 1) && digit_at(from + 2) && !digit_at(from + 3)
}

/// The word (a run of alphabetic characters) that starts at byte `from`, as a token,
/// and the byte just after it. It is lowercased into a small buffer: a word too long
/// for it is none of the words the rules know.
fn word_token(text: &str, from: usize) -> (Tok, usize) {
    let rest = text.get(from..).unwrap_or_default();
    let mut buf = [0u8; LONGEST_WORD];
    let mut len = 0;
    let mut fits = true;
    // The ASCII letters it starts with (all of it, in most invoices) are lowercased a
    // byte at a time, without decoding characters.
    let bytes = rest.as_bytes();
    let ascii = bytes
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(bytes.len());
    for &b in bytes.get(..ascii).unwrap_or_default() {
        match buf.get_mut(len) {
            Some(slot) => {
                *slot = b.to_ascii_lowercase();
                len += 1;
            }
            None => {
                fits = false;
                break;
            }
        }
    }
    let mut end = rest.len();
    for (k, c) in rest.get(ascii..).unwrap_or_default().char_indices() {
        if !c.is_alphabetic() {
            end = ascii + k;
            break;
        }
        if !fits {
            continue;
        }
        for l in c.to_lowercase() {
            match buf.get_mut(len..len + l.len_utf8()) {
                Some(slot) => {
                    l.encode_utf8(slot);
                    len += l.len_utf8();
                }
                None => fits = false,
            }
        }
    }
    let lower = if fits {
        std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default()
    } else {
        ""
    };
    let tok = match currency_word(lower) {
        Some(code) => Tok::Cur(code),
        None => Tok::Word(word_flags(lower)),
    };
    (tok, from + end)
}

fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "usd" => "USD",
        "eur" | "euro" | "euros" => "EUR",
        "gbp" => "GBP",
        "cny" | "rmb" | "yuan" | "元" => "CNY",
        "jpy" | "yen" => "JPY",
        "krw" | "won" | "원" => "KRW",
        "rub" | "руб" | "рубль" | "рублей" => "RUB",
        "chf" => "CHF",
        "hkd" => "HKD",
        "sgd" => "SGD",
        "aed" => "AED",
        "cad" => "CAD",
        "aud" => "AUD",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemUnit {
    Set,
    Piece,
}

/// The countable unit a word's flags name, if any.
fn item_unit(flags: u16) -> Option<ItemUnit> {
    if flags & word::UNIT_SET != 0 {
        Some(ItemUnit::Set)
    } else if flags & word::UNIT_PIECE != 0 {
        Some(ItemUnit::Piece)
    } else {
        None
    }
}

/// The flags of token `i` if it is a word, 0 otherwise.
fn word_at(toks: &[Tok], i: usize) -> u16 {
    match toks.get(i) {
        Some(Tok::Word(w)) => *w,
        _ => 0,
    }
}

/// Whether the tokens from `i` say "per item": `/pc`, `per set`, `each`, `ea`.
fn per_item_at(toks: &[Tok], i: usize) -> bool {
    match toks.get(i) {
        Some(Tok::Slash) => word_at(toks, i + 1) & word::ANY_UNIT != 0,
        Some(Tok::Word(w)) if w & word::PER != 0 => word_at(toks, i + 1) & word::ANY_UNIT != 0,
        Some(Tok::Word(w)) => w & word::EACH != 0,
        _ => false,
    }
}

/// Whether `text` may hold a number: without an ASCII digit it holds no price and no
/// count, and is not lexed.
fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

/// The price of one item written in `text`, if any.
///
/// ```
/// use embargo::goods::price::unit_price;
/// assert_eq!(unit_price("500 pcs @ USD 2.50").map(|p| p.amount), Some(2.5));
/// assert_eq!(unit_price("gym bags, USD 0.90/pc").map(|p| p.amount), Some(0.9));
/// assert_eq!(unit_price("wall clocks 30cm").map(|p| p.amount), None);
/// ```
pub fn unit_price(text: &str) -> Option<UnitPrice> {
    if !has_digit(text) {
        return None;
    }
    let toks = lex(text);
    for (i, t) in toks.iter().enumerate() {
        match *t {
            Tok::At => {
                // `@ USD 2.50`, `@ 2.50 USD`, `@ 2.50`
                match (toks.get(i + 1), toks.get(i + 2)) {
                    (Some(&Tok::Cur(c)), Some(&Tok::Num(v))) => {
                        return Some(UnitPrice {
                            amount: v,
                            currency: Some(c),
                        })
                    }
                    (Some(&Tok::Num(v)), next) => {
                        let currency = match next {
                            Some(&Tok::Cur(c)) => Some(c),
                            _ => None,
                        };
                        return Some(UnitPrice {
                            amount: v,
                            currency,
                        });
                    }
                    _ => {}
                }
            }
            Tok::Cur(c) => {
                // `USD 0.90/pc`, `USD 4 each`
                if let Some(&Tok::Num(v)) = toks.get(i + 1) {
                    if per_item_at(&toks, i + 2) {
                        return Some(UnitPrice {
                            amount: v,
                            currency: Some(c),
                        });
                    }
                }
            }
            Tok::Num(v) => {
                // `2.10 USD/pc`, `2.10 EUR each`
                if let Some(&Tok::Cur(c)) = toks.get(i + 1) {
                    if per_item_at(&toks, i + 2) {
                        return Some(UnitPrice {
                            amount: v,
                            currency: Some(c),
                        });
                    }
                }
            }
            Tok::Word(w) if w & word::UNIT != 0 && word_at(&toks, i + 1) & word::PRICE != 0 => {
                match (toks.get(i + 2), toks.get(i + 3)) {
                    (Some(&Tok::Cur(c)), Some(&Tok::Num(v)))
                    | (Some(&Tok::Num(v)), Some(&Tok::Cur(c))) => {
                        return Some(UnitPrice {
                            amount: v,
                            currency: Some(c),
                        })
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    None
}

/// How many items (or sets) the text says the line holds, when it says so clearly:
/// a count of sets wins (`48 pcs, 1 set` is one set); otherwise a single count of
/// pieces, units or pairs, unless the text describes a set's make-up (`dinner service
/// 48 pcs` is one service of 48 pieces, not 48 items).
///
/// ```
/// use embargo::goods::price::item_count;
/// assert_eq!(item_count("dinner service 48 pcs, 1 set"), Some(1.0));
/// assert_eq!(item_count("snowmobiles, 3 units"), Some(3.0));
/// assert_eq!(item_count("dinner service 48 pcs"), None);
/// ```
pub fn item_count(text: &str) -> Option<f64> {
    if !has_digit(text) {
        return None;
    }
    let toks = lex(text);
    let mut sets = None;
    // The first count of pieces, and whether there was more than one.
    let mut pieces: Option<f64> = None;
    let mut several = false;
    let mut composite = false;
    for (i, t) in toks.iter().enumerate() {
        if let Tok::Word(w) = t {
            if w & word::COMPOSITE != 0 {
                composite = true;
            }
        }
        let Tok::Num(v) = *t else { continue };
        if v <= 0.0 {
            continue;
        }
        if matches!(
            toks.get(i.wrapping_sub(1)),
            Some(Tok::Cur(_)) | Some(Tok::At)
        ) {
            continue;
        }
        match item_unit(word_at(&toks, i + 1)) {
            Some(ItemUnit::Set) => {
                sets.get_or_insert(v);
            }
            Some(ItemUnit::Piece) => {
                several |= pieces.is_some();
                pieces.get_or_insert(v);
            }
            None => {}
        }
    }
    if sets.is_some() {
        return sets;
    }
    match pieces {
        Some(one) if !several && !composite => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod naive;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn price(s: &str) -> Option<(f64, Option<&'static str>)> {
        unit_price(s).map(|p| (p.amount, p.currency))
    }

    #[test]
    fn unit_prices() {
        assert_eq!(price("500 pcs @ USD 2.50"), Some((2.5, Some("USD"))));
        assert_eq!(price("500 pcs @ 2.50 EUR"), Some((2.5, Some("EUR"))));
        assert_eq!(price("@2.5"), Some((2.5, None)));
        assert_eq!(price("USD 0.90/pc"), Some((0.9, Some("USD"))));
        assert_eq!(
            price("digital watches, plastic, USD 4/pc"),
            Some((4.0, Some("USD")))
        );
        assert_eq!(price("US$ 2.10 per piece"), Some((2.1, Some("USD"))));
        assert_eq!(price("$2.10 each"), Some((2.1, Some("USD"))));
        assert_eq!(price("2.10 EUR/pair"), Some((2.1, Some("EUR"))));
        assert_eq!(price("€ 1,250.00 per set"), Some((1250.0, Some("EUR"))));
        assert_eq!(price("unit price USD 35"), Some((35.0, Some("USD"))));
        assert_eq!(price("USD 0.80/pair"), Some((0.8, Some("USD"))));
    }

    #[test]
    fn not_unit_prices() {
        for s in [
            "USD 5000",
            "USD 5/kg",
            "700ml",
            "total USD 4,000",
            "1/24 scale",
            "",
        ] {
            assert_eq!(price(s), None, "{s}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(item_count("hand-knotted rug 250x350, 1 pc"), Some(1.0));
        assert_eq!(item_count("Mercedes S 580 4MATIC lang, 2 Stück"), Some(2.0));
        assert_eq!(item_count("porcelain tea set 15 pcs, 1 set"), Some(1.0));
        assert_eq!(item_count("rugs, 10 pcs, 2 bales"), Some(10.0));
        assert_eq!(item_count("500 pcs @ USD 2.50"), Some(500.0));
        assert_eq!(item_count("watches"), None);
        assert_eq!(item_count("3 pcs and 4 pcs"), None);
        assert_eq!(item_count("1,000 units"), Some(1000.0));
    }

    fn assert_same_as_naive(s: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(unit_price(s), naive::unit_price(s), "unit price of {:?}", s);
        prop_assert_eq!(item_count(s), naive::item_count(s), "count of {:?}", s);
        Ok(())
    }

    #[test]
    fn same_as_naive_on_examples() {
        for s in [
            "500 pcs @ USD 2.50",
            "US$ 2.10 per piece",
            "us us$ 3 each",
            "€ 1,250.00 per set",
            "1,5 pcs 1,2345 pcs 12,345,678 sets",
            "1.2.3 pcs",
            "2..5 pcs",
            "unit price 35 USD",
            "UNIT PRICE RUB 35",
            "10 КОМПЛЕКТОВ, 3 шт",
            "5 комплектовкомплектов",
            "3 Stück je 20 EUR",
            "4 pcs, 5 pcs",
            "dinner service 48 pcs",
            "2 套 100元 each",
            "100 원/개",
            "İİİİİİİİİİİİİİİİİİİİİİ 5 pcs",
            "",
        ] {
            if let Err(e) = assert_same_as_naive(s) {
                panic!("{e}");
            }
        }
    }

    /// Pieces of price and count phrases: numbers with separators, currencies and
    /// their signs, units and the words around them, in several scripts and cases.
    fn pricey_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "0",
            "1",
            "12",
            "2.50",
            "1,250",
            "1,2",
            ",",
            ".",
            "000",
            " ",
            "  ",
            "@",
            "/",
            "$",
            "€",
            "£",
            "₩",
            "₽",
            "US",
            "us",
            "USD",
            "eur",
            "Euros",
            "rmb",
            "元",
            "원",
            "руб",
            "рублей",
            "per",
            "PRO",
            "за",
            "each",
            "ea",
            "Apiece",
            "je",
            "unit",
            "UNIT",
            "price",
            "pcs",
            "PC",
            "piece",
            "pieces",
            "units",
            "pair",
            "stk",
            "Stück",
            "STUECK",
            "шт",
            "штук",
            "件",
            "个",
            "개",
            "bottle",
            "btls",
            "set",
            "Sets",
            "satz",
            "комплект",
            "комплектов",
            "套",
            "service",
            "kit",
            "box",
            "gift",
            "pack",
            "x",
            "kg",
            "İ",
            "ß",
            "é",
            "-",
            "'",
            "\u{0}",
            "😀",
            "钢管",
        ]);
        prop::collection::vec(pieces, 0..14).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn same_as_naive_on_price_text(s in pricey_text()) {
            assert_same_as_naive(&s)?;
        }

        #[test]
        fn same_as_naive_on_any_text(s in any::<String>()) {
            assert_same_as_naive(&s)?;
        }
    }
}
