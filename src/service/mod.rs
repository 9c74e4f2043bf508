//! Use cases. Each public function is one thing a user does: it checks the
//! viewer and input against the domain rules, then reads and writes through
//! the store, inside one transaction when it writes.

pub mod announcements;
pub mod live;
pub mod papers;
pub mod reviews;
pub mod series;
pub mod status;
pub mod tasks;
pub mod users;

use thiserror::Error;

use crate::domain::DomainError;
use crate::store::StoreError;

/// Why a use case did not happen.
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(err: sea_orm::DbErr) -> Self {
        ServiceError::Store(err.into())
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
