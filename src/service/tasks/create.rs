//! Editors open tasks for a paper and cancel those not finished; a paper's
//! open tasks are announced when it enters TRANSLATION.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use super::{TaskView, conflict, get, load, locked_paper, parse_note, status_of};
use crate::app::AppState;
use crate::domain::task;
use crate::domain::{DomainError, Language, Role, TaskAction, TaskKind, TaskStatus, Viewer};
use crate::events::Event;
use crate::service::{ServiceResult, retrying};
use crate::store;
use crate::store::tasks::{self as store_tasks, NewTaskRow, TaskChange, TaskRow};

/// A new task as an editor asked for it.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub paper_id: i64,
    pub target_language: String,
    /// Defaults to the paper's original language.
    pub source_language: Option<String>,
    pub kind: TaskKind,
    pub due_at: Option<DateTime<Utc>>,
}

/// An editor asks for a text in another language.
pub async fn create(state: &AppState, viewer: &Viewer, new: NewTask) -> ServiceResult<TaskView> {
    retrying(|| create_once(state, viewer, new.clone())).await
}

async fn create_once(state: &AppState, viewer: &Viewer, new: NewTask) -> ServiceResult<TaskView> {
    let actor = viewer.require_user()?;
    let target = Language::parse_input("targetLanguage", &new.target_language)?;
    let source = new
        .source_language
        .as_deref()
        .map(|source| Language::parse_input("sourceLanguage", source))
        .transpose()?;
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    let paper = locked_paper(&tx, viewer, new.paper_id).await?;
    let original = Language::parse(&paper.row.original_language)?;
    task::check_new_task(viewer.has(Role::Editor), paper.stage, &original, &target)?;
    let source = source.unwrap_or(original);
    if source == target {
        return Err(DomainError::bad_input("source and target language must differ").into());
    }
    let texts = crate::store::papers::texts_of(&tx, &[paper.row.id]).await?;
    if !texts.iter().any(|t| t.language == source.as_str()) {
        return Err(DomainError::bad_input(format!(
            "the paper has no {} text to translate from",
            source.display_name()
        ))
        .into());
    }
    let existing = store_tasks::of_papers(&tx, &[paper.row.id]).await?;
    for task in &existing {
        if task.target_language == target.as_str() && status_of(task)?.is_pending() {
            return Err(DomainError::bad_input(format!(
                "a {} task is already under way for this paper",
                target.display_name()
            ))
            .into());
        }
    }
    let row = store_tasks::insert(
        &tx,
        NewTaskRow {
            paper_id: paper.row.id,
            source_language: source.as_str().to_owned(),
            target_language: target.as_str().to_owned(),
            kind: new.kind,
            due_at: new.due_at,
            created_by: actor.id,
        },
        now,
    )
    .await?;
    let created = Event::task_changed(&row, None, TaskStatus::Open, now);
    state.events.commit(tx, vec![created]).await?;
    get(state, viewer, row.id).await
}

/// The live events that announce a paper's open tasks to translators when
/// the paper enters TRANSLATION (nothing changed on the tasks: they became
/// claimable), inside the move's transaction.
pub(crate) async fn opened_for_translators(
    tx: &DatabaseTransaction,
    paper_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Event>> {
    let open = Some(TaskStatus::Open);
    Ok(store_tasks::of_papers(tx, &[paper_id])
        .await?
        .iter()
        .filter(|task| task.status == TaskStatus::Open.as_str())
        .map(|task| Event::task_changed(task, open, TaskStatus::Open, now))
        .collect())
}

/// An editor cancels a task that is not finished.
pub async fn cancel(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    retrying(|| cancel_once(state, viewer, task_id, note.clone())).await
}

async fn cancel_once(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    let note = parse_note(note)?;
    let loaded = load(state, viewer, task_id, TaskAction::Cancel).await?;
    loaded.check(TaskAction::Cancel, None)?;
    let now = state.clock.now();
    let (task, status, actor_id) = (loaded.task.clone(), loaded.status, loaded.actor_id);
    let cancelled = cancel_in(&loaded.tx, &task, status, Some(actor_id), note, now).await?;
    state.events.commit(loaded.tx, vec![cancelled]).await?;
    get(state, viewer, task_id).await
}

/// Cancels a pending task inside a larger transaction (a paper moved to
/// DRAFT or ARCHIVED), with its log entry; answers the event to record with
/// the transaction.
pub(crate) async fn cancel_in(
    tx: &DatabaseTransaction,
    task: &TaskRow,
    status: TaskStatus,
    actor_id: Option<i64>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> ServiceResult<Event> {
    let change = TaskChange {
        to: TaskStatus::Cancelled,
        claim: None,
        submission: None,
        note: None,
    };
    if !store_tasks::transition(tx, task.id, status, None, change, now).await? {
        return Err(conflict());
    }
    store_tasks::insert_event(
        tx,
        task.id,
        Some(status),
        TaskStatus::Cancelled,
        actor_id,
        note,
        now,
    )
    .await?;
    Ok(Event::task_changed(
        task,
        Some(status),
        TaskStatus::Cancelled,
        now,
    ))
}
