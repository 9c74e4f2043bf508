//! User accounts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use super::entity::user;

pub use user::Model as UserRow;

/// The columns of a new account, already validated by the domain.
#[derive(Debug, Clone)]
pub struct NewUserRow {
    pub email: String,
    pub display_name: String,
    pub position: Option<String>,
    pub affiliation: Option<String>,
    pub password_hash: String,
    pub roles: String,
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<UserRow>, StoreError> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// Looks an account up by its normalised (lower-case) e-mail.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<UserRow>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?)
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewUserRow,
    now: DateTime<Utc>,
) -> Result<UserRow, StoreError> {
    let row = user::ActiveModel {
        email: Set(new.email),
        display_name: Set(new.display_name),
        position: Set(new.position),
        affiliation: Set(new.affiliation),
        password_hash: Set(new.password_hash),
        roles: Set(new.roles),
        disabled: Set(false),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Replaces a user's roles; `None` when there is no such user.
pub async fn set_roles(
    db: &impl ConnectionTrait,
    id: i64,
    roles: String,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, StoreError> {
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Roles, Expr::value(roles))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    find(db, id).await
}

/// Sets the disabled flag and bumps the token version, so tokens issued
/// before stay dead even if the account is enabled again.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    id: i64,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, StoreError> {
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Disabled, Expr::value(disabled))
        .col_expr(
            user::Column::TokenVersion,
            Expr::col(user::Column::TokenVersion).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    find(db, id).await
}

/// Revokes every token issued to the user so far.
pub async fn bump_token_version(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::TokenVersion,
            Expr::col(user::Column::TokenVersion).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// One page of users in id order, starting after `after_id`.
pub async fn page(
    db: &impl ConnectionTrait,
    after_id: Option<i64>,
    limit: u64,
) -> Result<Vec<UserRow>, StoreError> {
    let mut query = user::Entity::find().order_by_asc(user::Column::Id);
    if let Some(after_id) = after_id {
        query = query.filter(user::Column::Id.gt(after_id));
    }
    Ok(query.limit(limit).all(db).await?)
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    Ok(user::Entity::find().count(db).await?)
}

pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<UserRow>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}
