//! What search needs from the database besides the catalog: the synonym
//! groups staff manage in the back office.

use crate::{Db, StoreError, Timestamp, Tx};
use sqlx::types::Json;
use uuid::Uuid;

/// A group of terms that find the same products (`螺栓`, `bolt`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynonymGroup {
    pub id: Uuid,
    pub terms: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct SynonymRow {
    synonym_group_id: Uuid,
    terms: Json<Vec<String>>,
}

/// Creates or replaces a synonym group (by id).
pub async fn upsert_synonym_group(
    tx: &mut Tx,
    g: &SynonymGroup,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO synonym_group (synonym_group_id, terms, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (synonym_group_id) DO UPDATE SET terms = excluded.terms, updated_at = excluded.updated_at"
    )
    .bind(g.id)
    .bind(Json(&g.terms))
    .bind(now))?;
    Ok(())
}

/// Deletes a synonym group; whether it existed.
pub async fn delete_synonym_group(tx: &mut Tx, id: Uuid) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM synonym_group WHERE synonym_group_id = $1").bind(id)
    )?;
    Ok(n > 0)
}

/// Every synonym group, oldest first.
pub async fn list_synonym_groups(db: &Db) -> Result<Vec<SynonymGroup>, StoreError> {
    let rows: Vec<SynonymRow> = db_run!(db, |p| sqlx::query_as(
        "SELECT synonym_group_id, terms FROM synonym_group ORDER BY synonym_group_id"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| SynonymGroup {
            id: r.synonym_group_id,
            terms: r.terms.0,
        })
        .collect())
}
