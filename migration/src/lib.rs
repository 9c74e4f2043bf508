//! Imprint's database schema, one file per change, applied in the order listed in
//! [`Migrator::migrations`]. The same migrations run on SQLite and PostgreSQL.
//!
//! Conventions: every id is a 64-bit auto-increment primary key; timestamps are
//! `timestamp with time zone` set by the application's clock (no database defaults);
//! enum values (stages, statuses, kinds) are stored as text; every foreign key is
//! `ON DELETE RESTRICT`, since nothing is ever deleted (but events past their
//! retention, from the outbox, which nothing references).

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_users;
mod m20261127_000002_create_series;
mod m20261127_000003_create_papers;
mod m20261127_000004_create_translation_tasks;
mod m20261127_000005_create_reviews;
mod m20261127_000006_create_stage_events;
mod m20261128_000007_add_paper_title_and_search;
mod m20261128_000008_create_paper_stage_counts;
mod m20261201_000009_index_task_claims;
mod m20261204_000010_search_terms_by_the_application;
mod m20261204_000011_catalogue;
mod m20261205_000012_scheduled_publishing;
mod m20261205_000013_paper_revisions;
mod m20261205_000014_event_outbox;

/// Runs, rolls back and reports Imprint's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_users::Migration),
            Box::new(m20261127_000002_create_series::Migration),
            Box::new(m20261127_000003_create_papers::Migration),
            Box::new(m20261127_000004_create_translation_tasks::Migration),
            Box::new(m20261127_000005_create_reviews::Migration),
            Box::new(m20261127_000006_create_stage_events::Migration),
            Box::new(m20261128_000007_add_paper_title_and_search::Migration),
            Box::new(m20261128_000008_create_paper_stage_counts::Migration),
            Box::new(m20261201_000009_index_task_claims::Migration),
            Box::new(m20261204_000010_search_terms_by_the_application::Migration),
            Box::new(m20261204_000011_catalogue::Migration),
            Box::new(m20261205_000012_scheduled_publishing::Migration),
            Box::new(m20261205_000013_paper_revisions::Migration),
            Box::new(m20261205_000014_event_outbox::Migration),
        ]
    }
}
