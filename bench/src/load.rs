//! The closed-loop load: `concurrency` workers, each sending its next
//! request as soon as the previous answer is in, until the deadline. Every
//! answer is checked; latencies are kept in microseconds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};

use crate::floor::Floor;
use crate::ops::{self, Op, Outcome};

/// What one worker or one phase counted.
#[derive(Debug, Default)]
pub struct Tally {
    /// Microseconds per request.
    pub latencies: Vec<u32>,
    pub requests: u64,
    pub errors: u64,
    /// ALREADY_CLAIMED answers (claims only).
    pub lost_claims: u64,
    pub won_claims: u64,
    pub error_samples: Vec<String>,
    /// The first good answer, for the deeper check, with its argument.
    pub sample: Option<(Bytes, String)>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        self.requests += other.requests;
        self.errors += other.errors;
        self.lost_claims += other.lost_claims;
        self.won_claims += other.won_claims;
        for sample in other.error_samples {
            if self.error_samples.len() < 5 {
                self.error_samples.push(sample);
            }
        }
        if self.sample.is_none() {
            self.sample = other.sample;
        }
    }

    fn error(&mut self, message: String) {
        self.errors += 1;
        if self.error_samples.len() < 5 {
            self.error_samples.push(message);
        }
    }
}

/// One request of a fixed operation: a body and who sends it.
#[derive(Clone)]
pub struct Request {
    pub body: Bytes,
    pub auth: Option<HeaderValue>,
    /// What the deeper check needs to know (slug, series).
    pub arg: String,
}

/// The translators' side of the claim race.
pub struct ClaimSetup {
    /// OPEN tasks of papers in TRANSLATION.
    pub pool: Vec<i64>,
    /// One token per translator.
    pub tokens: Vec<HeaderValue>,
    /// Claims and releases, serialised once per task.
    pub claim_bodies: Vec<Bytes>,
    pub release_bodies: Vec<Bytes>,
    /// Next attempt; two consecutive attempts go for the same task, so
    /// claims collide.
    pub next: AtomicUsize,
}

impl ClaimSetup {
    pub fn new(pool: Vec<i64>, tokens: Vec<HeaderValue>) -> Self {
        let claim_bodies = pool
            .iter()
            .map(|id| ops::body(ops::CLAIM, serde_json::json!({ "id": id.to_string() })))
            .collect();
        let release_bodies = pool
            .iter()
            .map(|id| ops::body(ops::RELEASE, serde_json::json!({ "id": id.to_string() })))
            .collect();
        ClaimSetup {
            pool,
            tokens,
            claim_bodies,
            release_bodies,
            next: AtomicUsize::new(0),
        }
    }
}

/// Editors who move papers at once in the moves operation, whatever
/// `--concurrency` says: the contention the stage counters must survive.
pub const MOVERS: usize = 8;

/// The editors' side of the moves: one desk per worker.
pub struct MoveSetup {
    pub desks: Vec<Desk>,
}

/// One editor and their own paper, with where the paper stands.
pub struct Desk {
    pub token: HeaderValue,
    pub paper: String,
    /// (version, in DRAFT): what the next move sends.
    pub at: Mutex<(i64, bool)>,
}

/// What a phase drives.
#[derive(Clone)]
pub enum Target {
    /// Requests taken in turn from the list.
    Http {
        op: Op,
        requests: Arc<Vec<Request>>,
    },
    Claims(Arc<ClaimSetup>),
    Moves(Arc<MoveSetup>),
    Floor(Arc<Floor>),
}

/// One POST of a GraphQL body: the HTTP status and the answer's bytes.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    body: &Bytes,
    auth: Option<&HeaderValue>,
) -> Result<(u16, Bytes), String> {
    let mut request = client
        .post(url)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .body(body.clone());
    if let Some(auth) = auth {
        request = request.header(AUTHORIZATION, auth.clone());
    }
    let response = request.send().await.map_err(|e| format!("send: {e}"))?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| format!("read: {e}"))?;
    Ok((status, bytes))
}

/// Runs `concurrency` workers against `target` until `duration` has passed;
/// answers what they counted and how long it took, from the start to the
/// last answer.
pub async fn run_phase(
    client: &reqwest::Client,
    url: &Arc<str>,
    target: &Target,
    concurrency: usize,
    duration: Duration,
) -> (Tally, Duration) {
    let started = Instant::now();
    let deadline = started + duration;
    let mut handles = Vec::with_capacity(concurrency);
    for worker in 0..concurrency {
        let client = client.clone();
        let url = url.clone();
        let target = target.clone();
        handles.push(tokio::spawn(async move {
            let expected_rate = duration.as_secs_f64().max(1.0) * 2000.0 / concurrency as f64;
            let mut tally = Tally {
                latencies: Vec::with_capacity(expected_rate as usize),
                ..Tally::default()
            };
            let mut turn = worker;
            while Instant::now() < deadline {
                let sent = Instant::now();
                match &target {
                    Target::Http { op, requests } => {
                        let request = &requests[turn % requests.len()];
                        turn += concurrency;
                        match post(&client, &url, &request.body, request.auth.as_ref()).await {
                            Ok((status, body)) => match ops::classify(status, &body, false) {
                                Outcome::Ok => {
                                    if tally.sample.is_none() {
                                        tally.sample = Some((body, request.arg.clone()));
                                    }
                                }
                                Outcome::AlreadyClaimed => tally.error("ALREADY_CLAIMED".into()),
                                Outcome::Error(message) => {
                                    tally.error(format!("{}: {message}", op.name()))
                                }
                            },
                            Err(message) => tally.error(message),
                        }
                    }
                    Target::Claims(setup) => {
                        claim_once(
                            &client,
                            &url,
                            setup,
                            worker,
                            concurrency,
                            &mut turn,
                            &mut tally,
                        )
                        .await
                    }
                    Target::Moves(setup) => {
                        let desk = &setup.desks[worker % setup.desks.len()];
                        move_once(&client, &url, desk, &mut tally).await
                    }
                    Target::Floor(floor) => {
                        if let Err(err) = floor.dashboard().await {
                            tally.error(format!("floor: {err:#}"));
                        }
                    }
                }
                tally.requests += 1;
                let micros = sent.elapsed().as_micros();
                tally
                    .latencies
                    .push(u32::try_from(micros).unwrap_or(u32::MAX));
            }
            tally
        }));
    }
    let mut total = Tally::default();
    for handle in handles {
        match handle.await {
            Ok(tally) => total.merge(tally),
            Err(err) => total.error(format!("a worker failed: {err}")),
        }
    }
    (total, started.elapsed())
}

/// One attempt: claim a task as the next of this worker's translators and,
/// when the claim is won, give it back so the pool never runs dry. Worker
/// `w` uses translators w, w + concurrency, w + 2·concurrency, …, so no
/// translator has two claims at once.
async fn claim_once(
    client: &reqwest::Client,
    url: &str,
    setup: &ClaimSetup,
    worker: usize,
    concurrency: usize,
    turn: &mut usize,
    tally: &mut Tally,
) {
    let attempt = setup.next.fetch_add(1, Ordering::Relaxed);
    let task = (attempt / 2) % setup.pool.len();
    let mine = setup
        .tokens
        .len()
        .saturating_sub(worker)
        .div_ceil(concurrency)
        .max(1);
    let translator = (worker + concurrency * (*turn % mine)) % setup.tokens.len();
    *turn += 1;
    let token = &setup.tokens[translator];
    match post(client, url, &setup.claim_bodies[task], Some(token)).await {
        Ok((status, body)) => match ops::classify(status, &body, true) {
            Outcome::Ok => {
                tally.won_claims += 1;
                if tally.sample.is_none() {
                    tally.sample = Some((body, setup.pool[task].to_string()));
                }
                match post(client, url, &setup.release_bodies[task], Some(token)).await {
                    Ok((status, body)) => {
                        if let Outcome::Error(message) = ops::classify(status, &body, false) {
                            tally.error(format!("release: {message}"));
                        }
                    }
                    Err(message) => tally.error(format!("release: {message}")),
                }
            }
            Outcome::AlreadyClaimed => tally.lost_claims += 1,
            Outcome::Error(message) => tally.error(format!("claim: {message}")),
        },
        Err(message) => tally.error(format!("claim: {message}")),
    }
}

/// One move of the desk's paper to the other stage (back to DRAFT with a
/// note, as the rules ask). After a failure the paper's stage and version
/// are read again, so one error does not become a run of CONFLICTs.
async fn move_once(client: &reqwest::Client, url: &str, desk: &Desk, tally: &mut Tally) {
    let (version, in_draft) = *desk.at.lock().unwrap_or_else(|e| e.into_inner());
    let (to, note) = if in_draft {
        ("SUBMITTED", None)
    } else {
        ("DRAFT", Some("back for another look"))
    };
    let body = ops::body(
        ops::MOVE,
        serde_json::json!({ "id": desk.paper, "to": to, "v": version, "note": note }),
    );
    let moved = match post(client, url, &body, Some(&desk.token)).await {
        Ok((status, body)) => match ops::classify(status, &body, false) {
            Outcome::Ok => {
                if tally.sample.is_none() {
                    tally.sample = Some((body, desk.paper.clone()));
                }
                true
            }
            Outcome::AlreadyClaimed => {
                tally.error("move: ALREADY_CLAIMED".into());
                false
            }
            Outcome::Error(message) => {
                tally.error(format!("move: {message}"));
                false
            }
        },
        Err(message) => {
            tally.error(format!("move: {message}"));
            false
        }
    };
    let at = if moved {
        Some((version + 1, !in_draft))
    } else {
        where_now(client, url, desk).await
    };
    if let Some(at) = at {
        *desk.at.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

/// The desk's paper's (version, in DRAFT), as the server has it now.
pub async fn where_now(client: &reqwest::Client, url: &str, desk: &Desk) -> Option<(i64, bool)> {
    let body = ops::body(ops::WHERE, serde_json::json!({ "id": desk.paper }));
    let (_, bytes) = post(client, url, &body, Some(&desk.token)).await.ok()?;
    let answer: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let paper = &answer["data"]["paper"];
    Some((paper["version"].as_i64()?, paper["stage"] == "DRAFT"))
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
pub fn percentile_ms(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}
