//! The names of an order, all that selecting it for re-screening reads: read from a
//! JSON line with borrowed texts, skipping the rest (goods lines are most of the bytes).

use std::borrow::Cow;

use serde::Deserialize;

use crate::order::Order;

/// What a re-screen needs of an order to tell whether it can change: its id, its
/// parties' names and countries, and the vessel. Texts are borrowed from the JSON line
/// (or the order) where they can be.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrderNames<'a> {
    /// The order's id.
    #[serde(borrow, deserialize_with = "super::text::text")]
    pub id: Cow<'a, str>,
    /// Each party's name and country.
    #[serde(default, borrow, deserialize_with = "null_default")]
    pub parties: Vec<PartyNames<'a>>,
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

impl<'a> OrderNames<'a> {
    /// Reads the names of a JSON order, skipping everything else; an order whose names
    /// cannot be read is an error. Reading nothing but these is what makes selecting
    /// orders cheap: the goods lines, most of an order's bytes, are only scanned.
    pub fn from_json(text: &'a [u8]) -> Result<OrderNames<'a>, String> {
        serde_json::from_slice(text).map_err(|e| format!("invalid order: {e}"))
    }
}

impl<'a> From<&'a Order> for OrderNames<'a> {
    fn from(o: &'a Order) -> Self {
        let text = |t: &'a Option<String>| t.as_deref().map(Cow::Borrowed);
        OrderNames {
            id: Cow::Borrowed(&o.id),
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
