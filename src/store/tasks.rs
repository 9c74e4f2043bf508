//! Translation tasks and their event log.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    DerivePartialModel, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::StoreError;
use super::entity::{contributor, paper, task_event, translation_task, user};
use crate::domain::policy::TaskScope;
use crate::domain::{Stage, TaskKind, TaskStatus, TextContent};

pub use task_event::Model as TaskEventRow;
pub use translation_task::Model as TaskRow;

/// The columns of a new task.
#[derive(Debug, Clone)]
pub struct NewTaskRow {
    pub paper_id: i64,
    pub source_language: String,
    pub target_language: String,
    pub kind: TaskKind,
    pub due_at: Option<DateTime<Utc>>,
    pub created_by: i64,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewTaskRow,
    now: DateTime<Utc>,
) -> Result<TaskRow, StoreError> {
    let row = translation_task::ActiveModel {
        paper_id: Set(new.paper_id),
        source_language: Set(new.source_language),
        target_language: Set(new.target_language),
        kind: Set(new.kind.as_str().to_owned()),
        status: Set(TaskStatus::Open.as_str().to_owned()),
        due_at: Set(new.due_at),
        created_by: Set(new.created_by),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    insert_event(
        db,
        row.id,
        None,
        TaskStatus::Open,
        Some(new.created_by),
        None,
        now,
    )
    .await?;
    Ok(row)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<TaskRow>, StoreError> {
    Ok(translation_task::Entity::find_by_id(id).one(db).await?)
}

/// Claims the user holds right now. On PostgreSQL the user's row is locked
/// first, until the transaction ends, so that claims one translator makes on
/// different papers at once are counted one after the other and the limit
/// holds. (SQLite's `BEGIN IMMEDIATE` already serialises writers.)
pub async fn claims_held(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        user::Entity::find_by_id(user_id)
            .lock_exclusive()
            .one(db)
            .await?;
    }
    Ok(translation_task::Entity::find()
        .filter(translation_task::Column::ClaimedBy.eq(user_id))
        .filter(translation_task::Column::Status.eq(TaskStatus::Claimed.as_str()))
        .count(db)
        .await?)
}

/// A change of a task's status and of the columns that go with it.
#[derive(Debug, Clone)]
pub struct TaskChange {
    pub to: TaskStatus,
    /// `Some(None)` clears the claim.
    pub claim: Option<Option<Claim>>,
    pub submission: Option<Submission>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub claimed_by: i64,
    pub claimed_at: DateTime<Utc>,
    pub lease_expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub content: TextContent,
    pub source_revision: i32,
}

/// Applies `change` only if the task is still in status `from`, and, when
/// given, still claimed by `claimant` (compare-and-set). Answers whether it
/// was: of many simultaneous claims, exactly one sees `true`.
pub async fn transition(
    db: &impl ConnectionTrait,
    id: i64,
    from: TaskStatus,
    claimant: Option<i64>,
    change: TaskChange,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use translation_task::Column as C;
    let mut update = translation_task::Entity::update_many()
        .col_expr(C::Status, Expr::value(change.to.as_str()))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(claim) = change.claim {
        update = update
            .col_expr(
                C::ClaimedBy,
                Expr::value(claim.as_ref().map(|c| c.claimed_by)),
            )
            .col_expr(
                C::ClaimedAt,
                Expr::value(claim.as_ref().map(|c| c.claimed_at)),
            )
            .col_expr(
                C::LeaseExpiresAt,
                Expr::value(claim.as_ref().map(|c| c.lease_expires_at)),
            );
    }
    if let Some(submission) = change.submission {
        let findings = serde_json::Value::from(submission.content.key_findings.clone()).to_string();
        update = update
            .col_expr(C::SubmittedTitle, Expr::value(submission.content.title))
            .col_expr(
                C::SubmittedAbstract,
                Expr::value(submission.content.abstract_text),
            )
            .col_expr(C::SubmittedKeyFindings, Expr::value(findings))
            .col_expr(C::SubmittedBody, Expr::value(submission.content.body))
            .col_expr(C::SubmittedAt, Expr::value(now))
            .col_expr(C::SourceRevision, Expr::value(submission.source_revision));
    }
    if let Some(note) = change.note {
        update = update.col_expr(C::Note, Expr::value(note));
    }
    let mut update = update
        .filter(C::Id.eq(id))
        .filter(C::Status.eq(from.as_str()));
    if let Some(claimant) = claimant {
        update = update.filter(C::ClaimedBy.eq(claimant));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

pub async fn insert_event(
    db: &impl ConnectionTrait,
    task_id: i64,
    from: Option<TaskStatus>,
    to: TaskStatus,
    actor_id: Option<i64>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    task_event::ActiveModel {
        task_id: Set(task_id),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        actor_id: Set(actor_id),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Opens a claimed task again because its lease ran out; answers whether it
/// still was claimed with an expired lease.
pub async fn expire_claim(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use translation_task::Column as C;
    let result = translation_task::Entity::update_many()
        .col_expr(C::Status, Expr::value(TaskStatus::Open.as_str()))
        .col_expr(C::ClaimedBy, Expr::value(Option::<i64>::None))
        .col_expr(C::ClaimedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(
            C::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq(TaskStatus::Claimed.as_str()))
        .filter(C::LeaseExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Of these tasks, the ones the user claimed at some point.
pub async fn claimed_ever_by(
    db: &impl ConnectionTrait,
    user_id: i64,
    task_ids: &[i64],
) -> Result<std::collections::HashSet<i64>, StoreError> {
    if task_ids.is_empty() {
        return Ok(Default::default());
    }
    let ids: Vec<i64> = task_event::Entity::find()
        .select_only()
        .column(task_event::Column::TaskId)
        .filter(task_event::Column::TaskId.is_in(task_ids.to_vec()))
        .filter(task_event::Column::ActorId.eq(user_id))
        .filter(task_event::Column::ToStatus.eq(TaskStatus::Claimed.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The task, if it is in the viewer's scope.
pub async fn find_in_scope(
    db: &impl ConnectionTrait,
    scope: TaskScope,
    id: i64,
) -> Result<Option<TaskRow>, StoreError> {
    match scoped(scope) {
        Some(query) => Ok(query
            .filter(translation_task::Column::Id.eq(id))
            .one(db)
            .await?),
        None => Ok(None),
    }
}

/// Claims whose lease has run out.
pub async fn expired_claims(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<TaskRow>, StoreError> {
    Ok(translation_task::Entity::find()
        .filter(translation_task::Column::Status.eq(TaskStatus::Claimed.as_str()))
        .filter(translation_task::Column::LeaseExpiresAt.lte(now))
        .all(db)
        .await?)
}

/// What a list of tasks may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub statuses: Vec<TaskStatus>,
    pub target_language: Option<String>,
    pub paper_id: Option<i64>,
    /// Only tasks claimed by this user now.
    pub claimed_by: Option<i64>,
    /// Only tasks past their due date and not finished, as of this time.
    pub overdue_at: Option<DateTime<Utc>>,
}

/// Whether the task in the outer query belongs to a paper in TRANSLATION.
/// Correlated, so that asking it of one task reads one paper, not every
/// paper in translation.
fn paper_in_translation() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(paper::Entity)
        .and_where(
            Expr::col((paper::Entity, paper::Column::Id))
                .equals((translation_task::Entity, translation_task::Column::PaperId)),
        )
        .and_where(paper::Column::Stage.eq(Stage::Translation.as_str()))
        .to_owned()
}

fn scoped(scope: TaskScope) -> Option<Select<translation_task::Entity>> {
    use translation_task::Column as C;
    let query = translation_task::Entity::find();
    match scope {
        TaskScope::All => Some(query),
        TaskScope::Nothing => None,
        TaskScope::Related {
            user_id,
            as_translator,
            as_author,
        } => {
            let mut any = Condition::any();
            if as_translator {
                any = any
                    .add(
                        Condition::all()
                            .add(C::Status.eq(TaskStatus::Open.as_str()))
                            .add(Expr::exists(paper_in_translation())),
                    )
                    .add(C::ClaimedBy.eq(user_id))
                    .add(
                        C::Id.in_subquery(
                            Query::select()
                                .column(task_event::Column::TaskId)
                                .from(task_event::Entity)
                                .and_where(task_event::Column::ActorId.eq(user_id))
                                .and_where(
                                    task_event::Column::ToStatus.eq(TaskStatus::Claimed.as_str()),
                                )
                                .to_owned(),
                        ),
                    );
            }
            if as_author {
                any = any
                    .add(
                        C::PaperId.in_subquery(
                            Query::select()
                                .column(paper::Column::Id)
                                .from(paper::Entity)
                                .and_where(paper::Column::CreatedBy.eq(user_id))
                                .to_owned(),
                        ),
                    )
                    .add(
                        C::PaperId.in_subquery(
                            Query::select()
                                .column(contributor::Column::PaperId)
                                .from(contributor::Entity)
                                .and_where(contributor::Column::UserId.eq(user_id))
                                .to_owned(),
                        ),
                    );
            }
            Some(query.filter(any))
        }
    }
}

fn filtered(scope: TaskScope, filter: &TaskFilter) -> Option<Select<translation_task::Entity>> {
    use translation_task::Column as C;
    let mut query = scoped(scope)?;
    if !filter.statuses.is_empty() {
        query = query.filter(C::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(language) = &filter.target_language {
        query = query.filter(C::TargetLanguage.eq(language.as_str()));
    }
    if let Some(paper_id) = filter.paper_id {
        query = query.filter(C::PaperId.eq(paper_id));
    }
    if let Some(user_id) = filter.claimed_by {
        query = query.filter(C::ClaimedBy.eq(user_id)).filter(
            C::Status.is_in([TaskStatus::Claimed.as_str(), TaskStatus::Submitted.as_str()]),
        );
    }
    if let Some(now) = filter.overdue_at {
        query = query.filter(C::DueAt.lt(now)).filter(C::Status.is_not_in([
            TaskStatus::Accepted.as_str(),
            TaskStatus::Cancelled.as_str(),
        ]));
    }
    Some(query)
}

/// Where a page of tasks lies: between two task ids, read from the start
/// or (Relay `last`) from the end.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskWindow {
    pub after_id: Option<i64>,
    pub before_id: Option<i64>,
    pub from_end: bool,
    pub limit: u64,
}

/// A page of tasks in scope, oldest first, by keyset on the id.
pub async fn page(
    db: &impl ConnectionTrait,
    scope: TaskScope,
    filter: &TaskFilter,
    window: TaskWindow,
) -> Result<Vec<TaskRow>, StoreError> {
    let Some(mut query) = filtered(scope, filter) else {
        return Ok(vec![]);
    };
    if let Some(after_id) = window.after_id {
        query = query.filter(translation_task::Column::Id.gt(after_id));
    }
    if let Some(before_id) = window.before_id {
        query = query.filter(translation_task::Column::Id.lt(before_id));
    }
    let order = if window.from_end {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let mut rows = query
        .order_by(translation_task::Column::Id, order)
        .limit(window.limit)
        .all(db)
        .await?;
    if window.from_end {
        rows.reverse();
    }
    Ok(rows)
}

pub async fn count(
    db: &impl ConnectionTrait,
    scope: TaskScope,
    filter: &TaskFilter,
) -> Result<u64, StoreError> {
    match filtered(scope, filter) {
        Some(query) => Ok(query.count(db).await?),
        None => Ok(0),
    }
}

pub async fn of_papers(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<TaskRow>, StoreError> {
    Ok(tasks_of_papers(paper_ids).all(db).await?)
}

/// The tasks of many papers, oldest first.
pub fn tasks_of_papers(paper_ids: &[i64]) -> Select<translation_task::Entity> {
    translation_task::Entity::find()
        .filter(translation_task::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(translation_task::Column::Id)
}

/// A task without the translation handed in and the editor's note: what a
/// list of papers shows of it. A submission is a whole text (most of the
/// bytes of a task), the note is mostly empty.
#[derive(Debug, Clone, DerivePartialModel, serde::Deserialize)]
#[sea_orm(entity = "translation_task::Entity")]
pub struct TaskHeading {
    pub id: i64,
    pub paper_id: i64,
    pub source_language: String,
    pub target_language: String,
    pub kind: String,
    pub status: String,
    pub due_at: Option<DateTime<Utc>>,
    pub created_by: i64,
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub lease_expires_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub source_revision: Option<i32>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TaskHeading {
    /// The columns of a task's row a heading leaves out; it has the others,
    /// in the row's order.
    pub(crate) const LEFT_OUT: [translation_task::Column; 5] = [
        translation_task::Column::SubmittedTitle,
        translation_task::Column::SubmittedAbstract,
        translation_task::Column::SubmittedKeyFindings,
        translation_task::Column::SubmittedBody,
        translation_task::Column::Note,
    ];

    /// The heading as a row with the submission and note left empty.
    pub(crate) fn without_submission(self) -> TaskRow {
        TaskRow {
            id: self.id,
            paper_id: self.paper_id,
            source_language: self.source_language,
            target_language: self.target_language,
            kind: self.kind,
            status: self.status,
            due_at: self.due_at,
            created_by: self.created_by,
            claimed_by: self.claimed_by,
            claimed_at: self.claimed_at,
            lease_expires_at: self.lease_expires_at,
            submitted_title: None,
            submitted_abstract: None,
            submitted_key_findings: None,
            submitted_body: None,
            submitted_at: self.submitted_at,
            source_revision: self.source_revision,
            note: None,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The logs of many tasks, in order.
pub async fn events_of(
    db: &impl ConnectionTrait,
    task_ids: &[i64],
) -> Result<Vec<TaskEventRow>, StoreError> {
    Ok(task_event::Entity::find()
        .filter(task_event::Column::TaskId.is_in(task_ids.to_vec()))
        .order_by_asc(task_event::Column::Id)
        .all(db)
        .await?)
}
