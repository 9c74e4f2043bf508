//! A row of `translation_tasks`: a request to produce one text of a paper.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "translation_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub paper_id: i64,
    pub source_language: String,
    pub target_language: String,
    /// `FULL` or `SUMMARY`.
    pub kind: String,
    /// `OPEN`, `CLAIMED`, `SUBMITTED`, `ACCEPTED` or `CANCELLED`.
    pub status: String,
    pub due_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<DateTimeUtc>,
    /// When the current claim runs out and the task opens again.
    pub lease_expires_at: Option<DateTimeUtc>,
    pub submitted_title: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub submitted_abstract: Option<String>,
    /// A JSON array of strings, in order.
    #[sea_orm(column_type = "Text", nullable)]
    pub submitted_key_findings: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub submitted_body: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    /// The original's revision the translation was made from.
    pub source_revision: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// Bumped on every write; compare-and-set updates check it.
    pub version: i32,
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
        from = "Column::CreatedBy",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    Creator,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ClaimedBy",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    Claimant,
    #[sea_orm(has_many = "super::task_event::Entity")]
    TaskEvent,
}

impl Related<super::paper::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Paper.def()
    }
}

impl Related<super::task_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TaskEvent.def()
    }
}

// No `Related<user::Entity>`: a task points at users twice (creator and claimant);
// join through `Relation::Creator` or `Relation::Claimant` explicitly.

impl ActiveModelBehavior for ActiveModel {}
