//! GraphQL over WebSocket with the token in `connection_init`.

use futures_util::{SinkExt, StreamExt};
use imprint::domain::Role;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_query_over_graphql_transport_ws_sees_the_viewer_from_the_init_payload() {
    let app = TestApp::spawn().await;
    let (id, token) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let url = app.url("/graphql/ws").replace("http://", "ws://");
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();

    let send = |value: Value| Message::Text(value.to_string().into());
    socket
        .send(send(
            json!({ "type": "connection_init", "payload": { "token": token } }),
        ))
        .await
        .unwrap();
    let ack = next_json(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack");

    socket
        .send(send(json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ me { id roles } }" } })))
        .await
        .unwrap();
    let next = next_json(&mut socket).await;
    assert_eq!(next["type"], "next");
    assert_eq!(
        next["payload"]["data"]["me"],
        json!({ "id": id.to_string(), "roles": ["EDITOR"] })
    );
    assert_eq!(next_json(&mut socket).await["type"], "complete");
}

async fn next_json<S>(socket: &mut S) -> Value
where
    S: StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match socket.next().await.unwrap().unwrap() {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected message {other:?}"),
        }
    }
}
