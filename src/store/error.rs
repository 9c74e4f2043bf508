//! Database failures, told apart once so no caller parses driver messages.

use sea_orm::{DbErr, RuntimeErr, SqlErr};
use thiserror::Error;

/// What the store reports. The texts are for logs only: the API edge turns
/// each variant into a code and a message of its own.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database cannot be reached, or is too busy to answer in time.
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    #[error("foreign key constraint violated: {0}")]
    ForeignKeyViolation(String),
    /// A stored value the code cannot read (written by something else).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Other(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => StoreError::UniqueViolation(detail),
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => {
                StoreError::ForeignKeyViolation(detail)
            }
            _ if is_unavailable(&err) => StoreError::Unavailable(err),
            _ => StoreError::Other(err),
        }
    }
}

/// Connection trouble, pool exhaustion, or SQLite still locked after its
/// busy timeout: all mean "try again later", not "your input is wrong".
fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner)) => {
            match inner.as_ref() {
                sea_orm::sqlx::Error::Io(_)
                | sea_orm::sqlx::Error::PoolTimedOut
                | sea_orm::sqlx::Error::PoolClosed => true,
                sea_orm::sqlx::Error::Database(db) => {
                    // SQLITE_BUSY (5) and its extended codes such as 517.
                    db.code().is_some_and(|code| code == "5" || code == "517")
                }
                _ => false,
            }
        }
        _ => false,
    }
}
