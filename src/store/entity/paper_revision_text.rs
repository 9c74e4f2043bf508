//! A row of `paper_revision_texts`: one text of a revision, as it was then.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_revision_texts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub revision_id: i64,
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::paper_revision::Entity",
        from = "Column::RevisionId",
        to = "super::paper_revision::Column::Id",
        on_delete = "Restrict"
    )]
    Revision,
}

impl Related<super::paper_revision::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Revision.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
