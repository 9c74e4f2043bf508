//! The one place where errors become GraphQL errors. `ApiError` has no
//! `Display`, so async-graphql's blanket conversion of displayable errors
//! (which would send their raw text, SQL included) cannot apply to it:
//! resolvers return `Result<T, ApiError>` and every error carries a code.

use async_graphql::{ErrorExtensions, ServerError};

use crate::domain::DomainError;
use crate::service::ServiceError;
use crate::store::StoreError;

/// The `extensions.code` values clients can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    InvalidTransition,
    Conflict,
    AlreadyClaimed,
    DbUnavailable,
    Internal,
    /// The document is not GraphQL (Apollo's convention).
    GraphqlParseFailed,
    /// The document is GraphQL but not valid against the schema or over a
    /// limit (Apollo's convention).
    GraphqlValidationFailed,
    /// The HTTP request itself is wrong: its body, media type or batch.
    BadRequest,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::AlreadyClaimed => "ALREADY_CLAIMED",
            ErrorCode::DbUnavailable => "DB_UNAVAILABLE",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            ErrorCode::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            ErrorCode::BadRequest => "BAD_REQUEST",
        }
    }
}

/// An error as a client sees it: a code and a message a person can act on.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The input field at fault, as `extensions.field`.
    pub field: Option<&'static str>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadUserInput, message)
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let code = match &err {
            DomainError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            DomainError::Forbidden(_) => ErrorCode::Forbidden,
            DomainError::NotFound(_) => ErrorCode::NotFound,
            DomainError::BadInput(_) | DomainError::InvalidField { .. } => ErrorCode::BadUserInput,
            DomainError::InvalidTransition(_) => ErrorCode::InvalidTransition,
            DomainError::Conflict(_) => ErrorCode::Conflict,
            DomainError::AlreadyClaimed(_) => ErrorCode::AlreadyClaimed,
        };
        let field = match &err {
            DomainError::InvalidField { field, .. } => Some(*field),
            _ => None,
        };
        ApiError {
            field,
            ..ApiError::new(code, err.to_string())
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                ApiError::new(
                    ErrorCode::DbUnavailable,
                    "the database is unavailable or busy: try again shortly",
                )
            }
            StoreError::Contention(cause) => {
                tracing::warn!(error = %cause, "a write kept losing to concurrent ones");
                ApiError::new(
                    ErrorCode::DbUnavailable,
                    "the database is busy with concurrent changes: try again shortly",
                )
            }
            other => {
                tracing::error!(error = %other, "database error");
                internal()
            }
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Domain(err) => err.into(),
            ServiceError::Store(err) => err.into(),
            ServiceError::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                internal()
            }
        }
    }
}

fn internal() -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "something went wrong on our side; it has been logged",
    )
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        let (code, field) = (err.code.as_str(), err.field);
        async_graphql::Error::new(err.message).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(field) = field {
                ext.set("field", field);
            }
        })
    }
}

impl ApiError {
    /// The error as the JSON a response carries.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "message": self.message, "extensions": { "code": self.code.as_str() } })
    }
}

/// Gives `code` to an error async-graphql raised itself.
pub(super) fn with_code(mut error: ServerError, code: ErrorCode) -> ServerError {
    set_code(&mut error, code);
    error
}

pub(super) fn set_code(error: &mut ServerError, code: ErrorCode) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}

/// Results of resolvers.
pub type ApiResult<T> = Result<T, ApiError>;
