//! Human document numbers (`SO-000123`, `INV-2026-000001`). The counter
//! itself lives in the store (gapless, allocated inside the business
//! transaction); how a number is written is a domain rule.

use std::fmt;

/// A numbered document series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentSeries {
    SalesOrder,
    Quote,
    Invoice,
    CreditNote,
    Shipment,
    Return,
    /// Requests for quotation, samples and contact messages from the storefront.
    Inquiry,
}

impl DocumentSeries {
    /// The key the counter is stored under.
    pub fn key(self) -> &'static str {
        match self {
            DocumentSeries::SalesOrder => "sales_order",
            DocumentSeries::Quote => "quote",
            DocumentSeries::Invoice => "invoice",
            DocumentSeries::CreditNote => "credit_note",
            DocumentSeries::Shipment => "shipment",
            DocumentSeries::Return => "return",
            DocumentSeries::Inquiry => "inquiry",
        }
    }

    /// The printed prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            DocumentSeries::SalesOrder => "SO",
            DocumentSeries::Quote => "Q",
            DocumentSeries::Invoice => "INV",
            DocumentSeries::CreditNote => "CN",
            DocumentSeries::Shipment => "SH",
            DocumentSeries::Return => "RMA",
            DocumentSeries::Inquiry => "INQ",
        }
    }
}

/// One allocated number in a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentNumber {
    pub series: DocumentSeries,
    pub value: u64,
}

impl fmt::Display for DocumentNumber {
    /// Zero-padded to six digits so numbers sort as text up to 999,999, and
    /// simply grow longer after that.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.series.prefix(), self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_prefix_and_padding() {
        let n = DocumentNumber {
            series: DocumentSeries::SalesOrder,
            value: 123,
        };
        assert_eq!(n.to_string(), "SO-000123");
        let n = DocumentNumber {
            series: DocumentSeries::Invoice,
            value: 1_234_567,
        };
        assert_eq!(n.to_string(), "INV-1234567");
    }
}
