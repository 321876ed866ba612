//! Markets: where and how the enterprise sells (currency, languages,
//! countries, time zone) and how far along the roadmap it is there.

use crate::locale::{Lang, LocalizedText};
use crate::money::Currency;
use serde::{Deserialize, Serialize};

/// The roadmap step a market is on (FEATURES.md M2): what the storefront offers there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum RoadmapStep {
    /// A digital catalog with requests for quotation; no prices, no cart.
    DigitalCatalog = 1,
    /// Standard online buying.
    OnlineBuying = 2,
    /// B2B personalisation: negotiation, flexible prices, account hierarchy.
    Personalisation = 3,
    /// Scale and new models: more markets, subscriptions.
    Scale = 4,
}

impl RoadmapStep {
    /// Every step, in order.
    pub const ALL: [RoadmapStep; 4] = [
        RoadmapStep::DigitalCatalog,
        RoadmapStep::OnlineBuying,
        RoadmapStep::Personalisation,
        RoadmapStep::Scale,
    ];
}

impl TryFrom<u8> for RoadmapStep {
    type Error = MarketError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        match n {
            1 => Ok(RoadmapStep::DigitalCatalog),
            2 => Ok(RoadmapStep::OnlineBuying),
            3 => Ok(RoadmapStep::Personalisation),
            4 => Ok(RoadmapStep::Scale),
            _ => Err(MarketError::BadStep(n.to_string())),
        }
    }
}

impl From<RoadmapStep> for u8 {
    fn from(s: RoadmapStep) -> Self {
        s as u8
    }
}

/// Why a market definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketError {
    #[error("{0:?} is not a market code: 2 to 16 lower-case letters, digits or -")]
    BadCode(String),
    #[error("roadmap step must be 1, 2, 3 or 4, not {0}")]
    BadStep(String),
    #[error("a market needs at least one language")]
    NoLanguage,
    #[error("the default language {0} is not among the market's languages")]
    DefaultLanguageMissing(String),
    #[error("{0:?} is not an ISO 3166 alpha-2 country code")]
    BadCountry(String),
    #[error("{0:?} is not an IANA time zone like Asia/Shanghai")]
    BadTimeZone(String),
}

/// A market.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Market {
    pub code: String,
    pub name: LocalizedText,
    pub currency: Currency,
    /// Languages content is offered in; the first is the default.
    pub languages: Vec<Lang>,
    pub countries: Vec<String>,
    pub time_zone: String,
    pub roadmap_step: RoadmapStep,
    /// Prices shown to buyers (off: "ask for a price").
    pub show_prices: bool,
    pub show_stock: bool,
    pub is_default: bool,
}

impl Market {
    /// Checks a market's fields.
    pub fn validate(&self) -> Result<(), MarketError> {
        let c = &self.code;
        if !(2..=16).contains(&c.len())
            || !c
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        {
            return Err(MarketError::BadCode(c.clone()));
        }
        if self.languages.is_empty() {
            return Err(MarketError::NoLanguage);
        }
        for country in &self.countries {
            if country.len() != 2 || !country.chars().all(|ch| ch.is_ascii_uppercase()) {
                return Err(MarketError::BadCountry(country.clone()));
            }
        }
        let tz = &self.time_zone;
        if tz != "UTC" && (!tz.contains('/') || tz.contains(' ') || tz.starts_with('/')) {
            return Err(MarketError::BadTimeZone(tz.clone()));
        }
        Ok(())
    }

    /// The market's default language.
    pub fn default_language(&self) -> Lang {
        self.languages.first().cloned().unwrap_or_else(Lang::en)
    }

    /// The language to show: the requested one when the market offers it,
    /// else the market's default.
    pub fn pick_language(&self, requested: Option<&Lang>) -> Lang {
        match requested {
            Some(l) if self.languages.contains(l) => l.clone(),
            Some(l) => {
                // `zh` asks for any Chinese the market has.
                let base = l.as_str().split('-').next().unwrap_or_default();
                self.languages
                    .iter()
                    .find(|m| m.as_str().split('-').next() == Some(base))
                    .cloned()
                    .unwrap_or_else(|| self.default_language())
            }
            None => self.default_language(),
        }
    }

    /// Languages to fall back to, in order, after `lang`.
    pub fn fallbacks(&self, lang: &Lang) -> Vec<Lang> {
        let mut out: Vec<Lang> = self
            .languages
            .iter()
            .filter(|l| *l != lang)
            .cloned()
            .collect();
        if !out.contains(&Lang::en()) && lang != &Lang::en() {
            out.push(Lang::en());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn() -> Market {
        Market {
            code: "cn".into(),
            name: LocalizedText::from_pairs([("zh-CN", "中国"), ("en", "China")]).unwrap(),
            currency: Currency::parse("CNY").unwrap(),
            languages: vec![Lang::zh_cn(), Lang::en()],
            countries: vec!["CN".into()],
            time_zone: "Asia/Shanghai".into(),
            roadmap_step: RoadmapStep::OnlineBuying,
            show_prices: true,
            show_stock: true,
            is_default: true,
        }
    }

    #[test]
    fn validation_and_language_choice() {
        let m = cn();
        m.validate().unwrap();
        assert_eq!(
            m.pick_language(Some(&Lang::parse("zh").unwrap())),
            Lang::zh_cn()
        );
        assert_eq!(
            m.pick_language(Some(&Lang::parse("de").unwrap())),
            Lang::zh_cn()
        );
        assert_eq!(m.pick_language(Some(&Lang::en())), Lang::en());
        assert_eq!(m.fallbacks(&Lang::zh_cn()), vec![Lang::en()]);
        let bad = Market {
            countries: vec!["China".into()],
            ..cn()
        };
        assert!(matches!(bad.validate(), Err(MarketError::BadCountry(_))));
        let bad = Market {
            code: "CN".into(),
            ..cn()
        };
        assert!(bad.validate().is_err());
        assert!(RoadmapStep::try_from(5).is_err());
        assert_eq!(serde_json::to_string(&RoadmapStep::Scale).unwrap(), "4");
    }
}
