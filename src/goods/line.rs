//! The goods line: the order's ([`crate::order::GoodsLine`]), one type from the wire
//! to the classifier, with builders for callers that classify lines of their own.

pub use crate::order::GoodsLine;

impl GoodsLine {
    /// A line with only a description.
    ///
    /// # Examples
    ///
    /// ```
    /// use embargo::goods::GoodsLine;
    /// let line = GoodsLine::new("Hennessy XO cognac 70cl")
    ///     .with_hs("2208.20")
    ///     .with_value(1800.0, "EUR")
    ///     .with_quantity(12.0);
    /// assert_eq!(line.description.as_deref(), Some("Hennessy XO cognac 70cl"));
    /// assert_eq!(line.currency.as_deref(), Some("EUR"));
    /// ```
    pub fn new(description: impl Into<String>) -> Self {
        GoodsLine {
            description: Some(description.into()),
            ..GoodsLine::default()
        }
    }

    /// Sets the tariff code.
    pub fn with_hs(mut self, hs: impl Into<String>) -> Self {
        self.hs = Some(hs.into());
        self
    }

    /// Sets the declared value of the whole line and its currency.
    pub fn with_value(mut self, value: f64, currency: impl Into<String>) -> Self {
        self.value = Some(value);
        self.currency = Some(currency.into());
        self
    }

    /// Sets the number of items on the line.
    pub fn with_quantity(mut self, quantity: f64) -> Self {
        self.quantity = Some(quantity);
        self
    }

    /// The description, or the empty text when there is none.
    pub fn text(&self) -> &str {
        self.description.as_deref().unwrap_or_default()
    }
}
