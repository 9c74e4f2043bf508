//! `series`: named collections of papers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Series::Table)
                    .col(big_pk_auto(Series::Id))
                    .col(string(Series::Slug))
                    .col(string(Series::Title))
                    .col(text_null(Series::Description))
                    .col(timestamp_with_time_zone(Series::CreatedAt))
                    .col(timestamp_with_time_zone(Series::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_series_slug")
                    .table(Series::Table)
                    .col(Series::Slug)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Series::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Series {
    Table,
    Id,
    Slug,
    Title,
    Description,
    CreatedAt,
    UpdatedAt,
}
