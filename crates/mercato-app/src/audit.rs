//! Reading the audit log (writing happens inside each use case's transaction).

use crate::auth::Principal;
use crate::{App, AppError};
use mercato_core::{AuditId, Permission};
use mercato_store::Timestamp;

pub use mercato_store::audit::AuditEntry;

/// One page of the audit log, newest first, for staff allowed to read it.
/// `after` is the `(occurred_at, id)` of the last entry of the previous page.
pub async fn list(
    app: &App,
    principal: &Principal,
    after: Option<(Timestamp, AuditId)>,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    principal.require(Permission::ReadAuditLog, "read the audit log")?;
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    Ok(mercato_store::audit::list(app.db(), after, limit).await?)
}
