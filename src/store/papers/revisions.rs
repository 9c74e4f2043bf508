//! A paper's revisions: every version readers were shown, with its texts
//! as they were then. Written once, never changed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::domain::publishing::RevisionKind;
use crate::store::StoreError;
use crate::store::entity::{paper_revision, paper_revision_text};

pub use paper_revision::Model as RevisionRow;
pub use paper_revision_text::Model as RevisionTextRow;

/// One revision to record: who made it public, why, and when.
#[derive(Debug, Clone)]
pub struct NewRevision {
    pub paper_id: i64,
    pub kind: RevisionKind,
    pub editor_id: Option<i64>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// Records the paper's texts as they are now as its next revision.
pub async fn record_revision(
    db: &impl ConnectionTrait,
    new: NewRevision,
) -> Result<RevisionRow, StoreError> {
    let texts = super::texts_of(db, &[new.paper_id]).await?;
    let last: Option<Option<i32>> = paper_revision::Entity::find()
        .select_only()
        .column_as(paper_revision::Column::Number.max(), "last")
        .filter(paper_revision::Column::PaperId.eq(new.paper_id))
        .into_tuple()
        .one(db)
        .await?;
    let number = last.flatten().unwrap_or(0) + 1;
    let revision = paper_revision::ActiveModel {
        paper_id: Set(new.paper_id),
        number: Set(number),
        kind: Set(new.kind.as_str().to_owned()),
        editor_id: Set(new.editor_id),
        note: Set(new.note),
        created_at: Set(new.at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let rows = texts.iter().map(|text| paper_revision_text::ActiveModel {
        revision_id: Set(revision.id),
        language: Set(text.language.clone()),
        kind: Set(text.kind.clone()),
        title: Set(text.title.clone()),
        r#abstract: Set(text.r#abstract.clone()),
        key_findings: Set(text.key_findings.clone()),
        body: Set(text.body.clone()),
        ..Default::default()
    });
    paper_revision_text::Entity::insert_many(rows)
        .exec(db)
        .await?;
    Ok(revision)
}

/// One revision with its texts.
#[derive(Debug, Clone)]
pub struct Revision {
    pub row: RevisionRow,
    /// In the order they were recorded.
    pub texts: Vec<RevisionTextRow>,
}

/// The revisions of many papers with their texts, each paper's oldest
/// first: two statements however many there are.
pub async fn revisions_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<Revision>, StoreError> {
    let rows = paper_revision::Entity::find()
        .filter(paper_revision::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(paper_revision::Column::PaperId)
        .order_by_asc(paper_revision::Column::Number)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut texts: HashMap<i64, Vec<RevisionTextRow>> = HashMap::new();
    for text in paper_revision_text::Entity::find()
        .filter(paper_revision_text::Column::RevisionId.is_in(ids))
        .order_by_asc(paper_revision_text::Column::Id)
        .all(db)
        .await?
    {
        texts.entry(text.revision_id).or_default().push(text);
    }
    Ok(rows
        .into_iter()
        .map(|row| Revision {
            texts: texts.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}
