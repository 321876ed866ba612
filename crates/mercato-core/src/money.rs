//! Money: an exact decimal amount in an ISO 4217 currency. Never a float.
//!
//! Amounts carry up to four decimals (sub-unit prices such as 0.0125 per
//! screw are normal in B2B); anything a customer pays is rounded to the
//! currency's minor unit (2 for CNY and EUR, 0 for JPY, 3 for KWD). Storage
//! holds amounts as integers of 10⁻⁴ units, which covers every ISO exponent.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Decimals an amount may carry, and the scale of stored integers.
pub const STORAGE_SCALE: u32 = 4;

/// Why an amount or currency was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency code {0:?}; use an ISO 4217 code such as CNY or EUR")]
    UnknownCurrency(String),
    #[error("currency {0} has no minor unit and cannot be used for prices")]
    NotACurrency(String),
    #[error("{0:?} is not a decimal amount")]
    NotANumber(String),
    #[error("amount {amount} has more than {max} decimals")]
    TooPrecise { amount: Decimal, max: u32 },
    #[error("amount is too large")]
    Overflow,
    #[error("cannot combine {left} and {right}")]
    CurrencyMismatch { left: String, right: String },
    #[error("amount {amount} is not a whole number of {currency} minor units")]
    NotRounded { amount: Decimal, currency: String },
    #[error("weights must be zero or positive")]
    NegativeWeight,
    #[error("nothing to allocate over")]
    NoParts,
}

/// An ISO 4217 currency that has a minor unit.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Parses an ISO 4217 alphabetic code (`"CNY"`, case-sensitive as the
    /// standard writes it, though lower case is accepted).
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        let c = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_string()))?;
        if c.exponent().is_none() {
            return Err(MoneyError::NotACurrency(upper));
        }
        Ok(Self(c))
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Decimals of the minor unit: 2 for CNY, 0 for JPY, 3 for KWD.
    pub fn exponent(self) -> u32 {
        // `parse` refused currencies without an exponent.
        u32::from(self.0.exponent().unwrap_or(2))
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How to round to a currency's minor unit. Markets choose; half-even
/// (banker's rounding) is the default because it does not drift upwards
/// over many lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Half to even: 0.125 → 0.12, 0.135 → 0.14.
    #[default]
    HalfEven,
    /// Half away from zero, as most tax authorities (incl. China's) round.
    HalfUp,
    /// Towards zero (truncate).
    Down,
    /// Away from zero.
    Up,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// An amount in a currency. JSON: `{"amount": "12.3400", "currency": "CNY"}`
/// with the amount as a decimal string.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// An amount with at most four decimals.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let amount = amount.normalize();
        if amount.scale() > STORAGE_SCALE {
            return Err(MoneyError::TooPrecise {
                amount,
                max: STORAGE_SCALE,
            });
        }
        Ok(Self { amount, currency })
    }

    /// Parses a decimal string such as `"12.34"` (no exponent, no grouping).
    pub fn parse(amount: &str, currency: Currency) -> Result<Self, MoneyError> {
        let a = amount.trim();
        let ok_chars = !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        let d = if ok_chars {
            Decimal::from_str(a).ok()
        } else {
            None
        };
        Self::new(
            d.ok_or_else(|| MoneyError::NotANumber(amount.to_string()))?,
            currency,
        )
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// The decimal amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch {
                left: self.currency.code().into(),
                right: other.currency.code().into(),
            });
        }
        Ok(())
    }

    /// `self + other`, in one currency.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount,
            currency: self.currency,
        })
    }

    /// `self - other`, in one currency.
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount,
            currency: self.currency,
        })
    }

    /// A unit price times a quantity, rounded to the currency's minor unit:
    /// the amount a line costs.
    pub fn times(&self, quantity: Decimal, rounding: Rounding) -> Result<Money, MoneyError> {
        let raw = self
            .amount
            .checked_mul(quantity)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount: round_dp(raw, self.currency.exponent(), rounding),
            currency: self.currency,
        })
    }

    /// Rounded to the currency's minor unit.
    pub fn round(&self, rounding: Rounding) -> Money {
        Money {
            amount: round_dp(self.amount, self.currency.exponent(), rounding),
            currency: self.currency,
        }
    }

    /// Whether the amount is a whole number of minor units.
    pub fn is_rounded(&self) -> bool {
        self.amount.normalize().scale() <= self.currency.exponent()
    }

    /// The stored form: the amount in units of 10⁻⁴.
    pub fn to_storage_units(&self) -> Result<i64, MoneyError> {
        let scaled = self
            .amount
            .checked_mul(Decimal::from(10_000))
            .ok_or(MoneyError::Overflow)?;
        if !scaled.fract().is_zero() {
            return Err(MoneyError::TooPrecise {
                amount: self.amount,
                max: STORAGE_SCALE,
            });
        }
        i64::try_from(scaled).map_err(|_| MoneyError::Overflow)
    }

    /// Reads the stored form back.
    pub fn from_storage_units(units: i64, currency: Currency) -> Money {
        Money {
            amount: Decimal::new(units, STORAGE_SCALE).normalize(),
            currency,
        }
    }

    /// The amount as the API writes it: always four decimals (`"12.3400"`).
    pub fn amount_string(&self) -> String {
        let mut a = self.amount;
        a.rescale(STORAGE_SCALE);
        a.to_string()
    }
}

fn round_dp(d: Decimal, dp: u32, rounding: Rounding) -> Decimal {
    d.round_dp_with_strategy(dp, rounding.strategy())
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    /// `12.34 CNY`, with the currency's minor-unit decimals at least.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut a = self.amount;
        if a.scale() < self.currency.exponent() {
            a.rescale(self.currency.exponent());
        }
        write!(f, "{} {}", a, self.currency)
    }
}

#[derive(Serialize, Deserialize)]
struct MoneyWire {
    amount: String,
    currency: String,
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MoneyWire {
            amount: self.amount_string(),
            currency: self.currency.code().into(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = MoneyWire::deserialize(d)?;
        let c = Currency::parse(&w.currency).map_err(serde::de::Error::custom)?;
        Money::parse(&w.amount, c).map_err(serde::de::Error::custom)
    }
}

/// Splits `total` over parts in proportion to `weights`, so that every part
/// is a whole number of minor units and the parts add up to `total` exactly.
///
/// Used to spread an order discount, shipping or tax over lines. The
/// remainder left by rounding down is handed out one minor unit at a time
/// to the parts with the largest fractional share (earlier parts win ties),
/// the largest-remainder method. All-zero weights split evenly.
pub fn allocate(total: Money, weights: &[Decimal]) -> Result<Vec<Money>, MoneyError> {
    if weights.is_empty() {
        return Err(MoneyError::NoParts);
    }
    if weights.iter().any(|w| w.is_sign_negative() && !w.is_zero()) {
        return Err(MoneyError::NegativeWeight);
    }
    if !total.is_rounded() {
        return Err(MoneyError::NotRounded {
            amount: total.amount,
            currency: total.currency.code().into(),
        });
    }
    let currency = total.currency;
    let unit = Decimal::new(1, currency.exponent());
    let minor = total.amount.checked_div(unit).ok_or(MoneyError::Overflow)?;
    let negative = minor.is_sign_negative();
    let minor = minor.abs();

    let sum: Decimal = weights
        .iter()
        .try_fold(Decimal::ZERO, |acc, w| acc.checked_add(*w))
        .ok_or(MoneyError::Overflow)?;
    let even = vec![Decimal::ONE; weights.len()];
    let (weights, sum) = if sum.is_zero() {
        (&even[..], Decimal::from(weights.len()))
    } else {
        (weights, sum)
    };

    let mut base = Vec::with_capacity(weights.len());
    let mut fracs = Vec::with_capacity(weights.len());
    for w in weights {
        let exact = minor
            .checked_mul(*w)
            .and_then(|x| x.checked_div(sum))
            .ok_or(MoneyError::Overflow)?;
        let floor = exact.floor();
        base.push(floor);
        fracs.push(exact - floor);
    }
    let assigned: Decimal = base.iter().sum();
    let mut left = minor - assigned;
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort keeps the earlier part first on equal remainders.
    order.sort_by(|a, b| fracs[*b].cmp(&fracs[*a]));
    let mut idx = order.iter().cycle();
    while left > Decimal::ZERO {
        if let Some(i) = idx.next() {
            base[*i] += Decimal::ONE;
            left -= Decimal::ONE;
        }
    }
    Ok(base
        .into_iter()
        .map(|m| {
            let a = (m * unit).normalize();
            Money {
                amount: if negative { -a } else { a },
                currency,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn cur(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    #[test]
    fn iso_exponents() {
        assert_eq!(cur("CNY").exponent(), 2);
        assert_eq!(cur("EUR").exponent(), 2);
        assert_eq!(cur("JPY").exponent(), 0);
        assert_eq!(cur("KWD").exponent(), 3);
        assert_eq!(cur("cny").code(), "CNY");
        assert!(matches!(
            Currency::parse("XYZ"),
            Err(MoneyError::UnknownCurrency(_))
        ));
        assert!(matches!(
            Currency::parse("XAU"),
            Err(MoneyError::NotACurrency(_))
        ));
    }

    #[test]
    fn rounding_modes() {
        let m = |s: &str| Money::parse(s, cur("CNY")).unwrap();
        assert_eq!(m("0.125").round(Rounding::HalfEven).amount(), dec!(0.12));
        assert_eq!(m("0.135").round(Rounding::HalfEven).amount(), dec!(0.14));
        assert_eq!(m("0.125").round(Rounding::HalfUp).amount(), dec!(0.13));
        assert_eq!(m("-0.125").round(Rounding::HalfUp).amount(), dec!(-0.13));
        assert_eq!(m("0.129").round(Rounding::Down).amount(), dec!(0.12));
        assert_eq!(m("0.121").round(Rounding::Up).amount(), dec!(0.13));
        let yen = Money::parse("1234.5", cur("JPY")).unwrap();
        assert_eq!(yen.round(Rounding::HalfEven).amount(), dec!(1234));
        let kwd = Money::parse("1.2345", cur("KWD")).unwrap();
        assert_eq!(kwd.round(Rounding::HalfUp).amount(), dec!(1.235));
    }

    #[test]
    fn line_total_of_sub_unit_price() {
        let screw = Money::parse("0.1234", cur("CNY")).unwrap();
        assert_eq!(
            screw.times(dec!(7), Rounding::HalfEven).unwrap().amount(),
            dec!(0.86)
        );
    }

    #[test]
    fn refuses_bad_amounts() {
        let c = cur("CNY");
        assert!(matches!(
            Money::parse("1.23456", c),
            Err(MoneyError::TooPrecise { .. })
        ));
        for bad in ["", "abc", "1e5", "1,5", "NaN", " "] {
            assert!(
                matches!(Money::parse(bad, c), Err(MoneyError::NotANumber(_))),
                "{bad:?}"
            );
        }
        let e = Money::zero(cur("EUR"));
        assert!(matches!(
            Money::zero(c).checked_add(&e),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
    }

    #[test]
    fn json_carries_amount_as_string() {
        let m = Money::parse("12.34", cur("CNY")).unwrap();
        let j = serde_json::to_value(m).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"amount": "12.3400", "currency": "CNY"})
        );
        let back: Money = serde_json::from_value(j).unwrap();
        assert_eq!(back, m);
        assert!(
            serde_json::from_value::<Money>(
                serde_json::json!({"amount": 12.34, "currency": "CNY"})
            )
            .is_err()
        );
    }

    #[test]
    fn allocation_examples() {
        let c = cur("CNY");
        let total = Money::parse("10.00", c).unwrap();
        let parts = allocate(total, &[dec!(1), dec!(1), dec!(1)]).unwrap();
        let amounts: Vec<_> = parts.iter().map(|p| p.amount()).collect();
        assert_eq!(amounts, vec![dec!(3.34), dec!(3.33), dec!(3.33)]);
        let parts = allocate(Money::parse("-0.05", c).unwrap(), &[dec!(0), dec!(0)]).unwrap();
        let amounts: Vec<_> = parts.iter().map(|p| p.amount()).collect();
        assert_eq!(amounts, vec![dec!(-0.03), dec!(-0.02)]);
        assert!(matches!(
            allocate(Money::parse("1.001", c).unwrap(), &[dec!(1)]),
            Err(MoneyError::NotRounded { .. })
        ));
        assert!(matches!(allocate(total, &[]), Err(MoneyError::NoParts)));
        assert!(matches!(
            allocate(total, &[dec!(-1)]),
            Err(MoneyError::NegativeWeight)
        ));
    }

    fn currency_strategy() -> impl Strategy<Value = Currency> {
        prop_oneof![
            Just("CNY"),
            Just("EUR"),
            Just("JPY"),
            Just("KWD"),
            Just("USD")
        ]
        .prop_map(cur)
    }

    proptest! {
        #[test]
        fn allocation_never_loses_or_invents_a_minor_unit(
            c in currency_strategy(),
            minor in -10_000_000_000i64..10_000_000_000i64,
            weights in prop::collection::vec(0u64..1_000_000, 1..60),
        ) {
            let total = Money::new(Decimal::new(minor, c.exponent()), c).unwrap();
            let ws: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
            let parts = allocate(total, &ws).unwrap();
            prop_assert_eq!(parts.len(), ws.len());
            let sum = parts.iter().fold(Money::zero(c), |a, p| a.checked_add(p).unwrap());
            prop_assert_eq!(sum.amount(), total.amount());
            for p in &parts {
                prop_assert!(p.is_rounded());
                // Same sign as the total: a discount never turns into a surcharge on a line.
                prop_assert!(p.amount().is_zero() || p.amount().is_sign_negative() == total.amount().is_sign_negative());
            }
            // Each part is within one minor unit of its exact share.
            let wsum: Decimal = ws.iter().sum();
            if !wsum.is_zero() {
                let unit = Decimal::new(1, c.exponent());
                for (p, w) in parts.iter().zip(&ws) {
                    let exact = total.amount() * *w / wsum;
                    prop_assert!((p.amount() - exact).abs() < unit);
                }
            }
        }

        #[test]
        fn storage_units_round_trip(units in -1_000_000_000_000i64..1_000_000_000_000i64, c in currency_strategy()) {
            let m = Money::from_storage_units(units, c);
            prop_assert_eq!(m.to_storage_units().unwrap(), units);
            let json = serde_json::to_string(&m).unwrap();
            let back: Money = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, m);
        }

        #[test]
        fn rounding_moves_less_than_one_minor_unit(units in -1_000_000_000i64..1_000_000_000i64, c in currency_strategy()) {
            let m = Money::from_storage_units(units, c);
            let unit = Decimal::new(1, c.exponent());
            for r in [Rounding::HalfEven, Rounding::HalfUp, Rounding::Down, Rounding::Up] {
                let rounded = m.round(r);
                prop_assert!(rounded.is_rounded());
                prop_assert!((rounded.amount() - m.amount()).abs() < unit);
            }
            prop_assert!(m.round(Rounding::Down).amount().abs() <= m.amount().abs());
            prop_assert!(m.round(Rounding::Up).amount().abs() >= m.amount().abs());
        }
    }
}
