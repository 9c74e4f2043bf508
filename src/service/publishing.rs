//! Publishing: releasing SCHEDULED papers when their `publishAt` comes,
//! rescheduling them, and correcting published papers with every version
//! kept. The rules are in [`crate::domain::publishing`] and the stage
//! table.

use chrono::{DateTime, Utc};

use super::papers::{self as paper_service, CheckedMove, PaperView};
use super::{ServiceResult, retrying};
use crate::app::AppState;
use crate::domain::catalogue::{HistoryKind, PublicationDetails};
use crate::domain::publishing::{RevisionKind, check_correction, check_reschedule};
use crate::domain::{
    DomainError, Language, Stage, TextEdit, TextField, TextKind, Viewer, workflow,
};
use crate::store;
use crate::store::papers::{self, HistoryEntry, NewRevision, PaperChange, PaperKey, TextWrite};

/// Papers released by one transaction at most; the next tick takes the rest.
const RELEASE_BATCH: u64 = 50;

/// Publishes every SCHEDULED paper whose `publishAt` has come and whose
/// guards still hold, each exactly once however many servers sweep at the
/// same time (the rows are claimed with `FOR UPDATE SKIP LOCKED` and moved
/// by compare-and-set). A paper whose guards no longer hold stays
/// SCHEDULED, with the reason shown to editors. Answers how many were
/// published.
pub async fn release_due(state: &AppState) -> ServiceResult<u64> {
    retrying(|| release_due_once(state)).await
}

async fn release_due_once(state: &AppState) -> ServiceResult<u64> {
    let now = state.clock.now();
    // A look without the write lock first: most ticks find nothing due.
    if papers::due_for_release(&state.db, now, 1).await?.is_empty() {
        return Ok(0);
    }
    let tx = store::begin_write(&state.db).await?;
    let mut events = Vec::new();
    let mut released = 0;
    for paper in papers::due_for_release(&tx, now, RELEASE_BATCH).await? {
        let facts = paper_service::facts(&tx, &paper, Stage::Scheduled).await?;
        match workflow::check_release(&facts) {
            Ok(effects) => {
                let scheduled_for = paper.publish_at.unwrap_or(now);
                let scheduled_by = papers::last_actor_into(&tx, paper.id, Stage::Scheduled).await?;
                let checked = CheckedMove {
                    paper: &paper,
                    from: Stage::Scheduled,
                    to: Stage::Published,
                    effects,
                    actor_id: None,
                    publisher: scheduled_by,
                    note: Some(format!(
                        "published as scheduled for {}",
                        scheduled_for.to_rfc3339()
                    )),
                    details: PublicationDetails {
                        publish_at: Some(scheduled_for),
                        ..PublicationDetails::default()
                    },
                };
                events.extend(paper_service::apply_move(&tx, checked, now).await?);
                released += 1;
                tracing::info!(paper = paper.id, "scheduled paper published");
            }
            Err(unmet) => {
                let reason = unmet.join("; ");
                if paper.release_held_back.as_deref() != Some(reason.as_str()) {
                    tracing::warn!(paper = paper.id, %reason, "scheduled release held back");
                    papers::set_release_held_back(&tx, paper.id, Some(reason)).await?;
                }
            }
        }
    }
    state.events.commit(tx, events).await?;
    Ok(released)
}

/// Runs [`release_due`] now and then every `every`, for as long as the
/// process runs: a server that was down at a paper's `publishAt` publishes
/// it as soon as it starts.
pub fn spawn_release_sweeper(state: AppState, every: std::time::Duration) {
    super::spawn_every(
        state,
        every,
        "releasing scheduled papers",
        |state| async move { release_due(&state).await },
    );
}

/// Moves a SCHEDULED paper's `publishAt`: editors, to a future time, with a
/// note that goes into its history. CONFLICT when `expected_version` is
/// stale.
pub async fn reschedule(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    publish_at: DateTime<Utc>,
    note: Option<String>,
) -> ServiceResult<PaperView> {
    retrying(|| {
        reschedule_once(
            state,
            viewer,
            id,
            expected_version,
            publish_at,
            note.clone(),
        )
    })
    .await
}

async fn reschedule_once(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    publish_at: DateTime<Utc>,
    note: Option<String>,
) -> ServiceResult<PaperView> {
    let actor = viewer.require_user()?;
    let note = TextField::NOTE.optional(note.as_deref())?.map(String::from);
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    let paper = paper_service::load_for_change(&tx, viewer, id).await?;
    check_reschedule(
        paper.access.is_editor,
        paper.stage,
        publish_at,
        note.as_deref(),
        now,
    )?;
    paper_service::check_version(&paper.row, expected_version)?;
    let change = PaperChange {
        publish_at: Some(Some(publish_at)),
        ..PaperChange::default()
    };
    let entry = HistoryEntry {
        paper_id: id,
        kind: HistoryKind::Rescheduled,
        from: Some(Stage::Scheduled),
        to: Stage::Scheduled,
        actor_id: Some(actor.id),
        note,
        at: now,
    };
    let rescheduled = paper_service::change_with_history(&tx, &paper.row, change, entry).await?;
    state.events.commit(tx, vec![rescheduled]).await?;
    tracing::info!(paper = id, actor = actor.id, %publish_at, "publication rescheduled");
    paper_service::get(state, viewer, &PaperKey::Id(id)).await
}

/// A correction of one text: absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    /// The text's language; the original's when absent.
    pub language: Option<String>,
    pub text: TextEdit,
}

/// Corrects one text of a PUBLISHED paper without unpublishing it: editors,
/// with a public note. One transaction: the text changes (a corrected
/// original makes translations made from it stale), the paper records the
/// correction (its page and announcement say "Corrected on …"), a new
/// revision keeps the corrected texts beside the earlier ones, and the
/// history says who did it. CONFLICT when `expected_version` is stale.
pub async fn correct(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    correction: Correction,
    note: Option<String>,
) -> ServiceResult<PaperView> {
    retrying(|| {
        correct_once(
            state,
            viewer,
            id,
            expected_version,
            correction.clone(),
            note.clone(),
        )
    })
    .await
}

async fn correct_once(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    correction: Correction,
    note: Option<String>,
) -> ServiceResult<PaperView> {
    let actor = viewer.require_user()?;
    let note = TextField::NOTE.optional(note.as_deref())?.map(String::from);
    let language = correction
        .language
        .as_deref()
        .map(|tag| Language::parse_input("language", tag))
        .transpose()?;
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    let paper = paper_service::load_for_change(&tx, viewer, id).await?;
    check_correction(paper.access.is_editor, paper.stage, note.as_deref())?;
    let texts = papers::texts_of(&tx, &[id]).await?;
    let text = match &language {
        Some(language) => texts.iter().find(|t| t.language == language.as_str()),
        None => texts.iter().find(|t| t.kind == TextKind::Original.as_str()),
    }
    .ok_or_else(|| {
        DomainError::invalid(
            "language",
            format_args!(
                "the paper has no text in {}",
                language
                    .as_ref()
                    .map_or("its original language", |l| l.as_str())
            ),
        )
    })?;
    let current = papers::content_of(text)?;
    let corrected = current.edited(&correction.text)?;
    paper_service::check_version(&paper.row, expected_version)?;
    if corrected == current {
        return Err(DomainError::bad_input("the correction changes nothing in the text").into());
    }
    let kind: TextKind = text.kind.parse()?;
    let language_tag = text.language.clone();
    let write = TextWrite {
        paper_id: id,
        language: &text.language,
        kind,
        content: &corrected,
        source_revision: text.source_revision,
        translated_by: text.translated_by,
    };
    papers::put_text(&tx, write, now).await?;
    let note = note.unwrap_or_default();
    let change = PaperChange {
        correction: Some((now, note.clone())),
        ..PaperChange::default()
    };
    let entry = HistoryEntry {
        paper_id: id,
        kind: HistoryKind::Corrected,
        from: Some(Stage::Published),
        to: Stage::Published,
        actor_id: Some(actor.id),
        note: Some(note.clone()),
        at: now,
    };
    let corrected = paper_service::change_with_history(&tx, &paper.row, change, entry).await?;
    let revision = NewRevision {
        paper_id: id,
        kind: RevisionKind::Corrected,
        editor_id: Some(actor.id),
        note: Some(note),
        at: now,
    };
    papers::record_revision(&tx, revision).await?;
    state.events.commit(tx, vec![corrected]).await?;
    tracing::info!(paper = id, actor = actor.id, %language_tag, "published paper corrected");
    paper_service::get(state, viewer, &PaperKey::Id(id)).await
}
