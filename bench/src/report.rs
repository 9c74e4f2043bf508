//! One measured window per operation, the numbers it yields, the medians
//! over rounds, the printed table and the JSON file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::database::{Backends, ClaimCheck};
use crate::dataset::Tally;
use crate::graphql_floor::GraphqlFloor;
use crate::load::{self, Target};
use crate::ops::{self, Expected, Op};
use crate::server::{self, Server};

/// One operation in one round.
#[derive(Debug, Clone, Serialize)]
pub struct OpResult {
    pub op: Op,
    pub requests: u64,
    pub seconds: f64,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    /// Bad answers, warm-up included (HTTP errors, GraphQL errors other
    /// than ALREADY_CLAIMED on claims, failed checks).
    pub errors: u64,
    pub error_samples: Vec<String>,
    /// Claims only: attempts lost to another translator (expected).
    pub already_claimed: u64,
    /// Claims only: claims won, warm-up included (checked against the log).
    pub won_claims_total: u64,
    /// Claims only: claims won per second in the measured window.
    pub claims_per_s: Option<f64>,
    /// SQL statements the server ran per request (the floor: per dashboard).
    pub statements_per_request: f64,
    /// CPU time of the server process per request.
    pub server_cpu_ms_per_request: f64,
    /// CPU time of the PostgreSQL backends of this database per request.
    pub db_cpu_ms_per_request: Option<f64>,
    /// CPU time of the load generator itself per request.
    pub bench_cpu_ms_per_request: f64,
    /// Peak resident memory of the server during the window (VmHWM, reset
    /// before the window when the kernel allows it, else since start).
    pub server_peak_rss_mb: f64,
    pub peak_rss_is_per_window: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundResult {
    pub round: usize,
    pub ops: Vec<OpResult>,
    /// Dashboard requests/s over floor dashboards/s, measured back to back.
    pub floor_ratio: Option<f64>,
    /// The stack floor's dashboards/s over the floor's: the best ratio a
    /// server on Imprint's stack reached in the same round.
    pub stack_floor_ratio: Option<f64>,
    /// Dashboard requests/s over the stack floor's: what Imprint's own work
    /// costs in throughput.
    pub over_stack_floor: Option<f64>,
}

impl RoundResult {
    pub fn new(round: usize, ops: Vec<OpResult>) -> Self {
        let rps = |op: Op| ops.iter().find(|o| o.op == op).map(|o| o.requests_per_s);
        let over = |op: Op, floor: Op| match (rps(op), rps(floor)) {
            (Some(op), Some(floor)) if floor > 0.0 => Some(op / floor),
            _ => None,
        };
        RoundResult {
            round,
            floor_ratio: over(Op::Dashboard, Op::DashboardSqlFloor),
            stack_floor_ratio: over(Op::DashboardStackFloor, Op::DashboardSqlFloor),
            over_stack_floor: over(Op::Dashboard, Op::DashboardStackFloor),
            ops,
        }
    }
}

/// Medians over the rounds of one operation.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub op: Op,
    pub rounds: usize,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Summed over the rounds.
    pub errors: u64,
    pub statements_per_request: f64,
    pub server_cpu_ms_per_request: f64,
    pub db_cpu_ms_per_request: Option<f64>,
    pub bench_cpu_ms_per_request: f64,
    pub server_peak_rss_mb: f64,
    /// Largest of the rounds.
    pub server_peak_rss_mb_max: f64,
    pub claims_per_s: Option<f64>,
    pub already_claimed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    pub started_at: String,
    pub commit: String,
    pub machine: Machine,
    pub db: String,
    pub papers: usize,
    pub concurrency: usize,
    pub duration_s: f64,
    pub warmup_s: f64,
    pub pool: u32,
    pub floor_ratio_median: Option<f64>,
    pub stack_floor_ratio_median: Option<f64>,
    pub over_stack_floor_median: Option<f64>,
    pub medians: Vec<Summary>,
    pub rounds: Vec<RoundResult>,
    pub claims: Option<ClaimCheck>,
    /// The floor's statements (PostgreSQL or SQLite text).
    pub floor_statements: Vec<String>,
    pub invariant_checks: usize,
    pub data: Tally,
    /// Server RSS after start-up and one login.
    pub server_rss_mb_idle: f64,
    /// Server RSS right after the translators logged in (claims only).
    pub server_rss_mb_after_logins: Option<f64>,
    /// async-graphql alone on the dashboard's answer (with the dashboard).
    pub graphql_floor: Option<GraphqlFloor>,
    /// The best dashboard/floor ratio this run allows (with the dashboard,
    /// the floor and the GraphQL floor).
    pub ceiling: Option<Ceiling>,
    /// Refusals of hostile documents (with `--hostile`).
    pub hostile: Option<crate::hostile::Hostile>,
    /// Memory per idle WebSocket subscriber (with `--idle-sockets`).
    pub idle_sockets: Option<crate::sockets::IdleSockets>,
    /// `--events`: live events through the outbox, to another server.
    pub live_events: Option<crate::events::LiveEvents>,
}

/// The best dashboard/floor ratio any GraphQL server could reach in a run,
/// from that run's medians: a server whose CPU per dashboard is only the two
/// floors' work — the floor's SQL client work plus async-graphql alone —
/// and whose statements cost the database what the floor's do, driven by
/// the same load generator (whose HTTP work the floor does not have). Both
/// sides are CPU-bound on the same cores, so throughputs stand in inverse
/// ratio to CPU per request.
#[derive(Debug, Clone, Serialize)]
pub struct Ceiling {
    /// CPU per floor dashboard: the database's and the floor's own.
    pub floor_cpu_ms: f64,
    /// CPU per dashboard of that least server, with the database's and the
    /// load generator's.
    pub least_dashboard_cpu_ms: f64,
    /// `floor_cpu_ms / least_dashboard_cpu_ms`.
    pub ratio: f64,
    /// The measured server's CPU per dashboard beyond the two floors: HTTP,
    /// the token and the viewer, rows into models, the rules.
    pub server_beyond_floors_ms: f64,
}

impl Ceiling {
    pub fn of(medians: &[Summary], graphql: &GraphqlFloor) -> Option<Ceiling> {
        let dashboard = medians.iter().find(|s| s.op == Op::Dashboard)?;
        let floor = medians.iter().find(|s| s.op == Op::DashboardSqlFloor)?;
        // On SQLite the database runs inside the floor's process and the
        // server's, so their own CPU already holds it.
        let db = floor.db_cpu_ms_per_request.unwrap_or(0.0);
        let client = floor.bench_cpu_ms_per_request;
        let floor_cpu_ms = db + client;
        let least_dashboard_cpu_ms =
            db + client + graphql.cpu_ms_per_answer + dashboard.bench_cpu_ms_per_request;
        Some(Ceiling {
            floor_cpu_ms,
            least_dashboard_cpu_ms,
            ratio: floor_cpu_ms / least_dashboard_cpu_ms,
            server_beyond_floors_ms: dashboard.server_cpu_ms_per_request
                - client
                - graphql.cpu_ms_per_answer,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gb: f64,
}

pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    Machine {
        cpus: std::thread::available_parallelism().map_or(0, usize::from),
        cpu_model,
        memory_gb: (memory_kb / 1024.0 / 1024.0 * 10.0).round() / 10.0,
    }
}

/// `git rev-parse HEAD`, with `+dirty` when the tree has changes.
pub fn git_commit() -> String {
    let root = server::workspace_root();
    let run = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let head = run(&["rev-parse", "HEAD"]).unwrap_or_default();
    let dirty =
        run(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty { format!("{head}+dirty") } else { head }
}

/// The median of some numbers (the mean of the middle two for an even
/// count); None when there are none.
pub fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut values: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

pub fn medians(rounds: &[RoundResult]) -> Vec<Summary> {
    let Some(first) = rounds.first() else {
        return vec![];
    };
    first
        .ops
        .iter()
        .map(|o| o.op)
        .map(|op| {
            let all: Vec<&OpResult> = rounds
                .iter()
                .flat_map(|r| r.ops.iter())
                .filter(|o| o.op == op)
                .collect();
            let m = |f: &dyn Fn(&OpResult) -> f64| median(all.iter().map(|o| f(o))).unwrap_or(0.0);
            Summary {
                op,
                rounds: all.len(),
                requests_per_s: m(&|o| o.requests_per_s),
                p50_ms: m(&|o| o.p50_ms),
                p99_ms: m(&|o| o.p99_ms),
                errors: all.iter().map(|o| o.errors).sum(),
                statements_per_request: m(&|o| o.statements_per_request),
                server_cpu_ms_per_request: m(&|o| o.server_cpu_ms_per_request),
                db_cpu_ms_per_request: median(all.iter().filter_map(|o| o.db_cpu_ms_per_request)),
                bench_cpu_ms_per_request: m(&|o| o.bench_cpu_ms_per_request),
                server_peak_rss_mb: m(&|o| o.server_peak_rss_mb),
                server_peak_rss_mb_max: all
                    .iter()
                    .map(|o| o.server_peak_rss_mb)
                    .fold(0.0, f64::max),
                claims_per_s: median(all.iter().filter_map(|o| o.claims_per_s)),
                already_claimed: all.iter().map(|o| o.already_claimed).sum(),
            }
        })
        .collect()
}

/// Warm-up, then one measured window with counters read on both sides.
#[allow(clippy::too_many_arguments)]
pub async fn measure(
    op: Op,
    target: &Target,
    http: &reqwest::Client,
    url: &Arc<str>,
    server: &Server,
    backends: &Backends,
    ticks_per_s: u64,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
    expected: &Expected,
) -> anyhow::Result<OpResult> {
    let (warm, _) = load::run_phase(http, url, target, concurrency, warmup).await;

    let statements_before = server.statements(http).await?;
    let server_before = server::cpu_ticks(server.pid).unwrap_or(0);
    let bench_before = server::cpu_ticks(std::process::id()).unwrap_or(0);
    let db_before = backends.snapshot().await?;
    let per_window = server::reset_peak_rss(server.pid);

    let (mut tally, elapsed) = load::run_phase(http, url, target, concurrency, duration).await;

    let db_after = backends.snapshot().await?;
    let bench_after = server::cpu_ticks(std::process::id()).unwrap_or(0);
    let server_after = server::cpu_ticks(server.pid).unwrap_or(0);
    let statements_after = server.statements(http).await?;
    let peak_kb = server::status_kb(server.pid, "VmHWM").unwrap_or(0);

    // The deeper check of one answer (from the warm-up when there was one).
    let sample = warm.sample.as_ref().or(tally.sample.as_ref());
    let mut extra_errors = Vec::new();
    if op != Op::DashboardSqlFloor {
        match sample {
            Some((body, arg)) => {
                if let Err(err) = ops::validate(op, body, expected, arg) {
                    extra_errors.push(format!("{}: the answer is wrong: {err:#}", op.name()));
                }
            }
            None if op != Op::Claims => {
                extra_errors.push(format!("{}: no good answer to check", op.name()))
            }
            None => {}
        }
    }

    let requests = tally.requests.max(1) as f64;
    let ms_per_tick = 1000.0 / ticks_per_s as f64;
    let cpu_ms =
        |before: u64, after: u64| after.saturating_sub(before) as f64 * ms_per_tick / requests;
    tally.latencies.sort_unstable();
    let mean_ms = tally.latencies.iter().map(|l| f64::from(*l)).sum::<f64>()
        / tally.latencies.len().max(1) as f64
        / 1000.0;
    let statements = if op == Op::DashboardSqlFloor {
        crate::floor::STATEMENTS as f64
    } else {
        statements_after.saturating_sub(statements_before) as f64 / requests
    };
    let mut error_samples = warm.error_samples.clone();
    error_samples.extend(tally.error_samples.iter().cloned());
    error_samples.extend(extra_errors.iter().cloned());
    error_samples.truncate(5);
    let claims = op == Op::Claims;
    Ok(OpResult {
        op,
        requests: tally.requests,
        seconds: elapsed.as_secs_f64(),
        requests_per_s: tally.requests as f64 / elapsed.as_secs_f64(),
        p50_ms: load::percentile_ms(&tally.latencies, 50.0),
        p99_ms: load::percentile_ms(&tally.latencies, 99.0),
        mean_ms,
        errors: warm.errors + tally.errors + extra_errors.len() as u64,
        error_samples,
        already_claimed: tally.lost_claims,
        won_claims_total: warm.won_claims + tally.won_claims,
        claims_per_s: claims.then(|| tally.won_claims as f64 / elapsed.as_secs_f64()),
        statements_per_request: statements,
        server_cpu_ms_per_request: cpu_ms(server_before, server_after),
        db_cpu_ms_per_request: backends
            .spent(&db_before, &db_after)
            .map(|t| t as f64 * ms_per_tick / requests),
        bench_cpu_ms_per_request: cpu_ms(bench_before, bench_after),
        server_peak_rss_mb: peak_kb as f64 / 1024.0,
        peak_rss_is_per_window: per_window,
    })
}

/// One line for the progress log.
pub fn line(o: &OpResult) -> String {
    format!(
        "{:<20} {:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}  stmts/req {:.2}  server CPU {:.3} ms/req  peak RSS {:.1} MB{}",
        o.op.name(),
        o.requests_per_s,
        o.p50_ms,
        o.p99_ms,
        o.errors,
        o.statements_per_request,
        o.server_cpu_ms_per_request,
        o.server_peak_rss_mb,
        if o.error_samples.is_empty() {
            String::new()
        } else {
            format!("\n    first errors: {}", o.error_samples.join("\n    "))
        }
    )
}

fn opt(value: Option<f64>, digits: usize) -> String {
    value.map_or("-".to_owned(), |v| format!("{v:.digits$}"))
}

/// The table, as Markdown, so it pastes into RESULTS.md.
pub fn table(run: &RunResult) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} · {} papers · concurrency {} · {} rounds of {:.0} s (warm-up {:.0} s) · pool {} · commit {}\n\n",
        run.db,
        run.papers,
        run.concurrency,
        run.rounds.len(),
        run.duration_s,
        run.warmup_s,
        run.pool,
        &run.commit[..run.commit.len().min(12)],
    ));
    out.push_str("| operation | req/s | p50 ms | p99 ms | errors | SQL stmts/req | server CPU ms/req | DB CPU ms/req | bench CPU ms/req | server peak RSS MB |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for s in &run.medians {
        out.push_str(&format!(
            "| {} | {:.1} | {:.2} | {:.2} | {} | {:.2} | {:.3} | {} | {:.3} | {:.1} |\n",
            s.op.name(),
            s.requests_per_s,
            s.p50_ms,
            s.p99_ms,
            s.errors,
            s.statements_per_request,
            s.server_cpu_ms_per_request,
            opt(s.db_cpu_ms_per_request, 3),
            s.bench_cpu_ms_per_request,
            s.server_peak_rss_mb_max,
        ));
    }
    let per_round = |ratio: fn(&RoundResult) -> Option<f64>| -> String {
        let each: Vec<String> = run.rounds.iter().map(|r| opt(ratio(r), 3)).collect();
        each.join(", ")
    };
    if let Some(ratio) = run.floor_ratio_median {
        out.push_str(&format!(
            "\ndashboard throughput / raw-SQL floor: **{ratio:.3}** (median; rounds: {})\n",
            per_round(|r| r.floor_ratio)
        ));
    }
    if let Some(ratio) = run.stack_floor_ratio_median {
        out.push_str(&format!(
            "stack floor throughput / raw-SQL floor (the best a server on this stack reached): **{ratio:.3}** (median; rounds: {})\n",
            per_round(|r| r.stack_floor_ratio)
        ));
    }
    if let Some(ratio) = run.over_stack_floor_median {
        let cpu = |op: Op| {
            run.medians
                .iter()
                .find(|s| s.op == op)
                .map(|s| s.server_cpu_ms_per_request)
        };
        let cpu_ratio = match (cpu(Op::Dashboard), cpu(Op::DashboardStackFloor)) {
            (Some(server), Some(stack)) if stack > 0.0 => {
                format!(
                    "; server CPU per dashboard / the stack floor's: {:.2}",
                    server / stack
                )
            }
            _ => String::new(),
        };
        out.push_str(&format!(
            "dashboard throughput / stack floor (Imprint's own work): **{ratio:.3}** (median; rounds: {}){cpu_ratio}\n",
            per_round(|r| r.over_stack_floor)
        ));
    }
    if let Some(floor) = &run.graphql_floor {
        let server = run
            .medians
            .iter()
            .find(|s| s.op == Op::Dashboard)
            .map(|s| s.server_cpu_ms_per_request);
        out.push_str(&format!(
            "GraphQL floor (async-graphql alone, the answer in memory, one thread): {:.3} ms CPU per dashboard answer of {} bytes{}\n",
            floor.cpu_ms_per_answer,
            floor.answer_bytes,
            server
                .map(|ms| format!("; the server's CPU per dashboard is {:.2}× that", ms / floor.cpu_ms_per_answer))
                .unwrap_or_default()
        ));
    }
    if let Some(ceiling) = &run.ceiling {
        out.push_str(&format!(
            "ratio ceiling (a server doing only the two floors' work, at the floor's DB cost): {:.3} \
             ({:.3} ms of CPU per floor dashboard over {:.3}); the server's CPU beyond the two floors: {:.3} ms per dashboard\n",
            ceiling.ratio,
            ceiling.floor_cpu_ms,
            ceiling.least_dashboard_cpu_ms,
            ceiling.server_beyond_floors_ms,
        ));
    }
    if let Some(s) = run.medians.iter().find(|s| s.op == Op::Moves) {
        out.push_str(&format!(
            "moves under contention: {} editors moving their own papers of one series \
             DRAFT⇄SUBMITTED at once, {:.1} moves/s, {} errors; the stage counters agree \
             with the papers afterwards\n",
            crate::load::MOVERS,
            s.requests_per_s,
            s.errors
        ));
    }
    out.push_str(&format!(
        "server RSS: {:.1} MB after start-up and one login{}\n",
        run.server_rss_mb_idle,
        run.server_rss_mb_after_logins
            .map(|mb| format!(", {mb:.1} MB right after the translators' logins (before claims)"))
            .unwrap_or_default()
    ));
    if let Some(s) = run.medians.iter().find(|s| s.op == Op::Claims) {
        out.push_str(&format!(
            "claims: {} won/s (median), {:.1} attempts/s, {} ALREADY_CLAIMED answers",
            opt(s.claims_per_s, 1),
            s.requests_per_s,
            s.already_claimed
        ));
        if let Some(check) = &run.claims {
            out.push_str(&format!(
                "; task log: {} claims for {} won, {} double claims, {} tasks left claimed → {}\n",
                check.claimed_events,
                check.won_by_clients,
                check.double_claims,
                check.pool_tasks_not_open,
                if check.ok { "OK" } else { "FAILED" }
            ));
        } else {
            out.push('\n');
        }
    }
    out
}

pub fn print_run(run: &RunResult) {
    println!("\n{}", table(run));
}

/// Dashboard p50 at the largest size over the smallest, when several ran.
pub fn print_scaling(runs: &[RunResult]) {
    let p50 = |run: &RunResult| {
        run.medians
            .iter()
            .find(|s| s.op == Op::Dashboard)
            .map(|s| (run.papers, s.p50_ms))
    };
    let points: Vec<(usize, f64)> = runs.iter().filter_map(p50).collect();
    if let (Some(small), Some(large)) = (
        points.iter().min_by_key(|p| p.0),
        points.iter().max_by_key(|p| p.0),
    ) && small.0 != large.0
    {
        println!(
            "dashboard p50 at {} papers / at {} papers: {:.2} ({:.2} ms / {:.2} ms)",
            large.0,
            small.0,
            large.1 / small.1,
            large.1,
            small.1
        );
    }
}

pub fn write_json(dir: &Path, run: &RunResult) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let path = dir.join(format!("{stamp}-{}-{}.json", run.db, run.papers));
    std::fs::write(&path, serde_json::to_string_pretty(run)?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles() {
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), Some(2.0));
        assert_eq!(median([4.0, 1.0, 2.0, 3.0].into_iter()), Some(2.5));
        assert_eq!(median(std::iter::empty()), None);
        let sorted: Vec<u32> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(load::percentile_ms(&sorted, 50.0), 50.0);
        assert_eq!(load::percentile_ms(&sorted, 99.0), 99.0);
        assert_eq!(load::percentile_ms(&[], 50.0), 0.0);
    }

    fn summary(op: Op, server: f64, db: Option<f64>, bench: f64) -> Summary {
        Summary {
            op,
            rounds: 1,
            requests_per_s: 100.0,
            p50_ms: 1.0,
            p99_ms: 1.0,
            errors: 0,
            statements_per_request: 6.0,
            server_cpu_ms_per_request: server,
            db_cpu_ms_per_request: db,
            bench_cpu_ms_per_request: bench,
            server_peak_rss_mb: 50.0,
            server_peak_rss_mb_max: 50.0,
            claims_per_s: None,
            already_claimed: 0,
        }
    }

    #[test]
    fn the_ceiling_is_a_server_doing_only_the_two_floors_work() {
        let medians = [
            summary(Op::Dashboard, 2.2, Some(1.9), 0.1),
            summary(Op::DashboardSqlFloor, 0.0, Some(1.5), 0.6),
        ];
        let graphql = GraphqlFloor {
            cpu_ms_per_answer: 0.5,
            answers: 1,
            answer_bytes: 1,
        };
        let ceiling = Ceiling::of(&medians, &graphql).unwrap();
        assert!((ceiling.floor_cpu_ms - 2.1).abs() < 1e-9);
        // The floor's DB and client CPU, async-graphql, the load generator.
        assert!((ceiling.least_dashboard_cpu_ms - 2.7).abs() < 1e-9);
        assert!((ceiling.ratio - 2.1 / 2.7).abs() < 1e-9);
        assert!((ceiling.server_beyond_floors_ms - 1.1).abs() < 1e-9);
        assert!(Ceiling::of(&medians[..1], &graphql).is_none());
    }

    fn op_result(op: Op, requests_per_s: f64) -> OpResult {
        OpResult {
            op,
            requests: 1,
            seconds: 1.0,
            requests_per_s,
            p50_ms: 1.0,
            p99_ms: 1.0,
            mean_ms: 1.0,
            errors: 0,
            error_samples: vec![],
            already_claimed: 0,
            won_claims_total: 0,
            claims_per_s: None,
            statements_per_request: 6.0,
            server_cpu_ms_per_request: 1.0,
            db_cpu_ms_per_request: None,
            bench_cpu_ms_per_request: 0.1,
            server_peak_rss_mb: 50.0,
            peak_rss_is_per_window: true,
        }
    }

    #[test]
    fn a_round_puts_the_dashboard_and_the_stack_floor_over_the_floors() {
        let round = RoundResult::new(
            1,
            vec![
                op_result(Op::Dashboard, 200.0),
                op_result(Op::DashboardSqlFloor, 400.0),
                op_result(Op::DashboardStackFloor, 250.0),
            ],
        );
        assert_eq!(round.floor_ratio, Some(0.5));
        assert_eq!(round.stack_floor_ratio, Some(0.625));
        assert_eq!(round.over_stack_floor, Some(0.8));
        let without_stack = RoundResult::new(
            1,
            vec![
                op_result(Op::Dashboard, 200.0),
                op_result(Op::DashboardSqlFloor, 400.0),
            ],
        );
        assert_eq!(without_stack.floor_ratio, Some(0.5));
        assert_eq!(without_stack.over_stack_floor, None);
    }
}
