//! Batched loading for nested fields outside a page (a single paper's
//! lists, a task's paper, users), and what a page reads ahead for its
//! fields ([`ReadAhead`]). One loader, keyed by what is asked for; it does
//! not cache (it lives as long as the schema), it only gathers the keys
//! asked for at the same time into one query each.

use std::collections::{HashMap, HashSet};
use std::sync::RwLock;

use async_graphql::dataloader::{DataLoader, Loader};

use super::{ApiError, ApiResult};
use crate::app::AppState;
use crate::domain::Viewer;
use crate::service::papers::{self, PaperView};
use crate::store::papers::{ContributorRow, Revision, StageEventRow, TextRow};
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
        read(&self.series).get(&id).cloned()
    }
}

/// Rows one request read ahead for the fields it resolves next (a page's
/// users and tasks' logs), so those fields cost no statement of their own
/// and a page costs the same statements however its fields are scheduled.
/// Each request has its own ([`ReadAhead::default`] in its data); a field
/// whose rows were not read ahead goes through the loader.
#[derive(Default)]
pub struct ReadAhead {
    /// `None` for an id read and not found.
    users: RwLock<HashMap<i64, Option<UserRow>>>,
    task_events: RwLock<HashMap<i64, Vec<TaskEventRow>>>,
}

impl ReadAhead {
    /// The user, if read ahead: `Some(None)` when there is no such user.
    pub fn user(&self, id: i64) -> Option<Option<UserRow>> {
        read(&self.users).get(&id).cloned()
    }

    /// A task's log, if read ahead.
    pub fn task_events(&self, task_id: i64) -> Option<Vec<TaskEventRow>> {
        read(&self.task_events).get(&task_id).cloned()
    }

    /// Reads the logs of `task_ids` in one statement.
    pub async fn read_task_events(&self, loader: &RowsLoader, task_ids: &[i64]) -> ApiResult<()> {
        if task_ids.is_empty() {
            return Ok(());
        }
        let keys: Vec<TaskEventsOf> = task_ids.iter().map(|id| TaskEventsOf(*id)).collect();
        let mut found = Loader::<TaskEventsOf>::load(loader.loader(), &keys).await?;
        let mut known = write(&self.task_events);
        for key in keys {
            known.insert(key.0, found.remove(&key).unwrap_or_default());
        }
        Ok(())
    }

    /// Reads the users `ids` in one statement.
    pub async fn read_users(&self, loader: &RowsLoader, ids: &[i64]) -> ApiResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let keys: Vec<UserById> = ids.iter().map(|id| UserById(*id)).collect();
        let mut found = Loader::<UserById>::load(loader.loader(), &keys).await?;
        let mut known = write(&self.users);
        for key in keys {
            known.insert(key.0, found.remove(&key));
        }
        Ok(())
    }
}

/// Reads the series `ids` not read before into the loader's rows, in one
/// statement.
pub async fn read_series(loader: &RowsLoader, ids: &[i64]) -> ApiResult<()> {
    let rows = loader.loader();
    let missing: Vec<SeriesById> = ids
        .iter()
        .filter(|id| rows.known_series(**id).is_none())
        .map(|id| SeriesById(*id))
        .collect();
    if !missing.is_empty() {
        Loader::<SeriesById>::load(rows, &missing).await?;
    }
    Ok(())
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
/// A paper's revisions, with their texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RevisionsOf(pub i64);
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

impl Loader<RevisionsOf> for Rows {
    type Value = Vec<Revision>;
    type Error = ApiError;

    async fn load(&self, keys: &[RevisionsOf]) -> ApiResult<HashMap<RevisionsOf, Self::Value>> {
        let rows = store::papers::revisions_of(&self.app.db, &ids(keys, |k| k.0))
            .await
            .map_err(api)?;
        Ok(store::grouped(keys, rows, |revision| {
            RevisionsOf(revision.row.paper_id)
        }))
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
            let mut known = write(&self.series);
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
