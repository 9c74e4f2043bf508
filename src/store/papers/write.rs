//! A paper's own row: created, changed under its version, found by key.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::PaperRow;
use crate::domain::Stage;
use crate::domain::catalogue::{Dateline, PublishedAtChange};
use crate::store::StoreError;
use crate::store::entity::paper;

pub async fn slug_taken(db: &impl ConnectionTrait, slug: &str) -> Result<bool, StoreError> {
    Ok(paper::Entity::find()
        .filter(paper::Column::Slug.eq(slug))
        .count(db)
        .await?
        > 0)
}

/// The columns of a new paper.
#[derive(Debug, Clone)]
pub struct NewPaperRow {
    pub slug: String,
    pub title: String,
    pub series_id: Option<i64>,
    pub original_language: String,
    pub original_url: Option<String>,
    pub created_by: i64,
    /// DRAFT for a paper made in Imprint; an import's own for one imported.
    pub stage: Stage,
    pub published_at: Option<DateTime<Utc>>,
    pub external_key: Option<String>,
    pub dateline: Dateline,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewPaperRow,
    now: DateTime<Utc>,
) -> Result<PaperRow, StoreError> {
    let row = paper::ActiveModel {
        slug: Set(new.slug),
        title: Set(new.title),
        series_id: Set(new.series_id),
        original_language: Set(new.original_language),
        stage: Set(new.stage.as_str().to_owned()),
        version: Set(1),
        review_round: Set(0),
        original_url: Set(new.original_url),
        created_by: Set(new.created_by),
        published_at: Set(new.published_at),
        external_key: Set(new.external_key),
        dateline_place: Set(new.dateline.place),
        dateline_date: Set(new.dateline.date),
        dateline_issuer: Set(new.dateline.issuer),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Changes to a paper's own columns, applied only if its version is still
/// `expected_version` (compare-and-set); answers whether it was.
#[derive(Debug, Clone, Default)]
pub struct PaperChange {
    pub stage: Option<Stage>,
    pub start_review_round: bool,
    pub published_at: Option<PublishedAtChange>,
    pub series_id: Option<Option<i64>>,
    pub original_url: Option<Option<String>>,
    pub slug: Option<String>,
    pub dateline: Option<Dateline>,
    /// Sets (or, `Some(None)`, clears) when a SCHEDULED paper is to be
    /// published; either way forgets why an earlier release was held back.
    pub publish_at: Option<Option<DateTime<Utc>>>,
    /// A correction after publication: when, and the public note.
    pub correction: Option<(DateTime<Utc>, String)>,
}

pub async fn update_if_version(
    db: &impl ConnectionTrait,
    id: i64,
    expected_version: i32,
    change: PaperChange,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut update = paper::Entity::update_many()
        .col_expr(
            paper::Column::Version,
            Expr::col(paper::Column::Version).add(1),
        )
        .col_expr(paper::Column::UpdatedAt, Expr::value(now));
    if let Some(stage) = change.stage {
        update = update.col_expr(paper::Column::Stage, Expr::value(stage.as_str()));
    }
    if change.start_review_round {
        update = update.col_expr(
            paper::Column::ReviewRound,
            Expr::col(paper::Column::ReviewRound).add(1),
        );
    }
    match change.published_at {
        Some(PublishedAtChange::IfUnset(at)) => {
            update = update.col_expr(
                paper::Column::PublishedAt,
                Expr::col(paper::Column::PublishedAt).if_null(at),
            );
        }
        Some(PublishedAtChange::To(at)) => {
            update = update.col_expr(paper::Column::PublishedAt, Expr::value(at));
        }
        None => {}
    }
    if let Some(dateline) = change.dateline {
        update = update
            .col_expr(paper::Column::DatelinePlace, Expr::value(dateline.place))
            .col_expr(paper::Column::DatelineDate, Expr::value(dateline.date))
            .col_expr(paper::Column::DatelineIssuer, Expr::value(dateline.issuer));
    }
    if let Some(series_id) = change.series_id {
        update = update.col_expr(paper::Column::SeriesId, Expr::value(series_id));
    }
    if let Some(original_url) = change.original_url {
        update = update.col_expr(paper::Column::OriginalUrl, Expr::value(original_url));
    }
    if let Some(slug) = change.slug {
        update = update.col_expr(paper::Column::Slug, Expr::value(slug));
    }
    if let Some(publish_at) = change.publish_at {
        update = update
            .col_expr(paper::Column::PublishAt, Expr::value(publish_at))
            .col_expr(
                paper::Column::ReleaseHeldBack,
                Expr::value(Option::<String>::None),
            );
    }
    if let Some((at, note)) = change.correction {
        update = update
            .col_expr(paper::Column::CorrectedAt, Expr::value(at))
            .col_expr(paper::Column::CorrectionNote, Expr::value(note));
    }
    let result = update
        .filter(paper::Column::Id.eq(id))
        .filter(paper::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<PaperRow>, StoreError> {
    Ok(paper::Entity::find_by_id(id).one(db).await?)
}

/// Papers by their keys in the publisher's catalogue.
pub async fn by_external_keys(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<Vec<PaperRow>, StoreError> {
    Ok(paper::Entity::find()
        .filter(paper::Column::ExternalKey.is_in(keys.to_vec()))
        .all(db)
        .await?)
}

/// SCHEDULED papers whose `publish_at` has come, at most `limit`: soonest
/// first, those held back before last, so that a batch full of papers
/// still held back cannot keep the others waiting. On PostgreSQL each row
/// is locked until the transaction ends and rows another server has locked
/// are skipped, so servers sharing the database release different papers;
/// SQLite's `BEGIN IMMEDIATE` already lets one writer in at a time.
pub async fn due_for_release(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<PaperRow>, StoreError> {
    let mut query = paper::Entity::find()
        .filter(paper::Column::Stage.eq(Stage::Scheduled.as_str()))
        .filter(paper::Column::PublishAt.lte(now))
        .order_by_asc(Expr::col(paper::Column::ReleaseHeldBack).is_not_null())
        .order_by_asc(paper::Column::PublishAt)
        .order_by_asc(paper::Column::Id)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Ok(query.all(db).await?)
}

/// Records why a due paper's release was held back (or, `None`, that
/// nothing holds it back). Not a change of the paper: its version stays,
/// so an editor's edit in progress does not conflict with the sweeper.
pub async fn set_release_held_back(
    db: &impl ConnectionTrait,
    id: i64,
    reason: Option<String>,
) -> Result<(), StoreError> {
    paper::Entity::update_many()
        .col_expr(paper::Column::ReleaseHeldBack, Expr::value(reason))
        .filter(paper::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
