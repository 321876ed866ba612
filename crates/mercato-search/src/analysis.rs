//! Text analysis: Chinese words through jieba (search mode), Latin words
//! lower-cased and stemmed, part numbers folded.
//!
//! jieba's dictionary is large, and tantivy clones a tokenizer for every
//! segment writer and query, so the dictionary is shared behind an `Arc`
//! (tantivy-jieba owns its custom dictionary and would clone it).

use jieba_rs::Jieba;
use std::sync::Arc;
use tantivy::tokenizer::{
    Language, LowerCaser, NgramTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Name of the stemmed jieba analyzer (names, descriptions, attributes).
pub(crate) const TEXT: &str = "mercato_text";
/// Name of the unstemmed jieba analyzer (typo tolerance compares real words).
pub(crate) const PLAIN: &str = "mercato_plain";
/// Name of the 2–3-gram analyzer (unknown brand and model words).
pub(crate) const NGRAM: &str = "mercato_ngram";

/// Splits text with a shared jieba dictionary; drops whitespace and
/// punctuation tokens.
#[derive(Clone)]
pub(crate) struct JiebaTokenizer {
    jieba: Arc<Jieba>,
}

impl JiebaTokenizer {
    pub(crate) fn new(words: &[String]) -> Self {
        let mut jieba = Jieba::new();
        for w in words {
            let w = w.trim();
            if !w.is_empty() {
                jieba.add_word(w, None, None);
            }
        }
        Self {
            jieba: Arc::new(jieba),
        }
    }
}

/// Tokens computed up front.
pub(crate) struct VecTokenStream {
    tokens: Vec<Token>,
    /// One past the current token (0 before the first `advance`).
    next: usize,
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
        // `advance` returned true before any call, so `next >= 1`.
        &self.tokens[self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))]
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let base = text.as_ptr() as usize;
        let tokens: Vec<Token> = self
            .jieba
            .cut_for_search(text, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .enumerate()
            .map(|(position, t)| {
                let from = t.word.as_ptr() as usize - base;
                Token {
                    offset_from: from,
                    offset_to: from + t.word.len(),
                    position,
                    text: t.word.to_string(),
                    position_length: 1,
                }
            })
            .collect();
        // An empty stream still needs one token slot for `token()`.
        let tokens = if tokens.is_empty() {
            vec![Token::default()]
        } else {
            tokens
        };
        let empty = tokens.len() == 1 && tokens[0].text.is_empty();
        VecTokenStream {
            next: if empty { 1 } else { 0 },
            tokens,
        }
    }
}

/// The three analyzers, cheap to clone.
#[derive(Clone)]
pub(crate) struct Analyzers {
    pub text: TextAnalyzer,
    pub plain: TextAnalyzer,
    pub ngram: TextAnalyzer,
}

impl Analyzers {
    pub(crate) fn new(words: &[String]) -> Result<Self, tantivy::TantivyError> {
        let jieba = JiebaTokenizer::new(words);
        Ok(Self {
            text: TextAnalyzer::builder(jieba.clone())
                .filter(RemoveLongFilter::limit(64))
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
            plain: TextAnalyzer::builder(jieba)
                .filter(RemoveLongFilter::limit(64))
                .filter(LowerCaser)
                .build(),
            ngram: TextAnalyzer::builder(NgramTokenizer::new(2, 3, false)?)
                .filter(LowerCaser)
                .build(),
        })
    }

    /// Registers them with an index.
    pub(crate) fn register(&self, index: &tantivy::Index) {
        index.tokenizers().register(TEXT, self.text.clone());
        index.tokenizers().register(PLAIN, self.plain.clone());
        index.tokenizers().register(NGRAM, self.ngram.clone());
    }
}

/// The tokens an analyzer makes of `text`.
pub(crate) fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut a = analyzer.clone();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = &stream.token().text;
        if !t.is_empty() {
            out.push(t.clone());
        }
    }
    out
}

/// Prefixes of a folded part number worth indexing (3 characters and up).
pub(crate) fn prefixes(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .filter(|end| *end >= 3)
        .map(move |end| &folded[..end])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn jieba_lowercases_stems_and_keeps_trade_words() {
        let a = Analyzers::new(&["内六角".to_string()]).unwrap();
        let t = tokens(&a.text, "DIN 912 内六角圆柱头螺钉 M8, stainless Bolts");
        assert!(t.contains(&"内六角".to_string()), "{t:?}");
        assert!(t.contains(&"螺钉".to_string()), "{t:?}");
        assert!(t.contains(&"bolt".to_string()), "{t:?}");
        assert!(t.contains(&"m8".to_string()), "{t:?}");
        assert!(!t.iter().any(|x| x == "," || x.trim().is_empty()), "{t:?}");
        assert!(tokens(&a.text, "  ,, ").is_empty());
        assert!(tokens(&a.text, "").is_empty());
        let p = tokens(&a.plain, "Stainless Bolts");
        assert_eq!(p, ["stainless", "bolts"]);
    }

    #[test]
    fn prefixes_start_at_three_characters() {
        assert_eq!(
            prefixes("HB933").collect::<Vec<_>>(),
            ["HB9", "HB93", "HB933"]
        );
        assert_eq!(prefixes("AB").count(), 0);
    }
}
