//! The GraphQL floor: the CPU async-graphql alone spends on the dashboard's
//! answer. The same query runs against a schema of the same shape whose
//! data is the server's own answer, already in memory, on plain
//! `SimpleObject`s — no HTTP, no database, no authentication, no
//! visibility rules — and is serialised to JSON as the server does. No
//! server built on async-graphql can answer the dashboard for less CPU than
//! this; the server's CPU per dashboard is compared with it.

use std::time::{Duration, Instant};

use anyhow::Context;
use async_graphql::{EmptyMutation, EmptySubscription, Enum, ID, Object, Schema, SimpleObject};
use serde::{Deserialize, Serialize};

use crate::ops;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Enum, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum Stage {
    Draft,
    Submitted,
    Translation,
    Review,
    Scheduled,
    Published,
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum TaskStatus {
    Open,
    Claimed,
    Submitted,
    Accepted,
    Cancelled,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct StageCount {
    pub(crate) stage: Stage,
    pub(crate) papers: u64,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct Series {
    pub(crate) slug: String,
}

#[derive(SimpleObject, Deserialize)]
#[graphql(rename_fields = "camelCase")]
#[serde(rename_all = "camelCase")]
pub(crate) struct SeriesStatus {
    pub(crate) series: Option<Series>,
    pub(crate) papers_by_stage: Vec<StageCount>,
}

#[derive(SimpleObject, Deserialize)]
#[graphql(rename_fields = "camelCase")]
#[serde(rename_all = "camelCase")]
pub(crate) struct PublicationStatus {
    pub(crate) papers_by_stage: Vec<StageCount>,
    pub(crate) series: Vec<SeriesStatus>,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct Contributor {
    pub(crate) name: String,
    pub(crate) position: Option<String>,
    pub(crate) affiliation: Option<String>,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct Text {
    pub(crate) language: String,
    pub(crate) title: String,
}

#[derive(SimpleObject, Deserialize)]
#[graphql(rename_fields = "camelCase")]
#[serde(rename_all = "camelCase")]
pub(crate) struct Task {
    pub(crate) status: TaskStatus,
    pub(crate) target_language: String,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct Paper {
    pub(crate) id: ID,
    pub(crate) slug: String,
    pub(crate) stage: Stage,
    pub(crate) contributors: Vec<Contributor>,
    pub(crate) texts: Vec<Text>,
    pub(crate) tasks: Vec<Task>,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct Edge {
    pub(crate) node: Paper,
}

#[derive(SimpleObject, Deserialize)]
pub(crate) struct PaperConnection {
    pub(crate) edges: Vec<Edge>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    publication_status: PublicationStatus,
    papers: PaperConnection,
}

struct Query(Answer);

#[Object]
impl Query {
    async fn publication_status(&self) -> &PublicationStatus {
        &self.0.publication_status
    }

    /// Takes the dashboard's `first` so the query validates; the answer
    /// already holds that page.
    async fn papers(&self, first: Option<i32>) -> &PaperConnection {
        let _ = first;
        &self.0.papers
    }
}

/// What one measurement found.
#[derive(Debug, Clone, Serialize)]
pub struct GraphqlFloor {
    /// CPU time (user + system) of the measuring thread per answer.
    pub cpu_ms_per_answer: f64,
    pub answers: u64,
    /// Bytes of JSON per answer, as sent.
    pub answer_bytes: usize,
}

/// Runs the dashboard query over `answer` (the `data` of a real dashboard
/// answer) for `duration` on one thread, and measures that thread's CPU.
pub fn measure(answer: &serde_json::Value, duration: Duration) -> anyhow::Result<GraphqlFloor> {
    let data: Answer = serde_json::from_value(answer.clone())
        .context("the dashboard answer does not have the dashboard's shape")?;
    let schema = Schema::new(Query(data), EmptyMutation, EmptySubscription);
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        let first = serde_json::to_string(&schema.execute(ops::DASHBOARD).await)?;
        let expected: serde_json::Value = serde_json::from_str(&first)?;
        anyhow::ensure!(
            expected.get("errors").is_none() && expected["data"] == *answer,
            "the GraphQL floor does not give the server's answer: {first}"
        );
        let cpu_before = thread_cpu()?;
        let started = Instant::now();
        let mut answers = 0u64;
        while started.elapsed() < duration {
            let response = schema.execute(ops::DASHBOARD).await;
            let body = serde_json::to_string(&response)?;
            std::hint::black_box(body);
            answers += 1;
        }
        let cpu = thread_cpu()? - cpu_before;
        Ok(GraphqlFloor {
            cpu_ms_per_answer: cpu.as_secs_f64() * 1000.0 / answers as f64,
            answers,
            answer_bytes: first.len(),
        })
    })
}

/// User plus system CPU time of the calling thread, from
/// `/proc/thread-self/stat`.
fn thread_cpu() -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat")?;
    let rest = &stat[stat.rfind(')').context("no ')' in stat")? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields
        .get(11)
        .zip(fields.get(12))
        .and_then(|(user, system)| Some(user.parse::<u64>().ok()? + system.parse::<u64>().ok()?))
        .context("no CPU times in stat")?;
    Ok(Duration::from_secs_f64(
        ticks as f64 / crate::server::clock_ticks() as f64,
    ))
}
