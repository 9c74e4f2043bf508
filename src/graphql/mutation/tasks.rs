use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use crate::domain::TextContent;
use crate::graphql::types::{TaskKindValue, TranslationTask};
use crate::graphql::{ApiResult, app, parse_id, viewer};
use crate::service::tasks::{self, NewTask};

#[derive(Default)]
pub struct TaskMutation;

/// A translated text handed in.
#[derive(InputObject)]
pub struct TranslationInput {
    pub title: String,
    /// The summary; required for a SUMMARY unless there is a body.
    #[graphql(name = "abstract")]
    pub abstract_text: Option<String>,
    /// Required for a SUMMARY.
    #[graphql(default)]
    pub key_findings: Vec<String>,
    pub body: Option<String>,
}

fn task_id(id: &ID) -> ApiResult<i64> {
    parse_id(id, "translation task")
}

#[Object]
impl TaskMutation {
    /// Asks for a text of a paper in another language. Editors only, while
    /// the paper is SUBMITTED, in TRANSLATION or in REVIEW.
    async fn create_translation_task(
        &self,
        ctx: &Context<'_>,
        paper_id: ID,
        #[graphql(desc = "BCP 47 tag, e.g. \"en\".")] target_language: String,
        kind: TaskKindValue,
        #[graphql(desc = "Defaults to the paper's original language.")] source_language: Option<
            String,
        >,
        due_at: Option<DateTime<Utc>>,
    ) -> ApiResult<TranslationTask> {
        let new = NewTask {
            paper_id: parse_id(&paper_id, "paper")?,
            target_language,
            source_language,
            kind: kind.into(),
            due_at,
        };
        Ok(TranslationTask::new(
            tasks::create(app(ctx)?, &viewer(ctx), new).await?,
        ))
    }

    /// Claims an open task (a lease). Translators only, while the paper is
    /// in TRANSLATION; ALREADY_CLAIMED when someone was first.
    async fn claim_translation_task(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<TranslationTask> {
        Ok(TranslationTask::new(
            tasks::claim(app(ctx)?, &viewer(ctx), task_id(&id)?).await?,
        ))
    }

    /// Gives a claim up (the claimant) or takes it away (an editor).
    async fn release_translation_task(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> ApiResult<TranslationTask> {
        Ok(TranslationTask::new(
            tasks::release(app(ctx)?, &viewer(ctx), task_id(&id)?, note).await?,
        ))
    }

    /// Hands in the translation. The claimant only.
    async fn submit_translation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: TranslationInput,
    ) -> ApiResult<TranslationTask> {
        let content = TextContent::parse(
            &input.title,
            input.abstract_text.as_deref(),
            &input.key_findings,
            input.body.as_deref(),
        )?;
        Ok(TranslationTask::new(
            tasks::submit(app(ctx)?, &viewer(ctx), task_id(&id)?, content).await?,
        ))
    }

    /// Accepts a submitted translation: it becomes the paper's text in that
    /// language. On an accepted task whose text went stale, confirms it
    /// against the current original. Editors only.
    async fn accept_translation(&self, ctx: &Context<'_>, id: ID) -> ApiResult<TranslationTask> {
        Ok(TranslationTask::new(
            tasks::accept(app(ctx)?, &viewer(ctx), task_id(&id)?).await?,
        ))
    }

    /// Sends a submitted translation back to its translator, with a note.
    /// Editors only.
    async fn reject_translation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
    ) -> ApiResult<TranslationTask> {
        Ok(TranslationTask::new(
            tasks::reject(app(ctx)?, &viewer(ctx), task_id(&id)?, Some(note)).await?,
        ))
    }

    /// Cancels a task that is not finished. Editors only.
    async fn cancel_translation_task(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> ApiResult<TranslationTask> {
        Ok(TranslationTask::new(
            tasks::cancel(app(ctx)?, &viewer(ctx), task_id(&id)?, note).await?,
        ))
    }
}
