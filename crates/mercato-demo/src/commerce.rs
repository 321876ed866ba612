//! What the demo needs to sell: tax rules, list and group price lists with
//! quantity tiers, stock in the `main` warehouse, shipping methods
//! (`standard` among them) and credit lines for the demo companies. All of
//! it goes through the same use cases staff use, as the operator.

use mercato_app::auth::ClientInfo;
use mercato_app::pricing::{self, PriceListInput};
use mercato_app::stock::{self, ShippingMethodInput, StockInput};
use mercato_app::{App, AppError};
use mercato_core::LocalizedText;
use mercato_core::pricing::TierBreak;
use mercato_core::shipping::{ShippingRate, ShippingTerms, WeightBand};
use rust_decimal::Decimal;

/// A stable number from a SKU, so prices and stock are the same on every
/// load (FNV-1a).
fn seed(sku: &str) -> u64 {
    sku.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A plausible CNY list price: heavier parts cost more, with some spread.
fn list_price(sku: &str, weight_g: u64) -> Decimal {
    let base = Decimal::new(i64::try_from(weight_g.min(50_000)).unwrap_or(0), 2) / Decimal::from(4);
    let spread = Decimal::new(i64::try_from(seed(sku) % 5_000).unwrap_or(0), 2);
    (base + spread + Decimal::new(30, 2)).round_dp(2)
}

/// Quantity tiers: the list price, 5 % off from 100, 10 % off from 1,000.
fn tiers(price: Decimal, factor: Decimal) -> Vec<TierBreak> {
    let p = (price * factor).round_dp(2).max(Decimal::new(1, 2));
    [
        (1, Decimal::ONE),
        (100, Decimal::new(95, 2)),
        (1000, Decimal::new(90, 2)),
    ]
    .into_iter()
    .map(|(min, f)| TierBreak {
        min_quantity: Decimal::from(min),
        unit_price: (p * f).round_dp(2).max(Decimal::new(1, 2)),
    })
    .collect()
}

fn text(zh: &str, en: &str) -> LocalizedText {
    crate::taxonomy::zh_en(zh, en)
}

/// Loads the demo's tax, prices, stock, shipping and credit. `skus` are
/// the demo SKUs with their unit weight in grams.
pub async fn load_commerce(app: &App, skus: &[(String, u64)]) -> Result<(), AppError> {
    let client = ClientInfo::default();
    for (country, category, rate) in [
        ("CN", "standard", Decimal::new(13, 2)),
        ("CN", "reduced", Decimal::new(9, 2)),
        ("DE", "standard", Decimal::new(19, 2)),
        ("FR", "standard", Decimal::new(20, 2)),
        ("NL", "standard", Decimal::new(21, 2)),
        ("IT", "standard", Decimal::new(22, 2)),
        ("ES", "standard", Decimal::new(21, 2)),
    ] {
        pricing::set_tax_rate(app, None, country, category, rate, &client).await?;
    }
    pricing::set_market_tax(app, None, "cn", "net", "per_document", "CN", &client).await?;
    pricing::set_market_tax(app, None, "eu", "net", "per_line", "DE", &client).await?;

    let lists = [
        ("List price CN · 目录价", "CNY", "cn", None, Decimal::ONE),
        (
            "Distributors CN · 经销商价",
            "CNY",
            "cn",
            Some("distributors"),
            Decimal::new(92, 2),
        ),
        // Roughly CNY → EUR.
        ("List price EU", "EUR", "eu", None, Decimal::new(13, 2)),
    ];
    for (name, currency, market, group, factor) in lists {
        let list = pricing::create_list(
            app,
            None,
            PriceListInput {
                name: name.into(),
                currency: currency.into(),
                market: Some(market.into()),
                customer_group: group.map(str::to_string),
                ..Default::default()
            },
            &client,
        )
        .await?;
        let entries = skus
            .iter()
            .map(|(sku, g)| (sku.clone(), tiers(list_price(sku, *g), factor)))
            .collect();
        pricing::put_entries(app, None, list.id, entries, &client).await?;
    }

    // Most SKUs in stock, one in ten low, one in ten out.
    let levels = skus
        .iter()
        .map(|(sku, _)| {
            let s = seed(sku);
            let on_hand = match s % 10 {
                0 => 0,
                1 => 5,
                _ => 50 + s % 2_000,
            };
            StockInput {
                sku: sku.clone(),
                warehouse: None,
                on_hand: Decimal::from(on_hand),
            }
        })
        .collect();
    stock::set_levels(app, None, levels, &client).await?;

    let methods = [
        (
            "standard",
            text("标准快递", "Standard delivery"),
            ShippingRate::Flat {
                amount: Decimal::from(20),
            },
            Some(Decimal::from(500)),
        ),
        (
            "freight",
            text("物流专线（按重量）", "Freight by weight"),
            ShippingRate::WeightBands {
                bands: vec![
                    WeightBand {
                        max_kg: Decimal::from(30),
                        amount: Decimal::from(60),
                    },
                    WeightBand {
                        max_kg: Decimal::from(300),
                        amount: Decimal::from(200),
                    },
                    WeightBand {
                        max_kg: Decimal::from(2000),
                        amount: Decimal::from(600),
                    },
                ],
            },
            None,
        ),
        (
            "pickup",
            text("上海仓自提", "Pickup at the Shanghai warehouse"),
            ShippingRate::Pickup,
            None,
        ),
    ];
    for (position, (code, name, rate, free_above)) in methods.into_iter().enumerate() {
        stock::put_shipping_method(
            app,
            None,
            code,
            ShippingMethodInput {
                name,
                market: Some("cn".into()),
                currency: "CNY".into(),
                terms: ShippingTerms { rate, free_above },
                active: true,
                position: i32::try_from(position).unwrap_or(0),
            },
            &client,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_prices_are_stable_positive_and_fall_with_quantity() {
        let a = list_price("HB-M8X20", 12);
        assert_eq!(a, list_price("HB-M8X20", 12));
        assert!(a > Decimal::ZERO);
        let t = tiers(a, Decimal::ONE);
        assert!(t[0].unit_price >= t[1].unit_price && t[1].unit_price >= t[2].unit_price);
        assert!(mercato_core::pricing::TierTable::new(t).is_ok());
    }
}
