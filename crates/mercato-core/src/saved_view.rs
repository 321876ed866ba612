//! Saved views of the back office's lists: a name for a list's filters
//! (its query string), so staff return to "orders on hold in cn" in one
//! click. What a view may hold is checked here, once, before it is stored.

/// The lists a view can be saved for.
pub const LIST_PAGES: [&str; 4] = [
    "/admin/orders",
    "/admin/companies",
    "/admin/inquiries",
    "/admin/stock",
];

/// The longest name, in characters.
pub const MAX_NAME: usize = 60;
/// The longest query string, in bytes (filters, not data).
pub const MAX_QUERY: usize = 1000;

/// A view as staff asked to save it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSavedView {
    pub page: &'static str,
    pub name: String,
    /// The list's query string without `?`, paging and language removed.
    pub query: String,
    pub shared: bool,
}

/// Why a view was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedViewError {
    #[error("{0:?} is not a list that views can be saved for")]
    UnknownPage(String),
    #[error("give the view a name")]
    NameMissing,
    #[error("the name has {0} characters; at most {MAX_NAME}")]
    NameTooLong(usize),
    #[error("the filters are {0} bytes long; at most {MAX_QUERY}")]
    QueryTooLong(usize),
    #[error("the filters hold a character a link cannot carry")]
    QueryNotPrintable,
}

impl SavedViewError {
    /// The form field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            SavedViewError::UnknownPage(_) => "page",
            SavedViewError::NameMissing | SavedViewError::NameTooLong(_) => "name",
            SavedViewError::QueryTooLong(_) | SavedViewError::QueryNotPrintable => "query",
        }
    }
}

impl NewSavedView {
    /// Checks a view: a known list, a name, and a query string that is a
    /// plain link's (no spaces or control characters: it was URL-encoded),
    /// without the cursor (a view is a filter, not a page of it) or the
    /// language (each reader keeps their own).
    pub fn parse(
        page: &str,
        name: &str,
        query: &str,
        shared: bool,
    ) -> Result<Self, SavedViewError> {
        let page = LIST_PAGES
            .into_iter()
            .find(|p| *p == page)
            .ok_or_else(|| SavedViewError::UnknownPage(page.chars().take(80).collect()))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(SavedViewError::NameMissing);
        }
        let chars = name.chars().count();
        if chars > MAX_NAME {
            return Err(SavedViewError::NameTooLong(chars));
        }
        let query = query.trim().trim_start_matches('?');
        if query.len() > MAX_QUERY {
            return Err(SavedViewError::QueryTooLong(query.len()));
        }
        if query.chars().any(|c| !c.is_ascii_graphic()) {
            return Err(SavedViewError::QueryNotPrintable);
        }
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| {
                let key = kv.split('=').next().unwrap_or("");
                // Empty filters add nothing but noise to the link.
                !kv.is_empty()
                    && key != "cursor"
                    && key != "lang"
                    && kv.contains('=')
                    && !kv.ends_with('=')
            })
            .collect();
        Ok(NewSavedView {
            page,
            name: name.to_string(),
            query: kept.join("&"),
            shared,
        })
    }

    /// The link that opens the view.
    pub fn href(page: &str, query: &str) -> String {
        if query.is_empty() {
            page.to_string()
        } else {
            format!("{page}?{query}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_keeps_the_filters_and_drops_paging_language_and_empty_ones() {
        let v = NewSavedView::parse(
            "/admin/orders",
            "  On hold in cn ",
            "?status=on_hold&company=&cursor=abc&lang=en&q=M8%20x",
            false,
        )
        .unwrap();
        assert_eq!(v.page, "/admin/orders");
        assert_eq!(v.name, "On hold in cn");
        assert_eq!(v.query, "status=on_hold&q=M8%20x");
        assert_eq!(
            NewSavedView::href(v.page, &v.query),
            "/admin/orders?status=on_hold&q=M8%20x"
        );
        assert_eq!(NewSavedView::href("/admin/stock", ""), "/admin/stock");
    }

    #[test]
    fn bad_views_are_refused_with_the_field_at_fault() {
        let e = |page: &str, name: &str, query: &str| {
            NewSavedView::parse(page, name, query, true).unwrap_err()
        };
        assert_eq!(e("/admin/secrets", "x", "").field(), "page");
        assert_eq!(
            e("https://evil.example/admin/orders", "x", "").field(),
            "page"
        );
        assert_eq!(e("/admin/orders", " ", ""), SavedViewError::NameMissing);
        assert_eq!(
            e("/admin/orders", &"名".repeat(61), ""),
            SavedViewError::NameTooLong(61)
        );
        assert_eq!(
            e("/admin/orders", "x", &"a=b&".repeat(300)),
            SavedViewError::QueryTooLong(1200)
        );
        assert_eq!(
            e("/admin/orders", "x", "status=on hold"),
            SavedViewError::QueryNotPrintable
        );
        assert_eq!(
            e("/admin/orders", "x", "a=b\r\nSet-Cookie:x"),
            SavedViewError::QueryNotPrintable
        );
        assert!(NewSavedView::parse("/admin/orders", &"名".repeat(60), "", false).is_ok());
    }
}
