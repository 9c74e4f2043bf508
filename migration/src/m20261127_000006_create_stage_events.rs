//! `stage_events`: one row per stage change of a paper, the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_users::Users;
use crate::m20261127_000003_create_papers::Papers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StageEvents::Table)
                    .col(big_pk_auto(StageEvents::Id))
                    .col(big_integer(StageEvents::PaperId))
                    .col(string_null(StageEvents::FromStage))
                    .col(string(StageEvents::ToStage))
                    .col(big_integer_null(StageEvents::ActorId))
                    .col(text_null(StageEvents::Note))
                    .col(timestamp_with_time_zone(StageEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stage_events_paper_id")
                            .from(StageEvents::Table, StageEvents::PaperId)
                            .to(Papers::Table, Papers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stage_events_actor_id")
                            .from(StageEvents::Table, StageEvents::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("idx_stage_events_paper_id_id")
                .table(StageEvents::Table)
                .col(StageEvents::PaperId)
                .col(StageEvents::Id)
                .to_owned(),
            Index::create()
                .name("idx_stage_events_to_stage_created_at")
                .table(StageEvents::Table)
                .col(StageEvents::ToStage)
                .col(StageEvents::CreatedAt)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StageEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum StageEvents {
    Table,
    Id,
    PaperId,
    FromStage,
    ToStage,
    /// None when the system acted.
    ActorId,
    Note,
    CreatedAt,
}
