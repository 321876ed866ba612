//! Gapless document-number series.

use crate::{StoreError, Tx};
use mercato_core::{DocumentNumber, DocumentSeries};

/// Takes the next number of `series` inside the caller's transaction. The
/// row stays locked until commit, so concurrent takers queue up, and a
/// rolled-back transaction hands its number back: committed numbers have
/// no gaps (invoices must not).
pub async fn next_number(
    tx: &mut Tx,
    series: DocumentSeries,
) -> Result<DocumentNumber, StoreError> {
    let key = series.key();
    tx_exec!(tx, sqlx::query(
        "INSERT INTO document_series (series, next_value) VALUES ($1, 1) ON CONFLICT (series) DO NOTHING"
    )
    .bind(key))?;
    let taken: i64 = tx_run!(tx, |c| {
        sqlx::query_scalar(
        "UPDATE document_series SET next_value = next_value + 1 WHERE series = $1 RETURNING next_value - 1"
    )
    .bind(key)
    .fetch_one(&mut *c)
    .await
    })?;
    let value = u64::try_from(taken).map_err(|_| StoreError::Corrupt {
        what: "document_series",
        detail: format!("{key} at {taken}"),
    })?;
    Ok(DocumentNumber { series, value })
}
