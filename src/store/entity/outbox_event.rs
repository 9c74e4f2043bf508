//! A row of `outbox_events`: one workflow event, written with its change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_events")]
pub struct Model {
    /// Orders the events; the cursor subscribers resume from.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `paper` or `task`: which subscriptions read it.
    pub kind: String,
    /// The event as JSON.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
