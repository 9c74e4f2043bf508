use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use crate::graphql::types::{RecommendationValue, Review};
use crate::graphql::{ApiResult, app, parse_id, viewer};
use crate::service::reviews;

#[derive(Default)]
pub struct ReviewMutation;

#[Object]
impl ReviewMutation {
    /// Asks a reviewer to review a paper in REVIEW, for the current round.
    /// Editors only.
    async fn request_review(
        &self,
        ctx: &Context<'_>,
        paper_id: ID,
        reviewer_id: ID,
        due_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Review> {
        let paper_id = parse_id(&paper_id, "paper")?;
        let reviewer_id = parse_id(&reviewer_id, "user")?;
        Ok(Review(
            reviews::request(app(ctx)?, &viewer(ctx), paper_id, reviewer_id, due_at).await?,
        ))
    }

    /// Recommends ACCEPT, REVISE or REJECT, with comments. The reviewer only.
    async fn submit_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
        recommendation: RecommendationValue,
        comments: String,
    ) -> ApiResult<Review> {
        let id = parse_id(&id, "review")?;
        Ok(Review(
            reviews::submit(app(ctx)?, &viewer(ctx), id, recommendation.into(), comments).await?,
        ))
    }

    /// Declines to review. The reviewer only.
    async fn decline_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
        comments: Option<String>,
    ) -> ApiResult<Review> {
        let id = parse_id(&id, "review")?;
        Ok(Review(
            reviews::decline(app(ctx)?, &viewer(ctx), id, comments).await?,
        ))
    }
}
