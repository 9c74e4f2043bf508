//! A row of `users`: someone who can log in, with their roles.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-cased before it is stored.
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    pub position: Option<String>,
    pub affiliation: Option<String>,
    pub password_hash: String,
    /// Comma-separated role names, e.g. `AUTHOR,EDITOR`; empty for none.
    pub roles: String,
    pub disabled: bool,
    /// Bumped to invalidate every token issued before.
    pub token_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
