//! Price lists (staff) and price quotes (buyers, and staff explaining a
//! company's prices). Every quote resolves from the candidate lists of its
//! SKUs at request time (`mercato_core::pricing::resolve`): a price-list
//! change is in effect at the next request, with nothing to reindex.

use crate::auth::{ClientInfo, Principal};
use crate::companies::{self, CompanyScope};
use crate::{App, AppError, FieldError};
use mercato_core::money::{Currency, Money, Rounding};
use mercato_core::pricing::{Audience, Buyer, Lost, PricingError, TierBreak, TierTable, resolve};
use mercato_core::tax::{PriceEntry, TaxInput, TaxRounding, reverse_charge_applies, tax_document};
use mercato_core::{CompanyId, Permission};
use mercato_core::{CountryCode, VatNumber};
use mercato_store::pricing::{self as store, AudienceFilter, PriceList};
use mercato_store::tax::{self as tax_store, MarketTax};
use mercato_store::{Timestamp, audit};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

pub use mercato_store::pricing::PriceList as StoredPriceList;

/// A price list to create.
#[derive(Clone, Debug, Default)]
pub struct PriceListInput {
    pub name: String,
    pub currency: String,
    pub market: Option<String>,
    pub company_id: Option<CompanyId>,
    pub customer_group: Option<String>,
    pub tier: Option<String>,
    pub priority: Option<i32>,
    pub valid_from: Option<time::OffsetDateTime>,
    pub valid_to: Option<time::OffsetDateTime>,
}

fn require_staff(p: Option<&Principal>) -> Result<(), AppError> {
    crate::auth::require_staff(p, Permission::ManagePrices, "manage price lists")
}

/// Creates a price list. Refused at entry, with every reason: a currency
/// other than its market's, more than one audience, unknown companies or
/// groups, an empty validity window.
pub async fn create_list(
    app: &App,
    p: Option<&Principal>,
    input: PriceListInput,
    client: &ClientInfo,
) -> Result<PriceList, AppError> {
    require_staff(p)?;
    let mut errors = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "name must be 1 to 200 characters",
        ));
    }
    let currency = Currency::parse(&input.currency)
        .map_err(|e| {
            errors.push(FieldError::new(
                "currency",
                "invalid_currency",
                e.to_string(),
            ))
        })
        .ok();
    if let Some(code) = &input.market {
        check_market_currency(app, code, currency, &mut errors).await?;
    }
    let audiences = [
        input.company_id.is_some(),
        input.customer_group.is_some(),
        input.tier.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if audiences > 1 {
        errors.push(FieldError::new(
            "company_id",
            "one_audience",
            "a list is for one company, one customer group, one tier, or everyone",
        ));
    }
    let audience = if let Some(c) = input.company_id {
        if !companies::company_exists(app, c).await? {
            errors.push(FieldError::new(
                "company_id",
                "unknown_company",
                "there is no such company",
            ));
        }
        Audience::Company(c)
    } else if let Some(g) = &input.customer_group {
        if companies::find_group(app, g).await?.is_none() {
            errors.push(FieldError::new(
                "customer_group",
                "unknown_customer_group",
                format!("there is no customer group {g:?}"),
            ));
        }
        Audience::Group(g.trim().to_string())
    } else if let Some(t) = &input.tier {
        match mercato_core::company::parse_code(t) {
            Some(t) => Audience::Tier(t),
            None => {
                errors.push(FieldError::new(
                    "tier",
                    "invalid_tier",
                    "tier is a code of letters, digits, - and _",
                ));
                Audience::Everyone
            }
        }
    } else {
        Audience::Everyone
    };
    if let (Some(f), Some(t)) = (input.valid_from, input.valid_to)
        && f >= t
    {
        errors.push(FieldError::new(
            "valid_to",
            "empty_window",
            "valid_to must be after valid_from",
        ));
    }
    let (Some(currency), true) = (currency, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let list = PriceList {
        id: uuid::Uuid::now_v7(),
        name,
        currency,
        market: input.market,
        audience,
        priority: input.priority.unwrap_or(0),
        valid_from: input.valid_from.map(Timestamp::from),
        valid_to: input.valid_to.map(Timestamp::from),
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    store::insert_list(&mut tx, &list, now).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "price_list.create",
            "price_list",
            list.id.to_string(),
            json!({ "name": list.name, "audience": list.audience.label() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(list)
}

/// Checks that `market` exists and sells in `currency` (when that parsed),
/// adding `unknown_market` or `currency_mismatch` to `errors`. Price lists,
/// promotions and shipping methods all carry a market and a currency.
pub(crate) async fn check_market_currency(
    app: &App,
    market: &str,
    currency: Option<Currency>,
    errors: &mut Vec<FieldError>,
) -> Result<(), AppError> {
    let markets = mercato_store::catalog::list_markets(app.db()).await?;
    match markets.iter().find(|m| m.code == market) {
        None => errors.push(FieldError::new(
            "market",
            "unknown_market",
            format!("there is no market {market:?}"),
        )),
        Some(m) if currency.is_some_and(|c| c != m.currency) => errors.push(FieldError::new(
            "currency",
            "currency_mismatch",
            format!(
                "market {} sells in {}, not {}",
                m.code,
                m.currency,
                currency.map(|c| c.code()).unwrap_or_default()
            ),
        )),
        Some(_) => {}
    }
    Ok(())
}

/// Every price list (staff).
pub async fn lists(app: &App, p: &Principal) -> Result<Vec<PriceList>, AppError> {
    require_staff(Some(p))?;
    Ok(store::list_lists(app.db()).await?)
}

/// Sets a SKU's tier table in a list (staff); refused with the reason when
/// the tiers overlap, a price is not positive, has more than 4 decimals, or
/// rises with quantity, or the SKU does not exist.
pub async fn put_entry(
    app: &App,
    p: Option<&Principal>,
    list: uuid::Uuid,
    sku: &str,
    tiers: Vec<TierBreak>,
    client: &ClientInfo,
) -> Result<TierTable, AppError> {
    require_staff(p)?;
    store::find_list(app.db(), list)
        .await?
        .ok_or(AppError::NotFound("price list"))?;
    let sku = sku.trim();
    if crate::catalog::find_sku(app, sku).await?.is_none() {
        return Err(AppError::NotFound("SKU"));
    }
    let table = TierTable::new(tiers)
        .map_err(|e| AppError::invalid("tiers", "invalid_tiers", e.to_string()))?;
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    store::put_entry(&mut tx, list, sku, &table, now).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "price_list.put_entry",
            "price_list",
            list.to_string(),
            json!({ "sku": sku, "tiers": table.tiers() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(table)
}

/// Sets many SKUs' tier tables in a list at once, all or nothing: every
/// row is checked first (unknown SKU, bad tiers), each bad one is named
/// (`entries[3].tiers`), and nothing is written unless all are good.
pub async fn put_entries(
    app: &App,
    p: Option<&Principal>,
    list: uuid::Uuid,
    entries: Vec<(String, Vec<TierBreak>)>,
    client: &ClientInfo,
) -> Result<usize, AppError> {
    require_staff(p)?;
    store::find_list(app.db(), list)
        .await?
        .ok_or(AppError::NotFound("price list"))?;
    if entries.is_empty() || entries.len() > 100_000 {
        return Err(AppError::invalid(
            "entries",
            "out_of_range",
            "give 1 to 100,000 entries",
        ));
    }
    let skus: Vec<String> = entries.iter().map(|e| e.0.trim().to_string()).collect();
    let known = mercato_store::carts::sku_facts(app.db(), &skus).await?;
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(entries.len());
    for (i, ((_, tiers), sku)) in entries.into_iter().zip(&skus).enumerate() {
        if !known.contains_key(sku) {
            errors.push(FieldError::new(
                &format!("entries[{i}].sku"),
                "unknown_sku",
                format!("there is no SKU {sku:?}"),
            ));
            continue;
        }
        match TierTable::new(tiers) {
            Ok(t) => rows.push((sku, t)),
            Err(e) => errors.push(FieldError::new(
                &format!("entries[{i}].tiers"),
                "invalid_tiers",
                e.to_string(),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    for (sku, table) in &rows {
        store::put_entry(&mut tx, list, sku, table, now).await?;
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "price_list.put_entries",
            "price_list",
            list.to_string(),
            json!({ "entries": rows.len() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Reads a price-list upload: CSV with the header `sku,min_quantity,unit_price`
/// (comma or semicolon), one row per tier, rows of one SKU together or not.
/// Every bad row is named by its line number (`line 4`), and nothing is
/// returned unless all are good.
pub fn parse_price_csv(text: &str) -> Result<Vec<(String, Vec<TierBreak>)>, AppError> {
    let mut rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let split = |l: &str| -> Vec<String> {
        l.split([',', ';'])
            .map(|c| c.trim().trim_matches('"').to_string())
            .collect()
    };
    let header = rows
        .next()
        .map(|(_, l)| split(l.trim_start_matches('\u{feff}')));
    if header.as_deref()
        != Some(
            &[
                "sku".to_string(),
                "min_quantity".into(),
                "unit_price".into(),
            ][..],
        )
    {
        return Err(AppError::invalid(
            "line 1",
            "invalid_header",
            "the first line must be sku,min_quantity,unit_price",
        ));
    }
    let mut errors = Vec::new();
    let mut by_sku: Vec<(String, Vec<TierBreak>)> = Vec::new();
    for (i, line) in rows {
        let at = format!("line {}", i + 1);
        let cells = split(line);
        let [sku, min, price] = cells.as_slice() else {
            errors.push(FieldError::new(
                &at,
                "invalid_row",
                "a row has 3 cells: sku, min_quantity, unit_price",
            ));
            continue;
        };
        let (Ok(min_quantity), Ok(unit_price)) = (min.parse::<Decimal>(), price.parse::<Decimal>())
        else {
            errors.push(FieldError::new(
                &at,
                "invalid_number",
                "min_quantity and unit_price are decimal numbers (12.50)",
            ));
            continue;
        };
        let tier = TierBreak {
            min_quantity,
            unit_price,
        };
        match by_sku.iter_mut().find(|(s, _)| s == sku) {
            Some((_, tiers)) => tiers.push(tier),
            None => by_sku.push((sku.clone(), vec![tier])),
        }
    }
    if by_sku.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            "line 2",
            "empty_file",
            "the file has no price rows",
        ));
    }
    if errors.is_empty() {
        Ok(by_sku)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// One line of a quote request.
#[derive(Clone, Debug)]
pub struct QuoteItem {
    pub sku: String,
    pub quantity: Decimal,
}

/// One priced line.
#[derive(Clone, Debug, Serialize)]
pub struct QuoteLine {
    pub sku: String,
    pub quantity: Decimal,
    /// `None` when no list gives this buyer a price (ask for a quote).
    pub unit_price: Option<Money>,
    pub line_total: Option<Money>,
    pub price_list: Option<PriceListRef>,
    pub tier: Option<TierBreak>,
    /// Every list that was considered, the winner first, and why the
    /// others lost.
    pub candidates: Vec<CandidateView>,
}

/// A considered price list in a quote's explanation.
#[derive(Clone, Debug, Serialize)]
pub struct CandidateView {
    pub list_id: uuid::Uuid,
    pub list_name: String,
    /// `everyone`, `group <code>`, `tier <code>` or `contract`.
    pub audience: String,
    pub unit_price: Option<Decimal>,
    /// `None` for the winner.
    pub lost: Option<Lost>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PriceListRef {
    pub id: uuid::Uuid,
    pub name: String,
}

/// The tax of a quote.
#[derive(Clone, Debug, Serialize)]
pub struct QuoteTax {
    /// How the market's prices are entered.
    pub price_entry: PriceEntry,
    pub rounding: TaxRounding,
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
    /// Per rate: `{rate, net, tax}`.
    pub by_rate: Vec<mercato_core::tax::RateTotal>,
    /// EU reverse charge: no tax charged; the buyer accounts for it.
    pub reverse_charge: bool,
}

/// The buyer's prices for a set of lines.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    pub company_id: Option<CompanyId>,
    pub market: String,
    pub currency: Currency,
    pub lines: Vec<QuoteLine>,
    /// Sum of the priced lines (as entered: net or gross per the market).
    pub subtotal: Money,
    /// `None` while the market has no tax rules or no rate for the buyer's
    /// tax country (say so rather than show a wrong total).
    pub tax: Option<QuoteTax>,
    /// What the buyer pays: the gross total when tax is known, else the subtotal.
    pub total: Money,
}

/// Prices `items` for the caller's company (buyers), or for `company`
/// (staff explaining a company's prices: "why does X pay this?").
pub async fn quote(
    app: &App,
    p: &Principal,
    company: Option<CompanyId>,
    items: Vec<QuoteItem>,
) -> Result<Quote, AppError> {
    let company_id = match (p.membership(), company) {
        (Some(m), None) => m.company_id,
        (Some(m), Some(c)) if c == m.company_id => c,
        (Some(_), Some(_)) => return Err(AppError::NotFound("company")),
        (None, Some(c)) => {
            p.require(Permission::ManagePrices, "explain a company's prices")?;
            c
        }
        (None, None) => {
            return Err(AppError::invalid(
                "company_id",
                "required",
                "staff name the company whose prices to show",
            ));
        }
    };
    if p.membership().is_some() {
        p.require(Permission::ViewCompany, "see prices")?;
    }
    if items.is_empty() || items.len() > 1000 {
        return Err(AppError::invalid(
            "items",
            "out_of_range",
            "give 1 to 1,000 lines",
        ));
    }
    let scope = CompanyScope::after_access_check(company_id);
    let c = mercato_store::companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))?;
    price_for(app, &c, &items).await
}

/// Company `c` as a buyer now: its group, tier, market, currency and
/// whether it takes the best of its lists.
fn company_buyer(c: &mercato_store::companies::Company) -> Result<Buyer, AppError> {
    Ok(Buyer {
        company: Some(c.id),
        group: c.customer_group.clone(),
        tier: c.tier.clone(),
        market: c.market_code.clone(),
        currency: Currency::parse(&c.currency).map_err(|e| AppError::Internal(e.to_string()))?,
        at: time::OffsetDateTime::now_utc(),
        best_of: c.best_of_prices,
    })
}

/// Prices `items` for company `c` (the caller has checked access): each
/// line from its candidate lists, then the tax under the market's rules.
/// Carts and checkout price through here too, so a quote, a cart and an
/// order always agree.
pub(crate) async fn price_for(
    app: &App,
    c: &mercato_store::companies::Company,
    items: &[QuoteItem],
) -> Result<Quote, AppError> {
    let buyer = company_buyer(c)?;
    let currency = buyer.currency;
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if item.quantity <= Decimal::ZERO {
            errors.push(FieldError::new(
                &format!("items[{i}].quantity"),
                "invalid_quantity",
                "quantity must be positive",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let skus: Vec<String> = items.iter().map(|i| i.sku.trim().to_string()).collect();
    let who = AudienceFilter {
        company: buyer.company,
        group: buyer.group.clone(),
        tier: buyer.tier.clone(),
    };
    let mut candidates: BTreeMap<String, Vec<_>> = store::candidates(app.db(), &skus, &who).await?;
    let mut lines = Vec::with_capacity(items.len());
    let mut subtotal = Money::zero(currency);
    for (item, sku) in items.iter().zip(skus) {
        let lists = candidates.remove(&sku).unwrap_or_default();
        let resolved = resolve(&lists, &buyer, item.quantity).map_err(|e| match e {
            PricingError::NonPositiveQuantity => {
                AppError::invalid("quantity", "invalid_quantity", "quantity must be positive")
            }
            PricingError::Money(m) => AppError::Internal(m.to_string()),
        })?;
        let line = match resolved {
            Some(r) => {
                let total = r
                    .unit_price
                    .times(item.quantity, Rounding::HalfUp)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                subtotal = subtotal
                    .checked_add(&total)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                QuoteLine {
                    sku: sku.clone(),
                    quantity: item.quantity,
                    unit_price: Some(r.unit_price),
                    line_total: Some(total),
                    price_list: Some(PriceListRef {
                        id: r.list_id,
                        name: lists
                            .get(r.list_index)
                            .map(|l| l.name.clone())
                            .unwrap_or_default(),
                    }),
                    tier: Some(r.tier),
                    candidates: r
                        .candidates
                        .into_iter()
                        .filter_map(|o| {
                            let l = lists.get(o.index)?;
                            Some(CandidateView {
                                list_id: o.list_id,
                                list_name: l.name.clone(),
                                audience: l.audience.label(),
                                unit_price: o.unit_price,
                                lost: o.lost,
                            })
                        })
                        .collect(),
                }
            }
            None => QuoteLine {
                sku: sku.clone(),
                quantity: item.quantity,
                unit_price: None,
                line_total: None,
                price_list: None,
                tier: None,
                candidates: Vec::new(),
            },
        };
        lines.push(line);
    }
    let amounts: Vec<Money> = lines.iter().filter_map(|l| l.line_total).collect();
    let tax = tax_for(app, c, currency, &amounts).await?;
    let total = tax.as_ref().map_or(subtotal, |t| t.gross);
    Ok(Quote {
        company_id: Some(c.id),
        market: c.market_code.clone(),
        currency,
        lines,
        subtotal,
        tax,
        total,
    })
}

/// The tax on `amounts` (line totals after discounts, shipping) for
/// company `c`, under its market's rules.
pub(crate) async fn tax_for(
    app: &App,
    c: &mercato_store::companies::Company,
    currency: Currency,
    amounts: &[Money],
) -> Result<Option<QuoteTax>, AppError> {
    let Some(rules) = tax_store::market_tax(app.db(), &c.market_code).await? else {
        return Ok(None);
    };
    let vat = c
        .vat_number
        .as_deref()
        .and_then(|v| VatNumber::parse(c.country, v).ok());
    let reverse = reverse_charge_applies(rules.seller_country, c.country, vat.as_ref());
    let rate = if reverse {
        Decimal::ZERO
    } else {
        // Goods are taxed where the seller charges them: its country's
        // standard rate (tax categories per product come later).
        match tax_store::rate(app.db(), rules.seller_country, "standard").await? {
            Some(r) => r,
            None => return Ok(None),
        }
    };
    let inputs: Vec<TaxInput> = amounts
        .iter()
        .map(|amount| TaxInput {
            amount: *amount,
            rate,
        })
        .collect();
    if inputs.is_empty() {
        return Ok(None);
    }
    let doc = tax_document(
        currency,
        &inputs,
        rules.price_entry,
        rules.rounding,
        reverse,
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Some(QuoteTax {
        price_entry: rules.price_entry,
        rounding: rules.rounding,
        net: doc.net,
        tax: doc.tax,
        gross: doc.gross,
        by_rate: doc.by_rate,
        reverse_charge: doc.reverse_charge,
    }))
}

/// Sets the tax rate of a country and category (staff).
pub async fn set_tax_rate(
    app: &App,
    p: Option<&Principal>,
    country: &str,
    category: &str,
    rate: Decimal,
    client: &ClientInfo,
) -> Result<(), AppError> {
    require_staff(p)?;
    let mut errors = Vec::new();
    let country = CountryCode::parse(country)
        .map_err(|e| errors.push(FieldError::new("country", "invalid_country", e.to_string())))
        .ok();
    let category = mercato_core::company::parse_code(category).unwrap_or_else(|| {
        errors.push(FieldError::new(
            "category",
            "invalid_category",
            "category is a code such as standard or reduced",
        ));
        String::new()
    });
    if rate < Decimal::ZERO || rate >= Decimal::ONE || rate.normalize().scale() > 4 {
        errors.push(FieldError::new(
            "rate",
            "invalid_rate",
            "rate is a fraction from 0 to below 1 with at most 4 decimals (0.13 for 13 %)",
        ));
    }
    let (Some(country), true) = (country, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db().begin().await?;
    tax_store::put_rate(&mut tx, country, &category, rate, Timestamp::now()).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "tax_rate.set",
            "tax_rate",
            format!("{country}/{category}"),
            json!({ "rate": rate.to_string() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets how a market enters and rounds tax, and the seller's country (staff).
pub async fn set_market_tax(
    app: &App,
    p: Option<&Principal>,
    market: &str,
    price_entry: &str,
    rounding: &str,
    seller_country: &str,
    client: &ClientInfo,
) -> Result<MarketTax, AppError> {
    require_staff(p)?;
    let mut errors = Vec::new();
    let markets = mercato_store::catalog::list_markets(app.db()).await?;
    if !markets.iter().any(|m| m.code == market) {
        return Err(AppError::NotFound("market"));
    }
    let price_entry = match price_entry {
        "net" => Some(PriceEntry::Net),
        "gross" => Some(PriceEntry::Gross),
        _ => {
            errors.push(FieldError::new(
                "price_entry",
                "invalid_price_entry",
                "price_entry is net or gross",
            ));
            None
        }
    };
    let rounding = match rounding {
        "per_line" => Some(TaxRounding::PerLine),
        "per_document" => Some(TaxRounding::PerDocument),
        _ => {
            errors.push(FieldError::new(
                "tax_rounding",
                "invalid_tax_rounding",
                "tax_rounding is per_line or per_document",
            ));
            None
        }
    };
    let seller_country = CountryCode::parse(seller_country)
        .map_err(|e| {
            errors.push(FieldError::new(
                "seller_country",
                "invalid_country",
                e.to_string(),
            ))
        })
        .ok();
    let (Some(price_entry), Some(rounding), Some(seller_country)) =
        (price_entry, rounding, seller_country)
    else {
        return Err(AppError::Invalid(errors));
    };
    let rules = MarketTax {
        price_entry,
        rounding,
        seller_country,
    };
    let mut tx = app.db().begin().await?;
    tax_store::put_market_tax(&mut tx, market, &rules, Timestamp::now()).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "market.set_tax",
            "market",
            market.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(rules)
}

// ------------------------------------------------------------ shelf prices

/// One quantity break as a buyer sees it on a product page.
#[derive(Clone, Debug, Serialize)]
pub struct ShelfTier {
    pub min_quantity: Decimal,
    pub unit_price: Money,
}

/// The caller's price of a SKU on a product page or in a list: the unit
/// price at the smallest quantity that can be ordered, and every quantity
/// at which it drops.
#[derive(Clone, Debug, Serialize)]
pub struct ShelfPrice {
    pub unit_price: Money,
    pub tiers: Vec<ShelfTier>,
}

/// Who sees shelf prices: a signed-in buyer's company, else an anonymous
/// visitor of a market (the lists for everyone in its currency).
pub(crate) async fn shelf_buyer(
    app: &App,
    p: Option<&Principal>,
    market: &mercato_core::market::Market,
) -> Result<Buyer, AppError> {
    if let Some(m) = p.and_then(Principal::membership) {
        let scope = CompanyScope::after_access_check(m.company_id);
        if let Some(c) = mercato_store::companies::get(app.db(), &scope).await? {
            return company_buyer(&c);
        }
    }
    Ok(Buyer {
        company: None,
        group: None,
        tier: None,
        market: market.code.clone(),
        currency: market.currency,
        at: time::OffsetDateTime::now_utc(),
        best_of: false,
    })
}

/// The caller's shelf prices of `skus` (each with its minimum order
/// quantity), resolved exactly as a quote or a cart would price them: the
/// price at the minimum quantity, then at every tier break of any
/// candidate list above it, keeping the breaks where the price changes.
/// SKUs without a price for this buyer are absent ("ask for a price").
pub async fn shelf_prices(
    app: &App,
    p: Option<&Principal>,
    market: &mercato_core::market::Market,
    skus: &[(String, Decimal)],
) -> Result<BTreeMap<String, ShelfPrice>, AppError> {
    let buyer = shelf_buyer(app, p, market).await?;
    let who = AudienceFilter {
        company: buyer.company,
        group: buyer.group.clone(),
        tier: buyer.tier.clone(),
    };
    let names: Vec<String> = skus.iter().map(|(s, _)| s.clone()).collect();
    let candidates = store::candidates(app.db(), &names, &who).await?;
    let mut out = BTreeMap::new();
    for (sku, min_quantity) in skus {
        let Some(lists) = candidates.get(sku) else {
            continue;
        };
        let least = if *min_quantity > Decimal::ZERO {
            *min_quantity
        } else {
            Decimal::ONE
        };
        let mut breaks: Vec<Decimal> = lists
            .iter()
            .flat_map(|l| l.tiers.tiers().iter().map(|t| t.min_quantity))
            .filter(|q| *q > least)
            .collect();
        breaks.push(least);
        breaks.sort();
        breaks.dedup();
        let mut tiers: Vec<ShelfTier> = Vec::new();
        for q in breaks {
            let Ok(Some(r)) = resolve(lists, &buyer, q) else {
                continue;
            };
            if tiers.last().is_none_or(|t| t.unit_price != r.unit_price) {
                tiers.push(ShelfTier {
                    min_quantity: q,
                    unit_price: r.unit_price,
                });
            }
        }
        if let Some(first) = tiers.first() {
            out.insert(
                sku.clone(),
                ShelfPrice {
                    unit_price: first.unit_price,
                    tiers,
                },
            );
        }
    }
    Ok(out)
}

/// The caller's unit price of each of `skus` at its minimum order
/// quantity (for product lists); SKUs without a price are absent.
pub async fn list_prices(
    app: &App,
    p: Option<&Principal>,
    market: &mercato_core::market::Market,
    skus: &[String],
) -> Result<BTreeMap<String, Money>, AppError> {
    let facts = mercato_store::carts::sku_facts(app.db(), skus).await?;
    let with_min: Vec<(String, Decimal)> = skus
        .iter()
        .map(|s| {
            let min = facts.get(s).map_or(Decimal::ONE, |f| f.rules.min_quantity);
            (s.clone(), min)
        })
        .collect();
    Ok(shelf_prices(app, p, market, &with_min)
        .await?
        .into_iter()
        .map(|(sku, price)| (sku, price.unit_price))
        .collect())
}
