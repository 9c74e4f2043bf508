//! An outbox behind every live event.
//!
//! - `outbox_events`: one row per workflow event (a paper created, moved,
//!   updated, released, corrected, imported; a task or review changed),
//!   written in the transaction of the change it reports. `id` orders the
//!   events and is the cursor subscribers resume from; `payload` is the
//!   event as JSON; `created_at` is when it happened, for the retention.
//!   Rows are deleted only by the retention, oldest first.
//! - `outbox_retention`: one row, `pruned_through`: every event with an id
//!   up to it has been deleted (0 until the first prune). A subscriber
//!   resuming from an older cursor has missed events for good.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxEvents::Table)
                    .col(big_pk_auto(OutboxEvents::Id))
                    .col(string(OutboxEvents::Kind))
                    .col(text(OutboxEvents::Payload))
                    .col(timestamp_with_time_zone(OutboxEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_events_created_at")
                    .table(OutboxEvents::Table)
                    .col(OutboxEvents::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxRetention::Table)
                    .col(small_integer(OutboxRetention::Id).primary_key())
                    .col(big_integer(OutboxRetention::PrunedThrough))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(OutboxRetention::Table)
                    .columns([OutboxRetention::Id, OutboxRetention::PrunedThrough])
                    .values_panic([1.into(), 0i64.into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxRetention::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OutboxEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    Id,
    Kind,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboxRetention {
    Table,
    Id,
    PrunedThrough,
}
