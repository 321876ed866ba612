//! Typed product attributes: defined once (text, number with a unit, enum
//! with localised options, boolean), assigned per category, valued per
//! variant. Numbers stay numbers (in the attribute's unit) so that range
//! filters and comparisons work; a value given in another unit of the same
//! dimension ("1.2 cm" for a length in mm) is converted.

use crate::locale::LocalizedText;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A code naming an attribute: `thread_size`, `length`, `voltage`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AttrCode(String);

impl AttrCode {
    /// `[a-z][a-z0-9_]{0,47}`.
    pub fn parse(raw: &str) -> Result<Self, AttributeError> {
        let s = raw.trim();
        let ok = !s.is_empty()
            && s.len() <= 48
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(AttributeError::BadCode(raw.to_string()))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AttrCode {
    type Error = AttributeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AttrCode> for String {
    fn from(c: AttrCode) -> Self {
        c.0
    }
}

/// A physical quantity a unit measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Length,
    Mass,
    Voltage,
    Current,
    Power,
    Pressure,
    Torque,
    Temperature,
    Area,
    Volume,
    Frequency,
    Speed,
    Count,
}

/// A unit of measure: its code, dimension and factor to the dimension's
/// base unit (mm, g, V, A, W, bar, N·m, °C, mm², ml, Hz, rpm, pieces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeasureUnit {
    pub code: &'static str,
    pub dimension: Dimension,
    factor: Decimal,
}

macro_rules! units {
    ($($code:literal $dim:ident $mant:literal e $scale:literal),* $(,)?) => {
        /// Every unit Mercato knows.
        pub const UNITS: &[MeasureUnit] = &[$(MeasureUnit { code: $code, dimension: Dimension::$dim, factor: Decimal::from_parts($mant, 0, 0, false, $scale) }),*];
    };
}

units! {
    "mm" Length 1 e 0, "cm" Length 10 e 0, "m" Length 1000 e 0, "µm" Length 1 e 3, "in" Length 254 e 1,
    "g" Mass 1 e 0, "kg" Mass 1000 e 0, "t" Mass 1000000 e 0, "mg" Mass 1 e 3,
    "V" Voltage 1 e 0, "mV" Voltage 1 e 3, "kV" Voltage 1000 e 0,
    "A" Current 1 e 0, "mA" Current 1 e 3,
    "W" Power 1 e 0, "kW" Power 1000 e 0,
    "bar" Pressure 1 e 0, "MPa" Pressure 10 e 0, "kPa" Pressure 1 e 2, "psi" Pressure 689476 e 7,
    "Nm" Torque 1 e 0,
    "°C" Temperature 1 e 0,
    "mm²" Area 1 e 0,
    "ml" Volume 1 e 0, "l" Volume 1000 e 0,
    "Hz" Frequency 1 e 0, "kHz" Frequency 1000 e 0,
    "rpm" Speed 1 e 0,
    "pcs" Count 1 e 0,
}

impl MeasureUnit {
    /// Finds a unit by code; accepts common spellings (`L`, `mm2`, `degC`, `N·m`).
    pub fn find(code: &str) -> Option<MeasureUnit> {
        let c = code.trim();
        let canonical = match c {
            "L" => "l",
            "mm2" => "mm²",
            "degC" | "℃" | "C" => "°C",
            "N·m" | "N.m" | "N m" => "Nm",
            "um" => "µm",
            "pc" | "pce" | "piece" | "pieces" => "pcs",
            other => other,
        };
        UNITS.iter().copied().find(|u| u.code == canonical)
    }

    /// `value` in this unit expressed in `to`, when both measure the same thing.
    pub fn convert(self, value: Decimal, to: MeasureUnit) -> Option<Decimal> {
        if self.dimension != to.dimension {
            return None;
        }
        value
            .checked_mul(self.factor)?
            .checked_div(to.factor)
            .map(|d| d.normalize())
    }
}

/// One option of an enum attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumOption {
    pub code: String,
    pub label: LocalizedText,
}

/// What kind of values an attribute takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AttributeKind {
    Text,
    /// A number, in `unit` when it has one.
    Number {
        unit: Option<String>,
    },
    Enum {
        options: Vec<EnumOption>,
    },
    Bool,
}

/// An attribute definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub code: AttrCode,
    pub name: LocalizedText,
    pub kind: AttributeKind,
    /// Offered as a search facet.
    pub filterable: bool,
    pub position: i32,
}

/// A variant's value of one attribute. Stored tagged (`{"number": "12.5"}`)
/// so that the text "123" never comes back as a number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeValue {
    Bool(bool),
    /// A number in the attribute's unit; serialised as a decimal string.
    Number(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// Free text, or an enum option's code.
    Text(String),
}

/// Why an attribute or value was refused; worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeError {
    #[error(
        "{0:?} is not an attribute code: use lower-case letters, digits and _ (e.g. thread_size)"
    )]
    BadCode(String),
    #[error("unknown unit {0:?}")]
    UnknownUnit(String),
    #[error("{raw:?} is not a number{hint}")]
    NotANumber { raw: String, hint: String },
    #[error("{raw:?} is in {given}, which cannot be converted to {expected}")]
    WrongUnit {
        raw: String,
        given: String,
        expected: String,
    },
    #[error("{raw:?} is not one of the options: {options}")]
    NotAnOption { raw: String, options: String },
    #[error("{0:?} is not yes/no: use true or false")]
    NotABool(String),
    #[error("text is longer than 1000 characters")]
    TooLong,
}

impl AttributeDef {
    /// The unit numbers of this attribute are stored in.
    pub fn unit(&self) -> Option<MeasureUnit> {
        match &self.kind {
            AttributeKind::Number { unit: Some(u) } => MeasureUnit::find(u),
            _ => None,
        }
    }

    /// Parses what a person typed (in a spreadsheet or a form) into a value
    /// of this attribute. Numbers accept a unit suffix of the same dimension
    /// (`12.5`, `12.5 mm`, `1.25 cm`); a decimal comma is refused with a hint
    /// because `1,250` is ambiguous. Enums accept the option code or any
    /// label, case-insensitively.
    pub fn parse_value(&self, raw: &str) -> Result<AttributeValue, AttributeError> {
        let s = raw.trim();
        match &self.kind {
            AttributeKind::Text => {
                if s.chars().count() > 1000 {
                    return Err(AttributeError::TooLong);
                }
                Ok(AttributeValue::Text(s.to_string()))
            }
            AttributeKind::Bool => match s.to_lowercase().as_str() {
                "true" | "yes" | "y" | "1" | "是" | "有" => Ok(AttributeValue::Bool(true)),
                "false" | "no" | "n" | "0" | "否" | "无" => Ok(AttributeValue::Bool(false)),
                _ => Err(AttributeError::NotABool(raw.to_string())),
            },
            AttributeKind::Enum { options } => options
                .iter()
                .find(|o| {
                    o.code.eq_ignore_ascii_case(s)
                        || o.label
                            .iter()
                            .any(|(_, l)| l.eq_ignore_ascii_case(s) || l == s)
                })
                .map(|o| AttributeValue::Text(o.code.clone()))
                .ok_or_else(|| AttributeError::NotAnOption {
                    raw: raw.to_string(),
                    options: options
                        .iter()
                        .map(|o| o.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            AttributeKind::Number { .. } => self.parse_number(s, raw).map(AttributeValue::Number),
        }
    }

    fn parse_number(&self, s: &str, raw: &str) -> Result<Decimal, AttributeError> {
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
            .unwrap_or(s.len());
        let (num, unit_part) = s.split_at(split);
        let unit_part = unit_part.trim();
        let not_a_number = |hint: &str| AttributeError::NotANumber {
            raw: raw.to_string(),
            hint: hint.to_string(),
        };
        if unit_part.starts_with(',') {
            return Err(not_a_number(
                "; write decimals with a dot, e.g. 12.5 not 12,5",
            ));
        }
        let value = Decimal::from_str(num.trim()).map_err(|_| not_a_number(""))?;
        let expected = self.unit();
        if unit_part.is_empty() {
            return Ok(value.normalize());
        }
        let given = MeasureUnit::find(unit_part)
            .ok_or_else(|| AttributeError::UnknownUnit(unit_part.to_string()))?;
        match expected {
            Some(exp) => given
                .convert(value, exp)
                .ok_or_else(|| AttributeError::WrongUnit {
                    raw: raw.to_string(),
                    given: given.code.to_string(),
                    expected: exp.code.to_string(),
                }),
            None => Err(AttributeError::WrongUnit {
                raw: raw.to_string(),
                given: given.code.to_string(),
                expected: "no unit".into(),
            }),
        }
    }
}

impl AttributeValue {
    /// The value as a spreadsheet cell writes it (numbers in the attribute's unit, no suffix).
    pub fn to_cell(&self) -> String {
        match self {
            AttributeValue::Bool(b) => b.to_string(),
            AttributeValue::Number(d) => d.normalize().to_string(),
            AttributeValue::Text(t) => t.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn number(unit: &str) -> AttributeDef {
        AttributeDef {
            code: AttrCode::parse("length").unwrap(),
            name: LocalizedText::from_pairs([("en", "Length"), ("zh-CN", "长度")]).unwrap(),
            kind: AttributeKind::Number {
                unit: Some(unit.into()),
            },
            filterable: true,
            position: 0,
        }
    }

    #[test]
    fn numbers_with_units_convert_and_commas_get_a_hint() {
        let d = number("mm");
        assert_eq!(
            d.parse_value("12.5").unwrap(),
            AttributeValue::Number(dec!(12.5))
        );
        assert_eq!(
            d.parse_value("12.5 mm").unwrap(),
            AttributeValue::Number(dec!(12.5))
        );
        assert_eq!(
            d.parse_value("1.25cm").unwrap(),
            AttributeValue::Number(dec!(12.5))
        );
        assert_eq!(
            d.parse_value("1 in").unwrap(),
            AttributeValue::Number(dec!(25.4))
        );
        let err = d.parse_value("12,5 mm").unwrap_err();
        assert!(err.to_string().contains("12.5 not 12,5"), "{err}");
        assert!(matches!(
            d.parse_value("12.5 kg"),
            Err(AttributeError::WrongUnit { .. })
        ));
        assert!(matches!(
            d.parse_value("12.5 parsecs"),
            Err(AttributeError::UnknownUnit(_))
        ));
        assert!(matches!(
            d.parse_value("long"),
            Err(AttributeError::NotANumber { .. })
        ));
        assert_eq!(
            number("bar").parse_value("1 MPa").unwrap(),
            AttributeValue::Number(dec!(10))
        );
    }

    #[test]
    fn enums_match_codes_and_labels() {
        let d = AttributeDef {
            code: AttrCode::parse("material").unwrap(),
            name: LocalizedText::from_pairs([("en", "Material")]).unwrap(),
            kind: AttributeKind::Enum {
                options: vec![EnumOption {
                    code: "a2".into(),
                    label: LocalizedText::from_pairs([
                        ("en", "Stainless steel A2"),
                        ("zh-CN", "不锈钢A2"),
                    ])
                    .unwrap(),
                }],
            },
            filterable: true,
            position: 0,
        };
        assert_eq!(
            d.parse_value("A2").unwrap(),
            AttributeValue::Text("a2".into())
        );
        assert_eq!(
            d.parse_value("不锈钢A2").unwrap(),
            AttributeValue::Text("a2".into())
        );
        assert_eq!(
            d.parse_value("stainless steel a2").unwrap(),
            AttributeValue::Text("a2".into())
        );
        assert!(matches!(
            d.parse_value("brass"),
            Err(AttributeError::NotAnOption { .. })
        ));
    }

    #[test]
    fn bools_and_codes() {
        let d = AttributeDef {
            code: AttrCode::parse("rohs").unwrap(),
            name: LocalizedText::new(),
            kind: AttributeKind::Bool,
            filterable: false,
            position: 0,
        };
        assert_eq!(d.parse_value("是").unwrap(), AttributeValue::Bool(true));
        assert_eq!(d.parse_value("No").unwrap(), AttributeValue::Bool(false));
        assert!(d.parse_value("maybe").is_err());
        assert!(AttrCode::parse("Thread Size").is_err());
        assert!(AttrCode::parse("thread_size").is_ok());
        let n = serde_json::to_string(&AttributeValue::Number(dec!(12.5))).unwrap();
        assert_eq!(n, r#"{"number":"12.5"}"#);
        let t: AttributeValue = serde_json::from_str(r#"{"text":"123"}"#).unwrap();
        assert_eq!(
            t,
            AttributeValue::Text("123".into()),
            "text that looks like a number stays text"
        );
    }
}
