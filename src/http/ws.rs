//! GraphQL over WebSocket: `graphql-transport-ws`, to the letter. The stock
//! async-graphql handler bends the protocol (no init timeout, 1011 instead
//! of 4401, a duplicate id silently replaces the running operation, 1002
//! with serde's text instead of 4400, no `error` message), so the socket is
//! driven here and only execution is left to async-graphql.
//!
//! A browser cannot set headers on a WebSocket, so the token travels in the
//! `connection_init` payload, as `{"token": "<JWT>"}` or
//! `{"Authorization": "Bearer <JWT>"}`; without one the connection is
//! anonymous. The account is re-read for every operation (and, inside a
//! subscription, for every event), as it is for every HTTP request.
//!
//! | rule | answer |
//! | --- | --- |
//! | client did not offer `graphql-transport-ws` | close 4406 |
//! | no `connection_init` within `--ws-init-timeout` | close 4408 |
//! | a token that stands for no active account, a malformed one, or two | close 4403 |
//! | a second `connection_init` | close 4429 |
//! | `subscribe` before `connection_ack` | close 4401 |
//! | `subscribe` with the id of a running operation | close 4409 |
//! | a message that is not valid JSON of the protocol | close 4400 (reason < 125 bytes) |
//! | more than `--ws-max-operations` at once | `error` for that id |
//! | `--ws-max-connections` sockets already open | close 1013 |
//! | the server is stopping | close 1001 |
//! | `ping` | `pong` |
//! | `complete` from the client | the operation stops, nothing more is sent for it |
//! | a document that fails to parse or validate | `error` |
//! | a query or mutation | one `next`, then `complete` |

mod message;

use std::collections::HashMap;
use std::pin::pin;
use std::sync::Arc;

use async_graphql::Response;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::http::header::SEC_WEBSOCKET_PROTOCOL;
use axum::response::Response as HttpResponse;
use futures_util::stream::{AbortHandle, BoxStream, SelectAll};
use futures_util::{StreamExt, stream};
use serde_json::{Map, Value, json};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

use super::HttpState;
use super::auth::bearer_token;
use super::graphql::is_request_error;
use super::server::{Cause, ConnectionTally, permits, until_stopping};
use crate::app::AppState;
use crate::config::MAX_BODY_BYTES;
use crate::domain::{DomainError, Viewer};
use crate::graphql::{ApiError, SessionToken};
use crate::service::{ServiceError, users};
use message::{ClientMessage, Close, PROTOCOL};

/// Most bytes one client message may take, as for a request body.
const MAX_MESSAGE_BYTES: usize = MAX_BODY_BYTES;

/// Bytes the transport reads a socket in. The default (128 KiB) was most of
/// what an idle subscription held; a protocol message is rarely over a few
/// hundred bytes, and a longer one is read in several steps.
const READ_BUFFER_BYTES: usize = 4 * 1024;

/// Bytes of outgoing frames gathered before they are written to the socket.
const WRITE_BUFFER_BYTES: usize = 4 * 1024;

/// The sockets open at once, under a cap, and the signal that the server is
/// stopping.
#[derive(Clone)]
pub(super) struct WebSockets {
    slots: Arc<Semaphore>,
    max: usize,
    stopping: watch::Receiver<bool>,
    tally: Arc<ConnectionTally>,
}

impl WebSockets {
    pub(super) fn new(
        max: usize,
        stopping: watch::Receiver<bool>,
        tally: Arc<ConnectionTally>,
    ) -> WebSockets {
        WebSockets {
            slots: Arc::new(Semaphore::new(max)),
            max,
            stopping,
            tally,
        }
    }

    pub(super) fn open(&self) -> usize {
        self.max - self.slots.available_permits()
    }

    /// Resolves once every socket has closed.
    pub(super) async fn all_closed(&self) {
        let _ = self.slots.acquire_many(permits(self.max)).await;
    }
}

/// GET /graphql/ws
pub async fn upgrade(
    State(state): State<HttpState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    let offered = headers
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|protocol| protocol.trim() == PROTOCOL);
    // Taken before the upgrade, so a socket over the cap never holds more
    // than its handshake; closed with a code, which only a WebSocket has.
    let slot = state.websockets.slots.clone().try_acquire_owned().ok();
    if slot.is_none() {
        state.websockets.tally.record(Cause::WebSocketCap);
    }
    upgrade
        .protocols([PROTOCOL])
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let connection = Connection::new(state, socket);
            match (slot, offered) {
                (None, _) => {
                    connection.close(Close::try_again_later()).await;
                }
                (Some(slot), true) => {
                    connection.serve().await;
                    drop(slot);
                }
                (Some(_), false) => {
                    connection.close(Close::subprotocol_not_acceptable()).await;
                }
            }
        })
}

/// Where the handshake of `connection_init` stands.
enum Handshake {
    /// Nothing received yet; the socket closes at the deadline.
    Waiting { deadline: Instant },
    /// Acknowledged, with the token the client gave.
    Acked { token: Option<String> },
}

/// One step of an operation: a result, or `None` when it has no more.
type Output = (String, u64, Option<Response>);

/// A running operation, known by the id the client gave it.
struct Operation {
    /// Tells this run from an earlier one with the same id.
    serial: u64,
    abort: AbortHandle,
    /// Whether anything was sent for it yet.
    answered: bool,
}

struct Connection {
    state: HttpState,
    socket: WebSocket,
    handshake: Handshake,
    operations: HashMap<String, Operation>,
    running: SelectAll<BoxStream<'static, Output>>,
    serials: u64,
}

/// What woke the connection up.
enum Wake {
    Client(Option<Result<Message, axum::Error>>),
    Operation(Box<Output>),
    InitTimeout,
    GoingAway,
}

impl Connection {
    fn new(state: HttpState, socket: WebSocket) -> Connection {
        let deadline = Instant::now() + state.app.settings.ws_init_timeout;
        Connection {
            state,
            socket,
            handshake: Handshake::Waiting { deadline },
            operations: HashMap::new(),
            running: SelectAll::new(),
            serials: 0,
        }
    }

    /// Runs the protocol until either side closes.
    async fn serve(mut self) {
        let mut going_away = pin!(until_stopping(self.state.websockets.stopping.clone()));
        loop {
            let deadline = match self.handshake {
                Handshake::Waiting { deadline } => Some(deadline),
                Handshake::Acked { .. } => None,
            };
            let wake = {
                let init_timeout = async {
                    match deadline {
                        Some(deadline) => tokio::time::sleep_until(deadline).await,
                        None => std::future::pending().await,
                    }
                };
                let init_timeout = pin!(init_timeout);
                tokio::select! {
                    message = self.socket.recv() => Wake::Client(message),
                    Some(output) = self.running.next(), if !self.running.is_empty() => {
                        Wake::Operation(Box::new(output))
                    }
                    () = init_timeout => Wake::InitTimeout,
                    () = &mut going_away => Wake::GoingAway,
                }
            };
            let outcome = match wake {
                Wake::Client(Some(Ok(message))) => self.on_frame(message).await,
                Wake::Client(_) => return,
                Wake::Operation(output) => self.on_output(*output).await,
                Wake::InitTimeout => Err(Some(Close::init_timeout())),
                Wake::GoingAway => Err(Some(Close::going_away())),
            };
            match outcome {
                Ok(()) => {}
                Err(Some(close)) => return self.close(close).await,
                Err(None) => return,
            }
        }
    }

    /// `Err(Some(close))` closes the socket with a code; `Err(None)` means
    /// the socket is gone.
    async fn on_frame(&mut self, frame: Message) -> Result<(), Option<Close>> {
        let text = match frame {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return Err(Some(Close::bad_request(
                    "Invalid message received: binary frames are not part of the protocol",
                )));
            }
            // WebSocket pings are answered by the transport itself.
            Message::Ping(_) | Message::Pong(_) => return Ok(()),
            Message::Close(_) => return Err(None),
        };
        let message = ClientMessage::parse(text.as_str()).map_err(|reason| {
            tracing::debug!(reason, "closing a socket: invalid message");
            Some(Close::bad_request(&reason))
        })?;
        match message {
            ClientMessage::ConnectionInit { payload } => self.on_init(payload).await,
            ClientMessage::Ping => self.send(message::pong()).await,
            ClientMessage::Pong => Ok(()),
            ClientMessage::Subscribe { id, payload } => self.on_subscribe(id, *payload).await,
            ClientMessage::Complete { id } => {
                if let Some(operation) = self.operations.remove(&id) {
                    operation.abort.abort();
                }
                Ok(())
            }
        }
    }

    async fn on_init(&mut self, payload: Map<String, Value>) -> Result<(), Option<Close>> {
        if let Handshake::Acked { .. } = self.handshake {
            return Err(Some(Close::too_many_inits()));
        }
        let token = token_in(&payload).map_err(|why| Some(Close::forbidden(why)))?;
        if let Some(token) = &token {
            check_token(&self.state.app, token).await?;
        }
        self.handshake = Handshake::Acked { token };
        self.send(message::connection_ack()).await
    }

    async fn on_subscribe(
        &mut self,
        id: String,
        request: async_graphql::Request,
    ) -> Result<(), Option<Close>> {
        let Handshake::Acked { token } = &self.handshake else {
            return Err(Some(Close::unauthorized()));
        };
        let token = token.clone();
        if self.operations.contains_key(&id) {
            return Err(Some(Close::duplicate(&id)));
        }
        let max = self.state.app.settings.ws_max_operations;
        if self.operations.len() >= max {
            let message =
                format!("too many operations on this socket (at most {max}): complete one first");
            let errors = json!([ApiError::bad_input(message).to_json()]);
            return self.send(message::error(&id, errors)).await;
        }
        let mut request = request;
        let checked = match crate::graphql::check_request(&mut request) {
            Ok(checked) => checked,
            Err(err) => return self.send(message::error(&id, json!([err]))).await,
        };
        // The account is re-read for each operation, as for each request.
        match &token {
            Some(token) => match users::authenticate(&self.state.app, token).await {
                Ok(viewer) => request = request.data(viewer).data(SessionToken(token.clone())),
                Err(err) => {
                    let errors = json!([ApiError::from(err).to_json()]);
                    return self.send(message::error(&id, errors)).await;
                }
            },
            None => request = request.data(Viewer::Anonymous),
        }
        self.serials += 1;
        let serial = self.serials;
        let tag = id.clone();
        let outputs = self
            .state
            .schema
            .execute_stream(request)
            .map(move |response| Some(checked.give_codes(response)))
            .chain(stream::once(std::future::ready(None)))
            .map(move |item| (tag.clone(), serial, item));
        let (mut outputs, abort) = stream::abortable(outputs);
        self.operations.insert(
            id,
            Operation {
                serial,
                abort,
                answered: false,
            },
        );
        // Start it now: a subscription is listening before the next message
        // is read, so a client that sends `ping` after `subscribe` knows,
        // at `pong`, that no later event can be missed.
        if let std::task::Poll::Ready(Some(output)) = futures_util::poll!(outputs.next()) {
            self.on_output(output).await?;
        }
        self.running.push(outputs.boxed());
        Ok(())
    }

    /// Sends what an operation produced, unless the client completed it.
    async fn on_output(&mut self, (id, serial, item): Output) -> Result<(), Option<Close>> {
        let Some(operation) = self.operations.get_mut(&id) else {
            return Ok(());
        };
        if operation.serial != serial {
            return Ok(());
        }
        let first = !operation.answered;
        operation.answered = true;
        let text = match item {
            Some(response) if first && is_request_error(&response) => {
                self.end(&id);
                let errors = serde_json::to_value(&response.errors).unwrap_or_default();
                message::error(&id, errors)
            }
            Some(response) => message::next(&id, &response),
            None => {
                self.end(&id);
                message::complete(&id)
            }
        };
        self.send(text).await
    }

    fn end(&mut self, id: &str) {
        if let Some(operation) = self.operations.remove(id) {
            operation.abort.abort();
        }
    }

    async fn send(&mut self, text: String) -> Result<(), Option<Close>> {
        self.socket
            .send(Message::Text(text.into()))
            .await
            .map_err(|_| None)
    }

    async fn close(mut self, close: Close) {
        let frame = CloseFrame {
            code: close.code,
            reason: close.reason.into(),
        };
        let _ = self.socket.send(Message::Close(Some(frame))).await;
    }
}

/// Whether a token stands for an active account: 4403 when it does not.
async fn check_token(app: &AppState, token: &str) -> Result<(), Option<Close>> {
    match users::authenticate(app, token).await {
        Ok(_) => Ok(()),
        Err(ServiceError::Domain(DomainError::Unauthenticated(why))) => {
            Err(Some(Close::forbidden(&why)))
        }
        Err(err) => Err(Some(Close::internal(&ApiError::from(err).message))),
    }
}

/// The token in a `connection_init` payload, if any: under `token`, or as
/// `Bearer <token>` under `Authorization` (any case). A token given in a
/// form that cannot be one, or given twice, is refused, never taken as
/// anonymous or as whichever came first.
fn token_in(payload: &Map<String, Value>) -> Result<Option<String>, &'static str> {
    let mut given = payload
        .iter()
        .filter(|(key, _)| *key == "token" || key.eq_ignore_ascii_case("authorization"));
    let Some((key, value)) = given.next() else {
        return Ok(None);
    };
    if given.next().is_some() {
        return Err("give one token, under `token` or `Authorization`, not several");
    }
    let value = value.as_str().unwrap_or_default();
    if key == "token" {
        let token = value.trim();
        return match token.is_empty() {
            false => Ok(Some(token.to_owned())),
            true => Err("`token` must be a login token"),
        };
    }
    bearer_token(value)
        .map(|token| Some(token.to_owned()))
        .ok_or("`Authorization` must be `Bearer <token>`")
}
