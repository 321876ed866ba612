//! The index schema: which product data is searched, filtered, counted,
//! sorted or stored, and how each field is indexed.
//!
//! Filters and facets read fast-field columns only (string columns keep
//! their values as sorted per-segment dictionaries, so a value is an
//! ordinal and counting is an array increment). Number attributes are
//! strings too: `code` `\u{1f}` and 16 hex digits of an order-preserving
//! encoding of the number, so one code's values are a contiguous,
//! numerically ordered run of ordinals and a range filter is an ordinal
//! range. Stored data is only what a page of hits or a suggestion shows.

use crate::analysis::{NGRAM, PLAIN, TEXT};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Separates an attribute code from its value in facet and number terms.
pub(crate) const SEP: char = '\u{1f}';

/// Fast-field column names the collector reads.
pub(crate) mod col {
    pub const CATEGORY: &str = "category";
    pub const BRAND: &str = "brand";
    pub const FACET: &str = "facet";
    pub const NUMBER: &str = "number";
    pub const IN_STOCK: &str = "in_stock";
    pub const PRICE: &str = "price";
    pub const CREATED: &str = "created";
    pub const POPULARITY: &str = "popularity";
    pub const TIEBREAK: &str = "tiebreak";
    pub const SORT_ZH: &str = "sort_zh";
    pub const SORT_EN: &str = "sort_en";
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    // Identity, and what a hit or suggestion shows (stored).
    pub product_id: Field,
    pub slug: Field,
    pub names: Field,
    pub sku: Field,
    pub gtin: Field,
    pub mpn: Field,
    pub leaf_category: Field,
    // Visibility filters (indexed raw terms, used as query clauses).
    pub market: Field,
    pub visibility: Field,
    pub status: Field,
    // Free text.
    pub name: Field,
    pub taxonomy: Field,
    pub attrs: Field,
    pub desc: Field,
    pub plain: Field,
    pub ngram: Field,
    // Folded part numbers, GTINs, MPNs: whole and prefixes.
    pub pn_exact: Field,
    pub pn_prefix: Field,
    // Facets, filters and sorting (fast columns).
    pub category: Field,
    pub brand: Field,
    pub facet: Field,
    pub number: Field,
    pub in_stock: Field,
    pub price: Field,
    pub created: Field,
    pub popularity: Field,
    pub tiebreak: Field,
    pub sort_zh: Field,
    pub sort_en: Field,
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Frequencies for BM25, no positions: nothing does phrase queries, and
    // jieba's overlapping search-mode tokens make positions unreliable.
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    // Terms that only filter or count: no frequencies, no norms.
    let raw = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    let fields = Fields {
        product_id: b.add_text_field("product_id", STRING | STORED),
        slug: b.add_text_field("slug", STORED),
        names: b.add_text_field("names", STORED),
        sku: b.add_text_field("sku", STORED),
        gtin: b.add_text_field("gtin", STORED),
        mpn: b.add_text_field("mpn", STORED),
        leaf_category: b.add_text_field("leaf_category", STORED),
        market: b.add_text_field("market", raw()),
        visibility: b.add_text_field("visibility", raw()),
        status: b.add_text_field("status", raw()),
        name: b.add_text_field("name", text(TEXT)),
        taxonomy: b.add_text_field("taxonomy", text(TEXT)),
        attrs: b.add_text_field("attrs", text(TEXT)),
        desc: b.add_text_field("desc", text(TEXT)),
        plain: b.add_text_field("plain", text(PLAIN)),
        ngram: b.add_text_field("ngram", text(NGRAM)),
        pn_exact: b.add_text_field("pn_exact", raw()),
        pn_prefix: b.add_text_field("pn_prefix", raw()),
        category: b.add_text_field(col::CATEGORY, FAST),
        brand: b.add_text_field(col::BRAND, FAST),
        facet: b.add_text_field(col::FACET, FAST),
        number: b.add_text_field(col::NUMBER, FAST),
        in_stock: b.add_bool_field(col::IN_STOCK, FAST),
        price: b.add_i64_field(col::PRICE, FAST),
        created: b.add_i64_field(col::CREATED, FAST),
        popularity: b.add_f64_field(col::POPULARITY, FAST),
        tiebreak: b.add_u64_field(col::TIEBREAK, FAST),
        sort_zh: b.add_text_field(col::SORT_ZH, FAST),
        sort_en: b.add_text_field(col::SORT_EN, FAST),
    };
    (b.build(), fields)
}

/// The number term of `value` for attribute `code`: hex of an
/// order-preserving `u64`, so dictionary order is numeric order.
pub(crate) fn number_term(code: &str, value: f64) -> String {
    // -0.0 and 0.0 are one value to a buyer.
    let v = if value == 0.0 { 0.0 } else { value };
    format!("{code}{SEP}{:016x}", tantivy::f64_to_u64(v))
}

/// The value of a number term's hex part.
pub(crate) fn number_of(hex: &str) -> Option<f64> {
    u64::from_str_radix(hex, 16).ok().map(tantivy::u64_to_f64)
}

/// The facet term of an attribute value.
pub(crate) fn facet_term(code: &str, value: &str) -> String {
    format!("{code}{SEP}{value}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn number_terms_sort_numerically() {
        let vals = [-1e9, -3.5, -0.0, 0.0, 0.25, 2.0, 10.0, 1e12];
        let terms: Vec<String> = vals.iter().map(|v| number_term("len", *v)).collect();
        let mut sorted = terms.clone();
        sorted.sort();
        assert_eq!(terms, sorted);
        assert_eq!(number_term("len", -0.0), number_term("len", 0.0));
        let hex = terms[6].split(SEP).nth(1).unwrap();
        assert_eq!(number_of(hex), Some(10.0));
    }
}
