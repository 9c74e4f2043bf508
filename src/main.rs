//! `imprint`: serve the API, run migrations, print the schema, create users,
//! import a back catalogue.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use migration::{Migrator, MigratorTrait};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use imprint::app::{self, AppState};
use imprint::cli::{Cli, Command, LogFormat, MigrateAction, ServeArgs, UserAction};
use imprint::clock::Clock;
use imprint::config::Settings;
use imprint::service::users::{self, NewUser};
use imprint::service::{live, publishing, tasks};
use imprint::{demo, graphql, store};

/// mimalloc instead of the system allocator: a GraphQL response is built
/// from many small allocations on every worker thread, where glibc's malloc
/// spends much of its time in arena locks and holds on to freed memory.
/// Built without transparent huge pages (the `no_thp` feature): with them,
/// mimalloc backs its arenas with 2 MiB pages and the server's RSS after
/// start-up doubles (bench/RESULTS.md, "Memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How often expired claims are re-opened in the background (every task
/// operation also does it first).
const LEASE_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// How often SCHEDULED papers whose time has come are published: at most
/// this late (and at once when the server starts).
const RELEASE_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// How often events past their retention are deleted.
const EVENT_PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let serving = matches!(cli.command, None | Some(Command::Serve(_)));
    init_tracing(cli.log_format, serving);
    match cli.command {
        None => serve(&cli.database_url, &cli.serve).await?,
        Some(Command::Serve(args)) => serve(&cli.database_url, &args).await?,
        Some(Command::Migrate { action }) => migrate(&cli.database_url, action).await?,
        Some(Command::Schema) => print!("{}", graphql::sdl()),
        Some(Command::User {
            action:
                UserAction::Create {
                    email,
                    name,
                    roles,
                    position,
                    affiliation,
                },
        }) => {
            let password = read_password()?;
            let db = store::connect(&cli.database_url, 2).await?;
            Migrator::up(&db, None).await?;
            let new = NewUser {
                email,
                display_name: name,
                password,
                roles,
                position,
                affiliation,
            };
            let user = users::register(&db, Clock::default().now(), new)
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            println!(
                "created user {} <{}> with roles {}",
                user.id, user.email, user.roles
            );
        }
        Some(Command::Import {
            file,
            editor,
            dry_run,
        }) => {
            let report = imprint::import::run(&cli.database_url, &file, &editor, dry_run).await?;
            if report.refused() > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `RUST_LOG` sets the level (default `info`; a one-off command does not
/// report the migrations it found applied).
fn init_tracing(format: LogFormat, serving: bool) {
    let default = if serving {
        "info"
    } else {
        "info,sea_orm_migration=warn,sqlx::postgres::notice=warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn serve(database_url: &str, args: &ServeArgs) -> anyhow::Result<()> {
    let settings = Settings::from_args(args)?;
    let db = store::connect(database_url, settings.db_max_connections)
        .await
        .context("cannot open the database")?;
    migrate_up(&db)
        .await
        .context("applying migrations failed")?;
    let state = AppState::new(db, settings.clone(), Clock::default())
        .await
        .context("cannot read the event outbox")?;
    tasks::spawn_lease_sweeper(state.clone(), LEASE_SWEEP_EVERY);
    publishing::spawn_release_sweeper(state.clone(), RELEASE_SWEEP_EVERY);
    live::spawn_event_pruner(state.clone(), EVENT_PRUNE_EVERY);
    if settings.demo {
        let seeded = demo::seed(&state).await?;
        print_demo_banner(seeded);
    }
    let listener = TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let address = listener.local_addr()?;
    println!("Imprint listening on http://{address}");
    println!("GraphiQL:  http://{address}/graphql");
    let db = state.db.clone();
    app::serve(listener, state, shutdown_signal()).await?;
    // Closing the pool lets SQLite fold its write-ahead log into the file.
    db.close().await?;
    tracing::info!("stopped");
    Ok(())
}

fn print_demo_banner(seeded: bool) {
    let what = if seeded { "seeded" } else { "already present" };
    println!(
        "Demo data {what}. Accounts (password: {}):",
        demo::DEMO_PASSWORD
    );
    for (email, role) in demo::accounts() {
        println!("  {role:<10} {email}");
    }
}

/// Resolves on SIGINT or SIGTERM; requests in flight then finish.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// Applies the migrations, then fills what they leave to the application
/// (search terms, folded names of rows written before).
async fn migrate_up(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    let caught_up = store::search::catch_up(db).await?;
    if caught_up > 0 {
        tracing::info!(rows = caught_up, "indexed rows written before this version");
    }
    Ok(())
}

async fn migrate(database_url: &str, action: MigrateAction) -> anyhow::Result<()> {
    let db = store::connect(database_url, 2).await?;
    match action {
        MigrateAction::Up => {
            migrate_up(&db).await?;
            println!("all migrations applied");
        }
        MigrateAction::Down { steps } => {
            Migrator::down(&db, Some(steps)).await?;
            println!("rolled back {steps} migration(s)");
        }
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(&db).await? {
                println!("{:?}\t{}", migration.status(), migration.name());
            }
        }
    }
    Ok(())
}

/// The password for `user create`: prompted without echo on a terminal,
/// otherwise the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ")?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    anyhow::ensure!(!password.is_empty(), "no password given on standard input");
    Ok(password)
}
