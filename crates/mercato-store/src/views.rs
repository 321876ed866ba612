//! Saved views of the back office's lists (`core::saved_view` checks them).

use crate::{Db, StoreError, Timestamp};
use mercato_core::saved_view::NewSavedView;
use uuid::Uuid;

/// A stored view.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SavedView {
    pub view_id: Uuid,
    /// Who saved it.
    pub user_id: Uuid,
    pub page: String,
    pub name: String,
    pub query: String,
    pub shared: bool,
    pub created_at: Timestamp,
}

/// Stores a checked view for `user`.
pub async fn insert(
    db: &Db,
    user: Uuid,
    v: &NewSavedView,
    now: Timestamp,
) -> Result<SavedView, StoreError> {
    let view = SavedView {
        view_id: Uuid::now_v7(),
        user_id: user,
        page: v.page.to_string(),
        name: v.name.clone(),
        query: v.query.clone(),
        shared: v.shared,
        created_at: now,
    };
    db_exec!(
        db,
        sqlx::query(
            "INSERT INTO saved_view (view_id, user_id, page, name, query, shared, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(view.view_id)
        .bind(view.user_id)
        .bind(&view.page)
        .bind(&view.name)
        .bind(&view.query)
        .bind(view.shared)
        .bind(view.created_at)
    )?;
    Ok(view)
}

/// The views of `page` that `user` sees: their own and those shared, by name.
pub async fn for_page(db: &Db, user: Uuid, page: &str) -> Result<Vec<SavedView>, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_as(
            "SELECT view_id, user_id, page, name, query, shared, created_at FROM saved_view
             WHERE page = $1 AND (user_id = $2 OR shared) ORDER BY name, view_id LIMIT 100",
        )
        .bind(page)
        .bind(user)
        .fetch_all(p)
        .await
    })?)
}

/// Deletes a view if `user` saved it; gives the page it was for.
pub async fn delete(db: &Db, user: Uuid, view: Uuid) -> Result<Option<String>, StoreError> {
    let page: Option<String> = db_run!(db, |p| {
        sqlx::query_scalar(
            "DELETE FROM saved_view WHERE view_id = $1 AND user_id = $2 RETURNING page",
        )
        .bind(view)
        .bind(user)
        .fetch_optional(p)
        .await
    })?;
    Ok(page)
}
