//! Storage: sea-orm entities and the queries the services run. The store
//! decides nothing; it loads, writes, and reports database failures as
//! [`StoreError`].

pub mod entity;
mod error;
pub mod outbox;
pub mod papers;
pub mod reviews;
pub mod search;
pub mod series;
pub mod status;
pub mod tasks;
pub mod users;

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::Connection;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use error::StoreError;

/// How long a SQLite writer waits for the lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a pooled connection may sit unused before it is pinged on its
/// next acquire.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// Opens a pool. SQLite is set up for concurrent use: write-ahead log, a busy
/// timeout, foreign keys on, and a pool of more than the single connection
/// sea-orm would otherwise pin it to.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, StoreError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // A connection in steady use has just proved itself; pinging it on
        // every acquire cost a round trip per statement (9 % of the
        // server's CPU on the dashboard, bench/RESULTS.md). One idle longer
        // than this may have been dropped by the server or a firewall, so
        // it is still checked.
        .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
        .map_sqlx_postgres_before_acquire(|connection, meta| {
            Box::pin(async move {
                if connection_loss::may_have_cut(meta.idle_for) {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
        });
    Ok(Database::connect(options).await?)
}

/// Remembers when the process last saw the database fail a connection, so
/// that the connections that sat idle in the pool meanwhile are checked
/// before use. Without it, once the database is back after an outage, the
/// first requests would each draw a connection the server had cut and fail,
/// one per pooled connection, though nothing is wrong any more.
pub(crate) mod connection_loss {
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    static SINCE: LazyLock<Instant> = LazyLock::new(Instant::now);
    /// Nanoseconds from `SINCE` to the last failure, plus one; 0 for never.
    static LAST: AtomicU64 = AtomicU64::new(0);

    /// A statement failed because the database was unavailable: a
    /// connection broke or could not be opened (or, harmlessly here,
    /// SQLite was busy).
    pub(crate) fn record() {
        let nanos = u64::try_from(SINCE.elapsed().as_nanos()).unwrap_or(u64::MAX);
        LAST.fetch_max(nanos.saturating_add(1), Ordering::Relaxed);
    }

    /// Whether a connection idle for `idle_for` was already idle when a
    /// failure was last seen.
    pub(crate) fn may_have_cut(idle_for: Duration) -> bool {
        let last = LAST.load(Ordering::Relaxed);
        if last == 0 {
            return false;
        }
        let failed_at = Duration::from_nanos(last - 1);
        SINCE.elapsed().saturating_sub(idle_for) <= failed_at
    }
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`:
/// a deferred transaction that reads and then writes fails at once with
/// "database is locked" when another writer got there first, instead of
/// waiting its turn.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, StoreError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Counts the SQL statements a connection pool runs.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Starts counting every statement `db` (and its transactions) runs.
    pub fn install(db: &mut DatabaseConnection) -> StatementCounter {
        let counter = StatementCounter::default();
        let count = counter.0.clone();
        db.set_metric_callback(move |_| {
            count.fetch_add(1, Ordering::Relaxed);
        });
        counter
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Rows of a batch (one query for many keys) grouped under the key each
/// belongs to, in their order; every key asked for gets a list, empty when
/// nothing matched.
pub fn grouped<K: Eq + Hash + Copy, R>(
    keys: &[K],
    rows: Vec<R>,
    key_of: impl Fn(&R) -> K,
) -> HashMap<K, Vec<R>> {
    let mut groups: HashMap<K, Vec<R>> = keys.iter().map(|key| (*key, Vec::new())).collect();
    for row in rows {
        groups.entry(key_of(&row)).or_default().push(row);
    }
    groups
}

/// Answers whether the database takes queries (for `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> Result<(), StoreError> {
    db.execute_unprepared("SELECT 1").await?;
    Ok(())
}
