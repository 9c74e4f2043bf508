//! What a running Imprint holds, and how it is served.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::auth::JwtKeys;
use crate::clock::Clock;
use crate::config::Settings;
use crate::events::Events;
use crate::store::{StatementCounter, StoreError};

/// Shared by every request: cheap to clone, nothing in it is per-request.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
    pub clock: Clock,
    /// Live events; shared across servers on PostgreSQL.
    pub events: Events,
    /// SQL statements run so far (the live-event relay's reads aside), for
    /// tests, benchmarks and `/metrics`.
    pub statements: StatementCounter,
}

impl AppState {
    /// Starts the server's live-event relay, which reads the database.
    pub async fn new(
        mut db: DatabaseConnection,
        settings: Settings,
        clock: Clock,
    ) -> Result<Self, StoreError> {
        // The relay's reads are its own: started on the pool before the
        // counter is installed, so they do not count as the requests'.
        let events = Events::start(&db).await?;
        let statements = StatementCounter::install(&mut db);
        let keys = JwtKeys::new(&settings.jwt_secret, settings.token_lifetime());
        Ok(AppState {
            events,
            db,
            settings: Arc::new(settings),
            keys: Arc::new(keys),
            clock,
            statements,
        })
    }
}

/// Serves the whole HTTP surface (GraphQL, GraphiQL, WebSocket, feeds,
/// health) on `listener` until `shutdown` resolves, then stops gracefully.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    crate::http::serve(listener, state, shutdown).await
}
