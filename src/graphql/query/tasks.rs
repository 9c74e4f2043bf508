use async_graphql::connection::Edge;
use async_graphql::{Context, ID, InputObject, Object};

use crate::graphql::types::{TaskConnection, TaskStatusValue, TaskTotals, TranslationTask};
use crate::graphql::{
    ApiError, ApiResult, Paging, app, page_complexity, parse_id, viewer, wants_total,
};
use crate::service::tasks;
use crate::store::tasks::{TaskFilter, TaskWindow};

#[derive(Default)]
pub struct TaskQuery;

/// What a list of tasks may be narrowed to.
#[derive(InputObject, Default)]
pub struct TranslationTasksFilter {
    /// Any of these statuses.
    pub statuses: Option<Vec<TaskStatusValue>>,
    /// BCP 47 tag, e.g. "en".
    pub target_language: Option<String>,
    pub paper_id: Option<ID>,
    /// Only tasks the viewer holds (claimed or submitted).
    pub mine: Option<bool>,
    /// Only tasks past their due date and not finished.
    pub overdue: Option<bool>,
}

#[Object]
impl TaskQuery {
    /// Translation tasks the viewer may see, oldest first: open work for
    /// translators, their own tasks, the tasks of an author's papers, all
    /// for editors.
    #[graphql(complexity = "page_complexity(first.or(last), child_complexity)")]
    async fn translation_tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TranslationTasksFilter>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<TaskConnection> {
        let app = app(ctx)?;
        let viewer = viewer(ctx);
        let filter = filter.unwrap_or_default();
        let target_language = filter
            .target_language
            .map(|tag| {
                crate::domain::Language::parse_input("targetLanguage", &tag)
                    .map(|l| l.as_str().to_owned())
            })
            .transpose()?;
        let filter = TaskFilter {
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            target_language,
            paper_id: filter
                .paper_id
                .map(|id| parse_id(&id, "paper"))
                .transpose()?,
            claimed_by: if filter.mine == Some(true) {
                viewer.user_id().or(Some(-1))
            } else {
                None
            },
            overdue_at: (filter.overdue == Some(true)).then(|| app.clock.now()),
        };
        let paging = Paging::new(first, last)?;
        let window = TaskWindow {
            after_id: cursor(after)?,
            before_id: cursor(before)?,
            from_end: paging.from_end,
            limit: paging.probe(),
        };
        let mut views = tasks::list(app, &viewer, &filter, window).await?;
        let total_count = if wants_total(ctx) {
            tasks::count(app, &viewer, &filter).await?
        } else {
            0
        };
        let (has_previous_page, has_next_page) = paging.finish(
            &mut views,
            window.after_id.is_some(),
            window.before_id.is_some(),
        );
        let mut connection = TaskConnection::with_additional_fields(
            has_previous_page,
            has_next_page,
            TaskTotals { total_count },
        );
        connection.edges.extend(
            views
                .into_iter()
                .map(|view| Edge::new(view.row.id.to_string(), TranslationTask::new(view))),
        );
        Ok(connection)
    }

    /// One translation task, if the viewer may see it.
    async fn translation_task(&self, ctx: &Context<'_>, id: ID) -> ApiResult<TranslationTask> {
        let id = parse_id(&id, "translation task")?;
        Ok(TranslationTask::new(
            tasks::get(app(ctx)?, &viewer(ctx), id).await?,
        ))
    }
}

/// Task cursors are task ids.
fn cursor(cursor: Option<String>) -> ApiResult<Option<i64>> {
    cursor
        .map(|cursor| {
            cursor
                .parse::<i64>()
                .map_err(|_| ApiError::bad_input("the cursor does not come from this list"))
        })
        .transpose()
}
