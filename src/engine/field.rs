//! The input text a piece of evidence was found in, read back from the order by the
//! field path the evidence names (`parties[0].name`, `goods[1]`, `route.via[0]`).
//!
//! Decisions carry it so that a reviewer (or `embargo report`) can show the matched
//! words and spans in the text the order wrote, from the decision alone.

use super::eval::Evidence;
use crate::order::Order;

/// The text of the field `evidence` was found in, when it names one text field.
pub(crate) fn text_of<'a>(order: &'a Order, evidence: &Evidence) -> Option<&'a str> {
    let field = match evidence {
        Evidence::Entity { field, .. }
        | Evidence::Goods { field, .. }
        | Evidence::Route { field, .. } => field.as_str(),
        // The order's total and an absence point at no one text.
        Evidence::Value { .. } | Evidence::Absent { .. } => return None,
    };
    field_text(order, field)
}

/// The text at `path` in `order`: `parties[K].name|country|address|nationality`, `goods[K]` (its
/// description), `route.origin|destination|vessel|imo`, `route.via[K]`.
pub(crate) fn field_text<'a>(order: &'a Order, path: &str) -> Option<&'a str> {
    if let Some(rest) = path.strip_prefix("parties[") {
        let (k, attr) = rest.split_once("].")?;
        let party = order.parties.get(k.parse::<usize>().ok()?)?;
        return match attr {
            "name" => party.name.as_deref(),
            "country" => party.country.as_deref(),
            "address" => party.address.as_deref(),
            "nationality" => party.nationality.as_deref(),
            _ => None,
        };
    }
    if let Some(rest) = path.strip_prefix("goods[") {
        let k = rest.strip_suffix(']')?;
        return order
            .goods
            .get(k.parse::<usize>().ok()?)?
            .description
            .as_deref();
    }
    if let Some(rest) = path.strip_prefix("route.via[") {
        let k = rest.strip_suffix(']')?;
        return order
            .route
            .via
            .get(k.parse::<usize>().ok()?)
            .map(String::as_str);
    }
    match path {
        "route.origin" => order.route.origin.as_deref(),
        "route.destination" => order.route.destination.as_deref(),
        "route.vessel" => order.route.vessel.as_deref(),
        "route.imo" => order.route.imo.as_deref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_path_the_evaluator_writes_reads_back() {
        let order = Order::from_json(
            r#"{"id":"PO-1",
                "parties":[{"name":"Acme"},{"name":"Korea Kwangson","country":"KP","address":"Pyongyang"}],
                "goods":[{"description":"coal"},{"description":"Lexus LX570"}],
                "route":{"origin":"CN","destination":"Nampo","via":["Dalian","Dandong"],"vessel":"CHON MA SAN","imo":"IMO 8660313"}}"#,
        )
        .expect("a valid order");
        let cases = [
            ("parties[1].name", Some("Korea Kwangson")),
            ("parties[1].country", Some("KP")),
            ("parties[1].address", Some("Pyongyang")),
            ("parties[2].name", None),
            ("goods[1]", Some("Lexus LX570")),
            ("goods[9]", None),
            ("route.origin", Some("CN")),
            ("route.destination", Some("Nampo")),
            ("route.via[1]", Some("Dandong")),
            ("route.vessel", Some("CHON MA SAN")),
            ("route.imo", Some("IMO 8660313")),
            ("goods", None),
            ("parties[x].name", None),
        ];
        for (path, want) in cases {
            assert_eq!(field_text(&order, path), want, "{path}");
        }
    }
}
