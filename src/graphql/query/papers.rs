use async_graphql::connection::{CursorType, Edge, OpaqueCursor};
use async_graphql::{Context, ID, InputObject, Object};

use crate::graphql::types::{Paper, PaperConnection, PaperTotals, Series, StageValue};
use crate::graphql::{ApiError, ApiResult, app, page_complexity, page_size, parse_id, viewer};
use crate::service::{papers, series};
use crate::store::papers::{PaperFilter, PaperKey};

#[derive(Default)]
pub struct PaperQuery;

/// What a list of papers may be narrowed to.
#[derive(InputObject, Default)]
pub struct PapersFilter {
    /// Any of these stages.
    pub stages: Option<Vec<StageValue>>,
    pub series_id: Option<ID>,
}

#[Object]
impl PaperQuery {
    /// A paper by id or slug (give exactly one). NOT_FOUND when it does not
    /// exist or the viewer may not see it.
    async fn paper(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
    ) -> ApiResult<Paper> {
        let key = match (id, slug) {
            (Some(id), None) => PaperKey::Id(parse_id(&id, "paper")?),
            (None, Some(slug)) => PaperKey::Slug(slug),
            _ => return Err(ApiError::bad_input("give either id or slug")),
        };
        Ok(Paper(papers::get(app(ctx)?, &viewer(ctx), &key).await?))
    }

    /// The papers the viewer may see, most recently updated first.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn papers(
        &self,
        ctx: &Context<'_>,
        filter: Option<PapersFilter>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<PaperConnection> {
        let filter = filter.unwrap_or_default();
        let filter = PaperFilter {
            stages: filter
                .stages
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            series_id: filter
                .series_id
                .map(|id| parse_id(&id, "series"))
                .transpose()?,
        };
        papers_page(ctx, filter, first, after).await
    }

    /// Every series.
    async fn all_series(&self, ctx: &Context<'_>) -> ApiResult<Vec<Series>> {
        Ok(series::all(app(ctx)?)
            .await?
            .into_iter()
            .map(Series)
            .collect())
    }

    /// A series by slug.
    async fn series(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Series> {
        Ok(Series(series::by_slug(app(ctx)?, &slug).await?))
    }
}

/// One page of papers for any list field.
pub(crate) async fn papers_page(
    ctx: &Context<'_>,
    filter: PaperFilter,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<PaperConnection> {
    let limit = page_size(first)?;
    let after = after
        .map(|cursor| {
            OpaqueCursor::<(chrono::DateTime<chrono::Utc>, i64)>::decode_cursor(&cursor)
                .map(|cursor| cursor.0)
                .map_err(|_| ApiError::bad_input("after is not a cursor from this list"))
        })
        .transpose()?;
    let (views, total_count) =
        papers::list(app(ctx)?, &viewer(ctx), &filter, after, limit + 1).await?;
    let has_next_page = views.len() as u64 > limit;
    let mut connection = PaperConnection::with_additional_fields(
        after.is_some(),
        has_next_page,
        PaperTotals { total_count },
    );
    connection
        .edges
        .extend(views.into_iter().take(limit as usize).map(|view| {
            let cursor = OpaqueCursor((view.row.updated_at, view.row.id));
            Edge::new(cursor, Paper(view))
        }));
    Ok(connection)
}
