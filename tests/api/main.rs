//! Imprint's API tests: every test starts the real router on a fresh
//! database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set) and talks
//! to it over HTTP with real tokens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod cli;
mod codes;
mod concurrency;
mod connections;
mod contention;
mod corrections;
mod dashboards;
mod demo;
mod examples;
mod feed;
mod health;
mod helpers;
mod http;
mod import;
mod inputs;
mod limits;
mod migrations;
mod moves;
mod outage;
mod outbox;
mod pagination;
mod publication;
mod scheduling;
mod schema;
mod search;
mod shutdown;
mod side_effects;
mod statements;
mod subscriptions;
mod tasks;
mod users;
mod visibility;
mod websocket;
mod workflow;
