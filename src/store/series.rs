//! Series: named collections of papers.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::StoreError;
use super::entity::series;

pub use series::Model as SeriesRow;

pub async fn insert(
    db: &impl ConnectionTrait,
    slug: String,
    title: String,
    description: Option<String>,
    now: DateTime<Utc>,
) -> Result<SeriesRow, StoreError> {
    Ok(series::ActiveModel {
        slug: Set(slug),
        title: Set(title),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<SeriesRow>, StoreError> {
    Ok(series::Entity::find()
        .order_by_asc(series::Column::Title)
        .all(db)
        .await?)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<SeriesRow>, StoreError> {
    Ok(series::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<SeriesRow>, StoreError> {
    Ok(series::Entity::find()
        .filter(series::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<SeriesRow>, StoreError> {
    Ok(series::Entity::find()
        .filter(series::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}
