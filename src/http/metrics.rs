//! `GET /metrics`: counters in the Prometheus text format, for benchmarks
//! and scrapers. Only the SQL statement count for now.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use super::HttpState;

pub async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    let statements = state.app.statements.get();
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        format!(
            "# HELP imprint_sql_statements_total SQL statements run since the server started.\n\
             # TYPE imprint_sql_statements_total counter\n\
             imprint_sql_statements_total {statements}\n"
        ),
    )
}
