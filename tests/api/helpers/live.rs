//! Live events in tests: a raw `graphql-transport-ws` client with a
//! deadline on every wait, a second server on the same database, and short
//! ways to drive papers through the real mutations.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use imprint::app::{self, AppState};
use imprint::clock::Clock;
use imprint::config::Settings;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{TestApp, TestDatabase, test_settings};

/// Longest wait for anything a test expects to arrive.
pub const WAIT: Duration = Duration::from_secs(10);

impl TestApp {
    /// Another server on the database of an existing one, as a second
    /// replica behind a load balancer would be.
    pub async fn spawn_on(db: &Arc<TestDatabase>) -> TestApp {
        Self::spawn_on_with(db, test_settings()).await
    }

    pub async fn spawn_on_with(db: &Arc<TestDatabase>, settings: Settings) -> TestApp {
        let state = AppState::new(db.connect().await, settings, Clock::default())
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(app::serve(listener, state.clone(), std::future::pending()));
        TestApp {
            address,
            client: reqwest::Client::new(),
            state,
            db: Arc::clone(db),
        }
    }

    /// A WebSocket to `/graphql/ws` offering `graphql-transport-ws`.
    pub async fn socket(&self) -> Socket {
        self.socket_offering(Some("graphql-transport-ws")).await
    }

    pub async fn socket_offering(&self, protocol: Option<&str>) -> Socket {
        Socket::connect(&self.address, protocol).await
    }

    /// A socket past `connection_init` with this token (or anonymous).
    pub async fn live(&self, token: Option<&str>) -> Socket {
        let mut socket = self.socket().await;
        let payload = match token {
            Some(token) => json!({ "token": token }),
            None => json!({}),
        };
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = socket.next_message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        socket
    }

    /// A paper in DRAFT with an original text that may be submitted:
    /// (id, version).
    pub async fn draft(&self, token: &str, title: &str, series_id: Option<&str>) -> (String, i64) {
        let created = self
            .gql(
                Some(token),
                "mutation($input: CreatePaperInput!) { createPaper(input: $input) { id version } }",
                json!({ "input": {
                    "originalLanguage": "ru",
                    "title": title,
                    "abstract": "Аннотация",
                    "seriesId": series_id,
                } }),
            )
            .await
            .ok();
        let paper = &created.data()["createPaper"];
        (
            paper["id"].as_str().unwrap().to_owned(),
            paper["version"].as_i64().unwrap(),
        )
    }

    /// Moves a paper and answers its new version.
    pub async fn move_paper(
        &self,
        token: &str,
        id: &str,
        to: &str,
        version: i64,
        note: Option<&str>,
    ) -> i64 {
        let moved = self
            .gql(
                Some(token),
                "mutation($id: ID!, $to: Stage!, $v: Int!, $note: String) {
                    movePaper(id: $id, to: $to, expectedVersion: $v, note: $note) { version }
                }",
                json!({ "id": id, "to": to, "v": version, "note": note }),
            )
            .await
            .ok();
        moved.data()["movePaper"]["version"].as_i64().unwrap()
    }
}

/// One client's WebSocket; every wait fails the test after [`WAIT`].
pub struct Socket {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    /// Opens `/graphql/ws` of the server at `address` (`http://host:port`).
    pub async fn connect(address: &str, protocol: Option<&str>) -> Socket {
        let url = format!("{address}/graphql/ws").replace("http://", "ws://");
        let mut request = url.into_client_request().unwrap();
        if let Some(protocol) = protocol {
            request
                .headers_mut()
                .insert("sec-websocket-protocol", protocol.parse().unwrap());
        }
        let (socket, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(request))
            .await
            .expect("connecting timed out")
            .unwrap();
        Socket { socket }
    }

    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(Message::Text(text.to_owned().into()))
            .await
            .unwrap();
    }

    pub async fn send_frame(&mut self, frame: Message) {
        self.socket.send(frame).await.unwrap();
    }

    /// Sends a frame the server may refuse by closing the socket while it
    /// is still being written.
    pub async fn send_refusable(&mut self, frame: Message) {
        let _ = self.socket.send(frame).await;
    }

    /// Starts an operation.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({
            "id": id,
            "type": "subscribe",
            "payload": { "query": query, "variables": variables },
        }))
        .await;
    }

    /// Sends `ping` and waits for its `pong`. The server reads messages in
    /// order and starts a subscription before reading the next one, so once
    /// this returns every subscription sent before is listening.
    pub async fn sync(&mut self) {
        self.send(json!({ "type": "ping" })).await;
        let pong = self.next_message().await;
        assert_eq!(pong["type"], "pong", "{pong}");
    }

    /// The next protocol message; fails on a close or after [`WAIT`].
    pub async fn next_message(&mut self) -> Value {
        self.next_within(WAIT)
            .await
            .expect("no message arrived in time")
    }

    /// The next protocol message, or `None` when nothing came in time.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => return Some(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a message, got {other:?}"),
            }
        }
    }

    /// The payload data of the next `next` message for this id.
    pub async fn next_data(&mut self, id: &str) -> Value {
        let message = self.next_message().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        assert!(message["payload"].get("errors").is_none(), "{message}");
        message["payload"]["data"].clone()
    }

    /// The next protocol message, or the code of the close that came
    /// instead.
    pub async fn next_message_or_close(&mut self) -> Result<Value, u16> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("nothing arrived in time");
            match frame {
                Some(Ok(Message::Text(text))) => return Ok(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map_or(1005, |frame| frame.code.into()));
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a message or a close, got {other:?}"),
            }
        }
    }

    /// Waits for the server to end the socket, with a close frame or by
    /// dropping the connection; fails if a message comes instead.
    pub async fn ended(&mut self) {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("the server kept the socket open");
            match frame {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(Message::Text(text))) => panic!("expected the socket to end, got {text}"),
                _ => return,
            }
        }
    }

    /// Closes the socket from the client's side, as a well-behaved client
    /// leaves.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }

    /// Waits for the server to close the socket: (code, reason).
    pub async fn closed(&mut self) -> (u16, String) {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("the server did not close the socket in time");
            match frame {
                Some(Ok(Message::Close(Some(frame)))) => {
                    return (frame.code.into(), frame.reason.to_string());
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a close frame, got {other:?}"),
            }
        }
    }
}
