//! GraphQL over WebSocket (`graphql-transport-ws`). A browser cannot set
//! headers on a WebSocket, so the token travels in the `connection_init`
//! payload, as `{"token": "<JWT>"}` or `{"Authorization": "Bearer <JWT>"}`.

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;

use super::HttpState;
use super::auth::viewer_from_token;
use crate::app::AppState;
use crate::domain::Viewer;

/// GET /graphql/ws
pub async fn upgrade(
    State(state): State<HttpState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let app = state.app.clone();
            GraphQLWebSocket::new(socket, state.schema, protocol)
                .on_connection_init(move |payload| connection_data(app, payload))
                .serve()
        })
}

/// The viewer for the whole connection, from the init payload.
async fn connection_data(app: AppState, payload: serde_json::Value) -> async_graphql::Result<Data> {
    let token = payload
        .get("token")
        .and_then(|token| token.as_str())
        .or_else(|| {
            payload
                .get("Authorization")
                .or_else(|| payload.get("authorization"))
                .and_then(|value| value.as_str())
                .and_then(|value| value.strip_prefix("Bearer "))
        });
    let viewer = match token {
        Some(token) => viewer_from_token(&app, token.trim()).await?,
        None => Viewer::Anonymous,
    };
    let mut data = Data::default();
    data.insert(viewer);
    Ok(data)
}
