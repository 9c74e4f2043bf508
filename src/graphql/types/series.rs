use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::paper::PaperConnection;
use crate::graphql::query::{PageArgs, PaperOrderBy, PapersFilter, papers_page};
use crate::graphql::{ApiResult, page_complexity};
use crate::store::series::SeriesRow;

/// A named collection of papers, e.g. "Security Index Occasional Paper
/// Series".
pub struct Series(pub SeriesRow);

#[Object]
impl Series {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn slug(&self) -> &str {
        &self.0.slug
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The series' papers the viewer may see (same arguments as `papers`).
    #[graphql(complexity = "page_complexity(first.or(last), child_complexity)")]
    async fn papers(
        &self,
        ctx: &Context<'_>,
        filter: Option<PapersFilter>,
        order_by: Option<PaperOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PaperConnection> {
        let mut filter = filter.unwrap_or_default().into_store()?;
        filter.series_id = Some(self.0.id);
        papers_page(
            ctx,
            filter,
            order_by,
            PageArgs {
                first,
                after,
                last,
                before,
            },
        )
        .await
    }
}
