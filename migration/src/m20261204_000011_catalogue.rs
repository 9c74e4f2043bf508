//! The catalogue: what a publisher's back catalogue and announcements carry.
//!
//! - `papers.external_key`: the key a paper has in the publisher's own
//!   catalogue, so an import finds it again (unique; NULL for papers made in
//!   Imprint).
//! - `papers.dateline_place`, `dateline_date`, `dateline_issuer`: the
//!   announcement's dateline ("MOSCOW. OCTOBER 13, 2020. PIR PRESS.").
//! - `stage_events.kind`: what a history row records (`MOVED`, `IMPORTED`,
//!   `PUBLICATION_CHANGED`); every earlier row is a move.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            string_null(Papers::ExternalKey),
            string_null(Papers::DatelinePlace),
            date_null(Papers::DatelineDate),
            string_null(Papers::DatelineIssuer),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Papers::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_papers_external_key")
                    .table(Papers::Table)
                    .col(Papers::ExternalKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StageEvents::Table)
                    .add_column(string(StageEvents::Kind).default("MOVED"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StageEvents::Table)
                    .drop_column(StageEvents::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_papers_external_key")
                    .table(Papers::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Papers::ExternalKey,
            Papers::DatelinePlace,
            Papers::DatelineDate,
            Papers::DatelineIssuer,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Papers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Papers {
    Table,
    ExternalKey,
    DatelinePlace,
    DatelineDate,
    DatelineIssuer,
}

#[derive(DeriveIden)]
enum StageEvents {
    Table,
    Kind,
}
