//! A row of `reviews`: one reviewer's recommendation on a paper in one review round.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub paper_id: i64,
    /// The paper's review round this review belongs to.
    pub round: i32,
    pub reviewer_id: i64,
    pub requested_by: i64,
    /// `REQUESTED`, `SUBMITTED`, `DECLINED` or `CANCELLED`.
    pub status: String,
    /// `ACCEPT`, `REVISE` or `REJECT`, once submitted.
    pub recommendation: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub comments: Option<String>,
    pub due_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// When the reviewer submitted or declined.
    pub responded_at: Option<DateTimeUtc>,
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
        from = "Column::ReviewerId",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    Reviewer,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::RequestedBy",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    Requester,
}

impl Related<super::paper::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Paper.def()
    }
}

// No `Related<user::Entity>`: a review points at users twice (reviewer and requester);
// join through `Relation::Reviewer` or `Relation::Requester` explicitly.

impl ActiveModelBehavior for ActiveModel {}
