//! `paper_stage_counts`: how many papers each series has in each stage,
//! kept in the same transaction as every change of a paper's stage or
//! series, so dashboards read a handful of rows instead of counting every
//! paper. `series_key` is the series id, or 0 for papers in no series (a
//! key column cannot be NULL).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PaperStageCounts::Table)
                    .col(
                        ColumnDef::new(PaperStageCounts::SeriesKey)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(PaperStageCounts::Stage).string().not_null())
                    .col(
                        ColumnDef::new(PaperStageCounts::Papers)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .primary_key(
                        Index::create()
                            .col(PaperStageCounts::SeriesKey)
                            .col(PaperStageCounts::Stage),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO paper_stage_counts (series_key, stage, papers) \
                 SELECT COALESCE(series_id, 0), stage, COUNT(*) FROM papers \
                 GROUP BY COALESCE(series_id, 0), stage",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PaperStageCounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PaperStageCounts {
    Table,
    SeriesKey,
    Stage,
    Papers,
}
