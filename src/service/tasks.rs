//! Translation tasks: created by editors, claimed (as a lease) by
//! translators, submitted, then accepted or sent back. Every change is one
//! transaction with a compare-and-set on the task's status and an event in
//! the task's log.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use super::papers::{self, PaperView};
use super::{ServiceError, ServiceResult, retrying};
use crate::app::AppState;
use crate::domain::policy::{PaperScope, TaskAccess, TaskScope, may_see_task_details};
use crate::domain::task::{self, TaskStanding};
use crate::domain::{
    DomainError, Language, Role, Stage, TaskAction, TaskKind, TaskStatus, TextContent, TextField,
    TextKind, Viewer,
};
use crate::events::Event;
use crate::store::papers::PaperKey;
use crate::store::tasks::{
    self as store_tasks, Claim, NewTaskRow, Submission, TaskChange, TaskFilter, TaskRow, TaskWindow,
};
use crate::store::{self, StoreError};

/// A task as the viewer sees it.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub row: TaskRow,
    /// Whether the viewer sees the translator, the submission and the log.
    pub details_visible: bool,
}

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

/// Re-opens every claim whose lease has run out, recording each in the
/// task's log. Runs before every task operation and listing, and on a timer,
/// so an expired claim is open again whether or not anything ran between.
pub async fn expire_leases(state: &AppState) -> ServiceResult<u64> {
    retrying(|| expire_leases_once(state)).await
}

async fn expire_leases_once(state: &AppState) -> ServiceResult<u64> {
    let now = state.clock.now();
    let expired = store_tasks::expired_claims(&state.db, now).await?;
    if expired.is_empty() {
        return Ok(0);
    }
    let tx = store::begin_write(&state.db).await?;
    let mut reopened = 0;
    let mut events = Vec::new();
    for task in expired {
        if store_tasks::expire_claim(&tx, task.id, now).await? {
            events.push(Event::task_changed(
                &task,
                Some(TaskStatus::Claimed),
                TaskStatus::Open,
                now,
            ));
            let note = "the claim's lease ran out".to_owned();
            store_tasks::insert_event(
                &tx,
                task.id,
                Some(TaskStatus::Claimed),
                TaskStatus::Open,
                None,
                Some(note),
                now,
            )
            .await?;
            reopened += 1;
        }
    }
    tx.commit().await?;
    state.events.publish_all(events).await;
    if reopened > 0 {
        tracing::info!(reopened, "expired claims re-opened");
    }
    Ok(reopened)
}

fn status_of(row: &TaskRow) -> ServiceResult<TaskStatus> {
    row.status.parse().map_err(|_| {
        StoreError::Corrupt(format!("task {} has status {:?}", row.id, row.status)).into()
    })
}

async fn views(
    state: &AppState,
    viewer: &Viewer,
    rows: Vec<TaskRow>,
) -> ServiceResult<Vec<TaskView>> {
    let held = held_by(&state.db, viewer, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|row| view(viewer, row, &held))
        .collect())
}

/// Of these tasks, the ones the viewer claimed at some point: what a
/// translator may see of a task depends on it. Empty for everyone else.
pub async fn held_by(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: &[TaskRow],
) -> ServiceResult<HashSet<i64>> {
    match viewer.user_id() {
        Some(user_id) if viewer.has(Role::Translator) => {
            let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            Ok(store_tasks::claimed_ever_by(db, user_id, &ids).await?)
        }
        _ => Ok(HashSet::new()),
    }
}

/// A task as the viewer sees it; `held` holds the tasks the viewer claimed
/// at some point.
pub fn view(viewer: &Viewer, row: TaskRow, held: &HashSet<i64>) -> TaskView {
    let mine =
        held.contains(&row.id) || (row.claimed_by.is_some() && row.claimed_by == viewer.user_id());
    TaskView {
        details_visible: may_see_task_details(viewer, mine),
        row,
    }
}

/// The tasks of a paper the viewer sees, by the paper's task access, from
/// its loaded rows.
pub fn visible_of_paper(
    viewer: &Viewer,
    paper: &PaperView,
    rows: Vec<TaskRow>,
    held: &HashSet<i64>,
) -> Vec<TaskView> {
    if paper.access.tasks == TaskAccess::None {
        return vec![];
    }
    let all = rows.into_iter().map(|row| view(viewer, row, held));
    if paper.access.tasks != TaskAccess::Workable {
        return all.collect();
    }
    all.filter(|task| {
        task.details_visible
            || (task.row.status == TaskStatus::Open.as_str() && paper.stage == Stage::Translation)
    })
    .collect()
}

/// A task in the viewer's scope; NOT_FOUND otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> ServiceResult<TaskView> {
    expire_leases(state).await?;
    let row = store_tasks::find_in_scope(&state.db, TaskScope::for_viewer(viewer), id)
        .await?
        .ok_or(DomainError::NotFound("translation task"))?;
    views(state, viewer, vec![row])
        .await?
        .pop()
        .ok_or_else(|| DomainError::NotFound("translation task").into())
}

/// A page of the tasks the viewer may see.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    filter: &TaskFilter,
    window: TaskWindow,
) -> ServiceResult<Vec<TaskView>> {
    expire_leases(state).await?;
    let scope = TaskScope::for_viewer(viewer);
    let rows = store_tasks::page(&state.db, scope, filter, window).await?;
    views(state, viewer, rows).await
}

/// How many tasks the viewer may see match, across all pages.
pub async fn count(state: &AppState, viewer: &Viewer, filter: &TaskFilter) -> ServiceResult<u64> {
    let scope = TaskScope::for_viewer(viewer);
    Ok(store_tasks::count(&state.db, scope, filter).await?)
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
    tx.commit().await?;
    state
        .events
        .publish(Event::task_changed(&row, None, TaskStatus::Open, now))
        .await;
    get(state, viewer, row.id).await
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

fn lease_until(state: &AppState, now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::from_std(state.settings.claim_lease).unwrap_or(Duration::hours(72))
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
    loaded.tx.commit().await?;
    state
        .events
        .publish(Event::task_changed(&loaded.task, Some(from), to, now))
        .await;
    tracing::info!(task = loaded.task.id, actor = loaded.actor_id, from = %from, to = %to, "task changed");
    let row = store_tasks::find(&state.db, loaded.task.id)
        .await?
        .ok_or(DomainError::NotFound("translation task"))?;
    views(state, viewer, vec![row])
        .await?
        .pop()
        .ok_or_else(|| DomainError::NotFound("translation task").into())
}

/// A translator claims an open task. Of many simultaneous claims exactly one
/// wins; the others get ALREADY_CLAIMED.
pub async fn claim(state: &AppState, viewer: &Viewer, task_id: i64) -> ServiceResult<TaskView> {
    retrying(|| claim_once(state, viewer, task_id)).await
}

async fn claim_once(state: &AppState, viewer: &Viewer, task_id: i64) -> ServiceResult<TaskView> {
    let loaded = load(state, viewer, task_id, TaskAction::Claim).await?;
    let to = task::check_task_action(
        TaskAction::Claim,
        loaded.standing,
        loaded.status,
        loaded.paper.stage,
        None,
    )?;
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

fn already_claimed() -> ServiceError {
    DomainError::AlreadyClaimed("another translator claimed this task first".into()).into()
}

/// Whether a task out of the viewer's reach is one a translator just lost to
/// another: it is claimed or handed in by someone else and its paper is in
/// TRANSLATION, so it was open work moments ago. Once claimed it leaves the
/// translator's scope, but losing the race is ALREADY_CLAIMED (the task
/// table), not NOT_FOUND. Nothing of the paper is revealed.
async fn taken_by_another(
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
    let to = task::check_task_action(
        TaskAction::Release,
        loaded.standing,
        loaded.status,
        loaded.paper.stage,
        None,
    )?;
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
    let to = task::check_task_action(
        TaskAction::Submit,
        loaded.standing,
        loaded.status,
        loaded.paper.stage,
        None,
    )?;
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
    let to = task::check_task_action(
        TaskAction::Accept,
        loaded.standing,
        loaded.status,
        loaded.paper.stage,
        None,
    )?;
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
    let to = task::check_task_action(
        TaskAction::Reject,
        loaded.standing,
        loaded.status,
        loaded.paper.stage,
        note.as_deref(),
    )?;
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
    task::check_task_action(
        TaskAction::Cancel,
        loaded.standing,
        loaded.status,
        loaded.paper.stage,
        None,
    )?;
    let now = state.clock.now();
    let (task, status, actor_id) = (loaded.task.clone(), loaded.status, loaded.actor_id);
    let cancelled = cancel_in(&loaded.tx, &task, status, actor_id, note, now).await?;
    loaded.tx.commit().await?;
    state.events.publish(cancelled).await;
    get(state, viewer, task_id).await
}

/// Cancels a pending task inside a larger transaction (a paper moved to
/// DRAFT or ARCHIVED), with its log entry; answers the live event to publish
/// once the transaction commits.
pub(crate) async fn cancel_in(
    tx: &DatabaseTransaction,
    task: &TaskRow,
    status: TaskStatus,
    actor_id: i64,
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
        Some(actor_id),
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

/// The task's log, for those who see its details.
pub fn visible_events(
    task: &TaskView,
    events: Vec<store_tasks::TaskEventRow>,
) -> Vec<store_tasks::TaskEventRow> {
    if task.details_visible { events } else { vec![] }
}

/// A task's note as sent: blank is none.
fn parse_note(note: Option<String>) -> Result<Option<String>, DomainError> {
    Ok(TextField::NOTE.optional(note.as_deref())?.map(String::from))
}

fn conflict() -> super::ServiceError {
    DomainError::Conflict("the task changed meanwhile: reload and try again".into()).into()
}

/// Runs [`expire_leases`] every `every`, for as long as the process runs.
pub fn spawn_lease_sweeper(state: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(err) = expire_leases(&state).await {
                tracing::warn!(error = %err, "expiring leases failed");
            }
        }
    });
}
