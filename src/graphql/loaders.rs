//! Batched loading for nested fields, so a page of papers with their
//! contributors, texts and tasks costs a fixed number of queries whatever
//! its size. One loader, keyed by what is asked for; it does not cache (it
//! lives as long as the schema), it only gathers the keys asked for at the
//! same time into one query each.

use std::collections::{HashMap, HashSet};
use std::sync::RwLock;

use async_graphql::dataloader::{DataLoader, Loader};

use super::{ApiError, ApiResult};
use crate::app::AppState;
use crate::domain::Viewer;
use crate::service::papers::{self, PaperView};
use crate::store::papers::{ContributorRow, StageEventRow, TextRow};
use crate::store::reviews::ReviewRow;
use crate::store::series::SeriesRow;
use crate::store::tasks::{TaskEventRow, TaskRow};
use crate::store::users::UserRow;
use crate::store::{self, StoreError};

/// Loads rows for many keys at once.
pub struct Rows {
    app: AppState,
    /// Series are never changed or removed once created, so a row read once
    /// stays true: dashboards name the same dozen series on every request.
    series: RwLock<HashMap<i64, SeriesRow>>,
}

/// The schema's loader.
pub type RowsLoader = DataLoader<Rows>;

pub fn loader(app: AppState) -> RowsLoader {
    let window = app.settings.batch_window;
    DataLoader::new(
        Rows {
            app,
            series: RwLock::default(),
        },
        tokio::spawn,
    )
    .delay(window)
}

/// A series by id: from the rows already read when it is among them (the
/// same dozen series on every dashboard), without waiting for a batch;
/// through the loader otherwise.
pub async fn series(loader: &RowsLoader, id: i64) -> ApiResult<Option<SeriesRow>> {
    match loader.loader().known_series(id) {
        Some(row) => Ok(Some(row)),
        None => loader.load_one(SeriesById(id)).await,
    }
}

impl Rows {
    /// A series row read before, if it was.
    fn known_series(&self, id: i64) -> Option<SeriesRow> {
        self.series
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&id)
            .cloned()
    }
}

/// A paper's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextsOf(pub i64);
/// A paper's contributors, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContributorsOf(pub i64);
/// A paper's translation tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TasksOf(pub i64);
/// A paper's reviews, every round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReviewsOf(pub i64);
/// A paper's stage events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub i64);
/// A task's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskEventsOf(pub i64);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeriesById(pub i64);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserById(pub i64);
/// A paper as one viewer sees it; missing when out of their scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisiblePaper {
    pub viewer: Viewer,
    pub id: i64,
}
/// Whether a user claimed a task at some point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClaimedBy {
    pub user_id: i64,
    pub task_id: i64,
}

fn ids<K: Copy>(keys: &[K], id: impl Fn(K) -> i64) -> Vec<i64> {
    keys.iter().map(|key| id(*key)).collect()
}

fn api(err: StoreError) -> ApiError {
    err.into()
}

impl Loader<TextsOf> for Rows {
    type Value = Vec<TextRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[TextsOf]) -> ApiResult<HashMap<TextsOf, Self::Value>> {
        let rows = store::papers::texts_of(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |row| TextsOf(row.paper_id)))
    }
}

impl Loader<ContributorsOf> for Rows {
    type Value = Vec<ContributorRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ContributorsOf],
    ) -> ApiResult<HashMap<ContributorsOf, Self::Value>> {
        let rows = store::papers::contributors_of(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |row| {
            ContributorsOf(row.paper_id)
        }))
    }
}

impl Loader<TasksOf> for Rows {
    type Value = Vec<TaskRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[TasksOf]) -> ApiResult<HashMap<TasksOf, Self::Value>> {
        let rows = store::tasks::of_papers(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |row| TasksOf(row.paper_id)))
    }
}

impl Loader<ReviewsOf> for Rows {
    type Value = Vec<ReviewRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[ReviewsOf]) -> ApiResult<HashMap<ReviewsOf, Self::Value>> {
        let rows = store::reviews::of_papers(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |row| ReviewsOf(row.paper_id)))
    }
}

impl Loader<HistoryOf> for Rows {
    type Value = Vec<StageEventRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[HistoryOf]) -> ApiResult<HashMap<HistoryOf, Self::Value>> {
        let rows = store::papers::stage_events_of(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |row| HistoryOf(row.paper_id)))
    }
}

impl Loader<TaskEventsOf> for Rows {
    type Value = Vec<TaskEventRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[TaskEventsOf]) -> ApiResult<HashMap<TaskEventsOf, Self::Value>> {
        let rows = store::tasks::events_of(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |row| TaskEventsOf(row.task_id)))
    }
}

impl Loader<SeriesById> for Rows {
    type Value = SeriesRow;
    type Error = ApiError;

    async fn load(&self, keys: &[SeriesById]) -> ApiResult<HashMap<SeriesById, Self::Value>> {
        let mut found: HashMap<SeriesById, SeriesRow> = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match self.known_series(key.0) {
                Some(row) => {
                    found.insert(*key, row);
                }
                None => missing.push(key.0),
            }
        }
        if !missing.is_empty() {
            let rows = store::series::by_ids(&self.app.db, &missing)
                .await
                .map_err(api)?;
            let mut known = self
                .series
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for row in rows {
                known.insert(row.id, row.clone());
                found.insert(SeriesById(row.id), row);
            }
        }
        Ok(found)
    }
}

impl Loader<UserById> for Rows {
    type Value = UserRow;
    type Error = ApiError;

    async fn load(&self, keys: &[UserById]) -> ApiResult<HashMap<UserById, Self::Value>> {
        let rows = store::users::by_ids(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(rows
            .into_iter()
            .map(|row| (UserById(row.id), row))
            .collect())
    }
}

impl Loader<VisiblePaper> for Rows {
    type Value = PaperView;
    type Error = ApiError;

    /// One query per viewer among the keys (normally one).
    async fn load(&self, keys: &[VisiblePaper]) -> ApiResult<HashMap<VisiblePaper, Self::Value>> {
        let viewers: HashSet<Viewer> = keys.iter().map(|key| key.viewer).collect();
        let mut found = HashMap::new();
        for viewer in viewers {
            let wanted: Vec<i64> = keys
                .iter()
                .filter(|key| key.viewer == viewer)
                .map(|key| key.id)
                .collect();
            for view in papers::visible_by_ids(&self.app, &viewer, &wanted).await? {
                found.insert(
                    VisiblePaper {
                        viewer,
                        id: view.row.id,
                    },
                    view,
                );
            }
        }
        Ok(found)
    }
}

impl Loader<ClaimedBy> for Rows {
    type Value = bool;
    type Error = ApiError;

    async fn load(&self, keys: &[ClaimedBy]) -> ApiResult<HashMap<ClaimedBy, Self::Value>> {
        let users: HashSet<i64> = keys.iter().map(|key| key.user_id).collect();
        let mut answers: HashMap<ClaimedBy, bool> = keys.iter().map(|key| (*key, false)).collect();
        for user_id in users {
            let tasks: Vec<i64> = keys
                .iter()
                .filter(|key| key.user_id == user_id)
                .map(|key| key.task_id)
                .collect();
            for task_id in store::tasks::claimed_ever_by(&self.app.db, user_id, &tasks)
                .await
                .map_err(api)?
            {
                answers.insert(ClaimedBy { user_id, task_id }, true);
            }
        }
        Ok(answers)
    }
}
