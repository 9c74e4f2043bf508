//! Live events of the workflow: a paper changed stage, a translation task
//! changed status. Services publish them after their transaction commits;
//! GraphQL subscriptions receive them and filter each one for their viewer.
//!
//! Each server keeps a local broadcast channel that its subscribers read.
//! With SQLite that is all: events stay in the process. With PostgreSQL an
//! event is also sent with `NOTIFY imprint_events, '<json>'`, and every
//! server runs a task on `LISTEN imprint_events` that feeds what other
//! servers sent into its own channel, so a subscriber on one server sees
//! changes made through another. An event carries the id of the server that
//! made it, so a server skips its own notifications: it has already
//! delivered them locally, and never delivers one twice.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, oneshot, watch};

use crate::domain::{Stage, TaskStatus};
use crate::store::papers::PaperRow;
use crate::store::tasks::TaskRow;

/// The PostgreSQL channel events travel on.
pub const CHANNEL: &str = "imprint_events";

/// How many events a slow subscriber may fall behind before it misses some.
const BUFFER: usize = 1024;

/// Longest wait between two attempts to reconnect the listener.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Something that happened, as subscribers learn of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    PaperMoved(PaperMoved),
    TaskChanged(TaskChanged),
}

/// A paper changed stage (or was created: `from` is then `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperMoved {
    pub paper_id: i64,
    /// The series the paper belonged to when it moved.
    pub series_id: Option<i64>,
    #[serde(with = "optional_text")]
    pub from: Option<Stage>,
    #[serde(with = "text")]
    pub to: Stage,
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

impl Event {
    /// A stage change of this paper (`actor_id` None: the clock made it).
    pub fn paper_moved(
        paper: &PaperRow,
        from: Option<Stage>,
        to: Stage,
        actor_id: Option<i64>,
        at: DateTime<Utc>,
    ) -> Event {
        Event::PaperMoved(PaperMoved {
            paper_id: paper.id,
            series_id: paper.series_id,
            from,
            to,
            actor_id,
            at,
        })
    }

    /// A status change of this task.
    pub fn task_changed(
        task: &TaskRow,
        from: Option<TaskStatus>,
        to: TaskStatus,
        at: DateTime<Utc>,
    ) -> Event {
        Event::TaskChanged(TaskChanged {
            task_id: task.id,
            paper_id: task.paper_id,
            target_language: task.target_language.clone(),
            from,
            to,
            at,
        })
    }
}

/// What travels through NOTIFY: the event and the server that made it.
#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    origin: u64,
    event: Event,
}

/// The live-event handle every part of a server shares. Cheap to clone.
#[derive(Clone)]
pub struct Events {
    inner: Arc<Inner>,
}

struct Inner {
    local: broadcast::Sender<Event>,
    /// Identifies this server's notifications among those of others.
    origin: u64,
    /// Set on PostgreSQL: where events are sent for the other servers.
    relay: Option<DatabaseConnection>,
    /// Whether the listener is on `LISTEN` now (always false without one).
    listening: watch::Receiver<bool>,
    /// Dropped with the last handle, which stops the listener task.
    _stop: Option<oneshot::Sender<()>>,
}

impl Events {
    /// Events that stay in this process.
    pub fn in_process() -> Events {
        let (local, _) = broadcast::channel(BUFFER);
        let (_, listening) = watch::channel(false);
        Events {
            inner: Arc::new(Inner {
                local,
                origin: rand::random(),
                relay: None,
                listening,
                _stop: None,
            }),
        }
    }

    /// The events of a server on this database: in-process on SQLite; on
    /// PostgreSQL also sent through NOTIFY, with a listener task started for
    /// what other servers send. Call it inside the Tokio runtime.
    pub fn for_database(db: &DatabaseConnection) -> Events {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Events::in_process();
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::error!("no Tokio runtime: live events stay in this process");
            return Events::in_process();
        };
        let (local, _) = broadcast::channel(BUFFER);
        let (listening_tx, listening) = watch::channel(false);
        let (stop_tx, stop) = oneshot::channel();
        let origin = rand::random();
        // The listener holds a connection of its own for as long as it runs,
        // so it takes none from the pool the requests use.
        let options = db.get_postgres_connection_pool().connect_options();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with((*options).clone());
        let listener = Listener {
            pool,
            local: local.clone(),
            origin,
            listening: listening_tx,
        };
        runtime.spawn(listener.run(stop));
        Events {
            inner: Arc::new(Inner {
                local,
                origin,
                relay: Some(db.clone()),
                listening,
                _stop: Some(stop_tx),
            }),
        }
    }

    /// Delivers an event to this server's subscribers and, on PostgreSQL,
    /// to every other server's. Call it after the change has committed. A
    /// failure to notify is logged, not returned: the change has happened.
    pub async fn publish(&self, event: Event) {
        // No receiver is not an error: nobody is subscribed right now.
        let _ = self.inner.local.send(event.clone());
        let Some(db) = &self.inner.relay else {
            return;
        };
        let notice = Notice {
            origin: self.inner.origin,
            event,
        };
        let payload = match serde_json::to_string(&notice) {
            Ok(payload) => payload,
            Err(err) => {
                tracing::error!(error = %err, "cannot encode a live event");
                return;
            }
        };
        let statement = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        );
        if let Err(err) = db.execute_raw(statement).await {
            tracing::warn!(error = %err, "cannot notify other servers of a live event");
        }
    }

    /// Publishes several events, in order.
    pub async fn publish_all(&self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.publish(event).await;
        }
    }

    /// Every event from now on, from this server and (on PostgreSQL) others.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.inner.local.subscribe()
    }

    /// Resolves once the PostgreSQL listener is on `LISTEN`, so that events
    /// other servers publish from then on arrive here. Never resolves
    /// without a listener (SQLite).
    pub async fn listening(&self) {
        let mut listening = self.inner.listening.clone();
        if listening.wait_for(|on| *on).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The task that feeds other servers' notifications into the local channel.
struct Listener {
    pool: sea_orm::sqlx::PgPool,
    local: broadcast::Sender<Event>,
    origin: u64,
    listening: watch::Sender<bool>,
}

impl Listener {
    /// Listens until `stop` fires or its sender is dropped, reconnecting
    /// with a growing pause whenever the connection fails.
    async fn run(self, mut stop: oneshot::Receiver<()>) {
        let mut backoff = Duration::from_millis(250);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                () = self.listen() => {}
            }
            self.listening.send_replace(false);
            tracing::warn!(retry_in = ?backoff, "live-event listener: reconnecting");
            tokio::select! {
                _ = &mut stop => break,
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
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => self.deliver(notification.payload()),
                // sqlx has reconnected and listens again; whatever was sent
                // in between is lost.
                Ok(None) => {
                    tracing::warn!(
                        "live-event listener: connection lost and re-established; \
                         events sent meanwhile by other servers were missed"
                    );
                }
                Err(err) => {
                    tracing::warn!(error = %err, "live-event listener: connection failed");
                    return;
                }
            }
        }
    }

    fn deliver(&self, payload: &str) {
        match serde_json::from_str::<Notice>(payload) {
            Ok(notice) if notice.origin == self.origin => {}
            Ok(notice) => {
                let _ = self.local.send(notice.event);
            }
            Err(err) => {
                tracing::warn!(error = %err, "live-event listener: unreadable notification");
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
    use super::*;

    fn moved() -> Event {
        Event::PaperMoved(PaperMoved {
            paper_id: 7,
            series_id: Some(2),
            from: Some(Stage::Submitted),
            to: Stage::Translation,
            actor_id: Some(1),
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        })
    }

    #[test]
    fn an_event_survives_the_trip_through_json() {
        let task = Event::TaskChanged(TaskChanged {
            task_id: 3,
            paper_id: 7,
            target_language: "en".into(),
            from: None,
            to: TaskStatus::Open,
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        });
        for event in [moved(), task] {
            let json = serde_json::to_string(&Notice {
                origin: 9,
                event: event.clone(),
            })
            .unwrap();
            let back: Notice = serde_json::from_str(&json).unwrap();
            assert_eq!(back.event, event);
        }
    }

    #[test]
    fn the_wire_form_is_readable_and_fits_a_notification() {
        let json = serde_json::to_value(moved()).unwrap();
        assert_eq!(json["kind"], "paper_moved");
        assert_eq!(json["from"], "SUBMITTED");
        assert_eq!(json["to"], "TRANSLATION");
        // NOTIFY payloads must stay under 8000 bytes.
        assert!(json.to_string().len() < 8000);
    }

    #[tokio::test]
    async fn in_process_subscribers_receive_what_is_published_after_they_subscribe() {
        let events = Events::in_process();
        events.publish(moved()).await;
        let mut first = events.subscribe();
        let mut second = events.subscribe();
        events.publish(moved()).await;
        assert_eq!(first.recv().await.ok(), Some(moved()));
        assert_eq!(second.recv().await.ok(), Some(moved()));
        assert!(first.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_listener_skips_its_own_notifications() {
        let (local, mut receiver) = broadcast::channel(4);
        let (listening, _) = watch::channel(false);
        // Never connects: only `deliver` runs.
        let pool = PgPoolOptions::new()
            .connect_lazy("postgres://nobody@127.0.0.1/none")
            .unwrap();
        let listener = Listener {
            pool,
            local,
            origin: 1,
            listening,
        };
        let own = serde_json::to_string(&Notice {
            origin: 1,
            event: moved(),
        });
        let other = serde_json::to_string(&Notice {
            origin: 2,
            event: moved(),
        });
        listener.deliver(&own.unwrap());
        listener.deliver(&other.unwrap());
        listener.deliver("not json");
        assert_eq!(receiver.try_recv().ok(), Some(moved()));
        assert!(receiver.try_recv().is_err());
    }
}
