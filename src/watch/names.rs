//! The names of an order, all that selecting it for re-screening reads: read from a
//! JSON line with borrowed texts, skipping the rest (goods lines are most of the bytes).

use std::borrow::Cow;

use serde::Deserialize;
use smallvec::SmallVec;

use crate::order::Order;
use crate::order_hash::OrderHash;

/// What a re-screen needs of an order to tell whether it can change: its id, its
/// fingerprint, its parties' names and countries, and the vessel. Texts are borrowed
/// from the JSON line (or the order) where they can be.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrderNames<'a> {
    /// The order's id.
    #[serde(borrow, deserialize_with = "super::text::text")]
    pub id: Cow<'a, str>,
    /// The order's fingerprint ([`crate::order_hash`]); `None` when only the names
    /// were read (then the order counts as changed: its decision may be another's).
    #[serde(skip)]
    pub hash: Option<OrderHash>,
    /// Each party's name and country (orders name a few: kept inline, no allocation).
    #[serde(default, borrow, deserialize_with = "null_default")]
    pub parties: SmallVec<[PartyNames<'a>; 4]>,
    /// The vessel.
    #[serde(default, borrow, deserialize_with = "null_default")]
    pub route: VesselNames<'a>,
}

/// A party's name and country.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PartyNames<'a> {
    /// The name as written.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub name: Option<Cow<'a, str>>,
    /// The country as written.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub country: Option<Cow<'a, str>>,
}

/// The route's vessel.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VesselNames<'a> {
    /// The vessel's name.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub vessel: Option<Cow<'a, str>>,
    /// Its IMO number.
    #[serde(default, borrow, deserialize_with = "super::text::opt_text")]
    pub imo: Option<Cow<'a, str>>,
}

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A name an order gives that selection searches among the changed names: a party's,
/// with its country as written, or the vessel's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NameKey<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The party's country as written (`None` for the vessel).
    pub country: Option<&'a str>,
    /// The route's vessel rather than a party.
    pub vessel: bool,
}

impl NameKey<'_> {
    /// Writes into `key` bytes that are the same for two names exactly when name,
    /// country and role are: a byte `0xFF`, which UTF-8 text never holds, ends the
    /// name, so no name or country can run into the other.
    pub fn write_key(&self, key: &mut Vec<u8>) {
        key.clear();
        self.append_key(key);
    }

    /// [`NameKey::write_key`], appending to what `key` holds.
    pub fn append_key(&self, key: &mut Vec<u8>) {
        key.push(u8::from(self.vessel));
        key.extend_from_slice(self.name.as_bytes());
        key.push(0xFF);
        key.extend_from_slice(self.country.unwrap_or("").as_bytes());
    }
}

impl<'a> OrderNames<'a> {
    /// The names selection searches: each party's (with its country), then the
    /// vessel's, each followed by the parts the screener also screens alone (the
    /// parties a wrapper joins, `A c/o B`; a vessel's name before a remark in
    /// parentheses); blank ones are left out (they match nothing).
    pub(super) fn names(&self) -> impl Iterator<Item = NameKey<'_>> {
        use crate::text::party_name::{joined_parties, vessel_without_remark};
        let parties = self.parties.iter().flat_map(|p| {
            let name = p.name.as_deref().unwrap_or("");
            let country = p.country.as_deref();
            let key = move |name| NameKey {
                name,
                country,
                vessel: false,
            };
            std::iter::once(key(name)).chain(
                joined_parties(name)
                    .into_iter()
                    .map(move |part| key(part.text)),
            )
        });
        let vessel = self.route.vessel.as_deref().into_iter().flat_map(|name| {
            let key = |name| NameKey {
                name,
                country: None,
                vessel: true,
            };
            std::iter::once(key(name)).chain(vessel_without_remark(name).map(|b| key(b.text)))
        });
        parties.chain(vessel).filter(|n| !n.name.trim().is_empty())
    }

    /// Reads the names of a JSON order, skipping everything else; an order whose names
    /// cannot be read is an error. Reading nothing but these is what makes selecting
    /// orders cheap: the goods lines, most of an order's bytes, are only scanned.
    pub fn from_json(text: &'a [u8]) -> Result<OrderNames<'a>, String> {
        serde_json::from_slice(text).map_err(|e| format!("invalid order: {e}"))
    }
}

impl<'a> From<&'a Order> for OrderNames<'a> {
    /// The names of `o`, with its fingerprint.
    fn from(o: &'a Order) -> Self {
        OrderNames {
            hash: Some(OrderHash::of(o)),
            ..OrderNames::unhashed(o)
        }
    }
}

impl<'a> OrderNames<'a> {
    /// The names of `o`, without its fingerprint (for a selection that has already
    /// compared it).
    pub(super) fn unhashed(o: &'a Order) -> Self {
        let text = |t: &'a Option<String>| t.as_deref().map(Cow::Borrowed);
        OrderNames {
            id: Cow::Borrowed(&o.id),
            hash: None,
            parties: o
                .parties
                .iter()
                .map(|p| PartyNames {
                    name: text(&p.name),
                    country: text(&p.country),
                })
                .collect(),
            route: VesselNames {
                vessel: text(&o.route.vessel),
                imo: text(&o.route.imo),
            },
        }
    }
}
