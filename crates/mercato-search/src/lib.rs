//! Mercato's catalog search: a tantivy index owned by one node, with
//! Chinese (jieba) and English analysis, folded part numbers, synonyms,
//! typo tolerance and facets.
//!
//! Division of labour: tantivy finds and scores the products whose text or
//! part numbers match; every filter, facet count and non-relevance sort is
//! computed from a compact in-memory table of the products' facet data (a
//! B2B catalog has 10⁴–10⁶ products). That makes disjunctive facet counts
//! (a facet's counts ignore its own selection and honour all others) one
//! pass over the matches, with no per-facet query.
//!
//! The index commit carries the outbox position it reflects
//! ([`SearchIndex::commit`], [`SearchIndex::cursor`]), so index and cursor
//! change atomically and a crash replays from the last commit.
#![forbid(unsafe_code)]

mod analysis;
pub mod model;

pub use model::*;

use analysis::{Analyzers, NGRAM, PLAIN, TEXT, prefixes, tokens};
use base64::Engine;
use mercato_core::catalog::fold_part_number;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

/// Bumped whenever fields or analysis change: an index of another version
/// is wiped and rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

/// Queries longer than this are cut (characters).
const MAX_QUERY_CHARS: usize = 200;
/// At most this many query tokens are used.
const MAX_QUERY_TOKENS: usize = 32;
/// Pages deeper than this are refused (a buyer narrows instead).
const MAX_OFFSET: usize = 10_000;
/// Values per facet returned at most.
const MAX_FACET_VALUES: usize = 100;

/// Boolean clauses of a query.
type Clauses = Vec<(Occur, Box<dyn Query>)>;
/// Matching documents as (slot, score).
type Matches = Vec<(u64, Score)>;

/// Why a search call failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Bad request input: the field (`cursor`, `limit`, `attr.<code>`,
    /// `price`), a stable code and a message for people.
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        code: &'static str,
        message: String,
    },
    /// The index failed (I/O, corruption, lock busy…).
    #[error("search index: {0}")]
    Index(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> SearchError {
    SearchError::Invalid {
        field: field.into(),
        code,
        message: message.into(),
    }
}

/// How the index is opened.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Memory of the index writer.
    pub writer_memory_bytes: usize,
    /// Extra words for the Chinese word splitter (trade terms such as
    /// `内六角`); changing them calls for a rebuild.
    pub dictionary: Vec<String>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self {
            writer_memory_bytes: 50_000_000,
            dictionary: Vec::new(),
        }
    }
}

/// What [`SearchIndex::open`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenState {
    /// New, or wiped because it was of another schema version: rebuild it.
    Fresh,
    /// An index of this version, with its cursor.
    Existing,
}

#[derive(Clone, Copy)]
struct Fields {
    product_id: Field,
    slot: Field,
    row: Field,
    name: Field,
    taxonomy: Field,
    attrs: Field,
    desc: Field,
    fuzzy: Field,
    ngram: Field,
    pn_exact: Field,
    pn_prefix: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let fields = Fields {
        product_id: b.add_text_field("product_id", STRING | STORED),
        slot: b.add_u64_field("slot", FAST | STORED),
        row: b.add_text_field("row", STORED),
        name: b.add_text_field("name", text(TEXT, false)),
        taxonomy: b.add_text_field("taxonomy", text(TEXT, false)),
        attrs: b.add_text_field("attrs", text(TEXT, false)),
        desc: b.add_text_field("desc", text(TEXT, false)),
        fuzzy: b.add_text_field("fuzzy", text(PLAIN, false)),
        ngram: b.add_text_field("ngram", text(NGRAM, false)),
        pn_exact: b.add_text_field("pn_exact", STRING),
        pn_prefix: b.add_text_field("pn_prefix", STRING),
    };
    (b.build(), fields)
}

/// The facet data of one product, kept in memory for filters, facets and
/// sorting, and stored in the index to be reloaded at open.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Row {
    product_id: String,
    slug: String,
    status: String,
    markets: Vec<String>,
    visibility: Vec<String>,
    names: BTreeMap<String, String>,
    brand: Option<String>,
    /// Every category slug from the root down.
    categories: Vec<String>,
    facet_values: Vec<(String, String)>,
    numbers: Vec<(String, f64)>,
    in_stock: bool,
    list_price: Option<i64>,
    created_at: i64,
    /// (folded key, SKU): part numbers, GTINs, MPNs with their SKU.
    keys: Vec<(String, String)>,
}

impl Row {
    fn from_doc(d: &SearchDoc) -> Row {
        let mut keys = Vec::new();
        for (i, sku) in d.skus.iter().enumerate() {
            keys.push((fold_part_number(sku), sku.clone()));
            for other in [d.gtins.get(i), d.mpns.get(i)].into_iter().flatten() {
                let f = fold_part_number(other);
                if !f.is_empty() {
                    keys.push((f, sku.clone()));
                }
            }
        }
        Row {
            product_id: d.product_id.clone(),
            slug: d.slug.clone(),
            status: d.status.clone(),
            markets: d.markets.clone(),
            visibility: d.visibility.clone(),
            names: d.names.clone(),
            brand: d.brand.as_ref().map(|b| b.0.clone()),
            categories: d.category_path.clone(),
            facet_values: {
                let mut v = d.facet_values.clone();
                v.sort();
                v.dedup();
                v
            },
            numbers: d.numbers.clone(),
            in_stock: d.in_stock,
            list_price: d.list_price,
            created_at: d.created_at,
            keys,
        }
    }

    fn name_in(&self, lang: &str) -> &str {
        self.names
            .get(lang)
            .or_else(|| self.names.get("en"))
            .or_else(|| self.names.values().next())
            .map(String::as_str)
            .unwrap_or(&self.slug)
    }
}

/// Rows by slot (the `slot` fast field of each document).
#[derive(Default)]
struct Rows {
    by_slot: Vec<Option<Arc<Row>>>,
    slot_of: HashMap<String, u64>,
}

impl Rows {
    fn slot_for(&mut self, product_id: &str) -> u64 {
        if let Some(s) = self.slot_of.get(product_id) {
            return *s;
        }
        let s = self.by_slot.len() as u64;
        self.by_slot.push(None);
        self.slot_of.insert(product_id.to_string(), s);
        s
    }

    fn put(&mut self, slot: u64, row: Row) {
        let i = slot as usize;
        if self.by_slot.len() <= i {
            self.by_slot.resize(i + 1, None);
        }
        self.slot_of.insert(row.product_id.clone(), slot);
        self.by_slot[i] = Some(Arc::new(row));
    }

    fn get(&self, slot: u64) -> Option<&Arc<Row>> {
        self.by_slot.get(slot as usize).and_then(Option::as_ref)
    }
}

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    analyzers: Analyzers,
    rows: RwLock<Rows>,
    synonyms: RwLock<Vec<Vec<String>>>,
    cursor: RwLock<Option<i64>>,
}

/// The node's search index. Cheap to clone; calls block (run them off the
/// async threads).
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    cursor: i64,
    schema: u32,
}

fn io(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing; an index of
    /// another schema version (or one never committed) is wiped.
    pub fn open(
        dir: &Path,
        options: IndexOptions,
    ) -> Result<(SearchIndex, OpenState), SearchError> {
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = schema();
        let existing = Index::open_in_dir(dir).ok().filter(|index| {
            let payload = index
                .load_metas()
                .ok()
                .and_then(|m| m.payload)
                .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
            payload.is_some_and(|p| p.schema == SCHEMA_VERSION) && index.schema() == schema
        });
        let (index, state) = match existing {
            Some(index) => (index, OpenState::Existing),
            None => {
                // Another version, a half-made index or nothing: start over.
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(io)?;
                }
                std::fs::create_dir_all(dir).map_err(io)?;
                (Index::create_in_dir(dir, schema)?, OpenState::Fresh)
            }
        };
        let analyzers = Analyzers::new(&options.dictionary)?;
        analyzers.register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer(options.writer_memory_bytes.max(15_000_000))?;
        let cursor = index
            .load_metas()?
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .map(|p| p.cursor);
        let this = SearchIndex {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
                analyzers,
                rows: RwLock::new(Rows::default()),
                synonyms: RwLock::new(Vec::new()),
                cursor: RwLock::new(cursor),
            }),
        };
        this.load_rows()?;
        Ok((this, state))
    }

    /// Reads every document's facet row back into memory.
    fn load_rows(&self) -> Result<(), SearchError> {
        let searcher = self.inner.reader.searcher();
        let all = searcher.search(&AllQuery, &DocSetCollector)?;
        let mut rows = Rows::default();
        for addr in all {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let slot = doc
                .get_first(self.inner.fields.slot)
                .and_then(|v| v.as_u64());
            let row = doc
                .get_first(self.inner.fields.row)
                .and_then(|v| v.as_str())
                .and_then(|j| serde_json::from_str::<Row>(j).ok());
            if let (Some(slot), Some(row)) = (slot, row) {
                rows.put(slot, row);
            }
        }
        *self.inner.rows.write().map_err(io)? = rows;
        Ok(())
    }

    /// The outbox event id the last commit reflects; `None` before the
    /// first commit.
    pub fn cursor(&self) -> Option<i64> {
        self.inner.cursor.read().ok().and_then(|c| *c)
    }

    /// Documents searchable now.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Adds or replaces products; searchable after [`SearchIndex::commit`].
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let writer = self.inner.writer.lock().map_err(io)?;
        let mut rows = self.inner.rows.write().map_err(io)?;
        for d in docs {
            let slot = rows.slot_for(&d.product_id);
            let row = Row::from_doc(d);
            let doc = self.document(d, &row, slot)?;
            writer.delete_term(Term::from_field_text(
                self.inner.fields.product_id,
                &d.product_id,
            ));
            writer.add_document(doc)?;
            rows.put(slot, row);
        }
        Ok(())
    }

    fn document(
        &self,
        d: &SearchDoc,
        row: &Row,
        slot: u64,
    ) -> Result<TantivyDocument, SearchError> {
        let f = &self.inner.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.product_id, &d.product_id);
        doc.add_u64(f.slot, slot);
        doc.add_text(f.row, serde_json::to_string(row).map_err(io)?);
        for name in d.names.values() {
            doc.add_text(f.name, name);
            doc.add_text(f.fuzzy, name);
            doc.add_text(f.ngram, name);
        }
        if let Some((_, brand)) = &d.brand {
            doc.add_text(f.taxonomy, brand);
            doc.add_text(f.fuzzy, brand);
            doc.add_text(f.ngram, brand);
        }
        for c in &d.category_names {
            doc.add_text(f.taxonomy, c);
            doc.add_text(f.fuzzy, c);
        }
        for a in &d.attribute_text {
            doc.add_text(f.attrs, a);
        }
        for t in d.descriptions.values() {
            doc.add_text(f.desc, t);
        }
        let mut seen = HashSet::new();
        for (key, _) in &row.keys {
            if seen.insert(key.clone()) {
                doc.add_text(f.pn_exact, key);
                for p in prefixes(key) {
                    if seen.insert(format!("\u{1f}{p}")) {
                        doc.add_text(f.pn_prefix, p);
                    }
                }
            }
        }
        Ok(doc)
    }

    /// Removes a product; gone from results after the next commit.
    pub fn delete(&self, product_id: &str) -> Result<(), SearchError> {
        let writer = self.inner.writer.lock().map_err(io)?;
        writer.delete_term(Term::from_field_text(
            self.inner.fields.product_id,
            product_id,
        ));
        let mut rows = self.inner.rows.write().map_err(io)?;
        if let Some(slot) = rows.slot_of.get(product_id).copied()
            && let Some(r) = rows.by_slot.get_mut(slot as usize)
        {
            *r = None;
        }
        Ok(())
    }

    /// Removes every product (before a full rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        let writer = self.inner.writer.lock().map_err(io)?;
        writer.delete_all_documents()?;
        *self.inner.rows.write().map_err(io)? = Rows::default();
        Ok(())
    }

    /// Commits what was written, with the outbox position it reflects, and
    /// makes it searchable before returning.
    pub fn commit(&self, cursor: i64) -> Result<(), SearchError> {
        {
            let mut writer = self.inner.writer.lock().map_err(io)?;
            let mut prepared = writer.prepare_commit()?;
            let payload = serde_json::to_string(&Payload {
                cursor,
                schema: SCHEMA_VERSION,
            })
            .map_err(io)?;
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        self.inner.reader.reload()?;
        *self.inner.cursor.write().map_err(io)? = Some(cursor);
        Ok(())
    }

    /// Replaces the synonym groups (query-time; no reindex).
    pub fn set_synonyms(&self, synonyms: Synonyms) {
        let groups = synonyms
            .groups
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(|t| t.to_lowercase())
                    .filter(|t| !t.trim().is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() >= 2)
            .collect();
        if let Ok(mut s) = self.inner.synonyms.write() {
            *s = groups;
        }
    }

    // ------------------------------------------------------------- queries

    /// One term clause over the text fields: the word in names, taxonomy,
    /// attributes and descriptions, with a typo-tolerant fallback for
    /// longer Latin words.
    fn word_clause(&self, stemmed: &str, plain: Option<&str>) -> Box<dyn Query> {
        let f = &self.inner.fields;
        let term = |field, boost: f32| -> (Occur, Box<dyn Query>) {
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, stemmed),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                )),
            )
        };
        let mut clauses = vec![
            term(f.name, 3.0),
            term(f.taxonomy, 2.0),
            term(f.attrs, 1.0),
            term(f.desc, 0.3),
        ];
        if let Some(word) = plain {
            let n = word.chars().count();
            if n >= 5 && word.chars().all(|c| c.is_ascii_alphabetic()) {
                let distance = if n >= 9 { 2 } else { 1 };
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(FuzzyTermQuery::new(
                            Term::from_field_text(f.fuzzy, word),
                            distance,
                            true,
                        )),
                        0.5,
                    )),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// A phrase (a synonym term, or a chunk of the query) as an AND of its
    /// words; `None` when it has no words.
    fn words_clause(&self, text: &str) -> Option<Box<dyn Query>> {
        let a = &self.inner.analyzers;
        let stemmed = tokens(&a.text, text);
        let plain = tokens(&a.plain, text);
        let aligned = stemmed.len() == plain.len();
        let clauses: Vec<(Occur, Box<dyn Query>)> = stemmed
            .iter()
            .enumerate()
            .take(MAX_QUERY_TOKENS)
            .map(|(i, s)| {
                let p = if aligned {
                    plain.get(i).map(String::as_str)
                } else {
                    None
                };
                (Occur::Must, self.word_clause(s, p))
            })
            .collect();
        match clauses.len() {
            0 => None,
            1 => clauses.into_iter().next().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(clauses))),
        }
    }

    /// Splits the query into synonym-group matches and the rest.
    fn text_clauses(&self, text: &str) -> Vec<Box<dyn Query>> {
        let lower = text.to_lowercase();
        let groups = self
            .inner
            .synonyms
            .read()
            .map(|g| g.clone())
            .unwrap_or_default();
        // Longest terms first, so "hex socket" wins over "socket".
        let mut terms: Vec<(&String, &Vec<String>)> = groups
            .iter()
            .flat_map(|g| g.iter().map(move |t| (t, g)))
            .collect();
        terms.sort_by_key(|(t, _)| std::cmp::Reverse(t.chars().count()));
        let mut rest = lower.clone();
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for (term, group) in terms {
            if !contains_term(&rest, term) {
                continue;
            }
            rest = replace_term(&rest, term);
            let alternatives: Vec<(Occur, Box<dyn Query>)> = group
                .iter()
                .filter_map(|t| self.words_clause(t))
                .map(|q| (Occur::Should, q))
                .collect();
            if !alternatives.is_empty() {
                clauses.push(Box::new(BooleanQuery::new(alternatives)));
            }
        }
        for chunk in rest.split_whitespace() {
            if let Some(q) = self.words_clause(chunk) {
                clauses.push(q);
            }
        }
        clauses
    }

    /// Part-number clauses: the whole query and each word, folded.
    fn part_number_clauses(&self, text: &str) -> (Vec<String>, Clauses) {
        let f = &self.inner.fields;
        let mut keys: Vec<String> = Vec::new();
        let whole = fold_part_number(text);
        if whole.chars().count() >= 2 {
            keys.push(whole);
        }
        for w in text.split_whitespace() {
            let k = fold_part_number(w);
            if k.chars().count() >= 3 && !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let weight = if i == 0 { 1.0 } else { 0.3 };
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.pn_exact, k),
                        IndexRecordOption::Basic,
                    )),
                    100.0 * weight,
                )),
            ));
            if k.chars().count() >= 3 {
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.pn_prefix, k),
                            IndexRecordOption::Basic,
                        )),
                        20.0 * weight,
                    )),
                ));
            }
        }
        (keys, clauses)
    }

    /// Runs `query` and returns every match as (slot, score).
    fn matches(&self, query: &dyn Query) -> Result<Vec<(u64, Score)>, SearchError> {
        let searcher = self.inner.reader.searcher();
        Ok(searcher.search(query, &MatchCollector)?)
    }

    /// The matches of a free text: words (all of them, else any) or part
    /// numbers; everything when the text is empty.
    fn text_matches(&self, text: &str) -> Result<(Vec<String>, Matches), SearchError> {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        if text.trim().is_empty() {
            return Ok((Vec::new(), self.matches(&AllQuery)?));
        }
        let (keys, pn) = self.part_number_clauses(&text);
        let words = self.text_clauses(&text);
        let build = |all_words: bool| -> Box<dyn Query> {
            let mut should: Vec<(Occur, Box<dyn Query>)> =
                pn.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            if !words.is_empty() {
                let occur = if all_words {
                    Occur::Must
                } else {
                    Occur::Should
                };
                let w: Vec<(Occur, Box<dyn Query>)> =
                    words.iter().map(|q| (occur, q.box_clone())).collect();
                should.push((Occur::Should, Box::new(BooleanQuery::new(w))));
            }
            // Unknown brand and model words: n-grams, weakly.
            if let Some(ng) = self.ngram_clause(&text, !all_words) {
                should.push((Occur::Should, Box::new(BoostQuery::new(ng, 0.2))));
            }
            Box::new(BooleanQuery::new(should))
        };
        let strict = self.matches(build(true).as_ref())?;
        if !strict.is_empty() {
            return Ok((keys, strict));
        }
        Ok((keys, self.matches(build(false).as_ref())?))
    }

    /// The text's n-grams against the n-gram field: all of them (strict) or
    /// most of them (lenient).
    fn ngram_clause(&self, text: &str, lenient: bool) -> Option<Box<dyn Query>> {
        let grams = tokens(&self.inner.analyzers.ngram, text);
        let grams: Vec<String> = grams
            .into_iter()
            .filter(|g| g.chars().count() == 3 || text.chars().count() <= 2)
            .take(64)
            .collect();
        if grams.is_empty() {
            return None;
        }
        let f = self.inner.fields.ngram;
        let clauses: Vec<Box<dyn Query>> = grams
            .iter()
            .map(|g| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(f, g),
                    IndexRecordOption::WithFreqs,
                ))
            })
            .collect();
        let n = clauses.len();
        if lenient && n > 2 {
            Some(Box::new(BooleanQuery::union_with_minimum_required_clauses(
                clauses,
                (n * 3).div_ceil(4),
            )))
        } else {
            Some(Box::new(BooleanQuery::intersection(clauses)))
        }
    }

    /// Searches: matches, filters, facets, sort and one page.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        if !(1..=200).contains(&req.limit) {
            return Err(invalid("limit", "out_of_range", "limit must be 1 to 200"));
        }
        let offset = match &req.cursor {
            None => 0,
            Some(c) => decode_cursor(c)?,
        };
        if offset > MAX_OFFSET {
            return Err(invalid(
                "cursor",
                "too_deep",
                "pages beyond 10,000 results are not served; narrow the search",
            ));
        }
        for (code, r) in &req.ranges {
            if let (Some(a), Some(b)) = (r.min, r.max)
                && a > b
            {
                return Err(invalid(
                    &format!("attr.{code}"),
                    "invalid_range",
                    "the range starts above its end",
                ));
            }
        }
        if let Some((Some(a), Some(b))) = req.price
            && a > b
        {
            return Err(invalid(
                "price",
                "invalid_range",
                "the range starts above its end",
            ));
        }
        let (keys, found) = self.text_matches(&req.text)?;
        let rows = self.inner.rows.read().map_err(io)?;
        let filters = Filters::new(req);
        let mut counter = FacetCounter::new(req);
        let mut hits: Vec<(Arc<Row>, Score, Option<String>)> = Vec::new();
        for (slot, score) in found {
            let Some(row) = rows.get(slot) else { continue };
            let Some(failed) = filters.check(row) else {
                continue;
            };
            counter.count(row, &failed);
            if failed.is_empty() {
                let exact = keys.iter().find_map(|k| {
                    row.keys
                        .iter()
                        .find(|(f, _)| f == k)
                        .map(|(_, s)| s.clone())
                });
                hits.push((row.clone(), score, exact));
            }
        }
        let facets = if req.facets {
            counter.finish()
        } else {
            Facets::default()
        };
        drop(rows);
        sort_hits(&mut hits, req);
        let total = hits.len() as u64;
        let page: Vec<Hit> = hits
            .iter()
            .skip(offset)
            .take(req.limit)
            .map(|(row, score, exact)| Hit {
                product_id: row.product_id.clone(),
                slug: row.slug.clone(),
                score: *score,
                matched_sku: exact.clone(),
            })
            .collect();
        let next = offset + page.len();
        Ok(SearchResults {
            next_cursor: (next < hits.len() && !page.is_empty()).then(|| encode_cursor(next)),
            hits: page,
            total,
            facets,
        })
    }

    /// Suggestions while typing: part numbers, products and categories.
    pub fn suggest(
        &self,
        text: &str,
        market: &str,
        lang: &str,
        visibility: &[String],
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let limit = limit.clamp(1, 50);
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let f = &self.inner.fields;
        let folded = fold_part_number(&text);
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if folded.chars().count() >= 3 {
            should.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.pn_prefix, &folded),
                        IndexRecordOption::Basic,
                    )),
                    50.0,
                )),
            ));
        }
        if let Some(ng) = self.ngram_clause(&text, false) {
            should.push((Occur::Should, ng));
        }
        for q in self.text_clauses(&text) {
            should.push((Occur::Should, q));
        }
        if should.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = self.matches(&BooleanQuery::new(should))?;
        found.sort_by(|a, b| b.1.total_cmp(&a.1));
        let rows = self.inner.rows.read().map_err(io)?;
        let visible = |r: &Row| {
            matches!(r.status.as_str(), "active" | "discontinued")
                && r.markets.iter().any(|m| m == market)
                && r.visibility.iter().any(|v| visibility.contains(v))
        };
        let mut out: Vec<Suggestion> = Vec::new();
        let mut categories: Vec<(String, usize)> = Vec::new();
        for (slot, _) in found.iter().take(200) {
            let Some(row) = rows.get(*slot) else { continue };
            if !visible(row) {
                continue;
            }
            if folded.chars().count() >= 3
                && let Some((_, sku)) = row.keys.iter().find(|(k, _)| k.starts_with(&folded))
                && out.iter().filter(|s| s.kind == "part_number").count() < limit / 2 + 1
                && !out.iter().any(|s| &s.value == sku)
            {
                out.push(Suggestion {
                    kind: "part_number".into(),
                    value: sku.clone(),
                    label: format!("{sku} · {}", row.name_in(lang)),
                    product_slug: Some(row.slug.clone()),
                });
            }
            if !out
                .iter()
                .any(|s| s.kind == "product" && s.value == row.product_id)
            {
                out.push(Suggestion {
                    kind: "product".into(),
                    value: row.product_id.clone(),
                    label: row.name_in(lang).to_string(),
                    product_slug: Some(row.slug.clone()),
                });
            }
            if let Some(c) = row.categories.last() {
                match categories.iter_mut().find(|(s, _)| s == c) {
                    Some((_, n)) => *n += 1,
                    None => categories.push((c.clone(), 1)),
                }
            }
        }
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // Part numbers first, then the best categories, then products.
        let mut result: Vec<Suggestion> = out
            .iter()
            .filter(|s| s.kind == "part_number")
            .cloned()
            .collect();
        result.extend(categories.into_iter().take(3).map(|(slug, _)| Suggestion {
            kind: "category".into(),
            value: slug.clone(),
            label: slug,
            product_slug: None,
        }));
        result.extend(out.into_iter().filter(|s| s.kind == "product"));
        result.truncate(limit);
        Ok(result)
    }
}

/// Whether `text` holds `term` as whole words (or, for Chinese, anywhere).
fn contains_term(text: &str, term: &str) -> bool {
    find_term(text, term).is_some()
}

fn find_term(text: &str, term: &str) -> Option<usize> {
    let cjk = !term.is_ascii();
    let mut from = 0;
    while let Some(at) = text[from..].find(term).map(|i| i + from) {
        let before = text[..at].chars().next_back();
        let after = text[at + term.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() || !c.is_ascii());
        if cjk || (boundary(before) && boundary(after)) {
            return Some(at);
        }
        from = at + term.len();
    }
    None
}

fn replace_term(text: &str, term: &str) -> String {
    match find_term(text, term) {
        Some(at) => format!("{} {}", &text[..at], &text[at + term.len()..]),
        None => text.to_string(),
    }
}

fn encode_cursor(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn decode_cursor(c: &str) -> Result<usize, SearchError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| {
            invalid(
                "cursor",
                "invalid_cursor",
                "this cursor is not one we gave out",
            )
        })
}

fn sort_hits(hits: &mut [(Arc<Row>, Score, Option<String>)], req: &SearchRequest) {
    let by_id = |a: &Row, b: &Row| a.product_id.cmp(&b.product_id);
    let lang = req.lang.as_str();
    let name_key = |r: &Row| r.name_in(lang).to_lowercase();
    match req.sort {
        SortOrder::Relevance if !req.text.trim().is_empty() => hits.sort_by(|a, b| {
            // An exact part number beats any text score.
            b.2.is_some()
                .cmp(&a.2.is_some())
                .then_with(|| b.1.total_cmp(&a.1))
                .then_with(|| by_id(&a.0, &b.0))
        }),
        SortOrder::Relevance | SortOrder::Name => {
            let mut keyed: Vec<(String, usize)> = hits
                .iter()
                .enumerate()
                .map(|(i, h)| (name_key(&h.0), i))
                .collect();
            keyed.sort();
            let sorted: Vec<_> = keyed.iter().map(|(_, i)| hits[*i].clone()).collect();
            hits.clone_from_slice(&sorted);
        }
        SortOrder::Newest => hits.sort_by(|a, b| {
            b.0.created_at
                .cmp(&a.0.created_at)
                .then_with(|| by_id(&a.0, &b.0))
        }),
        SortOrder::PriceAsc | SortOrder::PriceDesc => {
            let desc = req.sort == SortOrder::PriceDesc;
            hits.sort_by(|a, b| {
                // Products without a price go last either way.
                match (a.0.list_price, b.0.list_price) {
                    (Some(x), Some(y)) => {
                        if desc {
                            y.cmp(&x)
                        } else {
                            x.cmp(&y)
                        }
                    }
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
                .then_with(|| by_id(&a.0, &b.0))
            })
        }
    }
}

/// Collects every match with its slot and score.
struct MatchCollector;

struct MatchSegment {
    slots: Column<u64>,
    out: Vec<(u64, Score)>,
}

impl Collector for MatchCollector {
    type Fruit = Vec<(u64, Score)>;
    type Child = MatchSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MatchSegment> {
        Ok(MatchSegment {
            slots: reader.fast_fields().u64("slot")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u64, Score)>>) -> tantivy::Result<Vec<(u64, Score)>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for MatchSegment {
    type Fruit = Vec<(u64, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(slot) = self.slots.first(doc) {
            self.out.push((slot, score));
        }
    }

    fn harvest(self) -> Vec<(u64, Score)> {
        self.out
    }
}

/// A facet dimension a filter belongs to (its counts ignore it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Dim {
    Category,
    Brand,
    Attr(usize),
    Range(usize),
    InStock,
    Price,
}

struct Filters<'a> {
    req: &'a SearchRequest,
    statuses: Vec<&'a str>,
    attrs: Vec<(&'a String, &'a Vec<String>)>,
    ranges: Vec<(&'a String, &'a NumberRange)>,
}

impl<'a> Filters<'a> {
    fn new(req: &'a SearchRequest) -> Self {
        let statuses = if req.statuses.is_empty() {
            vec!["active", "discontinued"]
        } else {
            req.statuses.iter().map(String::as_str).collect()
        };
        Self {
            req,
            statuses,
            attrs: req
                .attributes
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            ranges: req.ranges.iter().collect(),
        }
    }

    /// `None` when the product is out of reach (market, visibility,
    /// status); else the facet filters it fails.
    fn check(&self, r: &Row) -> Option<Vec<Dim>> {
        let req = self.req;
        if !self.statuses.contains(&r.status.as_str())
            || !r.markets.iter().any(|m| m == &req.market)
            || !r.visibility.iter().any(|v| req.visibility.contains(v))
        {
            return None;
        }
        let mut failed = Vec::new();
        if !req.categories.is_empty() && !r.categories.iter().any(|c| req.categories.contains(c)) {
            failed.push(Dim::Category);
        }
        if !req.brands.is_empty() && !r.brand.as_ref().is_some_and(|b| req.brands.contains(b)) {
            failed.push(Dim::Brand);
        }
        for (i, (code, values)) in self.attrs.iter().enumerate() {
            if !r
                .facet_values
                .iter()
                .any(|(c, v)| c == *code && values.contains(v))
            {
                failed.push(Dim::Attr(i));
            }
        }
        for (i, (code, range)) in self.ranges.iter().enumerate() {
            let inside = r.numbers.iter().any(|(c, n)| {
                c == *code && range.min.is_none_or(|m| *n >= m) && range.max.is_none_or(|m| *n <= m)
            });
            if !inside {
                failed.push(Dim::Range(i));
            }
        }
        if req.in_stock == Some(true) && !r.in_stock {
            failed.push(Dim::InStock);
        }
        if let Some((lo, hi)) = req.price {
            let ok = r
                .list_price
                .is_some_and(|p| lo.is_none_or(|l| p >= l) && hi.is_none_or(|h| p <= h));
            if !ok {
                failed.push(Dim::Price);
            }
        }
        Some(failed)
    }
}

/// Disjunctive facet counting: a product counts for a facet when it passes
/// every filter, or fails only that facet's own filter.
struct FacetCounter<'a> {
    req: &'a SearchRequest,
    attr_index: HashMap<&'a str, usize>,
    range_index: HashMap<&'a str, usize>,
    // Keys borrow the rows (held for the whole search): counting allocates
    // nothing per product.
    categories: HashMap<&'a str, u64>,
    brands: HashMap<&'a str, u64>,
    attributes: HashMap<(&'a str, &'a str), u64>,
    ranges: HashMap<&'a str, (f64, f64)>,
    in_stock: u64,
    out_of_stock: u64,
    price: Option<(i64, i64)>,
}

impl<'a> FacetCounter<'a> {
    fn new(req: &'a SearchRequest) -> Self {
        Self {
            req,
            attr_index: req
                .attributes
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .enumerate()
                .map(|(i, (c, _))| (c.as_str(), i))
                .collect(),
            range_index: req
                .ranges
                .keys()
                .enumerate()
                .map(|(i, c)| (c.as_str(), i))
                .collect(),
            categories: HashMap::new(),
            brands: HashMap::new(),
            attributes: HashMap::new(),
            ranges: HashMap::new(),
            in_stock: 0,
            out_of_stock: 0,
            price: None,
        }
    }

    fn count(&mut self, r: &'a Row, failed: &[Dim]) {
        if !self.req.facets || failed.len() > 1 {
            return;
        }
        let only = failed.first().copied();
        let counts_for = |d: Dim| only.is_none() || only == Some(d);
        if counts_for(Dim::Category) {
            for c in &r.categories {
                *self.categories.entry(c.as_str()).or_default() += 1;
            }
        }
        if counts_for(Dim::Brand)
            && let Some(b) = &r.brand
        {
            *self.brands.entry(b.as_str()).or_default() += 1;
        }
        // `facet_values` are unique per row (deduplicated in `Row::from_doc`).
        for (code, value) in &r.facet_values {
            let ok = match self.attr_index.get(code.as_str()) {
                Some(i) => counts_for(Dim::Attr(*i)),
                None => only.is_none(),
            };
            if ok {
                *self
                    .attributes
                    .entry((code.as_str(), value.as_str()))
                    .or_default() += 1;
            }
        }
        for (code, n) in &r.numbers {
            let ok = match self.range_index.get(code.as_str()) {
                Some(i) => counts_for(Dim::Range(*i)),
                None => only.is_none(),
            };
            if ok {
                let e = self.ranges.entry(code.as_str()).or_insert((*n, *n));
                e.0 = e.0.min(*n);
                e.1 = e.1.max(*n);
            }
        }
        if counts_for(Dim::InStock) {
            if r.in_stock {
                self.in_stock += 1;
            } else {
                self.out_of_stock += 1;
            }
        }
        if counts_for(Dim::Price)
            && let Some(p) = r.list_price
        {
            self.price = Some(match self.price {
                Some((lo, hi)) => (lo.min(p), hi.max(p)),
                None => (p, p),
            });
        }
    }

    fn finish(self) -> Facets {
        fn top(m: impl Iterator<Item = (String, u64)>) -> Vec<FacetCount> {
            let mut v: Vec<FacetCount> = m
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v.truncate(MAX_FACET_VALUES);
            v
        }
        let mut attributes: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
        for ((code, value), n) in self.attributes {
            attributes
                .entry(code.to_string())
                .or_default()
                .push((value.to_string(), n));
        }
        Facets {
            categories: top(self.categories.into_iter().map(|(k, n)| (k.to_string(), n))),
            brands: top(self.brands.into_iter().map(|(k, n)| (k.to_string(), n))),
            attributes: attributes
                .into_iter()
                .map(|(c, m)| (c, top(m.into_iter())))
                .collect(),
            ranges: self
                .ranges
                .into_iter()
                .map(|(c, (lo, hi))| {
                    (
                        c.to_string(),
                        NumberRange {
                            min: Some(lo),
                            max: Some(hi),
                        },
                    )
                })
                .collect(),
            in_stock: self.in_stock,
            out_of_stock: self.out_of_stock,
            price: self.price,
        }
    }
}

#[cfg(test)]
mod tests;
