//! Use cases. Each public function is one thing a user does: it checks the
//! viewer and input against the domain rules, then reads and writes through
//! the store, inside one transaction when it writes.

pub mod announcements;
pub mod catalogue;
pub mod live;
pub mod papers;
pub mod publishing;
pub mod reviews;
pub mod series;
pub mod status;
pub mod tasks;
pub mod users;

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use thiserror::Error;

use crate::app::AppState;
use crate::domain::DomainError;
use crate::store::StoreError;

/// Why a use case did not happen.
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(err: sea_orm::DbErr) -> Self {
        ServiceError::Store(err.into())
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// Whether the work lost to a concurrent transaction and changed
    /// nothing, so trying it again is safe and will see the winner's work.
    fn lost_a_race(&self) -> bool {
        matches!(self, ServiceError::Store(StoreError::Contention(_)))
    }
}

/// How many times a write is tried before its contention reaches the client.
const WRITE_ATTEMPTS: u32 = 5;

/// Runs a write use case, and again (a bounded number of times, after a
/// short random pause) when the database aborted it for a concurrent one:
/// a deadlock, a serialization failure, or a unique key taken meanwhile.
/// `attempt` must begin and commit its own transaction, so a retry starts
/// from nothing.
/// Runs `job` now and then every `every` in the background, for as long as
/// the process runs; a failure is logged (as `what` failed) and the next
/// tick tries again.
pub(crate) fn spawn_every<Job, Done, T>(
    state: AppState,
    every: Duration,
    what: &'static str,
    job: Job,
) where
    Job: Fn(AppState) -> Done + Send + 'static,
    Done: Future<Output = ServiceResult<T>> + Send,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(err) = job(state.clone()).await {
                tracing::warn!(error = %err, "{what} failed");
            }
        }
    });
}

pub(crate) async fn retrying<T, Attempt, Fut>(mut attempt: Attempt) -> ServiceResult<T>
where
    Attempt: FnMut() -> Fut,
    Fut: Future<Output = ServiceResult<T>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(err) if err.lost_a_race() && tries < WRITE_ATTEMPTS => {
                tracing::debug!(error = %err, tries, "retrying a write that lost a race");
                let pause = rand::rng().random_range(1..=5 * u64::from(tries));
                tokio::time::sleep(Duration::from_millis(pause)).await;
                tries += 1;
            }
            result => return result,
        }
    }
}
