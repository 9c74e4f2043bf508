//! Translation tasks: created by editors, claimed (as a lease) by
//! translators, submitted, then accepted or sent back. Every change is one
//! transaction with a compare-and-set on the task's status and an event in
//! the task's log. One file per job; what they share (loading a task for an
//! action, finishing it) is here.

mod claims;
mod create;
mod leases;
mod read;
mod submissions;

use sea_orm::DatabaseTransaction;

use super::ServiceResult;
use super::papers::{self, PaperView};
use crate::app::AppState;
use crate::domain::policy::{PaperScope, TaskScope};
use crate::domain::task::{self, TaskStanding};
use crate::domain::{DomainError, Role, TaskAction, TaskStatus, TextField, Viewer};
use crate::events::Event;
use crate::store::papers::PaperKey;
use crate::store::tasks::{self as store_tasks, TaskRow};
use crate::store::{self, StoreError};

use claims::{already_claimed, taken_by_another};
pub use claims::{claim, release};
pub use create::{NewTask, cancel, create};
pub(crate) use create::{cancel_in, opened_for_translators};
pub(crate) use leases::lease_until;
pub use leases::{expire_leases, spawn_lease_sweeper};
use read::view_one;
pub use read::{count, get, held_by, list, view, visible_events, visible_of_paper};
pub use submissions::{accept, reject, submit};

/// A task as the viewer sees it.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub row: TaskRow,
    /// Whether the viewer sees the translator, the submission and the log.
    pub details_visible: bool,
}

fn status_of(row: &TaskRow) -> ServiceResult<TaskStatus> {
    row.status.parse().map_err(|_| {
        StoreError::Corrupt(format!("task {} has status {:?}", row.id, row.status)).into()
    })
}

async fn locked_paper(
    tx: &DatabaseTransaction,
    viewer: &Viewer,
    paper_id: i64,
) -> ServiceResult<PaperView> {
    let row = store::papers::find_visible_for_update(
        tx,
        PaperScope::for_viewer(viewer),
        &PaperKey::Id(paper_id),
    )
    .await?
    .ok_or(DomainError::NotFound("paper"))?;
    let stage = papers::stage_of(&row)?;
    let relation = match viewer.user_id() {
        Some(user_id) => store::papers::relations(tx, user_id, &[&row])
            .await?
            .remove(&row.id)
            .unwrap_or_default(),
        None => Default::default(),
    };
    Ok(PaperView {
        access: crate::domain::policy::PaperAccess::for_viewer(viewer, stage, relation),
        stage,
        row,
    })
}

/// Everything one task action needs, loaded and locked in its transaction.
struct Loaded {
    tx: DatabaseTransaction,
    task: TaskRow,
    status: TaskStatus,
    paper: PaperView,
    standing: TaskStanding,
    actor_id: i64,
}

impl Loaded {
    /// Whether the viewer may take `action` on the task now (the domain's
    /// task table); answers the status it leads to.
    fn check(&self, action: TaskAction, note: Option<&str>) -> ServiceResult<TaskStatus> {
        Ok(task::check_task_action(
            action,
            self.standing,
            self.status,
            self.paper.stage,
            note,
        )?)
    }
}

/// Loads a task for `action` in a write transaction. The task's paper is
/// locked before anything is judged, so that what the viewer may see and
/// the task's status are read after any concurrent change of the same
/// paper has committed: a translator who loses a claim race therefore sees
/// the task claimed by someone else (ALREADY_CLAIMED), never a task that
/// vanished (NOT_FOUND).
async fn load(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    action: TaskAction,
) -> ServiceResult<Loaded> {
    let actor = viewer.require_user()?;
    expire_leases(state).await?;
    let tx = store::begin_write(&state.db).await?;
    let paper_id = store::papers::lock_of_task(&tx, task_id)
        .await?
        .ok_or(DomainError::NotFound("translation task"))?;
    let Some(task) =
        store_tasks::find_in_scope(&tx, TaskScope::for_viewer(viewer), task_id).await?
    else {
        if action == TaskAction::Claim && taken_by_another(&tx, viewer, task_id).await? {
            return Err(already_claimed());
        }
        return Err(DomainError::NotFound("translation task").into());
    };
    let paper = locked_paper(&tx, viewer, paper_id).await?;
    let status = status_of(&task)?;
    let standing = TaskStanding {
        is_editor: viewer.has(Role::Editor),
        is_translator: viewer.has(Role::Translator),
        is_claimant: task.claimed_by == Some(actor.id),
    };
    Ok(Loaded {
        tx,
        task,
        status,
        paper,
        standing,
        actor_id: actor.id,
    })
}

async fn finish(
    state: &AppState,
    viewer: &Viewer,
    loaded: Loaded,
    from: TaskStatus,
    to: TaskStatus,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    let now = state.clock.now();
    store_tasks::insert_event(
        &loaded.tx,
        loaded.task.id,
        Some(from),
        to,
        Some(loaded.actor_id),
        note,
        now,
    )
    .await?;
    let changed = Event::task_changed(&loaded.task, Some(from), to, now);
    state.events.commit(loaded.tx, vec![changed]).await?;
    tracing::info!(task = loaded.task.id, actor = loaded.actor_id, from = %from, to = %to, "task changed");
    let row = store_tasks::find(&state.db, loaded.task.id)
        .await?
        .ok_or(DomainError::NotFound("translation task"))?;
    view_one(state, viewer, row).await
}

/// A task's note as sent: blank is none.
fn parse_note(note: Option<String>) -> Result<Option<String>, DomainError> {
    Ok(TextField::NOTE.optional(note.as_deref())?.map(String::from))
}

fn conflict() -> super::ServiceError {
    DomainError::Conflict("the task changed meanwhile: reload and try again".into()).into()
}
