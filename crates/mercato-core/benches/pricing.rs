//! Resolving a 200-line cart against 50 applicable price lists per SKU,
//! each with a 5-step tier table (issue 7's figure; promotions come later).
//!
//! `cargo bench -p mercato-core --bench pricing`
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use mercato_core::CompanyId;
use mercato_core::money::Currency;
use mercato_core::pricing::{
    Audience, Buyer, PriceListCandidate, TierBreak, TierTable, price, resolve,
};
use rust_decimal::Decimal;
use std::hint::black_box;

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
        .map(|line| {
            let lists = (0..50u32)
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
                .collect();
            (lists, Decimal::from(1 + line % 250))
        })
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

criterion_group!(benches, bench);
criterion_main!(benches);
