//! The people credited on a paper, in order.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::ContributorRow;
use crate::domain::ContributorInput;
use crate::domain::search::fold_case;
use crate::store::StoreError;
use crate::store::entity::contributor;

/// Replaces the credited contributors with `list`, in order.
pub async fn replace_contributors(
    db: &impl ConnectionTrait,
    paper_id: i64,
    list: &[ContributorInput],
) -> Result<(), StoreError> {
    contributor::Entity::delete_many()
        .filter(contributor::Column::PaperId.eq(paper_id))
        .exec(db)
        .await?;
    insert_contributors(db, paper_id, list).await
}

/// Credits a new paper's contributors, in order.
pub async fn insert_contributors(
    db: &impl ConnectionTrait,
    paper_id: i64,
    list: &[ContributorInput],
) -> Result<(), StoreError> {
    if list.is_empty() {
        return Ok(());
    }
    let rows = list
        .iter()
        .enumerate()
        .map(|(ordinal, c)| contributor::ActiveModel {
            paper_id: Set(paper_id),
            ordinal: Set(i32::try_from(ordinal).unwrap_or(i32::MAX)),
            name: Set(c.name.clone()),
            name_folded: Set(Some(fold_case(&c.name))),
            position: Set(c.position.clone()),
            affiliation: Set(c.affiliation.clone()),
            user_id: Set(c.user_id),
            ..Default::default()
        });
    contributor::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

pub async fn contributors_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<ContributorRow>, StoreError> {
    Ok(contributor::Entity::find()
        .filter(contributor::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(contributor::Column::PaperId)
        .order_by_asc(contributor::Column::Ordinal)
        .all(db)
        .await?)
}
