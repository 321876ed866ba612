//! Saved views of the back office's lists: each staff member's named
//! filters, private or shared with the team (`core::saved_view`).

use crate::auth::{Principal, require_staff};
use crate::{App, AppError};
use mercato_core::Permission;
use mercato_core::saved_view::{NewSavedView, SavedViewError};
use mercato_store::Timestamp;
use mercato_store::views::{self as store, SavedView};
use uuid::Uuid;

fn invalid(e: SavedViewError) -> AppError {
    let code = match e {
        SavedViewError::UnknownPage(_) => "unknown_list",
        SavedViewError::NameMissing => "name_missing",
        SavedViewError::NameTooLong(_) => "name_too_long",
        SavedViewError::QueryTooLong(_) => "filters_too_long",
        SavedViewError::QueryNotPrintable => "invalid_filters",
    };
    AppError::invalid(e.field(), code, e.to_string())
}

/// Saves the filters `query` of list `page` as `name` for the caller.
pub async fn save(
    app: &App,
    p: &Principal,
    page: &str,
    name: &str,
    query: &str,
    shared: bool,
) -> Result<SavedView, AppError> {
    require_staff(Some(p), Permission::AccessBackOffice, "save views")?;
    let v = NewSavedView::parse(page, name, query, shared).map_err(invalid)?;
    Ok(store::insert(app.db(), p.user.id.as_uuid(), &v, Timestamp::now()).await?)
}

/// The views of list `page` the caller sees: their own and the shared ones.
pub async fn for_page(app: &App, p: &Principal, page: &str) -> Result<Vec<SavedView>, AppError> {
    require_staff(Some(p), Permission::AccessBackOffice, "see saved views")?;
    Ok(store::for_page(app.db(), p.user.id.as_uuid(), page).await?)
}

/// Deletes one of the caller's own views; gives the list it was for.
/// Another's view (shared or not) is not found: only its owner removes it.
pub async fn delete(app: &App, p: &Principal, view: Uuid) -> Result<String, AppError> {
    require_staff(Some(p), Permission::AccessBackOffice, "delete saved views")?;
    store::delete(app.db(), p.user.id.as_uuid(), view)
        .await?
        .ok_or(AppError::NotFound("saved view"))
}
