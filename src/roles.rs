//! A party's role in one spelling, for orders and rules alike.
//!
//! Orders write a role as free text (`End-User`, `notify party`, `Ultimate Consignee`)
//! and rules name roles as words (`role(end_user, notify)`). Compared verbatim, an
//! `end user` never met a rule about end users and the order cleared; both sides now go
//! through [`role_key`].

/// The roles embargo knows: those the README and the shipped rules name, and the other
/// parties of a trade or payment document. A rule naming a role outside them is warned
/// of (an order may still carry any role).
pub const KNOWN: &[&str] = &[
    "agent",
    "bank",
    "buyer",
    "carrier",
    "consignee",
    "consignor",
    "end_user",
    "exporter",
    "forwarder",
    "importer",
    "intermediary",
    "manufacturer",
    "notify",
    "seller",
    "shipper",
    "supplier",
];

/// The roles a party receiving the goods may carry: a rule testing any of them also
/// tests a party whose role embargo does not know, or that has none (see [`is_tested`]).
pub const RECEIVING: &[&str] = &["buyer", "consignee", "end_user", "importer", "notify"];

/// Other words for known roles, as trade documents write them: the receiving-side
/// fields of bills of lading, invoices and letters of credit (`ship to`, `sold to`,
/// the L/C `applicant`, who is the buyer), and the field names of Chinese, Korean and
/// Russian bills of lading and invoices. A key here is as [`role_key`] spells it.
const SYNONYMS: &[(&str, &str)] = &[
    ("receiver", "consignee"),
    ("recipient", "consignee"),
    ("deliver_to", "consignee"),
    ("delivered_to", "consignee"),
    ("delivery_to", "consignee"),
    ("ship_to", "consignee"),
    ("shipped_to", "consignee"),
    ("purchaser", "buyer"),
    ("sold_to", "buyer"),
    ("bill_to", "buyer"),
    ("applicant", "buyer"),
    ("customer", "buyer"),
    ("vendor", "seller"),
    ("sender", "shipper"),
    ("收货人", "consignee"),
    ("收貨人", "consignee"),
    ("收货方", "consignee"),
    ("收件人", "consignee"),
    ("买方", "buyer"),
    ("買方", "buyer"),
    ("买家", "buyer"),
    ("进口商", "importer"),
    ("進口商", "importer"),
    ("通知人", "notify"),
    ("通知方", "notify"),
    ("最终用户", "end_user"),
    ("最終用戶", "end_user"),
    ("发货人", "shipper"),
    ("發貨人", "shipper"),
    ("卖方", "seller"),
    ("賣方", "seller"),
    ("수하인", "consignee"),
    ("수취인", "consignee"),
    ("수령인", "consignee"),
    ("매수인", "buyer"),
    ("구매자", "buyer"),
    ("수입자", "importer"),
    ("통지처", "notify"),
    ("최종사용자", "end_user"),
    ("최종_사용자", "end_user"),
    ("송하인", "shipper"),
    ("매도인", "seller"),
    ("грузополучатель", "consignee"),
    ("получатель", "consignee"),
    ("покупатель", "buyer"),
    ("импортер", "importer"),
    ("импортёр", "importer"),
    ("конечный_пользователь", "end_user"),
    ("уведомить", "notify"),
    ("грузоотправитель", "shipper"),
    ("отправитель", "shipper"),
    ("продавец", "seller"),
];

/// The known role `key` names, itself or by a synonym.
fn known(key: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .copied()
        .find(|k| *k == key)
        .or_else(|| SYNONYMS.iter().find(|(w, _)| *w == key).map(|(_, k)| *k))
}

/// A role as a key: lower case words joined by `_`, a trailing number (`Notify Party
/// 2`) and then a trailing `party` dropped (`Notify Party` is `notify`), a known role
/// written in one word found (`enduser` is `end_user`), another word for a known role
/// read as that role (`ship to`, `收货人`, `грузополучатель` are consignees), and a
/// phrase whose last words are a known role read as that role, since an English role
/// phrase names its kind last (`ultimate consignee` and `intermediate consignee` are
/// consignees, `advising bank` a bank). Any other role is kept as its words.
///
/// # Examples
///
/// ```
/// use embargo::roles::role_key;
/// assert_eq!(role_key("End-User"), "end_user");
/// assert_eq!(role_key(" end user "), "end_user");
/// assert_eq!(role_key("Notify party"), "notify");
/// assert_eq!(role_key("Notify Party 2"), "notify");
/// assert_eq!(role_key("ENDUSER"), "end_user");
/// assert_eq!(role_key("Ultimate Consignee"), "consignee");
/// assert_eq!(role_key("Ship to"), "consignee");
/// assert_eq!(role_key("收货人"), "consignee");
/// assert_eq!(role_key("Correspondent bank"), "bank");
/// assert_eq!(role_key("Guarantor"), "guarantor");
/// ```
pub fn role_key(text: &str) -> String {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // A document's second notify party or consignee is numbered, not another role.
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
    {
        words.pop();
    }
    if words.len() > 1 && words.last().is_some_and(|w| w == "party") {
        words.pop();
    }
    let key = words.join("_");
    if let Some(k) = known(&key) {
        return k.to_string();
    }
    let joined = words.concat();
    if let Some(k) = KNOWN.iter().find(|k| k.replace('_', "") == joined) {
        return k.to_string();
    }
    if let Some(k) = SYNONYMS
        .iter()
        .find(|(w, _)| w.replace('_', "") == joined)
        .map(|(_, k)| k)
    {
        return k.to_string();
    }
    for start in 1..words.len() {
        if let Some(k) = known(&words[start..].join("_")) {
            return k.to_string();
        }
    }
    key
}

/// Whether a test of the roles `roles` (as [`role_key`] spells them; none: every
/// party) tests a party of role `role`. A party whose role embargo does not know, or
/// that has none, may be the one receiving the goods: a rule about any receiving
/// role tests it, rather than an unknown word clearing the order (`Delivery agent
/// (final)`, `Заказчик`). A rule about other roles only (`role(bank)`) does not.
pub fn is_tested(roles: &[String], role: Option<&str>) -> bool {
    if roles.is_empty() {
        return true;
    }
    match role.filter(|r| KNOWN.contains(r)) {
        Some(r) => roles.iter().any(|x| x == r),
        None => roles.iter().any(|x| RECEIVING.contains(&x.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_role_is_its_own_key() {
        for role in KNOWN {
            assert_eq!(role_key(role), *role);
            assert_eq!(role_key(&role.to_uppercase().replace('_', " ")), *role);
        }
    }

    #[test]
    fn every_synonym_is_a_known_role_and_no_known_role_is_a_synonym() {
        for (word, role) in SYNONYMS {
            assert!(KNOWN.contains(role), "{word} -> {role}");
            assert!(!KNOWN.contains(word), "{word}");
            assert_eq!(role_key(word), *role, "{word}");
        }
    }

    #[test]
    fn receiving_side_words_in_any_language() {
        for (written, role) in [
            ("Receiver", "consignee"),
            ("Deliver to", "consignee"),
            ("SHIP-TO PARTY", "consignee"),
            ("Purchaser", "buyer"),
            ("Applicant", "buyer"),
            ("수하인", "consignee"),
            ("Грузополучатель", "consignee"),
            ("Notify Party 2", "notify"),
            ("Final receiver", "consignee"),
            ("Importer", "importer"),
        ] {
            assert_eq!(role_key(written), role, "{written}");
        }
    }

    #[test]
    fn an_unknown_or_missing_role_is_tested_as_a_receiving_one() {
        let receiving = vec!["consignee".to_string(), "buyer".to_string()];
        let bank = vec!["bank".to_string()];
        assert!(is_tested(&receiving, Some("consignee")));
        assert!(!is_tested(&receiving, Some("seller")));
        assert!(is_tested(&receiving, Some("guarantor")));
        assert!(is_tested(&receiving, None));
        assert!(!is_tested(&bank, Some("guarantor")));
        assert!(!is_tested(&bank, None));
        assert!(is_tested(&[], Some("seller")));
    }

    #[test]
    fn a_blank_role_is_blank() {
        assert_eq!(role_key(" - "), "");
        assert_eq!(role_key("party"), "party");
    }
}
