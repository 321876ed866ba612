//! Promotions (FEATURES.md P5), as staff enter them, and what a cart loads
//! to apply them. Every definition is checked when it is entered, with all
//! its problems at once; the evaluation itself is
//! `mercato_core::promotion::apply`, run by the cart on every view.

use crate::auth::{ClientInfo, Principal};
use crate::{App, AppError, FieldError};
use mercato_core::money::Currency;
use mercato_core::pricing::Audience;
use mercato_core::promotion::{
    Action, Condition, LineScope, Promotion, PromotionError, Stacking, Usage,
};
use mercato_core::{CompanyId, Permission};
use mercato_store::promotions as store;
use mercato_store::{StoreError, Timestamp, audit};
use serde_json::json;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

pub use mercato_store::promotions::StoredPromotion;

/// A promotion as staff enter it (create, or replace on update).
#[derive(Clone, Debug)]
pub struct PromotionInput {
    pub name: String,
    /// ISO 4217: the currency of the amounts in conditions and action.
    pub currency: String,
    /// `None`: every market trading in `currency`.
    pub market: Option<String>,
    /// Higher is considered first (default 0).
    pub priority: Option<i32>,
    pub stacking: Stacking,
    /// Compared case-insensitively; stored upper-cased.
    pub coupon_code: Option<String>,
    pub valid_from: Option<OffsetDateTime>,
    pub valid_to: Option<OffsetDateTime>,
    pub usage_limit: Option<u32>,
    pub per_company_limit: Option<u32>,
    pub conditions: Vec<Condition>,
    pub action: Action,
    /// Default `true`.
    pub active: Option<bool>,
}

/// Staff with `manage_prices`, or the operator (CLI, demo loader) for `None`.
fn require_staff(p: Option<&Principal>) -> Result<(), AppError> {
    crate::auth::require_staff(p, Permission::ManagePrices, "manage promotions")
}

/// The stable code of a definition problem.
fn error_code(e: &PromotionError) -> &'static str {
    match e {
        PromotionError::BlankName => "invalid_name",
        PromotionError::CouponCode(_) => "invalid_coupon_code",
        PromotionError::EmptyWindow { .. } => "empty_window",
        PromotionError::ZeroLimit(_) => "zero_limit",
        PromotionError::Percent { .. } => "invalid_percent",
        PromotionError::NonPositiveAmount { .. } => "non_positive_amount",
        PromotionError::TooPrecise { .. } => "too_many_decimals",
        PromotionError::NotWholeMinorUnits { .. } => "not_whole_minor_units",
        PromotionError::NonPositiveQuantity { .. } => "non_positive_quantity",
        PromotionError::EmptyList(_) => "empty_list",
        PromotionError::BlankCode(_) => "blank_code",
        PromotionError::NoTiers(_) => "no_tiers",
        PromotionError::TierOverlap { .. } => "overlapping_tiers",
        PromotionError::TiersOutOfOrder { .. } => "tiers_out_of_order",
        PromotionError::TierPercentNotRising { .. } => "tier_percent_not_rising",
        PromotionError::NotAWholeCount { .. } => "not_a_whole_count",
    }
}

/// A definition problem as a field error, named as the API names fields
/// (`coupon_code`, `conditions[0].amount`, `action.tiers[1].percent`).
fn field_error(e: &PromotionError) -> FieldError {
    let field = match e {
        PromotionError::BlankName => "name".to_string(),
        PromotionError::CouponCode(_) => "coupon_code".to_string(),
        PromotionError::EmptyWindow { .. } => "valid_to".to_string(),
        PromotionError::ZeroLimit(f)
        | PromotionError::EmptyList(f)
        | PromotionError::BlankCode(f)
        | PromotionError::NoTiers(f)
        | PromotionError::Percent { field: f, .. }
        | PromotionError::NonPositiveAmount { field: f, .. }
        | PromotionError::TooPrecise { field: f, .. }
        | PromotionError::NotWholeMinorUnits { field: f, .. }
        | PromotionError::NonPositiveQuantity { field: f, .. }
        | PromotionError::TierOverlap { field: f, .. }
        | PromotionError::TiersOutOfOrder { field: f, .. }
        | PromotionError::TierPercentNotRising { field: f, .. }
        | PromotionError::NotAWholeCount { field: f, .. } => f.to_string(),
    };
    // The core's messages start with the field as it names it; the field
    // error carries it separately.
    let message = e.to_string();
    let message = match message.split_once(": ") {
        Some((_, rest)) => rest.to_string(),
        None => message,
    };
    FieldError::new(&field, error_code(e), message)
}

/// Checks `input` (for promotion `id`: a new one, or the one being
/// replaced) and turns it into what is stored, or every problem at once.
async fn check(
    app: &App,
    id: Uuid,
    input: PromotionInput,
) -> Result<(StoredPromotion, Promotion), AppError> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_string();
    if name.chars().count() > 200 {
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
    let market = input.market.map(|m| m.trim().to_string());
    if let Some(code) = &market {
        crate::pricing::check_market_currency(app, code, currency, &mut errors).await?;
    }
    let coupon = input
        .coupon_code
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    let promotion = Promotion {
        id,
        name,
        priority: input.priority.unwrap_or(0),
        stacking: input.stacking,
        coupon,
        // As stored (UTC, microseconds), so what is answered is what is read back.
        valid_from: input.valid_from.map(|t| Timestamp::from(t).as_offset()),
        valid_to: input.valid_to.map(|t| Timestamp::from(t).as_offset()),
        usage_limit: input.usage_limit,
        per_company_limit: input.per_company_limit,
        conditions: input.conditions,
        action: input.action,
    };
    // Without a currency the definition is still checked, against any
    // currency, leaving out the one check that depends on it.
    let checked_with = currency.or_else(|| Currency::parse("EUR").ok());
    let mut definition_ok = true;
    if let Some(c) = checked_with
        && let Err(problems) = promotion.validate(c)
    {
        definition_ok = false;
        errors.extend(
            problems
                .iter()
                .filter(|e| {
                    currency.is_some() || !matches!(e, PromotionError::NotWholeMinorUnits { .. })
                })
                .map(field_error),
        );
    }
    if let Some(code) = &promotion.coupon
        && mercato_core::promotion::is_coupon_code(code)
        && let Some(holder) = store::find_by_coupon(app.db(), code).await?
        && holder != id
    {
        errors.push(coupon_taken(code));
    }
    if let (Some(c), true) = (currency, definition_ok) {
        errors
            .extend(unit_discounts_above_list_price(app, &promotion, c, market.as_deref()).await?);
    }
    let (Some(currency), true) = (currency, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let now = Timestamp::now();
    let meta = StoredPromotion {
        id,
        currency,
        market,
        active: input.active.unwrap_or(true),
        created_at: now,
        updated_at: now,
    };
    Ok((meta, promotion))
}

fn coupon_taken(code: &str) -> FieldError {
    FieldError::new(
        "coupon_code",
        "coupon_taken",
        format!("another promotion already has the coupon code {code}"),
    )
}

/// A fixed amount off each unit that is more than a SKU's list price would
/// take every such line below zero (the core cuts it to zero, but the
/// amount was surely meant for something else). Checked for promotions
/// scoped to SKUs, against the current prices of price lists for everyone
/// in the promotion's currency and market (any tier: a volume price is a
/// list price too). Contract and group prices may be lower still; those
/// lines are cut at zero and reported as capped. Category, brand and
/// all-lines scopes are not checked: that would mean pricing every SKU of
/// the categories or brands (or the catalog) whenever a promotion is saved.
async fn unit_discounts_above_list_price(
    app: &App,
    p: &Promotion,
    currency: Currency,
    market: Option<&str>,
) -> Result<Vec<FieldError>, AppError> {
    let Action::FixedOffEachUnit {
        scope: LineScope::Skus(skus),
        amount,
    } = &p.action
    else {
        return Ok(Vec::new());
    };
    let skus: Vec<String> = skus.iter().map(|s| s.trim().to_string()).collect();
    let everyone = mercato_store::pricing::AudienceFilter::default();
    let candidates = mercato_store::pricing::candidates(app.db(), &skus, &everyone).await?;
    let now = OffsetDateTime::now_utc();
    let mut errors = Vec::new();
    for (sku, lists) in &candidates {
        let lowest = lists
            .iter()
            .filter(|l| {
                l.audience == Audience::Everyone
                    && l.currency == currency
                    && (l.market.is_none() || market.is_none() || l.market.as_deref() == market)
                    && l.valid_from.is_none_or(|f| f <= now)
                    && l.valid_to.is_none_or(|t| now < t)
            })
            .flat_map(|l| l.tiers.tiers().iter().map(move |t| (t.unit_price, l)))
            .min_by_key(|(price, _)| *price);
        if let Some((price, list)) = lowest
            && *amount > price
        {
            errors.push(FieldError::new(
                "action.amount",
                "would_make_line_negative",
                format!(
                    "{amount} {currency} off each unit is more than {sku}'s list price of {} in {:?}",
                    price.normalize(),
                    list.name
                ),
            ));
        }
    }
    Ok(errors)
}

/// A coupon code already taken, when the unique index saw it before
/// [`check`] did (two staff saving at once).
fn map_conflict(e: StoreError, code: Option<&str>) -> AppError {
    match (code, &e) {
        (Some(code), StoreError::Conflict { .. }) if e.is_conflict_on("coupon_code") => {
            AppError::Invalid(vec![coupon_taken(code)])
        }
        _ => e.into(),
    }
}

fn audit_detail(meta: &StoredPromotion, p: &Promotion) -> serde_json::Value {
    json!({
        "name": p.name,
        "currency": meta.currency.code(),
        "market": meta.market,
        "coupon_code": p.coupon,
        "active": meta.active,
        "action": p.action,
    })
}

/// Creates a promotion (staff with `manage_prices`; `None`: the operator,
/// e.g. the demo loader). Refused at entry with every reason: the core's
/// definition rules (percentages above 0 and at most 100, positive
/// amounts with at most 4 decimals, tiers that rise, a window that is not
/// empty…), an unknown market or one trading in another currency, a
/// coupon code another promotion has (in any case), an amount off each
/// unit above a SKU's list price.
pub async fn create(
    app: &App,
    p: Option<&Principal>,
    input: PromotionInput,
    client: &ClientInfo,
) -> Result<(StoredPromotion, Promotion), AppError> {
    require_staff(p)?;
    let (meta, promotion) = check(app, Uuid::now_v7(), input).await?;
    let mut tx = app.db().begin().await?;
    store::insert(&mut tx, &meta, &promotion)
        .await
        .map_err(|e| map_conflict(e, promotion.coupon.as_deref()))?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "promotion.create",
            "promotion",
            meta.id.to_string(),
            audit_detail(&meta, &promotion),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((meta, promotion))
}

/// Replaces promotion `id`'s definition (staff), checked as [`create`]
/// checks. Carts see the change at their next view; orders already placed
/// keep what they were given.
pub async fn update(
    app: &App,
    p: Option<&Principal>,
    id: Uuid,
    input: PromotionInput,
    client: &ClientInfo,
) -> Result<(StoredPromotion, Promotion), AppError> {
    require_staff(p)?;
    let (old, _) = store::get(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("promotion"))?;
    let (mut meta, promotion) = check(app, id, input).await?;
    meta.created_at = old.created_at;
    let mut tx = app.db().begin().await?;
    let found = store::update(&mut tx, &meta, &promotion)
        .await
        .map_err(|e| map_conflict(e, promotion.coupon.as_deref()))?;
    if !found {
        return Err(AppError::NotFound("promotion"));
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "promotion.update",
            "promotion",
            id.to_string(),
            audit_detail(&meta, &promotion),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((meta, promotion))
}

/// Every promotion (staff), in the order carts consider them: higher
/// priority first, then by id.
pub async fn list(app: &App, p: &Principal) -> Result<Vec<(StoredPromotion, Promotion)>, AppError> {
    require_staff(Some(p))?;
    Ok(store::list(app.db()).await?)
}

/// Every promotion (staff) with how many orders used it, in the order
/// carts consider them.
pub async fn list_with_usage(
    app: &App,
    p: &Principal,
) -> Result<Vec<(StoredPromotion, Promotion, u32)>, AppError> {
    let all = list(app, p).await?;
    let ids: Vec<Uuid> = all.iter().map(|(m, _)| m.id).collect();
    // The store counts a company's uses too; no company is asked about
    // here, so the nil id's count (always 0) is ignored.
    let usage = store::usage(app.db(), &ids, CompanyId(Uuid::nil())).await?;
    Ok(all
        .into_iter()
        .map(|(m, p)| {
            let used = usage.get(&m.id).map_or(0, |u| u.total);
            (m, p, used)
        })
        .collect())
}

/// One promotion (staff).
pub async fn get(
    app: &App,
    p: &Principal,
    id: Uuid,
) -> Result<(StoredPromotion, Promotion), AppError> {
    require_staff(Some(p))?;
    store::get(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("promotion"))
}

/// Deletes a promotion (staff). One that an order used is kept (its uses
/// count towards its limits and explain past orders): 409
/// `promotion_in_use`; deactivate it instead.
pub async fn delete(
    app: &App,
    p: Option<&Principal>,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), AppError> {
    require_staff(p)?;
    let mut tx = app.db().begin().await?;
    let deleted = store::delete(&mut tx, id).await.map_err(|e| match e {
        // The only reference to a promotion is an order's use of it.
        StoreError::Conflict { .. } => AppError::Conflict {
            code: "promotion_in_use",
            detail: "orders used this promotion; deactivate it instead".into(),
        },
        e => e.into(),
    })?;
    if !deleted {
        return Err(AppError::NotFound("promotion"));
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "promotion.delete",
            "promotion",
            id.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a cart in `currency` and `market` of `company_id` needs to apply
/// promotions at `at`: the active promotions it may see (automatic ones
/// inside their window, coupon ones whatever their window so a code is
/// refused with its reason) and how often orders used them, in all and by
/// the company. The caller has checked access to the company. Amounts
/// stay exact; `mercato_core::promotion::apply` does the rest.
pub async fn for_cart(
    app: &App,
    currency: Currency,
    market: &str,
    company_id: CompanyId,
    at: OffsetDateTime,
) -> Result<(Vec<Promotion>, BTreeMap<Uuid, Usage>), AppError> {
    let found = store::active_for(app.db(), currency, market, Timestamp::from(at)).await?;
    let promotions: Vec<Promotion> = found.into_iter().map(|(_, p)| p).collect();
    let ids: Vec<Uuid> = promotions.iter().map(|p| p.id).collect();
    let usage = store::usage(app.db(), &ids, company_id).await?;
    Ok((promotions, usage))
}
