//! Live events of the workflow, never lost. Every change a workflow
//! operation makes is recorded as an [`Event`] in the outbox, in the
//! transaction of the change ([`Events::commit`]), so an event exists if
//! and only if its change committed.
//!
//! Each server runs a relay: it reads the outbox in id order and hands each
//! new event, with its id, to the server's subscribers through a broadcast
//! channel. It reads when a commit on this server wakes it, when another
//! server's commit does (on PostgreSQL, `NOTIFY imprint_events`, sent by the
//! database only when the writing transaction commits), and every second
//! besides. A relay that was cut off (its `LISTEN` connection dropped, the
//! database restarted) simply reads on from its last id: nothing is missed.
//!
//! On PostgreSQL ids are taken before commit, so the relay never passes a
//! missing id while a transaction that may hold it is still running (see
//! [`Sequencer`]): subscribers receive events in id order, none twice, none
//! skipped. Subscribers that fell behind or reconnect read what they missed
//! from the outbox, by id ([`missed`]).

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::{DatabaseBackend, DatabaseConnection, DatabaseTransaction};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, broadcast, watch};

use crate::domain::event::PaperEventKind;
use crate::domain::{Stage, TaskStatus};
use crate::store::StoreError;
use crate::store::outbox::{self, CHANNEL, NewEvent, OutboxRow, Page};
use crate::store::papers::PaperRow;
use crate::store::tasks::TaskRow;

/// How many events a subscriber may fall behind before it reads the rest
/// from the outbox instead.
const BUFFER: usize = 1024;

/// How often the relay reads the outbox when nothing woke it.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// How soon the relay reads again while it waits for a missing id.
const GAP_RECHECK: Duration = Duration::from_millis(10);

/// How long the relay waits for a missing id before it says so in the log.
const GAP_WARNING: Duration = Duration::from_secs(30);

/// Most rows the relay reads at once.
const RELAY_PAGE: u64 = 500;

/// Longest wait between two attempts to reconnect the listener or to read
/// the outbox again after a failure.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Something that happened, as subscribers learn of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Paper(PaperEvent),
    Task(TaskChanged),
}

/// Something happened to a paper: it was created, moved, edited, corrected,
/// reviewed… `from` and `to` are its stages before and after (equal when
/// the stage did not change; `from` is `None` when it was created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperEvent {
    pub paper_id: i64,
    /// The series the paper belonged to then.
    pub series_id: Option<i64>,
    #[serde(with = "text")]
    pub what: PaperEventKind,
    #[serde(with = "optional_text")]
    pub from: Option<Stage>,
    #[serde(with = "text")]
    pub to: Stage,
    /// `None`: the clock made it (a scheduled release).
    pub actor_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// A translation task changed status (or was created: `from` is then
/// `None`). `from` equal to `to` (both OPEN) announces an open task whose
/// paper has just entered TRANSLATION: translators may claim it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskChanged {
    pub task_id: i64,
    pub paper_id: i64,
    pub target_language: String,
    #[serde(with = "optional_text")]
    pub from: Option<TaskStatus>,
    #[serde(with = "text")]
    pub to: TaskStatus,
    pub at: DateTime<Utc>,
}

/// Which subscriptions read an event: `paperEvents` or
/// `translationTaskEvents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Papers,
    Tasks,
}

impl Stream {
    fn as_str(self) -> &'static str {
        match self {
            Stream::Papers => "paper",
            Stream::Tasks => "task",
        }
    }
}

impl Event {
    /// Something that happened to this paper; `from` and `to` are its
    /// stages before and after.
    pub fn paper(
        paper: &PaperRow,
        what: PaperEventKind,
        from: Option<Stage>,
        to: Stage,
        actor_id: Option<i64>,
        at: DateTime<Utc>,
    ) -> Event {
        Event::Paper(PaperEvent {
            paper_id: paper.id,
            series_id: paper.series_id,
            what,
            from,
            to,
            actor_id,
            at,
        })
    }

    /// A change to this paper that left its stage as it was.
    pub fn paper_changed(
        paper: &PaperRow,
        what: PaperEventKind,
        stage: Stage,
        actor_id: Option<i64>,
        at: DateTime<Utc>,
    ) -> Event {
        Event::paper(paper, what, Some(stage), stage, actor_id, at)
    }

    /// A status change of this task.
    pub fn task_changed(
        task: &TaskRow,
        from: Option<TaskStatus>,
        to: TaskStatus,
        at: DateTime<Utc>,
    ) -> Event {
        Event::Task(TaskChanged {
            task_id: task.id,
            paper_id: task.paper_id,
            target_language: task.target_language.clone(),
            from,
            to,
            at,
        })
    }

    pub fn stream(&self) -> Stream {
        match self {
            Event::Paper(_) => Stream::Papers,
            Event::Task(_) => Stream::Tasks,
        }
    }

    fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Paper(event) => event.at,
            Event::Task(event) => event.at,
        }
    }
}

/// An event with its id in the outbox: the cursor a subscriber resumes
/// after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub id: i64,
    pub event: Event,
}

/// Writes `events` into the outbox in `tx`, in order: they exist once `tx`
/// commits, and never if it rolls back. [`Events::commit`] does this and
/// commits; this is for callers that commit themselves.
pub async fn record(tx: &DatabaseTransaction, events: &[Event]) -> Result<(), StoreError> {
    let rows = events
        .iter()
        .map(|event| {
            let payload = serde_json::to_string(event)
                .map_err(|err| StoreError::Corrupt(format!("cannot encode an event: {err}")))?;
            Ok(NewEvent {
                kind: event.stream().as_str(),
                payload,
                at: event.at(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    outbox::insert(tx, rows).await
}

/// Up to `limit` events of one stream with ids in `(after, through]`, in
/// id order: what a subscriber missed. Rows this version cannot read are
/// skipped (and logged).
pub async fn missed(
    db: &DatabaseConnection,
    stream: Stream,
    after: i64,
    through: i64,
    limit: u64,
) -> Result<Vec<Numbered>, StoreError> {
    let rows = outbox::read_range(db, stream.as_str(), after, through, limit).await?;
    Ok(rows.into_iter().filter_map(decode).collect())
}

fn decode(row: OutboxRow) -> Option<Numbered> {
    match serde_json::from_str(&row.payload) {
        Ok(event) => Some(Numbered { id: row.id, event }),
        Err(err) => {
            tracing::warn!(id = row.id, error = %err, "an outbox event cannot be read: skipped");
            None
        }
    }
}

/// Where a server's relay stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    /// The id of the newest event handed to subscribers (or, at first, of
    /// the newest event when the relay started).
    delivered: i64,
    /// Whether every event up to `delivered` is in the outbox for good:
    /// false only while transactions that were running when the relay
    /// started may still commit events below it.
    settled: bool,
}

/// The live-event handle every part of a server shares. Cheap to clone.
#[derive(Clone)]
pub struct Events {
    inner: Arc<Inner>,
}

struct Inner {
    local: broadcast::Sender<Numbered>,
    head: watch::Receiver<Head>,
    /// Wakes the relay to read the outbox now.
    wake: Arc<Notify>,
    /// Whether the listener is on `LISTEN` now (always false without one).
    listening: watch::Receiver<bool>,
    /// The listener connection's `application_name`, on PostgreSQL.
    listener_name: Option<String>,
    /// Dropped with the last handle, which stops the relay and listener.
    _stop: Option<watch::Sender<()>>,
}

impl Events {
    /// The events of a server on this database: starts its relay after
    /// the newest event so far and, on PostgreSQL, the listener that wakes
    /// it when other servers commit. Call it inside the Tokio runtime.
    pub async fn start(db: &DatabaseConnection) -> Result<Events, StoreError> {
        let (newest, horizon) = outbox::newest(db).await?;
        let (local, _) = broadcast::channel(BUFFER);
        let (head_tx, head) = watch::channel(Head {
            delivered: newest,
            settled: horizon.is_none(),
        });
        let (listening_tx, listening) = watch::channel(false);
        let (stop_tx, stop) = watch::channel(());
        let wake = Arc::new(Notify::new());
        let relay = Relay {
            db: db.clone(),
            local: local.clone(),
            head: head_tx,
            wake: wake.clone(),
            order: Sequencer::starting_after(newest),
            settling: horizon.map(|horizon| (horizon, Instant::now())),
        };
        tokio::spawn(relay.run(stop.clone()));
        let mut listener_name = None;
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let name = format!("imprint-listener-{:08x}", rand::random::<u32>());
            // The listener holds a connection of its own for as long as it
            // runs, so it takes none from the pool the requests use.
            let options = db
                .get_postgres_connection_pool()
                .connect_options()
                .as_ref()
                .clone()
                .application_name(&name);
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .max_lifetime(None)
                .idle_timeout(None)
                .connect_lazy_with(options);
            let listener = Listener {
                pool,
                wake: wake.clone(),
                listening: listening_tx,
            };
            tokio::spawn(listener.run(stop));
            listener_name = Some(name);
        }
        Ok(Events {
            inner: Arc::new(Inner {
                local,
                head,
                wake,
                listening,
                listener_name,
                _stop: Some(stop_tx),
            }),
        })
    }

    /// Events that are only recorded: no relay, no subscribers (a one-off
    /// command such as `imprint import`). Servers on the database deliver
    /// what it records.
    pub fn detached() -> Events {
        let (local, _) = broadcast::channel(1);
        let (_, head) = watch::channel(Head {
            delivered: 0,
            settled: false,
        });
        let (_, listening) = watch::channel(false);
        Events {
            inner: Arc::new(Inner {
                local,
                head,
                wake: Arc::new(Notify::new()),
                listening,
                listener_name: None,
                _stop: None,
            }),
        }
    }

    /// Records `events` in `tx`, commits it, and wakes this server's relay
    /// to deliver them.
    pub async fn commit(
        &self,
        tx: DatabaseTransaction,
        events: Vec<Event>,
    ) -> Result<(), StoreError> {
        record(&tx, &events).await?;
        tx.commit().await?;
        if !events.is_empty() {
            self.inner.wake.notify_one();
        }
        Ok(())
    }

    /// Every event the relay hands out from now on, with its id, and the
    /// id of the last one it handed out before: every event after that one
    /// reaches the receiver (unless it falls more than 1,024 behind).
    pub fn subscribe(&self) -> (broadcast::Receiver<Numbered>, i64) {
        let receiver = self.inner.local.subscribe();
        // After subscribing: the relay moves its head before it sends.
        let delivered = self.inner.head.borrow().delivered;
        (receiver, delivered)
    }

    /// The id of the newest event the relay has handed out, once every
    /// event up to it is in the outbox for good (at once, but for a moment
    /// after the server starts): what a subscriber that missed events
    /// reads up to.
    pub async fn head(&self) -> i64 {
        let mut head = self.inner.head.clone();
        let settled = match head.wait_for(|head| head.settled).await {
            Ok(head) => Some(head.delivered),
            Err(_) => None,
        };
        match settled {
            Some(delivered) => delivered,
            // A detached handle has no relay: nothing is ever delivered.
            None => std::future::pending().await,
        }
    }

    /// Resolves once the PostgreSQL listener is on `LISTEN`. Never resolves
    /// without a listener (SQLite).
    pub async fn listening(&self) {
        let mut listening = self.inner.listening.clone();
        if listening.wait_for(|on| *on).await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// The `application_name` of the listener's connection (PostgreSQL),
    /// as `pg_stat_activity` shows it.
    pub fn listener_name(&self) -> Option<&str> {
        self.inner.listener_name.as_deref()
    }
}

/// Decides which outbox rows the relay may hand out, so that subscribers
/// get every event in id order. A row right after the last one delivered
/// goes at once. A row after a missing id waits: on PostgreSQL the missing
/// id may belong to a transaction that took it and has not committed yet.
/// Every transaction that took an id had begun writing, so had a
/// transaction id, before (an event is recorded after the change it
/// reports), and took it before the page showing the gap was read. A
/// transaction id taken after that page (the gap's `horizon`) is above all
/// of theirs: once every transaction below the horizon has ended, an id
/// still missing will never appear (its transaction rolled back) and is
/// passed over. Most gaps close within milliseconds, so the horizon (which
/// costs a transaction id) is only taken for a gap seen twice. SQLite
/// admits one writer at a time, so there every gap is final.
#[derive(Debug)]
struct Sequencer {
    delivered: i64,
    gap: Option<Gap>,
}

/// Ids missing right after `after`.
#[derive(Debug)]
struct Gap {
    after: i64,
    /// A transaction id taken after the gap was first seen; `None` until
    /// it is seen again.
    horizon: Option<i64>,
    since: Instant,
    warned: bool,
}

/// What holds back the rows of a page that were not delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// Nothing: every row was delivered.
    Nothing,
    /// A missing id that may still be committed: read again soon.
    Gap,
    /// A missing id seen twice: take a horizon ([`Sequencer::set_horizon`])
    /// and read again.
    NeedsHorizon,
}

impl Sequencer {
    fn starting_after(delivered: i64) -> Sequencer {
        Sequencer {
            delivered,
            gap: None,
        }
    }

    /// The rows of `page` that may be delivered now, in order, and what
    /// holds back the rest.
    fn accept(&mut self, page: Page) -> (Vec<OutboxRow>, Hold) {
        let mut ready = Vec::with_capacity(page.rows.len());
        for row in page.rows {
            if row.id != self.delivered + 1
                && let Some(snapshot) = page.snapshot
            {
                match &mut self.gap {
                    Some(gap) if gap.after == self.delivered => match gap.horizon {
                        None => return (ready, Hold::NeedsHorizon),
                        Some(horizon) if snapshot.xmin < horizon => {
                            gap.warn_if_long();
                            return (ready, Hold::Gap);
                        }
                        // Every transaction that could hold a missing id
                        // has ended: those ids were rolled back.
                        Some(_) => {}
                    },
                    _ => {
                        self.gap = Some(Gap {
                            after: self.delivered,
                            horizon: None,
                            since: Instant::now(),
                            warned: false,
                        });
                        return (ready, Hold::Gap);
                    }
                }
            }
            self.delivered = row.id;
            self.gap = None;
            ready.push(row);
        }
        (ready, Hold::Nothing)
    }

    /// The horizon of the gap waited for: a transaction id taken now.
    fn set_horizon(&mut self, horizon: i64) {
        if let Some(gap) = &mut self.gap {
            gap.horizon = Some(horizon);
        }
    }
}

impl Gap {
    fn warn_if_long(&mut self) {
        if !self.warned && self.since.elapsed() >= GAP_WARNING {
            self.warned = true;
            tracing::warn!(
                after = self.after,
                waiting = ?self.since.elapsed(),
                "live events wait for a transaction that began before an event was recorded \
                 and has not ended: a session idle in a transaction holds them back \
                 (see idle_in_transaction_session_timeout)"
            );
        }
    }
}

/// The task that reads the outbox and hands new events to subscribers.
struct Relay {
    db: DatabaseConnection,
    local: broadcast::Sender<Numbered>,
    head: watch::Sender<Head>,
    wake: Arc<Notify>,
    order: Sequencer,
    /// PostgreSQL, until the head is settled: the next transaction id when
    /// the relay started (every transaction below it must end first), and
    /// when it started.
    settling: Option<(i64, Instant)>,
}

/// What the relay does after a read.
enum Next {
    /// Everything written so far is delivered: wait to be woken.
    Idle,
    /// A missing id holds the rest back, or the head is not settled: read
    /// again soon.
    Waiting,
}

impl Relay {
    async fn run(mut self, mut stop: watch::Receiver<()>) {
        let mut backoff = Duration::from_millis(250);
        loop {
            let pause = match self.step().await {
                Ok(Next::Idle) => POLL_EVERY,
                Ok(Next::Waiting) => GAP_RECHECK,
                Err(err) => {
                    tracing::warn!(error = %err, retry_in = ?backoff, "live-event relay cannot read the outbox");
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    backoff
                }
            };
            tokio::select! {
                _ = stop.changed() => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::debug!("live-event relay stopped");
    }

    async fn step(&mut self) -> Result<Next, StoreError> {
        let settling = self.settle().await?;
        let next = self.deliver().await?;
        Ok(if settling { Next::Waiting } else { next })
    }

    /// Settles the head once every transaction that was running when the
    /// relay started has ended; answers whether it is still settling.
    async fn settle(&mut self) -> Result<bool, StoreError> {
        let Some((horizon, since)) = self.settling else {
            return Ok(false);
        };
        if outbox::oldest_running(&self.db).await? < horizon {
            if since.elapsed() >= GAP_WARNING {
                tracing::warn!("live-event relay waits for a transaction older than the server");
            }
            return Ok(true);
        }
        self.settling = None;
        self.head.send_modify(|head| head.settled = true);
        Ok(false)
    }

    /// Hands every event that may be delivered now to the subscribers.
    async fn deliver(&mut self) -> Result<Next, StoreError> {
        loop {
            let page = outbox::read_after(&self.db, self.order.delivered, RELAY_PAGE).await?;
            let full = page.rows.len() as u64 == RELAY_PAGE;
            let (ready, hold) = self.order.accept(page);
            if let Some(last) = ready.last() {
                // The head moves before the events go out: a subscriber
                // that reads the head after subscribing either finds an
                // event below it (and reads it from the outbox) or
                // receives it.
                let delivered = last.id;
                self.head.send_modify(|head| head.delivered = delivered);
            }
            for event in ready.into_iter().filter_map(decode) {
                // No receiver is not an error: nobody is subscribed now.
                let _ = self.local.send(event);
            }
            match hold {
                Hold::Nothing => {}
                Hold::Gap => return Ok(Next::Waiting),
                Hold::NeedsHorizon => {
                    let horizon = outbox::transaction_id(&self.db).await?;
                    self.order.set_horizon(horizon);
                    return Ok(Next::Waiting);
                }
            }
            if !full {
                return Ok(Next::Idle);
            }
        }
    }
}

/// The task that wakes the relay when another server commits events.
struct Listener {
    pool: sea_orm::sqlx::PgPool,
    wake: Arc<Notify>,
    listening: watch::Sender<bool>,
}

impl Listener {
    /// Listens until `stop` fires or its sender is dropped, reconnecting
    /// with a growing pause whenever the connection fails.
    async fn run(self, mut stop: watch::Receiver<()>) {
        let mut backoff = Duration::from_millis(250);
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                () = self.listen() => {}
            }
            self.listening.send_replace(false);
            tracing::warn!(retry_in = ?backoff, "live-event listener: reconnecting");
            tokio::select! {
                _ = stop.changed() => break,
                () = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        tracing::debug!("live-event listener stopped");
    }

    /// One life of the listener: returns when its connection fails in a
    /// way it cannot recover from by itself.
    async fn listen(&self) {
        let mut listener = match PgListener::connect_with(&self.pool).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "live-event listener: cannot connect");
                return;
            }
        };
        if let Err(err) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %err, "live-event listener: LISTEN failed");
            return;
        }
        tracing::info!(channel = CHANNEL, "live-event listener: listening");
        self.listening.send_replace(true);
        // Whatever was committed while it was not listening is in the
        // outbox: the relay reads it now.
        self.wake.notify_one();
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => self.wake.notify_one(),
                Ok(None) => {
                    tracing::warn!("live-event listener: connection lost and re-established");
                    self.wake.notify_one();
                }
                Err(err) => {
                    tracing::warn!(error = %err, "live-event listener: connection failed");
                    return;
                }
            }
        }
    }
}

/// Serde for values written as their text (`"TRANSLATION"`).
mod text {
    use super::*;

    pub fn serialize<T: std::fmt::Display, S: serde::Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, T: FromStr, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("unknown value {text:?}")))
    }
}

/// Serde for optional values written as their text, or null.
mod optional_text {
    use super::*;

    pub fn serialize<T: std::fmt::Display, S: serde::Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: FromStr, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| {
                text.parse()
                    .map_err(|_| serde::de::Error::custom(format!("unknown value {text:?}")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::store::outbox::Snapshot;

    fn moved() -> Event {
        Event::Paper(PaperEvent {
            paper_id: 7,
            series_id: Some(2),
            what: PaperEventKind::Moved,
            from: Some(Stage::Submitted),
            to: Stage::Translation,
            actor_id: Some(1),
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        })
    }

    #[test]
    fn an_event_survives_the_trip_through_json() {
        let task = Event::Task(TaskChanged {
            task_id: 3,
            paper_id: 7,
            target_language: "en".into(),
            from: None,
            to: TaskStatus::Open,
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        });
        for event in [moved(), task] {
            let json = serde_json::to_string(&event).unwrap();
            let back: Event = serde_json::from_str(&json).unwrap();
            assert_eq!(back, event);
        }
    }

    #[test]
    fn the_stored_form_is_readable() {
        let json = serde_json::to_value(moved()).unwrap();
        assert_eq!(json["kind"], "paper");
        assert_eq!(json["what"], "MOVED");
        assert_eq!(json["from"], "SUBMITTED");
        assert_eq!(json["to"], "TRANSLATION");
    }

    fn page(ids: &[i64], xmin: i64) -> Page {
        Page {
            rows: ids
                .iter()
                .map(|&id| OutboxRow {
                    id,
                    kind: "paper".into(),
                    payload: String::new(),
                    created_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
                })
                .collect(),
            snapshot: Some(Snapshot { xmin }),
        }
    }

    fn ids(rows: &[OutboxRow]) -> Vec<i64> {
        rows.iter().map(|row| row.id).collect()
    }

    #[test]
    fn rows_in_sequence_go_out_at_once() {
        let mut order = Sequencer::starting_after(4);
        let (ready, hold) = order.accept(page(&[5, 6, 7], 100));
        assert_eq!((ids(&ready), hold), (vec![5, 6, 7], Hold::Nothing));
        assert_eq!(order.delivered, 7);
    }

    #[test]
    fn a_row_after_a_missing_id_waits_for_it() {
        let mut order = Sequencer::starting_after(4);
        // 5 is missing: its transaction may not have committed yet.
        let (ready, hold) = order.accept(page(&[6, 7], 100));
        assert_eq!((ids(&ready), hold), (vec![], Hold::Gap));
        // 5 committed: everything goes, in order.
        let (ready, hold) = order.accept(page(&[5, 6, 7], 100));
        assert_eq!((ids(&ready), hold), (vec![5, 6, 7], Hold::Nothing));
    }

    #[test]
    fn a_missing_id_is_passed_over_once_every_transaction_that_may_hold_it_ended() {
        let mut order = Sequencer::starting_after(4);
        assert_eq!(order.accept(page(&[6, 8], 100)).1, Hold::Gap);
        // Seen again: the relay takes a transaction id as the horizon.
        assert_eq!(order.accept(page(&[6, 8], 100)).1, Hold::NeedsHorizon);
        order.set_horizon(120);
        // Transactions below 120 still run: the one holding 5 may be one.
        let (ready, hold) = order.accept(page(&[6, 8], 119));
        assert_eq!((ids(&ready), hold), (vec![], Hold::Gap));
        // All of them ended and 5 is still missing: it was rolled back.
        // 7 is missing too, and may be new: 8 waits for it.
        let (ready, hold) = order.accept(page(&[6, 8], 120));
        assert_eq!((ids(&ready), hold), (vec![6], Hold::Gap));
        let (ready, hold) = order.accept(page(&[7, 8], 121));
        assert_eq!((ids(&ready), hold), (vec![7, 8], Hold::Nothing));
    }

    #[test]
    fn on_sqlite_ids_commit_in_order_so_every_gap_is_final() {
        let mut order = Sequencer::starting_after(4);
        let mut rows = page(&[6, 9], 0);
        rows.snapshot = None;
        let (ready, hold) = order.accept(rows);
        assert_eq!((ids(&ready), hold), (vec![6, 9], Hold::Nothing));
    }
}
