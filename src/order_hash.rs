//! The fingerprint of an order, written in every decision (`"order_hash"`), so that a
//! re-screen can tell an order edited under the same id from the one its decision was
//! made for.
//!
//! # Definition
//!
//! `sha256:` and the lowercase hex SHA-256 digest of the order *as read*: the
//! [`Order`] that every reader (JSON lines, CSV, Parquet, Arrow, the service, Python)
//! makes of a record, serialized as compact JSON with its fields in the model's order
//! (`id`, `parties`, `goods`, `route`; within each, the order of the contract's
//! schema), texts as read (trimmed of nothing), numbers as the shortest text that reads
//! back as the same 64-bit float, and `dob`, `nationality` and `identifiers` left out
//! when absent or empty.
//!
//! So the hash depends on what the order says, not on how a file wrote it: the same
//! order as a JSON line, a CSV row or a Parquet row hashes alike, and so do `"value":
//! "1,250.00"` and `"value": 1250`, JSON keys in another order, or other blank space
//! between them. Any change of a field screening reads (a party's name, a goods line,
//! the route, the id) changes it. SHA-256 is the hash the ruleset's `"ruleset"` uses;
//! finding two orders with one hash is out of reach, so an edited order cannot pass as
//! the old one.

use std::fmt;
use std::io::Write;

use sha2::{Digest, Sha256};

use crate::order::Order;

/// The fingerprint of an order (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrderHash([u8; 32]);

/// Feeds what is written into the hash.
struct Hashing(Sha256);

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl OrderHash {
    /// The fingerprint of `order`.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::order_hash::OrderHash;
    /// use embargo::Order;
    /// let a = Order::from_json(r#"{"id": "PO-7", "parties": [{"name": "Acme"}], "goods": [{"description": "cars", "value": "1,250.00"}]}"#)?;
    /// let b = Order::from_json(r#"{"goods": [{"value": 1250, "description": "cars"}], "id": "PO-7", "parties": [{"name": "Acme"}]}"#)?;
    /// let c = Order::from_json(r#"{"id": "PO-7", "parties": [{"name": "Acme Bank"}], "goods": [{"description": "cars", "value": 1250}]}"#)?;
    /// assert_eq!(OrderHash::of(&a), OrderHash::of(&b));
    /// assert_ne!(OrderHash::of(&a), OrderHash::of(&c));
    /// assert!(OrderHash::of(&a).to_string().starts_with("sha256:"));
    /// # Ok::<(), embargo::Error>(())
    /// ```
    pub fn of(order: &Order) -> OrderHash {
        let mut h = Hashing(Sha256::new());
        // Plain data (texts, finite numbers, lists) always serializes; were it ever to
        // fail, the hash of what was written so far differs from a whole order's, so
        // a re-screen screens the order again rather than take it for the same.
        if serde_json::to_writer(&mut h, order).is_err() {
            h.0.update(b"\xFF");
        }
        OrderHash(h.0.finalize().into())
    }

    /// Reads `sha256:` followed by 64 hex digits.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::order_hash::OrderHash;
    /// let text = format!("sha256:{}", "ab".repeat(32));
    /// assert_eq!(OrderHash::parse(&text).map(|h| h.to_string()), Some(text));
    /// assert_eq!(OrderHash::parse("sha256:ab"), None);
    /// ```
    pub fn parse(text: &str) -> Option<OrderHash> {
        let hex = text.strip_prefix("sha256:")?.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let digit = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let (hi, lo) = (pair.first().copied()?, pair.get(1).copied()?);
            *byte = (digit(hi)? << 4) | digit(lo)?;
        }
        Some(OrderHash(out))
    }
}

impl fmt::Display for OrderHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sha256:")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for OrderHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for OrderHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(json: &str) -> OrderHash {
        OrderHash::of(&Order::from_json(json).expect("an order"))
    }

    #[test]
    fn every_field_screening_reads_changes_the_hash() {
        let base = r#"{"id":"PO-7","parties":[{"role":"buyer","name":"Acme","country":"CN","address":"Dalian","dob":"1970","nationality":"CN","identifiers":[{"type":"passport","value":"X1"}]}],"goods":[{"description":"cars","hs":"8703.24","quantity":2,"value":10,"currency":"USD"}],"route":{"origin":"CN","destination":"AE","via":["Busan"],"vessel":"SEA","imo":"9123453"}}"#;
        let h = hash(base);
        for (from, to) in [
            ("PO-7", "PO-8"),
            ("buyer", "seller"),
            ("Acme", "Acme Bank"),
            (r#""country":"CN""#, r#""country":"KP""#),
            ("Dalian", "Pyongyang"),
            ("1970", "1971"),
            (r#""nationality":"CN""#, r#""nationality":"KP""#),
            ("passport", "national_id"),
            ("X1", "X2"),
            ("cars", "yachts"),
            ("8703.24", "8903.10"),
            (r#""quantity":2"#, r#""quantity":3"#),
            (r#""value":10"#, r#""value":11"#),
            ("USD", "EUR"),
            (r#""origin":"CN""#, r#""origin":"RU""#),
            ("AE", "KP"),
            ("Busan", "Nampo"),
            ("SEA", "SKY"),
            ("9123453", "9176187"),
        ] {
            assert!(base.contains(from), "{from}");
            assert_ne!(hash(&base.replacen(from, to, 1)), h, "{from} -> {to}");
        }
        // A field moved to another party is another order.
        let two = r#"{"id":"A","parties":[{"name":"Xu Li"},{"name":"Yang Bo","dob":"1970"}]}"#;
        let moved = r#"{"id":"A","parties":[{"name":"Xu Li","dob":"1970"},{"name":"Yang Bo"}]}"#;
        assert_ne!(hash(two), hash(moved));
    }

    #[test]
    fn the_same_order_written_otherwise_hashes_alike() {
        let a = hash(r#"{"id":"PO-7","route":{"via":["A","B"],"destination":"KP"}}"#);
        let b = hash(
            r#"{ "route" : {"destination":"KP", "via":"A; B", "vessel": null}, "id":"PO-7" }"#,
        );
        assert_eq!(a, b);
        assert_eq!(
            hash(r#"{"id":7,"route":{"origin":"CN"}}"#),
            hash(r#"{"id":"7","route":{"origin":"CN"}}"#)
        );
    }

    #[test]
    fn text_round_trips_and_bad_text_is_refused() {
        let h = hash(r#"{"id":"A","route":{"origin":"CN"}}"#);
        assert_eq!(OrderHash::parse(&h.to_string()), Some(h));
        assert_eq!(
            serde_json::to_string(&h).expect("serializes"),
            format!("\"{h}\"")
        );
        for bad in [
            "",
            "sha256:",
            "sha1:00",
            &format!("sha256:{}", "g".repeat(64)),
        ] {
            assert_eq!(OrderHash::parse(bad), None, "{bad}");
        }
    }
}
