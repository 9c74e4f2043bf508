//! Database failures, told apart once so no caller parses driver messages.

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr, SqlErr};
use thiserror::Error;

/// What the store reports. The texts are for logs only: the API edge turns
/// each variant into a code and a message of its own.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database cannot be reached, is shutting down or starting up, or
    /// is too busy to answer in time.
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    /// The database aborted this transaction to let a concurrent one go on
    /// (a deadlock or a serialization failure). Nothing was written; the
    /// same work tried again sees the other transaction's result.
    #[error("lost to a concurrent transaction: {0}")]
    Contention(DbErr),
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
            _ => match failure_of(&err) {
                Failure::Unavailable => {
                    super::connection_loss::record();
                    StoreError::Unavailable(err)
                }
                Failure::Contention => StoreError::Contention(err),
                Failure::Other => StoreError::Other(err),
            },
        }
    }
}

/// The kinds of failure that callers treat differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// Try again later: the connection or the server is the problem.
    Unavailable,
    /// Try again now: a concurrent transaction won.
    Contention,
    Other,
}

fn failure_of(err: &DbErr) -> Failure {
    match err {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => Failure::Unavailable,
        DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner)) => {
            sqlx_failure(inner)
        }
        _ => Failure::Other,
    }
}

fn sqlx_failure(err: &sqlx::Error) -> Failure {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Failure::Unavailable,
        sqlx::Error::Database(db) => match db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        {
            Some(pg) => postgres_failure(pg.code()),
            None => db
                .code()
                .and_then(|code| code.parse::<i32>().ok())
                .map_or(Failure::Other, sqlite_failure),
        },
        _ => Failure::Other,
    }
}

/// By SQLSTATE (PostgreSQL's appendix A).
fn postgres_failure(sqlstate: &str) -> Failure {
    match sqlstate {
        // serialization_failure, deadlock_detected
        "40001" | "40P01" => Failure::Contention,
        // connection_exception and its subclasses
        code if code.starts_with("08") => Failure::Unavailable,
        // insufficient_resources: too many connections, out of memory, disk full
        code if code.starts_with("53") => Failure::Unavailable,
        // operator_intervention: admin_shutdown ("terminating connection due
        // to administrator command"), crash_shutdown, cannot_connect_now,
        // database_dropped; query_canceled (57014) is not among them
        "57P01" | "57P02" | "57P03" | "57P04" | "57P05" => Failure::Unavailable,
        // read_only_sql_transaction: a standby promoted late after failover
        "25006" => Failure::Unavailable,
        _ => Failure::Other,
    }
}

/// By SQLite's result code; sqlx reports extended codes, whose low byte is
/// the primary one.
fn sqlite_failure(code: i32) -> Failure {
    match code & 0xff {
        // SQLITE_BUSY, SQLITE_LOCKED (after the busy timeout), SQLITE_NOMEM,
        // SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
        5 | 6 | 7 | 10 | 13 | 14 => Failure::Unavailable,
        _ => Failure::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_states_are_told_apart() {
        let table = [
            ("40001", Failure::Contention),
            ("40P01", Failure::Contention),
            ("08006", Failure::Unavailable),
            ("08003", Failure::Unavailable),
            ("53300", Failure::Unavailable),
            ("57P01", Failure::Unavailable),
            ("57P03", Failure::Unavailable),
            ("25006", Failure::Unavailable),
            ("57014", Failure::Other),
            ("23505", Failure::Other),
            ("22021", Failure::Other),
            ("42601", Failure::Other),
        ];
        for (state, failure) in table {
            assert_eq!(postgres_failure(state), failure, "{state}");
        }
    }

    #[test]
    fn sqlite_codes_are_told_apart_by_their_primary_code() {
        let table = [
            (5, Failure::Unavailable),
            (517, Failure::Unavailable),
            (6, Failure::Unavailable),
            (10, Failure::Unavailable),
            (3850, Failure::Unavailable),
            (14, Failure::Unavailable),
            (19, Failure::Other),
            (2067, Failure::Other),
            (1, Failure::Other),
        ];
        for (code, failure) in table {
            assert_eq!(sqlite_failure(code), failure, "{code}");
        }
    }
}
