//! `users`: everyone who can log in, with their roles.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string(Users::Email))
                    .col(string(Users::DisplayName))
                    .col(string_null(Users::Position))
                    .col(string_null(Users::Affiliation))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Roles).default(""))
                    .col(boolean(Users::Disabled).default(false))
                    .col(integer(Users::TokenVersion).default(0))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_email")
                    .table(Users::Table)
                    .col(Users::Email)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    /// Lower-cased by the application before it is stored.
    Email,
    DisplayName,
    Position,
    Affiliation,
    PasswordHash,
    /// Comma-separated role names, e.g. `AUTHOR,EDITOR`.
    Roles,
    Disabled,
    /// Bumped to invalidate every token issued before.
    TokenVersion,
    CreatedAt,
    UpdatedAt,
}
