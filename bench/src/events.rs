//! Live events through the outbox: two servers on one database, an editor
//! subscribed to `paperEvents` on the second, and a burst of edits
//! (`updatePaper`, one event each) through the first, `concurrency` at a
//! time, each worker editing a paper of its own.
//!
//! Reported: events per second from the first edit sent to the last event
//! received; the delivery latency of each event to the subscriber on the
//! other server, counted from the writer's answer (the edit had committed
//! by then: a lower bound of commit → subscriber) and from its request (an
//! upper bound); statements per edit on the writing server; and what the
//! outbox's one statement (the insert, with its NOTIFY) adds to a
//! transaction that writes a row, timed straight against the database.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use reqwest::header::HeaderValue;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use serde::Serialize;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::load::{self, percentile_ms};
use crate::ops;
use crate::server::Server;
use crate::sockets::{Socket, exchange};

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $url: String!) {
    updatePaper(id: $id, expectedVersion: $v, input: { originalUrl: $url }) { version }
}";

/// How many times the outbox's statement is timed alone.
const STATEMENT_SAMPLES: usize = 1000;

/// What the live-event measurement found.
#[derive(Debug, Clone, Serialize)]
pub struct LiveEvents {
    pub changes: usize,
    pub concurrency: usize,
    /// Events received by the subscriber on the other server per second.
    pub events_per_s: f64,
    /// From the writer's answer to the other server's subscriber.
    pub latency_after_answer_p50_ms: f64,
    pub latency_after_answer_p99_ms: f64,
    /// From the writer's request to the other server's subscriber.
    pub latency_after_request_p50_ms: f64,
    pub latency_after_request_p99_ms: f64,
    /// SQL statements per edit on the writing server.
    pub statements_per_change: f64,
    /// A transaction that updates one row, alone and with the outbox's
    /// statement (insert + NOTIFY) before its commit: p50 of each.
    pub write_tx_p50_ms: f64,
    pub write_tx_with_outbox_p50_ms: f64,
}

pub async fn measure(
    binary: &std::path::Path,
    database_url: &str,
    pool: u32,
    http: &reqwest::Client,
    db: &DatabaseConnection,
    editor_email: &str,
    changes: usize,
    concurrency: usize,
) -> anyhow::Result<LiveEvents> {
    let writer = Server::start(binary, database_url, pool, http).await?;
    let reader = Server::start(binary, database_url, pool, http).await?;
    let outcome = match crate::login(http, &writer.graphql_url(), editor_email).await {
        Ok(editor) => burst(&writer, &reader, http, db, &editor, changes, concurrency).await,
        Err(err) => Err(err),
    };
    writer.stop().await;
    reader.stop().await;
    let mut measured = outcome?;
    let (alone, with_outbox) = outbox_statement(db).await?;
    measured.write_tx_p50_ms = alone;
    measured.write_tx_with_outbox_p50_ms = with_outbox;
    eprintln!(
        "live events: {} edits, {} at once: {:.0} events/s to another server's subscriber; \
         latency after the answer p50 {:.2} ms p99 {:.2} ms, after the request p50 {:.2} ms \
         p99 {:.2} ms; {:.2} statements per edit; a writing transaction {:.3} ms, with the \
         outbox's statement {:.3} ms (p50)",
        measured.changes,
        measured.concurrency,
        measured.events_per_s,
        measured.latency_after_answer_p50_ms,
        measured.latency_after_answer_p99_ms,
        measured.latency_after_request_p50_ms,
        measured.latency_after_request_p99_ms,
        measured.statements_per_change,
        measured.write_tx_p50_ms,
        measured.write_tx_with_outbox_p50_ms,
    );
    Ok(measured)
}

/// One edit as the writer saw it: when it was sent and answered.
struct Sent {
    request: Instant,
    answer: Instant,
}

async fn burst(
    writer: &Server,
    reader: &Server,
    http: &reqwest::Client,
    db: &DatabaseConnection,
    editor: &HeaderValue,
    changes: usize,
    concurrency: usize,
) -> anyhow::Result<LiveEvents> {
    // Papers an editor may edit, one per worker, at their versions.
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT id, version FROM papers WHERE stage IN ('SUBMITTED', 'TRANSLATION') \
                 ORDER BY id LIMIT {concurrency}"
            ),
        ))
        .await?;
    if rows.len() < concurrency {
        bail!(
            "only {} papers to edit for {concurrency} workers",
            rows.len()
        );
    }
    let papers = rows
        .iter()
        .map(|row| {
            Ok((
                row.try_get::<i64>("", "id")?,
                row.try_get::<i32>("", "version")?,
            ))
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;

    let mut socket = subscribe(reader, editor).await?;
    let received = tokio::spawn(async move {
        let mut arrivals: Vec<(String, Instant)> = Vec::with_capacity(changes);
        while arrivals.len() < changes {
            let frame = tokio::time::timeout(Duration::from_secs(60), socket.next())
                .await
                .with_context(|| {
                    let mut per: std::collections::BTreeMap<&str, usize> = Default::default();
                    for (p, _) in &arrivals {
                        *per.entry(p.as_str()).or_default() += 1;
                    }
                    format!("no event for 60 s after {}: {per:?}", arrivals.len())
                })?;
            let Some(Ok(Message::Text(text))) = frame else {
                bail!("the subscription ended: {frame:?}");
            };
            let message: Value = serde_json::from_str(&text)?;
            let paper = message["payload"]["data"]["paperEvents"]["paper"]["id"]
                .as_str()
                .with_context(|| format!("not an event: {message}"))?;
            arrivals.push((paper.to_owned(), Instant::now()));
        }
        anyhow::Ok(arrivals)
    });

    let url: Arc<str> = Arc::from(writer.graphql_url());
    let before = writer.statements(http).await?;
    let started = Instant::now();
    let per_worker = changes / concurrency;
    let workers = papers.into_iter().map(|(paper, version)| {
        let (url, http, editor) = (url.clone(), http.clone(), editor.clone());
        async move {
            let mut sent = Vec::with_capacity(per_worker);
            for n in 0..per_worker {
                let body = ops::body(
                    UPDATE,
                    json!({
                        "id": paper.to_string(),
                        "v": version + n as i32,
                        "url": format!("https://example.org/bench/{paper}/{n}"),
                    }),
                );
                let request = Instant::now();
                let (status, bytes) = load::post(&http, &url, &body, Some(&editor))
                    .await
                    .map_err(anyhow::Error::msg)?;
                let answer = Instant::now();
                let reply: Value = serde_json::from_slice(&bytes)?;
                if status != 200 || reply.get("errors").is_some() {
                    bail!("an edit failed: {status} {reply}");
                }
                sent.push(Sent { request, answer });
            }
            anyhow::Ok((paper.to_string(), sent))
        }
    });
    let sent: HashMap<String, Vec<Sent>> = futures_util::future::try_join_all(workers)
        .await?
        .into_iter()
        .collect();
    let statements = writer.statements(http).await? - before;
    let total = per_worker * concurrency;
    let arrivals = tokio::time::timeout(Duration::from_secs(120), received)
        .await
        .context("the subscriber did not receive every event")???;
    let elapsed = arrivals
        .last()
        .map_or(Duration::ZERO, |(_, at)| at.duration_since(started));

    // The k-th event of a paper is the k-th edit of it: one worker edits
    // each paper, one edit at a time.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let (mut after_answer, mut after_request) = (Vec::new(), Vec::new());
    for (paper, at) in &arrivals {
        let k = seen.entry(paper.as_str()).or_default();
        let edit = sent
            .get(paper)
            .and_then(|edits| edits.get(*k))
            .with_context(|| format!("an event of paper {paper} nobody edited"))?;
        *k += 1;
        let micros = |since: Instant| at.saturating_duration_since(since).as_micros() as u32;
        after_answer.push(micros(edit.answer));
        after_request.push(micros(edit.request));
    }
    after_answer.sort_unstable();
    after_request.sort_unstable();
    Ok(LiveEvents {
        changes: total,
        concurrency,
        events_per_s: total as f64 / elapsed.as_secs_f64(),
        latency_after_answer_p50_ms: percentile_ms(&after_answer, 50.0),
        latency_after_answer_p99_ms: percentile_ms(&after_answer, 99.0),
        latency_after_request_p50_ms: percentile_ms(&after_request, 50.0),
        latency_after_request_p99_ms: percentile_ms(&after_request, 99.0),
        statements_per_change: statements as f64 / total as f64,
        write_tx_p50_ms: 0.0,
        write_tx_with_outbox_p50_ms: 0.0,
    })
}

/// The editor's `paperEvents` subscription on `server`, listening.
async fn subscribe(server: &Server, editor: &HeaderValue) -> anyhow::Result<Socket> {
    let url = format!("{}/graphql/ws", server.base).replace("http://", "ws://");
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    let token = editor.to_str()?.trim_start_matches("Bearer ");
    let init = json!({ "type": "connection_init", "payload": { "token": token } });
    exchange(&mut socket, &init.to_string(), "connection_ack").await?;
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
        "query": "subscription { paperEvents { cursor paper { id } } }" } });
    socket
        .send(Message::Text(subscribe.to_string().into()))
        .await?;
    exchange(&mut socket, r#"{"type":"ping"}"#, "pong").await?;
    Ok(socket)
}

/// The p50 of a transaction that updates one row, and of the same with the
/// outbox's statement (as `imprint::events::record` writes it) before its
/// commit, alternating so both see the same database.
async fn outbox_statement(db: &DatabaseConnection) -> anyhow::Result<(f64, f64)> {
    let event = imprint::events::Event::Paper(imprint::events::PaperEvent {
        paper_id: 1,
        series_id: Some(1),
        what: imprint::domain::event::PaperEventKind::Updated,
        from: Some(imprint::domain::Stage::Submitted),
        to: imprint::domain::Stage::Submitted,
        actor_id: Some(1),
        at: Utc::now(),
    });
    let touch = Statement::from_string(
        db.get_database_backend(),
        "UPDATE outbox_retention SET pruned_through = pruned_through WHERE id = 1",
    );
    let (mut alone, mut with_outbox) = (Vec::new(), Vec::new());
    for _ in 0..STATEMENT_SAMPLES {
        for outbox in [false, true] {
            let started = Instant::now();
            let tx = db.begin().await?;
            tx.execute_raw(touch.clone()).await?;
            if outbox {
                imprint::events::record(&tx, std::slice::from_ref(&event)).await?;
            }
            tx.commit().await?;
            let micros = started.elapsed().as_micros() as u32;
            if outbox {
                with_outbox.push(micros);
            } else {
                alone.push(micros);
            }
        }
    }
    alone.sort_unstable();
    with_outbox.sort_unstable();
    Ok((
        percentile_ms(&alone, 50.0),
        percentile_ms(&with_outbox, 50.0),
    ))
}
