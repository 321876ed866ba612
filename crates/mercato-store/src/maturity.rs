//! The digital-maturity assessment (M1, M3): the figures the platform's own
//! data gives (`core::maturity` judges them) and saved self-assessments.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::maturity::{
    Answers, AssessmentStatus, MeasuredMaturity, PlatformFigures, SelfAssessment,
};
use sqlx::types::Json;
use uuid::Uuid;

/// Counts every figure of [`PlatformFigures`] in one round trip. `now`
/// sets the windows: 90 days for orders, shipments and feedback, 30 for
/// sign-ins and integration tokens.
pub async fn figures(db: &Db, now: Timestamp) -> Result<PlatformFigures, StoreError> {
    let since_90 = now.plus(-time::Duration::days(90));
    let since_30 = now.plus(-time::Duration::days(30));
    // The one per-backend difference: the JSON array length function.
    let tiered = match db {
        Db::Sqlite(_) => "json_array_length(e.tiers) > 1",
        Db::Pg(_) => "jsonb_array_length(e.tiers) > 1",
    };
    let sql = format!(
        "SELECT
          (SELECT COUNT(*) FROM product p WHERE p.status = 'active'),
          (SELECT COUNT(*) FROM product p WHERE p.status = 'active' AND EXISTS (
              SELECT 1 FROM variant v JOIN price_list_entry e ON e.sku = v.sku
              WHERE v.product_id = p.product_id)),
          (SELECT COUNT(*) FROM product p WHERE p.status = 'active' AND EXISTS (
              SELECT 1 FROM media m WHERE m.product_id = p.product_id AND m.kind = 'image')),
          (SELECT COUNT(*) FROM product p WHERE p.status = 'active' AND EXISTS (
              SELECT 1 FROM media m WHERE m.product_id = p.product_id AND m.kind = 'document')),
          (SELECT COUNT(*) FROM product p WHERE p.status = 'active' AND EXISTS (
              SELECT 1 FROM variant v WHERE v.product_id = p.product_id AND v.attributes <> '{{}}')),
          (SELECT COUNT(*) FROM price_list_entry e WHERE {tiered}),
          (SELECT COUNT(DISTINCT audience) FROM price_list WHERE audience <> 'everyone'),
          (SELECT COUNT(*) FROM promotion WHERE active),
          (SELECT COUNT(*) FROM market),
          (SELECT COUNT(*) FROM market WHERE show_prices AND show_stock),
          (SELECT COUNT(*) FROM sales_order WHERE placed_at > $1),
          (SELECT COUNT(*) FROM sales_order WHERE placed_at > $1 AND on_behalf_of IS NULL),
          (SELECT COUNT(*) FROM stock_level),
          (SELECT COUNT(*) FROM stock_level WHERE source IN ('api', 'import', 'order')),
          (SELECT COUNT(*) FROM api_token WHERE kind = 'integration' AND revoked_at IS NULL
              AND last_used_at > $2),
          (SELECT COUNT(*) FROM shipment WHERE shipped_at > $1),
          (SELECT COUNT(*) FROM shipment WHERE shipped_at > $1 AND tracking_number IS NOT NULL
              AND tracking_number <> ''),
          (SELECT COUNT(*) FROM feedback WHERE created_at > $1),
          (SELECT COUNT(*) FROM feedback WHERE created_at > $1 AND status <> 'new'),
          (SELECT COUNT(*) FROM company WHERE status <> 'pending'),
          (SELECT COUNT(*) FROM company WHERE status <> 'pending'
              AND (customer_group_id IS NOT NULL OR tier IS NOT NULL)),
          (SELECT COUNT(*) FROM maturity_assessment WHERE status = 'complete'),
          (SELECT COUNT(*) FROM app_user WHERE kind = 'staff' AND status = 'active'),
          (SELECT COUNT(*) FROM app_user WHERE kind = 'staff' AND status = 'active'
              AND staff_role IS NOT NULL AND staff_role <> 'admin'),
          (SELECT COUNT(*) FROM app_user WHERE kind = 'staff' AND status = 'active'
              AND last_login_at > $2),
          (SELECT COUNT(DISTINCT day) FROM report_view_daily WHERE day > $3)"
    );
    let counts: Vec<i64> = db_run!(db, |p| {
        use sqlx::Row as _;
        let r = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(since_90)
            .bind(since_30)
            .bind(mercato_core::report::iso(since_30.as_offset().date()))
            .fetch_one(p)
            .await?;
        (0..26)
            .map(|i| r.try_get::<i64, _>(i))
            .collect::<Result<Vec<i64>, _>>()
    })?;
    let n = |i: usize| counts.get(i).copied().unwrap_or(0).max(0).unsigned_abs();
    let (first, last) = order_span(db).await?;
    let b2b_price_kinds = u64::from(n(5) > 0) + n(6) + u64::from(n(7) > 0);
    Ok(PlatformFigures {
        active_products: n(0),
        products_with_price: n(1),
        products_with_image: n(2),
        products_with_document: n(3),
        products_with_specs: n(4),
        b2b_price_kinds,
        markets: n(8),
        markets_showing_prices_and_stock: n(9),
        recent_orders: n(10),
        recent_orders_online: n(11),
        stock_levels: n(12),
        stock_levels_automated: n(13),
        integrations_in_use: n(14),
        recent_shipments: n(15),
        recent_shipments_tracked: n(16),
        recent_feedback: n(17),
        recent_feedback_triaged: n(18),
        companies: n(19),
        companies_segmented: n(20),
        order_history_months: match (first, last) {
            (Some(a), Some(b)) => whole_months(a, b),
            _ => 0,
        },
        assessments_completed: n(21),
        active_staff: n(22),
        staff_with_roles: n(23),
        staff_signed_in_recently: n(24),
        report_days_recent: n(25),
    })
}

/// The first and the latest order's placement.
async fn order_span(db: &Db) -> Result<(Option<Timestamp>, Option<Timestamp>), StoreError> {
    let row: (Option<Timestamp>, Option<Timestamp>) = db_run!(db, |p| {
        sqlx::query_as("SELECT MIN(placed_at), MAX(placed_at) FROM sales_order")
            .fetch_one(p)
            .await
    })?;
    Ok(row)
}

/// Whole calendar months from `a` to `b` (Jan 31 → Feb 28 is 0, → Mar 1 is 1).
fn whole_months(a: Timestamp, b: Timestamp) -> u64 {
    let (a, b) = (a.as_offset(), b.as_offset());
    let months = (i64::from(b.year()) - i64::from(a.year())) * 12
        + (i64::from(u8::from(b.month())) - i64::from(u8::from(a.month())));
    let months = if (b.day(), b.time()) < (a.day(), a.time()) {
        months - 1
    } else {
        months
    };
    months.max(0).unsigned_abs()
}

/// A saved self-assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredAssessment {
    pub id: Uuid,
    pub status: AssessmentStatus,
    pub answers: Answers,
    /// The scores, once complete.
    pub result: Option<SelfAssessment>,
    /// The measured maturity when it was completed.
    pub measured: Option<MeasuredMaturity>,
    pub created_by: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub completed_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct Row {
    assessment_id: Uuid,
    status: String,
    answers: Json<Answers>,
    result: Option<Json<SelfAssessment>>,
    measured: Option<Json<MeasuredMaturity>>,
    created_by: Uuid,
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: Option<Timestamp>,
}

impl TryFrom<Row> for StoredAssessment {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(StoredAssessment {
            status: AssessmentStatus::parse(&r.status).ok_or_else(|| StoreError::Corrupt {
                what: "maturity assessment",
                detail: format!("{} status {:?}", r.assessment_id, r.status),
            })?,
            id: r.assessment_id,
            answers: r.answers.0,
            result: r.result.map(|j| j.0),
            measured: r.measured.map(|j| j.0),
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            completed_at: r.completed_at,
        })
    }
}

const COLUMNS: &str = "assessment_id, status, answers, result, measured, created_by, created_at, updated_at, completed_at";

/// Stores a new assessment.
pub async fn insert(tx: &mut Tx, a: &StoredAssessment) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO maturity_assessment (assessment_id, status, answers, result, measured, created_by,
                                              created_at, updated_at, completed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(a.id)
        .bind(a.status.code())
        .bind(Json(&a.answers))
        .bind(a.result.as_ref().map(Json))
        .bind(a.measured.as_ref().map(Json))
        .bind(a.created_by)
        .bind(a.created_at)
        .bind(a.updated_at)
        .bind(a.completed_at)
    )?;
    Ok(())
}

/// Saves a draft's new answers (and, when it is now complete, its result).
/// Completed assessments are history and never change: `false` if `a.id`
/// is not a draft any more (or does not exist).
pub async fn update_draft(tx: &mut Tx, a: &StoredAssessment) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE maturity_assessment
             SET status = $2, answers = $3, result = $4, measured = $5, updated_at = $6, completed_at = $7
             WHERE assessment_id = $1 AND status = 'draft'"
        )
        .bind(a.id)
        .bind(a.status.code())
        .bind(Json(&a.answers))
        .bind(a.result.as_ref().map(Json))
        .bind(a.measured.as_ref().map(Json))
        .bind(a.updated_at)
        .bind(a.completed_at)
    )?;
    Ok(n == 1)
}

/// One assessment.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<StoredAssessment>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM maturity_assessment WHERE assessment_id = $1");
    let row: Option<Row> = db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    row.map(StoredAssessment::try_from).transpose()
}

/// The most recently completed assessment.
pub async fn latest_complete(db: &Db) -> Result<Option<StoredAssessment>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM maturity_assessment WHERE status = 'complete'
         ORDER BY completed_at DESC, assessment_id LIMIT 1"
    );
    let row: Option<Row> = db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .fetch_optional(p)
            .await
    })?;
    row.map(StoredAssessment::try_from).transpose()
}

/// The latest `limit` assessments, newest first.
pub async fn list(db: &Db, limit: u32) -> Result<Vec<StoredAssessment>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM maturity_assessment ORDER BY created_at DESC, assessment_id LIMIT $1"
    );
    let rows: Vec<Row> = db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(i64::from(limit))
            .fetch_all(p)
            .await
    })?;
    rows.into_iter().map(StoredAssessment::try_from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::from(
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap(),
        )
    }

    #[test]
    fn whole_months_count_only_completed_months() {
        let m = |a, b| whole_months(at(a), at(b));
        assert_eq!(m("2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z"), 0);
        assert_eq!(m("2026-01-31T00:00:00Z", "2026-03-01T00:00:00Z"), 1);
        assert_eq!(m("2025-06-15T10:00:00Z", "2026-06-15T10:00:00Z"), 12);
        assert_eq!(m("2025-06-15T10:00:00Z", "2026-06-15T09:59:00Z"), 11);
        assert_eq!(m("2026-06-15T10:00:00Z", "2026-01-01T00:00:00Z"), 0);
    }
}
