//! Scheduled publishing: releasing SCHEDULED papers when their `publishAt`
//! comes, and rescheduling them. The rules are in
//! [`crate::domain::publishing`] and the stage table.

use chrono::{DateTime, Utc};

use super::papers::{self as paper_service, CheckedMove, PaperView};
use super::{ServiceResult, retrying};
use crate::app::AppState;
use crate::domain::catalogue::{HistoryKind, PublicationDetails};
use crate::domain::publishing::check_reschedule;
use crate::domain::{Stage, TextField, Viewer, workflow};
use crate::store::papers::{self, HistoryEntry, PaperChange, PaperKey};
use crate::store::{self};

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
                let checked = CheckedMove {
                    paper: &paper,
                    from: Stage::Scheduled,
                    to: Stage::Published,
                    effects,
                    actor_id: None,
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
    tx.commit().await?;
    state.events.publish_all(events).await;
    Ok(released)
}

/// Runs [`release_due`] now and then every `every`, for as long as the
/// process runs: a server that was down at a paper's `publishAt` publishes
/// it as soon as it starts.
pub fn spawn_release_sweeper(state: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(err) = release_due(&state).await {
                tracing::warn!(error = %err, "releasing scheduled papers failed");
            }
        }
    });
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
    paper_service::change_if_version(
        &tx,
        id,
        expected_version,
        change,
        now,
        paper_service::EDITED_MEANWHILE,
    )
    .await?;
    let entry = HistoryEntry {
        paper_id: id,
        kind: HistoryKind::Rescheduled,
        from: Some(Stage::Scheduled),
        to: Stage::Scheduled,
        actor_id: Some(actor.id),
        note,
        at: now,
    };
    papers::insert_history(&tx, entry).await?;
    tx.commit().await?;
    tracing::info!(paper = id, actor = actor.id, %publish_at, "publication rescheduled");
    paper_service::get(state, viewer, &PaperKey::Id(id)).await
}
