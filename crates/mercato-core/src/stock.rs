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

/// What may be promised for a SKU when its stock runs out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplyPolicy {
    /// Orders beyond stock are taken and reserved ahead of the goods.
    pub backorders: bool,
    /// Days until goods not in stock can ship (what buyers are told).
    pub lead_time_days: Option<u16>,
}

/// The longest lead time a policy may state (a year).
pub const MAX_LEAD_TIME_DAYS: u16 = 365;

/// How an order line is served: parts from warehouses' available stock,
/// and what is taken on backorder (reserved at the preferred warehouse
/// ahead of the goods).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub parts: Vec<(String, Decimal)>,
    pub backordered: Decimal,
}

/// Like [`allocate`], but a SKU that takes backorders is never short: what
/// stock cannot serve is backordered at the preferred warehouse. `None`
/// only when stock is short and backorders are not taken.
pub fn allocate_with(
    levels: &[StockLevel],
    preferred: &str,
    quantity: Decimal,
    policy: SupplyPolicy,
) -> Option<Allocation> {
    if let Some(parts) = allocate(levels, preferred, quantity) {
        return Some(Allocation {
            parts,
            backordered: Decimal::ZERO,
        });
    }
    if !policy.backorders {
        return None;
    }
    let total: Decimal = levels.iter().map(StockLevel::available).sum();
    let parts = if total > Decimal::ZERO {
        allocate(levels, preferred, total)?
    } else {
        Vec::new()
    };
    Some(Allocation {
        parts,
        backordered: quantity - total.max(Decimal::ZERO),
    })
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
    /// None in stock, but orders are taken and ship after the lead time.
    Backorder {
        lead_time_days: Option<u16>,
    },
}

impl Availability {
    /// Whether a buyer may order it now (in stock or on backorder).
    pub fn orderable(&self) -> bool {
        match self {
            Availability::Exact { available } => *available > Decimal::ZERO,
            Availability::OutOfStock => false,
            _ => true,
        }
    }
}

/// Below this many units a SKU shows as "low".
pub const LOW_STOCK: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// Availability as the market shows it: exact figures, or in/low/out;
/// a SKU with none left that takes backorders says so, with its lead time.
pub fn availability(available: Decimal, show_exact: bool, policy: SupplyPolicy) -> Availability {
    if available <= Decimal::ZERO && policy.backorders {
        Availability::Backorder {
            lead_time_days: policy.lead_time_days,
        }
    } else if show_exact {
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
        let none = SupplyPolicy::default();
        assert_eq!(
            availability(dec!(3), true, none),
            Availability::Exact { available: dec!(3) }
        );
        assert_eq!(availability(dec!(3), false, none), Availability::Low);
        assert_eq!(availability(dec!(0), false, none), Availability::OutOfStock);
        assert_eq!(availability(dec!(50), false, none), Availability::InStock);
        assert!(!availability(dec!(0), true, none).orderable());
    }

    #[test]
    fn backorders_show_the_lead_time_only_when_stock_is_gone() {
        let policy = SupplyPolicy {
            backorders: true,
            lead_time_days: Some(21),
        };
        assert_eq!(
            availability(dec!(0), true, policy),
            Availability::Backorder {
                lead_time_days: Some(21)
            }
        );
        assert!(availability(dec!(0), false, policy).orderable());
        assert_eq!(availability(dec!(4), false, policy), Availability::Low);
    }

    #[test]
    fn a_backorder_takes_what_stock_has_then_the_rest() {
        let levels = [
            level("main", dec!(5), dec!(2)),
            level("north", dec!(4), dec!(0)),
        ];
        let policy = SupplyPolicy {
            backorders: true,
            lead_time_days: None,
        };
        assert_eq!(
            allocate_with(&levels, "main", dec!(10), policy),
            Some(Allocation {
                parts: vec![("main".into(), dec!(3)), ("north".into(), dec!(4))],
                backordered: dec!(3),
            })
        );
        assert_eq!(
            allocate_with(&[], "main", dec!(10), policy),
            Some(Allocation {
                parts: vec![],
                backordered: dec!(10),
            })
        );
        assert_eq!(
            allocate_with(&levels, "main", dec!(10), SupplyPolicy::default()),
            None
        );
        assert_eq!(
            allocate_with(&levels, "main", dec!(2), policy),
            Some(Allocation {
                parts: vec![("main".into(), dec!(2))],
                backordered: dec!(0),
            })
        );
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

        /// With backorders a line is always served: stock first, within
        /// what each warehouse has, and only the shortfall backordered.
        #[test]
        fn backorders_fill_only_the_shortfall(
            stock in proptest::collection::vec((0i64..100, 0i64..50), 0..5),
            q in 1i64..300,
        ) {
            let levels: Vec<StockLevel> = stock.iter().enumerate()
                .map(|(i, (h, r))| level(&format!("w{i}"), Decimal::from(*h), Decimal::from(*r)))
                .collect();
            let total: Decimal = levels.iter().map(StockLevel::available).sum();
            let policy = SupplyPolicy { backorders: true, lead_time_days: Some(5) };
            let a = allocate_with(&levels, "w0", Decimal::from(q), policy).unwrap();
            let served: Decimal = a.parts.iter().map(|p| p.1).sum();
            prop_assert_eq!(served + a.backordered, Decimal::from(q));
            prop_assert_eq!(a.backordered, (Decimal::from(q) - total).max(Decimal::ZERO));
            for (w, take) in a.parts {
                let l = levels.iter().find(|l| l.warehouse == w).unwrap();
                prop_assert!(take > Decimal::ZERO && take <= l.available());
            }
        }
    }
}
