//! What a running Imprint holds, and the router that serves it.

use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;

use crate::auth::JwtKeys;
use crate::clock::Clock;
use crate::config::Settings;
use crate::events::Events;

/// Shared by every request: cheap to clone, nothing in it is per-request.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
    pub clock: Clock,
    /// Live events; shared across servers on PostgreSQL.
    pub events: Events,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings, clock: Clock) -> Self {
        let keys = JwtKeys::new(&settings.jwt_secret, settings.token_lifetime());
        let events = Events::for_database(&db);
        AppState {
            events,
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
