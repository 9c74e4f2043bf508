//! Scheduled publishing: a paper moved to PUBLISHED at a future time is
//! SCHEDULED until then.
//!
//! - `papers.publish_at`: when a SCHEDULED paper is to be published (NULL
//!   in every other stage); indexed with the stage, so the sweeper finds
//!   the papers due without reading the others.
//! - `papers.release_held_back`: why the release at `publish_at` did not
//!   happen (the workflow's guards no longer held); NULL otherwise.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            timestamp_with_time_zone_null(Papers::PublishAt),
            text_null(Papers::ReleaseHeldBack),
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
                    .name("idx_papers_stage_publish_at")
                    .table(Papers::Table)
                    .col(Papers::Stage)
                    .col(Papers::PublishAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_papers_stage_publish_at")
                    .table(Papers::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Papers::PublishAt, Papers::ReleaseHeldBack] {
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
    Stage,
    PublishAt,
    ReleaseHeldBack,
}
