//! Shipping rates without I/O: what a shipping method costs for a cart, or
//! that it does not apply (too heavy for its bands, below its minimum).

use crate::money::{Currency, Money, MoneyError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a method prices a shipment. Amounts are in the method's currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShippingRate {
    /// One price per order.
    Flat { amount: Decimal },
    /// By total weight: the first band whose `max_kg` is at or above the
    /// cart's weight; heavier carts cannot use the method.
    WeightBands { bands: Vec<WeightBand> },
    /// By order value: the last band whose `min_subtotal` the cart reaches.
    OrderValue { bands: Vec<ValueBand> },
    /// Collected by the buyer: free.
    Pickup,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightBand {
    pub max_kg: Decimal,
    pub amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueBand {
    pub min_subtotal: Decimal,
    pub amount: Decimal,
}

/// A configured method's pricing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingTerms {
    pub rate: ShippingRate,
    /// Free from this subtotal on.
    pub free_above: Option<Decimal>,
}

/// Why a method's configuration is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShippingError {
    #[error("amounts must not be negative")]
    Negative,
    #[error("bands must be given in increasing order without repeats")]
    BandsOutOfOrder,
    #[error("give at least one band")]
    NoBands,
}

impl ShippingTerms {
    /// Checks the configuration at entry.
    pub fn validate(&self) -> Result<(), ShippingError> {
        let neg = |d: &Decimal| d.is_sign_negative() && !d.is_zero();
        if self.free_above.as_ref().is_some_and(neg) {
            return Err(ShippingError::Negative);
        }
        match &self.rate {
            ShippingRate::Flat { amount } if neg(amount) => Err(ShippingError::Negative),
            ShippingRate::WeightBands { bands } => {
                if bands.is_empty() {
                    return Err(ShippingError::NoBands);
                }
                if bands.iter().any(|b| neg(&b.amount) || neg(&b.max_kg)) {
                    return Err(ShippingError::Negative);
                }
                if bands.windows(2).any(|w| w[0].max_kg >= w[1].max_kg) {
                    return Err(ShippingError::BandsOutOfOrder);
                }
                Ok(())
            }
            ShippingRate::OrderValue { bands } => {
                if bands.is_empty() {
                    return Err(ShippingError::NoBands);
                }
                if bands.iter().any(|b| neg(&b.amount) || neg(&b.min_subtotal)) {
                    return Err(ShippingError::Negative);
                }
                if bands
                    .windows(2)
                    .any(|w| w[0].min_subtotal >= w[1].min_subtotal)
                {
                    return Err(ShippingError::BandsOutOfOrder);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The price for a cart of `subtotal` (after discounts) weighing
    /// `weight_kg`; `None` when the method does not apply to it.
    /// `free_shipping` comes from a promotion.
    pub fn price(
        &self,
        currency: Currency,
        subtotal: Decimal,
        weight_kg: Decimal,
        free_shipping: bool,
    ) -> Result<Option<Money>, MoneyError> {
        let amount = match &self.rate {
            ShippingRate::Flat { amount } => *amount,
            ShippingRate::Pickup => Decimal::ZERO,
            ShippingRate::WeightBands { bands } => {
                match bands.iter().find(|b| weight_kg <= b.max_kg) {
                    Some(b) => b.amount,
                    None => return Ok(None),
                }
            }
            ShippingRate::OrderValue { bands } => {
                match bands.iter().rev().find(|b| subtotal >= b.min_subtotal) {
                    Some(b) => b.amount,
                    None => return Ok(None),
                }
            }
        };
        let free = free_shipping || self.free_above.is_some_and(|f| subtotal >= f);
        let amount = if free { Decimal::ZERO } else { amount };
        Money::new(amount, currency).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn cny() -> Currency {
        Currency::parse("CNY").unwrap()
    }

    #[test]
    fn each_kind_prices_or_declines() {
        let flat = ShippingTerms {
            rate: ShippingRate::Flat { amount: dec!(20) },
            free_above: Some(dec!(500)),
        };
        assert_eq!(
            flat.price(cny(), dec!(100), dec!(3), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(20)
        );
        assert_eq!(
            flat.price(cny(), dec!(500), dec!(3), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(0)
        );
        assert_eq!(
            flat.price(cny(), dec!(100), dec!(3), true)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(0)
        );
        let weight = ShippingTerms {
            rate: ShippingRate::WeightBands {
                bands: vec![
                    WeightBand {
                        max_kg: dec!(5),
                        amount: dec!(15),
                    },
                    WeightBand {
                        max_kg: dec!(30),
                        amount: dec!(45),
                    },
                ],
            },
            free_above: None,
        };
        assert_eq!(
            weight
                .price(cny(), dec!(1), dec!(5), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(15)
        );
        assert_eq!(
            weight
                .price(cny(), dec!(1), dec!(5.1), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(45)
        );
        assert_eq!(weight.price(cny(), dec!(1), dec!(31), false).unwrap(), None);
        let value = ShippingTerms {
            rate: ShippingRate::OrderValue {
                bands: vec![
                    ValueBand {
                        min_subtotal: dec!(0),
                        amount: dec!(30),
                    },
                    ValueBand {
                        min_subtotal: dec!(1000),
                        amount: dec!(10),
                    },
                ],
            },
            free_above: None,
        };
        assert_eq!(
            value
                .price(cny(), dec!(999.99), dec!(0), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(30)
        );
        assert_eq!(
            value
                .price(cny(), dec!(1000), dec!(0), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(10)
        );
        let pickup = ShippingTerms {
            rate: ShippingRate::Pickup,
            free_above: None,
        };
        assert_eq!(
            pickup
                .price(cny(), dec!(1), dec!(1000), false)
                .unwrap()
                .unwrap()
                .amount(),
            dec!(0)
        );
    }

    #[test]
    fn bad_configurations_are_refused() {
        let bands = |a, b| ShippingTerms {
            rate: ShippingRate::WeightBands {
                bands: vec![
                    WeightBand {
                        max_kg: a,
                        amount: dec!(1),
                    },
                    WeightBand {
                        max_kg: b,
                        amount: dec!(2),
                    },
                ],
            },
            free_above: None,
        };
        assert_eq!(
            bands(dec!(5), dec!(5)).validate(),
            Err(ShippingError::BandsOutOfOrder)
        );
        assert_eq!(bands(dec!(5), dec!(10)).validate(), Ok(()));
        let neg = ShippingTerms {
            rate: ShippingRate::Flat { amount: dec!(-1) },
            free_above: None,
        };
        assert_eq!(neg.validate(), Err(ShippingError::Negative));
        let none = ShippingTerms {
            rate: ShippingRate::OrderValue { bands: vec![] },
            free_above: None,
        };
        assert_eq!(none.validate(), Err(ShippingError::NoBands));
    }
}
