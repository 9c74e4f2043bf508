//! Publication status for dashboards: where every paper stands, what work
//! is waiting, how much was published, and how long each stage takes. Each
//! part is its own query, so a dashboard pays only for what it asks.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};

use super::ServiceResult;
use crate::app::AppState;
use crate::domain::status::{self, CycleTime, StageVisit};
use crate::domain::{DomainError, Role, Stage, TaskStatus, Viewer};
use crate::store;

/// Narrows the status to one series and/or a time window.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusFilter {
    pub series_id: Option<i64>,
    /// Bounds publications and cycle-time samples (a visit counts when it
    /// ended inside the window); counts of papers and work are as of now.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Publication status an editor may read: made only by [`for_editor`].
#[derive(Debug, Clone, Copy)]
pub struct StatusScope {
    filter: StatusFilter,
}

/// Papers per stage, per series (None: papers in no series).
pub type StageCounts = BTreeMap<Option<i64>, BTreeMap<Stage, i64>>;

/// Cycle times: per stage, and from first submission to first publication.
#[derive(Debug, Clone, Default)]
pub struct CycleTimes {
    pub time_in_stage: BTreeMap<Stage, CycleTime>,
    pub submission_to_publication: CycleTime,
}

/// Publication status is for editors only.
pub fn for_editor(viewer: &Viewer, filter: StatusFilter) -> ServiceResult<StatusScope> {
    viewer.require(Role::Editor)?;
    Ok(StatusScope { filter })
}

impl StatusScope {
    /// Papers per stage and series now, from the counts kept with every move.
    pub async fn stage_counts(&self, state: &AppState) -> ServiceResult<StageCounts> {
        let mut counts = StageCounts::new();
        for (series_id, stage, papers) in
            store::status::papers_by_series_and_stage(&state.db, self.filter.series_id).await?
        {
            let stage: Stage = stage.parse()?;
            *counts
                .entry(series_id)
                .or_default()
                .entry(stage)
                .or_default() += papers;
        }
        Ok(counts)
    }

    /// Translation tasks per (status, target language).
    pub async fn tasks(
        &self,
        state: &AppState,
    ) -> ServiceResult<BTreeMap<(TaskStatus, String), i64>> {
        store::status::tasks_by_status_and_language(&state.db, self.filter.series_id)
            .await?
            .into_iter()
            .map(|(status, language, tasks)| Ok(((status.parse()?, language), tasks)))
            .collect::<Result<_, DomainError>>()
            .map_err(Into::into)
    }

    /// Tasks past their due date and not finished.
    pub async fn overdue_tasks(&self, state: &AppState) -> ServiceResult<i64> {
        Ok(
            store::status::overdue_tasks(&state.db, self.filter.series_id, state.clock.now())
                .await?,
        )
    }

    /// (Reviews waiting for an answer, of which overdue.)
    pub async fn requested_reviews(&self, state: &AppState) -> ServiceResult<(i64, i64)> {
        Ok(
            store::status::requested_reviews(&state.db, self.filter.series_id, state.clock.now())
                .await?,
        )
    }

    /// "2026-11" → papers first published that month, inside the window.
    pub async fn published_per_month(
        &self,
        state: &AppState,
    ) -> ServiceResult<BTreeMap<String, i64>> {
        let filter = self.filter;
        let mut months = BTreeMap::new();
        for date in
            store::status::publication_dates(&state.db, filter.series_id, filter.from, filter.to)
                .await?
        {
            *months
                .entry(format!("{:04}-{:02}", date.year(), date.month()))
                .or_default() += 1;
        }
        Ok(months)
    }

    /// Cycle times from the stage history.
    pub async fn cycle_times(&self, state: &AppState) -> ServiceResult<CycleTimes> {
        let filter = self.filter;
        let visits = store::status::stage_history(&state.db, filter.series_id)
            .await?
            .into_iter()
            .map(|(paper_id, stage, at)| {
                Ok(StageVisit {
                    paper_id,
                    to: stage.parse()?,
                    at,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(CycleTimes {
            time_in_stage: status::time_in_stages(&visits, filter.from, filter.to)
                .into_iter()
                .collect(),
            submission_to_publication: status::submission_to_publication(
                &visits,
                filter.from,
                filter.to,
            ),
        })
    }
}
