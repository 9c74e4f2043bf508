//! Hostile documents, sent by a stranger with no account: how long the
//! server takes to refuse the worst ones that fit under the body cap, and
//! how long a `{ __typename }` waits while four of them are in flight.
//!
//! Each document is checked to be refused with a code before any timing
//! counts, so a server that answered one (or crashed on it) fails the run
//! rather than looking fast.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use serde::Serialize;

use crate::load;

/// Refusals timed per document, one at a time.
const SENDS: usize = 50;
/// Hostile documents in flight while the plain query is timed.
const ATTACKERS: usize = 4;
/// Plain queries timed beside them.
const PLAIN: usize = 200;

/// What the hostile measurement found.
#[derive(Debug, Clone, Serialize)]
pub struct Hostile {
    pub documents: Vec<Refusal>,
    /// `{ __typename }` latency with [`ATTACKERS`] hostile documents in
    /// flight all along (each attacker sends the next when refused).
    pub plain_beside_attackers_ms: Percentiles,
    /// The same query with nothing else in flight.
    pub plain_alone_ms: Percentiles,
}

/// One hostile document and how long its refusals took.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub name: String,
    pub bytes: usize,
    pub code: String,
    pub refused_ms: Percentiles,
}

#[derive(Debug, Clone, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

impl Percentiles {
    fn of(mut samples: Vec<f64>) -> Percentiles {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let index = ((samples.len() - 1) as f64 * q).round() as usize;
            samples.get(index).copied().unwrap_or(f64::NAN)
        };
        Percentiles {
            p50: at(0.5),
            p99: at(0.99),
            max: samples.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// The documents, each grown to just under the body cap (refused for its
/// length before it is parsed) and to just under the document cap (parsed,
/// then refused for its shape): the second are the worst a stranger can send.
fn documents() -> Vec<(String, Bytes)> {
    let body_cap = imprint::config::MAX_BODY_BYTES;
    let document_cap = imprint::graphql::DOCUMENT_LIMITS.max_bytes;
    let mut documents = Vec::new();
    for (size, cap) in [("body_cap", body_cap), ("document_cap", document_cap)] {
        for (name, query) in shapes(cap) {
            let body = crate::ops::body(&query, serde_json::json!({}));
            documents.push((format!("{name}_at_{size}"), body));
        }
    }
    documents
}

/// The three shapes, each grown to just under `cap` bytes of request body.
fn shapes(cap: usize) -> [(&'static str, String); 3] {
    // The issue's attack: every fragment spreads the next twice; 2^n
    // spreads once expanded.
    let doubling = grow(cap, "{ ...F0 } ", |n| {
        format!("fragment F{n} on Query {{ ...F{m} ...F{m} }} ", m = n + 1)
    });
    // Spreads side by side, each of a fragment of several fields.
    let flood = grow(
        cap,
        "fragment A on Query { __typename a: __typename b: __typename } {",
        |_| " ...A".to_owned(),
    ) + " }";
    // Fragments no operation spreads, each spreading the one before twice.
    let unused = grow(
        cap,
        "{ __typename } fragment U0 on Query { __typename } ",
        |n| format!("fragment U{m} on Query {{ ...U{n} ...U{n} }} ", m = n + 1),
    );
    [
        ("doubling_chain", doubling),
        ("spread_flood", flood),
        ("unused_fragments", unused),
    ]
}

/// `head` and then `part(0)`, `part(1)`, … for as long as the request body
/// stays under `cap` (with room for the JSON around the query, which holds
/// no character JSON escapes).
fn grow(cap: usize, head: &str, part: impl Fn(usize) -> String) -> String {
    let mut query = head.to_owned();
    for n in 0.. {
        let next = part(n);
        if query.len() + next.len() + 64 > cap {
            break;
        }
        query.push_str(&next);
    }
    query
}

/// Sends `body` and answers how long the refusal took and its code; a
/// document that is not refused is an error.
async fn refusal(
    client: &reqwest::Client,
    url: &str,
    body: &Bytes,
) -> anyhow::Result<(f64, String)> {
    let started = Instant::now();
    let (status, answer) = load::post(client, url, body, None)
        .await
        .map_err(anyhow::Error::msg)?;
    let elapsed = started.elapsed().as_secs_f64() * 1e3;
    let answer: serde_json::Value = serde_json::from_slice(&answer).with_context(|| {
        let text = String::from_utf8_lossy(&answer[..answer.len().min(200)]).into_owned();
        format!("a hostile document answered {status}: {text}")
    })?;
    let code = answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    anyhow::ensure!(
        status == 400 && answer.get("data").is_none() && !code.is_empty(),
        "a hostile document was not refused with a code: {status} {answer}"
    );
    Ok((elapsed, code))
}

async fn plain(client: &reqwest::Client, url: &str, count: usize) -> anyhow::Result<Vec<f64>> {
    let body = crate::ops::body("{ __typename }", serde_json::json!({}));
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let (status, answer) = load::post(client, url, &body, None)
            .await
            .map_err(anyhow::Error::msg)?;
        samples.push(started.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(
            status == 200 && answer.as_ref() == br#"{"data":{"__typename":"Query"}}"#,
            "{{ __typename }} answered {status}"
        );
    }
    Ok(samples)
}

pub async fn measure(client: &reqwest::Client, url: &Arc<str>) -> anyhow::Result<Hostile> {
    let documents = documents();
    let mut refusals = Vec::new();
    for (name, body) in &documents {
        let (_, code) = refusal(client, url, body).await?;
        let mut samples = Vec::with_capacity(SENDS);
        for _ in 0..SENDS {
            samples.push(refusal(client, url, body).await?.0);
        }
        let refused_ms = Percentiles::of(samples);
        eprintln!(
            "hostile {name} ({} bytes): refused with {code} in p50 {:.2} ms, max {:.2} ms",
            body.len(),
            refused_ms.p50,
            refused_ms.max
        );
        refusals.push(Refusal {
            name: name.clone(),
            bytes: body.len(),
            code,
            refused_ms,
        });
    }
    let plain_alone_ms = Percentiles::of(plain(client, url, PLAIN).await?);

    // The heaviest document to refuse, sent over and over by each attacker.
    let worst = refusals
        .iter()
        .zip(&documents)
        .max_by(|a, b| a.0.refused_ms.p50.total_cmp(&b.0.refused_ms.p50))
        .map(|(_, (_, body))| body.clone())
        .unwrap_or_default();
    let stop = Arc::new(AtomicBool::new(false));
    let attackers: Vec<_> = (0..ATTACKERS)
        .map(|_| {
            let (client, url, body, stop) =
                (client.clone(), url.clone(), worst.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    refusal(&client, &url, &body).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    // Let every attacker have a document in flight first.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let beside = plain(client, url, PLAIN).await;
    stop.store(true, Ordering::Relaxed);
    for attacker in attackers {
        attacker.await??;
    }
    let plain_beside_attackers_ms = Percentiles::of(beside?);
    eprintln!(
        "hostile: {{ __typename }} alone p50 {:.2} ms p99 {:.2} ms; beside {ATTACKERS} attackers p50 {:.2} ms p99 {:.2} ms max {:.2} ms",
        plain_alone_ms.p50,
        plain_alone_ms.p99,
        plain_beside_attackers_ms.p50,
        plain_beside_attackers_ms.p99,
        plain_beside_attackers_ms.max
    );
    Ok(Hostile {
        documents: refusals,
        plain_beside_attackers_ms,
        plain_alone_ms,
    })
}
