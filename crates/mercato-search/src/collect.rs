//! One pass over the matches: facet filters, disjunctive facet counts, the
//! total and the sort keys, all from fast-field columns.
//!
//! Market, visibility and status are query clauses (a buyer never counts
//! what they cannot see). Every facet filter (category, brand, attribute
//! values, number ranges, stock, price) is checked here instead, per
//! matching product: a product that passes them all is a hit and counts
//! in every facet; one that fails exactly one filter still counts in that
//! filter's own facet. That is disjunctive faceting in a single pass, with
//! no query per facet.
//!
//! The columns of a segment are decoded once into flat arrays
//! ([`SegmentTable`], cached per segment: segments never change) because
//! reading tantivy's multi-valued columns doc by doc costs ~20 ns per
//! lookup, which a listing of every product pays about ten times per
//! product.

use crate::model::{FacetCount, Facets, NumberRange};
use crate::schema::{SEP, col, number_of};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn, TermOrdHit};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

/// Values per facet returned at most.
pub(crate) const MAX_FACET_VALUES: usize = 100;

/// The order of hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SortKind {
    /// Exact part number first, then score, popularity.
    Relevance,
    /// By the name sort key's global rank.
    Name,
    PriceAsc,
    PriceDesc,
    Newest,
}

/// What a search asks of the collector.
pub(crate) struct Plan {
    pub facets: bool,
    pub categories: Vec<String>,
    pub brands: Vec<String>,
    /// Per attribute with a selection: the code's term prefix and the
    /// selected values' terms.
    pub attributes: Vec<(String, Vec<String>)>,
    /// Per number range: the code's term prefix and the terms of the
    /// bounds (inclusive).
    pub ranges: Vec<(String, Option<String>, Option<String>)>,
    pub in_stock: Option<bool>,
    pub price: Option<(Option<i64>, Option<i64>)>,
    pub sort: SortKind,
    /// The fast field of the name sort key.
    pub name_field: &'static str,
    /// Per segment, the global rank of each name-key ordinal (for
    /// [`SortKind::Name`]).
    pub ranks: Option<Arc<Vec<Vec<u32>>>>,
    /// Per segment (by ordinal), its decoded columns.
    pub tables: Vec<Arc<SegmentTable>>,
    /// Per segment, the sorted documents matching a part number exactly.
    pub exact: Vec<Vec<DocId>>,
    /// Whether scores are needed.
    pub scoring: bool,
    /// How many of the best hits to keep, in order.
    pub keep: usize,
}

/// A hit and its sort keys.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HitRec {
    pub seg: u32,
    pub doc: DocId,
    pub score: f32,
    pub exact: bool,
    pub popularity: f32,
    /// Price, creation time or name rank, by the sort.
    pub key: Option<i64>,
    /// A hash of the product id: the stable last resort.
    pub tie: u64,
}

/// `None` after every value, in either direction.
fn some_first(a: Option<i64>, b: Option<i64>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if desc => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

pub(crate) fn compare(sort: SortKind, a: &HitRec, b: &HitRec) -> Ordering {
    match sort {
        SortKind::Relevance => b
            .exact
            .cmp(&a.exact)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| b.popularity.total_cmp(&a.popularity)),
        SortKind::Name | SortKind::PriceAsc => some_first(a.key, b.key, false),
        SortKind::PriceDesc | SortKind::Newest => some_first(a.key, b.key, true),
    }
    .then_with(|| a.tie.cmp(&b.tie))
    .then_with(|| a.seg.cmp(&b.seg))
    .then_with(|| a.doc.cmp(&b.doc))
}

/// What a search found.
#[derive(Default)]
pub(crate) struct Outcome {
    /// Products matching the text and visible, before facet filters.
    pub base: u64,
    /// Products passing every filter.
    pub total: u64,
    /// The best [`Plan::keep`] hits, in order.
    pub hits: Vec<HitRec>,
    pub facets: Facets,
}

/// The collector of a search.
pub(crate) struct FacetCollector {
    pub plan: Arc<Plan>,
}

/// Which filter a product failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dim {
    None,
    Category,
    Brand,
    Attribute(usize),
    Range(usize),
    InStock,
    Price,
}

/// Counts of one segment's string column, by ordinal.
struct Counts {
    column: StrColumn,
    counts: Vec<u32>,
}

/// A multi-valued column as arrays: the ordinals of document `d` are
/// `ords[starts[d]..starts[d + 1]]`.
#[derive(Default)]
struct Flat {
    starts: Vec<u32>,
    ords: Vec<u32>,
}

impl Flat {
    fn of(column: Option<&StrColumn>, max_doc: DocId) -> Flat {
        let mut flat = Flat {
            starts: Vec::with_capacity(max_doc as usize + 1),
            ords: Vec::new(),
        };
        flat.starts.push(0);
        for doc in 0..max_doc {
            if let Some(c) = column {
                flat.ords.extend(
                    c.term_ords(doc)
                        .map(|o| u32::try_from(o).unwrap_or(u32::MAX)),
                );
            }
            flat.starts
                .push(u32::try_from(flat.ords.len()).unwrap_or(u32::MAX));
        }
        flat
    }

    #[inline]
    fn get(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.starts.get(d), self.starts.get(d + 1)) {
            (Some(a), Some(b)) => self.ords.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// A segment's filter, facet and sort data, decoded.
pub(crate) struct SegmentTable {
    category: Option<StrColumn>,
    brand: Option<StrColumn>,
    facet: Option<StrColumn>,
    number: Option<StrColumn>,
    category_ords: Flat,
    brand_ords: Flat,
    facet_ords: Flat,
    number_ords: Flat,
    in_stock: Vec<bool>,
    price: Vec<Option<i64>>,
    created: Vec<Option<i64>>,
    popularity: Vec<f32>,
    tiebreak: Vec<u64>,
    /// Ordinal of the name sort key per document (`u32::MAX`: none).
    name_zh: Vec<u32>,
    name_en: Vec<u32>,
}

impl SegmentTable {
    /// Decodes a segment (a few milliseconds per 10,000 products).
    pub(crate) fn build(reader: &SegmentReader) -> tantivy::Result<SegmentTable> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let single = |column: Option<Column<i64>>| -> Vec<Option<i64>> {
            (0..max_doc)
                .map(|d| column.as_ref().and_then(|c| c.first(d)))
                .collect()
        };
        let name = |column: Option<StrColumn>| -> Vec<u32> {
            (0..max_doc)
                .map(|d| {
                    column
                        .as_ref()
                        .and_then(|c| c.term_ords(d).next())
                        .map_or(u32::MAX, |o| u32::try_from(o).unwrap_or(u32::MAX))
                })
                .collect()
        };
        let category = ff.str(col::CATEGORY)?;
        let brand = ff.str(col::BRAND)?;
        let facet = ff.str(col::FACET)?;
        let number = ff.str(col::NUMBER)?;
        let in_stock = ff.column_opt::<bool>(col::IN_STOCK)?;
        let popularity = ff.column_opt::<f64>(col::POPULARITY)?;
        let tiebreak = ff.column_opt::<u64>(col::TIEBREAK)?;
        Ok(SegmentTable {
            category_ords: Flat::of(category.as_ref(), max_doc),
            brand_ords: Flat::of(brand.as_ref(), max_doc),
            facet_ords: Flat::of(facet.as_ref(), max_doc),
            number_ords: Flat::of(number.as_ref(), max_doc),
            category,
            brand,
            facet,
            number,
            in_stock: (0..max_doc)
                .map(|d| in_stock.as_ref().and_then(|c| c.first(d)).unwrap_or(false))
                .collect(),
            price: single(ff.column_opt::<i64>(col::PRICE)?),
            created: single(ff.column_opt::<i64>(col::CREATED)?),
            popularity: (0..max_doc)
                .map(|d| popularity.as_ref().and_then(|c| c.first(d)).unwrap_or(0.0) as f32)
                .collect(),
            tiebreak: (0..max_doc)
                .map(|d| tiebreak.as_ref().and_then(|c| c.first(d)).unwrap_or(0))
                .collect(),
            name_zh: name(ff.str(col::SORT_ZH)?),
            name_en: name(ff.str(col::SORT_EN)?),
        })
    }
}

pub(crate) struct SegmentFacets {
    plan: Arc<Plan>,
    seg: u32,
    table: Arc<SegmentTable>,
    /// Selected ordinals (sorted); `None` without a selection.
    category_sel: Option<Vec<u32>>,
    brand_sel: Option<Vec<u32>>,
    /// Per attribute filter: the code's ordinal range and selected ordinals.
    attribute_sel: Vec<(u32, u32, Vec<u32>)>,
    /// Per range filter: the code's ordinal range and the accepted one.
    range_sel: Vec<(u32, u32, u32, u32)>,
    category_counts: Vec<u32>,
    brand_counts: Vec<u32>,
    facet_counts: Vec<u32>,
    number_seen: Vec<u32>,
    in_stock_count: u64,
    out_of_stock_count: u64,
    price_span: Option<(i64, i64)>,
    base: u64,
    hits: Vec<HitRec>,
}

pub(crate) struct SegmentFruit {
    base: u64,
    hits: Vec<HitRec>,
    category: Option<Counts>,
    brand: Option<Counts>,
    facet: Option<Counts>,
    number: Option<Counts>,
    in_stock: u64,
    out_of_stock: u64,
    price: Option<(i64, i64)>,
}

fn ord32(o: u64) -> u32 {
    u32::try_from(o).unwrap_or(u32::MAX)
}

/// The first ordinal whose term is `key` or after it.
fn ord_at_or_after(column: &StrColumn, key: &str) -> io::Result<u32> {
    let n = column.num_terms() as u64;
    Ok(ord32(match column.dictionary().term_ord_or_next(key)? {
        TermOrdHit::Exact(o) | TermOrdHit::Next(o) => o.min(n),
    }))
}

/// The first ordinal whose term is after `key`.
fn ord_after(column: &StrColumn, key: &str) -> io::Result<u32> {
    let n = column.num_terms() as u64;
    Ok(ord32(match column.dictionary().term_ord_or_next(key)? {
        TermOrdHit::Exact(o) => o.saturating_add(1).min(n),
        TermOrdHit::Next(o) => o.min(n),
    }))
}

/// The ordinal range of terms starting with `prefix` (which ends in the
/// separator, so the range ends before the separator's successor).
fn prefix_ords(column: &StrColumn, prefix: &str) -> io::Result<(u32, u32)> {
    let Some(code) = prefix.strip_suffix(SEP) else {
        return Ok((0, 0));
    };
    let lo = ord_at_or_after(column, prefix)?;
    let hi = ord_at_or_after(column, &format!("{code}\u{20}"))?;
    Ok((lo, hi.max(lo)))
}

fn selected(column: Option<&StrColumn>, values: &[String]) -> io::Result<Vec<u32>> {
    let mut out = Vec::new();
    if let Some(c) = column {
        for v in values {
            if let Some(o) = c.dictionary().term_ord(v)? {
                out.push(ord32(o));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

#[inline]
fn any_selected(ords: &[u32], sel: &[u32]) -> bool {
    ords.iter().any(|o| sel.binary_search(o).is_ok())
}

#[inline]
fn count_in(ords: &[u32], counts: &mut [u32], lo: u32, hi: u32) {
    for o in ords {
        if lo <= *o
            && *o < hi
            && let Some(n) = counts.get_mut(*o as usize)
        {
            *n += 1;
        }
    }
}

fn zeros(column: Option<&StrColumn>, wanted: bool) -> Vec<u32> {
    match column {
        Some(c) if wanted => vec![0; c.num_terms()],
        _ => Vec::new(),
    }
}

impl Collector for FacetCollector {
    type Fruit = Outcome;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let plan = self.plan.clone();
        let table = match plan.tables.get(segment as usize) {
            Some(t) => t.clone(),
            None => Arc::new(SegmentTable::build(reader)?),
        };
        let t = &*table;
        let category_sel = if plan.categories.is_empty() {
            None
        } else {
            Some(selected(t.category.as_ref(), &plan.categories)?)
        };
        let brand_sel = if plan.brands.is_empty() {
            None
        } else {
            Some(selected(t.brand.as_ref(), &plan.brands)?)
        };
        let mut attribute_sel = Vec::new();
        for (prefix, terms) in &plan.attributes {
            let (lo, hi) = match &t.facet {
                Some(c) => prefix_ords(c, prefix)?,
                None => (0, 0),
            };
            attribute_sel.push((lo, hi, selected(t.facet.as_ref(), terms)?));
        }
        let mut range_sel = Vec::new();
        for (prefix, min, max) in &plan.ranges {
            let Some(c) = &t.number else {
                range_sel.push((0, 0, 0, 0));
                continue;
            };
            let (plo, phi) = prefix_ords(c, prefix)?;
            let lo = match min {
                Some(k) => ord_at_or_after(c, k)?.max(plo),
                None => plo,
            };
            let hi = match max {
                Some(k) => ord_after(c, k)?.min(phi),
                None => phi,
            };
            range_sel.push((plo, phi, lo, hi));
        }
        Ok(SegmentFacets {
            seg: segment,
            category_counts: zeros(t.category.as_ref(), plan.facets),
            brand_counts: zeros(t.brand.as_ref(), plan.facets),
            facet_counts: zeros(t.facet.as_ref(), plan.facets),
            number_seen: zeros(t.number.as_ref(), plan.facets),
            category_sel,
            brand_sel,
            attribute_sel,
            range_sel,
            in_stock_count: 0,
            out_of_stock_count: 0,
            price_span: None,
            base: 0,
            hits: Vec::new(),
            table,
            plan,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.plan.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Outcome> {
        let io_error = |e: io::Error| TantivyError::from(e);
        let mut out = Outcome::default();
        let mut categories: HashMap<String, u64> = HashMap::new();
        let mut brands: HashMap<String, u64> = HashMap::new();
        let mut values: HashMap<String, u64> = HashMap::new();
        let mut numbers: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        let mut hits: Vec<HitRec> = Vec::new();
        for f in fruits {
            out.base += f.base;
            hits.extend(f.hits);
            for (counts, into) in [
                (&f.category, &mut categories),
                (&f.brand, &mut brands),
                (&f.facet, &mut values),
            ] {
                if let Some(c) = counts {
                    for (term, n) in resolve(c).map_err(io_error)? {
                        *into.entry(term).or_default() += n;
                    }
                }
            }
            if let Some(c) = &f.number {
                for (term, _) in resolve(c).map_err(io_error)? {
                    let Some((code, hex)) = term.split_once(SEP) else {
                        continue;
                    };
                    let Some(v) = number_of(hex) else { continue };
                    let e = numbers.entry(code.to_string()).or_insert((v, v));
                    e.0 = e.0.min(v);
                    e.1 = e.1.max(v);
                }
            }
            out.facets.in_stock += f.in_stock;
            out.facets.out_of_stock += f.out_of_stock;
            out.facets.price = match (out.facets.price, f.price) {
                (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                (a, b) => a.or(b),
            };
        }
        out.total = hits.len() as u64;
        let sort = self.plan.sort;
        let keep = self.plan.keep;
        if hits.len() > keep {
            if keep == 0 {
                hits.clear();
            } else {
                hits.select_nth_unstable_by(keep - 1, |a, b| compare(sort, a, b));
                hits.truncate(keep);
            }
        }
        hits.sort_by(|a, b| compare(sort, a, b));
        out.hits = hits;
        out.facets.categories = top(categories);
        out.facets.brands = top(brands);
        let mut by_code: BTreeMap<String, HashMap<String, u64>> = BTreeMap::new();
        for (term, n) in values {
            if let Some((code, value)) = term.split_once(SEP) {
                by_code
                    .entry(code.to_string())
                    .or_default()
                    .insert(value.to_string(), n);
            }
        }
        out.facets.attributes = by_code.into_iter().map(|(c, m)| (c, top(m))).collect();
        out.facets.ranges = numbers
            .into_iter()
            .map(|(c, (lo, hi))| {
                (
                    c,
                    NumberRange {
                        min: Some(lo),
                        max: Some(hi),
                    },
                )
            })
            .collect();
        Ok(out)
    }
}

/// The terms with a non-zero count.
fn resolve(c: &Counts) -> io::Result<Vec<(String, u64)>> {
    let ords: Vec<u64> = c
        .counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, _)| i as u64)
        .collect();
    let mut terms: Vec<String> = Vec::with_capacity(ords.len());
    c.column.dictionary().sorted_ords_to_term_cb(&ords, |b| {
        terms.push(String::from_utf8_lossy(b).into_owned())
    })?;
    Ok(terms
        .into_iter()
        .zip(ords)
        .map(|(t, o)| (t, c.counts.get(o as usize).copied().map_or(0, u64::from)))
        .collect())
}

/// Most products first, then by value; at most [`MAX_FACET_VALUES`].
fn top(m: HashMap<String, u64>) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = m
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(MAX_FACET_VALUES);
    v
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.base += 1;
        let plan = &*self.plan;
        let t = &*self.table;
        let d = doc as usize;
        let mut failed = 0u8;
        let mut only = Dim::None;
        // Two failures: neither a hit nor counted anywhere.
        macro_rules! fail {
            ($dim:expr) => {{
                failed += 1;
                if failed > 1 {
                    return;
                }
                only = $dim;
            }};
        }
        if let Some(sel) = &self.category_sel
            && !any_selected(t.category_ords.get(doc), sel)
        {
            fail!(Dim::Category);
        }
        if let Some(sel) = &self.brand_sel
            && !any_selected(t.brand_ords.get(doc), sel)
        {
            fail!(Dim::Brand);
        }
        for (i, (_, _, sel)) in self.attribute_sel.iter().enumerate() {
            if !any_selected(t.facet_ords.get(doc), sel) {
                fail!(Dim::Attribute(i));
            }
        }
        for (i, (_, _, lo, hi)) in self.range_sel.iter().enumerate() {
            if !t.number_ords.get(doc).iter().any(|o| lo <= o && o < hi) {
                fail!(Dim::Range(i));
            }
        }
        let in_stock = t.in_stock.get(d).copied().unwrap_or(false);
        if plan.in_stock.is_some_and(|want| want != in_stock) {
            fail!(Dim::InStock);
        }
        let price = t.price.get(d).copied().flatten();
        if let Some((lo, hi)) = plan.price {
            let inside =
                price.is_some_and(|p| lo.is_none_or(|l| p >= l) && hi.is_none_or(|h| p <= h));
            if !inside {
                fail!(Dim::Price);
            }
        }
        if failed > 0 && !plan.facets {
            return;
        }
        if plan.facets {
            let all = failed == 0;
            if all || only == Dim::Category {
                count_in(
                    t.category_ords.get(doc),
                    &mut self.category_counts,
                    0,
                    u32::MAX,
                );
            }
            if all || only == Dim::Brand {
                count_in(t.brand_ords.get(doc), &mut self.brand_counts, 0, u32::MAX);
            }
            let facet_range = match only {
                _ if all => Some((0, u32::MAX)),
                Dim::Attribute(i) => self.attribute_sel.get(i).map(|(lo, hi, _)| (*lo, *hi)),
                _ => None,
            };
            if let Some((lo, hi)) = facet_range {
                count_in(t.facet_ords.get(doc), &mut self.facet_counts, lo, hi);
            }
            let number_range = match only {
                _ if all => Some((0, u32::MAX)),
                Dim::Range(i) => self.range_sel.get(i).map(|(lo, hi, _, _)| (*lo, *hi)),
                _ => None,
            };
            if let Some((lo, hi)) = number_range {
                count_in(t.number_ords.get(doc), &mut self.number_seen, lo, hi);
            }
            if all || only == Dim::InStock {
                if in_stock {
                    self.in_stock_count += 1;
                } else {
                    self.out_of_stock_count += 1;
                }
            }
            if (all || only == Dim::Price)
                && let Some(p) = price
            {
                self.price_span = Some(match self.price_span {
                    Some((lo, hi)) => (lo.min(p), hi.max(p)),
                    None => (p, p),
                });
            }
        }
        if failed > 0 {
            return;
        }
        let key = match plan.sort {
            SortKind::Relevance => None,
            SortKind::PriceAsc | SortKind::PriceDesc => price,
            SortKind::Newest => t.created.get(d).copied().flatten(),
            SortKind::Name => {
                let names = if plan.name_field == col::SORT_ZH {
                    &t.name_zh
                } else {
                    &t.name_en
                };
                names
                    .get(d)
                    .and_then(|o| {
                        let ranks = plan.ranks.as_ref()?;
                        ranks.get(self.seg as usize)?.get(*o as usize).copied()
                    })
                    .map(i64::from)
            }
        };
        self.hits.push(HitRec {
            seg: self.seg,
            doc,
            score,
            exact: plan
                .exact
                .get(self.seg as usize)
                .is_some_and(|e| e.binary_search(&doc).is_ok()),
            popularity: t.popularity.get(d).copied().unwrap_or(0.0),
            key,
            tie: t.tiebreak.get(d).copied().unwrap_or(0),
        });
    }

    fn harvest(self) -> SegmentFruit {
        let t = &*self.table;
        let counts = |column: &Option<StrColumn>, counts: Vec<u32>| {
            column
                .as_ref()
                .filter(|_| !counts.is_empty())
                .map(|column| Counts {
                    column: column.clone(),
                    counts,
                })
        };
        SegmentFruit {
            base: self.base,
            category: counts(&t.category, self.category_counts),
            brand: counts(&t.brand, self.brand_counts),
            facet: counts(&t.facet, self.facet_counts),
            number: counts(&t.number, self.number_seen),
            in_stock: self.in_stock_count,
            out_of_stock: self.out_of_stock_count,
            price: self.price_span,
            hits: self.hits,
        }
    }
}

/// Per segment, the rank of each term of a string column among the terms
/// of all segments: a string order across segments as plain integers.
pub(crate) fn global_ranks(
    searcher: &tantivy::Searcher,
    field: &str,
) -> tantivy::Result<Vec<Vec<u32>>> {
    let mut terms: Vec<(Vec<u8>, usize, usize)> = Vec::new();
    let mut ranks: Vec<Vec<u32>> = Vec::new();
    for (seg, reader) in searcher.segment_readers().iter().enumerate() {
        let Some(column) = reader.fast_fields().str(field)? else {
            ranks.push(Vec::new());
            continue;
        };
        ranks.push(vec![0; column.num_terms()]);
        let mut stream = column.dictionary().stream()?;
        let mut ord = 0;
        while stream.advance() {
            terms.push((stream.key().to_vec(), seg, ord));
            ord += 1;
        }
    }
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut rank = 0u32;
    for i in 0..terms.len() {
        if i > 0 && terms[i].0 != terms[i - 1].0 {
            rank = rank.saturating_add(1);
        }
        let (_, seg, ord) = &terms[i];
        if let Some(r) = ranks.get_mut(*seg).and_then(|s| s.get_mut(*ord)) {
            *r = rank;
        }
    }
    Ok(ranks)
}
