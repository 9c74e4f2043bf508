//! What can go wrong in the domain, in the domain's words.

use thiserror::Error;

/// A rule of the workflow or of access was not met. Each variant maps to one
/// `extensions.code` at the API edge; the message is for a person and holds no
/// internal detail.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist, or the viewer may not know that it does.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    BadInput(String),
    /// One input field is wrong; the message names it.
    #[error("{message}")]
    InvalidField {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    InvalidTransition(String),
    /// Someone else changed the thing first (compare-and-set lost).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    AlreadyClaimed(String),
}

impl DomainError {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadInput(message.into())
    }

    /// One input field is wrong, in the form every such error takes: the
    /// message starts with the field's name.
    pub fn invalid(field: &'static str, reason: impl std::fmt::Display) -> Self {
        Self::InvalidField {
            field,
            message: format!("{field}: {reason}"),
        }
    }

    /// A required field sent as null.
    pub fn cannot_clear(field: &'static str) -> Self {
        Self::invalid(
            field,
            "cannot be null; leave it out to keep the current value",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }
}
