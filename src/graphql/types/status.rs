use std::collections::BTreeMap;

use async_graphql::{Context, Object, SimpleObject};
use tokio::sync::OnceCell;

use super::paper::StageValue;
use super::{Series, TaskStatusValue};
use crate::domain::Stage;
use crate::domain::status::CycleTime as DomainCycleTime;
use crate::graphql::loaders;
use crate::graphql::{ApiResult, app, rows};
use crate::service::status::{CycleTimes, StageCounts, StatusScope};

/// Papers in one stage.
#[derive(SimpleObject)]
pub struct StageCount {
    pub stage: StageValue,
    pub papers: i64,
}

/// One series' papers by stage.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SeriesStatus {
    #[graphql(skip)]
    pub series_id: Option<i64>,
    pub papers_by_stage: Vec<StageCount>,
}

#[async_graphql::ComplexObject]
impl SeriesStatus {
    /// Null for papers in no series.
    async fn series(&self, ctx: &Context<'_>) -> ApiResult<Option<Series>> {
        match self.series_id {
            Some(id) => Ok(loaders::series(rows(ctx)?, id).await?.map(Series)),
            None => Ok(None),
        }
    }
}

/// Translation tasks with one status and target language.
#[derive(SimpleObject)]
pub struct TaskCount {
    pub status: TaskStatusValue,
    pub target_language: String,
    pub tasks: i64,
}

/// Papers first published in one month.
#[derive(SimpleObject)]
pub struct MonthCount {
    /// `YYYY-MM`, UTC.
    pub month: String,
    pub papers: i64,
}

/// How long something takes: median and 90th percentile (nearest rank) of
/// the samples, in hours.
#[derive(SimpleObject)]
pub struct CycleTime {
    pub samples: i64,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

impl From<DomainCycleTime> for CycleTime {
    fn from(time: DomainCycleTime) -> Self {
        let hours = |d: chrono::Duration| d.num_seconds() as f64 / 3600.0;
        CycleTime {
            samples: i64::try_from(time.samples).unwrap_or(i64::MAX),
            median_hours: time.median.map(hours),
            p90_hours: time.p90.map(hours),
        }
    }
}

/// Time spent in one stage per visit.
#[derive(SimpleObject)]
pub struct StageCycleTime {
    pub stage: StageValue,
    pub time: CycleTime,
}

/// Where the publication stands: a dashboard in one query. Each field is
/// computed only when asked for.
pub struct PublicationStatus {
    scope: StatusScope,
    stage_counts: OnceCell<StageCounts>,
    cycle_times: OnceCell<CycleTimes>,
}

impl PublicationStatus {
    pub fn new(scope: StatusScope) -> Self {
        PublicationStatus {
            scope,
            stage_counts: OnceCell::new(),
            cycle_times: OnceCell::new(),
        }
    }

    async fn counts(&self, ctx: &Context<'_>) -> ApiResult<&StageCounts> {
        let app = app(ctx)?;
        Ok(self
            .stage_counts
            .get_or_try_init(|| async { self.scope.stage_counts(app).await })
            .await?)
    }

    async fn times(&self, ctx: &Context<'_>) -> ApiResult<&CycleTimes> {
        let app = app(ctx)?;
        Ok(self
            .cycle_times
            .get_or_try_init(|| async { self.scope.cycle_times(app).await })
            .await?)
    }
}

fn by_stage(counts: &BTreeMap<Stage, i64>) -> Vec<StageCount> {
    counts
        .iter()
        .map(|(stage, papers)| StageCount {
            stage: (*stage).into(),
            papers: *papers,
        })
        .collect()
}

#[Object]
impl PublicationStatus {
    /// Papers per stage now.
    async fn papers_by_stage(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageCount>> {
        let mut totals: BTreeMap<Stage, i64> = BTreeMap::new();
        for counts in self.counts(ctx).await?.values() {
            for (stage, papers) in counts {
                *totals.entry(*stage).or_default() += papers;
            }
        }
        Ok(by_stage(&totals))
    }

    /// Papers per stage now, per series.
    async fn series(&self, ctx: &Context<'_>) -> ApiResult<Vec<SeriesStatus>> {
        Ok(self
            .counts(ctx)
            .await?
            .iter()
            .map(|(series_id, counts)| SeriesStatus {
                series_id: *series_id,
                papers_by_stage: by_stage(counts),
            })
            .collect())
    }

    /// Translation tasks per status and target language.
    async fn tasks(&self, ctx: &Context<'_>) -> ApiResult<Vec<TaskCount>> {
        Ok(self
            .scope
            .tasks(app(ctx)?)
            .await?
            .into_iter()
            .map(|((status, target_language), tasks)| TaskCount {
                status: status.into(),
                target_language,
                tasks,
            })
            .collect())
    }

    /// Tasks past their due date and not finished.
    async fn overdue_tasks(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(self.scope.overdue_tasks(app(ctx)?).await?)
    }

    /// Reviews waiting for an answer.
    async fn reviews_requested(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(self.scope.requested_reviews(app(ctx)?).await?.0)
    }

    /// Of those, past their due date.
    async fn reviews_overdue(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(self.scope.requested_reviews(app(ctx)?).await?.1)
    }

    /// Papers first published per month, inside the window.
    async fn published_per_month(&self, ctx: &Context<'_>) -> ApiResult<Vec<MonthCount>> {
        Ok(self
            .scope
            .published_per_month(app(ctx)?)
            .await?
            .into_iter()
            .map(|(month, papers)| MonthCount { month, papers })
            .collect())
    }

    /// Time per visit of each stage, for visits that ended inside the window.
    async fn time_in_stage(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageCycleTime>> {
        Ok(self
            .times(ctx)
            .await?
            .time_in_stage
            .iter()
            .map(|(stage, time)| StageCycleTime {
                stage: (*stage).into(),
                time: (*time).into(),
            })
            .collect())
    }

    /// From first submission to first publication, for papers published
    /// inside the window.
    async fn submission_to_publication(&self, ctx: &Context<'_>) -> ApiResult<CycleTime> {
        Ok(self.times(ctx).await?.submission_to_publication.into())
    }
}
