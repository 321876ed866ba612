use mercato_store::StoreError;
use serde::Serialize;

/// One invalid input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    /// Stable snake_case code, e.g. `too_short`.
    pub code: String,
    /// English explanation; UIs translate by `code`.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Every way a use case can refuse or fail. Each variant has one HTTP
/// status and a stable `code()` clients can rely on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that parses but breaks a rule (422).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Wrong e-mail or password; deliberately says not which (401).
    #[error("e-mail or password is wrong")]
    InvalidCredentials,
    /// No valid session or token (401).
    #[error("sign in first")]
    Unauthenticated,
    /// Signed in but not allowed (403).
    #[error("you are not allowed to {0}")]
    Forbidden(&'static str),
    /// Signed in and the role would allow it, but the state of the account
    /// does not (a company on hold, awaiting approval) (403).
    #[error("{detail}")]
    Refused { code: &'static str, detail: String },
    /// Does not exist, or is not the caller's (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The state forbids the action (409).
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// A well-formed request that cannot be processed as sent, with its
    /// own code (422): e.g. an Idempotency-Key reused with another body.
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    /// Too many attempts (429).
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or an unavailable resource (500); the message is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "validation_failed",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::Refused { code, .. } => code,
            AppError::NotFound(_) => "not_found",
            AppError::Conflict { code, .. } | AppError::Unprocessable { code, .. } => code,
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Store(StoreError::Contention(_)) => "busy",
            AppError::Store(_) | AppError::Internal(_) => "internal_error",
        }
    }

    /// One invalid field.
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, code, message)])
    }
}
