//! Settings the running service reads, checked once at start-up.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use rand::RngCore;

use crate::cli::ServeArgs;
use crate::domain::paper::parse_original_url;

/// Shortest JWT secret accepted: HS256 wants at least as many bytes as its
/// hash output.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// Largest accepted request body: room for a paper's body at its cap
/// (`TextField::BODY`, 200,000 characters, up to 800 KB of UTF-8) with the
/// rest of its text, while a single request cannot pin much memory.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Longest accepted loader batch window: every nested field of every
/// request waits this long before its batch is read.
pub const MAX_BATCH_WINDOW: Duration = Duration::from_secs(1);

/// Shortest accepted event retention: every server's relay must have read
/// an event before it may be deleted.
pub const MIN_EVENT_RETENTION: Duration = Duration::from_secs(60);

/// Validated settings for the server. `Debug` leaves the secret out.
#[derive(Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    /// Base of absolute links (feeds, announcements), without a trailing
    /// slash: `https://imprint.example.org`.
    pub public_url: String,
    pub jwt_secret: Vec<u8>,
    pub token_ttl: Duration,
    pub request_timeout: Duration,
    /// How long a client has to send a request's headers, counted from the
    /// first poll for them (so also how long a kept-alive connection may
    /// sit idle).
    pub header_read_timeout: Duration,
    /// Most HTTP connections open at once; more are answered 503.
    pub max_connections: usize,
    /// How long a stopping server waits for requests in flight.
    pub shutdown_grace: Duration,
    /// How long a WebSocket may stay open without `connection_init`.
    pub ws_init_timeout: Duration,
    /// Most WebSockets open at once; more are closed 1013.
    pub ws_max_connections: usize,
    /// Most operations (subscriptions mostly) one WebSocket runs at once.
    pub ws_max_operations: usize,
    pub db_max_connections: u32,
    /// How long the GraphQL loader gathers keys before it reads them.
    pub batch_window: Duration,
    pub claim_lease: Duration,
    pub max_claims: u32,
    /// How long the outbox keeps events for subscribers that resume.
    pub event_retention: Duration,
    pub demo: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("jwt_secret", &"<redacted>")
            .field("token_ttl", &self.token_ttl)
            .field("request_timeout", &self.request_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("max_connections", &self.max_connections)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("ws_init_timeout", &self.ws_init_timeout)
            .field("ws_max_connections", &self.ws_max_connections)
            .field("ws_max_operations", &self.ws_max_operations)
            .field("db_max_connections", &self.db_max_connections)
            .field("batch_window", &self.batch_window)
            .field("claim_lease", &self.claim_lease)
            .field("max_claims", &self.max_claims)
            .field("event_retention", &self.event_retention)
            .field("demo", &self.demo)
            .finish()
    }
}

impl Settings {
    /// Checks the serve flags. Outside demo mode a missing or short secret is
    /// refused, so a server never runs with a guessable key.
    pub fn from_args(args: &ServeArgs) -> anyhow::Result<Self> {
        let jwt_secret = match (&args.jwt_secret, args.demo) {
            (Some(secret), _) if secret.len() >= MIN_JWT_SECRET_BYTES => {
                secret.clone().into_bytes()
            }
            (Some(_), _) => bail!(
                "IMPRINT_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes long \
                 (try: openssl rand -hex 32)"
            ),
            (None, true) => {
                let mut secret = vec![0; MIN_JWT_SECRET_BYTES];
                rand::rng().fill_bytes(&mut secret);
                secret
            }
            (None, false) => bail!(
                "IMPRINT_JWT_SECRET is not set: give a secret of at least \
                 {MIN_JWT_SECRET_BYTES} bytes (try: openssl rand -hex 32), or run with --demo"
            ),
        };
        let token_ttl = args.token_ttl;
        chrono::Duration::from_std(token_ttl)
            .ok()
            .filter(|ttl| *ttl > chrono::Duration::zero())
            .context("IMPRINT_TOKEN_TTL must be a positive duration")?;
        if args.header_read_timeout.is_zero() {
            bail!("IMPRINT_HEADER_READ_TIMEOUT must be longer than zero");
        }
        if args.event_retention < MIN_EVENT_RETENTION {
            bail!("IMPRINT_EVENT_RETENTION must be at least a minute");
        }
        if args.batch_window > MAX_BATCH_WINDOW {
            bail!(
                "IMPRINT_BATCH_WINDOW must be at most {} (it delays every nested field)",
                humantime::format_duration(MAX_BATCH_WINDOW)
            );
        }
        Ok(Settings {
            bind: args.bind,
            public_url: public_url(args)?,
            jwt_secret,
            token_ttl,
            request_timeout: args.request_timeout,
            header_read_timeout: args.header_read_timeout,
            max_connections: args.max_connections.max(1),
            shutdown_grace: args.shutdown_grace,
            ws_init_timeout: args.ws_init_timeout,
            ws_max_connections: args.ws_max_connections,
            ws_max_operations: args.ws_max_operations.max(1),
            db_max_connections: args.db_max_connections.max(2),
            batch_window: args.batch_window,
            claim_lease: args.claim_lease,
            max_claims: args.max_claims.max(1),
            event_retention: args.event_retention,
            demo: args.demo,
        })
    }

    pub fn token_lifetime(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.token_ttl).unwrap_or(chrono::Duration::hours(12))
    }
}

/// The base of absolute links: `--public-url` without its trailing slash,
/// or `http://` and the bind address.
fn public_url(args: &ServeArgs) -> anyhow::Result<String> {
    let Some(given) = &args.public_url else {
        return Ok(format!("http://{}", args.bind));
    };
    let url = given.trim().trim_end_matches('/');
    match parse_original_url(Some(url)) {
        Ok(Some(url)) if !url.contains(['?', '#']) => Ok(url),
        _ => bail!(
            "IMPRINT_PUBLIC_URL must be an http(s) URL without query or fragment, \
             such as https://imprint.example.org (got {given:?})"
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn public_url_of(args: &[&str]) -> anyhow::Result<String> {
        let cli = Cli::try_parse_from(["imprint", "--demo"].iter().chain(args))?;
        Ok(Settings::from_args(&cli.serve)?.public_url)
    }

    #[test]
    fn the_batch_window_defaults_to_a_millisecond_and_is_capped() {
        let window = |args: &[&str]| -> anyhow::Result<Duration> {
            let cli = Cli::try_parse_from(["imprint", "--demo"].iter().chain(args))?;
            Ok(Settings::from_args(&cli.serve)?.batch_window)
        };
        assert_eq!(window(&[]).unwrap(), Duration::from_millis(1));
        assert_eq!(window(&["--batch-window", "0ms"]).unwrap(), Duration::ZERO);
        assert_eq!(window(&["--batch-window", "1s"]).unwrap(), MAX_BATCH_WINDOW);
        let err = window(&["--batch-window", "2s"]).unwrap_err().to_string();
        assert!(err.contains("IMPRINT_BATCH_WINDOW"), "{err}");
    }

    #[test]
    fn the_public_url_is_checked_and_defaults_to_the_bind_address() {
        assert_eq!(
            public_url_of(&["--bind", "0.0.0.0:9000"]).unwrap(),
            "http://0.0.0.0:9000"
        );
        assert_eq!(
            public_url_of(&["--public-url", "https://imprint.example.org/"]).unwrap(),
            "https://imprint.example.org"
        );
        assert_eq!(
            public_url_of(&["--public-url", "https://example.org/imprint"]).unwrap(),
            "https://example.org/imprint"
        );
        for bad in [
            "imprint.example.org",
            "ftp://x.org",
            "https://x.org/?a=1",
            "https://",
        ] {
            assert!(public_url_of(&["--public-url", bad]).is_err(), "{bad}");
        }
    }
}
