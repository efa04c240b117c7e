//! The unit-price lexer restated the slow, obvious way: a `Vec<char>` of the text and
//! a `String` for every word and number. Kept only for tests, which assert that the
//! production lexer finds the same prices and counts.

// The currency words are data, not the lexing under test: the table is shared.
use super::{currency_word, UnitPrice};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Word(String),
    Cur(&'static str),
    At,
    Slash,
}

fn lex(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars.get(i) {
                let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if d.is_ascii_digit() {
                    s.push(d);
                } else if d == '.' && next_is_digit {
                    s.push('.');
                } else if d == ',' && next_is_digit && thousands_group(&chars, i + 1) {
                    // `38,000`: a thousands separator. `1,5` stays two numbers.
                } else {
                    break;
                }
                i += 1;
            }
            if let Ok(v) = s.parse::<f64>() {
                toks.push(Tok::Num(v));
            }
            continue;
        }
        if c.is_alphabetic() {
            let mut s = String::new();
            while let Some(&d) = chars.get(i) {
                if !d.is_alphabetic() {
                    break;
                }
                s.extend(d.to_lowercase());
                i += 1;
            }
            toks.push(match currency_word(&s) {
                Some(code) => Tok::Cur(code),
                None => Tok::Word(s),
            });
            continue;
        }
        match c {
            '@' => toks.push(Tok::At),
            '/' => toks.push(Tok::Slash),
            '$' => {
                // `US$` was lexed as the word `us`, which the sign makes a currency.
                if let Some(Tok::Word(w)) = toks.last() {
                    if w == "us" {
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
        i += 1;
    }
    toks
}

fn thousands_group(chars: &[char], from: usize) -> bool {
    let group: Vec<&char> = chars.iter().skip(from).take(4).collect();
    group.len() >= 3
        && group.iter().take(3).all(|c| c.is_ascii_digit())
        && group.get(3).is_none_or(|c| !c.is_ascii_digit())
}

/// Words for one countable item, as they follow a count or a `/` in a price.
fn item_unit(w: &str) -> Option<ItemUnit> {
    Some(match w {
        "set" | "sets" | "satz" | "комплект" | "комплекта" | "комплектов" | "套" => {
            ItemUnit::Set
        }
        "pc" | "pcs" | "pce" | "piece" | "pieces" | "unit" | "units" | "item" | "items"
        | "pair" | "pairs" | "pr" | "prs" | "ea" | "stk" | "stück" | "stueck" | "шт" | "штук"
        | "штуки" | "штука" | "件" | "个" | "台" | "개" | "대" | "bottle" | "bottles" | "btl"
        | "btls" => ItemUnit::Piece,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemUnit {
    Set,
    Piece,
}

fn word_at(toks: &[Tok], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// Whether the tokens from `i` say "per item": `/pc`, `per set`, `each`, `ea`.
fn per_item_at(toks: &[Tok], i: usize) -> bool {
    match toks.get(i) {
        Some(Tok::Slash) => word_at(toks, i + 1).is_some_and(|w| item_unit(w).is_some()),
        Some(Tok::Word(w)) if w == "per" || w == "pro" || w == "за" => {
            word_at(toks, i + 1).is_some_and(|w| item_unit(w).is_some())
        }
        Some(Tok::Word(w)) => matches!(w.as_str(), "each" | "ea" | "apiece" | "je"),
        _ => false,
    }
}

/// The price of one item written in `text`, if any.
///
/// ```
/// use embargo::goods::price::unit_price;
/// assert_eq!(unit_price("500 pcs @ USD 2.50").map(|p| p.amount), Some(2.5));
/// assert_eq!(unit_price("gym bags, USD 0.90/pc").map(|p| p.amount), Some(0.9));
/// assert_eq!(unit_price("wall clocks 30cm").map(|p| p.amount), None);
/// ```
pub(crate) fn unit_price(text: &str) -> Option<UnitPrice> {
    let toks = lex(text);
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::At => {
                // `@ USD 2.50`, `@ 2.50 USD`, `@ 2.50`
                match (toks.get(i + 1), toks.get(i + 2)) {
                    (Some(Tok::Cur(c)), Some(Tok::Num(v))) => {
                        return Some(UnitPrice {
                            amount: *v,
                            currency: Some(c),
                        })
                    }
                    (Some(Tok::Num(v)), next) => {
                        let currency = match next {
                            Some(Tok::Cur(c)) => Some(*c),
                            _ => None,
                        };
                        return Some(UnitPrice {
                            amount: *v,
                            currency,
                        });
                    }
                    _ => {}
                }
            }
            Tok::Cur(c) => {
                // `USD 0.90/pc`, `USD 4 each`
                if let Some(Tok::Num(v)) = toks.get(i + 1) {
                    if per_item_at(&toks, i + 2) {
                        return Some(UnitPrice {
                            amount: *v,
                            currency: Some(c),
                        });
                    }
                }
            }
            Tok::Num(v) => {
                // `2.10 USD/pc`, `2.10 EUR each`
                if let Some(Tok::Cur(c)) = toks.get(i + 1) {
                    if per_item_at(&toks, i + 2) {
                        return Some(UnitPrice {
                            amount: *v,
                            currency: Some(c),
                        });
                    }
                }
            }
            Tok::Word(w) if w == "unit" && word_at(&toks, i + 1) == Some("price") => {
                match (toks.get(i + 2), toks.get(i + 3)) {
                    (Some(Tok::Cur(c)), Some(Tok::Num(v))) => {
                        return Some(UnitPrice {
                            amount: *v,
                            currency: Some(c),
                        })
                    }
                    (Some(Tok::Num(v)), Some(Tok::Cur(c))) => {
                        return Some(UnitPrice {
                            amount: *v,
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
pub(crate) fn item_count(text: &str) -> Option<f64> {
    let toks = lex(text);
    let mut sets = None;
    let mut pieces: Vec<f64> = Vec::new();
    let mut composite = false;
    for (i, t) in toks.iter().enumerate() {
        if let Tok::Word(w) = t {
            if matches!(
                w.as_str(),
                "set" | "sets" | "service" | "kit" | "kits" | "pack" | "box" | "gift"
            ) {
                composite = true;
            }
        }
        let Tok::Num(v) = t else { continue };
        if *v <= 0.0 {
            continue;
        }
        if matches!(
            toks.get(i.wrapping_sub(1)),
            Some(Tok::Cur(_)) | Some(Tok::At)
        ) {
            continue;
        }
        match word_at(&toks, i + 1).and_then(item_unit) {
            Some(ItemUnit::Set) => {
                sets.get_or_insert(*v);
            }
            Some(ItemUnit::Piece) => pieces.push(*v),
            None => {}
        }
    }
    if sets.is_some() {
        return sets;
    }
    match pieces.as_slice() {
        [one] if !composite => Some(*one),
        _ => None,
    }
}
