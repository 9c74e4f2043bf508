use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Object};

use crate::graphql::types::{User, UserConnection, UserTotals};
use crate::graphql::{ApiError, ApiResult, app, page_complexity, page_size, viewer};
use crate::service::users;

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user, or null for an anonymous request.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let viewer = viewer(ctx);
        let row = users::me(app(ctx)?, &viewer).await?;
        Ok(row.map(|row| User::for_viewer(row, &viewer)))
    }

    /// Every account, in creation order. Admins only.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last user of the previous page.")] after: Option<String>,
    ) -> ApiResult<UserConnection> {
        let limit = page_size(first)?;
        let after_id = after
            .map(|cursor| {
                cursor
                    .parse::<i64>()
                    .map_err(|_| ApiError::bad_input("after is not a cursor from this list"))
            })
            .transpose()?;
        let viewer = viewer(ctx);
        let (rows, total_count) =
            users::list_users(app(ctx)?, &viewer, after_id, limit + 1).await?;
        let has_next_page = rows.len() as u64 > limit;
        let mut connection = Connection::with_additional_fields(
            after_id.is_some(),
            has_next_page,
            UserTotals { total_count },
        );
        connection.edges.extend(
            rows.into_iter()
                .take(limit as usize)
                .map(|row| Edge::new(row.id.to_string(), User::for_viewer(row, &viewer))),
        );
        Ok(connection)
    }
}
