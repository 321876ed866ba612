//! Mercato's catalog search: a tantivy index owned by one node, with
//! Chinese (jieba) and English analysis, folded part numbers, synonyms,
//! typo tolerance and disjunctive facets.
//!
//! * One document per product ([`SearchDoc`]); a page of hits loads only
//!   its own stored documents.
//! * Free text is never query syntax: it is analysed like the documents
//!   and turned into a query (see `query.rs`). An exact part number, GTIN
//!   or MPN always ranks first.
//! * Market, visibility and status are query clauses; facet filters,
//!   facet counts, the total and the sort keys come from one pass over the
//!   matches reading fast-field columns (see `collect.rs`).
//! * The index commit carries the outbox position it reflects
//!   ([`SearchIndex::commit`], [`SearchIndex::cursor`]), so index and cursor
//!   change atomically and a crash replays from the last commit.
//!
//! Every call blocks; run them off the async threads.
#![forbid(unsafe_code)]

mod analysis;
mod collect;
pub mod model;
mod query;
mod schema;

pub use model::*;

use analysis::{Analyzers, Fnv, cap, dictionary_fingerprint, normalize_words};
use base64::Engine;
use collect::{FacetCollector, Outcome, Plan, SegmentTable, SortKind, global_ranks};
use mercato_core::catalog::fold_part_number;
use query::{Builder, MAX_RAW_BYTES, Mode, SynonymTable, exact_keys, parse, truncate_chars};
use schema::{Fields, SEP, col, facet_term, number_term};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

/// The version of the index layout and analysis. Bump it whenever fields
/// or analysis change: an index of another version is wiped on open and
/// rebuilt by the caller.
pub const SCHEMA_VERSION: u32 = 2;

/// Largest page.
const MAX_LIMIT: usize = 200;
/// Pages starting deeper than this are refused (a buyer narrows instead).
const MAX_OFFSET: usize = 10_000;
/// Suggestions returned at most.
const MAX_SUGGESTIONS: usize = 50;
/// Suggestion queries longer than this are cut (characters).
const MAX_SUGGEST_CHARS: usize = 100;
/// Products read to derive suggestions.
const SUGGEST_CANDIDATES: usize = 40;
/// Name sort keys are cut to this many bytes.
const MAX_SORT_KEY: usize = 128;

/// Why a search call failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Bad request input: the field (`cursor`, `limit`, `attr.<code>`,
    /// `price`, `product_id`), a stable snake_case code and a message for
    /// people.
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

/// Takes the exclusive lock file `<dir>.lock` (released when the index is
/// dropped or the process ends).
fn lock_folder(dir: &Path) -> Result<std::fs::File, SearchError> {
    let mut path = dir.as_os_str().to_owned();
    path.push(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::path::PathBuf::from(path))
        .map_err(index_error)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(SearchError::Index(format!(
            "{} is in use by another process",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(index_error(e)),
    }
}

fn index_error(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

/// How the index is opened.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Memory of the index writer, split among its threads (at least
    /// 15 MB is used).
    pub writer_memory_bytes: usize,
    /// Extra words for the Chinese word splitter (trade terms such as
    /// `内六角`, `不锈钢`). They change how text is cut, so an index built
    /// with other words opens as [`OpenState::Fresh`] and must be rebuilt.
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
    /// New, or wiped because it was of another schema version or
    /// dictionary, or never committed: the caller must rebuild it.
    Fresh,
    /// An index of this version, with its cursor.
    Existing,
}

/// What each commit records besides the documents.
#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    cursor: i64,
    schema: u32,
    /// Fingerprint of [`IndexOptions::dictionary`].
    #[serde(default)]
    dictionary: String,
}

/// Global name ranks of one searcher generation.
struct Ranks {
    generation: u64,
    zh: Arc<Vec<Vec<u32>>>,
    en: Arc<Vec<Vec<u32>>>,
}

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    analyzers: Analyzers,
    dictionary: String,
    synonyms: RwLock<Arc<SynonymTable>>,
    cursor: RwLock<Option<i64>>,
    ranks: Mutex<Option<Arc<Ranks>>>,
    /// Decoded columns per segment; segments never change, so an entry
    /// stays valid until its segment is merged away.
    tables: Mutex<HashMap<SegmentId, Arc<SegmentTable>>>,
    /// Held while the index is open: one process per index folder.
    _lock: std::fs::File,
}

/// The node's search index. Cheap to clone, `Send + Sync`; searches run
/// concurrently with writes and see the last commit.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

fn read_payload(index: &Index) -> Option<Payload> {
    let payload = index.load_metas().ok()?.payload?;
    serde_json::from_str(&payload).ok()
}

/// Removes an index's files. Only called where `meta.json` shows the
/// folder holds an index: the folder belongs to it.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    for entry in std::fs::read_dir(dir).map_err(index_error)? {
        let path = entry.map_err(index_error)?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(index_error)?;
        } else {
            std::fs::remove_file(&path).map_err(index_error)?;
        }
    }
    Ok(())
}

fn is_zh(lang: &str) -> bool {
    lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh"))
}

/// The name in `lang`, else in a language of the same family, else
/// English, else any.
fn name_in<'a>(names: &'a BTreeMap<String, String>, lang: &str) -> Option<&'a str> {
    let family = lang.split('-').next().unwrap_or(lang);
    let usable = |(_, n): &(&String, &'a String)| !n.trim().is_empty();
    names
        .get_key_value(lang)
        .filter(usable)
        .or_else(|| {
            names.iter().filter(usable).find(|(l, _)| {
                l.split('-')
                    .next()
                    .is_some_and(|f| f.eq_ignore_ascii_case(family))
            })
        })
        .or_else(|| names.get_key_value("en").filter(usable))
        .or_else(|| names.iter().find(usable))
        .map(|(_, n)| n.as_str())
}

fn sort_key(d: &SearchDoc, lang: &str) -> String {
    let name = name_in(&d.names, lang).unwrap_or(&d.slug);
    cap(&name.trim().to_lowercase(), MAX_SORT_KEY).to_string()
}

fn tiebreak(product_id: &str) -> u64 {
    let mut h = Fnv::new();
    h.write(product_id.as_bytes());
    h.finish()
}

/// An attribute code as it appears in terms (the separator cannot).
fn clean_code(code: &str) -> String {
    code.replace(SEP, " ")
}

/// A facet term as indexed and as looked up: capped alike.
fn facet_key(code: &str, value: &str) -> String {
    cap(&facet_term(&clean_code(code), value), MAX_RAW_BYTES).to_string()
}

fn encode_cursor(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn decode_cursor(c: &str) -> Result<usize, SearchError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c.trim().as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| {
            invalid(
                "cursor",
                "invalid_cursor",
                "this cursor was not issued by a search",
            )
        })
}

/// The SKU behind an exact match of one of `keys`: the SKU itself, or the
/// SKU of the variant whose GTIN or MPN it is (known when the lists line
/// up, or when there is one SKU).
fn matched_sku(doc: &TantivyDocument, f: &Fields, keys: &[String]) -> Option<String> {
    let all = |field| -> Vec<&str> { doc.get_all(field).filter_map(|v| v.as_str()).collect() };
    let (skus, gtins, mpns) = (all(f.sku), all(f.gtin), all(f.mpn));
    let sku_at = |i: usize, n: usize| -> Option<String> {
        let i = if skus.len() == n {
            i
        } else if skus.len() == 1 {
            0
        } else {
            return None;
        };
        skus.get(i).map(|s| s.to_string())
    };
    for key in keys {
        if let Some(s) = skus.iter().find(|s| fold_part_number(s) == *key) {
            return Some(s.to_string());
        }
        for list in [&gtins, &mpns] {
            if let Some(i) = list
                .iter()
                .position(|g| !g.is_empty() && fold_part_number(g) == *key)
            {
                return sku_at(i, list.len());
            }
        }
    }
    None
}

impl SearchIndex {
    /// Opens the index in `dir` (created when missing; the folder belongs
    /// to the index). An index of another schema version or dictionary, a
    /// never-committed one or an unreadable one is wiped and reported
    /// [`OpenState::Fresh`]: the caller rebuilds it.
    pub fn open(
        dir: &Path,
        options: IndexOptions,
    ) -> Result<(SearchIndex, OpenState), SearchError> {
        std::fs::create_dir_all(dir).map_err(index_error)?;
        // Lock before looking: an index another process is still building
        // (not yet committed) would otherwise look outdated and be wiped.
        let lock = lock_folder(dir)?;
        let words = normalize_words(&options.dictionary);
        let dictionary = dictionary_fingerprint(&words);
        let (schema, fields) = schema::build();
        let has_index = dir.join("meta.json").exists();
        let existing = if has_index {
            match Index::open_in_dir(dir) {
                Ok(index) => {
                    let current = read_payload(&index)
                        .is_some_and(|p| p.schema == SCHEMA_VERSION && p.dictionary == dictionary);
                    (current && index.schema() == schema).then_some(index)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "search index unreadable; starting afresh");
                    None
                }
            }
        } else {
            None
        };
        let (index, state) = match existing {
            Some(index) => (index, OpenState::Existing),
            None => {
                if has_index {
                    tracing::info!(dir = %dir.display(), "search index outdated; wiping it");
                    wipe(dir)?;
                }
                (Index::create_in_dir(dir, schema)?, OpenState::Fresh)
            }
        };
        let analyzers = Analyzers::new(&words)?;
        analyzers.register(&index);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let memory = options.writer_memory_bytes.clamp(15_000_000, 2_000_000_000);
        let writer = index.writer(memory)?;
        let cursor = match state {
            OpenState::Existing => read_payload(&index).map(|p| p.cursor),
            OpenState::Fresh => None,
        };
        let this = SearchIndex {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
                analyzers,
                dictionary,
                synonyms: RwLock::new(Arc::new(SynonymTable::default())),
                cursor: RwLock::new(cursor),
                ranks: Mutex::new(None),
                tables: Mutex::new(HashMap::new()),
                _lock: lock,
            }),
        };
        this.warm();
        Ok((this, state))
    }

    /// The outbox event id the last commit reflects; `None` before the
    /// first commit.
    pub fn cursor(&self) -> Option<i64> {
        self.inner.cursor.read().ok().and_then(|c| *c)
    }

    /// Products searchable now.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Adds or replaces products; searchable after [`SearchIndex::commit`].
    /// A product without an id is refused (and nothing of the batch is
    /// written).
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        if docs.iter().any(|d| d.product_id.trim().is_empty()) {
            return Err(invalid(
                "product_id",
                "missing",
                "every product needs an id",
            ));
        }
        let built: Vec<TantivyDocument> = docs
            .iter()
            .map(|d| self.document(d))
            .collect::<Result<_, _>>()?;
        let writer = self.inner.writer.lock().map_err(index_error)?;
        for (d, doc) in docs.iter().zip(built) {
            writer.delete_term(Term::from_field_text(
                self.inner.fields.product_id,
                &d.product_id,
            ));
            writer.add_document(doc)?;
        }
        Ok(())
    }

    fn document(&self, d: &SearchDoc) -> Result<TantivyDocument, SearchError> {
        let f = &self.inner.fields;
        let mut doc = TantivyDocument::default();
        let raw = |s: &str| cap(s, MAX_RAW_BYTES).to_string();
        doc.add_text(f.product_id, &d.product_id);
        doc.add_text(f.slug, &d.slug);
        doc.add_text(
            f.names,
            serde_json::to_string(&d.names).map_err(index_error)?,
        );
        // All of them, empty ones too, so the lists stay aligned.
        for s in &d.skus {
            doc.add_text(f.sku, s);
        }
        for g in &d.gtins {
            doc.add_text(f.gtin, g);
        }
        for m in &d.mpns {
            doc.add_text(f.mpn, m);
        }
        if let Some(leaf) = d.category_path.last() {
            doc.add_text(f.leaf_category, leaf);
        }
        for m in dedup(d.markets.iter().map(|m| raw(m))) {
            doc.add_text(f.market, m);
        }
        for v in dedup(d.visibility.iter().map(|v| raw(v))) {
            doc.add_text(f.visibility, v);
        }
        doc.add_text(f.status, raw(&d.status));

        for name in d.names.values() {
            doc.add_text(f.name, name);
            doc.add_text(f.plain, name);
            doc.add_text(f.ngram, name);
        }
        if let Some((_, brand)) = &d.brand {
            doc.add_text(f.taxonomy, brand);
            doc.add_text(f.plain, brand);
            doc.add_text(f.ngram, brand);
        }
        for c in &d.category_names {
            doc.add_text(f.taxonomy, c);
            doc.add_text(f.plain, c);
        }
        for a in &d.attribute_text {
            doc.add_text(f.attrs, a);
            doc.add_text(f.plain, a);
        }
        for t in d.descriptions.values() {
            doc.add_text(f.desc, t);
        }

        let mut exact: HashSet<String> = HashSet::new();
        let mut prefixes: HashSet<String> = HashSet::new();
        for (i, list) in [&d.skus, &d.gtins, &d.mpns].into_iter().enumerate() {
            for s in list {
                let folded = raw(&fold_part_number(s));
                if folded.is_empty() {
                    continue;
                }
                // GTIN prefixes are company prefixes: they find whole
                // product ranges, not the part being typed.
                if i != 1 {
                    prefixes.extend(analysis::prefixes(&folded).map(str::to_string));
                }
                exact.insert(folded);
            }
        }
        for k in exact {
            doc.add_text(f.pn_exact, k);
        }
        for p in prefixes {
            doc.add_text(f.pn_prefix, p);
        }

        for c in dedup(d.category_path.iter().map(|c| raw(c))) {
            doc.add_text(f.category, c);
        }
        if let Some((slug, _)) = &d.brand {
            doc.add_text(f.brand, raw(slug));
        }
        for t in dedup(d.facet_values.iter().map(|(c, v)| facet_key(c, v))) {
            doc.add_text(f.facet, t);
        }
        let numbers = d
            .numbers
            .iter()
            .filter(|(_, v)| v.is_finite())
            .map(|(c, v)| number_term(&clean_code(cap(c, MAX_RAW_BYTES)), *v));
        for t in dedup(numbers) {
            doc.add_text(f.number, t);
        }
        doc.add_bool(f.in_stock, d.in_stock);
        if let Some(p) = d.list_price {
            doc.add_i64(f.price, p);
        }
        doc.add_i64(f.created, d.created_at);
        doc.add_f64(
            f.popularity,
            if d.popularity.is_finite() {
                d.popularity
            } else {
                0.0
            },
        );
        doc.add_u64(f.tiebreak, tiebreak(&d.product_id));
        doc.add_text(f.sort_zh, sort_key(d, "zh-CN"));
        doc.add_text(f.sort_en, sort_key(d, "en"));
        Ok(doc)
    }

    /// Removes a product; gone from results after the next commit.
    pub fn delete(&self, product_id: &str) -> Result<(), SearchError> {
        let writer = self.inner.writer.lock().map_err(index_error)?;
        writer.delete_term(Term::from_field_text(
            self.inner.fields.product_id,
            product_id,
        ));
        Ok(())
    }

    /// Removes every product (before a full rebuild); products upserted
    /// after this call are kept. Takes effect at the next commit.
    pub fn clear(&self) -> Result<(), SearchError> {
        let writer = self.inner.writer.lock().map_err(index_error)?;
        writer.delete_query(Box::new(AllQuery))?;
        Ok(())
    }

    /// Commits what was written together with the outbox position it
    /// reflects, and makes it searchable before returning.
    pub fn commit(&self, cursor: i64) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            cursor,
            schema: SCHEMA_VERSION,
            dictionary: self.inner.dictionary.clone(),
        })
        .map_err(index_error)?;
        {
            let mut writer = self.inner.writer.lock().map_err(index_error)?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        self.inner.reader.reload()?;
        if let Ok(mut c) = self.inner.cursor.write() {
            *c = Some(cursor);
        }
        self.warm();
        Ok(())
    }

    /// Prepares what searches of the current segments need (name ranks for
    /// listing pages, decoded columns) and forgets merged-away segments.
    fn warm(&self) {
        let searcher = self.inner.reader.searcher();
        if let Err(e) = self.ranks(&searcher) {
            tracing::warn!(error = %e, "cannot rank names for sorting");
        }
        if let Ok(mut tables) = self.inner.tables.lock() {
            let live: HashSet<SegmentId> = searcher
                .segment_readers()
                .iter()
                .map(|r| r.segment_id())
                .collect();
            tables.retain(|id, _| live.contains(id));
        }
        if let Err(e) = self.tables(&searcher) {
            tracing::warn!(error = %e, "cannot decode search columns");
        }
    }

    /// The decoded columns of the searcher's segments, by ordinal.
    fn tables(&self, searcher: &Searcher) -> Result<Vec<Arc<SegmentTable>>, SearchError> {
        let mut out = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            let id = reader.segment_id();
            let cached = self
                .inner
                .tables
                .lock()
                .ok()
                .and_then(|t| t.get(&id).cloned());
            let table = match cached {
                Some(t) => t,
                None => {
                    // Built outside the lock; a concurrent search may build
                    // the same table, which is harmless.
                    let t = Arc::new(SegmentTable::build(reader)?);
                    if let Ok(mut tables) = self.inner.tables.lock() {
                        tables.insert(id, t.clone());
                    }
                    t
                }
            };
            out.push(table);
        }
        Ok(out)
    }

    /// Replaces the synonym groups; applies to the next query, no
    /// reindexing.
    pub fn set_synonyms(&self, synonyms: Synonyms) {
        let table = Arc::new(SynonymTable::new(&self.inner.analyzers, &synonyms));
        match self.inner.synonyms.write() {
            Ok(mut s) => *s = table,
            Err(poisoned) => *poisoned.into_inner() = table,
        }
    }

    fn synonyms(&self) -> Arc<SynonymTable> {
        match self.inner.synonyms.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The name ranks of the searcher's generation, computed once.
    fn ranks(&self, searcher: &Searcher) -> Result<Arc<Ranks>, SearchError> {
        let generation = searcher.generation().generation_id();
        if let Ok(cache) = self.inner.ranks.lock()
            && let Some(r) = cache.as_ref().filter(|r| r.generation == generation)
        {
            return Ok(r.clone());
        }
        let ranks = Arc::new(Ranks {
            generation,
            zh: Arc::new(global_ranks(searcher, col::SORT_ZH)?),
            en: Arc::new(global_ranks(searcher, col::SORT_EN)?),
        });
        if let Ok(mut cache) = self.inner.ranks.lock() {
            // Keep the newest generation if a slower search computed an
            // older one.
            if cache.as_ref().is_none_or(|c| c.generation <= generation) {
                *cache = Some(ranks.clone());
            }
        }
        Ok(ranks)
    }

    fn builder<'a>(&'a self, synonyms: &'a SynonymTable, searcher: &'a Searcher) -> Builder<'a> {
        Builder {
            fields: &self.inner.fields,
            synonyms,
            analyzers: &self.inner.analyzers,
            searcher,
        }
    }

    /// Searches: text, filters, disjunctive facets, sort and one page.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        if !(1..=MAX_LIMIT).contains(&req.limit) {
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
                "results beyond the first 10,000 are not served; narrow the search",
            ));
        }
        for (code, r) in &req.ranges {
            let field = format!("attr.{code}");
            if r.min.is_some_and(f64::is_nan) || r.max.is_some_and(f64::is_nan) {
                return Err(invalid(
                    &field,
                    "invalid_range",
                    "the range is not a number",
                ));
            }
            if let (Some(a), Some(b)) = (r.min, r.max)
                && a > b
            {
                return Err(invalid(
                    &field,
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
        if req.visibility.is_empty() {
            return Ok(SearchResults::default());
        }

        let searcher = self.inner.reader.searcher();
        let synonyms = self.synonyms();
        let b = self.builder(&synonyms, &searcher);
        let text = req.text.trim();
        let has_text = !text.is_empty();
        let parsed = parse(&self.inner.analyzers, text);
        let keys = if has_text {
            exact_keys(&parsed)
        } else {
            Vec::new()
        };
        let exact = self.exact_docs(&searcher, &b, &keys)?;
        let sort = match req.sort {
            SortOrder::Relevance if has_text => SortKind::Relevance,
            SortOrder::Relevance | SortOrder::Name => SortKind::Name,
            SortOrder::PriceAsc => SortKind::PriceAsc,
            SortOrder::PriceDesc => SortKind::PriceDesc,
            SortOrder::Newest => SortKind::Newest,
        };
        let zh = is_zh(&req.lang);
        let ranks = match sort {
            SortKind::Name => {
                let r = self.ranks(&searcher)?;
                Some(if zh { r.zh.clone() } else { r.en.clone() })
            }
            _ => None,
        };
        let plan = Arc::new(Plan {
            facets: req.facets,
            categories: req
                .categories
                .iter()
                .map(|c| cap(c, MAX_RAW_BYTES).to_string())
                .collect(),
            brands: req
                .brands
                .iter()
                .map(|c| cap(c, MAX_RAW_BYTES).to_string())
                .collect(),
            attributes: req
                .attributes
                .iter()
                .filter(|(_, values)| !values.is_empty())
                .map(|(code, values)| {
                    (
                        format!("{}{SEP}", clean_code(code)),
                        values.iter().map(|v| facet_key(code, v)).collect(),
                    )
                })
                .collect(),
            ranges: req
                .ranges
                .iter()
                .map(|(code, r)| {
                    let code = clean_code(cap(code, MAX_RAW_BYTES));
                    (
                        format!("{code}{SEP}"),
                        r.min.map(|v| number_term(&code, v)),
                        r.max.map(|v| number_term(&code, v)),
                    )
                })
                .collect(),
            in_stock: req.in_stock,
            price: req.price,
            sort,
            name_field: if zh { col::SORT_ZH } else { col::SORT_EN },
            ranks,
            tables: self.tables(&searcher)?,
            exact,
            scoring: sort == SortKind::Relevance,
            keep: offset + req.limit,
        });
        let statuses: Vec<&str> = if req.statuses.is_empty() {
            vec!["active", "discontinued"]
        } else {
            req.statuses.iter().map(String::as_str).collect()
        };
        let filters = || b.filters(&req.market, &req.visibility, &statuses);

        // Strict first; when no visible product matches every chunk, all
        // but one, then any: buyers should see something.
        let text_query = b.search_query(&parsed);
        let modes: Vec<Option<Mode>> = if has_text {
            let n = text_query.units();
            let mut m = vec![Some(Mode::All)];
            if n >= 3 {
                m.push(Some(Mode::AtLeast(n - 1)));
            }
            if n >= 2 {
                m.push(Some(Mode::AtLeast(1)));
            }
            m
        } else {
            vec![None]
        };
        let mut outcome = Outcome::default();
        for mode in modes {
            let matching: Box<dyn Query> = match mode {
                None => Box::new(AllQuery),
                Some(m) => match text_query.build(m) {
                    Some(q) => q,
                    None => break,
                },
            };
            let mut clauses = vec![(Occur::Must, matching)];
            clauses.extend(filters());
            let collector = FacetCollector { plan: plan.clone() };
            outcome = searcher.search(&BooleanQuery::new(clauses), &collector)?;
            if outcome.base > 0 {
                break;
            }
        }

        let f = &self.inner.fields;
        let mut hits = Vec::new();
        for h in outcome.hits.iter().skip(offset).take(req.limit) {
            let doc: TantivyDocument = searcher.doc(DocAddress::new(h.seg, h.doc))?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            hits.push(Hit {
                product_id: text(f.product_id),
                slug: text(f.slug),
                score: h.score,
                matched_sku: if h.exact {
                    matched_sku(&doc, f, &keys)
                } else {
                    None
                },
            });
        }
        let next = offset + hits.len();
        Ok(SearchResults {
            next_cursor: (!hits.is_empty() && (next as u64) < outcome.total)
                .then(|| encode_cursor(next)),
            hits,
            total: outcome.total,
            facets: if req.facets {
                outcome.facets
            } else {
                Facets::default()
            },
        })
    }

    /// Per segment, the sorted documents whose part number, GTIN or MPN
    /// is one of `keys`.
    fn exact_docs(
        &self,
        searcher: &Searcher,
        b: &Builder<'_>,
        keys: &[String],
    ) -> Result<Vec<Vec<DocId>>, SearchError> {
        let mut per_segment: Vec<Vec<DocId>> = vec![Vec::new(); searcher.segment_readers().len()];
        if let Some(q) = b.exact_query(keys) {
            for addr in searcher.search(&q, &DocSetCollector)? {
                if let Some(s) = per_segment.get_mut(addr.segment_ord as usize) {
                    s.push(addr.doc_id);
                }
            }
        }
        for s in &mut per_segment {
            s.sort_unstable();
        }
        Ok(per_segment)
    }

    /// Search-as-you-type for the storefront: part numbers starting with
    /// the folded text, products whose name (any language) contains it or
    /// its words, and the categories of the best of those. At most `limit`
    /// (and 50) suggestions; part numbers first, then products, then
    /// categories.
    pub fn suggest(
        &self,
        text: &str,
        market: &str,
        lang: &str,
        visibility: &[String],
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let limit = limit.min(MAX_SUGGESTIONS);
        let text = truncate_chars(text.trim(), MAX_SUGGEST_CHARS);
        if limit == 0 || text.is_empty() || visibility.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.inner.reader.searcher();
        let synonyms = self.synonyms();
        let b = self.builder(&synonyms, &searcher);
        let parsed = parse(&self.inner.analyzers, text);
        let Some(matching) = b.suggest_query(&parsed) else {
            return Ok(Vec::new());
        };
        let mut clauses = vec![(Occur::Must, matching)];
        clauses.extend(b.filters(market, visibility, &["active", "discontinued"]));
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(SUGGEST_CANDIDATES).order_by_score(),
        )?;

        let f = &self.inner.fields;
        let folded = fold_part_number(text);
        let mut part_numbers: Vec<Suggestion> = Vec::new();
        let mut products: Vec<Suggestion> = Vec::new();
        let mut categories: HashMap<String, (usize, usize)> = HashMap::new();
        for (rank, (_, addr)) in top.iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            let text_of = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let (product_id, slug) = (text_of(f.product_id), text_of(f.slug));
            let names: BTreeMap<String, String> =
                serde_json::from_str(&text_of(f.names)).unwrap_or_default();
            if folded.chars().count() >= 2 {
                for sku in doc.get_all(f.sku).filter_map(|v| v.as_str()) {
                    if fold_part_number(sku).starts_with(&folded)
                        && !part_numbers.iter().any(|p| p.value == sku)
                    {
                        part_numbers.push(Suggestion {
                            kind: "part_number".into(),
                            value: sku.to_string(),
                            label: sku.to_string(),
                            product_slug: Some(slug.clone()),
                        });
                    }
                }
            }
            let leaf = text_of(f.leaf_category);
            if !leaf.is_empty() {
                let e = categories.entry(leaf).or_insert((0, rank));
                e.0 += 1;
            }
            products.push(Suggestion {
                kind: "product".into(),
                value: product_id,
                label: name_in(&names, lang).unwrap_or(&slug).to_string(),
                product_slug: Some(slug),
            });
        }
        // Most frequent first; among equals, the one of the better hit.
        let mut categories: Vec<(String, (usize, usize))> = categories.into_iter().collect();
        categories.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
        let categories: Vec<Suggestion> = categories
            .into_iter()
            .map(|(slug, _)| Suggestion {
                kind: "category".into(),
                value: slug.clone(),
                label: slug,
                product_slug: None,
            })
            .collect();

        // Shares of the list: a third part numbers, a quarter categories,
        // products the rest; what one kind leaves goes to the others.
        let n_pn = part_numbers.len().min((limit / 3).max(1));
        let n_cat = categories
            .len()
            .min(if limit >= 4 { (limit / 4).max(1) } else { 0 });
        let n_prod = products.len().min(limit.saturating_sub(n_pn + n_cat));
        let mut room = limit.saturating_sub(n_pn + n_cat + n_prod);
        let extra_pn = (part_numbers.len() - n_pn).min(room);
        room -= extra_pn;
        let extra_cat = (categories.len() - n_cat).min(room);
        let mut out: Vec<Suggestion> = Vec::with_capacity(limit);
        out.extend(part_numbers.into_iter().take(n_pn + extra_pn));
        out.extend(products.into_iter().take(n_prod));
        out.extend(categories.into_iter().take(n_cat + extra_cat));
        out.truncate(limit);
        Ok(out)
    }
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items.filter(|s| seen.insert(s.clone())).collect()
}

#[cfg(test)]
mod tests;
