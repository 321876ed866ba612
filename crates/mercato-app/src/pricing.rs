//! Price lists (staff) and price quotes (buyers, and staff explaining a
//! company's prices). Every quote resolves from the candidate lists of its
//! SKUs at request time (`mercato_core::pricing::resolve`): a price-list
//! change is in effect at the next request, with nothing to reindex.

use crate::auth::{ClientInfo, Principal};
use crate::companies::{self, CompanyScope};
use crate::{App, AppError, FieldError};
use mercato_core::money::{Currency, Money, Rounding};
use mercato_core::pricing::{
    Audience, Buyer, Lost, PricingError, TierBreak, TierError, TierTable, Validity, resolve,
};
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

/// One price list (staff).
pub async fn get_list(app: &App, p: &Principal, id: uuid::Uuid) -> Result<PriceList, AppError> {
    require_staff(Some(p))?;
    store::find_list(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("price list"))
}

/// Which price lists staff want to see; `None` fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Lists that apply in this market: its own and those for every market.
    pub market: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// The audience's kind: `everyone`, `group`, `tier` or `company`.
    pub audience: Option<String>,
    /// Where today lies in the list's validity window.
    pub validity: Option<Validity>,
}

/// A price list as the back office lists it.
#[derive(Clone, Debug)]
pub struct ListSummary {
    pub list: PriceList,
    /// How many SKUs it prices.
    pub entries: i64,
    /// Where now lies in its validity window.
    pub validity: Validity,
    /// The company of a contract list.
    pub company_name: Option<String>,
}

/// The audience's kind as filters and forms name it.
pub fn audience_kind(a: &Audience) -> &'static str {
    match a {
        Audience::Everyone => "everyone",
        Audience::Group(_) => "group",
        Audience::Tier(_) => "tier",
        Audience::Company(_) => "company",
    }
}

/// Where now lies in `list`'s validity window.
fn validity_now(list: &PriceList) -> Validity {
    Validity::of(
        list.valid_from.map(|t| t.as_offset()),
        list.valid_to.map(|t| t.as_offset()),
        time::OffsetDateTime::now_utc(),
    )
}

/// The company of a contract list.
fn contract_company(list: &PriceList) -> Option<CompanyId> {
    match &list.audience {
        Audience::Company(c) => Some(*c),
        _ => None,
    }
}

/// The price lists matching `f` (staff), by name, with their entry counts
/// and the names of contract lists' companies.
pub async fn overview(
    app: &App,
    p: &Principal,
    f: &ListFilter,
) -> Result<Vec<ListSummary>, AppError> {
    require_staff(Some(p))?;
    let counts = store::entry_counts(app.db()).await?;
    let lists = store::list_lists(app.db()).await?;
    let companies: Vec<CompanyId> = lists.iter().filter_map(contract_company).collect();
    let names = mercato_store::companies::names(app.db(), &companies).await?;
    let mut out = Vec::new();
    for list in lists {
        let validity = validity_now(&list);
        let keep = f
            .market
            .as_deref()
            .is_none_or(|m| list.market.as_deref().is_none_or(|x| x == m))
            && f.currency
                .as_deref()
                .is_none_or(|c| list.currency.code().eq_ignore_ascii_case(c))
            && f.audience
                .as_deref()
                .is_none_or(|a| audience_kind(&list.audience) == a)
            && f.validity.is_none_or(|v| v == validity);
        if !keep {
            continue;
        }
        out.push(ListSummary {
            entries: counts.get(&list.id).copied().unwrap_or(0),
            validity,
            company_name: contract_company(&list).and_then(|c| names.get(&c).cloned()),
            list,
        });
    }
    Ok(out)
}

/// One price list (staff) as [`overview`] summarises it.
pub async fn summary(app: &App, p: &Principal, id: uuid::Uuid) -> Result<ListSummary, AppError> {
    let list = get_list(app, p, id).await?;
    Ok(ListSummary {
        entries: store::entry_count(app.db(), id).await?,
        validity: validity_now(&list),
        company_name: match contract_company(&list) {
            Some(c) => mercato_store::companies::names(app.db(), &[c])
                .await?
                .remove(&c),
            None => None,
        },
        list,
    })
}

/// A page of a list's entries (staff): SKUs containing `text`, after SKU
/// `after`, at most `limit` (1 to 1,000), by SKU.
pub async fn entry_page(
    app: &App,
    p: &Principal,
    list: uuid::Uuid,
    text: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(String, TierTable)>, AppError> {
    require_staff(Some(p))?;
    if !(1..=1000).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 1,000",
        ));
    }
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    Ok(store::find_entries(app.db(), list, text, after, limit).await?)
}

/// The tier table of `sku` in list `list` (staff), if it has one.
pub async fn entry(
    app: &App,
    p: &Principal,
    list: uuid::Uuid,
    sku: &str,
) -> Result<Option<TierTable>, AppError> {
    require_staff(Some(p))?;
    Ok(store::entry(app.db(), list, sku.trim()).await?)
}

/// Takes a SKU out of a list (staff): buyers get their price from the
/// other lists from the next request on.
pub async fn delete_entry(
    app: &App,
    p: Option<&Principal>,
    list: uuid::Uuid,
    sku: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    require_staff(p)?;
    store::find_list(app.db(), list)
        .await?
        .ok_or(AppError::NotFound("price list"))?;
    let sku = sku.trim();
    let mut tx = app.db().begin().await?;
    if !store::delete_entry(&mut tx, list, sku).await? {
        return Err(AppError::NotFound("price list entry"));
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "price_list.delete_entry",
            "price_list",
            list.to_string(),
            json!({ "sku": sku }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Companies whose prices staff set (contract lists, explanations,
/// previews), by name: those whose name or VAT number contains `text`.
/// Staff with `manage_prices` name companies in contracts without
/// managing the companies themselves.
pub async fn companies(
    app: &App,
    p: &Principal,
    text: Option<&str>,
    limit: i64,
) -> Result<Vec<mercato_store::companies::Company>, AppError> {
    require_staff(Some(p))?;
    let filter = mercato_store::companies::CompanyFilter {
        text: text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
        limit: limit.clamp(1, 200),
        ..Default::default()
    };
    Ok(mercato_store::companies::list(app.db(), &filter).await?)
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

/// What is wrong with one entry of a bulk write.
enum EntryProblem {
    UnknownSku,
    Tiers(TierError),
}

/// Checks bulk entries against the catalog and the tier rules: the tables
/// to write, or each bad entry (by position) with its problem. The one
/// check behind both namings of the errors (`entries[3]` for JSON, file
/// lines for an upload).
async fn check_entries(
    app: &App,
    entries: Vec<(String, Vec<TierBreak>)>,
) -> Result<Result<Vec<(String, TierTable)>, Vec<(usize, String, EntryProblem)>>, AppError> {
    let skus: Vec<String> = entries.iter().map(|e| e.0.trim().to_string()).collect();
    let known = mercato_store::carts::sku_facts(app.db(), &skus).await?;
    let mut problems = Vec::new();
    let mut rows = Vec::with_capacity(entries.len());
    for (i, ((_, tiers), sku)) in entries.into_iter().zip(skus).enumerate() {
        if !known.contains_key(&sku) {
            problems.push((i, sku, EntryProblem::UnknownSku));
            continue;
        }
        match TierTable::new(tiers) {
            Ok(t) => rows.push((sku, t)),
            Err(e) => problems.push((i, sku, EntryProblem::Tiers(e))),
        }
    }
    Ok(if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    })
}

/// Refuses an empty or oversized bulk write.
fn check_entry_count(n: usize) -> Result<(), AppError> {
    if n == 0 || n > 100_000 {
        return Err(AppError::invalid(
            "entries",
            "out_of_range",
            "give 1 to 100,000 entries",
        ));
    }
    Ok(())
}

/// Writes checked tier tables in one transaction, with one audit entry.
async fn write_entries(
    app: &App,
    p: Option<&Principal>,
    list: uuid::Uuid,
    rows: &[(String, TierTable)],
    client: &ClientInfo,
) -> Result<usize, AppError> {
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    for (sku, table) in rows {
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
    check_entry_count(entries.len())?;
    let rows = match check_entries(app, entries).await? {
        Ok(rows) => rows,
        Err(problems) => {
            return Err(AppError::Invalid(
                problems
                    .into_iter()
                    .map(|(i, sku, problem)| match problem {
                        EntryProblem::UnknownSku => FieldError::new(
                            &format!("entries[{i}].sku"),
                            "unknown_sku",
                            format!("there is no SKU {sku:?}"),
                        ),
                        EntryProblem::Tiers(e) => FieldError::new(
                            &format!("entries[{i}].tiers"),
                            "invalid_tiers",
                            e.to_string(),
                        ),
                    })
                    .collect(),
            ));
        }
    };
    write_entries(app, p, list, &rows, client).await
}

/// One SKU of a price-list file: its tiers and the file line of each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceFileEntry {
    pub sku: String,
    pub tiers: Vec<TierBreak>,
    /// `lines[k]` is the (1-based) line `tiers[k]` came from.
    pub lines: Vec<usize>,
}

/// Uploads a price-list file (the format of [`parse_price_csv`]) all or
/// nothing, as [`put_entries`] does, but names every problem by the file
/// lines it is on (`line 4`, the column first in the message), so staff
/// can find it in their spreadsheet: an unknown SKU on each of its lines,
/// a bad tier on its own line, two tiers at one quantity on both.
pub async fn upload_price_file(
    app: &App,
    p: Option<&Principal>,
    list: uuid::Uuid,
    text: &str,
    client: &ClientInfo,
) -> Result<usize, AppError> {
    require_staff(p)?;
    store::find_list(app.db(), list)
        .await?
        .ok_or(AppError::NotFound("price list"))?;
    let file = read_price_csv(text)?;
    check_entry_count(file.len())?;
    let entries = file
        .iter()
        .map(|e| (e.sku.clone(), e.tiers.clone()))
        .collect();
    let rows = match check_entries(app, entries).await? {
        Ok(rows) => rows,
        Err(problems) => {
            let mut errors = Vec::new();
            for (i, sku, problem) in problems {
                let Some(entry) = file.get(i) else { continue };
                errors.extend(file_errors(entry, &sku, &problem));
            }
            errors.sort_by_key(|e| line_number(&e.field));
            return Err(AppError::Invalid(errors));
        }
    };
    write_entries(app, p, list, &rows, client).await
}

/// The line number of a `line N` field, for sorting errors by line.
fn line_number(field: &str) -> usize {
    field
        .strip_prefix("line ")
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// An entry's problem as errors on the file lines it comes from.
fn file_errors(entry: &PriceFileEntry, sku: &str, problem: &EntryProblem) -> Vec<FieldError> {
    let at = |line: usize, code: &str, message: String| {
        FieldError::new(&format!("line {line}"), code, message)
    };
    // The lines whose tier starts at `q` (two for an overlap).
    let lines_at = |q: Decimal| -> Vec<usize> {
        entry
            .tiers
            .iter()
            .zip(&entry.lines)
            .filter(|(t, _)| t.min_quantity == q)
            .map(|(_, l)| *l)
            .collect()
    };
    // Tier errors count tiers from 1 in the order the file gave them.
    let line_of = |index: usize| {
        entry
            .lines
            .get(index.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    match problem {
        EntryProblem::UnknownSku => entry
            .lines
            .iter()
            .map(|l| at(*l, "unknown_sku", format!("sku: there is no SKU {sku:?}")))
            .collect(),
        EntryProblem::Tiers(e) => {
            let message = e.to_string();
            match e {
                TierError::NonPositiveQuantity { index, .. } => vec![at(
                    line_of(*index),
                    "invalid_tiers",
                    format!("min_quantity: {message}"),
                )],
                TierError::NonPositivePrice { index, .. } | TierError::TooPrecise { index, .. } => {
                    vec![at(
                        line_of(*index),
                        "invalid_tiers",
                        format!("unit_price: {message}"),
                    )]
                }
                TierError::Overlap(q) => lines_at(*q)
                    .into_iter()
                    .map(|l| at(l, "invalid_tiers", format!("min_quantity: {message}")))
                    .collect(),
                TierError::PriceRises { from, .. } => lines_at(*from)
                    .into_iter()
                    .map(|l| at(l, "invalid_tiers", format!("unit_price: {message}")))
                    .collect(),
                // A SKU in a file has at least one row.
                TierError::Empty => entry
                    .lines
                    .iter()
                    .map(|l| at(*l, "invalid_tiers", message.clone()))
                    .collect(),
            }
        }
    }
}

/// Reads a price-list upload: CSV with the header `sku,min_quantity,unit_price`
/// (comma or semicolon), one row per tier, rows of one SKU together or not.
/// Every bad row is named by its line number (`line 4`), and nothing is
/// returned unless all are good.
pub fn parse_price_csv(text: &str) -> Result<Vec<(String, Vec<TierBreak>)>, AppError> {
    Ok(read_price_csv(text)?
        .into_iter()
        .map(|e| (e.sku, e.tiers))
        .collect())
}

/// [`parse_price_csv`], keeping the line each tier came from.
pub fn read_price_csv(text: &str) -> Result<Vec<PriceFileEntry>, AppError> {
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
    let mut by_sku: Vec<PriceFileEntry> = Vec::new();
    for (i, line) in rows {
        let number = i + 1;
        let at = format!("line {number}");
        let cells = split(line);
        let [sku, min, price] = cells.as_slice() else {
            errors.push(FieldError::new(
                &at,
                "invalid_row",
                "a row has 3 cells: sku, min_quantity, unit_price",
            ));
            continue;
        };
        // Each bad number names its column.
        let mut bad = Vec::new();
        let min_quantity = min
            .parse::<Decimal>()
            .map_err(|_| bad.push(("min_quantity", min)))
            .ok();
        let unit_price = price
            .parse::<Decimal>()
            .map_err(|_| bad.push(("unit_price", price)))
            .ok();
        let (Some(min_quantity), Some(unit_price)) = (min_quantity, unit_price) else {
            let message = bad
                .iter()
                .map(|(column, value)| {
                    format!("{column}: {value:?} is not a decimal number (12.50)")
                })
                .collect::<Vec<_>>()
                .join("; ");
            errors.push(FieldError::new(&at, "invalid_number", message));
            continue;
        };
        let tier = TierBreak {
            min_quantity,
            unit_price,
        };
        match by_sku.iter_mut().find(|e| &e.sku == sku) {
            Some(e) => {
                e.tiers.push(tier);
                e.lines.push(number);
            }
            None => by_sku.push(PriceFileEntry {
                sku: sku.clone(),
                tiers: vec![tier],
                lines: vec![number],
            }),
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

/// Company `c` as a buyer at `at`: its group, tier, market, currency and
/// whether it takes the best of its lists.
fn company_buyer(
    c: &mercato_store::companies::Company,
    at: time::OffsetDateTime,
) -> Result<Buyer, AppError> {
    Ok(Buyer {
        company: Some(c.id),
        group: c.customer_group.clone(),
        tier: c.tier.clone(),
        market: c.market_code.clone(),
        currency: Currency::parse(&c.currency).map_err(|e| AppError::Internal(e.to_string()))?,
        at,
        best_of: c.best_of_prices,
    })
}

/// Where and when staff price for a company: its own market and now,
/// unless they ask "what if" (another market, another day).
#[derive(Clone, Debug, Default)]
pub struct Scenario {
    /// A market code; `None`: the company's.
    pub market: Option<String>,
    /// `None`: now.
    pub at: Option<time::OffsetDateTime>,
}

/// Company `id` for staff with `manage_prices`, whose prices they
/// explain and preview.
pub async fn staff_company(
    app: &App,
    p: &Principal,
    id: CompanyId,
) -> Result<mercato_store::companies::Company, AppError> {
    if p.membership().is_some() {
        return Err(AppError::Forbidden("explain a company's prices"));
    }
    p.require(Permission::ManagePrices, "explain a company's prices")?;
    let scope = CompanyScope::after_access_check(id);
    mercato_store::companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))
}

/// Company `c` as it would buy in `s`: in another market it buys in that
/// market's currency (so that market's lists, promotions and tax rules
/// apply), at `s.at` or now.
pub(crate) async fn in_scenario(
    app: &App,
    mut c: mercato_store::companies::Company,
    s: &Scenario,
) -> Result<(mercato_store::companies::Company, time::OffsetDateTime), AppError> {
    let at = s.at.unwrap_or_else(time::OffsetDateTime::now_utc);
    let Some(code) = s
        .market
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty() && *m != c.market_code)
    else {
        return Ok((c, at));
    };
    let markets = mercato_store::catalog::list_markets(app.db()).await?;
    let Some(m) = markets.iter().find(|m| m.code == code) else {
        return Err(AppError::invalid(
            "market",
            "unknown_market",
            format!("there is no market {code:?}"),
        ));
    };
    c.market_code = m.code.clone();
    c.currency = m.currency.code().to_string();
    Ok((c, at))
}

/// Why company `company` pays what it pays for `items` (staff with
/// `manage_prices`), in its market now or in `scenario`: each line's
/// winning list and tier and every other candidate with the reason it
/// lost, then the tax. The same resolution as quotes, carts and orders.
pub async fn explain(
    app: &App,
    p: &Principal,
    company: CompanyId,
    items: Vec<QuoteItem>,
    scenario: &Scenario,
) -> Result<Quote, AppError> {
    let c = staff_company(app, p, company).await?;
    if items.is_empty() || items.len() > 1000 {
        return Err(AppError::invalid(
            "items",
            "out_of_range",
            "give 1 to 1,000 lines",
        ));
    }
    let (c, at) = in_scenario(app, c, scenario).await?;
    price_at(app, &c, &items, at).await
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
    price_at(app, c, items, time::OffsetDateTime::now_utc()).await
}

/// [`price_for`] at moment `at`.
pub(crate) async fn price_at(
    app: &App,
    c: &mercato_store::companies::Company,
    items: &[QuoteItem],
    at: time::OffsetDateTime,
) -> Result<Quote, AppError> {
    let buyer = company_buyer(c, at)?;
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
            return company_buyer(&c, time::OffsetDateTime::now_utc());
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
