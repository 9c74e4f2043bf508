//! A row of `paper_revisions`: one version of a paper readers were shown.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub paper_id: i64,
    /// 1, 2, … per paper.
    pub number: i32,
    /// `PUBLISHED` or `CORRECTED`.
    pub kind: String,
    /// Who published or corrected it; NULL for revisions recorded when
    /// revisions began, of papers published before.
    pub editor_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
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
}

impl Related<super::paper::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Paper.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
