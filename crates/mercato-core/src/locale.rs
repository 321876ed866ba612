//! Languages and text in several of them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A language tag as Mercato uses it: `en`, `zh-CN`, `de`, `pt-BR`,
/// `zh-Hant` (BCP 47 language with an optional region or script).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Lang(String);

/// Why a language tag was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a language tag like en or zh-CN")]
pub struct LangError(pub String);

impl Lang {
    /// Parses and normalises case (`ZH-cn` → `zh-CN`, `zh-hant` → `zh-Hant`).
    pub fn parse(raw: &str) -> Result<Self, LangError> {
        let s = raw.trim().replace('_', "-");
        let mut parts = s.split('-');
        let lang = parts.next().unwrap_or_default();
        if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(LangError(raw.to_string()));
        }
        let mut out = lang.to_ascii_lowercase();
        if let Some(sub) = parts.next() {
            if sub.len() == 2 && sub.chars().all(|c| c.is_ascii_alphabetic()) {
                out.push('-');
                out.push_str(&sub.to_ascii_uppercase());
            } else if sub.len() == 4 && sub.chars().all(|c| c.is_ascii_alphabetic()) {
                out.push('-');
                out.push_str(&sub[..1].to_ascii_uppercase());
                out.push_str(&sub[1..].to_ascii_lowercase());
            } else {
                return Err(LangError(raw.to_string()));
            }
        }
        if parts.next().is_some() {
            return Err(LangError(raw.to_string()));
        }
        Ok(Self(out))
    }

    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// English, the last fallback of every market.
    pub fn en() -> Self {
        Self("en".into())
    }

    /// Simplified Chinese as used in mainland China.
    pub fn zh_cn() -> Self {
        Self("zh-CN".into())
    }
}

impl TryFrom<String> for Lang {
    type Error = LangError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Lang> for String {
    fn from(l: Lang) -> Self {
        l.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text in several languages: `{"zh-CN": "六角螺栓", "en": "Hex bolt"}`.
/// Blank values are not stored, so "has a translation" means non-blank.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalizedText(BTreeMap<Lang, String>);

impl LocalizedText {
    /// No text in any language.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds from `(tag, text)` pairs; invalid tags are an error.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, LangError> {
        let mut t = Self::new();
        for (l, v) in pairs {
            t.set(Lang::parse(l)?, v);
        }
        Ok(t)
    }

    /// Sets (or with blank text, removes) one language.
    pub fn set(&mut self, lang: Lang, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            self.0.remove(&lang);
        } else {
            self.0.insert(lang, text.to_string());
        }
    }

    /// The text in exactly `lang`.
    pub fn get(&self, lang: &Lang) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// The text in `lang`, else in the first of `fallbacks` that has one,
    /// else in any language (a name in the wrong language beats no name).
    pub fn resolve(&self, lang: &Lang, fallbacks: &[Lang]) -> Option<&str> {
        self.get(lang)
            .or_else(|| fallbacks.iter().find_map(|l| self.get(l)))
            .or_else(|| self.0.values().next().map(String::as_str))
    }

    /// Whether no language has text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Languages with text.
    pub fn langs(&self) -> impl Iterator<Item = &Lang> {
        self.0.keys()
    }

    /// `(language, text)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&Lang, &str)> {
        self.0.iter().map(|(l, t)| (l, t.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_normalise_and_reject_junk() {
        assert_eq!(Lang::parse("ZH-cn").unwrap().as_str(), "zh-CN");
        assert_eq!(Lang::parse("zh_hant").unwrap().as_str(), "zh-Hant");
        assert_eq!(Lang::parse(" en ").unwrap().as_str(), "en");
        for bad in ["", "e", "english", "zh-CHN1", "en-US-x", "1a"] {
            assert!(Lang::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn resolution_falls_back() {
        let t = LocalizedText::from_pairs([("zh-CN", "六角螺栓"), ("en", "Hex bolt"), ("de", " ")])
            .unwrap();
        assert_eq!(
            t.get(&Lang::parse("de").unwrap()),
            None,
            "blank is not a translation"
        );
        assert_eq!(
            t.resolve(&Lang::parse("fr").unwrap(), &[Lang::en()]),
            Some("Hex bolt")
        );
        assert_eq!(t.resolve(&Lang::zh_cn(), &[Lang::en()]), Some("六角螺栓"));
        let only_zh = LocalizedText::from_pairs([("zh-CN", "螺母")]).unwrap();
        assert_eq!(only_zh.resolve(&Lang::en(), &[]), Some("螺母"));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"en":"Hex bolt","zh-CN":"六角螺栓"}"#);
    }
}
