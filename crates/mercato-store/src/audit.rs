//! The audit log: who did what, to what, when, and on whose behalf.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::{AuditId, UserId};
use sqlx::types::Json;
use uuid::Uuid;

/// One audit entry.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub id: AuditId,
    pub occurred_at: Timestamp,
    pub actor: Option<UserId>,
    /// The customer a sales rep acted for, when acting on behalf of one.
    pub on_behalf_of: Option<UserId>,
    /// Stable snake_case action code, e.g. `auth.login`, `user.create`.
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// Writes an entry in the caller's transaction, so the log and the action
/// commit (or vanish) together.
pub async fn record(tx: &mut Tx, e: &AuditEntry) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO audit_log (audit_id, occurred_at, actor_user_id, on_behalf_of_user_id, action, subject_type, subject_id, detail, ip, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(e.id.0)
    .bind(e.occurred_at)
    .bind(e.actor.map(|u| u.0))
    .bind(e.on_behalf_of.map(|u| u.0))
    .bind(&e.action)
    .bind(&e.subject_type)
    .bind(e.subject_id.as_deref())
    .bind(Json(&e.detail))
    .bind(e.ip.as_deref())
    .bind(e.request_id.as_deref()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    audit_id: Uuid,
    occurred_at: Timestamp,
    actor_user_id: Option<Uuid>,
    on_behalf_of_user_id: Option<Uuid>,
    action: String,
    subject_type: String,
    subject_id: Option<String>,
    detail: Json<serde_json::Value>,
    ip: Option<String>,
    request_id: Option<String>,
}

/// The newest entries first, after the `(occurred_at, id)` position `before` when given.
pub async fn list(
    db: &Db,
    before: Option<(Timestamp, AuditId)>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let (before_at, before_id) = before
        .map(|(t, id)| (Some(t), Some(id.0)))
        .unwrap_or((None, None));
    let rows: Vec<AuditRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT audit_id, occurred_at, actor_user_id, on_behalf_of_user_id, action, subject_type, subject_id, detail, ip, request_id
         FROM audit_log WHERE ($1 IS NULL OR occurred_at < $1 OR (occurred_at = $1 AND audit_id < $3))
         ORDER BY occurred_at DESC, audit_id DESC LIMIT $2"
    )
    .bind(before_at)
    .bind(limit)
    .bind(before_id)
    .fetch_all(p)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: AuditId(r.audit_id),
            occurred_at: r.occurred_at,
            actor: r.actor_user_id.map(UserId),
            on_behalf_of: r.on_behalf_of_user_id.map(UserId),
            action: r.action,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            detail: r.detail.0,
            ip: r.ip,
            request_id: r.request_id,
        })
        .collect())
}
