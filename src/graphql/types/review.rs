use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};

use super::User;
use super::paper::{Paper, user_for};
use crate::domain::DomainError;
use crate::graphql::loaders::VisiblePaper;
use crate::graphql::{ApiResult, rows, viewer};
use crate::service::papers::ReviewView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "ReviewStatus", remote = "crate::domain::ReviewStatus")]
pub enum ReviewStatusValue {
    /// Waiting for the reviewer.
    Requested,
    /// The reviewer recommended something.
    Submitted,
    /// The reviewer declined.
    Declined,
    /// The paper left REVIEW before the reviewer answered.
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "Recommendation", remote = "crate::domain::Recommendation")]
pub enum RecommendationValue {
    Accept,
    Revise,
    Reject,
}

/// One reviewer's recommendation on a paper in one round. Blind to authors:
/// they see the recommendation and comments, never the reviewer.
pub struct Review(pub ReviewView);

#[Object]
impl Review {
    async fn id(&self) -> ID {
        ID(self.0.row.id.to_string())
    }

    async fn paper(&self, ctx: &Context<'_>) -> ApiResult<Paper> {
        let key = VisiblePaper {
            viewer: viewer(ctx),
            id: self.0.row.paper_id,
        };
        let view = rows(ctx)?
            .load_one(key)
            .await?
            .ok_or(DomainError::NotFound("paper"))?;
        Ok(Paper::new(view))
    }

    async fn round(&self) -> i32 {
        self.0.row.round
    }

    async fn status(&self) -> ApiResult<ReviewStatusValue> {
        Ok(self
            .0
            .row
            .status
            .parse::<crate::domain::ReviewStatus>()?
            .into())
    }

    async fn recommendation(&self) -> ApiResult<Option<RecommendationValue>> {
        Ok(self
            .0
            .row
            .recommendation
            .as_deref()
            .map(str::parse::<crate::domain::Recommendation>)
            .transpose()?
            .map(Into::into))
    }

    async fn comments(&self) -> Option<&str> {
        self.0.row.comments.as_deref()
    }

    /// Null where the review is blind to the viewer.
    async fn reviewer(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        if !self.0.reviewer_visible {
            return Ok(None);
        }
        user_for(ctx, Some(self.0.row.reviewer_id)).await
    }

    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.row.due_at
    }

    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.row.created_at
    }

    async fn responded_at(&self) -> Option<DateTime<Utc>> {
        self.0.row.responded_at
    }
}
