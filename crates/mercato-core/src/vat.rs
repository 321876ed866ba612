//! VAT and tax registration numbers, checked against the issuing country's
//! published format (VIES for the EU) before they reach invoices.

use crate::country::CountryCode;
use serde::{Serialize, Serializer};
use std::fmt;

/// A VAT / tax registration number that has the shape (and, where the
/// country publishes a simple one, the check digit) required by the issuing
/// country.
///
/// Formats are checked for the 27 EU member states (VIES formats), the United
/// Kingdom, Switzerland, Norway and China (the 18-character Unified Social
/// Credit Code). For every other country the format is unknown to us and such
/// numbers are **not rejected**: any 2 to 20 letters and digits are accepted.
///
/// A valid format does not prove the number is registered; only a lookup
/// with the tax authority (VIES, HMRC, …) can do that.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VatNumber {
    country: CountryCode,
    /// The national part: normalised, without the country prefix.
    number: String,
}

/// Why a string is not a VAT number of the given country.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("VAT number is empty")]
    Empty,
    #[error("{country} VAT numbers are {expected}")]
    Format {
        country: CountryCode,
        /// Completes the sentence "DE VAT numbers are …".
        expected: &'static str,
    },
    #[error("the check digit of this {country} VAT number is wrong; check for a typing error")]
    CheckDigit { country: CountryCode },
    #[error("this number starts with {prefix} but the company is in {country}")]
    WrongCountryPrefix {
        country: CountryCode,
        prefix: String,
    },
}

impl VatNumber {
    /// Parses the VAT number of a company registered in `country`.
    ///
    /// Spaces, dots, dashes and slashes are removed and letters upper-cased,
    /// so `de 136.695.976` is accepted. The country prefix is optional (`EL`
    /// for Greece, which may also be written `GR`; `GB` or `XI` for the United
    /// Kingdom, both stored as `GB`; `CHE` for Switzerland, whose trailing
    /// `MWST`/`TVA`/`IVA` is dropped, as is Norway's trailing `MVA`). Chinese
    /// credit codes have no prefix.
    ///
    /// An unprefixed number that starts with another country's prefix is
    /// reported as [`VatError::WrongCountryPrefix`] rather than as a format
    /// error, because picking the wrong company country is the likelier
    /// mistake. A leading own prefix is always stripped, so a French number
    /// whose two-letter key is a country code (or `FR` itself) must be
    /// written with its `FR` prefix; "FR" plus a bare 9-digit SIREN is
    /// rejected rather than read as key "FR".
    pub fn parse(country: CountryCode, raw: &str) -> Result<Self, VatError> {
        let mut s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if s.is_empty() {
            return Err(VatError::Empty);
        }
        if let Some(rest) = suffixes(country)
            .iter()
            .find_map(|suffix| s.strip_suffix(suffix))
        {
            s = rest.to_owned();
        }
        let rule = rule(country);
        let number = match own_prefixes(&country)
            .into_iter()
            .find_map(|p| s.strip_prefix(p))
        {
            Some(rest) => national(country, rule.as_ref(), rest),
            None => {
                if let Some(prefix) = rule.as_ref().and_then(|r| foreign_prefix(country, r, &s)) {
                    return Err(VatError::WrongCountryPrefix { country, prefix });
                }
                national(country, rule.as_ref(), &s)
            }
        }?;
        Ok(Self { country, number })
    }

    /// The country that issued the number.
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// The national part without the country prefix, e.g. `136695976`.
    pub fn national(&self) -> &str {
        &self.number
    }

    /// The canonical form with prefix, e.g. `DE136695976`, `EL094259216`,
    /// `CHE116281710`; Chinese credit codes are just their 18 characters.
    pub fn as_string(&self) -> String {
        self.to_string()
    }

    /// The prefix of the canonical form. Other than the ISO code for
    /// countries with unknown formats it follows EN 16931, which asks for an
    /// ISO 3166-1 prefix on every VAT identifier.
    fn prefix(&self) -> &str {
        match self.country {
            CountryCode::GR => "EL",
            CountryCode::CH => "CHE",
            CountryCode::CN => "",
            _ => self.country.as_str(),
        }
    }
}

impl fmt::Display for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())?;
        f.write_str(&self.number)
    }
}

/// Serialised as the canonical string. There is no `Deserialize`: the
/// country is stored separately and must be known to parse.
impl Serialize for VatNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The shape of one country's national number (without prefix).
struct Rule {
    /// Accepted shapes, one character per character of the number:
    /// `d` digit, `l` letter, `x` letter or digit, `k` French key character
    /// (digit or letter other than O and I), `s` the second character of an
    /// old Irish number (letter, `+` or `*`), `c` a character of the Chinese
    /// credit-code alphabet; anything else (upper case, digits) is literal.
    patterns: &'static [&'static str],
    /// Completes "XX VAT numbers are …".
    expected: &'static str,
    /// Run once a pattern matched, so it may index freely.
    check: Option<fn(&[u8]) -> bool>,
}

const GENERIC_EXPECTED: &str = "2 to 20 letters and digits";

const fn shape(patterns: &'static [&'static str], expected: &'static str) -> Rule {
    Rule {
        patterns,
        expected,
        check: None,
    }
}

const fn checked(
    patterns: &'static [&'static str],
    expected: &'static str,
    check: fn(&[u8]) -> bool,
) -> Rule {
    Rule {
        patterns,
        expected,
        check: Some(check),
    }
}

/// The known national formats; `None` means "unknown, accept loosely".
fn rule(country: CountryCode) -> Option<Rule> {
    const D8: &[&str] = &["dddddddd"];
    const D9: &[&str] = &["ddddddddd"];
    const D10: &[&str] = &["dddddddddd"];
    const D11: &[&str] = &["ddddddddddd"];
    Some(match country {
        CountryCode::AT => shape(&["Udddddddd"], "ATU followed by 8 digits"),
        CountryCode::BE => checked(
            &["0ddddddddd", "1ddddddddd"],
            "BE followed by 10 digits starting with 0 or 1",
            belgium,
        ),
        CountryCode::BG => shape(
            &["ddddddddd", "dddddddddd"],
            "BG followed by 9 or 10 digits",
        ),
        CountryCode::CY => shape(&["ddddddddl"], "CY followed by 8 digits and a letter"),
        CountryCode::CZ => shape(
            &["dddddddd", "ddddddddd", "dddddddddd"],
            "CZ followed by 8 to 10 digits",
        ),
        CountryCode::DE => checked(D9, "DE followed by 9 digits", germany),
        CountryCode::DK => shape(D8, "DK followed by 8 digits"),
        CountryCode::EE => shape(D9, "EE followed by 9 digits"),
        CountryCode::GR => shape(D9, "EL followed by 9 digits"),
        CountryCode::ES => shape(
            &["xdddddddx"],
            "ES followed by a letter or digit, 7 digits and a letter or digit",
        ),
        CountryCode::FI => shape(D8, "FI followed by 8 digits"),
        CountryCode::FR => shape(
            &["kkddddddddd"],
            "FR followed by a two-character key (digits, or letters other than O and I) and 9 digits",
        ),
        CountryCode::HR => shape(D11, "HR followed by 11 digits"),
        CountryCode::HU => shape(D8, "HU followed by 8 digits"),
        CountryCode::IE => shape(
            &["dddddddl", "dddddddll", "dsdddddl"],
            "IE followed by 7 digits and one or two letters, or by a digit, a letter, 5 digits and a letter",
        ),
        CountryCode::IT => checked(D11, "IT followed by 11 digits", luhn),
        CountryCode::LT => shape(
            &["ddddddddd", "dddddddddddd"],
            "LT followed by 9 or 12 digits",
        ),
        CountryCode::LU => shape(D8, "LU followed by 8 digits"),
        CountryCode::LV => shape(D11, "LV followed by 11 digits"),
        CountryCode::MT => shape(D8, "MT followed by 8 digits"),
        CountryCode::NL => checked(
            &["dddddddddBdd"],
            "NL followed by 9 digits, the letter B and 2 digits",
            netherlands,
        ),
        CountryCode::PL => checked(D10, "PL followed by 10 digits", poland),
        CountryCode::PT => shape(D9, "PT followed by 9 digits"),
        CountryCode::RO => shape(
            &[
                "dd",
                "ddd",
                "dddd",
                "ddddd",
                "dddddd",
                "ddddddd",
                "dddddddd",
                "ddddddddd",
                "dddddddddd",
            ],
            "RO followed by 2 to 10 digits",
        ),
        CountryCode::SE => shape(&["dddddddddd01"], "SE followed by 12 digits ending in 01"),
        CountryCode::SI => shape(D8, "SI followed by 8 digits"),
        CountryCode::SK => shape(D10, "SK followed by 10 digits"),
        CountryCode::GB => shape(
            &["ddddddddd", "dddddddddddd", "GDddd", "HAddd"],
            "GB followed by 9 or 12 digits, or by GD or HA and 3 digits",
        ),
        CountryCode::CH => shape(D9, "CHE followed by 9 digits"),
        CountryCode::NO => shape(D9, "NO followed by 9 digits"),
        CountryCode::CN => checked(
            &["cccccccccccccccccc"],
            "18-character Unified Social Credit Codes of digits and capital letters other than I, O, S, V and Z",
            china,
        ),
        _ => return None,
    })
}

/// Prefixes a number may carry for this country; the first is canonical
/// except for the United Kingdom, where `XI` (Northern Ireland) is folded
/// into `GB` to keep one identity per company.
fn own_prefixes(country: &CountryCode) -> Vec<&str> {
    match *country {
        CountryCode::GR => vec!["EL", "GR"],
        CountryCode::GB => vec!["GB", "XI"],
        CountryCode::CH => vec!["CHE"],
        CountryCode::CN => vec![],
        _ => vec![country.as_str()],
    }
}

/// Trailing words that say "VAT-registered" and are not part of the number.
fn suffixes(country: CountryCode) -> &'static [&'static str] {
    match country {
        CountryCode::CH => &["MWST", "TVA", "IVA"],
        CountryCode::NO => &["MVA"],
        _ => &[],
    }
}

/// The other country's prefix an unprefixed number starts with, if any.
/// Letters the national format itself starts with (British `GD`/`HA`) and
/// the company's own ISO code are not foreign.
fn foreign_prefix(country: CountryCode, rule: &Rule, s: &str) -> Option<String> {
    let head = s.get(..2)?;
    if !head.bytes().all(|b| b.is_ascii_uppercase())
        || head == country.as_str()
        || rule.patterns.iter().any(|p| p.starts_with(head))
    {
        return None;
    }
    let known = matches!(head, "EL" | "XI") || CountryCode::parse(head).is_ok();
    known.then(|| head.to_owned())
}

/// Validates the national part and returns it in stored form.
fn national(country: CountryCode, rule: Option<&Rule>, s: &str) -> Result<String, VatError> {
    let Some(rule) = rule else {
        return if (2..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(s.to_owned())
        } else {
            Err(VatError::Format {
                country,
                expected: GENERIC_EXPECTED,
            })
        };
    };
    // Belgian numbers gained a leading 0 in 2007; old 9-digit ones are still
    // printed on letterheads and mean the same number.
    let s = if country == CountryCode::BE && s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{s}")
    } else {
        s.to_owned()
    };
    if !rule.patterns.iter().any(|p| fits(s.as_bytes(), p)) {
        return Err(VatError::Format {
            country,
            expected: rule.expected,
        });
    }
    if let Some(check) = rule.check
        && !check(s.as_bytes())
    {
        return Err(VatError::CheckDigit { country });
    }
    Ok(s)
}

/// Whether `s` has the shape `pattern` describes (see [`Rule::patterns`]).
fn fits(s: &[u8], pattern: &str) -> bool {
    s.len() == pattern.len()
        && s.iter().zip(pattern.bytes()).all(|(&c, p)| match p {
            b'd' => c.is_ascii_digit(),
            b'l' => c.is_ascii_uppercase(),
            b'x' => c.is_ascii_digit() || c.is_ascii_uppercase(),
            b'k' => (c.is_ascii_digit() || c.is_ascii_uppercase()) && c != b'O' && c != b'I',
            b's' => c.is_ascii_uppercase() || c == b'+' || c == b'*',
            b'c' => USCC_ALPHABET.contains(&c),
            literal => c == literal,
        })
}

/// Digits as 0–9 and letters as 10–35 (the ISO 7064 convention).
fn value(c: u8) -> u32 {
    char::from(c).to_digit(36).unwrap_or(0)
}

/// ISO 7064 MOD 11,10 over the first 8 digits (Germany).
fn germany(n: &[u8]) -> bool {
    let mut product = 10;
    for &c in &n[..8] {
        let mut sum = (value(c) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    (11 - product) % 10 == value(n[8])
}

/// Luhn over all 11 digits (Italy's partita IVA).
fn luhn(n: &[u8]) -> bool {
    let sum: u32 = n
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let d = value(c);
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The Netherlands has two schemes in use: the classic 11-test on the 9
/// digits (companies) and, since 2020, ISO 7064 MOD 97-10 over "NL" plus the
/// whole number (sole traders). Either one passing is enough.
fn netherlands(n: &[u8]) -> bool {
    let weighted: i64 = n[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&c, w)| i64::from(value(c)) * w)
        .sum();
    let eleven_test = (weighted - i64::from(value(n[8]))) % 11 == 0;
    let mod_97 = b"NL".iter().chain(n).fold(0, |acc, &c| {
        let v = value(c);
        let shift = if v >= 10 { 100 } else { 10 };
        (acc * shift + v) % 97
    }) == 1;
    eleven_test || mod_97
}

/// Weighted sum mod 11 of the first 9 digits (Poland's NIP); a remainder of
/// 10 is never issued.
fn poland(n: &[u8]) -> bool {
    const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
    let sum: u32 = n.iter().zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    let rest = sum % 11;
    rest != 10 && rest == value(n[9])
}

/// The last two digits are 97 minus the first eight mod 97 (Belgium).
fn belgium(n: &[u8]) -> bool {
    let first = n[..8].iter().fold(0, |acc, &c| acc * 10 + value(c));
    let check = n[8..].iter().fold(0, |acc, &c| acc * 10 + value(c));
    97 - first % 97 == check
}

/// The 31 characters of GB 32100-2015 credit codes (no I, O, S, V, Z).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015: the 18th character checks the first 17 (China).
fn china(n: &[u8]) -> bool {
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let position = |c: u8| USCC_ALPHABET.iter().position(|&a| a == c).unwrap_or(0);
    let sum: usize = n.iter().zip(WEIGHTS).map(|(&c, w)| position(c) * w).sum();
    let check = (31 - sum % 31) % 31;
    USCC_ALPHABET.get(check) == n.get(17)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(code: &str) -> CountryCode {
        CountryCode::parse(code).unwrap()
    }

    fn vat(country: &str, raw: &str) -> Result<VatNumber, VatError> {
        VatNumber::parse(c(country), raw)
    }

    #[test]
    fn accepts_valid_numbers_of_every_implemented_country() {
        // (company country, input, canonical form)
        let cases = [
            ("AT", "ATU13585627", "ATU13585627"),
            ("BE", "BE0403019261", "BE0403019261"),
            ("BG", "BG175074752", "BG175074752"),
            ("BG", "BG1750747521", "BG1750747521"),
            ("CY", "CY10259033P", "CY10259033P"),
            ("CZ", "CZ25123891", "CZ25123891"),
            ("CZ", "CZ7103192745", "CZ7103192745"),
            ("DE", "DE136695976", "DE136695976"),
            ("DK", "DK13585628", "DK13585628"),
            ("EE", "EE100931558", "EE100931558"),
            ("GR", "EL094259216", "EL094259216"),
            ("GR", "GR094259216", "EL094259216"),
            ("ES", "ESA28015865", "ESA28015865"),
            ("ES", "ESX1234567L", "ESX1234567L"),
            ("ES", "ES12345678Z", "ES12345678Z"),
            ("FI", "FI20774740", "FI20774740"),
            ("FR", "FR40303265045", "FR40303265045"),
            ("FR", "FRAB303265045", "FRAB303265045"),
            ("HR", "HR33392005961", "HR33392005961"),
            ("HU", "HU12892312", "HU12892312"),
            ("IE", "IE6388047V", "IE6388047V"),
            ("IE", "IE3628739UA", "IE3628739UA"),
            ("IE", "IE8Z49289F", "IE8Z49289F"),
            ("IE", "IE7+12345J", "IE7+12345J"),
            ("IT", "IT00743110157", "IT00743110157"),
            ("LT", "LT119511515", "LT119511515"),
            ("LT", "LT100001919017", "LT100001919017"),
            ("LU", "LU15027442", "LU15027442"),
            ("LV", "LV40003521600", "LV40003521600"),
            ("MT", "MT15121333", "MT15121333"),
            ("NL", "NL004495445B01", "NL004495445B01"),
            ("NL", "NL000099998B57", "NL000099998B57"),
            ("PL", "PL5260001246", "PL5260001246"),
            ("PT", "PT501964843", "PT501964843"),
            ("RO", "RO18547290", "RO18547290"),
            ("RO", "RO12", "RO12"),
            ("SE", "SE556188840401", "SE556188840401"),
            ("SI", "SI50223054", "SI50223054"),
            ("SK", "SK2022749619", "SK2022749619"),
            ("GB", "GB 980780684", "GB980780684"),
            ("GB", "GB980780684001", "GB980780684001"),
            ("GB", "GBGD001", "GBGD001"),
            ("GB", "HA500", "GBHA500"),
            ("GB", "XI980780684", "GB980780684"),
            ("CH", "CHE-116.281.710 MWST", "CHE116281710"),
            ("CH", "CHE116281710 TVA", "CHE116281710"),
            ("CH", "116281710", "CHE116281710"),
            ("NO", "NO 923 609 016 MVA", "NO923609016"),
            ("NO", "923609016", "NO923609016"),
            ("CN", "91350100M000100Y43", "91350100M000100Y43"),
        ];
        for (country, raw, canonical) in cases {
            let v = vat(country, raw).unwrap_or_else(|e| panic!("{country} {raw}: {e}"));
            assert_eq!(v.as_string(), canonical, "{country} {raw}");
            assert_eq!(v.country(), c(country));
            assert_eq!(vat(country, canonical), Ok(v.clone()), "{canonical}");
        }
    }

    #[test]
    fn national_part_has_no_prefix() {
        assert_eq!(vat("DE", "DE136695976").unwrap().national(), "136695976");
        assert_eq!(vat("AT", "ATU13585627").unwrap().national(), "U13585627");
        assert_eq!(vat("GR", "EL094259216").unwrap().national(), "094259216");
        assert_eq!(vat("CH", "CHE116281710").unwrap().national(), "116281710");
        let cn = vat("CN", "91350100M000100Y43").unwrap();
        assert_eq!(cn.national(), "91350100M000100Y43");
        assert_eq!(cn.to_string(), "91350100M000100Y43");
    }

    #[test]
    fn rejects_wrong_check_digits() {
        for (country, raw) in [
            ("DE", "DE136695977"),
            ("IT", "IT00743110158"),
            ("NL", "NL004495446B01"),
            ("NL", "NL000099998B58"),
            ("PL", "PL5260001247"),
            ("BE", "BE0403019262"),
            ("CN", "91350100M000100Y44"),
        ] {
            let err = vat(country, raw).unwrap_err();
            assert_eq!(
                err,
                VatError::CheckDigit {
                    country: c(country)
                },
                "{raw}"
            );
        }
        assert_eq!(
            vat("DE", "136695977").unwrap_err().to_string(),
            "the check digit of this DE VAT number is wrong; check for a typing error"
        );
        // Weighted sum 10 mod 11 is never issued as a Polish number.
        assert_eq!(
            vat("PL", "0200000000"),
            Err(VatError::CheckDigit { country: c("PL") })
        );
    }

    #[test]
    fn rejects_wrong_formats() {
        for (country, raw) in [
            ("AT", "AT13585627"),
            ("BE", "BE2403019261"),
            ("CY", "CY102590331"),
            ("DE", "DE13669597"),
            ("DE", "DE1366959760"),
            ("ES", "ESA2801586AB"),
            ("FR", "FRO0303265045"),
            ("FR", "FR4030326504"),
            ("FR", "FR303265045"),
            ("IE", "IE1+23456"),
            ("IE", "IE12345678"),
            ("NL", "NL004495445C01"),
            ("SE", "SE556188840402"),
            ("RO", "RO1"),
            ("RO", "RO12345678901"),
            ("GB", "GBGD0001"),
            ("GB", "GBHB500"),
            ("CH", "CH116281710"),
            ("CN", "91350100M000100Y4"),
            ("CN", "91350100O000100Y43"),
            ("DE", "DE"),
            ("DE", "DE13669597#"),
            ("DE", "DE１３６６９５９７６"),
        ] {
            let err = vat(country, raw).unwrap_err();
            assert!(matches!(err, VatError::Format { .. }), "{raw}: {err:?}");
        }
        assert_eq!(
            vat("DE", "12345").unwrap_err().to_string(),
            "DE VAT numbers are DE followed by 9 digits"
        );
    }

    #[test]
    fn normalises_separators_and_case() {
        for raw in [
            " de 136.695.976 ",
            "DE-136-695-976",
            "de/136695976",
            "136 695 976",
        ] {
            assert_eq!(vat("DE", raw).unwrap().as_string(), "DE136695976", "{raw}");
        }
        assert_eq!(
            vat("NL", "nl 0044.95.445.b01").unwrap().as_string(),
            "NL004495445B01"
        );
        assert_eq!(vat("ES", "esa-28015865").unwrap().national(), "A28015865");
        // Old 9-digit Belgian numbers gained a leading zero.
        assert_eq!(
            vat("BE", "BE 403.019.261").unwrap().as_string(),
            "BE0403019261"
        );
    }

    #[test]
    fn empty_after_normalisation() {
        for raw in ["", "   ", " - . / "] {
            assert_eq!(vat("DE", raw), Err(VatError::Empty), "{raw:?}");
        }
    }

    #[test]
    fn reports_another_countrys_prefix() {
        assert_eq!(
            vat("DE", "FR40303265045").unwrap_err().to_string(),
            "this number starts with FR but the company is in DE"
        );
        for (country, raw, prefix) in [
            ("DE", "EL094259216", "EL"),
            ("GR", "DE136695976", "DE"),
            ("IT", "xi980780684", "XI"),
            ("CN", "DE136695976", "DE"),
            ("FR", "DE123456789", "DE"),
            ("CH", "NO923609016", "NO"),
        ] {
            assert_eq!(
                vat(country, raw),
                Err(VatError::WrongCountryPrefix {
                    country: c(country),
                    prefix: prefix.to_owned()
                }),
                "{country} {raw}"
            );
        }
        // The same letters after the French prefix are the key, not a country.
        assert_eq!(
            vat("FR", "FRDE123456789").unwrap().national(),
            "DE123456789"
        );
    }

    #[test]
    fn unknown_formats_are_accepted_loosely() {
        assert_eq!(vat("US", "12-3456789").unwrap().as_string(), "US123456789");
        assert_eq!(vat("US", "US123456789").unwrap().national(), "123456789");
        assert_eq!(
            vat("JP", "T1234567890123").unwrap().national(),
            "T1234567890123"
        );
        // Another country's letters are not flagged where we know no format.
        assert!(vat("BR", "DE136695976").is_ok());
        for bad in ["1", "US", "123456789012345678901", "12#45", "1234ä"] {
            let err = vat("US", bad).unwrap_err();
            assert!(matches!(err, VatError::Format { .. }), "{bad}: {err:?}");
        }
        assert_eq!(
            vat("US", "1").unwrap_err().to_string(),
            "US VAT numbers are 2 to 20 letters and digits"
        );
    }

    #[test]
    fn serialises_as_the_canonical_string() {
        let v = vat("GR", "gr 094 259 216").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"EL094259216\"");
    }

    fn any_country() -> impl Strategy<Value = CountryCode> {
        prop::sample::select(CountryCode::ALL.to_vec())
    }

    fn implemented_country() -> impl Strategy<Value = CountryCode> {
        let known: Vec<CountryCode> = CountryCode::ALL
            .into_iter()
            .filter(|c| rule(*c).is_some())
            .collect();
        prop::sample::select(known)
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_canonical_form_round_trips(
            country in any_country(),
            raw in any::<String>(),
        ) {
            if let Ok(v) = VatNumber::parse(country, &raw) {
                prop_assert_eq!(VatNumber::parse(country, &v.as_string()), Ok(v));
            }
        }

        #[test]
        fn numbers_built_from_the_patterns_parse_and_round_trip(
            (country, body) in pattern_filled(),
            prefixed in any::<bool>(),
            lower in any::<bool>(),
        ) {
            let prefix = if prefixed { own_prefixes(&country).first().copied().unwrap_or("") } else { "" };
            let raw = format!("{prefix} {body}");
            let raw = if lower { raw.to_lowercase() } else { raw };
            let result = VatNumber::parse(country, &raw);
            if prefixed {
                // The shape is right by construction, so only a check digit
                // (or, for prefix-less CN, letters that look like a prefix)
                // may fail.
                prop_assert!(
                    !matches!(result, Err(VatError::Format { .. } | VatError::Empty)),
                    "{} {:?}: {:?}", country, raw, result
                );
            }
            if let Ok(v) = result {
                prop_assert_eq!(v.country(), country);
                if prefixed {
                    prop_assert_eq!(v.national(), body.as_str());
                }
                prop_assert_eq!(VatNumber::parse(country, &v.as_string()), Ok(v.clone()));
                prop_assert_eq!(VatNumber::parse(country, &v.as_string().to_lowercase()), Ok(v));
            }
        }
    }

    /// A country with a known format and a national number of one of its
    /// shapes, filled with random characters of the right classes.
    fn pattern_filled() -> impl Strategy<Value = (CountryCode, String)> {
        (
            implemented_country(),
            any::<prop::sample::Index>(),
            prop::collection::vec(any::<prop::sample::Index>(), 18),
        )
            .prop_map(|(country, pick, fills)| {
                let patterns = rule(country).map(|r| r.patterns).unwrap_or(&[]);
                let pattern = patterns[pick.index(patterns.len())];
                let body = pattern
                    .bytes()
                    .zip(&fills)
                    .map(|(p, i)| {
                        let class: &[u8] = match p {
                            b'd' => b"0123456789",
                            b'l' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                            b'x' => b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                            b'k' => b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ",
                            b's' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ+*",
                            b'c' => USCC_ALPHABET,
                            literal => return char::from(literal),
                        };
                        char::from(class[i.index(class.len())])
                    })
                    .collect();
                (country, body)
            })
    }
}
