//! Resolving a 200-line cart against 50 applicable price lists per SKU,
//! each with a 5-step tier table (issue 7's figure), and applying 20 active
//! promotions to a 200-line cart, alone and after pricing it.
//!
//! `cargo bench -p mercato-core --bench pricing`
//! (`-- promotions` for the promotion cases only)
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use mercato_core::CompanyId;
use mercato_core::money::{Currency, Money, Rounding};
use mercato_core::pricing::{
    Audience, Buyer, PriceListCandidate, TierBreak, TierTable, price, resolve,
};
use mercato_core::promotion::{
    Action, CartContext, CartLine, Condition, LineScope, PercentTier, Promotion, Stacking, Usage,
    apply,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::hint::black_box;

/// What the catalog knows of line `i`: SKU, category path, brand.
fn catalog_facts(i: u32) -> (String, Vec<String>, Option<String>) {
    (
        format!("SKU-{i:04}"),
        vec![
            "all".into(),
            format!("cat-{}", i % 10),
            format!("cat-{}-{}", i % 10, i % 3),
        ],
        Some(format!("brand-{}", i % 5)),
    )
}

/// 20 stackable promotions that all apply to the carts below, one or more
/// of every action, with conditions, a coupon and usage limits to check.
fn promotions() -> Vec<Promotion> {
    let skus = |from: u32, n: u32| {
        LineScope::Skus((from..from + n).map(|i| format!("SKU-{i:04}")).collect())
    };
    let cats = |v: &[&str]| LineScope::Categories(v.iter().map(|s| s.to_string()).collect());
    let actions = vec![
        Action::PercentOffLines {
            scope: LineScope::All,
            percent: Decimal::new(5, 0),
        },
        Action::PercentOffLines {
            scope: cats(&["cat-1", "cat-2"]),
            percent: Decimal::new(125, 1),
        },
        Action::PercentOffLines {
            scope: skus(0, 40),
            percent: Decimal::new(3, 0),
        },
        Action::PercentOffLines {
            scope: LineScope::Brands(vec!["brand-3".into()]),
            percent: Decimal::new(7, 0),
        },
        Action::FixedOffEachUnit {
            scope: cats(&["cat-3-1"]),
            amount: Decimal::new(25, 2),
        },
        Action::FixedOffEachUnit {
            scope: skus(100, 50),
            amount: Decimal::new(125, 4),
        },
        Action::PercentOffOrder {
            percent: Decimal::new(2, 0),
        },
        Action::FixedOffOrder {
            amount: Decimal::new(5000, 2),
        },
        Action::TieredPercent {
            scope: cats(&["cat-4"]),
            tiers: (1..=5)
                .map(|k| PercentTier {
                    min_quantity: Decimal::from(k * 10),
                    percent: Decimal::from(k),
                })
                .collect(),
        },
        Action::TieredPercent {
            scope: LineScope::All,
            tiers: vec![
                PercentTier {
                    min_quantity: Decimal::from(100),
                    percent: Decimal::ONE,
                },
                PercentTier {
                    min_quantity: Decimal::from(1000),
                    percent: Decimal::TWO,
                },
            ],
        },
        Action::BuyXGetY {
            scope: cats(&["cat-5"]),
            buy: Decimal::TWO,
            get: Decimal::ONE,
        },
        Action::BuyXGetY {
            scope: skus(150, 30),
            buy: Decimal::from(4),
            get: Decimal::ONE,
        },
        Action::FreeShipping,
        Action::PercentOffLines {
            scope: cats(&["cat-6", "cat-7", "cat-8"]),
            percent: Decimal::new(45, 1),
        },
        Action::FixedOffEachUnit {
            scope: LineScope::Brands(vec!["brand-0".into(), "brand-1".into()]),
            amount: Decimal::new(10, 2),
        },
        Action::PercentOffOrder {
            percent: Decimal::new(15, 1),
        },
        Action::FixedOffOrder {
            amount: Decimal::new(1999, 2),
        },
        Action::PercentOffLines {
            scope: skus(50, 100),
            percent: Decimal::new(1, 0),
        },
        Action::BuyXGetY {
            scope: LineScope::All,
            buy: Decimal::from(9),
            get: Decimal::ONE,
        },
        Action::PercentOffLines {
            scope: cats(&["cat-9"]),
            percent: Decimal::new(10, 0),
        },
    ];
    actions
        .into_iter()
        .enumerate()
        .map(|(n, action)| {
            let n32 = n as u32;
            Promotion {
                id: uuid::Uuid::from_u128(n as u128 + 1),
                name: format!("promotion {n}"),
                priority: (n32 % 4) as i32,
                stacking: Stacking::Stackable,
                coupon: (n == 7).then(|| "SPRING-50".into()),
                valid_from: Some(time::macros::datetime!(2026-01-01 0:00 UTC)),
                valid_to: Some(time::macros::datetime!(2027-01-01 0:00 UTC)),
                usage_limit: Some(10_000),
                per_company_limit: Some(5),
                conditions: match n % 3 {
                    0 => vec![Condition::MinSubtotal {
                        amount: Decimal::from(500),
                    }],
                    1 => vec![Condition::MinQuantity {
                        scope: LineScope::All,
                        quantity: Decimal::from(50),
                    }],
                    _ => vec![Condition::CustomerGroup {
                        groups: vec!["dealer".into(), "oem".into()],
                    }],
                },
                action,
            }
        })
        .collect()
}

fn cart_context(currency: Currency, lines: Vec<CartLine>, promotions: &[Promotion]) -> CartContext {
    CartContext {
        currency,
        lines,
        customer_group: Some("oem".into()),
        first_order: false,
        coupons: vec!["spring-50".into()],
        at: time::macros::datetime!(2026-11-29 12:00 UTC),
        usage: promotions
            .iter()
            .map(|p| {
                (
                    p.id,
                    Usage {
                        total: 100,
                        by_company: 1,
                    },
                )
            })
            .collect::<BTreeMap<_, _>>(),
    }
}

/// The 50 lists, all applying to the buyer `me`, that price line `line`.
fn price_lists(line: u32, me: CompanyId, eur: Currency) -> Vec<PriceListCandidate> {
    (0..50u32)
        .map(|n| {
            let audience = match n % 4 {
                0 => Audience::Everyone,
                1 => Audience::Group("oem".into()),
                2 => Audience::Tier("gold".into()),
                _ => Audience::Company(me),
            };
            let base = 1000 + i64::from((line * 7 + n * 13) % 500);
            let tiers = TierTable::new(
                (0..5)
                    .map(|k| TierBreak {
                        min_quantity: Decimal::from(10i64.pow(k)),
                        unit_price: Decimal::new(base - i64::from(k) * 50, 2),
                    })
                    .collect(),
            )
            .unwrap();
            PriceListCandidate {
                id: uuid::Uuid::from_u128(u128::from(line) << 32 | u128::from(n)),
                name: format!("list {n}"),
                currency: eur,
                market: Some("eu".into()),
                audience,
                priority: (n % 3) as i32,
                valid_from: None,
                valid_to: None,
                tiers,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let eur = Currency::parse("EUR").unwrap();
    let me = CompanyId::new();
    let buyer = Buyer {
        company: Some(me),
        group: Some("oem".into()),
        tier: Some("gold".into()),
        market: "eu".into(),
        currency: eur,
        at: time::OffsetDateTime::now_utc(),
        best_of: false,
    };
    // 200 lines; for each SKU 50 lists that all apply to this buyer.
    let cart: Vec<(Vec<PriceListCandidate>, Decimal)> = (0..200u32)
        .map(|line| (price_lists(line, me, eur), Decimal::from(1 + line % 250)))
        .collect();
    c.bench_function("price 200 lines x 50 lists x 5 tiers", |b| {
        b.iter(|| {
            for (lists, q) in &cart {
                black_box(price(black_box(lists), &buyer, *q).unwrap());
            }
        })
    });
    c.bench_function("resolve (explained) 200 lines x 50 lists x 5 tiers", |b| {
        b.iter(|| {
            for (lists, q) in &cart {
                black_box(resolve(black_box(lists), &buyer, *q).unwrap());
            }
        })
    });
}

fn bench_promotions(c: &mut Criterion) {
    let eur = Currency::parse("EUR").unwrap();
    let promos = promotions();
    let lines: Vec<CartLine> = (0..200u32)
        .map(|i| {
            let (sku, categories, brand) = catalog_facts(i);
            let unit_price =
                Money::new(Decimal::new(1000 + i64::from((i * 37) % 9000), 2), eur).unwrap();
            let quantity = Decimal::from(1 + i % 25);
            CartLine {
                sku,
                categories,
                brand,
                quantity,
                unit_price,
                line_total: unit_price.times(quantity, Rounding::HalfEven).unwrap(),
            }
        })
        .collect();
    let cart = cart_context(eur, lines, &promos);
    let check = apply(&promos, &cart);
    assert_eq!(
        check.applied.len(),
        promos.len(),
        "every promotion applies: {:?}",
        check.not_applied
    );
    c.bench_function("promotions: 200-line cart, 20 active promotions", |b| {
        b.iter(|| black_box(apply(black_box(&promos), black_box(&cart))))
    });

    // The whole cart: each line priced from its 50 lists, then promoted.
    let me = CompanyId::new();
    let buyer = Buyer {
        company: Some(me),
        group: Some("oem".into()),
        tier: Some("gold".into()),
        market: "eu".into(),
        currency: eur,
        at: time::macros::datetime!(2026-11-29 12:00 UTC),
        best_of: false,
    };
    let priced: Vec<(Vec<PriceListCandidate>, Decimal)> = (0..200u32)
        .map(|line| (price_lists(line, me, eur), Decimal::from(1 + line % 250)))
        .collect();
    c.bench_function(
        "promotions: 200 lines priced from 50 lists, then 20 promotions",
        |b| {
            b.iter(|| {
                let lines: Vec<CartLine> = priced
                    .iter()
                    .enumerate()
                    .map(|(i, (lists, q))| {
                        let (_, unit_price, _) =
                            price(black_box(lists), &buyer, *q).unwrap().unwrap();
                        let (sku, categories, brand) = catalog_facts(i as u32);
                        CartLine {
                            sku,
                            categories,
                            brand,
                            quantity: *q,
                            unit_price,
                            line_total: unit_price.times(*q, Rounding::HalfEven).unwrap(),
                        }
                    })
                    .collect();
                black_box(apply(&promos, &cart_context(eur, lines, &promos)))
            })
        },
    );
}

criterion_group!(benches, bench, bench_promotions);
criterion_main!(benches);
