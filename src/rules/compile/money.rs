//! Amounts of money in rules: exchange rates, and thresholds and value tests in US
//! dollars (converted by [`ir::Rates`], the one conversion).

use super::Compiler;
use crate::reference;
use crate::rules::ast;
use crate::rules::ir;

impl Compiler<'_> {
    /// Reads a `rates` item into `out`.
    pub(super) fn rates(&mut self, r: &ast::Rates, out: &mut ir::Rates) {
        if let Some(t) = &r.as_of {
            self.date(t, "`as_of`");
        }
        for rate in &r.rates {
            let code = rate.currency.name.as_str();
            if !reference::is_currency(code) {
                self.error(rate.currency.span, format!("unknown currency `{code}`"));
                continue;
            }
            if rate.usd.value <= 0.0 {
                self.error(rate.usd.span, "a rate must be greater than zero");
                continue;
            }
            if out.insert(code.to_string(), rate.usd.value).is_some() && code != "USD" {
                self.error(rate.currency.span, format!("rate for `{code}` given twice"));
            }
        }
    }

    /// An amount in US dollars, or `None` (reported) for an unknown currency or one
    /// without a rate.
    pub(super) fn money_usd(&mut self, m: &ast::Money, rates: &ir::Rates) -> Option<f64> {
        let code = m.currency.name.as_str();
        if !reference::is_currency(code) {
            self.error_hint(
                m.currency.span,
                format!("unknown currency `{code}`"),
                Some("use an ISO 4217 code such as USD, EUR, CNY".to_string()),
            );
            return None;
        }
        match rates.to_usd(m.amount.value, code) {
            Some(usd) => Some(usd),
            None => {
                self.error_hint(
                    m.currency.span,
                    format!("no exchange rate for `{code}`"),
                    Some(
                        "add `rate` lines to a `rates { ... }` item, or write the amount in USD"
                            .to_string(),
                    ),
                );
                None
            }
        }
    }
}
