//! The stack floor: the dashboard answered over HTTP by the least a server
//! on Imprint's stack can do — axum, async-graphql and sqlx — and nothing
//! else. It runs the SQL floor's statements on the SQL floor's pool, decodes
//! only the columns the answer shows, and executes the dashboard query on
//! the GraphQL floor's schema: no token check, no visibility rules, no ORM,
//! no middleware. It runs as a process of its own (`imprint-bench
//! stack-floor`), started, driven and measured like the server, and its
//! answer is checked to be the server's.
//!
//! The SQL floor leaves out HTTP and GraphQL; the GraphQL floor runs alone
//! on one thread. This one puts the two together under the same load, so it
//! also pays what sharing a process costs (caches, wake-ups, two runtimes'
//! worth of tasks). No server on this stack answers the dashboard for less
//! CPU; what Imprint spends beyond it is Imprint's own.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use async_graphql::{Context, EmptyMutation, EmptySubscription, ID, Object, Schema};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::sqlx::{self, Row};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use tokio::sync::OnceCell;

use crate::floor::{Floor, Pool, Statements, rows_in, run};
use crate::graphql_floor::{
    Contributor, Edge, Paper, PaperConnection, PublicationStatus, Series, SeriesStatus, Stage,
    StageCount, Task, TaskStatus, Text,
};

/// Serves the dashboard at `bind` until killed.
pub async fn serve(url: &str, pool: u32, user_id: i64, bind: &str) -> anyhow::Result<()> {
    let floor = Floor::connect(url, pool, user_id).await?;
    let state = Arc::new(StackFloor {
        floor,
        series: OnceCell::new(),
        statements: AtomicU64::new(0),
    });
    let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(state.clone())
        .finish();
    let app = Router::new()
        .route("/graphql", post(graphql))
        .route("/readyz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .with_state((state, schema));
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    axum::serve(listener, app).await?;
    Ok(())
}

type FloorSchema = Schema<Query, EmptyMutation, EmptySubscription>;
type AppState = (Arc<StackFloor>, FloorSchema);

struct StackFloor {
    floor: Floor,
    /// Series slugs by id, read once: the server's loader keeps series rows
    /// too (they never change).
    series: OnceCell<HashMap<i64, String>>,
    /// Statements sent, for `/metrics`.
    statements: AtomicU64,
}

/// POST /graphql: the viewer's row, as the server reads it before executing,
/// then the query.
async fn graphql(State((state, schema)): State<AppState>, body: Bytes) -> Response {
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(err) => return (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    };
    if let Err(err) = state.viewer().await {
        return (StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}")).into_response();
    }
    let response = schema.execute(request).await;
    match serde_json::to_vec(&response) {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
    }
}

/// GET /metrics: the one counter the benchmark reads from the server too.
async fn metrics(State((state, _)): State<AppState>) -> String {
    format!(
        "imprint_sql_statements_total {}\n",
        state.statements.load(Ordering::Relaxed)
    )
}

struct Query;

#[Object]
impl Query {
    async fn publication_status(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<PublicationStatus> {
        Ok(ctx.data::<Arc<StackFloor>>()?.status().await?)
    }

    async fn papers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<PaperConnection> {
        let size = first.unwrap_or(20).clamp(0, 100) as usize;
        Ok(ctx.data::<Arc<StackFloor>>()?.page(size).await?)
    }
}

/// A stage or task status as the database spells it.
fn parse<'de, T: Deserialize<'de>>(value: &'de str) -> anyhow::Result<T> {
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(value))
        .with_context(|| format!("unknown value {value:?}"))
}

/// The same steps for either database.
macro_rules! with_pool {
    ($floor:expr, |$pool:ident, $sql:ident| $body:expr) => {{
        let $sql: &Statements = $floor.statements();
        match $floor.pool() {
            Pool::Postgres($pool) => $body,
            Pool::Sqlite($pool) => $body,
        }
    }};
}

impl StackFloor {
    fn sent(&self, statements: u64) {
        self.statements.fetch_add(statements, Ordering::Relaxed);
    }

    async fn viewer(&self) -> anyhow::Result<()> {
        self.sent(1);
        let user_id = self.floor.user_id();
        with_pool!(self.floor, |pool, sql| {
            sqlx::query(run(&sql.user))
                .bind(user_id)
                .bind(1i64)
                .fetch_optional(pool)
                .await?
                .with_context(|| format!("no user {user_id}"))?;
        });
        Ok(())
    }

    async fn status(&self) -> anyhow::Result<PublicationStatus> {
        self.sent(1);
        let mut counts: BTreeMap<Option<i64>, BTreeMap<Stage, u64>> = BTreeMap::new();
        with_pool!(self.floor, |pool, sql| {
            let mut query = sqlx::query(run(&sql.status));
            if sql.counters {
                query = query.bind(0i64);
            }
            for row in query.fetch_all(pool).await? {
                let series = row.try_get::<Option<i64>, _>(0)?.filter(|id| *id != 0);
                let stage: Stage = parse(row.try_get::<&str, _>(1)?)?;
                let papers = u64::try_from(row.try_get::<i64, _>(2)?)?;
                *counts.entry(series).or_default().entry(stage).or_default() += papers;
            }
        });
        let slugs = self
            .series
            .get_or_try_init(|| self.series_slugs(counts.keys().flatten().copied().collect()))
            .await?;
        let by_stage = |counts: &BTreeMap<Stage, u64>| -> Vec<StageCount> {
            counts
                .iter()
                .map(|(stage, papers)| StageCount {
                    stage: *stage,
                    papers: *papers,
                })
                .collect()
        };
        let mut totals: BTreeMap<Stage, u64> = BTreeMap::new();
        for (stage, papers) in counts.values().flatten() {
            *totals.entry(*stage).or_default() += papers;
        }
        Ok(PublicationStatus {
            papers_by_stage: by_stage(&totals),
            series: counts
                .iter()
                .map(|(series, counts)| SeriesStatus {
                    series: series
                        .and_then(|id| slugs.get(&id))
                        .map(|slug| Series { slug: slug.clone() }),
                    papers_by_stage: by_stage(counts),
                })
                .collect(),
        })
    }

    async fn series_slugs(&self, ids: Vec<i64>) -> anyhow::Result<HashMap<i64, String>> {
        self.sent(1);
        let mut slugs = HashMap::new();
        with_pool!(self.floor, |pool, sql| {
            for row in rows_in!(pool, sql.series, &ids).await? {
                slugs.insert(row.try_get("id")?, row.try_get("slug")?);
            }
        });
        Ok(slugs)
    }

    async fn page(&self, size: usize) -> anyhow::Result<PaperConnection> {
        self.sent(4);
        let mut papers: Vec<Paper> = Vec::with_capacity(size + 1);
        with_pool!(self.floor, |pool, sql| {
            let rows = sqlx::query(run(&sql.page))
                .bind(size as i64 + 1)
                .fetch_all(pool)
                .await?;
            for row in rows.iter().take(size) {
                papers.push(Paper {
                    id: ID(row.try_get::<i64, _>("id")?.to_string()),
                    slug: row.try_get("slug")?,
                    stage: parse(row.try_get::<&str, _>("stage")?)?,
                    contributors: Vec::new(),
                    texts: Vec::new(),
                    tasks: Vec::new(),
                });
            }
            let ids: Vec<i64> = rows
                .iter()
                .take(size)
                .map(|row| row.try_get::<i64, _>("id"))
                .collect::<Result<_, _>>()?;
            let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            let paper = |id: i64| {
                at.get(&id)
                    .copied()
                    .context("a row of no paper on the page")
            };
            let (contributors, texts, tasks) = tokio::try_join!(
                rows_in!(pool, sql.contributors, &ids),
                rows_in!(pool, sql.texts, &ids),
                rows_in!(pool, sql.tasks, &ids),
            )?;
            for row in contributors {
                papers[paper(row.try_get("paper_id")?)?]
                    .contributors
                    .push(Contributor {
                        name: row.try_get("name")?,
                        position: row.try_get("position")?,
                        affiliation: row.try_get("affiliation")?,
                    });
            }
            for row in texts {
                papers[paper(row.try_get("paper_id")?)?].texts.push(Text {
                    language: row.try_get("language")?,
                    title: row.try_get("title")?,
                });
            }
            for row in tasks {
                papers[paper(row.try_get("paper_id")?)?].tasks.push(Task {
                    status: parse::<TaskStatus>(row.try_get::<&str, _>("status")?)?,
                    target_language: row.try_get("target_language")?,
                });
            }
        });
        Ok(PaperConnection {
            edges: papers.into_iter().map(|node| Edge { node }).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts are answered in stage order, as the server's are: the
    /// floor's stages sort like Imprint's.
    #[test]
    fn stages_read_from_the_database_sort_as_the_servers_do() {
        let mut in_server_order = imprint::domain::Stage::ALL;
        in_server_order.sort();
        let stages: Vec<Stage> = in_server_order
            .iter()
            .map(|stage| parse(stage.as_str()))
            .collect::<anyhow::Result<_>>()
            .unwrap_or_default();
        assert_eq!(stages.len(), imprint::domain::Stage::ALL.len());
        assert!(stages.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(parse::<TaskStatus>("CLAIMED").is_ok());
        assert!(parse::<Stage>("LOST").is_err());
    }
}
