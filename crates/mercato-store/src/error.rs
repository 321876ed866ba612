/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique or foreign-key constraint refused the write; the app layer
    /// decides what that means in business terms.
    #[error("constraint {constraint} violated")]
    Conflict { constraint: String },
    /// A stored value could not be turned back into a domain value: data
    /// written by something other than this code, or a bug.
    #[error("corrupt stored value in {what}: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database gave up on this transaction because of concurrent ones
    /// (a PostgreSQL deadlock or serialization failure, SQLite busy past
    /// its timeout): nothing was written, and a retry may succeed.
    #[error("the database is busy with concurrent changes: {0}")]
    Contention(String),
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && (db.is_unique_violation() || db.is_foreign_key_violation())
        {
            // SQLite names no constraint; its message names the columns.
            let constraint = db
                .constraint()
                .map(str::to_string)
                .unwrap_or_else(|| db.message().to_string());
            return StoreError::Conflict { constraint };
        }
        if let sqlx::Error::Database(db) = &e
            && matches!(
                db.code().as_deref(),
                // PostgreSQL deadlock_detected, serialization_failure;
                // SQLite BUSY, LOCKED (and their extended forms).
                Some("40P01" | "40001" | "5" | "6" | "261" | "517" | "262")
            )
        {
            return StoreError::Contention(db.message().to_string());
        }
        StoreError::Database(e)
    }
}

impl StoreError {
    /// Whether this is a unique/foreign-key conflict mentioning `needle`
    /// (a constraint name on PostgreSQL, a column on SQLite).
    pub fn is_conflict_on(&self, needle: &str) -> bool {
        matches!(self, StoreError::Conflict { constraint } if constraint.contains(needle))
    }
}
