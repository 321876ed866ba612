//! Inquiries from the storefront: requests for quotation and samples, and
//! contact messages (`core::inquiry` says what is accepted).

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::inquiry::{InquiryItem, InquiryKind, InquiryStatus};
use sqlx::types::Json;
use uuid::Uuid;

/// A stored inquiry.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredInquiry {
    pub id: Uuid,
    pub number: String,
    pub kind: InquiryKind,
    pub status: InquiryStatus,
    pub market: String,
    pub lang: String,
    pub name: String,
    pub company_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub message: String,
    pub items: Vec<InquiryItem>,
    /// The buyer's company and user when a signed-in buyer sent it.
    pub company_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub assigned_to: Option<Uuid>,
    /// `YYYY-MM-DD`.
    pub follow_up_on: Option<String>,
    pub staff_note: String,
    /// Keyed hash of the sender's address (rate limits).
    pub client_key: Option<String>,
    /// The storefront page it was sent from.
    pub page: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "inquiry_id, number, kind, status, market_code, lang, name, company_name, email, phone,
    message, items, company_id, user_id, assigned_to, follow_up_on, staff_note, client_key, page, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    inquiry_id: Uuid,
    number: String,
    kind: String,
    status: String,
    market_code: String,
    lang: String,
    name: String,
    company_name: String,
    email: String,
    phone: Option<String>,
    message: String,
    items: Json<Vec<InquiryItem>>,
    company_id: Option<Uuid>,
    user_id: Option<Uuid>,
    assigned_to: Option<Uuid>,
    follow_up_on: Option<String>,
    staff_note: String,
    client_key: Option<String>,
    page: Option<String>,
    created_at: Timestamp,
    updated_at: Timestamp,
}

impl TryFrom<Row> for StoredInquiry {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt {
            what: "inquiry",
            detail: format!("{} {what} {v:?}", r.inquiry_id),
        };
        Ok(StoredInquiry {
            kind: InquiryKind::parse(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?,
            status: InquiryStatus::parse(&r.status).ok_or_else(|| corrupt("status", &r.status))?,
            id: r.inquiry_id,
            number: r.number,
            market: r.market_code,
            lang: r.lang,
            name: r.name,
            company_name: r.company_name,
            email: r.email,
            phone: r.phone,
            message: r.message,
            items: r.items.0,
            company_id: r.company_id,
            user_id: r.user_id,
            assigned_to: r.assigned_to,
            follow_up_on: r.follow_up_on,
            staff_note: r.staff_note,
            client_key: r.client_key,
            page: r.page,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Stores a new inquiry.
pub async fn insert(tx: &mut Tx, i: &StoredInquiry) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO inquiry (inquiry_id, number, kind, status, market_code, lang, name, company_name, email,
                                  phone, message, items, company_id, user_id, assigned_to, follow_up_on,
                                  staff_note, client_key, page, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
        )
        .bind(i.id)
        .bind(&i.number)
        .bind(i.kind.as_str())
        .bind(i.status.as_str())
        .bind(&i.market)
        .bind(&i.lang)
        .bind(&i.name)
        .bind(&i.company_name)
        .bind(&i.email)
        .bind(i.phone.as_deref())
        .bind(&i.message)
        .bind(Json(&i.items))
        .bind(i.company_id)
        .bind(i.user_id)
        .bind(i.assigned_to)
        .bind(i.follow_up_on.as_deref())
        .bind(&i.staff_note)
        .bind(i.client_key.as_deref())
        .bind(i.page.as_deref())
        .bind(i.created_at)
        .bind(i.updated_at)
    )?;
    Ok(())
}

/// How many inquiries came from `client_key` since `since` (spam limits).
pub async fn count_from(db: &Db, client_key: &str, since: Timestamp) -> Result<i64, StoreError> {
    let n: i64 = db_run!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM inquiry WHERE client_key = $1 AND created_at > $2"
    )
    .bind(client_key)
    .bind(since)
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// Which inquiries a list shows.
#[derive(Clone, Debug, Default)]
pub struct InquiryFilter {
    pub status: Option<InquiryStatus>,
    pub kind: Option<InquiryKind>,
    pub assigned_to: Option<Uuid>,
    /// Inquiries sent by this company's users only.
    pub company_id: Option<Uuid>,
    /// Only ids below this one (UUIDv7: older), for cursor pages.
    pub before: Option<Uuid>,
}

/// Inquiries, newest first, at most `limit`.
pub async fn list(
    db: &Db,
    f: &InquiryFilter,
    limit: i64,
) -> Result<Vec<StoredInquiry>, StoreError> {
    // Optional filters as `($n IS NULL OR col = $n)`: one statement, plan
    // cached, no string building from input.
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM inquiry
         WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR kind = $2)
           AND ($3 IS NULL OR assigned_to = $3) AND ($4 IS NULL OR company_id = $4)
           AND ($5 IS NULL OR inquiry_id < $5)
         ORDER BY inquiry_id DESC LIMIT $6"
    ));
    let rows: Vec<Row> = db_run!(db, |p| sqlx::query_as(sql)
        .bind(f.status.map(InquiryStatus::as_str))
        .bind(f.kind.map(InquiryKind::as_str))
        .bind(f.assigned_to)
        .bind(f.company_id)
        .bind(f.before)
        .bind(limit)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(TryFrom::try_from).collect()
}

/// One inquiry.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<StoredInquiry>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM inquiry WHERE inquiry_id = $1"
    ));
    let row: Option<Row> = db_run!(db, |p| sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    row.map(TryFrom::try_from).transpose()
}

/// Saves staff's follow-up fields of an inquiry; false when it is gone.
pub async fn update_follow_up(tx: &mut Tx, i: &StoredInquiry) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE inquiry SET status = $2, assigned_to = $3, follow_up_on = $4, staff_note = $5, updated_at = $6
             WHERE inquiry_id = $1"
        )
        .bind(i.id)
        .bind(i.status.as_str())
        .bind(i.assigned_to)
        .bind(i.follow_up_on.as_deref())
        .bind(&i.staff_note)
        .bind(i.updated_at)
    )?;
    Ok(n == 1)
}
