//! Text analysis: Chinese words through jieba (search mode, with the
//! catalog's trade terms), Latin words lower-cased and stemmed, n-grams for
//! unknown words, and the helpers that turn a query into the same tokens.
//!
//! Why not `tantivy_jieba::JiebaTokenizer::with_jieba`: it owns its
//! `Jieba` by value and derives `Clone`, and tantivy clones a tokenizer for
//! every segment writer and every query analysis. Cloning a dictionary of
//! ~350,000 words costs tens of milliseconds, more than a whole search may
//! take. This tokenizer shares one dictionary behind an `Arc` instead (and
//! drops whitespace and punctuation tokens, which tantivy-jieba emits).

use jieba_rs::Jieba;
use std::sync::{Arc, Mutex};
use tantivy::tokenizer::{
    Language, LowerCaser, NgramTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Name of the stemmed jieba analyzer (names, descriptions, attributes).
pub(crate) const TEXT: &str = "mercato_text";
/// Name of the unstemmed jieba analyzer (typo tolerance compares real
/// words, not stems).
pub(crate) const PLAIN: &str = "mercato_plain";
/// Name of the 2–3-gram analyzer (unknown brand and model words).
pub(crate) const NGRAM: &str = "mercato_ngram";

/// Tokens of this many bytes or more are dropped: nobody types them and
/// tantivy refuses terms beyond 64 KiB.
const MAX_TOKEN_BYTES: usize = 64;

/// The dictionary of the last index opened, so reopening (tests, the
/// indexer restarting) does not rebuild it; jieba's takes ~1 s to load.
static JIEBA: Mutex<Option<(Vec<String>, Arc<Jieba>)>> = Mutex::new(None);

/// The trade terms as they are added: trimmed, without blanks (jieba cuts
/// at whitespace first, so such a word could never match), deduplicated.
pub(crate) fn normalize_words(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = words
        .iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty() && w.chars().count() <= 32 && !w.chars().any(char::is_whitespace))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A stable fingerprint of the trade terms, recorded in the commit: other
/// words cut text differently, so the index must be rebuilt.
pub(crate) fn dictionary_fingerprint(words: &[String]) -> String {
    let mut h = Fnv::new();
    for w in words {
        h.write(w.as_bytes());
        h.write(b"\n");
    }
    format!("{:016x}", h.finish())
}

/// 64-bit FNV-1a: stable across Rust versions and platforms (unlike
/// `DefaultHasher`), which matters for values written to disk.
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

fn shared_jieba(words: &[String]) -> Arc<Jieba> {
    // A poisoned lock only means another thread panicked while building;
    // the cache is then rebuilt below.
    let mut cache = JIEBA.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((cached, jieba)) = cache.as_ref()
        && cached.as_slice() == words
    {
        return jieba.clone();
    }
    let mut jieba = Jieba::new();
    for w in words {
        jieba.add_word(w, None, None);
    }
    let jieba = Arc::new(jieba);
    *cache = Some((words.to_vec(), jieba.clone()));
    jieba
}

/// Splits text with a shared jieba dictionary in search mode (a long word
/// also yields its dictionary sub-words); drops whitespace and punctuation.
#[derive(Clone)]
pub(crate) struct JiebaTokenizer {
    jieba: Arc<Jieba>,
}

/// Tokens computed up front (jieba cuts a whole text at once).
pub(crate) struct VecTokenStream {
    tokens: Vec<Token>,
    /// One past the current token; 0 before the first `advance`.
    next: usize,
    /// Returned if a caller asks for a token before advancing (a contract
    /// violation, but not worth a panic).
    none: Token,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.none)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.none,
        }
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = self
            .jieba
            .cut_for_search(text, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position,
                text: t.word.to_string(),
                position_length: 1,
            })
            .collect();
        VecTokenStream {
            tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// The three analyzers; cloning one is cheap (the dictionary is shared).
#[derive(Clone)]
pub(crate) struct Analyzers {
    pub text: TextAnalyzer,
    pub plain: TextAnalyzer,
    pub ngram: TextAnalyzer,
}

impl Analyzers {
    /// Analyzers with these (normalized) trade terms in the dictionary.
    pub(crate) fn new(words: &[String]) -> Result<Self, tantivy::TantivyError> {
        let jieba = JiebaTokenizer {
            jieba: shared_jieba(words),
        };
        Ok(Self {
            text: TextAnalyzer::builder(jieba.clone())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
            plain: TextAnalyzer::builder(jieba)
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .build(),
            ngram: TextAnalyzer::builder(NgramTokenizer::new(2, 3, false)?)
                .filter(LowerCaser)
                .build(),
        })
    }

    /// Registers them with an index (needed before writing or searching).
    pub(crate) fn register(&self, index: &tantivy::Index) {
        index.tokenizers().register(TEXT, self.text.clone());
        index.tokenizers().register(PLAIN, self.plain.clone());
        index.tokenizers().register(NGRAM, self.ngram.clone());
    }
}

/// A token with its byte span in the analysed text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tok {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// The tokens an analyzer makes of `text`, with their spans.
pub(crate) fn analyze(analyzer: &TextAnalyzer, text: &str) -> Vec<Tok> {
    let mut a = analyzer.clone();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        if !t.text.is_empty() {
            out.push(Tok {
                text: t.text.clone(),
                from: t.offset_from,
                to: t.offset_to,
            });
        }
    }
    out
}

/// The query n-grams of a word for the n-gram field: all 3-grams (a
/// match then contains the word, give or take), or the word itself when it
/// has two characters. Lower-cased like the field.
pub(crate) fn query_ngrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.to_lowercase().chars().collect();
    match chars.len() {
        0 | 1 => Vec::new(),
        2 => vec![chars.iter().collect()],
        _ => {
            let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
            grams.sort();
            grams.dedup();
            // A long word's first grams already pin it down.
            grams.truncate(24);
            grams
        }
    }
}

/// Prefixes of a folded part number worth indexing (3 characters and up,
/// the whole included).
pub(crate) fn prefixes(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .filter(|end| *end >= 3)
        .filter_map(move |end| folded.get(..end))
}

/// Cuts a string to at most `max` bytes at a character boundary.
pub(crate) fn cap(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether a character is CJK (Han, kana, hangul): such text has no
/// spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn texts(a: &TextAnalyzer, s: &str) -> Vec<String> {
        analyze(a, s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn jieba_lowercases_stems_and_keeps_trade_words() {
        let a = Analyzers::new(&normalize_words(&["内六角".to_string()])).unwrap();
        let t = texts(&a.text, "DIN 912 内六角圆柱头螺钉 M8, stainless Bolts");
        assert!(t.contains(&"内六角".to_string()), "{t:?}");
        assert!(t.contains(&"螺钉".to_string()), "{t:?}");
        assert!(t.contains(&"bolt".to_string()), "{t:?}");
        assert!(t.contains(&"m8".to_string()), "{t:?}");
        assert!(!t.iter().any(|x| x == "," || x.trim().is_empty()), "{t:?}");
        assert!(texts(&a.text, "  ,, ").is_empty());
        assert!(texts(&a.text, "").is_empty());
        assert_eq!(texts(&a.plain, "Stainless Bolts"), ["stainless", "bolts"]);
        // Spans point into the text.
        let s = "螺栓 Bolts";
        for t in analyze(&a.text, s) {
            assert!(s.get(t.from..t.to).is_some());
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(
            prefixes("HB933").collect::<Vec<_>>(),
            ["HB9", "HB93", "HB933"]
        );
        assert_eq!(prefixes("AB").count(), 0);
        assert_eq!(query_ngrams("Bolt"), ["bol", "olt"]);
        assert_eq!(query_ngrams("螺栓"), ["螺栓"]);
        assert!(query_ngrams("x").is_empty());
        assert_eq!(cap("螺栓", 4), "螺");
        assert_eq!(
            normalize_words(&[
                " b ".into(),
                "a".into(),
                "b".into(),
                "a b".into(),
                "".into()
            ]),
            ["a", "b"]
        );
        assert_ne!(
            dictionary_fingerprint(&["a".into()]),
            dictionary_fingerprint(&["b".into()])
        );
        assert!(is_cjk('螺') && !is_cjk('a'));
    }
}
