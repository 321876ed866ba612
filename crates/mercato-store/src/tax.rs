//! Tax settings: rates by country and category, and each market's entry
//! and rounding rules. The arithmetic is `mercato_core::tax`.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::CountryCode;
use mercato_core::tax::{PriceEntry, TaxRounding};
use rust_decimal::Decimal;

fn corrupt(detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what: "tax",
        detail: detail.into(),
    }
}

/// Sets a rate.
pub async fn put_rate(
    tx: &mut Tx,
    country: CountryCode,
    category: &str,
    rate: Decimal,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO tax_rate (country, category, rate, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (country, category) DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at"
    )
    .bind(country.as_str())
    .bind(category)
    .bind(rate.to_string())
    .bind(now))?;
    Ok(())
}

/// The rate for a country and category, if one is set.
pub async fn rate(
    db: &Db,
    country: CountryCode,
    category: &str,
) -> Result<Option<Decimal>, StoreError> {
    let raw: Option<String> = db_run!(db, |p| sqlx::query_scalar(
        "SELECT rate FROM tax_rate WHERE country = $1 AND category = $2"
    )
    .bind(country.as_str())
    .bind(category)
    .fetch_optional(p)
    .await)?;
    raw.map(|r| {
        r.parse::<Decimal>()
            .map_err(|_| corrupt(format!("rate {r:?}")))
    })
    .transpose()
}

/// How a market enters and rounds tax, and the seller's country there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketTax {
    pub price_entry: PriceEntry,
    pub rounding: TaxRounding,
    pub seller_country: CountryCode,
}

/// Sets a market's tax rules.
pub async fn put_market_tax(
    tx: &mut Tx,
    market: &str,
    t: &MarketTax,
    now: Timestamp,
) -> Result<(), StoreError> {
    let entry = match t.price_entry {
        PriceEntry::Net => "net",
        PriceEntry::Gross => "gross",
    };
    let rounding = match t.rounding {
        TaxRounding::PerLine => "per_line",
        TaxRounding::PerDocument => "per_document",
    };
    tx_exec!(tx, sqlx::query(
        "INSERT INTO market_tax (market_code, price_entry, tax_rounding, seller_country, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (market_code) DO UPDATE SET price_entry = excluded.price_entry, tax_rounding = excluded.tax_rounding,
             seller_country = excluded.seller_country, updated_at = excluded.updated_at"
    )
    .bind(market)
    .bind(entry)
    .bind(rounding)
    .bind(t.seller_country.as_str())
    .bind(now))?;
    Ok(())
}

/// A market's tax rules, if set.
pub async fn market_tax(db: &Db, market: &str) -> Result<Option<MarketTax>, StoreError> {
    let row: Option<(String, String, String)> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT price_entry, tax_rounding, seller_country FROM market_tax WHERE market_code = $1"
    )
    .bind(market)
    .fetch_optional(p)
    .await
    })?;
    let Some((entry, rounding, country)) = row else {
        return Ok(None);
    };
    Ok(Some(MarketTax {
        price_entry: match entry.as_str() {
            "gross" => PriceEntry::Gross,
            "net" => PriceEntry::Net,
            other => return Err(corrupt(format!("price_entry {other:?}"))),
        },
        rounding: match rounding.as_str() {
            "per_line" => TaxRounding::PerLine,
            "per_document" => TaxRounding::PerDocument,
            other => return Err(corrupt(format!("tax_rounding {other:?}"))),
        },
        seller_country: CountryCode::parse(&country).map_err(|e| corrupt(e.to_string()))?,
    }))
}
