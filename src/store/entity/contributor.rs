//! A row of `contributors`: a person credited on a paper, in order of credit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "contributors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub paper_id: i64,
    /// Order of credit; unique per paper.
    pub ordinal: i32,
    pub name: String,
    /// `name` case-folded for matching ([`crate::domain::search::fold_case`]);
    /// NULL only until the start-up catch-up folds a name written before.
    pub name_folded: Option<String>,
    pub position: Option<String>,
    pub affiliation: Option<String>,
    /// Set when the contributor is a user of Imprint; external authors have none.
    pub user_id: Option<i64>,
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
        from = "Column::UserId",
        to = "super::user::Column::Id",
        on_delete = "Restrict"
    )]
    User,
}

impl Related<super::paper::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Paper.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
