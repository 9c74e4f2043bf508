//! The visibility scope turned into a query condition, so a paper the
//! viewer may not see is never loaded; and how a user relates to papers.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, Select,
};

use super::{PaperKey, PaperRow};
use crate::domain::policy::{PaperRelation, PaperScope};
use crate::domain::{Stage, TaskStatus};
use crate::store::StoreError;
use crate::store::entity::{contributor, paper, review, task_event, translation_task};

/// The condition that keeps a query to the papers in `scope`.
pub fn visible(scope: PaperScope) -> Condition {
    let PaperScope::Related {
        user_id,
        as_author,
        as_translator,
        as_reviewer,
    } = scope
    else {
        return Condition::all();
    };
    let mut any = Condition::any().add(paper::Column::Stage.eq(Stage::Published.as_str()));
    let Some(user_id) = user_id else {
        return any;
    };
    if as_author {
        any = any
            .add(paper::Column::CreatedBy.eq(user_id))
            .add(crediting(user_id));
    }
    if as_translator {
        any = any
            .add(
                Condition::all()
                    .add(paper::Column::Stage.eq(Stage::Translation.as_str()))
                    .add(Expr::exists(open_task_of_paper())),
            )
            .add(
                Condition::all()
                    .add(not_embargoed())
                    .add(holds_or_held_task(user_id)),
            );
    }
    if as_reviewer {
        any = any.add(
            Condition::all().add(not_embargoed()).add(
                paper::Column::Id.in_subquery(
                    Query::select()
                        .column(review::Column::PaperId)
                        .from(review::Entity)
                        .and_where(review::Column::ReviewerId.eq(user_id))
                        .to_owned(),
                ),
            ),
        );
    }
    any
}

/// Papers whose stage is not under embargo ([`Stage::is_embargoed`]).
fn not_embargoed() -> Condition {
    let embargoed = Stage::ALL
        .into_iter()
        .filter(|stage| stage.is_embargoed())
        .map(Stage::as_str);
    Condition::all().add(paper::Column::Stage.is_not_in(embargoed))
}

/// Papers that credit the user as a contributor.
pub(super) fn crediting(user_id: i64) -> Expr {
    paper::Column::Id.in_subquery(
        Query::select()
            .column(contributor::Column::PaperId)
            .from(contributor::Entity)
            .and_where(contributor::Column::UserId.eq(user_id))
            .to_owned(),
    )
}

/// Whether the paper in the outer query has an open task. Correlated, so
/// that asking it of one paper probes that paper's tasks instead of reading
/// every open task.
fn open_task_of_paper() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(translation_task::Entity)
        .and_where(
            Expr::col((translation_task::Entity, translation_task::Column::PaperId))
                .equals((paper::Entity, paper::Column::Id)),
        )
        .and_where(translation_task::Column::Status.eq(TaskStatus::Open.as_str()))
        .to_owned()
}

/// Papers with a task the user holds now or claimed before: two lookups by
/// user, each served by an index (`claimed_by`, and the claim events by
/// actor), so the answer costs the user's own claims, not every task.
fn holds_or_held_task(user_id: i64) -> Condition {
    let holds_now = Query::select()
        .column(translation_task::Column::PaperId)
        .from(translation_task::Entity)
        .and_where(translation_task::Column::ClaimedBy.eq(user_id))
        .to_owned();
    let claimed_before = Query::select()
        .column((translation_task::Entity, translation_task::Column::PaperId))
        .from(task_event::Entity)
        .inner_join(
            translation_task::Entity,
            Expr::col((translation_task::Entity, translation_task::Column::Id))
                .equals((task_event::Entity, task_event::Column::TaskId)),
        )
        .and_where(task_event::Column::ActorId.eq(user_id))
        .and_where(task_event::Column::ToStatus.eq(TaskStatus::Claimed.as_str()))
        .to_owned();
    Condition::any()
        .add(paper::Column::Id.in_subquery(holds_now))
        .add(paper::Column::Id.in_subquery(claimed_before))
}

fn by_key(key: &PaperKey) -> Select<paper::Entity> {
    match key {
        PaperKey::Id(id) => paper::Entity::find_by_id(*id),
        PaperKey::Slug(slug) => paper::Entity::find().filter(paper::Column::Slug.eq(slug.as_str())),
    }
}

/// The paper, if it exists and is in scope.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    scope: PaperScope,
    key: &PaperKey,
) -> Result<Option<PaperRow>, StoreError> {
    Ok(by_key(key).filter(visible(scope)).one(db).await?)
}

/// The paper for a change: on PostgreSQL its row is locked until the
/// transaction ends, so moves and task changes of one paper happen one at a
/// time and every guard reads settled facts. (SQLite's `BEGIN IMMEDIATE`
/// already serialises writers.)
pub async fn find_visible_for_update(
    db: &impl ConnectionTrait,
    scope: PaperScope,
    key: &PaperKey,
) -> Result<Option<PaperRow>, StoreError> {
    let mut query = by_key(key).filter(visible(scope));
    if db.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.one(db).await?)
}

/// Locks the row of a task's paper until the transaction ends, whoever may
/// see it, so that what is read next about the paper and its tasks is
/// settled: a change of the paper made meanwhile has either committed or
/// waits for this one. Answers the paper's id; `None` when there is no such
/// task. Locks on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises
/// writers.
pub async fn lock_of_task(
    db: &impl ConnectionTrait,
    task_id: i64,
) -> Result<Option<i64>, StoreError> {
    let paper_of_task = translation_task::Entity::find_by_id(task_id)
        .select_only()
        .column(translation_task::Column::PaperId)
        .into_query();
    let mut query = paper::Entity::find()
        .select_only()
        .column(paper::Column::Id)
        .filter(paper::Column::Id.in_subquery(paper_of_task));
    if db.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.into_tuple::<i64>().one(db).await?)
}

/// How a user relates to each of some papers (missing: no relation).
pub async fn relations(
    db: &impl ConnectionTrait,
    user_id: i64,
    papers: &[&PaperRow],
) -> Result<HashMap<i64, PaperRelation>, StoreError> {
    let ids: Vec<i64> = papers.iter().map(|paper| paper.id).collect();
    let mut relations: HashMap<i64, PaperRelation> = HashMap::new();
    for paper in papers {
        if paper.created_by == user_id {
            relations.entry(paper.id).or_default().created_it = true;
        }
    }
    let linked: Vec<i64> = contributor::Entity::find()
        .select_only()
        .column(contributor::Column::PaperId)
        .filter(contributor::Column::PaperId.is_in(ids.clone()))
        .filter(contributor::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    for id in linked {
        relations.entry(id).or_default().is_linked_contributor = true;
    }
    let held: Vec<i64> = paper::Entity::find()
        .select_only()
        .column(paper::Column::Id)
        .filter(paper::Column::Id.is_in(ids.clone()))
        .filter(holds_or_held_task(user_id))
        .into_tuple()
        .all(db)
        .await?;
    for id in held {
        relations.entry(id).or_default().holds_or_held_task = true;
    }
    let open: Vec<i64> = translation_task::Entity::find()
        .select_only()
        .column(translation_task::Column::PaperId)
        .filter(translation_task::Column::PaperId.is_in(ids.clone()))
        .filter(translation_task::Column::Status.eq(TaskStatus::Open.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    for id in open {
        relations.entry(id).or_default().has_open_task = true;
    }
    let reviewed: Vec<i64> = review::Entity::find()
        .select_only()
        .column(review::Column::PaperId)
        .filter(review::Column::PaperId.is_in(ids))
        .filter(review::Column::ReviewerId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    for id in reviewed {
        relations.entry(id).or_default().review_requested = true;
    }
    Ok(relations)
}

/// The papers with these ids that are in scope.
pub async fn visible_by_ids(
    db: &impl ConnectionTrait,
    scope: PaperScope,
    ids: &[i64],
) -> Result<Vec<PaperRow>, StoreError> {
    Ok(paper::Entity::find()
        .filter(paper::Column::Id.is_in(ids.to_vec()))
        .filter(visible(scope))
        .all(db)
        .await?)
}
