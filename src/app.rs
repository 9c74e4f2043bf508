//! What a running Imprint holds, and the router that serves it.

use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;

use crate::auth::JwtKeys;
use crate::clock::Clock;
use crate::config::Settings;

/// Shared by every request: cheap to clone, nothing in it is per-request.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
    pub clock: Clock,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings, clock: Clock) -> Self {
        let keys = JwtKeys::new(&settings.jwt_secret, settings.token_lifetime());
        AppState {
            db,
            settings: Arc::new(settings),
            keys: Arc::new(keys),
            clock,
        }
    }
}

/// The whole HTTP surface: GraphQL, GraphiQL, WebSocket, health.
pub fn router(state: AppState) -> Router {
    crate::http::router(state)
}
