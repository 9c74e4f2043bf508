//! `imprint-bench`: loads a deterministic data set into a fresh database,
//! starts the optimised server against it, drives it over HTTP with a
//! closed-loop load per operation, runs the dashboard's SQL straight against
//! the same database as the floor, and reports per operation: requests/s,
//! p50, p99, errors, SQL statements, server CPU and peak RSS. See
//! bench/README.md.

mod database;
mod dataset;
mod events;
mod floor;
mod graphql_floor;
mod hostile;
mod import;
mod invariants;
mod load;
mod ops;
mod report;
mod server;
mod sockets;
mod stack_floor;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use reqwest::header::HeaderValue;

use crate::database::BenchDb;
use crate::load::{ClaimSetup, Desk, MoveSetup, Request, Target};
use crate::ops::{Expected, Op};
use crate::report::{RoundResult, RunResult};
use crate::server::Server;

/// The server's allocator (`src/main.rs`), for the floors too: the stack
/// floor runs in this binary, and on glibc's malloc it cost more CPU than
/// the same work in the server, which would flatter the server.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum DbKind {
    Postgres,
    Sqlite,
}

/// Measures Imprint over HTTP against the raw SQL it runs.
#[derive(Debug, Parser)]
#[command(name = "imprint-bench")]
struct Args {
    /// The database to run on.
    #[arg(long, value_enum, default_value_t = DbKind::Postgres)]
    db: DbKind,
    /// Data set sizes in papers; several (comma-separated) run one after the
    /// other, each on a fresh database.
    #[arg(long, value_delimiter = ',', default_value = "1000")]
    papers: Vec<usize>,
    /// Requests in flight at once (closed loop: each worker sends its next
    /// request when the previous answer is in).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Measured time per operation and round.
    #[arg(long, default_value = "20s", value_parser = humantime::parse_duration)]
    duration: Duration,
    /// Unmeasured time before each operation's measured window.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    warmup: Duration,
    /// Rounds over every operation; medians are reported.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Operations to run (default: all): dashboard, floor, stack, filtered,
    /// paper, published, claims, moves.
    #[arg(long, value_delimiter = ',')]
    ops: Vec<String>,
    /// Database pool size, of the server and of the floor alike.
    #[arg(long, default_value_t = 16)]
    pool: u32,
    /// Translators who race for claims (each with a token of their own).
    #[arg(long, default_value_t = 200)]
    translators: usize,
    /// Seed of the data set.
    #[arg(long, default_value_t = 20_261_128)]
    seed: u64,
    /// PostgreSQL server to create the benchmark database on (and drop it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pg_url: String,
    /// Use this server binary instead of building the one beside the benchmark.
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Worker threads of the load generator's runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
    /// Keep the database afterwards (its URL is printed).
    #[arg(long)]
    keep_db: bool,
    /// Where the JSON results go.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/results"))]
    out: PathBuf,
    /// Also time how the server refuses hostile documents, and a plain
    /// query beside them (src/hostile.rs).
    #[arg(long)]
    hostile: bool,
    /// Also measure the server memory one idle WebSocket subscriber holds,
    /// with this many open at once, on a server of its own (src/sockets.rs).
    #[arg(long, default_value_t = 0)]
    idle_sockets: usize,
    /// Also measure live events through the outbox: this many edits through
    /// one server, delivered to a subscriber on a second (src/events.rs).
    #[arg(long, default_value_t = 0)]
    events: usize,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure `imprint import` instead of the load: a catalogue of each
    /// `--papers` size imported into a fresh database, then again
    /// (src/import.rs).
    Import,
    /// Serve the stack floor (see src/stack_floor.rs); the benchmark starts
    /// it itself.
    #[command(hide = true)]
    StackFloor {
        #[arg(long)]
        url: String,
        #[arg(long)]
        pool: u32,
        /// The viewer whose row every dashboard reads.
        #[arg(long)]
        user: i64,
        #[arg(long)]
        bind: String,
    },
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(Command::StackFloor {
        url,
        pool,
        user,
        bind,
    }) = &args.command
    {
        // A runtime like the server's: a worker per core.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        return runtime.block_on(stack_floor::serve(url, *pool, *user, bind));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

fn selected_ops(args: &Args) -> anyhow::Result<Vec<Op>> {
    if args.ops.is_empty() {
        return Ok(Op::ALL.to_vec());
    }
    let mut ops = Vec::new();
    for name in &args.ops {
        ops.push(Op::parse(name).with_context(|| format!("no operation {name:?}"))?);
    }
    // Always in the fixed order, so the floor runs right after the dashboard.
    ops.sort_by_key(|op| Op::ALL.iter().position(|o| o == op));
    ops.dedup();
    Ok(ops)
}

async fn run(args: Args) -> anyhow::Result<()> {
    if matches!(args.command, Some(Command::Import)) {
        return run_import(&args).await;
    }
    let ops = selected_ops(&args)?;
    if args.concurrency == 0 || args.rounds == 0 {
        bail!("--concurrency and --rounds must be at least 1");
    }
    let binary = match &args.server_bin {
        Some(path) => path.clone(),
        None => tokio::task::spawn_blocking(server::build_release_server).await??,
    };
    let mut runs = Vec::new();
    for &papers in &args.papers {
        let result = run_size(&args, &ops, &binary, papers).await?;
        report::print_run(&result);
        let path = report::write_json(&args.out, &result)?;
        eprintln!("results written to {}", path.display());
        runs.push(result);
    }
    report::print_scaling(&runs);
    Ok(())
}

async fn run_import(args: &Args) -> anyhow::Result<()> {
    let binary = match &args.server_bin {
        Some(path) => path.clone(),
        None => tokio::task::spawn_blocking(server::build_release_server).await??,
    };
    let kind = match args.db {
        DbKind::Postgres => "postgres",
        DbKind::Sqlite => "sqlite",
    };
    for &papers in &args.papers {
        let db = BenchDb::create(args.db == DbKind::Postgres, &args.pg_url).await?;
        let outcome = import::measure(&binary, &db, kind, papers, args.seed).await;
        if let Err(err) = db.drop_database().await {
            eprintln!("could not drop the benchmark database: {err:#}");
        }
        let result = outcome?;
        std::fs::create_dir_all(&args.out)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let path = args
            .out
            .join(format!("{stamp}-import-{kind}-{papers}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&result)?)?;
        eprintln!("results written to {}", path.display());
    }
    Ok(())
}

fn client(concurrency: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency * 2)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()?)
}

async fn run_size(
    args: &Args,
    ops: &[Op],
    binary: &std::path::Path,
    papers: usize,
) -> anyhow::Result<RunResult> {
    let db = BenchDb::create(args.db == DbKind::Postgres, &args.pg_url).await?;
    let outcome = measure_on(args, ops, binary, papers, &db).await;
    if args.keep_db {
        eprintln!("kept the database: {}", db.url);
    } else if let Err(err) = db.drop_database().await {
        eprintln!("could not drop the benchmark database: {err:#}");
    }
    outcome
}

async fn measure_on(
    args: &Args,
    ops: &[Op],
    binary: &std::path::Path,
    papers: usize,
    bench_db: &BenchDb,
) -> anyhow::Result<RunResult> {
    let db = imprint::store::connect(&bench_db.url, 4).await?;
    {
        use migration::MigratorTrait;
        migration::Migrator::up(&db, None).await?;
    }
    let (users, tally) = dataset::load(&db, papers, args.translators, args.seed).await?;
    let checks = invariants::check(&db, &tally).await?;
    eprintln!("invariants: all {checks} checks hold");
    let expected = expected_answers(&db, papers).await?;

    let http = client(args.concurrency)?;
    let server = Server::start(binary, &bench_db.url, args.pool, &http).await?;
    let url: Arc<str> = Arc::from(server.graphql_url());
    let result = drive(
        args,
        ops,
        &db,
        &bench_db.url,
        &server,
        &http,
        &url,
        &users,
        &expected,
        papers,
    )
    .await;
    server.stop().await;
    let mut result = result?;
    if args.idle_sockets > 0 {
        let server = Server::start(binary, &bench_db.url, args.pool, &http).await?;
        let measured = sockets::measure(&server, args.idle_sockets).await;
        server.stop().await;
        result.idle_sockets = Some(measured?);
    }
    if args.events > 0 {
        let editor = users.email(users.editors[0]);
        let measured = events::measure(
            binary,
            &bench_db.url,
            args.pool,
            &http,
            &db,
            &editor,
            args.events,
            args.concurrency,
        )
        .await?;
        result.live_events = Some(measured);
    }
    result.invariant_checks = checks;
    result.data = tally;
    Ok(result)
}

async fn expected_answers(
    db: &sea_orm::DatabaseConnection,
    papers: usize,
) -> anyhow::Result<Expected> {
    let mut filtered = Vec::new();
    for series in 1..=dataset::SERIES {
        filtered.push(
            invariants::scalar(
                db,
                &format!(
                    "SELECT COUNT(*) FROM papers WHERE series_id = {series} \
                     AND stage IN ('TRANSLATION', 'REVIEW')"
                ),
            )
            .await?,
        );
    }
    Ok(Expected {
        papers: papers as i64,
        published: invariants::scalar(
            db,
            "SELECT COUNT(*) FROM papers WHERE published_at IS NOT NULL AND stage = 'PUBLISHED'",
        )
        .await?,
        filtered_per_series: filtered,
    })
}

async fn login(http: &reqwest::Client, url: &str, email: &str) -> anyhow::Result<HeaderValue> {
    let body = ops::body(
        ops::LOGIN,
        serde_json::json!({ "email": email, "password": dataset::PASSWORD }),
    );
    let (_, bytes) = load::post(http, url, &body, None)
        .await
        .map_err(anyhow::Error::msg)?;
    let answer: serde_json::Value = serde_json::from_slice(&bytes)?;
    let token = answer["data"]["login"]["token"]
        .as_str()
        .with_context(|| format!("login of {email} failed: {answer}"))?;
    Ok(HeaderValue::from_str(&format!("Bearer {token}"))?)
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    args: &Args,
    ops: &[Op],
    db: &sea_orm::DatabaseConnection,
    db_url: &str,
    server: &Server,
    http: &reqwest::Client,
    url: &Arc<str>,
    users: &dataset::Users,
    expected: &Expected,
    papers: usize,
) -> anyhow::Result<RunResult> {
    let editor_id = users.editors[0];
    let editor = login(http, url, &users.email(editor_id)).await?;
    let rss_idle = server::status_kb(server.pid, "VmRSS").unwrap_or(0) as f64 / 1024.0;
    let mut rss_after_logins = None;

    let dashboard = Arc::new(vec![Request {
        body: ops::body(ops::DASHBOARD, serde_json::json!({})),
        auth: Some(editor.clone()),
        arg: String::new(),
    }]);
    let filtered = Arc::new(
        (1..=dataset::SERIES)
            .map(|series| Request {
                body: ops::body(
                    ops::FILTERED,
                    serde_json::json!({ "series": series.to_string() }),
                ),
                auth: Some(editor.clone()),
                arg: series.to_string(),
            })
            .collect::<Vec<_>>(),
    );
    // 500 papers spread evenly over the ids, so every stage is asked for.
    let step = (papers / 500).max(1);
    let paper = Arc::new(
        (1..=papers)
            .step_by(step)
            .map(|id| {
                let slug = format!("doklad-{id}");
                Request {
                    body: ops::body(ops::PAPER, serde_json::json!({ "slug": slug })),
                    auth: Some(editor.clone()),
                    arg: slug,
                }
            })
            .collect::<Vec<_>>(),
    );
    let published = Arc::new(vec![Request {
        body: ops::body(ops::PUBLISHED, serde_json::json!({})),
        auth: None,
        arg: String::new(),
    }]);
    let pool: Vec<i64> = claim_pool(db).await?;
    let first_claim_event =
        invariants::scalar(db, "SELECT COALESCE(MAX(id), 0) FROM task_events").await?;
    let mut claims: Option<Arc<ClaimSetup>> = None;
    let mut movers: Option<Arc<MoveSetup>> = None;
    let floor = Arc::new(floor::Floor::connect(db_url, args.pool, editor_id).await?);
    let stack_floor = if ops.contains(&Op::DashboardStackFloor) {
        Some(Server::start_stack_floor(db_url, args.pool, editor_id, http).await?)
    } else {
        None
    };
    let stack_url: Option<Arc<str>> = stack_floor.as_ref().map(|s| Arc::from(s.graphql_url()));
    let pg_backends = database::Backends::new(db_url).await?;
    let ticks = server::clock_ticks();

    // Every round of the reads first, then every round of the claims: the
    // translators' logins (argon2) leave memory with the server that would
    // otherwise stand in the reads' peak RSS of later rounds.
    let mut per_round: Vec<Vec<report::OpResult>> = vec![Vec::new(); args.rounds];
    let (writes, reads): (Vec<Op>, Vec<Op>) = ops.iter().partition(|op| op.writes());
    for (round, &op) in (1..=args.rounds)
        .flat_map(|round| reads.iter().map(move |op| (round, op)))
        .chain((1..=args.rounds).flat_map(|round| writes.iter().map(move |op| (round, op))))
    {
        let target = match op {
            Op::Dashboard => Target::Http {
                op,
                requests: dashboard.clone(),
            },
            Op::DashboardSqlFloor => Target::Floor(floor.clone()),
            Op::DashboardStackFloor => Target::Http {
                op,
                requests: dashboard.clone(),
            },
            Op::Filtered => Target::Http {
                op,
                requests: filtered.clone(),
            },
            Op::Paper => Target::Http {
                op,
                requests: paper.clone(),
            },
            Op::Published => Target::Http {
                op,
                requests: published.clone(),
            },
            Op::Claims => {
                if pool.is_empty() {
                    bail!("no open task to claim");
                }
                if claims.is_none() {
                    // Logged in only now: each login is an argon2 check
                    // on the server, whose memory stays with the process
                    // (see the RSS after logins in the results).
                    let tokens = login_translators(http, url, users).await?;
                    rss_after_logins =
                        server::status_kb(server.pid, "VmRSS").map(|kb| kb as f64 / 1024.0);
                    claims = Some(Arc::new(ClaimSetup::new(pool.clone(), tokens)));
                }
                match &claims {
                    Some(setup) => Target::Claims(setup.clone()),
                    None => bail!("no claim setup"),
                }
            }
            Op::Moves => {
                let setup = match &movers {
                    Some(setup) => setup.clone(),
                    None => Arc::new(setup_movers(http, url, users).await?),
                };
                movers = Some(setup.clone());
                Target::Moves(setup)
            }
        };
        let concurrency = if op == Op::Moves {
            load::MOVERS
        } else {
            args.concurrency
        };
        let (url, server) = match (op, &stack_url, &stack_floor) {
            (Op::DashboardStackFloor, Some(url), Some(server)) => (url, server),
            _ => (url, server),
        };
        let result = report::measure(
            op,
            &target,
            http,
            url,
            server,
            &pg_backends,
            ticks,
            concurrency,
            args.warmup,
            args.duration,
            expected,
        )
        .await?;
        eprintln!("round {round} {}", report::line(&result));
        per_round[round - 1].push(result);
    }
    let rounds: Vec<RoundResult> = per_round
        .into_iter()
        .enumerate()
        .map(|(k, results)| RoundResult::new(k + 1, results))
        .collect();
    let claim_check = if ops.contains(&Op::Claims) {
        let won: u64 = rounds
            .iter()
            .flat_map(|r| r.ops.iter())
            .filter(|o| o.op == Op::Claims)
            .map(|o| o.won_claims_total)
            .sum();
        Some(database::verify_claims(db, &pool, first_claim_event, won).await?)
    } else {
        None
    };
    if ops.contains(&Op::Moves) {
        let wrong = database::stage_counts_off(db).await?;
        anyhow::ensure!(
            wrong == 0,
            "after the moves, {wrong} stage counters disagree with the papers"
        );
    }
    let answer = if ops.contains(&Op::Dashboard) || stack_floor.is_some() {
        Some(dashboard_answer(http, url, &editor).await?)
    } else {
        None
    };
    if let (Some(stack_url), Some(answer)) = (&stack_url, &answer) {
        let stack_answer = dashboard_answer(http, stack_url, &editor).await?;
        anyhow::ensure!(
            stack_answer == *answer,
            "the stack floor does not give the server's answer: {stack_answer}"
        );
    }
    if let Some(stack_floor) = stack_floor {
        stack_floor.stop().await;
    }
    let graphql_floor = if let (true, Some(answer)) = (ops.contains(&Op::Dashboard), answer) {
        let duration = args.duration;
        let measured =
            tokio::task::spawn_blocking(move || graphql_floor::measure(&answer, duration))
                .await??;
        eprintln!(
            "graphql floor: {:.3} ms CPU per dashboard answer ({} answers of {} bytes)",
            measured.cpu_ms_per_answer, measured.answers, measured.answer_bytes
        );
        Some(measured)
    } else {
        None
    };
    let hostile = if args.hostile {
        Some(hostile::measure(http, url).await?)
    } else {
        None
    };
    let statements = floor.statements().listing();
    if let Ok(floor) = Arc::try_unwrap(floor) {
        floor.close().await;
    }
    pg_backends.close().await;
    let mut result = RunResult::new(
        args.db,
        papers,
        args.concurrency,
        args.duration,
        args.warmup,
        args.pool,
        rounds,
        claim_check,
        statements,
    );
    result.server_rss_mb_idle = rss_idle;
    result.ceiling = graphql_floor
        .as_ref()
        .and_then(|graphql| report::Ceiling::of(&result.medians, graphql));
    result.graphql_floor = graphql_floor;
    result.server_rss_mb_after_logins = rss_after_logins;
    result.hostile = hostile;
    Ok(result)
}

/// The `data` of one dashboard answer, as the editor gets it.
async fn dashboard_answer(
    http: &reqwest::Client,
    url: &str,
    editor: &HeaderValue,
) -> anyhow::Result<serde_json::Value> {
    call(http, url, editor, ops::DASHBOARD, serde_json::json!({})).await
}

/// The `data` of a GraphQL request that must succeed.
async fn call(
    http: &reqwest::Client,
    url: &str,
    auth: &HeaderValue,
    query: &str,
    variables: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let body = ops::body(query, variables);
    let (_, bytes) = load::post(http, url, &body, Some(auth))
        .await
        .map_err(anyhow::Error::msg)?;
    let mut answer: serde_json::Value = serde_json::from_slice(&bytes)?;
    anyhow::ensure!(answer.get("errors").is_none(), "{query} failed: {answer}");
    Ok(answer["data"].take())
}

/// The movers of the moves operation: editors the admin makes through the
/// API, each with a paper of their own in the first series, in DRAFT.
async fn setup_movers(
    http: &reqwest::Client,
    url: &str,
    users: &dataset::Users,
) -> anyhow::Result<MoveSetup> {
    let admin = login(http, url, &users.email(users.admin)).await?;
    let mut desks = Vec::with_capacity(load::MOVERS);
    for i in 1..=load::MOVERS {
        let email = format!("mover{i}@bench.test");
        let user = serde_json::json!({
            "email": email,
            "displayName": format!("Mover {i}"),
            "password": dataset::PASSWORD,
            "roles": ["EDITOR"],
        });
        call(
            http,
            url,
            &admin,
            ops::CREATE_USER,
            serde_json::json!({ "input": user }),
        )
        .await?;
        let token = login(http, url, &email).await?;
        let paper = serde_json::json!({
            "originalLanguage": "ru",
            "title": format!("Доклад редактора {i}"),
            "abstract": "Краткое изложение.",
            "seriesId": "1",
        });
        let created = call(
            http,
            url,
            &token,
            ops::CREATE_PAPER,
            serde_json::json!({ "input": paper }),
        )
        .await?;
        let paper = &created["createPaper"];
        desks.push(Desk {
            token,
            paper: paper["id"]
                .as_str()
                .context("a paper without an id")?
                .to_owned(),
            at: std::sync::Mutex::new((paper["version"].as_i64().context("no version")?, true)),
        });
    }
    Ok(MoveSetup { desks })
}

/// Every benchmark translator's token, a few logins at a time.
async fn login_translators(
    http: &reqwest::Client,
    url: &Arc<str>,
    users: &dataset::Users,
) -> anyhow::Result<Vec<HeaderValue>> {
    let mut tokens = Vec::with_capacity(users.bench_translators.len());
    for chunk in users.bench_translators.chunks(4) {
        let logins: Vec<_> = chunk
            .iter()
            .map(|id| {
                let (http, url, email) = (http.clone(), url.clone(), users.email(*id));
                tokio::spawn(async move { login(&http, &url, &email).await })
            })
            .collect();
        for token in logins {
            tokens.push(token.await??);
        }
    }
    eprintln!("logged in {} translators", tokens.len());
    Ok(tokens)
}

async fn claim_pool(db: &sea_orm::DatabaseConnection) -> anyhow::Result<Vec<i64>> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT t.id FROM translation_tasks t JOIN papers p ON p.id = t.paper_id \
             WHERE p.stage = 'TRANSLATION' AND t.status = 'OPEN' ORDER BY t.id",
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index::<i64>(0)?))
        .collect()
}

impl RunResult {
    #[allow(clippy::too_many_arguments)]
    fn new(
        db: DbKind,
        papers: usize,
        concurrency: usize,
        duration: Duration,
        warmup: Duration,
        pool: u32,
        rounds: Vec<RoundResult>,
        claims: Option<database::ClaimCheck>,
        floor_statements: Vec<String>,
    ) -> Self {
        let medians = report::medians(&rounds);
        RunResult {
            started_at: chrono::Utc::now().to_rfc3339(),
            commit: report::git_commit(),
            machine: report::machine(),
            db: format!("{db:?}").to_lowercase(),
            papers,
            concurrency,
            duration_s: duration.as_secs_f64(),
            warmup_s: warmup.as_secs_f64(),
            pool,
            floor_ratio_median: report::median(rounds.iter().filter_map(|r| r.floor_ratio)),
            stack_floor_ratio_median: report::median(
                rounds.iter().filter_map(|r| r.stack_floor_ratio),
            ),
            over_stack_floor_median: report::median(
                rounds.iter().filter_map(|r| r.over_stack_floor),
            ),
            medians,
            rounds,
            claims,
            floor_statements,
            invariant_checks: 0,
            data: dataset::Tally::default(),
            server_rss_mb_idle: 0.0,
            server_rss_mb_after_logins: None,
            graphql_floor: None,
            ceiling: None,
            hostile: None,
            idle_sockets: None,
            live_events: None,
        }
    }
}
