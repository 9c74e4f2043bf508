//! The claimant hands a translation in; an editor accepts it (it becomes
//! the paper's text) or sends it back.

use super::{TaskView, conflict, finish, lease_until, load, parse_note};
use crate::app::AppState;
use crate::domain::{DomainError, TaskAction, TaskKind, TaskStatus, TextContent, TextKind, Viewer};
use crate::service::papers;
use crate::service::{ServiceResult, retrying};
use crate::store::tasks::{self as store_tasks, Claim, Submission, TaskChange};
use crate::store::{self, StoreError};

/// The claimant hands in the translated text.
pub async fn submit(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    content: TextContent,
) -> ServiceResult<TaskView> {
    retrying(|| submit_once(state, viewer, task_id, content.clone())).await
}

async fn submit_once(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    content: TextContent,
) -> ServiceResult<TaskView> {
    let loaded = load(state, viewer, task_id, TaskAction::Submit).await?;
    let to = loaded.check(TaskAction::Submit, None)?;
    let kind: TaskKind = loaded.task.kind.parse()?;
    content.check_translation(kind)?;
    let texts = store::papers::texts_of(&loaded.tx, &[loaded.task.paper_id]).await?;
    let source_revision = texts
        .iter()
        .find(|t| t.kind == TextKind::Original.as_str())
        .map(|t| t.revision)
        .ok_or_else(|| {
            StoreError::Corrupt(format!(
                "paper {} has no original text",
                loaded.task.paper_id
            ))
        })?;
    let now = state.clock.now();
    let change = TaskChange {
        to,
        claim: None,
        submission: Some(Submission {
            content,
            source_revision,
        }),
        note: None,
    };
    if !store_tasks::transition(
        &loaded.tx,
        task_id,
        loaded.status,
        Some(loaded.actor_id),
        change,
        now,
    )
    .await?
    {
        return Err(conflict());
    }
    let from = loaded.status;
    finish(state, viewer, loaded, from, to, None).await
}

/// An editor accepts a submitted translation: it becomes the paper's text
/// in that language. Accepting an accepted task again confirms that its
/// text still holds for the current original, which clears its staleness.
pub async fn accept(state: &AppState, viewer: &Viewer, task_id: i64) -> ServiceResult<TaskView> {
    retrying(|| accept_once(state, viewer, task_id)).await
}

async fn accept_once(state: &AppState, viewer: &Viewer, task_id: i64) -> ServiceResult<TaskView> {
    let loaded = load(state, viewer, task_id, TaskAction::Accept).await?;
    let now = state.clock.now();
    let texts = store::papers::texts_of(&loaded.tx, &[loaded.task.paper_id]).await?;
    let original = texts
        .iter()
        .find(|t| t.kind == TextKind::Original.as_str())
        .ok_or_else(|| {
            StoreError::Corrupt(format!(
                "paper {} has no original text",
                loaded.task.paper_id
            ))
        })?;
    if loaded.status == TaskStatus::Accepted && loaded.standing.is_editor {
        let text = texts
            .iter()
            .find(|t| t.language == loaded.task.target_language);
        return match text {
            Some(text) if papers::is_stale(text, Some(original.revision)) => {
                store::papers::confirm_translation(&loaded.tx, text.id, original.revision, now)
                    .await?;
                let note = Some("confirmed against the current original".to_owned());
                finish(
                    state,
                    viewer,
                    loaded,
                    TaskStatus::Accepted,
                    TaskStatus::Accepted,
                    note,
                )
                .await
            }
            _ => Err(DomainError::InvalidTransition(
                "this translation is accepted and up to date".into(),
            )
            .into()),
        };
    }
    let to = loaded.check(TaskAction::Accept, None)?;
    let kind: TaskKind = loaded.task.kind.parse()?;
    let content = TextContent {
        title: loaded.task.submitted_title.clone().unwrap_or_default(),
        abstract_text: loaded.task.submitted_abstract.clone(),
        key_findings: loaded
            .task
            .submitted_key_findings
            .as_deref()
            .map(store::papers::key_findings)
            .transpose()?
            .unwrap_or_default(),
        body: loaded.task.submitted_body.clone(),
    };
    let change = TaskChange {
        to,
        claim: None,
        submission: None,
        note: None,
    };
    if !store_tasks::transition(&loaded.tx, task_id, loaded.status, None, change, now).await? {
        return Err(conflict());
    }
    let text = store::papers::TextWrite {
        paper_id: loaded.task.paper_id,
        language: &loaded.task.target_language,
        kind: TextKind::from(kind),
        content: &content,
        source_revision: loaded.task.source_revision,
        translated_by: loaded.task.claimed_by,
    };
    store::papers::put_text(&loaded.tx, text, now).await?;
    let from = loaded.status;
    finish(state, viewer, loaded, from, to, None).await
}

/// An editor sends a submission back to the same translator, with a note;
/// the claim's lease starts again.
pub async fn reject(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    retrying(|| reject_once(state, viewer, task_id, note.clone())).await
}

async fn reject_once(
    state: &AppState,
    viewer: &Viewer,
    task_id: i64,
    note: Option<String>,
) -> ServiceResult<TaskView> {
    let note = parse_note(note)?;
    let loaded = load(state, viewer, task_id, TaskAction::Reject).await?;
    let to = loaded.check(TaskAction::Reject, note.as_deref())?;
    let now = state.clock.now();
    let claim = loaded.task.claimed_by.map(|claimed_by| Claim {
        claimed_by,
        claimed_at: now,
        lease_expires_at: lease_until(state, now),
    });
    let change = TaskChange {
        to,
        claim: Some(claim),
        submission: None,
        note: note.clone(),
    };
    if !store_tasks::transition(&loaded.tx, task_id, loaded.status, None, change, now).await? {
        return Err(conflict());
    }
    let from = loaded.status;
    finish(state, viewer, loaded, from, to, note).await
}
