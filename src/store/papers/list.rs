//! Lists of papers: filters, orders, keyset cursors, pages and counts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use super::scope::crediting;
use super::{PaperRow, visible};
use crate::domain::Stage;
use crate::domain::policy::PaperScope;
use crate::domain::search::SearchQuery;
use crate::store::entity::{contributor, paper, paper_text};
use crate::store::{StoreError, search};

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
    pub(super) fn column(self) -> paper::Column {
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
        query = query.filter(crediting(user_id));
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

impl PageWindow {
    /// The order rows are read in: the list's, or its reverse for a page
    /// taken from the end.
    pub(super) fn read_order(&self, sort: PaperSort) -> sea_orm::Order {
        if sort.descending != self.from_end {
            sea_orm::Order::Desc
        } else {
            sea_orm::Order::Asc
        }
    }
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
    let mut rows = page_query(db.get_database_backend(), scope, filter, sort, window)
        .all(db)
        .await?;
    if window.from_end {
        rows.reverse();
    }
    Ok(rows)
}

/// The query of a page, in the order it is read: backwards from `before`
/// for a page taken from the end.
pub(super) fn page_query(
    backend: DbBackend,
    scope: PaperScope,
    filter: &PaperFilter,
    sort: PaperSort,
    window: &PageWindow,
) -> Select<paper::Entity> {
    let mut query = filtered(backend, scope, filter);
    if sort.order == PaperOrder::PublishedAt {
        query = query.filter(paper::Column::PublishedAt.is_not_null());
    }
    if let Some(after) = &window.after {
        query = query.filter(sort.beyond(after, sort.descending));
    }
    if let Some(before) = &window.before {
        query = query.filter(sort.beyond(before, !sort.descending));
    }
    let order = window.read_order(sort);
    query
        .order_by(sort.column(), order.clone())
        .order_by(paper::Column::Id, order)
        .limit(window.limit)
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
