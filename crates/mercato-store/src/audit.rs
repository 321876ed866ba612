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

/// Which entries to read; every `None` matches everything.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// The acting user's e-mail (as stored: lower-cased).
    pub actor_email: Option<String>,
    /// An exact action code, or every action starting with it when it ends
    /// in `.` (`user.` for all user actions).
    pub action: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    /// `[from, to)`.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// Who a user in the log is, as far as the log's reader needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditPerson {
    pub name: String,
    pub email: String,
}

/// An entry with the people it names.
#[derive(Clone, Debug)]
pub struct ListedEntry {
    pub entry: AuditEntry,
    /// `None` for the operator, the system, or a deleted user.
    pub actor: Option<AuditPerson>,
    pub on_behalf_of: Option<AuditPerson>,
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
    actor_name: Option<String>,
    actor_email: Option<String>,
    behalf_name: Option<String>,
    behalf_email: Option<String>,
}

/// The newest entries matching `filter` first, after the
/// `(occurred_at, id)` position `before` when given.
pub async fn list(
    db: &Db,
    filter: &AuditFilter,
    before: Option<(Timestamp, AuditId)>,
    limit: i64,
) -> Result<Vec<ListedEntry>, StoreError> {
    let (before_at, before_id) = before
        .map(|(t, id)| (Some(t), Some(id.0)))
        .unwrap_or((None, None));
    // A prefix is compared with substr rather than LIKE, so `_` in action
    // codes (`api_token.`) is not a wildcard.
    let (action, prefix) = match filter.action.as_deref() {
        Some(a) if a.ends_with('.') => (None, Some(a)),
        other => (other, None),
    };
    let prefix_len = prefix.map(|p| i32::try_from(p.chars().count()).unwrap_or(i32::MAX));
    let rows: Vec<AuditRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT l.audit_id, l.occurred_at, l.actor_user_id, l.on_behalf_of_user_id, l.action,
                    l.subject_type, l.subject_id, l.detail, l.ip, l.request_id,
                    a.name AS actor_name, a.email AS actor_email,
                    b.name AS behalf_name, b.email AS behalf_email
               FROM audit_log l
               LEFT JOIN app_user a ON a.user_id = l.actor_user_id
               LEFT JOIN app_user b ON b.user_id = l.on_behalf_of_user_id
              WHERE ($1 IS NULL OR l.occurred_at < $1 OR (l.occurred_at = $1 AND l.audit_id < $3))
                AND ($4 IS NULL OR a.email = $4)
                AND ($5 IS NULL OR l.action = $5)
                AND ($6 IS NULL OR substr(l.action, 1, $7) = $6)
                AND ($8 IS NULL OR l.subject_type = $8)
                AND ($9 IS NULL OR l.subject_id = $9)
                AND ($10 IS NULL OR l.occurred_at >= $10)
                AND ($11 IS NULL OR l.occurred_at < $11)
              ORDER BY l.occurred_at DESC, l.audit_id DESC LIMIT $2",
        )
        .bind(before_at)
        .bind(limit)
        .bind(before_id)
        .bind(filter.actor_email.as_deref())
        .bind(action)
        .bind(prefix)
        .bind(prefix_len)
        .bind(filter.subject_type.as_deref())
        .bind(filter.subject_id.as_deref())
        .bind(filter.from)
        .bind(filter.to)
        .fetch_all(p)
        .await
    })?;
    let person = |name: Option<String>, email: Option<String>| match (name, email) {
        (Some(name), Some(email)) => Some(AuditPerson { name, email }),
        _ => None,
    };
    Ok(rows
        .into_iter()
        .map(|r| ListedEntry {
            actor: person(r.actor_name, r.actor_email),
            on_behalf_of: person(r.behalf_name, r.behalf_email),
            entry: AuditEntry {
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
            },
        })
        .collect())
}
