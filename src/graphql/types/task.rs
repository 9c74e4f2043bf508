use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use super::User;
use super::paper::{Paper, user_for};
use crate::domain::DomainError;
use crate::graphql::loaders::{ReadAhead, TaskEventsOf, TasksOf, VisiblePaper};
use crate::graphql::{ApiResult, app, rows, viewer};
use crate::service::tasks::{self, TaskView};
use crate::store::papers::key_findings;
use crate::store::tasks::{TaskEventRow, TaskRow};

/// What a task produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "TaskKind", remote = "crate::domain::TaskKind")]
pub enum TaskKindValue {
    /// The whole paper in the target language.
    Full,
    /// A summary with key findings.
    Summary,
}

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "TaskStatus", remote = "crate::domain::TaskStatus")]
pub enum TaskStatusValue {
    /// Waiting for a translator.
    Open,
    /// A translator holds it (a lease that runs out).
    Claimed,
    /// Handed in, waiting for an editor.
    Submitted,
    /// The text became the paper's text in that language.
    Accepted,
    Cancelled,
}

/// A request to produce one text of a paper in another language. A page's
/// tasks may come without their submissions and notes (`has_submission`
/// false); those fields then read the whole row.
pub struct TranslationTask {
    view: TaskView,
    has_submission: bool,
    whole: OnceCell<TaskRow>,
}

impl TranslationTask {
    /// A task read whole.
    pub fn new(view: TaskView) -> TranslationTask {
        TranslationTask::of_page(view, true)
    }

    /// A task as a page loaded it, with or without its submission and note.
    pub fn of_page(view: TaskView, has_submission: bool) -> TranslationTask {
        TranslationTask {
            view,
            has_submission,
            whole: OnceCell::new(),
        }
    }

    /// The task as the viewer may see it (a page's without its submission
    /// and note).
    pub fn view(&self) -> &TaskView {
        &self.view
    }

    /// The row with its submission and note, read when the page left them
    /// out.
    async fn whole(&self, ctx: &Context<'_>) -> ApiResult<&TaskRow> {
        if self.has_submission {
            return Ok(&self.view.row);
        }
        self.whole
            .get_or_try_init(|| async {
                rows(ctx)?
                    .load_one(TasksOf(self.view.row.paper_id))
                    .await?
                    .unwrap_or_default()
                    .into_iter()
                    .find(|row| row.id == self.view.row.id)
                    .ok_or_else(|| DomainError::NotFound("task").into())
            })
            .await
    }
}

/// A request to produce one text of a paper in another language.
#[Object]
impl TranslationTask {
    async fn id(&self) -> ID {
        ID(self.view.row.id.to_string())
    }

    async fn paper(&self, ctx: &Context<'_>) -> ApiResult<Paper> {
        let key = VisiblePaper {
            viewer: viewer(ctx),
            id: self.view.row.paper_id,
        };
        let view = rows(ctx)?
            .load_one(key)
            .await?
            .ok_or(DomainError::NotFound("paper"))?;
        Ok(Paper::new(view))
    }

    async fn source_language(&self) -> &str {
        &self.view.row.source_language
    }

    async fn target_language(&self) -> &str {
        &self.view.row.target_language
    }

    async fn kind(&self) -> ApiResult<TaskKindValue> {
        Ok(self
            .view
            .row
            .kind
            .parse::<crate::domain::TaskKind>()?
            .into())
    }

    async fn status(&self) -> ApiResult<TaskStatusValue> {
        Ok(self
            .view
            .row
            .status
            .parse::<crate::domain::TaskStatus>()?
            .into())
    }

    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.view.row.due_at
    }

    /// Past its due date and not accepted (or cancelled).
    async fn overdue(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let status: crate::domain::TaskStatus = self.view.row.status.parse()?;
        Ok(status.is_overdue(self.view.row.due_at, app(ctx)?.clock.now()))
    }

    /// The translator holding the claim; for editors and that translator.
    async fn claimed_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        if !self.view.details_visible {
            return Ok(None);
        }
        user_for(ctx, self.view.row.claimed_by).await
    }

    async fn claimed_at(&self) -> Option<DateTime<Utc>> {
        self.view
            .details_visible
            .then_some(self.view.row.claimed_at)
            .flatten()
    }

    /// When the claim runs out and the task is open again.
    async fn lease_expires_at(&self) -> Option<DateTime<Utc>> {
        self.view
            .details_visible
            .then_some(self.view.row.lease_expires_at)
            .flatten()
    }

    /// The translation handed in; for editors and the translator.
    async fn submission(&self, ctx: &Context<'_>) -> ApiResult<Option<Submission>> {
        if !self.view.details_visible || self.view.row.submitted_at.is_none() {
            return Ok(None);
        }
        let row = self.whole(ctx).await?;
        let (Some(title), Some(submitted_at)) = (&row.submitted_title, row.submitted_at) else {
            return Ok(None);
        };
        Ok(Some(Submission {
            title: title.clone(),
            abstract_text: row.submitted_abstract.clone(),
            key_findings: row
                .submitted_key_findings
                .as_deref()
                .map(key_findings)
                .transpose()?
                .unwrap_or_default(),
            body: row.submitted_body.clone(),
            source_revision: row.source_revision.unwrap_or_default(),
            submitted_at,
        }))
    }

    /// The editor's last note (why the translation was sent back).
    async fn note(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        if !self.view.details_visible {
            return Ok(None);
        }
        Ok(self.whole(ctx).await?.note.as_deref())
    }

    /// Every status change with who made it; for editors and the translator.
    async fn events(&self, ctx: &Context<'_>) -> ApiResult<Vec<TaskEvent>> {
        if !self.view.details_visible {
            return Ok(vec![]);
        }
        let read_ahead = ctx.data_opt::<ReadAhead>();
        let events = match read_ahead.and_then(|ahead| ahead.task_events(self.view.row.id)) {
            Some(events) => events,
            None => rows(ctx)?
                .load_one(TaskEventsOf(self.view.row.id))
                .await?
                .unwrap_or_default(),
        };
        Ok(tasks::visible_events(&self.view, events)
            .into_iter()
            .map(TaskEvent)
            .collect())
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.view.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.view.row.updated_at
    }
}

/// A translation as handed in.
#[derive(SimpleObject)]
pub struct Submission {
    pub title: String,
    #[graphql(name = "abstract")]
    pub abstract_text: Option<String>,
    pub key_findings: Vec<String>,
    pub body: Option<String>,
    /// The original's revision it was made from.
    pub source_revision: i32,
    pub submitted_at: DateTime<Utc>,
}

/// One status change of a task.
pub struct TaskEvent(pub TaskEventRow);

#[Object]
impl TaskEvent {
    async fn from(&self) -> ApiResult<Option<TaskStatusValue>> {
        Ok(self
            .0
            .from_status
            .as_deref()
            .map(str::parse::<crate::domain::TaskStatus>)
            .transpose()?
            .map(Into::into))
    }

    async fn to(&self) -> ApiResult<TaskStatusValue> {
        Ok(self
            .0
            .to_status
            .parse::<crate::domain::TaskStatus>()?
            .into())
    }

    /// Who did it; null when the system did (a lease running out).
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        user_for(ctx, self.0.actor_id).await
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Totals that come with a page of tasks.
#[derive(SimpleObject)]
pub struct TaskTotals {
    pub total_count: u64,
}

/// A page of translation tasks.
pub type TaskConnection = Connection<String, TranslationTask, TaskTotals, EmptyFields>;
