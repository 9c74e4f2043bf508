//! `papers`, the people credited on them (`contributors`) and their language versions
//! (`paper_texts`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_users::Users;
use crate::m20261127_000002_create_series::Series;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Papers::Table)
                    .col(big_pk_auto(Papers::Id))
                    .col(string(Papers::Slug))
                    .col(big_integer_null(Papers::SeriesId))
                    .col(string(Papers::OriginalLanguage))
                    .col(string(Papers::Stage))
                    .col(integer(Papers::Version).default(1))
                    .col(integer(Papers::ReviewRound).default(0))
                    .col(string_null(Papers::OriginalUrl))
                    .col(big_integer(Papers::CreatedBy))
                    .col(timestamp_with_time_zone_null(Papers::PublishedAt))
                    .col(timestamp_with_time_zone(Papers::CreatedAt))
                    .col(timestamp_with_time_zone(Papers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_papers_series_id")
                            .from(Papers::Table, Papers::SeriesId)
                            .to(Series::Table, Series::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_papers_created_by")
                            .from(Papers::Table, Papers::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("idx_papers_slug")
                .table(Papers::Table)
                .col(Papers::Slug)
                .unique()
                .to_owned(),
            Index::create()
                .name("idx_papers_stage_updated_at_id")
                .table(Papers::Table)
                .col(Papers::Stage)
                .col(Papers::UpdatedAt)
                .col(Papers::Id)
                .to_owned(),
            Index::create()
                .name("idx_papers_series_id_stage")
                .table(Papers::Table)
                .col(Papers::SeriesId)
                .col(Papers::Stage)
                .to_owned(),
            Index::create()
                .name("idx_papers_updated_at_id")
                .table(Papers::Table)
                .col(Papers::UpdatedAt)
                .col(Papers::Id)
                .to_owned(),
            Index::create()
                .name("idx_papers_published_at_id")
                .table(Papers::Table)
                .col(Papers::PublishedAt)
                .col(Papers::Id)
                .to_owned(),
            Index::create()
                .name("idx_papers_created_by")
                .table(Papers::Table)
                .col(Papers::CreatedBy)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Contributors::Table)
                    .col(big_pk_auto(Contributors::Id))
                    .col(big_integer(Contributors::PaperId))
                    .col(integer(Contributors::Ordinal))
                    .col(string(Contributors::Name))
                    .col(string_null(Contributors::Position))
                    .col(string_null(Contributors::Affiliation))
                    .col(big_integer_null(Contributors::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contributors_paper_id")
                            .from(Contributors::Table, Contributors::PaperId)
                            .to(Papers::Table, Papers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contributors_user_id")
                            .from(Contributors::Table, Contributors::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("idx_contributors_paper_id_ordinal")
                .table(Contributors::Table)
                .col(Contributors::PaperId)
                .col(Contributors::Ordinal)
                .unique()
                .to_owned(),
            Index::create()
                .name("idx_contributors_user_id")
                .table(Contributors::Table)
                .col(Contributors::UserId)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(PaperTexts::Table)
                    .col(big_pk_auto(PaperTexts::Id))
                    .col(big_integer(PaperTexts::PaperId))
                    .col(string(PaperTexts::Language))
                    .col(string(PaperTexts::Kind))
                    .col(string(PaperTexts::Title))
                    .col(text_null(PaperTexts::Abstract))
                    .col(text(PaperTexts::KeyFindings).default("[]"))
                    .col(text_null(PaperTexts::Body))
                    .col(integer(PaperTexts::Revision).default(1))
                    .col(integer_null(PaperTexts::SourceRevision))
                    .col(big_integer_null(PaperTexts::TranslatedBy))
                    .col(timestamp_with_time_zone(PaperTexts::CreatedAt))
                    .col(timestamp_with_time_zone(PaperTexts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_texts_paper_id")
                            .from(PaperTexts::Table, PaperTexts::PaperId)
                            .to(Papers::Table, Papers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_texts_translated_by")
                            .from(PaperTexts::Table, PaperTexts::TranslatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_paper_texts_paper_id_language")
                    .table(PaperTexts::Table)
                    .col(PaperTexts::PaperId)
                    .col(PaperTexts::Language)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PaperTexts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Contributors::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Papers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Papers {
    Table,
    Id,
    Slug,
    SeriesId,
    /// BCP 47 tag of the language the paper was written in.
    OriginalLanguage,
    /// `DRAFT`, `SUBMITTED`, `TRANSLATION`, `REVIEW`, `PUBLISHED` or `ARCHIVED`.
    Stage,
    /// Bumped on every write; compare-and-set updates check it.
    Version,
    /// The current review round; entering REVIEW increments it.
    ReviewRound,
    /// Link to the original publication elsewhere, if any.
    OriginalUrl,
    CreatedBy,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Contributors {
    Table,
    Id,
    PaperId,
    /// Order of credit; unique per paper.
    Ordinal,
    Name,
    Position,
    Affiliation,
    /// Set when the contributor is a user of Imprint; external authors have none.
    UserId,
}

#[derive(DeriveIden)]
enum PaperTexts {
    Table,
    Id,
    PaperId,
    /// BCP 47 tag; one text per language per paper.
    Language,
    /// `ORIGINAL`, `FULL` or `SUMMARY`.
    Kind,
    Title,
    Abstract,
    /// A JSON array of strings, in order.
    KeyFindings,
    Body,
    /// Bumped whenever the text changes.
    Revision,
    /// For a translation: the original's revision it was made from.
    SourceRevision,
    TranslatedBy,
    CreatedAt,
    UpdatedAt,
}
