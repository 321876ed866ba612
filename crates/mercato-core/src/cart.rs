//! Cart rules without I/O: whether a quantity may be ordered for a SKU
//! (minimum, step, whole units), and the nearest quantity that may (quick
//! order adjusts instead of refusing).

use crate::catalog::SalesUnit;
use rust_decimal::Decimal;

/// The most of one SKU a single line may carry; larger orders are a quote.
pub const MAX_LINE_QUANTITY: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// How a SKU may be ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderRules {
    pub unit: SalesUnit,
    pub min_quantity: Decimal,
    pub quantity_step: Decimal,
}

/// Why a quantity cannot be ordered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("quantity must be positive")]
    NotPositive,
    #[error("{unit} is sold in whole units")]
    Fractional { unit: &'static str },
    #[error("at least {min} must be ordered")]
    BelowMinimum { min: Decimal },
    #[error("order in steps of {step} (from {min})")]
    NotAStep { min: Decimal, step: Decimal },
    #[error("at most {max} per line; ask for a quote for more")]
    TooMany { max: Decimal },
    #[error("at most 4 decimals")]
    TooPrecise,
}

impl QuantityError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            QuantityError::NotPositive => "invalid_quantity",
            QuantityError::Fractional { .. } => "fractional_quantity",
            QuantityError::BelowMinimum { .. } => "below_minimum",
            QuantityError::NotAStep { .. } => "not_a_step",
            QuantityError::TooMany { .. } => "too_many",
            QuantityError::TooPrecise => "invalid_quantity",
        }
    }
}

fn whole_units(unit: SalesUnit) -> bool {
    !matches!(
        unit,
        SalesUnit::Meter | SalesUnit::Kilogram | SalesUnit::Liter
    )
}

impl OrderRules {
    /// Checks `q` against the rules.
    pub fn check(&self, q: Decimal) -> Result<(), QuantityError> {
        if q <= Decimal::ZERO {
            return Err(QuantityError::NotPositive);
        }
        if q.normalize().scale() > 4 {
            return Err(QuantityError::TooPrecise);
        }
        if whole_units(self.unit) && !q.fract().is_zero() {
            return Err(QuantityError::Fractional {
                unit: self.unit.code(),
            });
        }
        if q > MAX_LINE_QUANTITY {
            return Err(QuantityError::TooMany {
                max: MAX_LINE_QUANTITY,
            });
        }
        let min = self.min_quantity.max(Decimal::ZERO);
        if q < min {
            return Err(QuantityError::BelowMinimum { min });
        }
        if self.quantity_step > Decimal::ZERO && !((q - min) % self.quantity_step).is_zero() {
            return Err(QuantityError::NotAStep {
                min,
                step: self.quantity_step,
            });
        }
        Ok(())
    }

    /// The smallest allowed quantity at or above `q` (quick order rounds up
    /// to the minimum and the next step, and says so), or the error when
    /// there is none.
    pub fn adjust(&self, q: Decimal) -> Result<Decimal, QuantityError> {
        if q <= Decimal::ZERO {
            return Err(QuantityError::NotPositive);
        }
        let mut a = q.max(self.min_quantity);
        if whole_units(self.unit) {
            a = a.ceil();
        }
        if self.quantity_step > Decimal::ZERO {
            let min = self.min_quantity.max(Decimal::ZERO);
            let steps = ((a - min) / self.quantity_step).ceil();
            a = min + steps * self.quantity_step;
        }
        self.check(a.normalize())?;
        Ok(a.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rules(unit: SalesUnit, min: Decimal, step: Decimal) -> OrderRules {
        OrderRules {
            unit,
            min_quantity: min,
            quantity_step: step,
        }
    }

    #[test]
    fn quantities_are_checked_against_unit_minimum_and_step() {
        let box100 = rules(SalesUnit::Box, dec!(2), dec!(2));
        assert_eq!(box100.check(dec!(4)), Ok(()));
        assert_eq!(box100.check(dec!(0)), Err(QuantityError::NotPositive));
        assert_eq!(box100.check(dec!(-3)), Err(QuantityError::NotPositive));
        assert!(matches!(
            box100.check(dec!(2.5)),
            Err(QuantityError::Fractional { .. })
        ));
        assert!(matches!(
            box100.check(dec!(1)),
            Err(QuantityError::BelowMinimum { .. })
        ));
        assert!(matches!(
            box100.check(dec!(5)),
            Err(QuantityError::NotAStep { .. })
        ));
        assert!(matches!(
            box100.check(dec!(2000000)),
            Err(QuantityError::TooMany { .. })
        ));
        let cable = rules(SalesUnit::Meter, dec!(0.5), dec!(0.5));
        assert_eq!(cable.check(dec!(2.5)), Ok(()));
        assert!(cable.check(dec!(2.25)).is_err());
        assert_eq!(cable.check(dec!(0.00001)), Err(QuantityError::TooPrecise));
    }

    #[test]
    fn quick_order_rounds_up_to_what_may_be_ordered() {
        let r = rules(SalesUnit::Piece, dec!(10), dec!(5));
        assert_eq!(r.adjust(dec!(3)), Ok(dec!(10)));
        assert_eq!(r.adjust(dec!(11)), Ok(dec!(15)));
        assert_eq!(r.adjust(dec!(15)), Ok(dec!(15)));
        assert_eq!(r.adjust(dec!(12.2)), Ok(dec!(15)));
        assert_eq!(r.adjust(dec!(0)), Err(QuantityError::NotPositive));
        let any = rules(SalesUnit::Piece, dec!(1), dec!(0));
        assert_eq!(any.adjust(dec!(2.4)), Ok(dec!(3)));
    }
}
