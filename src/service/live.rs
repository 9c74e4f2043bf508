//! Live events as one subscriber receives them. Each event is judged when it
//! is delivered, not when the subscription began: the subscriber's account
//! is re-read (a disabled account, a revoked token or changed roles end the
//! subscription), and the paper or task is loaded through the same
//! visibility-checked functions every query uses, so an event about
//! something the subscriber may not see now is dropped.

use super::papers::{self, PaperView};
use super::tasks::{self, TaskView};
use super::{ServiceError, ServiceResult, users};
use crate::app::AppState;
use crate::domain::policy::{may_see_stage_change, may_see_task_change};
use crate::domain::{DomainError, Viewer};
use crate::events::{PaperMoved, TaskChanged};
use crate::store::papers::PaperKey;

/// Who subscribed: the viewer at the time, and the token that stood for
/// them (none for anonymous subscribers).
#[derive(Debug, Clone)]
pub struct Subscriber {
    viewer: Viewer,
    token: Option<String>,
}

impl Subscriber {
    pub fn new(viewer: Viewer, token: Option<String>) -> Self {
        Subscriber { viewer, token }
    }

    /// The subscriber as they are now. UNAUTHENTICATED when the token no
    /// longer stands for an active account, or when the account's roles
    /// changed: the subscription was set up for the old ones.
    async fn current(&self, state: &AppState) -> ServiceResult<Viewer> {
        let Some(token) = &self.token else {
            return Ok(self.viewer);
        };
        let now = users::authenticate(state, token).await?;
        if now != self.viewer {
            return Err(DomainError::Unauthenticated(
                "your roles changed since you subscribed: subscribe again".into(),
            )
            .into());
        }
        Ok(now)
    }
}

/// The paper of a stage change, if the subscriber may learn of it now.
/// An error ends the subscription.
pub async fn paper_moved(
    state: &AppState,
    subscriber: &Subscriber,
    event: &PaperMoved,
) -> ServiceResult<Option<PaperView>> {
    let viewer = subscriber.current(state).await?;
    let paper = unless_not_found(papers::get(state, &viewer, &PaperKey::Id(event.paper_id)).await)?;
    Ok(paper.filter(|paper| may_see_stage_change(&paper.access, paper.stage, event.to)))
}

/// The task of a task change, if the subscriber may learn of it now.
/// An error ends the subscription.
pub async fn task_changed(
    state: &AppState,
    subscriber: &Subscriber,
    event: &TaskChanged,
) -> ServiceResult<Option<TaskView>> {
    let viewer = subscriber.current(state).await?;
    let task = unless_not_found(tasks::get(state, &viewer, event.task_id).await)?;
    Ok(task.filter(|task| {
        task.row
            .status
            .parse()
            .is_ok_and(|status| may_see_task_change(task.details_visible, status, event.to))
    }))
}

/// NOT_FOUND (absent, or not visible to this viewer) is `None`.
fn unless_not_found<T>(result: ServiceResult<T>) -> ServiceResult<Option<T>> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(ServiceError::Domain(DomainError::NotFound(_))) => Ok(None),
        Err(err) => Err(err),
    }
}
