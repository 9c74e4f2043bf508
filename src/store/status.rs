//! Counts and histories for publication status. Each function is one
//! aggregate query; `series_id` narrows it to one series.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use super::StoreError;
use super::entity::{paper, paper_stage_count, review, stage_event, translation_task};
use crate::domain::{ReviewStatus, Stage, TaskStatus};

fn papers_of(series_id: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(paper::Column::Id)
        .from(paper::Entity)
        .and_where(paper::Column::SeriesId.eq(series_id))
        .to_owned()
}

/// (series id, stage, papers) for every pair that has papers, from the
/// counts kept beside every stage change.
pub async fn papers_by_series_and_stage(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
) -> Result<Vec<(Option<i64>, String, i64)>, StoreError> {
    let mut query =
        paper_stage_count::Entity::find().filter(paper_stage_count::Column::Papers.gt(0));
    if let Some(series_id) = series_id {
        query = query.filter(paper_stage_count::Column::SeriesKey.eq(series_id));
    }
    let rows = query.all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                (row.series_key != 0).then_some(row.series_key),
                row.stage,
                row.papers,
            )
        })
        .collect())
}

/// Adds `delta` to the papers of a series in a stage. Called in the same
/// transaction as the change it counts.
pub async fn count_stage(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
    stage: Stage,
    delta: i64,
) -> Result<(), StoreError> {
    use paper_stage_count::Column as C;
    let row = paper_stage_count::ActiveModel {
        series_key: Set(series_id.unwrap_or(0)),
        stage: Set(stage.as_str().to_owned()),
        papers: Set(delta),
    };
    paper_stage_count::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::SeriesKey, C::Stage])
                .value(
                    C::Papers,
                    Expr::col((paper_stage_count::Entity, C::Papers)).add(delta),
                )
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Moves one paper's count from one series and stage to another (a stage
/// change, or a paper changing series). The two rows are updated in key
/// order whatever the direction, so two opposite moves lock them in the
/// same order instead of deadlocking each other.
pub async fn move_count(
    db: &impl ConnectionTrait,
    from: (Option<i64>, Stage),
    to: (Option<i64>, Stage),
) -> Result<(), StoreError> {
    let key = |(series_id, stage): (Option<i64>, Stage)| (series_id.unwrap_or(0), stage.as_str());
    let mut changes = [(from, -1), (to, 1)];
    changes.sort_by_key(|(place, _)| key(*place));
    for ((series_id, stage), delta) in changes {
        count_stage(db, series_id, stage, delta).await?;
    }
    Ok(())
}

/// Recomputes every count from the papers themselves (after a bulk load
/// that bypassed the services).
pub async fn recount_stages(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    paper_stage_count::Entity::delete_many().exec(db).await?;
    db.execute_unprepared(
        "INSERT INTO paper_stage_counts (series_key, stage, papers) \
         SELECT COALESCE(series_id, 0), stage, COUNT(*) FROM papers \
         GROUP BY COALESCE(series_id, 0), stage",
    )
    .await?;
    Ok(())
}

fn tasks_in(series_id: Option<i64>) -> Select<translation_task::Entity> {
    let query = translation_task::Entity::find();
    match series_id {
        Some(series_id) => {
            query.filter(translation_task::Column::PaperId.in_subquery(papers_of(series_id)))
        }
        None => query,
    }
}

/// (status, target language, tasks).
pub async fn tasks_by_status_and_language(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    Ok(tasks_in(series_id)
        .select_only()
        .column(translation_task::Column::Status)
        .column(translation_task::Column::TargetLanguage)
        .column_as(translation_task::Column::Id.count(), "tasks")
        .group_by(translation_task::Column::Status)
        .group_by(translation_task::Column::TargetLanguage)
        .into_tuple()
        .all(db)
        .await?)
}

/// Tasks past their due date and not finished.
pub async fn overdue_tasks(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let count: Option<i64> = tasks_in(series_id)
        .select_only()
        .column_as(translation_task::Column::Id.count(), "tasks")
        .filter(translation_task::Column::DueAt.lt(now))
        .filter(translation_task::Column::Status.is_not_in([
            TaskStatus::Accepted.as_str(),
            TaskStatus::Cancelled.as_str(),
        ]))
        .into_tuple()
        .one(db)
        .await?;
    Ok(count.unwrap_or_default())
}

/// (reviews still requested, of which past their due date).
pub async fn requested_reviews(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(i64, i64), StoreError> {
    let mut query = review::Entity::find()
        .select_only()
        .column_as(review::Column::Id.count(), "requested")
        .column_as(
            Expr::from(Func::sum(
                Expr::case(review::Column::DueAt.lt(now), 1).finally(0),
            )),
            "overdue",
        )
        .filter(review::Column::Status.eq(ReviewStatus::Requested.as_str()));
    if let Some(series_id) = series_id {
        query = query.filter(review::Column::PaperId.in_subquery(papers_of(series_id)));
    }
    let counts: Option<(i64, Option<i64>)> = query.into_tuple().one(db).await?;
    Ok(counts
        .map(|(requested, overdue)| (requested, overdue.unwrap_or_default()))
        .unwrap_or_default())
}

/// Publication dates inside the window.
pub async fn publication_dates(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let mut query = paper::Entity::find()
        .select_only()
        .column(paper::Column::PublishedAt)
        .filter(paper::Column::PublishedAt.is_not_null());
    if let Some(series_id) = series_id {
        query = query.filter(paper::Column::SeriesId.eq(series_id));
    }
    if let Some(from) = from {
        query = query.filter(paper::Column::PublishedAt.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(paper::Column::PublishedAt.lt(to));
    }
    let dates: Vec<Option<DateTime<Utc>>> = query.into_tuple().all(db).await?;
    Ok(dates.into_iter().flatten().collect())
}

/// Every time a paper entered a stage (paper id, stage entered, time),
/// paper by paper in the order they happened: its creation and its moves,
/// not the history rows that leave it where it is (a changed publication
/// date, an import's update).
pub async fn stage_history(
    db: &impl ConnectionTrait,
    series_id: Option<i64>,
) -> Result<Vec<(i64, String, DateTime<Utc>)>, StoreError> {
    use stage_event::Column as C;
    let entered = Condition::any()
        .add(C::FromStage.is_null())
        .add(Expr::col(C::FromStage).ne(Expr::col(C::ToStage)));
    let mut query = stage_event::Entity::find()
        .select_only()
        .column(C::PaperId)
        .column(C::ToStage)
        .column(C::CreatedAt)
        .filter(entered)
        .order_by_asc(C::PaperId)
        .order_by_asc(C::Id);
    if let Some(series_id) = series_id {
        query = query.filter(stage_event::Column::PaperId.in_subquery(papers_of(series_id)));
    }
    Ok(query.into_tuple().all(db).await?)
}
