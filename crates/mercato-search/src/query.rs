//! From typed text to a tantivy query. Nothing typed is query syntax:
//! the text goes through the index's own analyzer, and the query is built
//! from the tokens.
//!
//! Shape of a search query:
//!
//! * The text splits at whitespace into *chunks* (`DIN933-M8`, `螺栓`), and
//!   each chunk's tokens into *groups*: tokens whose spans overlap (jieba's
//!   search mode yields `内六角` and its sub-word `六角`); a group matches
//!   when its longest words do.
//! * A group matches when its word is in the name, the category or brand
//!   names, the attribute texts or the descriptions (boosted in that
//!   order), or, for a longer Latin word found in none of them, as its
//!   likeliest spelling corrections (scored lower).
//! * A run of groups that spells a synonym term becomes "any term of the
//!   synonym group", each term a run of groups in turn.
//! * A chunk also matches as a folded part number (exact or prefix) and by
//!   its n-grams (contained in a name or the brand, for unknown words).
//! * Every chunk must match (strict); when nothing does, all but one, then
//!   any (lenient). The whole text as one part number is an alternative.

use crate::analysis::{Analyzers, analyze, cap, is_cjk, query_ngrams};
use crate::model::Synonyms;
use crate::schema::Fields;
use mercato_core::catalog::fold_part_number;
use std::collections::HashMap;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Queries longer than this are cut (characters).
pub(crate) const MAX_QUERY_CHARS: usize = 200;
/// At most this many word groups of a query are used.
pub(crate) const MAX_QUERY_GROUPS: usize = 32;
/// Folded part numbers longer than this are not looked up.
const MAX_PART_NUMBER: usize = 64;
/// Raw filter values are cut to this many bytes (index and query alike).
pub(crate) const MAX_RAW_BYTES: usize = 256;

// Scores. BM25 of a word in a name is about 3–15 with these boosts; an
// exact part number must beat any text, a prefix most texts.
const PN_EXACT: f32 = 100.0;
const PN_PREFIX: f32 = 30.0;
const NGRAM: f32 = 0.5;
/// A correction's weight relative to the word as typed.
const TYPO: f32 = 0.6;
/// Corrections tried per unknown word.
const MAX_CORRECTIONS: usize = 3;
const BOOST_NAME: f32 = 3.0;
const BOOST_TAXONOMY: f32 = 2.0;
const BOOST_ATTRS: f32 = 1.0;
const BOOST_DESC: f32 = 0.15;

/// A word of the query: the analysed token and its lower-cased surface.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    pub token: String,
    pub surface: String,
}

/// Overlapping tokens of one span; all of its longest words must match.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub words: Vec<Word>,
    /// Identifies the group for synonym matching.
    pub key: String,
}

/// A whitespace-separated piece of the query.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub surface: String,
    pub folded: String,
    pub groups: Vec<Group>,
}

/// The query text taken apart.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub chunks: Vec<Chunk>,
    /// The whole text folded as a part number.
    pub folded: String,
}

/// The first `n` characters.
pub(crate) fn truncate_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The word groups of a text, each with the byte where it starts.
fn groups_of(analyzers: &Analyzers, text: &str) -> Vec<(usize, Group)> {
    let mut toks = analyze(&analyzers.text, text);
    toks.sort_by(|a, b| a.from.cmp(&b.from).then(b.to.cmp(&a.to)));
    let mut clusters: Vec<Vec<crate::analysis::Tok>> = Vec::new();
    let mut end = 0;
    for t in toks {
        match clusters.last_mut() {
            Some(c) if t.from < end => {
                end = end.max(t.to);
                c.push(t);
            }
            _ => {
                end = t.to;
                clusters.push(vec![t]);
            }
        }
    }
    clusters
        .into_iter()
        .filter_map(|c| {
            let start = c.first().map(|t| t.from)?;
            let mut words: Vec<Word> = Vec::new();
            let mut spans: Vec<(usize, usize)> = Vec::new();
            for t in &c {
                let inside_another = c
                    .iter()
                    .any(|o| o.from <= t.from && t.to <= o.to && (o.from, o.to) != (t.from, t.to));
                if inside_another || spans.contains(&(t.from, t.to)) {
                    continue;
                }
                spans.push((t.from, t.to));
                words.push(Word {
                    token: t.text.clone(),
                    surface: text.get(t.from..t.to).unwrap_or(&t.text).to_lowercase(),
                });
            }
            let key = words
                .iter()
                .map(|w| w.token.as_str())
                .collect::<Vec<_>>()
                .join("\u{1}");
            (!words.is_empty()).then_some((start, Group { words, key }))
        })
        .collect()
}

/// Takes the query text apart (cut to [`MAX_QUERY_CHARS`]).
pub(crate) fn parse(analyzers: &Analyzers, text: &str) -> Parsed {
    let text = truncate_chars(text.trim(), MAX_QUERY_CHARS);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    let mut chunks: Vec<Chunk> = spans
        .iter()
        .map(|(from, to)| {
            let surface = text.get(*from..*to).unwrap_or_default().to_string();
            Chunk {
                folded: fold_part_number(&surface),
                surface,
                groups: Vec::new(),
            }
        })
        .collect();
    let mut taken = 0;
    for (at, group) in groups_of(analyzers, text) {
        if taken == MAX_QUERY_GROUPS {
            break;
        }
        if let Some(i) = spans.iter().position(|(f, t)| *f <= at && at < *t)
            && let Some(chunk) = chunks.get_mut(i)
        {
            chunk.groups.push(group);
            taken += 1;
        }
    }
    chunks.truncate(MAX_QUERY_GROUPS);
    Parsed {
        folded: fold_part_number(text),
        chunks,
    }
}

/// A synonym term as group keys, and the synonym groups holding it.
type SynonymTerm = (Vec<String>, Vec<usize>);

/// Synonym groups analysed like queries, looked up by their first group.
#[derive(Default)]
pub(crate) struct SynonymTable {
    /// Per synonym group, its terms as runs of word groups.
    alternatives: Vec<Vec<Vec<Group>>>,
    /// First group key → (keys of a term, synonym groups with that term),
    /// longest terms first.
    by_first: HashMap<String, Vec<SynonymTerm>>,
}

impl SynonymTable {
    pub(crate) fn new(analyzers: &Analyzers, synonyms: &Synonyms) -> Self {
        let mut table = SynonymTable::default();
        let mut terms: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for group in &synonyms.groups {
            let mut alternatives: Vec<Vec<Group>> = Vec::new();
            for term in group {
                let term = truncate_chars(term, 64);
                let groups: Vec<Group> = groups_of(analyzers, term)
                    .into_iter()
                    .map(|(_, g)| g)
                    .take(8)
                    .collect();
                let keys: Vec<String> = groups.iter().map(|g| g.key.clone()).collect();
                let known = alternatives
                    .iter()
                    .any(|a| a.iter().map(|g| &g.key).eq(keys.iter()));
                if !groups.is_empty() && !known {
                    alternatives.push(groups);
                }
            }
            if alternatives.len() < 2 {
                continue;
            }
            let index = table.alternatives.len();
            for a in &alternatives {
                let keys: Vec<String> = a.iter().map(|g| g.key.clone()).collect();
                let groups = terms.entry(keys).or_default();
                if !groups.contains(&index) {
                    groups.push(index);
                }
            }
            table.alternatives.push(alternatives);
        }
        for (keys, groups) in terms {
            if let Some(first) = keys.first().cloned() {
                table
                    .by_first
                    .entry(first)
                    .or_default()
                    .push((keys, groups));
            }
        }
        for entries in table.by_first.values_mut() {
            entries.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        table
    }

    /// The longest synonym term starting at `keys[0]`: its length in
    /// groups and its synonym groups.
    fn longest_at(&self, keys: &[&str], fits: impl Fn(usize) -> bool) -> Option<(usize, &[usize])> {
        let first = keys.first()?;
        self.by_first
            .get(*first)?
            .iter()
            .find_map(|(term, groups)| {
                let n = term.len();
                let same = keys.len() >= n && term.iter().zip(keys).all(|(a, b)| a == b);
                (same && fits(n)).then_some((n, groups.as_slice()))
            })
    }
}

/// Builds queries over the index's fields.
pub(crate) struct Builder<'a> {
    pub fields: &'a Fields,
    pub synonyms: &'a SynonymTable,
    pub analyzers: &'a Analyzers,
    /// Where spelling corrections are looked up.
    pub searcher: &'a Searcher,
}

/// How many of the chunks must match.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mode {
    All,
    AtLeast(usize),
}

/// A text query, ready in several strictness modes.
pub(crate) struct TextQuery {
    units: Vec<Box<dyn Query>>,
    whole: Vec<(Occur, Box<dyn Query>)>,
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn term_query(field: Field, text: &str, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(term(field, text), option))
}

fn constant(q: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, score))
}

fn all_of(mut qs: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match qs.len() {
        0 => None,
        1 => qs.pop(),
        _ => Some(Box::new(BooleanQuery::intersection(qs))),
    }
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match qs.len() {
        0 => None,
        1 => qs.pop(),
        _ => Some(Box::new(BooleanQuery::union(qs))),
    }
}

/// Whether the chunk's n-grams are worth a clause: CJK words of two
/// characters and up (no spaces to find them by), Latin ones of four and
/// up (shorter ones are contained in too much).
fn ngram_worthy(surface: &str, min_latin: usize) -> bool {
    let n = surface.chars().count();
    if surface.chars().any(is_cjk) {
        n >= 2
    } else {
        n >= min_latin
    }
}

impl TextQuery {
    /// How many chunk clauses there are.
    pub(crate) fn units(&self) -> usize {
        self.units.len()
    }

    /// The query in a mode; `None` when it can match nothing.
    pub(crate) fn build(&self, mode: Mode) -> Option<Box<dyn Query>> {
        let units: Vec<Box<dyn Query>> = self.units.iter().map(|q| q.box_clone()).collect();
        let text = match mode {
            Mode::All => all_of(units),
            Mode::AtLeast(k) if units.len() > 1 => Some(Box::new(
                BooleanQuery::union_with_minimum_required_clauses(units, k.max(1)),
            ) as Box<dyn Query>),
            Mode::AtLeast(_) => all_of(units),
        };
        let mut should: Vec<(Occur, Box<dyn Query>)> = self
            .whole
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        match (text, should.is_empty()) {
            (text, true) => text,
            (Some(text), false) => {
                should.push((Occur::Should, text));
                Some(Box::new(BooleanQuery::new(should)))
            }
            (None, false) => Some(Box::new(BooleanQuery::new(should))),
        }
    }
}

impl Builder<'_> {
    /// A word in any text field; an unknown Latin word also as its likely
    /// corrections (see [`Builder::corrections`]), scored lower.
    fn word_clause(&self, w: &Word, fuzzy: bool) -> Box<dyn Query> {
        let mut clauses = self.field_clauses(&w.token, 1.0, true);
        if fuzzy {
            for correction in self.corrections(&w.surface) {
                for t in analyze(&self.analyzers.text, &correction) {
                    clauses.extend(self.field_clauses(&t.text, TYPO, false));
                }
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// A token in the name, taxonomy, attribute (and description) fields,
    /// with their boosts times `weight`.
    fn field_clauses(&self, token: &str, weight: f32, desc: bool) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let mut fields = vec![
            (f.name, BOOST_NAME),
            (f.taxonomy, BOOST_TAXONOMY),
            (f.attrs, BOOST_ATTRS),
        ];
        if desc {
            fields.push((f.desc, BOOST_DESC));
        }
        fields
            .into_iter()
            .map(|(field, boost)| {
                let q = term_query(field, token, IndexRecordOption::WithFreqs);
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, boost * weight)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// Spelling corrections of a Latin word of 5–32 letters that no name,
    /// category, brand or attribute contains: the most frequent words of
    /// those fields within one typo (two from 9 letters). A correction is
    /// scored like the word itself, damped, so a typo in a name still
    /// beats an exact hit in a description; known words are never
    /// "corrected" into others.
    fn corrections(&self, surface: &str) -> Vec<String> {
        let n = surface.chars().count();
        if !(5..=32).contains(&n) || !surface.chars().all(|c| c.is_ascii_alphabetic()) {
            return Vec::new();
        }
        let field = self.fields.plain;
        let word = term(field, surface);
        match self.searcher.doc_freq(&word) {
            Ok(0) => {}
            Ok(_) => return Vec::new(),
            Err(e) => {
                tracing::warn!(error = %e, "spelling correction failed");
                return Vec::new();
            }
        }
        let distance = if n >= 9 { 2 } else { 1 };
        let found = (|| -> tantivy::Result<HashMap<String, u64>> {
            let dfa = FuzzyTermQuery::new(word, distance, true).automaton()?;
            let mut found: HashMap<String, u64> = HashMap::new();
            for reader in self.searcher.segment_readers() {
                let index = reader.inverted_index(field)?;
                let mut terms = index.terms().search(&dfa).into_stream()?;
                while terms.advance() {
                    let key = String::from_utf8_lossy(terms.key()).into_owned();
                    *found.entry(key).or_default() += u64::from(terms.value().doc_freq);
                }
            }
            Ok(found)
        })();
        let mut found: Vec<(String, u64)> = match found {
            Ok(f) => f.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, "spelling correction failed");
                return Vec::new();
            }
        };
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        found
            .into_iter()
            .take(MAX_CORRECTIONS)
            .map(|(w, _)| w)
            .collect()
    }

    fn group_clause(&self, g: &Group, fuzzy: bool) -> Option<Box<dyn Query>> {
        all_of(g.words.iter().map(|w| self.word_clause(w, fuzzy)).collect())
    }

    /// Any term of the synonym groups, each term all of its words.
    fn synonym_clause(&self, groups: &[usize]) -> Option<Box<dyn Query>> {
        let mut alternatives = Vec::new();
        for i in groups {
            for alt in self.synonyms.alternatives.get(*i).into_iter().flatten() {
                if let Some(q) = all_of(
                    alt.iter()
                        .filter_map(|g| self.group_clause(g, false))
                        .collect(),
                ) {
                    alternatives.push(q);
                }
            }
        }
        any_of(alternatives)
    }

    /// The chunk's n-grams, all contained in a name or brand.
    fn ngram_clause(&self, surface: &str) -> Option<Box<dyn Query>> {
        all_of(
            query_ngrams(surface)
                .iter()
                .map(|g| term_query(self.fields.ngram, g, IndexRecordOption::WithFreqs))
                .collect(),
        )
    }

    fn part_number_clauses(&self, folded: &str, exact_from: usize) -> Vec<(Occur, Box<dyn Query>)> {
        let n = folded.chars().count();
        let mut out = Vec::new();
        if (exact_from..=MAX_PART_NUMBER).contains(&n) {
            let exact = term_query(self.fields.pn_exact, folded, IndexRecordOption::Basic);
            out.push((Occur::Should, constant(exact, PN_EXACT)));
        }
        if (3..=MAX_PART_NUMBER).contains(&n) {
            let prefix = term_query(self.fields.pn_prefix, folded, IndexRecordOption::Basic);
            out.push((Occur::Should, constant(prefix, PN_PREFIX)));
        }
        out
    }

    /// The search query of a parsed text: one unit per chunk (or synonym
    /// run over chunks), and the whole text as a part number.
    pub(crate) fn search_query(&self, parsed: &Parsed) -> TextQuery {
        // The groups in a row, with their chunk, for synonym runs.
        let flat: Vec<(usize, &Group)> = parsed
            .chunks
            .iter()
            .enumerate()
            .flat_map(|(c, chunk)| chunk.groups.iter().map(move |g| (c, g)))
            .collect();
        let keys: Vec<&str> = flat.iter().map(|(_, g)| g.key.as_str()).collect();
        let chunk_start = |c: usize| flat.iter().position(|(x, _)| *x == c);
        let chunk_end = |c: usize| flat.iter().rposition(|(x, _)| *x == c).map(|i| i + 1);
        // Synonym runs: inside one chunk, or covering whole chunks.
        let mut runs: Vec<(usize, usize, &[usize])> = Vec::new();
        let mut i = 0;
        while i < flat.len() {
            let fits = |n: usize| {
                let (c0, c1) = (flat[i].0, flat[i + n - 1].0);
                c0 == c1 || (chunk_start(c0) == Some(i) && chunk_end(c1) == Some(i + n))
            };
            match self.synonyms.longest_at(&keys[i..], fits) {
                Some((n, groups)) => {
                    runs.push((i, n, groups));
                    i += n;
                }
                None => i += 1,
            }
        }

        let mut units: Vec<Box<dyn Query>> = Vec::new();
        let mut c = 0;
        while c < parsed.chunks.len() {
            let chunk = &parsed.chunks[c];
            let Some(first) = chunk_start(c) else {
                // Only punctuation: nothing to match.
                c += 1;
                continue;
            };
            // A synonym run over several chunks stands for all of them.
            if let Some((s, n, groups)) = runs.iter().find(|(s, _, _)| *s == first)
                && flat[s + n - 1].0 != c
            {
                if let Some(q) = self.synonym_clause(groups) {
                    units.push(q);
                }
                c = flat[s + n - 1].0 + 1;
                continue;
            }
            let end = chunk_end(c).unwrap_or(first);
            let mut items: Vec<Box<dyn Query>> = Vec::new();
            let mut j = first;
            while j < end {
                if let Some((_, n, groups)) = runs.iter().find(|(s, _, _)| *s == j) {
                    items.extend(self.synonym_clause(groups));
                    j += n;
                } else {
                    items.extend(self.group_clause(flat[j].1, true));
                    j += 1;
                }
            }
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            if let Some(words) = all_of(items) {
                alternatives.push((Occur::Should, words));
            }
            alternatives.extend(self.part_number_clauses(&chunk.folded, 2));
            if ngram_worthy(&chunk.surface, 4)
                && let Some(q) = self.ngram_clause(&chunk.surface)
            {
                alternatives.push((Occur::Should, constant(q, NGRAM)));
            }
            if alternatives.len() == 1 {
                units.extend(alternatives.pop().map(|(_, q)| q));
            } else if !alternatives.is_empty() {
                units.push(Box::new(BooleanQuery::new(alternatives)));
            }
            c += 1;
        }
        let whole = if parsed.chunks.len() > 1 || units.is_empty() {
            self.part_number_clauses(&parsed.folded, 2)
        } else {
            Vec::new()
        };
        TextQuery { units, whole }
    }

    /// The as-you-type query: every chunk in a name (as words or
    /// contained n-grams) or as a part-number prefix; or the whole text as
    /// a part number.
    pub(crate) fn suggest_query(&self, parsed: &Parsed) -> Option<Box<dyn Query>> {
        let mut units: Vec<Box<dyn Query>> = Vec::new();
        for chunk in &parsed.chunks {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            if let Some(words) = all_of(
                chunk
                    .groups
                    .iter()
                    .filter_map(|g| self.group_clause(g, false))
                    .collect(),
            ) {
                alternatives.push((Occur::Should, words));
            }
            if ngram_worthy(&chunk.surface, 2)
                && let Some(q) = self.ngram_clause(&chunk.surface)
            {
                alternatives.push((Occur::Should, q));
            }
            alternatives.extend(self.part_number_clauses(&chunk.folded, 3));
            if !alternatives.is_empty() {
                units.push(Box::new(BooleanQuery::new(alternatives)));
            }
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = all_of(units) {
            should.push((Occur::Should, q));
        }
        if parsed.chunks.len() > 1 {
            should.extend(self.part_number_clauses(&parsed.folded, 3));
        }
        (!should.is_empty()).then(|| Box::new(BooleanQuery::new(should)) as Box<dyn Query>)
    }

    /// Documents whose part number, GTIN or MPN is exactly the text or
    /// one of its chunks.
    pub(crate) fn exact_query(&self, keys: &[String]) -> Option<Box<dyn Query>> {
        any_of(
            keys.iter()
                .map(|k| term_query(self.fields.pn_exact, k, IndexRecordOption::Basic))
                .collect(),
        )
    }

    /// Market, visibility and status as score-less required clauses.
    pub(crate) fn filters(
        &self,
        market: &str,
        visibility: &[String],
        statuses: &[&str],
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let raw = |field: Field, v: &str| {
            term_query(field, cap(v, MAX_RAW_BYTES), IndexRecordOption::Basic)
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, constant(raw(f.market, market), 0.0))];
        let mut tokens: Vec<&str> = visibility.iter().map(String::as_str).take(256).collect();
        tokens.sort_unstable();
        tokens.dedup();
        let any = |field: Field, values: &[&str]| -> Box<dyn Query> {
            any_of(values.iter().map(|v| raw(field, v)).collect())
                .unwrap_or_else(|| Box::new(BooleanQuery::new(Vec::new())))
        };
        out.push((Occur::Must, constant(any(f.visibility, &tokens), 0.0)));
        out.push((Occur::Must, constant(any(f.status, statuses), 0.0)));
        out
    }
}

/// The folded keys that count as an exact part-number match: the whole
/// text, and each chunk of three characters or more.
pub(crate) fn exact_keys(parsed: &Parsed) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let n = parsed.folded.chars().count();
    if (2..=MAX_PART_NUMBER).contains(&n) {
        keys.push(parsed.folded.clone());
    }
    for c in &parsed.chunks {
        let n = c.folded.chars().count();
        if (3..=MAX_PART_NUMBER).contains(&n) && !keys.contains(&c.folded) {
            keys.push(c.folded.clone());
        }
    }
    keys
}
