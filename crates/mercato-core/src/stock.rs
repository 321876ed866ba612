//! Stock rules without I/O (S3): from which warehouses an order line is
//! served, and what a buyer is told about availability.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A SKU's level in one warehouse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockLevel {
    pub warehouse: String,
    pub on_hand: Decimal,
    pub reserved: Decimal,
}

impl StockLevel {
    /// What may still be promised to a buyer.
    pub fn available(&self) -> Decimal {
        (self.on_hand - self.reserved).max(Decimal::ZERO)
    }
}

/// Splits `quantity` over warehouses: the preferred warehouse first (the
/// default one, so most orders ship from one place), then the others by
/// most available, so an order is split over as few warehouses as
/// possible. `None` when all of them together have too little.
pub fn allocate(
    levels: &[StockLevel],
    preferred: &str,
    quantity: Decimal,
) -> Option<Vec<(String, Decimal)>> {
    let mut order: Vec<&StockLevel> = levels.iter().collect();
    order.sort_by(|a, b| {
        (b.warehouse == preferred)
            .cmp(&(a.warehouse == preferred))
            .then(b.available().cmp(&a.available()))
            .then(a.warehouse.cmp(&b.warehouse))
    });
    // A single warehouse that holds everything beats a split.
    if let Some(one) = order.iter().find(|l| l.available() >= quantity) {
        return Some(vec![(one.warehouse.clone(), quantity)]);
    }
    let mut left = quantity;
    let mut parts = Vec::new();
    for l in order {
        if left <= Decimal::ZERO {
            break;
        }
        let take = l.available().min(left);
        if take > Decimal::ZERO {
            parts.push((l.warehouse.clone(), take));
            left -= take;
        }
    }
    (left <= Decimal::ZERO).then_some(parts)
}

/// What buyers are told about a SKU's stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Availability {
    /// The market shows exact figures.
    Exact {
        available: Decimal,
    },
    InStock,
    /// Fewer than the low-stock threshold left.
    Low,
    OutOfStock,
}

/// Below this many units a SKU shows as "low".
pub const LOW_STOCK: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// Availability as the market shows it: exact figures, or in/low/out.
pub fn availability(available: Decimal, show_exact: bool) -> Availability {
    if show_exact {
        Availability::Exact {
            available: available.max(Decimal::ZERO),
        }
    } else if available <= Decimal::ZERO {
        Availability::OutOfStock
    } else if available < LOW_STOCK {
        Availability::Low
    } else {
        Availability::InStock
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn level(w: &str, on_hand: Decimal, reserved: Decimal) -> StockLevel {
        StockLevel {
            warehouse: w.into(),
            on_hand,
            reserved,
        }
    }

    #[test]
    fn the_preferred_warehouse_serves_first_and_splits_are_rare() {
        let levels = [
            level("main", dec!(5), dec!(0)),
            level("north", dec!(20), dec!(5)),
            level("south", dec!(3), dec!(0)),
        ];
        assert_eq!(
            allocate(&levels, "main", dec!(4)),
            Some(vec![("main".into(), dec!(4))])
        );
        assert_eq!(
            allocate(&levels, "main", dec!(12)),
            Some(vec![("north".into(), dec!(12))])
        );
        assert_eq!(
            allocate(&levels, "main", dec!(22)),
            Some(vec![
                ("main".into(), dec!(5)),
                ("north".into(), dec!(15)),
                ("south".into(), dec!(2))
            ])
        );
        assert_eq!(allocate(&levels, "main", dec!(24)), None);
        assert_eq!(allocate(&[], "main", dec!(1)), None);
    }

    #[test]
    fn availability_follows_the_market_setting() {
        assert_eq!(
            availability(dec!(3), true),
            Availability::Exact { available: dec!(3) }
        );
        assert_eq!(availability(dec!(3), false), Availability::Low);
        assert_eq!(availability(dec!(0), false), Availability::OutOfStock);
        assert_eq!(availability(dec!(50), false), Availability::InStock);
    }

    proptest! {
        /// An allocation takes exactly the quantity and never more than a
        /// warehouse has available.
        #[test]
        fn allocation_is_exact_and_within_stock(
            stock in proptest::collection::vec((0i64..100, 0i64..50), 0..5),
            q in 1i64..300,
        ) {
            let levels: Vec<StockLevel> = stock.iter().enumerate()
                .map(|(i, (h, r))| level(&format!("w{i}"), Decimal::from(*h), Decimal::from(*r)))
                .collect();
            let total: Decimal = levels.iter().map(StockLevel::available).sum();
            match allocate(&levels, "w0", Decimal::from(q)) {
                None => prop_assert!(total < Decimal::from(q)),
                Some(parts) => {
                    prop_assert_eq!(parts.iter().map(|p| p.1).sum::<Decimal>(), Decimal::from(q));
                    for (w, take) in parts {
                        let l = levels.iter().find(|l| l.warehouse == w).unwrap();
                        prop_assert!(take > Decimal::ZERO && take <= l.available());
                    }
                }
            }
        }
    }
}
