//! Papers, their texts, contributors and stage events; and the visibility
//! scope turned into a query condition, so a paper the viewer may not see is
//! never loaded.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    DerivePartialModel, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};

use super::entity::{
    contributor, paper, paper_text, review, stage_event, task_event, translation_task,
};
use super::{StoreError, search};
use crate::domain::catalogue::{Dateline, HistoryKind, PublishedAtChange};
use crate::domain::policy::{PaperRelation, PaperScope};
use crate::domain::search::{SearchQuery, fold_case};
use crate::domain::{ContributorInput, Stage, TaskStatus, TextContent, TextKind};

pub use contributor::Model as ContributorRow;
pub use paper::Model as PaperRow;
pub use paper_text::Model as TextRow;
pub use stage_event::Model as StageEventRow;

/// How a paper is named in a request.
#[derive(Debug, Clone)]
pub enum PaperKey {
    Id(i64),
    Slug(String),
}

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
        any = any.add(paper::Column::CreatedBy.eq(user_id)).add(
            paper::Column::Id.in_subquery(
                Query::select()
                    .column(contributor::Column::PaperId)
                    .from(contributor::Entity)
                    .and_where(contributor::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        );
    }
    if as_translator {
        any = any
            .add(
                Condition::all()
                    .add(paper::Column::Stage.eq(Stage::Translation.as_str()))
                    .add(Expr::exists(open_task_of_paper())),
            )
            .add(holds_or_held_task(user_id));
    }
    if as_reviewer {
        any = any.add(
            paper::Column::Id.in_subquery(
                Query::select()
                    .column(review::Column::PaperId)
                    .from(review::Entity)
                    .and_where(review::Column::ReviewerId.eq(user_id))
                    .to_owned(),
            ),
        );
    }
    any
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

/// A closed or half-open time range; absent ends are unbounded.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimeRange {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// What a list of papers may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct PaperFilter {
    pub stages: Vec<Stage>,
    pub series_id: Option<i64>,
    pub original_language: Option<String>,
    /// Has a text (original or accepted translation) in this language.
    pub with_text_in: Option<String>,
    /// Has no text in this language.
    pub without_text_in: Option<String>,
    /// A contributor's name contains this, whatever the case, in any script.
    pub contributor_name: Option<String>,
    pub contributor_user_id: Option<i64>,
    pub created: TimeRange,
    pub updated: TimeRange,
    pub published: TimeRange,
    /// Full-text search over every text, in its own language.
    pub search: Option<SearchQuery>,
}

/// What lists of papers are ordered by; ties are broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaperOrder {
    #[default]
    UpdatedAt,
    /// Lists only papers with a publication date.
    PublishedAt,
    CreatedAt,
    Title,
}

/// An order and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperSort {
    pub order: PaperOrder,
    pub descending: bool,
}

impl Default for PaperSort {
    fn default() -> Self {
        PaperSort {
            order: PaperOrder::UpdatedAt,
            descending: true,
        }
    }
}

/// The sort value of a paper, as a cursor carries it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortValue {
    Time(DateTime<Utc>),
    Text(String),
}

/// A position in a list: the sort value and id of the paper it points at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaperCursor {
    pub value: SortValue,
    pub id: i64,
}

impl PaperSort {
    fn column(self) -> paper::Column {
        match self.order {
            PaperOrder::UpdatedAt => paper::Column::UpdatedAt,
            PaperOrder::PublishedAt => paper::Column::PublishedAt,
            PaperOrder::CreatedAt => paper::Column::CreatedAt,
            PaperOrder::Title => paper::Column::Title,
        }
    }

    /// The cursor that points at `row` in this order.
    pub fn cursor(self, row: &PaperRow) -> PaperCursor {
        let value = match self.order {
            PaperOrder::UpdatedAt => SortValue::Time(row.updated_at),
            PaperOrder::PublishedAt => SortValue::Time(row.published_at.unwrap_or(row.updated_at)),
            PaperOrder::CreatedAt => SortValue::Time(row.created_at),
            PaperOrder::Title => SortValue::Text(row.title.clone()),
        };
        PaperCursor { value, id: row.id }
    }

    /// Whether a cursor was made for this order (a title cursor cannot
    /// position a list ordered by date).
    pub fn accepts(self, cursor: &PaperCursor) -> bool {
        matches!(
            (self.order, &cursor.value),
            (PaperOrder::Title, SortValue::Text(_))
                | (
                    PaperOrder::UpdatedAt | PaperOrder::PublishedAt | PaperOrder::CreatedAt,
                    SortValue::Time(_)
                )
        )
    }

    /// Rows strictly after `cursor` when walking in `descending` order.
    fn beyond(self, cursor: &PaperCursor, descending: bool) -> Condition {
        let column = self.column();
        let value: sea_orm::Value = match &cursor.value {
            SortValue::Time(time) => (*time).into(),
            SortValue::Text(text) => text.clone().into(),
        };
        let (past, past_id) = if descending {
            (
                Expr::col(column).lt(value.clone()),
                paper::Column::Id.lt(cursor.id),
            )
        } else {
            (
                Expr::col(column).gt(value.clone()),
                paper::Column::Id.gt(cursor.id),
            )
        };
        Condition::any().add(past).add(
            Condition::all()
                .add(Expr::col(column).eq(value))
                .add(past_id),
        )
    }
}

fn texts_in(language: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(paper_text::Column::PaperId)
        .from(paper_text::Entity)
        .and_where(paper_text::Column::Language.eq(language))
        .to_owned()
}

fn in_range(column: paper::Column, range: TimeRange) -> Condition {
    let mut condition = Condition::all();
    if let Some(from) = range.from {
        condition = condition.add(column.gte(from));
    }
    if let Some(to) = range.to {
        condition = condition.add(column.lt(to));
    }
    condition
}

fn filtered(backend: DbBackend, scope: PaperScope, filter: &PaperFilter) -> Select<paper::Entity> {
    let mut query = paper::Entity::find().filter(visible(scope));
    if !filter.stages.is_empty() {
        query = query.filter(paper::Column::Stage.is_in(filter.stages.iter().map(|s| s.as_str())));
    }
    if let Some(series_id) = filter.series_id {
        query = query.filter(paper::Column::SeriesId.eq(series_id));
    }
    if let Some(language) = &filter.original_language {
        query = query.filter(paper::Column::OriginalLanguage.eq(language.as_str()));
    }
    if let Some(language) = &filter.with_text_in {
        query = query.filter(paper::Column::Id.in_subquery(texts_in(language)));
    }
    if let Some(language) = &filter.without_text_in {
        query = query.filter(paper::Column::Id.not_in_subquery(texts_in(language)));
    }
    if let Some(name) = &filter.contributor_name {
        let name_matches = search::contributor_matches(name);
        query = query.filter(
            paper::Column::Id.in_subquery(
                Query::select()
                    .column(contributor::Column::PaperId)
                    .from(contributor::Entity)
                    .and_where(name_matches)
                    .to_owned(),
            ),
        );
    }
    if let Some(user_id) = filter.contributor_user_id {
        query = query.filter(
            paper::Column::Id.in_subquery(
                Query::select()
                    .column(contributor::Column::PaperId)
                    .from(contributor::Entity)
                    .and_where(contributor::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        );
    }
    query = query
        .filter(in_range(paper::Column::CreatedAt, filter.created))
        .filter(in_range(paper::Column::UpdatedAt, filter.updated))
        .filter(in_range(paper::Column::PublishedAt, filter.published));
    if let Some(search) = &filter.search {
        query = query.filter(search::matches(backend, search));
    }
    query
}

/// Which way a page is read from its cursor.
#[derive(Debug, Clone, Default)]
pub struct PageWindow {
    pub after: Option<PaperCursor>,
    pub before: Option<PaperCursor>,
    /// Take the page from the end (Relay `last`): read backwards from
    /// `before`, then put the rows back in order.
    pub from_end: bool,
    pub limit: u64,
}

/// A page of visible papers in `sort` order, bounded by keyset cursors
/// (never OFFSET, so pages stay stable while papers change).
pub async fn page(
    db: &impl ConnectionTrait,
    scope: PaperScope,
    filter: &PaperFilter,
    sort: PaperSort,
    window: &PageWindow,
) -> Result<Vec<PaperRow>, StoreError> {
    let mut query = filtered(db.get_database_backend(), scope, filter);
    if sort.order == PaperOrder::PublishedAt {
        query = query.filter(paper::Column::PublishedAt.is_not_null());
    }
    if let Some(after) = &window.after {
        query = query.filter(sort.beyond(after, sort.descending));
    }
    if let Some(before) = &window.before {
        query = query.filter(sort.beyond(before, !sort.descending));
    }
    let read_descending = sort.descending != window.from_end;
    let order = if read_descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let mut rows = query
        .order_by(sort.column(), order.clone())
        .order_by(paper::Column::Id, order)
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
    scope: PaperScope,
    filter: &PaperFilter,
    sort: PaperSort,
) -> Result<u64, StoreError> {
    let mut query = filtered(db.get_database_backend(), scope, filter);
    if sort.order == PaperOrder::PublishedAt {
        query = query.filter(paper::Column::PublishedAt.is_not_null());
    }
    Ok(query.count(db).await?)
}

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

// ---- texts ----

pub async fn original_text(
    db: &impl ConnectionTrait,
    paper_id: i64,
) -> Result<Option<TextRow>, StoreError> {
    Ok(paper_text::Entity::find()
        .filter(paper_text::Column::PaperId.eq(paper_id))
        .filter(paper_text::Column::Kind.eq(TextKind::Original.as_str()))
        .one(db)
        .await?)
}

/// Key findings are stored as a JSON array of strings.
pub fn key_findings(row_value: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(row_value)
        .map_err(|err| StoreError::Corrupt(format!("key findings are not a JSON list: {err}")))
}

/// A text row's content: title, abstract, key findings and body.
pub fn content_of(text: &TextRow) -> Result<TextContent, StoreError> {
    Ok(TextContent {
        title: text.title.clone(),
        abstract_text: text.r#abstract.clone(),
        key_findings: key_findings(&text.key_findings)?,
        body: text.body.clone(),
    })
}

fn findings_json(findings: &[String]) -> String {
    serde_json::Value::from(findings.to_vec()).to_string()
}

/// One text to write.
#[derive(Debug, Clone, Copy)]
pub struct TextWrite<'a> {
    pub paper_id: i64,
    pub language: &'a str,
    pub kind: TextKind,
    pub content: &'a TextContent,
    /// The original's revision a translation was made from (None for the
    /// original itself).
    pub source_revision: Option<i32>,
    pub translated_by: Option<i64>,
}

/// Writes the text of a paper in a language: inserts it, or replaces the
/// one there and bumps its revision.
pub async fn put_text(
    db: &impl ConnectionTrait,
    text: TextWrite<'_>,
    now: DateTime<Utc>,
) -> Result<TextRow, StoreError> {
    let existing = paper_text::Entity::find()
        .filter(paper_text::Column::PaperId.eq(text.paper_id))
        .filter(paper_text::Column::Language.eq(text.language))
        .one(db)
        .await?;
    let Some(existing) = existing else {
        return insert_text(db, text, now).await;
    };
    let revision = existing.revision + 1;
    let mut row: paper_text::ActiveModel = existing.into();
    row.revision = Set(revision);
    let row = fill_text(row, &text, now).update(db).await?;
    if text.kind == TextKind::Original {
        paper::Entity::update_many()
            .col_expr(
                paper::Column::Title,
                Expr::value(text.content.title.clone()),
            )
            .filter(paper::Column::Id.eq(text.paper_id))
            .exec(db)
            .await?;
    }
    search::index_text(db, row.id, text.paper_id, text.language, text.content).await?;
    Ok(row)
}

/// Inserts a paper's first text in a language: a new paper's (whose row
/// already carries the original's title), or a first translation.
pub async fn insert_text(
    db: &impl ConnectionTrait,
    text: TextWrite<'_>,
    now: DateTime<Utc>,
) -> Result<TextRow, StoreError> {
    let row = paper_text::ActiveModel {
        paper_id: Set(text.paper_id),
        language: Set(text.language.to_owned()),
        revision: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    let row = fill_text(row, &text, now).insert(db).await?;
    search::index_text(db, row.id, text.paper_id, text.language, text.content).await?;
    Ok(row)
}

fn fill_text(
    mut row: paper_text::ActiveModel,
    text: &TextWrite<'_>,
    now: DateTime<Utc>,
) -> paper_text::ActiveModel {
    let content = text.content;
    row.kind = Set(text.kind.as_str().to_owned());
    row.title = Set(content.title.clone());
    row.r#abstract = Set(content.abstract_text.clone());
    row.key_findings = Set(findings_json(&content.key_findings));
    row.body = Set(content.body.clone());
    row.source_revision = Set(text.source_revision);
    row.translated_by = Set(text.translated_by);
    row.updated_at = Set(now);
    row
}

/// Marks a translation as made from the original's current revision (an
/// editor confirmed it still holds).
pub async fn confirm_translation(
    db: &impl ConnectionTrait,
    text_id: i64,
    source_revision: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    paper_text::Entity::update_many()
        .col_expr(
            paper_text::Column::SourceRevision,
            Expr::value(source_revision),
        )
        .col_expr(paper_text::Column::UpdatedAt, Expr::value(now))
        .filter(paper_text::Column::Id.eq(text_id))
        .exec(db)
        .await?;
    Ok(())
}

// ---- contributors ----

/// Replaces the credited contributors with `list`, in order.
pub async fn replace_contributors(
    db: &impl ConnectionTrait,
    paper_id: i64,
    list: &[ContributorInput],
) -> Result<(), StoreError> {
    contributor::Entity::delete_many()
        .filter(contributor::Column::PaperId.eq(paper_id))
        .exec(db)
        .await?;
    insert_contributors(db, paper_id, list).await
}

/// Credits a new paper's contributors, in order.
pub async fn insert_contributors(
    db: &impl ConnectionTrait,
    paper_id: i64,
    list: &[ContributorInput],
) -> Result<(), StoreError> {
    if list.is_empty() {
        return Ok(());
    }
    let rows = list
        .iter()
        .enumerate()
        .map(|(ordinal, c)| contributor::ActiveModel {
            paper_id: Set(paper_id),
            ordinal: Set(i32::try_from(ordinal).unwrap_or(i32::MAX)),
            name: Set(c.name.clone()),
            name_folded: Set(Some(fold_case(&c.name))),
            position: Set(c.position.clone()),
            affiliation: Set(c.affiliation.clone()),
            user_id: Set(c.user_id),
            ..Default::default()
        });
    contributor::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

// ---- history ----

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

// ---- batches, for loaders: one query for many papers ----

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

pub async fn texts_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<TextRow>, StoreError> {
    Ok(texts_of_papers(paper_ids).all(db).await?)
}

/// The texts of many papers, oldest first.
pub fn texts_of_papers(paper_ids: &[i64]) -> Select<paper_text::Entity> {
    paper_text::Entity::find()
        .filter(paper_text::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(paper_text::Column::Id)
}

/// A text without its content (abstract, key findings and body): what a
/// list of papers shows of it, and a small part of its bytes.
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "paper_text::Entity")]
pub struct TextHeading {
    pub id: i64,
    pub paper_id: i64,
    pub language: String,
    pub kind: String,
    pub title: String,
    pub revision: i32,
    pub source_revision: Option<i32>,
    pub translated_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TextHeading {
    /// The heading as a row with the content left empty.
    fn without_content(self) -> TextRow {
        TextRow {
            id: self.id,
            paper_id: self.paper_id,
            language: self.language,
            kind: self.kind,
            title: self.title,
            r#abstract: None,
            key_findings: String::new(),
            body: None,
            revision: self.revision,
            source_revision: self.source_revision,
            translated_by: self.translated_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The texts of many papers without their content (abstract, key findings
/// and body left empty), oldest first, for a holder that records that they
/// are and loads whole rows before reading content
/// (`graphql::types::Text`).
pub async fn text_headings_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<TextRow>, StoreError> {
    let headings = texts_of_papers(paper_ids)
        .into_partial_model::<TextHeading>()
        .all(db)
        .await?;
    Ok(headings
        .into_iter()
        .map(TextHeading::without_content)
        .collect())
}

pub async fn contributors_of(
    db: &impl ConnectionTrait,
    paper_ids: &[i64],
) -> Result<Vec<ContributorRow>, StoreError> {
    Ok(contributor::Entity::find()
        .filter(contributor::Column::PaperId.is_in(paper_ids.to_vec()))
        .order_by_asc(contributor::Column::PaperId)
        .order_by_asc(contributor::Column::Ordinal)
        .all(db)
        .await?)
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
