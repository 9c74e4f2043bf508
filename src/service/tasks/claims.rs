//! Translators claim open tasks (one winner per race) and give claims up;
//! editors take them away.

use sea_orm::DatabaseTransaction;

use super::{TaskView, conflict, finish, lease_until, load, parse_note, status_of};
use crate::app::AppState;
use crate::domain::task;
use crate::domain::{DomainError, Role, Stage, TaskAction, TaskStatus, Viewer};
use crate::service::{ServiceError, ServiceResult, retrying};
use crate::store;
use crate::store::tasks::{self as store_tasks, Claim, TaskChange};

/// A translator claims an open task. Of many simultaneous claims exactly one
/// wins; the others get ALREADY_CLAIMED.
pub async fn claim(state: &AppState, viewer: &Viewer, task_id: i64) -> ServiceResult<TaskView> {
    retrying(|| claim_once(state, viewer, task_id)).await
}

async fn claim_once(state: &AppState, viewer: &Viewer, task_id: i64) -> ServiceResult<TaskView> {
    let loaded = load(state, viewer, task_id, TaskAction::Claim).await?;
    let to = loaded.check(TaskAction::Claim, None)?;
    let held = store_tasks::claims_held(&loaded.tx, loaded.actor_id).await?;
    task::check_claim_limit(held, u64::from(state.settings.max_claims))?;
    let now = state.clock.now();
    let claim = Claim {
        claimed_by: loaded.actor_id,
        claimed_at: now,
        lease_expires_at: lease_until(state, now),
    };
    let change = TaskChange {
        to,
        claim: Some(Some(claim)),
        submission: None,
        note: None,
    };
    if !store_tasks::transition(&loaded.tx, task_id, loaded.status, None, change, now).await? {
        return Err(already_claimed());
    }
    let from = loaded.status;
    finish(state, viewer, loaded, from, to, None).await
}

pub(super) fn already_claimed() -> ServiceError {
    DomainError::AlreadyClaimed("another translator claimed this task first".into()).into()
}

/// Whether a task out of the viewer's reach is one a translator just lost to
/// another: it is claimed or handed in by someone else and its paper is in
/// TRANSLATION, so it was open work moments ago. Once claimed it leaves the
/// translator's scope, but losing the race is ALREADY_CLAIMED (the task
/// table), not NOT_FOUND. Nothing of the paper is revealed.
pub(super) async fn taken_by_another(
    tx: &DatabaseTransaction,
    viewer: &Viewer,
    task_id: i64,
) -> ServiceResult<bool> {
    if !viewer.has(Role::Translator) {
        return Ok(false);
    }
    let Some(task) = store_tasks::find(tx, task_id).await? else {
        return Ok(false);
    };
    let taken = matches!(
        status_of(&task)?,
        TaskStatus::Claimed | TaskStatus::Submitted
    ) && task.claimed_by != viewer.user_id();
    if !taken {
        return Ok(false);
    }
    let paper = store::papers::find(tx, task.paper_id).await?;
    Ok(paper.is_some_and(|paper| paper.stage == Stage::Translation.as_str()))
}

/// The claimant gives a claim up, or an editor takes it away; recorded with
/// who did it.
pub async fn release(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    retrying(|| release_once(state, viewer, task_id, note.clone())).await
}

async fn release_once(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    let note = parse_note(note)?;
    let loaded = load(state, viewer, task_id, TaskAction::Release).await?;
    let to = loaded.check(TaskAction::Release, None)?;
    let now = state.clock.now();
    let change = TaskChange {
        to,
        claim: Some(None),
        submission: None,
        note: None,
    };
    if !store_tasks::transition(
        &loaded.tx,
        task_id,
        loaded.status,
        loaded.task.claimed_by,
        change,
        now,
    )
    .await?
    {
        return Err(conflict());
    }
    let from = loaded.status;
    finish(state, viewer, loaded, from, to, note).await
}
