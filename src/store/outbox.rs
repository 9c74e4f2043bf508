//! The outbox: every workflow event is a row written in the transaction of
//! the change it reports, numbered by an increasing id. Each server's relay
//! reads the new rows in id order and hands them to its subscribers;
//! subscribers that resume read the rows they missed.
//!
//! On PostgreSQL ids are taken before commit, so a transaction holding id 5
//! may commit after the one holding id 6: a reader that sees 6 but not 5
//! cannot tell yet whether 5 is still coming. [`Page::snapshot`] tells the
//! relay which transactions could still be holding such an id (see
//! `events::Sequencer`). SQLite admits one writer at a time: its ids commit
//! in order.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement,
};

use super::StoreError;
use super::entity::{outbox_event, outbox_retention};

pub use outbox_event::Model as OutboxRow;

/// The PostgreSQL channel a committed event wakes the servers on.
pub const CHANNEL: &str = "imprint_events";

/// An event to write.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Which subscriptions read it: `paper` or `task`.
    pub kind: &'static str,
    pub payload: String,
    pub at: DateTime<Utc>,
}

/// Writes the events in `tx`, in order. On PostgreSQL the same statement
/// sends `NOTIFY imprint_events`, which the database delivers only when
/// `tx` commits (and never if it rolls back).
pub async fn insert(tx: &impl ConnectionTrait, events: Vec<NewEvent>) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let rows = events.into_iter().map(|event| outbox_event::ActiveModel {
        kind: Set(event.kind.to_owned()),
        payload: Set(event.payload),
        created_at: Set(event.at),
        ..Default::default()
    });
    let backend = tx.get_database_backend();
    let mut statement = outbox_event::Entity::insert_many(rows).build(backend);
    if backend == DatabaseBackend::Postgres {
        statement.sql = format!(
            "WITH written AS ({} RETURNING id) \
             SELECT pg_notify('{CHANNEL}', max(id)::text) FROM written",
            statement.sql
        );
    }
    tx.execute_raw(statement).await?;
    Ok(())
}

/// Which transactions were still running when a page was read
/// (PostgreSQL's `pg_current_snapshot()`): every transaction id below
/// `xmin` had ended. (Its `xmax` is no bound on the ids handed out:
/// transactions that took an id after the last one to end are running
/// without being listed; [`transaction_id`] is such a bound.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub xmin: i64,
}

/// Rows after a cursor, as one statement saw them.
#[derive(Debug, Default)]
pub struct Page {
    pub rows: Vec<OutboxRow>,
    /// On PostgreSQL, what was running when the rows were read; `None` on
    /// SQLite, or when no row was found.
    pub snapshot: Option<Snapshot>,
}

#[derive(FromQueryResult)]
struct SnapshotRow {
    id: i64,
    kind: String,
    payload: String,
    created_at: DateTime<Utc>,
    xmin: i64,
}

/// The first `limit` rows after `after`, in id order, of every kind.
pub async fn read_after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Page, StoreError> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        let rows = outbox_event::Entity::find()
            .filter(outbox_event::Column::Id.gt(after))
            .order_by_asc(outbox_event::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        return Ok(Page {
            rows,
            snapshot: None,
        });
    }
    // One statement, so the snapshot is the one the rows were read in.
    let statement = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT id, kind, payload, created_at, \
                pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin \
         FROM outbox_events WHERE id > $1 ORDER BY id LIMIT $2",
        [after.into(), (limit as i64).into()],
    );
    let found = SnapshotRow::find_by_statement(statement).all(db).await?;
    let snapshot = found.first().map(|row| Snapshot { xmin: row.xmin });
    let rows = found
        .into_iter()
        .map(|row| OutboxRow {
            id: row.id,
            kind: row.kind,
            payload: row.payload,
            created_at: row.created_at,
        })
        .collect();
    Ok(Page { rows, snapshot })
}

#[derive(FromQueryResult)]
struct StartRow {
    last: Option<i64>,
    xid: i64,
}

/// The id of the newest event written so far (0 when there is none) and,
/// on PostgreSQL, a transaction id above every one handed out before: the
/// transactions below it may still commit events with lower ids.
pub async fn newest(db: &impl ConnectionTrait) -> Result<(i64, Option<i64>), StoreError> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok((newest_id(db).await?.unwrap_or(0), None));
    }
    let statement = Statement::from_string(
        DatabaseBackend::Postgres,
        "SELECT (SELECT max(id) FROM outbox_events) AS last, \
                pg_current_xact_id()::text::bigint AS xid",
    );
    let row = StartRow::find_by_statement(statement)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt("no snapshot".into()))?;
    Ok((row.last.unwrap_or(0), Some(row.xid)))
}

/// PostgreSQL: a new transaction id, above every one handed out before
/// (this statement's own: it costs one, and ends at once).
pub async fn transaction_id(db: &impl ConnectionTrait) -> Result<i64, StoreError> {
    transaction_id_of(db, "pg_current_xact_id()").await
}

#[derive(FromQueryResult)]
struct XidRow {
    xid: i64,
}

/// The `xid8` that `expression` answers, as a number.
async fn transaction_id_of(db: &impl ConnectionTrait, expression: &str) -> Result<i64, StoreError> {
    let statement = Statement::from_string(
        DatabaseBackend::Postgres,
        format!("SELECT ({expression})::text::bigint AS xid"),
    );
    let row = XidRow::find_by_statement(statement)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("{expression} answered nothing")))?;
    Ok(row.xid)
}

/// PostgreSQL: the oldest transaction id still running (every one below it
/// has ended).
pub async fn oldest_running(db: &impl ConnectionTrait) -> Result<i64, StoreError> {
    transaction_id_of(db, "pg_snapshot_xmin(pg_current_snapshot())").await
}

/// Up to `limit` rows of one kind with ids in `(after, through]`, in id
/// order: what a resuming subscriber missed.
pub async fn read_range(
    db: &impl ConnectionTrait,
    kind: &str,
    after: i64,
    through: i64,
    limit: u64,
) -> Result<Vec<OutboxRow>, StoreError> {
    Ok(outbox_event::Entity::find()
        .filter(outbox_event::Column::Kind.eq(kind))
        .filter(outbox_event::Column::Id.gt(after))
        .filter(outbox_event::Column::Id.lte(through))
        .order_by_asc(outbox_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The id of the newest event held, if any.
pub async fn newest_id(db: &impl ConnectionTrait) -> Result<Option<i64>, StoreError> {
    let newest: Option<Option<i64>> = outbox_event::Entity::find()
        .select_only()
        .column_as(outbox_event::Column::Id.max(), "newest")
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.flatten())
}

/// What the outbox holds: every event after `pruned_through`, up to
/// `newest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub pruned_through: i64,
    pub newest: i64,
}

pub async fn held(db: &impl ConnectionTrait) -> Result<Held, StoreError> {
    let pruned_through = pruned_through(db).await?;
    let newest = newest_id(db).await?.unwrap_or(0).max(pruned_through);
    Ok(Held {
        pruned_through,
        newest,
    })
}

async fn pruned_through(db: &impl ConnectionTrait) -> Result<i64, StoreError> {
    let row = outbox_retention::Entity::find_by_id(1i16)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt("outbox_retention has no row".into()))?;
    Ok(row.pruned_through)
}

/// Deletes the events that happened before `before`, oldest id first (so
/// what is held is always every event after `pruned_through`), in one
/// transaction. Answers how many were deleted.
pub async fn prune(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let tx = super::begin_write(db).await?;
    let through: Option<Option<i64>> = outbox_event::Entity::find()
        .select_only()
        .column_as(outbox_event::Column::Id.max(), "through")
        .filter(outbox_event::Column::CreatedAt.lt(before))
        .into_tuple()
        .one(&tx)
        .await?;
    let Some(through) = through.flatten() else {
        return Ok(0);
    };
    let deleted = outbox_event::Entity::delete_many()
        .filter(outbox_event::Column::Id.lte(through))
        .exec(&tx)
        .await?
        .rows_affected;
    outbox_retention::Entity::update_many()
        .col_expr(
            outbox_retention::Column::PrunedThrough,
            Expr::value(through),
        )
        .filter(outbox_retention::Column::Id.eq(1i16))
        .filter(outbox_retention::Column::PrunedThrough.lt(through))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(deleted)
}
