//! The `imprint` command line. Every setting is a flag with an environment
//! variable beside it; secrets are never echoed back (`hide_env_values`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::Role;

/// Imprint carries a publisher's papers from draft, through translation and
/// review, to publication.
#[derive(Debug, Parser)]
#[command(name = "imprint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Database URL: `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://imprint.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// Log format: human-readable text or one JSON object per line.
    #[arg(long, env = "IMPRINT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Settings for `serve`, which also runs when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations and serve the API (the default).
    Serve(ServeArgs),
    /// Apply, roll back or list database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the GraphQL schema (SDL) that the server serves.
    Schema,
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Import a back catalogue: a JSON Lines file, one paper a line (see
    /// the README). Idempotent by each line's key; every line is all or
    /// nothing and reported; exits 1 when a line was refused.
    Import {
        /// The file to read; `-` for standard input.
        file: PathBuf,
        /// E-mail of the editor the import acts as (named in the history).
        #[arg(long = "as", value_name = "EMAIL", env = "IMPRINT_IMPORT_AS")]
        editor: String,
        /// Check and report every line, keeping nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Roll back the most recent migrations.
    Down {
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user; the password is read from standard input, so it never
    /// lands in shell history.
    Create {
        #[arg(long)]
        email: String,
        /// Display name, as credited on papers.
        #[arg(long)]
        name: String,
        /// A role to grant (any case); repeat for several.
        #[arg(long = "role", value_parser = parse_role)]
        roles: Vec<Role>,
        #[arg(long)]
        position: Option<String>,
        #[arg(long)]
        affiliation: Option<String>,
    },
}

fn parse_role(input: &str) -> Result<Role, String> {
    input
        .parse()
        .map_err(|err: crate::domain::DomainError| err.to_string())
}

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "IMPRINT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Base of the absolute links in feeds and announcements, as readers
    /// reach this server (e.g. `https://imprint.example.org`). Default:
    /// `http://` and the bind address.
    #[arg(long, env = "IMPRINT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Secret that signs login tokens: at least 32 bytes. Required unless
    /// `--demo` is given, where a random one is made for the process.
    #[arg(long, env = "IMPRINT_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// How long a login token stays valid (e.g. `12h`, `30m`).
    #[arg(long, env = "IMPRINT_TOKEN_TTL", default_value = "12h", value_parser = humantime::parse_duration)]
    pub token_ttl: Duration,

    /// Longest time one HTTP request may take before it is answered 408.
    #[arg(long, env = "IMPRINT_REQUEST_TIMEOUT", default_value = "30s", value_parser = humantime::parse_duration)]
    pub request_timeout: Duration,

    /// How long a client has to send a request's headers (and how long a
    /// kept-alive connection may sit idle) before it is closed.
    #[arg(long, env = "IMPRINT_HEADER_READ_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
    pub header_read_timeout: Duration,

    /// Most HTTP connections open at once; a client past it is answered 503
    /// with `Retry-After`. WebSockets count under `--ws-max-connections`
    /// once upgraded.
    #[arg(long, env = "IMPRINT_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// On SIGTERM or SIGINT, how long requests in flight may take to finish
    /// before the server exits anyway. Keep it below the orchestrator's own
    /// kill timeout (30 s on Kubernetes).
    #[arg(long, env = "IMPRINT_SHUTDOWN_GRACE", default_value = "20s", value_parser = humantime::parse_duration)]
    pub shutdown_grace: Duration,

    /// How long a client of `/graphql/ws` has to send `connection_init`
    /// before the socket is closed with 4408.
    #[arg(long, env = "IMPRINT_WS_INIT_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub ws_init_timeout: Duration,

    /// Most WebSockets open at once; one past it is closed with 1013 "try
    /// again later".
    #[arg(long, env = "IMPRINT_WS_MAX_CONNECTIONS", default_value_t = 1024)]
    pub ws_max_connections: usize,

    /// Most operations (subscriptions, mostly) one WebSocket may run at once;
    /// past it a `subscribe` is answered with an `error`.
    #[arg(long, env = "IMPRINT_WS_MAX_OPERATIONS", default_value_t = 32)]
    pub ws_max_operations: usize,

    /// Largest number of database connections in the pool.
    #[arg(long, env = "IMPRINT_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,

    /// How long a translator's claim on a task lasts before it is open again.
    #[arg(long, env = "IMPRINT_CLAIM_LEASE", default_value = "72h", value_parser = humantime::parse_duration)]
    pub claim_lease: Duration,

    /// How long live events are kept for subscribers that resume with
    /// `after`; older ones are deleted (at least a minute).
    #[arg(long, env = "IMPRINT_EVENT_RETENTION", default_value = "7days", value_parser = humantime::parse_duration)]
    pub event_retention: Duration,

    /// How long nested fields wait for others of their kind before they are
    /// read together in one statement: longer gathers more into one batch
    /// on a busy server, shorter answers sooner.
    #[arg(long, env = "IMPRINT_BATCH_WINDOW", default_value = "1ms", value_parser = humantime::parse_duration)]
    pub batch_window: Duration,

    /// Most translation tasks one translator may hold claimed at once.
    #[arg(long, env = "IMPRINT_MAX_CLAIMS", default_value_t = 5)]
    pub max_claims: u32,

    /// Seed demo accounts and papers (once), allow a random JWT secret, and
    /// keep GraphQL field suggestions on. Never in production.
    #[arg(long, env = "IMPRINT_DEMO")]
    pub demo: bool,
}
