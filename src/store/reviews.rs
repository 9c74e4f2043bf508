//! Reviews of papers, by round.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::StoreError;
use super::entity::review;
use crate::domain::{Recommendation, ReviewStatus};

pub use review::Model as ReviewRow;

pub async fn insert(
    db: &impl ConnectionTrait,
    paper_id: i64,
    round: i32,
    reviewer_id: i64,
    requested_by: i64,
    due_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<ReviewRow, StoreError> {
    Ok(review::ActiveModel {
        paper_id: Set(paper_id),
        round: Set(round),
        reviewer_id: Set(reviewer_id),
        requested_by: Set(requested_by),
        status: Set(ReviewStatus::Requested.as_str().to_owned()),
        due_at: Set(due_at),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<ReviewRow>, StoreError> {
    Ok(review::Entity::find_by_id(id).one(db).await?)
}

/// Answers a review still requested (compare-and-set on the status);
/// answers whether it was still requested.
pub async fn answer(
    db: &impl ConnectionTrait,
    id: i64,
    status: ReviewStatus,
    recommendation: Option<Recommendation>,
    comments: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            review::Column::Recommendation,
            Expr::value(recommendation.map(|r| r.as_str())),
        )
        .col_expr(review::Column::Comments, Expr::value(comments))
        .col_expr(review::Column::RespondedAt, Expr::value(now))
        .filter(review::Column::Id.eq(id))
        .filter(review::Column::Status.eq(ReviewStatus::Requested.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Cancels a paper's reviews still requested (it left REVIEW).
pub async fn cancel_requested(
    db: &impl ConnectionTrait,
    paper_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let result = review::Entity::update_many()
        .col_expr(
            review::Column::Status,
            Expr::value(ReviewStatus::Cancelled.as_str()),
        )
        .col_expr(review::Column::RespondedAt, Expr::value(now))
        .filter(review::Column::PaperId.eq(paper_id))
        .filter(review::Column::Status.eq(ReviewStatus::Requested.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The reviews of many papers, oldest round first.
pub async fn of_papers(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<ReviewRow>, StoreError> {
    Ok(review::Entity::find()
        .filter(review::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(review::Column::Round)
        .order_by_asc(review::Column::Id)
        .all(db)
        .await?)
}
