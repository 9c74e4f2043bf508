//! An index for "the tasks this translator has ever claimed": a translator
//! sees the papers and tasks they hold or held, and without it every claim
//! scanned all task events (a sequential scan per claim at 100k papers).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CLAIMS_BY_ACTOR: &str = "idx_task_events_actor_id_to_status_task_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(CLAIMS_BY_ACTOR)
                    .table(TaskEvents::Table)
                    .col(TaskEvents::ActorId)
                    .col(TaskEvents::ToStatus)
                    .col(TaskEvents::TaskId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(CLAIMS_BY_ACTOR)
                    .table(TaskEvents::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TaskEvents {
    Table,
    ActorId,
    ToStatus,
    TaskId,
}
