//! Claims are leases: one that runs out re-opens its task, on every task
//! operation and on a timer.

use chrono::{DateTime, Duration, Utc};

use crate::app::AppState;
use crate::domain::TaskStatus;
use crate::events::Event;
use crate::service::{ServiceResult, retrying};
use crate::store::{self, tasks as store_tasks};

/// Re-opens every claim whose lease has run out, recording each in the
/// task's log. Runs before every task operation and listing, and on a timer,
/// so an expired claim is open again whether or not anything ran between.
pub async fn expire_leases(state: &AppState) -> ServiceResult<u64> {
    retrying(|| expire_leases_once(state)).await
}

async fn expire_leases_once(state: &AppState) -> ServiceResult<u64> {
    let now = state.clock.now();
    let expired = store_tasks::expired_claims(&state.db, now).await?;
    if expired.is_empty() {
        return Ok(0);
    }
    let tx = store::begin_write(&state.db).await?;
    let mut reopened = 0;
    let mut events = Vec::new();
    for task in expired {
        if store_tasks::expire_claim(&tx, task.id, now).await? {
            events.push(Event::task_changed(
                &task,
                Some(TaskStatus::Claimed),
                TaskStatus::Open,
                now,
            ));
            let note = "the claim's lease ran out".to_owned();
            store_tasks::insert_event(
                &tx,
                task.id,
                Some(TaskStatus::Claimed),
                TaskStatus::Open,
                None,
                Some(note),
                now,
            )
            .await?;
            reopened += 1;
        }
    }
    state.events.commit(tx, events).await?;
    if reopened > 0 {
        tracing::info!(reopened, "expired claims re-opened");
    }
    Ok(reopened)
}

pub(crate) fn lease_until(state: &AppState, now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::from_std(state.settings.claim_lease).unwrap_or(Duration::hours(72))
}

/// Runs [`expire_leases`] every `every`, for as long as the process runs.
pub fn spawn_lease_sweeper(state: AppState, every: std::time::Duration) {
    crate::service::spawn_every(state, every, "expiring leases", |state| async move {
        expire_leases(&state).await
    });
}
