//! Corrections that keep every published version.
//!
//! - `paper_revisions`: one row per version of a paper readers were shown:
//!   `PUBLISHED` when it was published, `CORRECTED` for each correction;
//!   numbered 1, 2, … per paper, with the editor, the note and the time.
//!   Never updated or deleted.
//! - `paper_revision_texts`: the texts of each revision as they were then.
//! - `papers.corrected_at`, `papers.correction_note`: the latest correction,
//!   which the paper's page and announcement print.
//!
//! Papers published before this migration get their first revision from
//! the texts they have now, dated when they were published.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PaperRevisions::Table)
                    .col(big_pk_auto(PaperRevisions::Id))
                    .col(big_integer(PaperRevisions::PaperId))
                    .col(integer(PaperRevisions::Number))
                    .col(string(PaperRevisions::Kind))
                    .col(big_integer_null(PaperRevisions::EditorId))
                    .col(text_null(PaperRevisions::Note))
                    .col(timestamp_with_time_zone(PaperRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_revisions_paper_id")
                            .from(PaperRevisions::Table, PaperRevisions::PaperId)
                            .to(Papers::Table, Papers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_revisions_editor_id")
                            .from(PaperRevisions::Table, PaperRevisions::EditorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_paper_revisions_paper_id_number")
                    .table(PaperRevisions::Table)
                    .col(PaperRevisions::PaperId)
                    .col(PaperRevisions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PaperRevisionTexts::Table)
                    .col(big_pk_auto(PaperRevisionTexts::Id))
                    .col(big_integer(PaperRevisionTexts::RevisionId))
                    .col(string(PaperRevisionTexts::Language))
                    .col(string(PaperRevisionTexts::Kind))
                    .col(string(PaperRevisionTexts::Title))
                    .col(text_null(PaperRevisionTexts::Abstract))
                    .col(text(PaperRevisionTexts::KeyFindings))
                    .col(text_null(PaperRevisionTexts::Body))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_revision_texts_revision_id")
                            .from(PaperRevisionTexts::Table, PaperRevisionTexts::RevisionId)
                            .to(PaperRevisions::Table, PaperRevisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_paper_revision_texts_revision_id_language")
                    .table(PaperRevisionTexts::Table)
                    .col(PaperRevisionTexts::RevisionId)
                    .col(PaperRevisionTexts::Language)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        for column in [
            timestamp_with_time_zone_null(Papers::CorrectedAt),
            text_null(Papers::CorrectionNote),
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
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO paper_revisions (paper_id, number, kind, editor_id, note, created_at) \
             SELECT id, 1, 'PUBLISHED', NULL, NULL, published_at FROM papers \
             WHERE stage = 'PUBLISHED' AND published_at IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO paper_revision_texts \
             (revision_id, language, kind, title, abstract, key_findings, body) \
             SELECT r.id, t.language, t.kind, t.title, t.abstract, t.key_findings, t.body \
             FROM paper_revisions r JOIN paper_texts t ON t.paper_id = r.paper_id",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Papers::CorrectedAt, Papers::CorrectionNote] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Papers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(PaperRevisionTexts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PaperRevisions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PaperRevisions {
    Table,
    Id,
    PaperId,
    /// 1, 2, … per paper.
    Number,
    /// `PUBLISHED` or `CORRECTED`.
    Kind,
    EditorId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaperRevisionTexts {
    Table,
    Id,
    RevisionId,
    Language,
    Kind,
    Title,
    Abstract,
    /// A JSON array of strings, as in `paper_texts`.
    KeyFindings,
    Body,
}

#[derive(DeriveIden)]
enum Papers {
    Table,
    Id,
    CorrectedAt,
    CorrectionNote,
}
