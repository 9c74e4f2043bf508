//! A paper's history: stage changes, imports and changes of its
//! publication details.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::StageEventRow;
use crate::domain::Stage;
use crate::domain::catalogue::HistoryKind;
use crate::store::StoreError;
use crate::store::entity::stage_event;

/// One row of a paper's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub paper_id: i64,
    pub kind: HistoryKind,
    /// None for the paper's creation.
    pub from: Option<Stage>,
    /// The stage the paper is in after it.
    pub to: Stage,
    /// None when the system acted.
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

fn history_row(entry: HistoryEntry) -> stage_event::ActiveModel {
    stage_event::ActiveModel {
        paper_id: Set(entry.paper_id),
        from_stage: Set(entry.from.map(|s| s.as_str().to_owned())),
        to_stage: Set(entry.to.as_str().to_owned()),
        kind: Set(entry.kind.as_str().to_owned()),
        actor_id: Set(entry.actor_id),
        note: Set(entry.note),
        created_at: Set(entry.at),
        ..Default::default()
    }
}

pub async fn insert_history(
    db: &impl ConnectionTrait,
    entry: HistoryEntry,
) -> Result<(), StoreError> {
    history_row(entry).insert(db).await?;
    Ok(())
}

/// A stage change (or, `from` None, the creation) in the history.
pub async fn insert_stage_event(
    db: &impl ConnectionTrait,
    paper_id: i64,
    from: Option<Stage>,
    to: Stage,
    actor_id: Option<i64>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let entry = HistoryEntry {
        paper_id,
        kind: HistoryKind::Moved,
        from,
        to,
        actor_id,
        note,
        at: now,
    };
    insert_history(db, entry).await
}

pub async fn stage_events_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<StageEventRow>, StoreError> {
    Ok(stage_event::Entity::find()
        .filter(stage_event::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(stage_event::Column::Id)
        .all(db)
        .await?)
}

/// Who last put the paper into `stage` (by a move or, for SCHEDULED, a
/// rescheduling): the latest history row into it with a person as actor.
pub async fn last_actor_into(
    db: &impl ConnectionTrait,
    paper_id: i64,
    stage: Stage,
) -> Result<Option<i64>, StoreError> {
    let row = stage_event::Entity::find()
        .filter(stage_event::Column::PaperId.eq(paper_id))
        .filter(stage_event::Column::ToStage.eq(stage.as_str()))
        .filter(stage_event::Column::ActorId.is_not_null())
        .order_by_desc(stage_event::Column::Id)
        .one(db)
        .await?;
    Ok(row.and_then(|row| row.actor_id))
}
