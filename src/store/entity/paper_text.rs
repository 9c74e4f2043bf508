//! A row of `paper_texts`: one language version of a paper, original or translation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "paper_texts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub paper_id: i64,
    /// BCP 47 tag; one text per language per paper.
    pub language: String,
    /// `ORIGINAL`, `FULL` or `SUMMARY`.
    pub kind: String,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub r#abstract: Option<String>,
    /// A JSON array of strings, in order.
    #[sea_orm(column_type = "Text")]
    pub key_findings: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub body: Option<String>,
    /// Bumped whenever the text changes.
    pub revision: i32,
    /// For a translation: the original's revision it was made from.
    pub source_revision: Option<i32>,
    pub translated_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::paper::Entity",
        from = "Column::PaperId",
        to = "super::paper::Column::Id",
        on_delete = "Restrict"
    )]
    Paper,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::TranslatedBy",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    Translator,
}

impl Related<super::paper::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Paper.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Translator.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
