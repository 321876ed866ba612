//! Countries as ISO 3166-1 alpha-2 codes, parsed once at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An officially assigned ISO 3166-1 alpha-2 country code, stored as two
/// upper-case ASCII letters so it is `Copy` and cheap to compare.
///
/// Only assigned codes are accepted: user-assigned (`XK`, `ZZ`), reserved
/// (`UK`, `EL`, `EU`) and withdrawn codes are rejected, because tax, shipping
/// and address rules downstream are keyed on real countries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

/// Why a string is not a country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryError {
    #[error("country must be a two-letter ISO 3166-1 code such as DE or CN")]
    Shape,
    #[error("{0} is not an ISO 3166-1 country code")]
    Unknown(String),
    /// A code people commonly use that ISO reserves for another purpose
    /// (`UK`, `EL`); the message names the code to use instead.
    #[error("{alias} is not an ISO 3166-1 country code; use {instead} for {name}")]
    Alias {
        alias: &'static str,
        instead: &'static str,
        name: &'static str,
    },
}

/// Codes that look like countries, are widely used, and are reserved by ISO
/// rather than assigned: accepting them would split one country's data in two.
const ALIASES: [(&str, &str, &str); 2] =
    [("EL", "GR", "Greece"), ("UK", "GB", "the United Kingdom")];

impl CountryCode {
    /// Parses a code in any letter case, ignoring surrounding whitespace.
    pub fn parse(raw: &str) -> Result<Self, CountryError> {
        let s = raw.trim().as_bytes();
        let [a, b] = s else {
            return Err(CountryError::Shape);
        };
        if !a.is_ascii_alphabetic() || !b.is_ascii_alphabetic() {
            return Err(CountryError::Shape);
        }
        let code = Self([a.to_ascii_uppercase(), b.to_ascii_uppercase()]);
        if Self::ALL.binary_search(&code).is_ok() {
            return Ok(code);
        }
        let upper = code.as_str();
        match ALIASES.iter().find(|(alias, _, _)| *alias == upper) {
            Some(&(alias, instead, name)) => Err(CountryError::Alias {
                alias,
                instead,
                name,
            }),
            None => Err(CountryError::Unknown(upper.to_owned())),
        }
    }

    /// The two upper-case letters, e.g. `"DE"`.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction, so this never falls
        // back; the fallback only exists to avoid a panic path.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Whether the country is one of the 27 member states of the European
    /// Union (as of 2026), which matters for intra-EU VAT rules.
    pub fn is_eu_member(&self) -> bool {
        Self::EU_MEMBERS.binary_search(self).is_ok()
    }

    /// The 27 EU member states as of 2026, sorted by code. Greece is `GR`
    /// here even though its VAT numbers use the prefix `EL`.
    pub const EU_MEMBERS: [CountryCode; 27] = [
        Self::AT,
        Self::BE,
        Self::BG,
        Self::CY,
        Self::CZ,
        Self::DE,
        Self::DK,
        Self::EE,
        Self::ES,
        Self::FI,
        Self::FR,
        Self::GR,
        Self::HR,
        Self::HU,
        Self::IE,
        Self::IT,
        Self::LT,
        Self::LU,
        Self::LV,
        Self::MT,
        Self::NL,
        Self::PL,
        Self::PT,
        Self::RO,
        Self::SE,
        Self::SI,
        Self::SK,
    ];

    /// Builds a code from a two-letter identifier in the table below; only
    /// used in const context, where the table is known to be well-formed.
    const fn from_table(code: &str) -> Self {
        let b = code.as_bytes();
        Self([b[0], b[1]])
    }
}

/// Declares one associated constant per code plus the sorted `ALL` table
/// from a single list, so the two can never disagree.
macro_rules! assigned_codes {
    ($($code:ident),* $(,)?) => {
        impl CountryCode {
            $(
                #[doc = concat!("ISO 3166-1 alpha-2 code `", stringify!($code), "`.")]
                pub const $code: CountryCode = CountryCode::from_table(stringify!($code));
            )*

            /// All 249 officially assigned ISO 3166-1 alpha-2 codes, sorted,
            /// so that `parse` can binary-search them.
            pub const ALL: [CountryCode; 249] = [$(CountryCode::$code),*];
        }
    };
}

// Keep sorted: `parse` binary-searches this list (a test checks the order).
assigned_codes![
    AD, AE, AF, AG, AI, AL, AM, AO, AQ, AR, AS, AT, AU, AW, AX, AZ, BA, BB, BD, BE, BF, BG, BH, BI,
    BJ, BL, BM, BN, BO, BQ, BR, BS, BT, BV, BW, BY, BZ, CA, CC, CD, CF, CG, CH, CI, CK, CL, CM, CN,
    CO, CR, CU, CV, CW, CX, CY, CZ, DE, DJ, DK, DM, DO, DZ, EC, EE, EG, EH, ER, ES, ET, FI, FJ, FK,
    FM, FO, FR, GA, GB, GD, GE, GF, GG, GH, GI, GL, GM, GN, GP, GQ, GR, GS, GT, GU, GW, GY, HK, HM,
    HN, HR, HT, HU, ID, IE, IL, IM, IN, IO, IQ, IR, IS, IT, JE, JM, JO, JP, KE, KG, KH, KI, KM, KN,
    KP, KR, KW, KY, KZ, LA, LB, LC, LI, LK, LR, LS, LT, LU, LV, LY, MA, MC, MD, ME, MF, MG, MH, MK,
    ML, MM, MN, MO, MP, MQ, MR, MS, MT, MU, MV, MW, MX, MY, MZ, NA, NC, NE, NF, NG, NI, NL, NO, NP,
    NR, NU, NZ, OM, PA, PE, PF, PG, PH, PK, PL, PM, PN, PR, PS, PT, PW, PY, QA, RE, RO, RS, RU, RW,
    SA, SB, SC, SD, SE, SG, SH, SI, SJ, SK, SL, SM, SN, SO, SR, SS, ST, SV, SX, SY, SZ, TC, TD, TF,
    TG, TH, TJ, TK, TL, TM, TN, TO, TR, TT, TV, TW, TZ, UA, UG, UM, US, UY, UZ, VA, VC, VE, VG, VI,
    VN, VU, WF, WS, YE, YT, ZA, ZM, ZW,
];

impl FromStr for CountryCode {
    type Err = CountryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = CountryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> Self {
        c.as_str().to_owned()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        assert!(CountryCode::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(CountryCode::EU_MEMBERS.windows(2).all(|w| w[0] < w[1]));
        for c in CountryCode::ALL {
            assert!(c.0.iter().all(u8::is_ascii_uppercase), "{c:?}");
            assert_eq!(CountryCode::parse(c.as_str()), Ok(c));
        }
        for c in CountryCode::EU_MEMBERS {
            assert!(CountryCode::ALL.contains(&c), "{c}");
        }
    }

    #[test]
    fn accepts_any_case_and_surrounding_whitespace() {
        assert_eq!(CountryCode::parse(" de\n"), Ok(CountryCode::DE));
        assert_eq!(CountryCode::parse("Cn"), Ok(CountryCode::CN));
        assert_eq!(CountryCode::parse("gB").unwrap().as_str(), "GB");
        assert_eq!("ch".parse::<CountryCode>(), Ok(CountryCode::CH));
    }

    #[test]
    fn rejects_wrong_shape() {
        for bad in ["", "  ", "D", "DEU", "D1", "12", "D E", "Ä1", "ÄÖ", "de-"] {
            assert_eq!(CountryCode::parse(bad), Err(CountryError::Shape), "{bad:?}");
        }
    }

    #[test]
    fn rejects_unassigned_codes() {
        for bad in ["XX", "zz", "XK", "EU", "QZ", "AA", "YU", "CS", "AN"] {
            let err = CountryCode::parse(bad).unwrap_err();
            assert!(matches!(err, CountryError::Unknown(_)), "{bad:?}");
        }
        assert_eq!(
            CountryCode::parse("xx").unwrap_err().to_string(),
            "XX is not an ISO 3166-1 country code"
        );
    }

    #[test]
    fn common_aliases_point_to_the_real_code() {
        let uk = CountryCode::parse("uk").unwrap_err().to_string();
        assert!(uk.contains("use GB for the United Kingdom"), "{uk}");
        let el = CountryCode::parse("EL").unwrap_err().to_string();
        assert!(el.contains("use GR for Greece"), "{el}");
    }

    #[test]
    fn eu_membership() {
        assert_eq!(
            CountryCode::ALL.iter().filter(|c| c.is_eu_member()).count(),
            27
        );
        for eu in ["DE", "FR", "GR", "HR", "CY", "IE", "SE"] {
            assert!(CountryCode::parse(eu).unwrap().is_eu_member(), "{eu}");
        }
        for non in ["GB", "CH", "NO", "CN", "IS", "LI", "TR", "US"] {
            assert!(!CountryCode::parse(non).unwrap().is_eu_member(), "{non}");
        }
    }

    #[test]
    fn displays_and_serialises_as_the_two_letters() {
        assert_eq!(CountryCode::NL.to_string(), "NL");
        assert_eq!(serde_json::to_string(&CountryCode::NL).unwrap(), "\"NL\"");
        let back: CountryCode = serde_json::from_str("\" nl \"").unwrap();
        assert_eq!(back, CountryCode::NL);
        assert!(serde_json::from_str::<CountryCode>("\"UK\"").is_err());
    }
}
