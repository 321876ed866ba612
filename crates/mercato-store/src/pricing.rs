//! Price lists and their entries. The store only loads candidates; the
//! choice is `mercato_core::pricing::resolve`.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::CompanyId;
use mercato_core::money::Currency;
use mercato_core::pricing::{Audience, PriceListCandidate, TierBreak, TierTable};
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A stored price list (without its entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceList {
    pub id: Uuid,
    pub name: String,
    pub currency: Currency,
    pub market: Option<String>,
    pub audience: Audience,
    pub priority: i32,
    pub valid_from: Option<Timestamp>,
    pub valid_to: Option<Timestamp>,
}

fn audience_columns(a: &Audience) -> (&'static str, Option<String>) {
    match a {
        Audience::Everyone => ("everyone", None),
        Audience::Group(g) => ("group", Some(g.clone())),
        Audience::Tier(t) => ("tier", Some(t.clone())),
        Audience::Company(c) => ("company", Some(c.to_string())),
    }
}

fn corrupt(detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what: "price_list",
        detail: detail.into(),
    }
}

fn audience_of(kind: &str, value: Option<String>) -> Result<Audience, StoreError> {
    Ok(match (kind, value) {
        ("everyone", _) => Audience::Everyone,
        ("group", Some(g)) => Audience::Group(g),
        ("tier", Some(t)) => Audience::Tier(t),
        ("company", Some(c)) => Audience::Company(CompanyId(
            c.parse().map_err(|_| corrupt(format!("company {c:?}")))?,
        )),
        (k, v) => return Err(corrupt(format!("audience {k:?} {v:?}"))),
    })
}

#[derive(sqlx::FromRow)]
struct ListRow {
    price_list_id: Uuid,
    name: String,
    currency: String,
    market_code: Option<String>,
    audience: String,
    audience_value: Option<String>,
    priority: i32,
    valid_from: Option<Timestamp>,
    valid_to: Option<Timestamp>,
}

impl TryFrom<ListRow> for PriceList {
    type Error = StoreError;
    fn try_from(r: ListRow) -> Result<Self, StoreError> {
        Ok(PriceList {
            id: r.price_list_id,
            name: r.name,
            currency: Currency::parse(&r.currency).map_err(|e| corrupt(e.to_string()))?,
            market: r.market_code,
            audience: audience_of(&r.audience, r.audience_value)?,
            priority: r.priority,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        })
    }
}

/// Stores a new price list.
pub async fn insert_list(tx: &mut Tx, l: &PriceList, now: Timestamp) -> Result<(), StoreError> {
    let (kind, value) = audience_columns(&l.audience);
    tx_exec!(tx, sqlx::query(
        "INSERT INTO price_list (price_list_id, name, currency, market_code, audience, audience_value, priority,
                                 valid_from, valid_to, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
    )
    .bind(l.id)
    .bind(&l.name)
    .bind(l.currency.code())
    .bind(l.market.as_deref())
    .bind(kind)
    .bind(value)
    .bind(l.priority)
    .bind(l.valid_from)
    .bind(l.valid_to)
    .bind(now))?;
    Ok(())
}

/// Every price list, by name.
pub async fn list_lists(db: &Db) -> Result<Vec<PriceList>, StoreError> {
    let rows: Vec<ListRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT price_list_id, name, currency, market_code, audience, audience_value, priority, valid_from, valid_to
           FROM price_list ORDER BY name, price_list_id"
    )
    .fetch_all(p)
    .await
    })?;
    rows.into_iter().map(PriceList::try_from).collect()
}

/// One price list.
pub async fn find_list(db: &Db, id: Uuid) -> Result<Option<PriceList>, StoreError> {
    let row: Option<ListRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT price_list_id, name, currency, market_code, audience, audience_value, priority, valid_from, valid_to
           FROM price_list WHERE price_list_id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await
    })?;
    row.map(PriceList::try_from).transpose()
}

/// Writes a SKU's tier table in a list (insert or replace).
pub async fn put_entry(
    tx: &mut Tx,
    list: Uuid,
    sku: &str,
    tiers: &TierTable,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO price_list_entry (price_list_id, sku, tiers, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (price_list_id, sku) DO UPDATE SET tiers = excluded.tiers, updated_at = excluded.updated_at"
    )
    .bind(list)
    .bind(sku)
    .bind(Json(tiers.tiers()))
    .bind(now))?;
    tx_exec!(
        tx,
        sqlx::query("UPDATE price_list SET updated_at = $2 WHERE price_list_id = $1")
            .bind(list)
            .bind(now)
    )?;
    Ok(())
}

/// Removes a SKU from a list; returns whether it was there.
pub async fn delete_entry(tx: &mut Tx, list: Uuid, sku: &str) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM price_list_entry WHERE price_list_id = $1 AND sku = $2")
            .bind(list)
            .bind(sku)
    )?;
    Ok(n == 1)
}

/// Whom candidates are loaded for: only lists whose audience can include
/// this buyer are read, so a contract list of another company never leaves
/// the database.
#[derive(Clone, Debug, Default)]
pub struct AudienceFilter {
    pub company: Option<CompanyId>,
    pub group: Option<String>,
    pub tier: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    sku: String,
    price_list_id: Uuid,
    tiers: Json<Vec<TierBreak>>,
}

/// The lists with an entry for each of `skus` that can apply to the
/// audience, by SKU. Two reads: the few lists the audience can see (each
/// parsed once), then only `(sku, list, tiers)` of their entries, so a
/// 100-line cart does not copy and parse every list's metadata once per
/// entry row.
pub async fn candidates(
    db: &Db,
    skus: &[String],
    who: &AudienceFilter,
) -> Result<BTreeMap<String, Vec<PriceListCandidate>>, StoreError> {
    let mut out: BTreeMap<String, Vec<PriceListCandidate>> = BTreeMap::new();
    if skus.is_empty() {
        return Ok(out);
    }
    let company = who.company.map(|c| c.to_string());
    let rows: Vec<ListRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT price_list_id, name, currency, market_code, audience, audience_value, priority, valid_from, valid_to
               FROM price_list
              WHERE audience = 'everyone'
                 OR (audience = 'company' AND audience_value = $1)
                 OR (audience = 'group' AND audience_value = $2)
                 OR (audience = 'tier' AND audience_value = $3)",
        )
        .bind(company.as_deref())
        .bind(who.group.as_deref())
        .bind(who.tier.as_deref())
        .fetch_all(p)
        .await
    })?;
    let lists: BTreeMap<Uuid, PriceList> = rows
        .into_iter()
        .map(|r| PriceList::try_from(r).map(|l| (l.id, l)))
        .collect::<Result<_, _>>()?;
    if lists.is_empty() {
        return Ok(out);
    }
    let ids: Vec<Uuid> = lists.keys().copied().collect();
    let list_ph = crate::db::placeholders_from(1, ids.len());
    for chunk in skus.chunks(400) {
        let sku_ph = crate::db::placeholders_from(ids.len() + 1, chunk.len());
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT sku, price_list_id, tiers FROM price_list_entry
              WHERE price_list_id IN ({list_ph}) AND sku IN ({sku_ph})
              ORDER BY sku, price_list_id"
        ));
        let rows: Vec<EntryRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for id in &ids {
                q = q.bind(*id);
            }
            for s in chunk {
                q = q.bind(s);
            }
            q.fetch_all(p).await
        })?;
        for r in rows {
            let Some(list) = lists.get(&r.price_list_id) else {
                continue;
            };
            let tiers = TierTable::new(r.tiers.0).map_err(|e| corrupt(e.to_string()))?;
            out.entry(r.sku).or_default().push(PriceListCandidate {
                id: list.id,
                name: list.name.clone(),
                currency: list.currency,
                market: list.market.clone(),
                audience: list.audience.clone(),
                priority: list.priority,
                valid_from: list.valid_from.map(|t| t.as_offset()),
                valid_to: list.valid_to.map(|t| t.as_offset()),
                tiers,
            });
        }
    }
    Ok(out)
}

/// The tier tables of a list, by SKU.
pub async fn entries_of(db: &Db, list: Uuid) -> Result<Vec<(String, TierTable)>, StoreError> {
    let rows: Vec<(String, Json<Vec<TierBreak>>)> = db_run!(db, |p| sqlx::query_as(
        "SELECT sku, tiers FROM price_list_entry WHERE price_list_id = $1 ORDER BY sku"
    )
    .bind(list)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(s, t)| {
            TierTable::new(t.0)
                .map(|t| (s, t))
                .map_err(|e| corrupt(e.to_string()))
        })
        .collect()
}

/// How many SKUs each list prices, by list (lists without entries absent).
pub async fn entry_counts(db: &Db) -> Result<BTreeMap<Uuid, i64>, StoreError> {
    let rows: Vec<(Uuid, i64)> = db_run!(db, |p| sqlx::query_as(
        "SELECT price_list_id, COUNT(*) FROM price_list_entry GROUP BY price_list_id"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// The tier table of `sku` in list `list`, if it has one.
pub async fn entry(db: &Db, list: Uuid, sku: &str) -> Result<Option<TierTable>, StoreError> {
    let row: Option<(Json<Vec<TierBreak>>,)> = db_run!(db, |p| sqlx::query_as(
        "SELECT tiers FROM price_list_entry WHERE price_list_id = $1 AND sku = $2"
    )
    .bind(list)
    .bind(sku)
    .fetch_optional(p)
    .await)?;
    row.map(|(t,)| TierTable::new(t.0).map_err(|e| corrupt(e.to_string())))
        .transpose()
}

/// How many SKUs list `list` prices.
pub async fn entry_count(db: &Db, list: Uuid) -> Result<i64, StoreError> {
    Ok(db_run!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM price_list_entry WHERE price_list_id = $1"
    )
    .bind(list)
    .fetch_one(p)
    .await)?)
}

/// A page of a list's entries by SKU: those whose SKU contains `text`
/// (case-insensitive; `%` and `_` match themselves), after SKU `after`,
/// at most `limit`. The back office's entry table, which must not load a
/// 100,000-SKU list to show 100 rows.
pub async fn find_entries(
    db: &Db,
    list: Uuid,
    text: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(String, TierTable)>, StoreError> {
    let pattern = text.map(|t| crate::stock::contains_pattern(&t.to_lowercase()));
    let rows: Vec<(String, Json<Vec<TierBreak>>)> = db_run!(db, |p| sqlx::query_as(
        "SELECT sku, tiers FROM price_list_entry
          WHERE price_list_id = $1
            AND ($2 IS NULL OR LOWER(sku) LIKE $2 ESCAPE '\\')
            AND ($3 IS NULL OR sku > $3)
          ORDER BY sku LIMIT $4"
    )
    .bind(list)
    .bind(pattern.as_deref())
    .bind(after)
    .bind(limit)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(s, t)| {
            TierTable::new(t.0)
                .map(|t| (s, t))
                .map_err(|e| corrupt(e.to_string()))
        })
        .collect()
}
