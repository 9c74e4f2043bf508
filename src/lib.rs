//! Imprint carries each paper of a publisher's series from draft, through
//! translation and review, to publication.
//!
//! Data flows one way: HTTP → GraphQL → services → domain → store → database.
//! Read the modules in that order for a tour.

/// The running service: shared state and the router.
pub mod app;
/// Password hashes and login tokens.
pub mod auth;
/// The `imprint` command line: flags, environment variables, subcommands.
pub mod cli;
/// The injectable clock that leases and due dates are measured by.
pub mod clock;
/// Checked settings for the server.
pub mod config;
/// Demo accounts for `serve --demo`.
pub mod demo;
/// The rules: roles, viewer, validation, visibility. Plain Rust.
pub mod domain;
/// Live events: written to an outbox with each change, read back in order
/// by each server's relay (woken through PostgreSQL LISTEN/NOTIFY).
pub mod events;
/// GraphQL schema: thin resolvers over the services, and the error edge.
pub mod graphql;
/// HTTP transport: routes, auth header, GraphQL over HTTP and WebSocket.
pub mod http;
/// `imprint import`: a back catalogue from a JSON Lines file.
pub mod import;
/// Use cases, one transaction each.
pub mod service;
/// Database: entities and queries, nothing decided.
pub mod store;
