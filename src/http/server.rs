//! The listener: HTTP/1.1 connections under a cap and a deadline for their
//! headers, WebSockets under a cap of their own, and a graceful stop.
//!
//! `axum::serve` sets neither a header deadline nor a cap, so a client that
//! trickles its headers a byte a second holds a socket for good, and it
//! forgets WebSockets once they are upgraded, so a stop cannot wait for
//! them. This loop does what it does (hyper's HTTP/1.1 connection with
//! upgrades, one task per connection) and those three things.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use super::RETRY_AFTER_SECONDS;
use super::ws::WebSockets;
use crate::app::AppState;

/// How often the causes of closed and refused connections are logged: once
/// a minute with a count, not once a socket, so a flood does not flood the
/// log too.
const REPORT_EVERY: Duration = Duration::from_secs(60);

/// How long accepting pauses after the operating system refused a socket
/// (out of file descriptors, say), instead of spinning on the error.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves the whole HTTP surface on `listener` until `shutdown` resolves,
/// then stops accepting, lets every request in flight finish (one whose body
/// is still arriving included), closes WebSockets with 1001, and returns
/// once all connections are gone or the grace period is over.
pub async fn serve(
    listener: TcpListener,
    app: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let settings = app.settings.clone();
    let stopping = watch::Sender::new(false);
    let tally = Arc::new(ConnectionTally::default());
    let websockets = WebSockets::new(
        settings.ws_max_connections,
        stopping.subscribe(),
        tally.clone(),
    );
    let router = super::router(app, websockets.clone(), tally.clone());
    let connections = Arc::new(Semaphore::new(settings.max_connections));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout);

    let mut shutdown = pin!(shutdown);
    let mut report =
        tokio::time::interval_at(tokio::time::Instant::now() + REPORT_EVERY, REPORT_EVERY);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            _ = report.tick() => {
                tally.log();
                continue;
            }
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(err) => {
                tracing::debug!(error = %err, "accept failed");
                tally.record(Cause::AcceptFailed);
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            refuse(&stream);
            tally.record(Cause::ConnectionCap);
            continue;
        };
        // Subscription events and WebSocket frames are small writes, which
        // Nagle's algorithm would hold back until the last one is acknowledged.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let stopping = stopping.subscribe();
        let tally = tally.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection.with_upgrades());
            let served = tokio::select! {
                served = connection.as_mut() => served,
                () = until_stopping(stopping) => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = served {
                if err.is_timeout() {
                    tally.record(Cause::HeaderTimeout);
                } else {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
            }
            drop(permit);
        });
    }

    drop(listener);
    stopping.send_replace(true);
    tracing::info!("shutting down: finishing requests in flight, closing WebSockets");
    let grace = settings.shutdown_grace;
    // Every connection holds a permit until it ends: all permits back is
    // all connections gone.
    let all_closed = async {
        let http_closed = connections.acquire_many(permits(settings.max_connections));
        let _ = tokio::join!(http_closed, websockets.all_closed());
    };
    if tokio::time::timeout(grace, all_closed).await.is_err() {
        tracing::warn!(
            http = settings.max_connections - connections.available_permits(),
            websockets = websockets.open(),
            "the shutdown grace period ({}) is over: closing the connections still open",
            humantime::format_duration(grace)
        );
    }
    tally.log();
    Ok(())
}

/// Resolves once the server is stopping.
pub(super) async fn until_stopping(mut stopping: watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// Tells a client over the cap to come back later, as far as its socket
/// takes it without waiting; the socket closes when dropped.
fn refuse(stream: &TcpStream) {
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: {RETRY_AFTER_SECONDS}\r\n\
         content-length: 0\r\nconnection: close\r\n\r\n"
    );
    let _ = stream.try_write(answer.as_bytes());
}

/// A semaphore holds at most `u32::MAX` permits to acquire at once.
pub(super) fn permits(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Why the server closed or refused a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Its request headers did not arrive within the header deadline.
    HeaderTimeout,
    /// The server already had as many connections as it takes.
    ConnectionCap,
    /// The server already had as many WebSockets as it takes (closed 1013).
    WebSocketCap,
    /// The operating system would not hand over the socket.
    AcceptFailed,
}

impl Cause {
    const ALL: [Cause; 4] = [
        Cause::HeaderTimeout,
        Cause::ConnectionCap,
        Cause::WebSocketCap,
        Cause::AcceptFailed,
    ];

    /// The label in `/metrics`.
    pub fn name(self) -> &'static str {
        match self {
            Cause::HeaderTimeout => "header_timeout",
            Cause::ConnectionCap => "connection_cap",
            Cause::WebSocketCap => "websocket_cap",
            Cause::AcceptFailed => "accept_failed",
        }
    }

    fn explained(self) -> &'static str {
        match self {
            Cause::HeaderTimeout => "closed: request headers not received in time",
            Cause::ConnectionCap => "refused: at the connection cap",
            Cause::WebSocketCap => "closed 1013: at the WebSocket cap",
            Cause::AcceptFailed => "lost: the operating system refused to accept them",
        }
    }
}

/// Connections closed or refused, by cause: totals for `/metrics`, and what
/// is not yet logged.
#[derive(Debug, Default)]
pub struct ConnectionTally {
    total: [AtomicU64; Cause::ALL.len()],
    unlogged: [AtomicU64; Cause::ALL.len()],
}

impl ConnectionTally {
    pub fn record(&self, cause: Cause) {
        self.total[cause as usize].fetch_add(1, Ordering::Relaxed);
        self.unlogged[cause as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Every cause with its count since the server started.
    pub fn totals(&self) -> impl Iterator<Item = (Cause, u64)> + '_ {
        Cause::ALL
            .into_iter()
            .map(|cause| (cause, self.total[cause as usize].load(Ordering::Relaxed)))
    }

    /// Logs one line per cause seen since the last call, and forgets them.
    fn log(&self) {
        for (cause, count) in self.take_unlogged() {
            tracing::warn!(
                count,
                cause = cause.name(),
                "connections {} since the last report",
                cause.explained()
            );
        }
    }

    fn take_unlogged(&self) -> Vec<(Cause, u64)> {
        Cause::ALL
            .into_iter()
            .map(|cause| {
                (
                    cause,
                    self.unlogged[cause as usize].swap(0, Ordering::Relaxed),
                )
            })
            .filter(|(_, count)| *count > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_reported_once_with_its_count_then_forgotten() {
        let tally = ConnectionTally::default();
        for _ in 0..300 {
            tally.record(Cause::HeaderTimeout);
        }
        tally.record(Cause::ConnectionCap);
        assert_eq!(
            tally.take_unlogged(),
            [(Cause::HeaderTimeout, 300), (Cause::ConnectionCap, 1)]
        );
        assert_eq!(tally.take_unlogged(), []);
        tally.record(Cause::HeaderTimeout);
        assert_eq!(tally.take_unlogged(), [(Cause::HeaderTimeout, 1)]);
        let totals: Vec<_> = tally.totals().collect();
        assert_eq!(totals[0], (Cause::HeaderTimeout, 301));
        assert_eq!(totals[1], (Cause::ConnectionCap, 1));
    }
}
