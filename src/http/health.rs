//! Probes for orchestrators: alive means the process answers, ready means
//! it can reach its database.

use axum::extract::State;
use axum::http::StatusCode;

use super::HttpState;
use crate::store;

pub async fn alive() -> &'static str {
    "ok"
}

pub async fn ready(State(state): State<HttpState>) -> (StatusCode, &'static str) {
    match store::ping(&state.app.db).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
