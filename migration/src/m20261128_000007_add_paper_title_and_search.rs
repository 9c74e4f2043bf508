//! Ordering by title and full-text search.
//!
//! - `papers.title`: the original's title, kept beside the paper so lists can
//!   be ordered by it with a keyset cursor (`(title, id)` index).
//! - `(created_at, id)` index for ordering by creation.
//! - Search over every text: on PostgreSQL a generated `tsvector` per text,
//!   built with the text's own language configuration (Russian stemming for
//!   Russian texts, English for English, `simple` otherwise), under a GIN
//!   index; on SQLite an FTS5 table the application fills with words stemmed
//!   for the text's language.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `to_tsvector` with the configuration of the text's primary language.
pub(crate) const PG_SEARCH_VECTOR: &str = "ALTER TABLE paper_texts ADD COLUMN search_vector tsvector \
    GENERATED ALWAYS AS (CASE split_part(language, '-', 1) \
        WHEN 'ru' THEN to_tsvector('russian', title || ' ' || coalesce(\"abstract\", '') || ' ' || key_findings || ' ' || coalesce(body, '')) \
        WHEN 'en' THEN to_tsvector('english', title || ' ' || coalesce(\"abstract\", '') || ' ' || key_findings || ' ' || coalesce(body, '')) \
        WHEN 'de' THEN to_tsvector('german', title || ' ' || coalesce(\"abstract\", '') || ' ' || key_findings || ' ' || coalesce(body, '')) \
        WHEN 'fr' THEN to_tsvector('french', title || ' ' || coalesce(\"abstract\", '') || ' ' || key_findings || ' ' || coalesce(body, '')) \
        WHEN 'es' THEN to_tsvector('spanish', title || ' ' || coalesce(\"abstract\", '') || ' ' || key_findings || ' ' || coalesce(body, '')) \
        ELSE to_tsvector('simple', title || ' ' || coalesce(\"abstract\", '') || ' ' || key_findings || ' ' || coalesce(body, '')) \
    END) STORED";

/// SQLite's search index as this migration makes it.
pub(crate) const SQLITE_SEARCH_TABLE: &str = "CREATE VIRTUAL TABLE paper_text_search USING fts5(\
     paper_id UNINDEXED, document, tokenize = 'unicode61 remove_diacritics 2')";

/// Fills it with every text's words as written.
pub(crate) const SQLITE_SEARCH_FILL: &str = "INSERT INTO paper_text_search (rowid, paper_id, document) \
     SELECT id, paper_id, title || ' ' || coalesce(\"abstract\", '') || ' ' || \
     key_findings || ' ' || coalesce(body, '') FROM paper_texts";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Papers::Table)
                    .add_column(
                        ColumnDef::new(Papers::Title)
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE papers SET title = COALESCE((SELECT t.title FROM paper_texts t \
             WHERE t.paper_id = papers.id AND t.kind = 'ORIGINAL'), '')",
        )
        .await?;
        for (name, column) in [
            ("idx_papers_title_id", Papers::Title),
            ("idx_papers_created_at_id", Papers::CreatedAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Papers::Table)
                        .col(column)
                        .col(Papers::Id)
                        .to_owned(),
                )
                .await?;
        }
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_SEARCH_VECTOR).await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_paper_texts_search_vector ON paper_texts USING GIN (search_vector)",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(SQLITE_SEARCH_TABLE).await?;
                // Texts written before this migration are indexed unstemmed;
                // every later write indexes stemmed words.
                db.execute_unprepared(SQLITE_SEARCH_FILL).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP INDEX idx_paper_texts_search_vector")
                    .await?;
                db.execute_unprepared("ALTER TABLE paper_texts DROP COLUMN search_vector")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TABLE paper_text_search")
                    .await?;
            }
        }
        for name in ["idx_papers_created_at_id", "idx_papers_title_id"] {
            manager
                .drop_index(Index::drop().name(name).table(Papers::Table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Papers::Table)
                    .drop_column(Papers::Title)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Papers {
    Table,
    Id,
    Title,
    CreatedAt,
}
