//! The messages of `graphql-transport-ws` and the close codes the server
//! ends a socket with, as
//! <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>
//! defines them. Parsing follows the reference implementation's checks, so
//! whatever it calls an invalid message is one here too (close 4400).

use async_graphql::Response;
use serde_json::{Map, Value, json};

/// The one sub-protocol `/graphql/ws` speaks.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// Longest close reason sent: a close frame holds 125 bytes, two of which
/// are the code.
pub const MAX_REASON_BYTES: usize = 120;

/// A message from the client.
#[derive(Debug)]
pub enum ClientMessage {
    ConnectionInit {
        payload: Map<String, Value>,
    },
    Ping,
    Pong,
    Subscribe {
        id: String,
        payload: Box<async_graphql::Request>,
    },
    Complete {
        id: String,
    },
}

impl ClientMessage {
    /// Reads one text frame; the error is the reason to close with 4400.
    pub fn parse(text: &str) -> Result<ClientMessage, String> {
        let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(text) else {
            return Err("Invalid message received: not a JSON object".into());
        };
        let kind = match message.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            _ => return Err("Invalid message received: no `type`".into()),
        };
        match kind.as_str() {
            "connection_init" => Ok(ClientMessage::ConnectionInit {
                payload: optional_object(message.remove("payload"), &kind)?.unwrap_or_default(),
            }),
            "ping" => {
                optional_object(message.remove("payload"), &kind).map(|_| ClientMessage::Ping)
            }
            "pong" => {
                optional_object(message.remove("payload"), &kind).map(|_| ClientMessage::Pong)
            }
            "subscribe" => {
                let id = id_of(&message, &kind)?;
                let payload = match message.remove("payload") {
                    Some(Value::Object(payload)) => request(payload)?,
                    _ => return Err("Invalid message received: `subscribe` needs a payload".into()),
                };
                Ok(ClientMessage::Subscribe {
                    id,
                    payload: Box::new(payload),
                })
            }
            "complete" => Ok(ClientMessage::Complete {
                id: id_of(&message, &kind)?,
            }),
            "connection_ack" | "next" | "error" => Err(format!(
                "Unexpected message of type {kind} received: only servers send it"
            )),
            _ => Err(format!("Invalid message received: unknown type {kind:?}")),
        }
    }
}

fn optional_object(
    payload: Option<Value>,
    kind: &str,
) -> Result<Option<Map<String, Value>>, String> {
    match payload {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(payload)) => Ok(Some(payload)),
        Some(_) => Err(format!(
            "Invalid message received: the `{kind}` payload must be an object"
        )),
    }
}

fn id_of(message: &Map<String, Value>, kind: &str) -> Result<String, String> {
    match message.get("id") {
        Some(Value::String(id)) if !id.is_empty() => Ok(id.clone()),
        _ => Err(format!(
            "Invalid message received: `{kind}` needs a non-empty string id"
        )),
    }
}

/// The `subscribe` payload: `query` a string; `operationName` a string,
/// `variables` and `extensions` objects, each optional or null.
fn request(mut payload: Map<String, Value>) -> Result<async_graphql::Request, String> {
    let invalid = |what: &str| format!("Invalid message received: {what}");
    if !payload.get("query").is_some_and(Value::is_string) {
        return Err(invalid("the payload needs a `query` string"));
    }
    for (key, ok) in [
        ("operationName", Value::is_string as fn(&Value) -> bool),
        ("variables", Value::is_object),
        ("extensions", Value::is_object),
    ] {
        match payload.get(key) {
            Some(Value::Null) => {
                payload.remove(key);
            }
            Some(value) if !ok(value) => {
                return Err(invalid(&format!("`{key}` has the wrong type")));
            }
            _ => {}
        }
    }
    serde_json::from_value(Value::Object(payload))
        .map_err(|_| invalid("the payload is not a GraphQL request"))
}

/// Messages from the server.
pub fn connection_ack() -> String {
    json!({ "type": "connection_ack" }).to_string()
}

pub fn pong() -> String {
    json!({ "type": "pong" }).to_string()
}

pub fn next(id: &str, response: &Response) -> String {
    json!({ "id": id, "type": "next", "payload": response }).to_string()
}

/// Errors that end an operation: `payload` is a list of GraphQL errors.
pub fn error(id: &str, errors: Value) -> String {
    json!({ "id": id, "type": "error", "payload": errors }).to_string()
}

pub fn complete(id: &str) -> String {
    json!({ "id": id, "type": "complete" }).to_string()
}

/// Why the server closes a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    pub code: u16,
    pub reason: String,
}

impl Close {
    fn new(code: u16, reason: &str) -> Close {
        Close {
            code,
            reason: truncated(reason, MAX_REASON_BYTES).to_owned(),
        }
    }

    /// 4400: the message broke the protocol.
    pub fn bad_request(reason: &str) -> Close {
        Close::new(4400, reason)
    }

    /// 4401: `subscribe` before the connection was acknowledged.
    pub fn unauthorized() -> Close {
        Close::new(4401, "Unauthorized")
    }

    /// 4403: the token in `connection_init` stands for no one.
    pub fn forbidden(why: &str) -> Close {
        Close::new(4403, &format!("Forbidden: {why}"))
    }

    /// 4406: the client did not ask for `graphql-transport-ws`.
    pub fn subprotocol_not_acceptable() -> Close {
        Close::new(4406, "Subprotocol not acceptable")
    }

    /// 4408: no `connection_init` in time.
    pub fn init_timeout() -> Close {
        Close::new(4408, "Connection initialisation timeout")
    }

    /// 4409: an operation with this id is still running.
    pub fn duplicate(id: &str) -> Close {
        Close::new(4409, &format!("Subscriber for {id} already exists"))
    }

    /// 4429: a second `connection_init`.
    pub fn too_many_inits() -> Close {
        Close::new(4429, "Too many initialisation requests")
    }

    /// 1011: the server could not go on (the database is down).
    pub fn internal(reason: &str) -> Close {
        Close::new(1011, reason)
    }

    /// 1001: the server is stopping; another will take the client.
    pub fn going_away() -> Close {
        Close::new(1001, "Going away: the server is restarting")
    }

    /// 1013: the server has as many sockets open as it takes.
    pub fn try_again_later() -> Close {
        Close::new(1013, "Try again later: too many open sockets")
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn truncated(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_client_messages_parse() {
        let cases = [
            r#"{"type":"connection_init"}"#,
            r#"{"type":"connection_init","payload":null}"#,
            r#"{"type":"connection_init","payload":{"token":"x"}}"#,
            r#"{"type":"ping"}"#,
            r#"{"type":"pong","payload":{"at":1}}"#,
            r#"{"type":"subscribe","id":"1","payload":{"query":"{ me { id } }"}}"#,
            r#"{"type":"subscribe","id":"a","payload":{"query":"q","variables":null,"operationName":null,"extensions":null}}"#,
            r#"{"type":"subscribe","id":"a","payload":{"query":"q","variables":{"x":1},"operationName":"Q"}}"#,
            r#"{"type":"complete","id":"1"}"#,
        ];
        for text in cases {
            assert!(ClientMessage::parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn invalid_client_messages_are_refused_with_a_reason() {
        let cases = [
            "not json",
            "[]",
            r#"{"payload":{}}"#,
            r#"{"type":7}"#,
            r#"{"type":"hello"}"#,
            r#"{"type":"connection_init","payload":"token"}"#,
            r#"{"type":"ping","payload":[1]}"#,
            r#"{"type":"subscribe","payload":{"query":"q"}}"#,
            r#"{"type":"subscribe","id":"","payload":{"query":"q"}}"#,
            r#"{"type":"subscribe","id":1,"payload":{"query":"q"}}"#,
            r#"{"type":"subscribe","id":"1"}"#,
            r#"{"type":"subscribe","id":"1","payload":{}}"#,
            r#"{"type":"subscribe","id":"1","payload":{"query":"q","variables":[]}}"#,
            r#"{"type":"subscribe","id":"1","payload":{"query":"q","operationName":3}}"#,
            r#"{"type":"complete"}"#,
            r#"{"type":"next","id":"1","payload":{}}"#,
            r#"{"type":"connection_ack"}"#,
        ];
        for text in cases {
            let reason = ClientMessage::parse(text).expect_err(text);
            assert!(
                !reason.is_empty() && reason.len() <= MAX_REASON_BYTES,
                "{text}"
            );
        }
    }

    #[test]
    fn close_reasons_fit_a_close_frame() {
        let long_id = "é".repeat(200);
        for close in [
            Close::duplicate(&long_id),
            Close::bad_request(&"x".repeat(500)),
            Close::forbidden(&long_id),
        ] {
            assert!(close.reason.len() <= MAX_REASON_BYTES, "{close:?}");
        }
        assert_eq!(
            Close::duplicate("7").reason,
            "Subscriber for 7 already exists"
        );
    }
}
