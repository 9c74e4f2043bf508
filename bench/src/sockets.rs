//! Idle subscribers: the server memory one WebSocket with one live
//! subscription holds while nothing happens, from the server's resident
//! set before and after opening many.
//!
//! Every socket is checked to be listening (its `pong` arrives after its
//! `subscribe`, which the server starts before reading on) and still open
//! when the second reading is taken, so sockets the server refused or
//! dropped cannot pass for cheap ones.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::server::{Server, status_kb};

/// Sockets opened at once.
const OPENING_AT_ONCE: usize = 50;
/// How long the server is left alone before the second reading.
const SETTLE: Duration = Duration::from_secs(2);

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the idle-subscriber measurement found.
#[derive(Debug, Clone, Serialize)]
pub struct IdleSockets {
    pub sockets: usize,
    pub server_rss_mb_before: f64,
    pub server_rss_mb_after: f64,
    /// (after − before) / sockets.
    pub kib_per_socket: f64,
}

pub async fn measure(server: &Server, count: usize) -> anyhow::Result<IdleSockets> {
    let url = format!("{}/graphql/ws", server.base).replace("http://", "ws://");
    let rss = || status_kb(server.pid, "VmRSS").context("cannot read the server's VmRSS");
    // One socket first, so what every connection shares (the schema's
    // subscription machinery, the event listener) is not charged to them.
    let mut sockets = vec![subscribed(&url).await?];
    tokio::time::sleep(SETTLE).await;
    let before = rss()?;
    while sockets.len() < count + 1 {
        let batch = OPENING_AT_ONCE.min(count + 1 - sockets.len());
        let opened =
            futures_util::future::try_join_all((0..batch).map(|_| subscribed(&url))).await?;
        sockets.extend(opened);
    }
    tokio::time::sleep(SETTLE).await;
    let after = rss()?;
    for socket in &mut sockets {
        exchange(socket, r#"{"type":"ping"}"#, "pong").await?;
    }
    for mut socket in sockets {
        let _ = socket.close(None).await;
    }
    let measured = IdleSockets {
        sockets: count,
        server_rss_mb_before: before as f64 / 1024.0,
        server_rss_mb_after: after as f64 / 1024.0,
        kib_per_socket: after.saturating_sub(before) as f64 / count as f64,
    };
    eprintln!(
        "idle subscribers: {} sockets, server RSS {:.1} MB -> {:.1} MB, {:.1} KiB per socket",
        measured.sockets,
        measured.server_rss_mb_before,
        measured.server_rss_mb_after,
        measured.kib_per_socket
    );
    Ok(measured)
}

/// A socket past `connection_ack` with one `paperEvents` subscription
/// listening.
async fn subscribed(url: &str) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    exchange(
        &mut socket,
        r#"{"type":"connection_init"}"#,
        "connection_ack",
    )
    .await?;
    let subscribe = r#"{"id":"1","type":"subscribe","payload":{"query":"subscription { paperEvents { paper { id } to } }"}}"#;
    socket.send(Message::Text(subscribe.into())).await?;
    exchange(&mut socket, r#"{"type":"ping"}"#, "pong").await?;
    Ok(socket)
}

/// Sends `text` and waits for a message of type `expected`.
pub(crate) async fn exchange(
    socket: &mut Socket,
    text: &str,
    expected: &str,
) -> anyhow::Result<()> {
    socket.send(Message::Text(text.into())).await?;
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .context("the server did not answer in time")?;
        match frame {
            Some(Ok(Message::Text(text))) => {
                let message: serde_json::Value = serde_json::from_str(&text)?;
                if message["type"] == expected {
                    return Ok(());
                }
                bail!("expected {expected}, got {message}");
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => bail!("expected {expected}, got {other:?}"),
        }
    }
}
