//! A page of papers with the nested lists it shows, in one statement: the
//! database gathers each paper's contributors, texts, tasks, reviews and
//! history into a JSON array of rows (`json_agg` on PostgreSQL,
//! `json_group_array` on SQLite), so a page costs one round trip whatever its
//! size and its lists, and each list decodes by position (serde) instead of
//! cell by cell by name.

use sea_orm::sea_query::{Alias, Asterisk, Expr, Query};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityName, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, QueryResult, QueryTrait,
};
use serde::de::DeserializeOwned;

use super::list::page_query;
use super::{
    ContributorRow, PageWindow, PaperFilter, PaperRow, PaperSort, StageEventRow, TextHeading,
    TextRow,
};
use crate::domain::policy::PaperScope;
use crate::store::StoreError;
use crate::store::entity::{contributor, paper, paper_text, review, stage_event, translation_task};
use crate::store::reviews::ReviewRow;
use crate::store::tasks::{TaskHeading, TaskRow};

/// How much of a nested row a page reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Without its long content (`TextHeading`, `TaskHeading`).
    Heading,
    Whole,
}

impl Part {
    /// The columns this part leaves out of a row whose heading leaves out
    /// `by_heading`.
    fn left_out<C>(self, by_heading: &[C]) -> &[C] {
        match self {
            Part::Heading => by_heading,
            Part::Whole => &[],
        }
    }
}

/// The nested lists a page reads with its papers; `None`/false for those it
/// does not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NestedLists {
    pub contributors: bool,
    pub texts: Option<Part>,
    pub tasks: Option<Part>,
    pub reviews: bool,
    pub history: bool,
}

impl NestedLists {
    pub fn any(&self) -> bool {
        *self != NestedLists::default()
    }
}

/// A paper of a page with its nested lists.
#[derive(Debug, Clone)]
pub struct PaperWithLists {
    pub paper: PaperRow,
    pub lists: NestedRows,
}

/// A paper's nested lists, each in its usual order (contributors as
/// credited, reviews by round, the rest oldest first); empty when not read.
#[derive(Debug, Clone)]
pub struct NestedRows {
    pub contributors: Vec<ContributorRow>,
    pub texts: Vec<TextRow>,
    pub tasks: Vec<TaskRow>,
    pub reviews: Vec<ReviewRow>,
    pub history: Vec<StageEventRow>,
}

const CONTRIBUTORS: &str = "l_contributors";
const TEXTS: &str = "l_texts";
const TASKS: &str = "l_tasks";
const REVIEWS: &str = "l_reviews";
const HISTORY: &str = "l_history";

/// A page of visible papers with `lists`, as [`super::page`] reads it.
pub async fn page_with_lists(
    db: &impl ConnectionTrait,
    scope: PaperScope,
    filter: &PaperFilter,
    sort: PaperSort,
    window: &PageWindow,
    lists: NestedLists,
) -> Result<Vec<PaperWithLists>, StoreError> {
    let backend = db.get_database_backend();
    // The page is cut first and named like the table, so each list is
    // gathered for the page's papers only, whatever plan sorts them.
    let page = page_query(backend, scope, filter, sort, window).into_query();
    let papers = Alias::new(paper::Entity.table_name());
    let order = window.read_order(sort);
    let mut query = Query::select();
    query
        .column((papers.clone(), Asterisk))
        .from_subquery(page, papers.clone())
        .order_by((papers.clone(), sort.column()), order.clone())
        .order_by((papers, paper::Column::Id), order);
    let selects = [
        (
            CONTRIBUTORS,
            lists.contributors.then(|| {
                json_rows::<contributor::Entity>(backend, &[], &[contributor::Column::Ordinal])
            }),
        ),
        (
            TEXTS,
            lists.texts.map(|part| {
                let left_out = part.left_out(&TextHeading::LEFT_OUT);
                json_rows::<paper_text::Entity>(backend, left_out, &[paper_text::Column::Id])
            }),
        ),
        (
            TASKS,
            lists.tasks.map(|part| {
                let left_out = part.left_out(&TaskHeading::LEFT_OUT);
                json_rows::<translation_task::Entity>(
                    backend,
                    left_out,
                    &[translation_task::Column::Id],
                )
            }),
        ),
        (
            REVIEWS,
            lists.reviews.then(|| {
                let order = [review::Column::Round, review::Column::Id];
                json_rows::<review::Entity>(backend, &[], &order)
            }),
        ),
        (
            HISTORY,
            lists.history.then(|| {
                json_rows::<stage_event::Entity>(backend, &[], &[stage_event::Column::Id])
            }),
        ),
    ];
    for (alias, list) in selects {
        let list = list.unwrap_or_else(|| "CAST(NULL AS TEXT)".to_owned());
        query.expr_as(Expr::cust(list), Alias::new(alias));
    }
    let rows = RawPaper::find_by_statement(backend.build(&query))
        .all(db)
        .await?;
    let mut papers = rows
        .into_iter()
        .map(|raw| raw.decode(lists))
        .collect::<Result<Vec<_>, _>>()?;
    if window.from_end {
        papers.reverse();
    }
    Ok(papers)
}

/// A correlated subquery answering the rows of `E` of the paper in the
/// outer query, in `order_by`, as one JSON array of arrays (`'[]'` for
/// none). Each array holds the row's columns but `left_out`, in the row's
/// order: the order its struct decodes them by.
fn json_rows<E: EntityTrait>(
    backend: DbBackend,
    left_out: &[E::Column],
    order_by: &[E::Column],
) -> String {
    let qualified = |column: &E::Column| format!("l.\"{}\"", column.as_str());
    let cells = E::Column::iter()
        .filter(|column| !left_out.iter().any(|out| out.as_str() == column.as_str()))
        .map(|column| qualified(&column))
        .collect::<Vec<_>>()
        .join(", ");
    let order_by = order_by
        .iter()
        .map(qualified)
        .collect::<Vec<_>>()
        .join(", ");
    let from = format!(
        "FROM \"{}\" l WHERE l.\"paper_id\" = \"{}\".\"id\"",
        E::default().table_name(),
        paper::Entity.table_name()
    );
    match backend {
        DbBackend::Postgres => format!(
            "(SELECT COALESCE(json_agg(json_build_array({cells}) ORDER BY {order_by}), '[]')::text {from})"
        ),
        _ => format!("(SELECT json_group_array(json_array({cells}) ORDER BY {order_by}) {from})"),
    }
}

/// A page row as the statement answers it: the paper's columns by name,
/// each list as JSON text.
struct RawPaper {
    paper: PaperRow,
    lists: [Option<String>; 5],
}

impl FromQueryResult for RawPaper {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let list = |alias: &str| row.try_get::<Option<String>>(pre, alias);
        Ok(RawPaper {
            paper: PaperRow::from_query_result(row, pre)?,
            lists: [
                list(CONTRIBUTORS)?,
                list(TEXTS)?,
                list(TASKS)?,
                list(REVIEWS)?,
                list(HISTORY)?,
            ],
        })
    }
}

impl RawPaper {
    fn decode(self, lists: NestedLists) -> Result<PaperWithLists, StoreError> {
        let [contributors, texts, tasks, reviews, history] = self.lists;
        let id = self.paper.id;
        let lists = NestedRows {
            contributors: rows(id, contributors)?,
            texts: match lists.texts {
                Some(Part::Heading) => rows::<TextHeading>(id, texts)?
                    .into_iter()
                    .map(TextHeading::without_content)
                    .collect(),
                _ => rows(id, texts)?,
            },
            tasks: match lists.tasks {
                Some(Part::Heading) => rows::<TaskHeading>(id, tasks)?
                    .into_iter()
                    .map(TaskHeading::without_submission)
                    .collect(),
                _ => rows(id, tasks)?,
            },
            reviews: rows(id, reviews)?,
            history: rows(id, history)?,
        };
        Ok(PaperWithLists {
            paper: self.paper,
            lists,
        })
    }
}

/// The rows of one JSON list; none when the list was not read.
fn rows<T: DeserializeOwned>(paper_id: i64, json: Option<String>) -> Result<Vec<T>, StoreError> {
    match json {
        None => Ok(vec![]),
        Some(json) => serde_json::from_str(&json).map_err(|err| {
            StoreError::Corrupt(format!("a nested list of paper {paper_id}: {err}"))
        }),
    }
}
