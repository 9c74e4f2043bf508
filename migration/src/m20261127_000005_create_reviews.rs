//! `reviews`: one reviewer's recommendation on a paper in one review round.

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
                    .table(Reviews::Table)
                    .col(big_pk_auto(Reviews::Id))
                    .col(big_integer(Reviews::PaperId))
                    .col(integer(Reviews::Round))
                    .col(big_integer(Reviews::ReviewerId))
                    .col(big_integer(Reviews::RequestedBy))
                    .col(string(Reviews::Status))
                    .col(string_null(Reviews::Recommendation))
                    .col(text_null(Reviews::Comments))
                    .col(timestamp_with_time_zone_null(Reviews::DueAt))
                    .col(timestamp_with_time_zone(Reviews::CreatedAt))
                    .col(timestamp_with_time_zone_null(Reviews::RespondedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_paper_id")
                            .from(Reviews::Table, Reviews::PaperId)
                            .to(Papers::Table, Papers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_reviewer_id")
                            .from(Reviews::Table, Reviews::ReviewerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_requested_by")
                            .from(Reviews::Table, Reviews::RequestedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("idx_reviews_paper_id_round_reviewer_id")
                .table(Reviews::Table)
                .col(Reviews::PaperId)
                .col(Reviews::Round)
                .col(Reviews::ReviewerId)
                .unique()
                .to_owned(),
            Index::create()
                .name("idx_reviews_reviewer_id_status")
                .table(Reviews::Table)
                .col(Reviews::ReviewerId)
                .col(Reviews::Status)
                .to_owned(),
            Index::create()
                .name("idx_reviews_paper_id_round")
                .table(Reviews::Table)
                .col(Reviews::PaperId)
                .col(Reviews::Round)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Reviews::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    PaperId,
    /// The paper's review round this review belongs to.
    Round,
    ReviewerId,
    RequestedBy,
    /// `REQUESTED`, `SUBMITTED`, `DECLINED` or `CANCELLED`.
    Status,
    /// `ACCEPT`, `REVISE` or `REJECT`, once submitted.
    Recommendation,
    Comments,
    DueAt,
    CreatedAt,
    /// When the reviewer submitted or declined.
    RespondedAt,
}
