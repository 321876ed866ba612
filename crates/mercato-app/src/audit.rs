//! Reading the audit log (writing happens inside each use case's transaction).

use crate::auth::Principal;
use crate::{App, AppError, FieldError};
use mercato_core::audit::period;
use mercato_core::report::RangeError;
use mercato_core::{AuditId, Email, Permission};
use mercato_store::Timestamp;

pub use mercato_store::audit::{AuditEntry, AuditFilter, AuditPerson, ListedEntry};

/// The audit log's filters as a form or query string carries them; empty
/// fields match everything.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// The acting user's e-mail address.
    pub actor: String,
    /// An action code (`user.disable`), or a prefix ending in `.` (`user.`).
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    /// `YYYY-MM-DD`, UTC days, both included; see [`mercato_core::audit::period`].
    pub from: String,
    pub to: String,
}

/// The longest text a filter field takes (codes and ids are far shorter).
const MAX_FIELD: usize = 200;

impl AuditQuery {
    /// The store's filter, or every field that is wrong (`invalid_email`,
    /// `too_long`, `not_a_date`, `before_from`, `range_too_long`).
    pub fn parse(&self, today: time::Date) -> Result<AuditFilter, AppError> {
        let mut errors = Vec::new();
        let mut text = |field: &str, v: &str| {
            let v = v.trim();
            if v.chars().count() > MAX_FIELD {
                errors.push(FieldError::new(
                    field,
                    "too_long",
                    format!("{field} must be at most {MAX_FIELD} characters"),
                ));
                return None;
            }
            Some(v.to_string()).filter(|v| !v.is_empty())
        };
        let action = text("action", &self.action);
        let subject_type = text("subject_type", &self.subject_type);
        let subject_id = text("subject_id", &self.subject_id);
        let actor_email = match self.actor.trim() {
            "" => None,
            a => match Email::parse(a) {
                Ok(e) => Some(e.as_str().to_string()),
                Err(e) => {
                    errors.push(FieldError::new("actor", "invalid_email", e.to_string()));
                    None
                }
            },
        };
        let (from, to) = match period(&self.from, &self.to, today) {
            Ok(None) => (None, None),
            Ok(Some(r)) => {
                let (start, end) = r.bounds();
                (Some(Timestamp::from(start)), Some(Timestamp::from(end)))
            }
            Err(e) => {
                errors.push(match &e {
                    RangeError::NotADate { field, .. } => {
                        FieldError::new(field, "not_a_date", e.to_string())
                    }
                    RangeError::Reversed { .. } => {
                        FieldError::new("to", "before_from", e.to_string())
                    }
                    RangeError::TooLong { .. } => {
                        FieldError::new("from", "range_too_long", e.to_string())
                    }
                });
                (None, None)
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(AuditFilter {
            actor_email,
            action,
            subject_type,
            subject_id,
            from,
            to,
        })
    }
}

/// One page of the audit log matching `filter`, newest first, for staff
/// allowed to read it. `after` is the `(occurred_at, id)` of the last
/// entry of the previous page.
pub async fn list(
    app: &App,
    principal: &Principal,
    filter: &AuditFilter,
    after: Option<(Timestamp, AuditId)>,
    limit: i64,
) -> Result<Vec<ListedEntry>, AppError> {
    // Company users never read the seller's log, whatever a role says.
    crate::auth::require_staff(
        Some(principal),
        Permission::ReadAuditLog,
        "read the audit log",
    )?;
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    Ok(mercato_store::audit::list(app.db(), filter, after, limit).await?)
}
