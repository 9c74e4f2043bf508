//! `GET /metrics`: counters in the Prometheus text format, for benchmarks
//! and scrapers: SQL statements, and connections refused by cause.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use super::HttpState;

pub async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    let statements = state.app.statements.get();
    let mut text = format!(
        "# HELP imprint_sql_statements_total SQL statements run since the server started.\n\
         # TYPE imprint_sql_statements_total counter\n\
         imprint_sql_statements_total {statements}\n\
         # HELP imprint_connections_refused_total Connections the server closed or refused, by cause.\n\
         # TYPE imprint_connections_refused_total counter\n"
    );
    for (cause, count) in state.connections.totals() {
        let cause = cause.name();
        text.push_str(&format!(
            "imprint_connections_refused_total{{cause=\"{cause}\"}} {count}\n"
        ));
    }
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}
