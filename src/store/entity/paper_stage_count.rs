//! A row of `paper_stage_counts`: how many papers of a series are in a stage.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_stage_counts")]
pub struct Model {
    /// The series id, or 0 for papers in no series.
    #[sea_orm(primary_key, auto_increment = false)]
    pub series_key: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    pub papers: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
