//! HTTP transport: routes, the Bearer-token viewer, GraphQL over HTTP,
//! GraphiQL, WebSocket, the publication feed and health checks. Nothing here
//! knows a workflow rule.

mod auth;
mod feed;
mod graphiql;
mod graphql;
mod health;
mod metrics;
mod server;
mod ws;

pub use server::serve;

use std::sync::Arc;

use axum::Router;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, Response, StatusCode};
use axum::routing::{any, get};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::config::MAX_BODY_BYTES;
use crate::graphql::{ImprintSchema, build_schema};
use server::ConnectionTally;
use ws::WebSockets;

/// What handlers share: the application, the schema built from it, and the
/// listener's WebSocket slots and connection counts.
#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schema: ImprintSchema,
    websockets: WebSockets,
    connections: Arc<ConnectionTally>,
}

/// How long a client told the database is unavailable (503) waits before
/// trying again, in seconds: a pool reconnects within a second of the
/// database coming back.
const RETRY_AFTER_SECONDS: &str = "2";

/// Every route with its layers: tracing, a request timeout (408), response
/// compression, a cap on request bodies (413) — axum's own default limit
/// does not apply to bodies read as raw bytes — and `Retry-After` on every
/// 503, whichever route answered it.
fn router(app: AppState, websockets: WebSockets, connections: Arc<ConnectionTally>) -> Router {
    let request_timeout = app.settings.request_timeout;
    let state = HttpState {
        schema: build_schema(app.clone()),
        app,
        websockets,
        connections,
    };
    Router::new()
        .route(
            "/graphql",
            get(graphql::get_request).post(graphql::post_request),
        )
        .route("/graphql/ws", any(ws::upgrade))
        .route("/graphiql/{*file}", get(graphiql::file))
        .route("/feed.atom", get(feed::all))
        .route("/series/{slug}/feed.atom", get(feed::of_series))
        .route("/papers/{slug}", get(feed::paper_page))
        .route("/papers/{slug}/text/{language}", get(feed::text_page))
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::metrics))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    request_timeout,
                ))
                .layer(CompressionLayer::new())
                .layer(SetResponseHeaderLayer::if_not_present(
                    RETRY_AFTER,
                    retry_after,
                )),
        )
}

fn retry_after<B>(response: &Response<B>) -> Option<HeaderValue> {
    (response.status() == StatusCode::SERVICE_UNAVAILABLE)
        .then(|| HeaderValue::from_static(RETRY_AFTER_SECONDS))
}
