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

/// A role as a key: lower case words joined by `_`, a trailing `party` dropped
/// (`Notify Party` is `notify`), a known role written in one word found
/// (`enduser` is `end_user`), and a phrase whose last words are a known role read as
/// that role, since an English role phrase names its kind last (`ultimate consignee`
/// and `intermediate consignee` are consignees, `advising bank` a bank). Any other
/// role is kept as its words.
///
/// # Examples
///
/// ```
/// use embargo::roles::role_key;
/// assert_eq!(role_key("End-User"), "end_user");
/// assert_eq!(role_key(" end user "), "end_user");
/// assert_eq!(role_key("Notify party"), "notify");
/// assert_eq!(role_key("ENDUSER"), "end_user");
/// assert_eq!(role_key("Ultimate Consignee"), "consignee");
/// assert_eq!(role_key("Correspondent bank"), "bank");
/// assert_eq!(role_key("Guarantor"), "guarantor");
/// ```
pub fn role_key(text: &str) -> String {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() > 1 && words.last().is_some_and(|w| w == "party") {
        words.pop();
    }
    let key = words.join("_");
    if KNOWN.contains(&key.as_str()) {
        return key;
    }
    let joined = words.concat();
    if let Some(known) = KNOWN.iter().find(|k| k.replace('_', "") == joined) {
        return known.to_string();
    }
    for start in 1..words.len() {
        let tail = words[start..].join("_");
        if KNOWN.contains(&tail.as_str()) {
            return tail;
        }
    }
    key
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
    fn a_blank_role_is_blank() {
        assert_eq!(role_key(" - "), "");
        assert_eq!(role_key("party"), "party");
    }
}
