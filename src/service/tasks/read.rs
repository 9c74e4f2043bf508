//! What of tasks a viewer sees: single tasks, pages, a paper's tasks and a
//! task's log.

use std::collections::HashSet;

use sea_orm::ConnectionTrait;

use super::super::papers::PaperView;
use super::{TaskView, expire_leases};
use crate::app::AppState;
use crate::domain::policy::{TaskAccess, TaskScope, may_see_task_details};
use crate::domain::{DomainError, Role, Stage, TaskStatus, Viewer};
use crate::service::ServiceResult;
use crate::store::tasks::{self as store_tasks, TaskFilter, TaskRow, TaskWindow};

pub(super) async fn views(
    state: &AppState,
    viewer: &Viewer,
    rows: Vec<TaskRow>,
) -> ServiceResult<Vec<TaskView>> {
    let held = held_by(&state.db, viewer, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|row| view(viewer, row, &held))
        .collect())
}

/// One task as the viewer sees it.
pub(super) async fn view_one(
    state: &AppState,
    viewer: &Viewer,
    row: TaskRow,
) -> ServiceResult<TaskView> {
    let held = held_by(&state.db, viewer, [&row]).await?;
    Ok(view(viewer, row, &held))
}

/// Of these tasks, the ones the viewer claimed at some point: what a
/// translator may see of a task depends on it. Empty for everyone else.
pub async fn held_by<'a>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: impl IntoIterator<Item = &'a TaskRow>,
) -> ServiceResult<HashSet<i64>> {
    match viewer.user_id() {
        Some(user_id) if viewer.has(Role::Translator) => {
            let ids: Vec<i64> = rows.into_iter().map(|row| row.id).collect();
            Ok(store_tasks::claimed_ever_by(db, user_id, &ids).await?)
        }
        _ => Ok(HashSet::new()),
    }
}

/// A task as the viewer sees it; `held` holds the tasks the viewer claimed
/// at some point.
pub fn view(viewer: &Viewer, row: TaskRow, held: &HashSet<i64>) -> TaskView {
    let mine =
        held.contains(&row.id) || (row.claimed_by.is_some() && row.claimed_by == viewer.user_id());
    TaskView {
        details_visible: may_see_task_details(viewer, mine),
        row,
    }
}

/// The tasks of a paper the viewer sees, by the paper's task access, from
/// its loaded rows.
pub fn visible_of_paper(
    viewer: &Viewer,
    paper: &PaperView,
    rows: Vec<TaskRow>,
    held: &HashSet<i64>,
) -> Vec<TaskView> {
    if paper.access.tasks == TaskAccess::None {
        return vec![];
    }
    let all = rows.into_iter().map(|row| view(viewer, row, held));
    if paper.access.tasks != TaskAccess::Workable {
        return all.collect();
    }
    all.filter(|task| {
        task.details_visible
            || (task.row.status == TaskStatus::Open.as_str() && paper.stage == Stage::Translation)
    })
    .collect()
}

/// A task in the viewer's scope; NOT_FOUND otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> ServiceResult<TaskView> {
    expire_leases(state).await?;
    let row = store_tasks::find_in_scope(&state.db, TaskScope::for_viewer(viewer), id)
        .await?
        .ok_or(DomainError::NotFound("translation task"))?;
    view_one(state, viewer, row).await
}

/// A page of the tasks the viewer may see.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    filter: &TaskFilter,
    window: TaskWindow,
) -> ServiceResult<Vec<TaskView>> {
    expire_leases(state).await?;
    let scope = TaskScope::for_viewer(viewer);
    let rows = store_tasks::page(&state.db, scope, filter, window).await?;
    views(state, viewer, rows).await
}

/// How many tasks the viewer may see match, across all pages.
pub async fn count(state: &AppState, viewer: &Viewer, filter: &TaskFilter) -> ServiceResult<u64> {
    let scope = TaskScope::for_viewer(viewer);
    Ok(store_tasks::count(&state.db, scope, filter).await?)
}

/// The task's log, for those who see its details.
pub fn visible_events(
    task: &TaskView,
    events: Vec<store_tasks::TaskEventRow>,
) -> Vec<store_tasks::TaskEventRow> {
    if task.details_visible { events } else { vec![] }
}
