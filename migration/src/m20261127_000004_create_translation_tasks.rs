//! `translation_tasks`, requests to produce one text of a paper, and `task_events`,
//! the trail of their status changes.

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
                    .table(TranslationTasks::Table)
                    .col(big_pk_auto(TranslationTasks::Id))
                    .col(big_integer(TranslationTasks::PaperId))
                    .col(string(TranslationTasks::SourceLanguage))
                    .col(string(TranslationTasks::TargetLanguage))
                    .col(string(TranslationTasks::Kind))
                    .col(string(TranslationTasks::Status))
                    .col(timestamp_with_time_zone_null(TranslationTasks::DueAt))
                    .col(big_integer(TranslationTasks::CreatedBy))
                    .col(big_integer_null(TranslationTasks::ClaimedBy))
                    .col(timestamp_with_time_zone_null(TranslationTasks::ClaimedAt))
                    .col(timestamp_with_time_zone_null(
                        TranslationTasks::LeaseExpiresAt,
                    ))
                    .col(string_null(TranslationTasks::SubmittedTitle))
                    .col(text_null(TranslationTasks::SubmittedAbstract))
                    .col(text_null(TranslationTasks::SubmittedKeyFindings))
                    .col(text_null(TranslationTasks::SubmittedBody))
                    .col(timestamp_with_time_zone_null(TranslationTasks::SubmittedAt))
                    .col(integer_null(TranslationTasks::SourceRevision))
                    .col(text_null(TranslationTasks::Note))
                    .col(integer(TranslationTasks::Version).default(1))
                    .col(timestamp_with_time_zone(TranslationTasks::CreatedAt))
                    .col(timestamp_with_time_zone(TranslationTasks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_translation_tasks_paper_id")
                            .from(TranslationTasks::Table, TranslationTasks::PaperId)
                            .to(Papers::Table, Papers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_translation_tasks_created_by")
                            .from(TranslationTasks::Table, TranslationTasks::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_translation_tasks_claimed_by")
                            .from(TranslationTasks::Table, TranslationTasks::ClaimedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("idx_translation_tasks_status_target_language")
                .table(TranslationTasks::Table)
                .col(TranslationTasks::Status)
                .col(TranslationTasks::TargetLanguage)
                .to_owned(),
            Index::create()
                .name("idx_translation_tasks_claimed_by_status")
                .table(TranslationTasks::Table)
                .col(TranslationTasks::ClaimedBy)
                .col(TranslationTasks::Status)
                .to_owned(),
            Index::create()
                .name("idx_translation_tasks_paper_id")
                .table(TranslationTasks::Table)
                .col(TranslationTasks::PaperId)
                .to_owned(),
            Index::create()
                .name("idx_translation_tasks_status_lease_expires_at")
                .table(TranslationTasks::Table)
                .col(TranslationTasks::Status)
                .col(TranslationTasks::LeaseExpiresAt)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TaskEvents::Table)
                    .col(big_pk_auto(TaskEvents::Id))
                    .col(big_integer(TaskEvents::TaskId))
                    .col(string_null(TaskEvents::FromStatus))
                    .col(string(TaskEvents::ToStatus))
                    .col(big_integer_null(TaskEvents::ActorId))
                    .col(text_null(TaskEvents::Note))
                    .col(timestamp_with_time_zone(TaskEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_events_task_id")
                            .from(TaskEvents::Table, TaskEvents::TaskId)
                            .to(TranslationTasks::Table, TranslationTasks::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_events_actor_id")
                            .from(TaskEvents::Table, TaskEvents::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_task_events_task_id_id")
                    .table(TaskEvents::Table)
                    .col(TaskEvents::TaskId)
                    .col(TaskEvents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TaskEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TranslationTasks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TranslationTasks {
    Table,
    Id,
    PaperId,
    SourceLanguage,
    TargetLanguage,
    /// `FULL` or `SUMMARY`.
    Kind,
    /// `OPEN`, `CLAIMED`, `SUBMITTED`, `ACCEPTED` or `CANCELLED`.
    Status,
    DueAt,
    CreatedBy,
    ClaimedBy,
    ClaimedAt,
    /// When the current claim runs out and the task opens again.
    LeaseExpiresAt,
    SubmittedTitle,
    SubmittedAbstract,
    /// A JSON array of strings, in order.
    SubmittedKeyFindings,
    SubmittedBody,
    SubmittedAt,
    /// The original's revision the translation was made from.
    SourceRevision,
    Note,
    /// Bumped on every write; compare-and-set updates check it.
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TaskEvents {
    Table,
    Id,
    TaskId,
    FromStatus,
    ToStatus,
    /// None when the system acted, e.g. a lease running out.
    ActorId,
    Note,
    CreatedAt,
}
