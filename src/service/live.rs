//! Live events as one subscriber receives them. A [`Feed`] hands out the
//! events of one stream in id order, none twice: those after the cursor the
//! subscriber resumes from (read from the outbox), then live ones from the
//! server's relay; a subscriber that falls behind reads what it missed from
//! the outbox too.
//!
//! Each event is judged when it is delivered, not when the subscription
//! began: the subscriber's account is re-read (a disabled account, a revoked
//! token or changed roles end the subscription), and the paper or task is
//! loaded through the same visibility-checked functions every query uses,
//! so an event about something the subscriber may not see now is dropped.

use std::collections::VecDeque;

use tokio::sync::broadcast::{self, error::RecvError};

use super::papers::{self, PaperView};
use super::tasks::{self, TaskView};
use super::{ServiceError, ServiceResult, users};
use crate::app::AppState;
use crate::domain::policy::{may_see_paper_event, may_see_task_change};
use crate::domain::{DomainError, Viewer};
use crate::events::{self, Numbered, PaperEvent, Stream, TaskChanged};
use crate::store::outbox;
use crate::store::papers::PaperKey;

/// How many missed events a subscriber reads from the outbox at once.
const CATCH_UP_PAGE: u64 = 200;

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

/// The paper an event is about, if the subscriber may learn of the event
/// now. An error ends the subscription.
async fn paper_event(
    state: &AppState,
    subscriber: &Subscriber,
    event: &PaperEvent,
) -> ServiceResult<Option<PaperView>> {
    let viewer = subscriber.current(state).await?;
    let paper = unless_not_found(papers::get(state, &viewer, &PaperKey::Id(event.paper_id)).await)?;
    Ok(paper.filter(|paper| may_see_paper_event(&paper.access, paper.stage, event.what, event.to)))
}

/// The task of a task change, if the subscriber may learn of it now.
/// An error ends the subscription.
async fn task_changed(
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

/// One subscription's events: one stream, in id order, none twice.
pub struct Feed {
    state: AppState,
    subscriber: Subscriber,
    stream: Stream,
    receiver: broadcast::Receiver<Numbered>,
    /// The id of the last event handed out or passed over.
    last: i64,
    /// Read from the outbox, to hand out before anything live.
    backlog: VecDeque<Numbered>,
    /// Whether events up to the relay's head may be missing from
    /// `receiver`: they are read from the outbox (the subscriber resumed,
    /// or fell behind).
    behind: bool,
}

impl Feed {
    /// Every event after `after`, or without it every event the relay had
    /// not handed out yet when the feed opened. BAD_USER_INPUT when events
    /// after `after` were already deleted by the retention, or no event has
    /// that cursor.
    pub async fn open(
        state: &AppState,
        subscriber: Subscriber,
        stream: Stream,
        after: Option<i64>,
    ) -> ServiceResult<Feed> {
        let (receiver, delivered) = state.events.subscribe();
        let last = match after {
            Some(after) => {
                check_cursor(state, after).await?;
                after
            }
            None => delivered,
        };
        Ok(Feed {
            state: state.clone(),
            subscriber,
            stream,
            receiver,
            last,
            backlog: VecDeque::new(),
            behind: after.is_some(),
        })
    }

    /// The next event of the stream; `None` when the server stops.
    pub async fn next(&mut self) -> ServiceResult<Option<Numbered>> {
        loop {
            if let Some(event) = self.backlog.pop_front() {
                return Ok(Some(event));
            }
            if self.behind {
                self.catch_up().await?;
                continue;
            }
            match self.receiver.recv().await {
                Ok(event) => {
                    if event.id <= self.last {
                        continue;
                    }
                    self.last = event.id;
                    if event.event.stream() == self.stream {
                        return Ok(Some(event));
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::debug!(skipped, "a subscriber fell behind: reading the outbox");
                    self.behind = true;
                }
                Err(RecvError::Closed) => return Ok(None),
            }
        }
    }

    /// Reads the next page of missed events, up to the relay's head: every
    /// event after it reaches `receiver`. An empty page ends the catch-up.
    async fn catch_up(&mut self) -> ServiceResult<()> {
        let head = self.state.events.head().await;
        if head <= self.last {
            self.behind = false;
            return Ok(());
        }
        let page =
            events::missed(&self.state.db, self.stream, self.last, head, CATCH_UP_PAGE).await?;
        match page.last() {
            Some(last) => self.last = last.id,
            None => {
                self.last = self.last.max(head);
                self.behind = false;
            }
        }
        self.backlog.extend(page);
        Ok(())
    }

    /// The paper an event is about, if the subscriber may learn of it now.
    pub async fn paper(&self, event: &PaperEvent) -> ServiceResult<Option<PaperView>> {
        paper_event(&self.state, &self.subscriber, event).await
    }

    /// The task of a task change, if the subscriber may learn of it now.
    pub async fn task(&self, event: &TaskChanged) -> ServiceResult<Option<TaskView>> {
        task_changed(&self.state, &self.subscriber, event).await
    }
}

/// BAD_USER_INPUT unless every event after `after` is still held.
async fn check_cursor(state: &AppState, after: i64) -> ServiceResult<()> {
    let held = outbox::held(&state.db).await?;
    if after < held.pruned_through {
        let kept = humantime::format_duration(state.settings.event_retention);
        return Err(DomainError::bad_input(format!(
            "events after the cursor \"{after}\" are no longer held (events are kept for {kept}): \
             the oldest cursor still held is \"{}\"; reload what you show, then subscribe \
             without `after`",
            held.pruned_through
        ))
        .into());
    }
    if after > held.newest {
        return Err(DomainError::bad_input(format!(
            "no event has the cursor \"{after}\" (the newest is \"{}\")",
            held.newest
        ))
        .into());
    }
    Ok(())
}

/// Deletes the events older than the retention. Any server may run it.
pub async fn prune_events(state: &AppState) -> ServiceResult<u64> {
    let retention =
        chrono::Duration::from_std(state.settings.event_retention).unwrap_or(chrono::Duration::MAX);
    let before = state
        .clock
        .now()
        .checked_sub_signed(retention)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
    let pruned = outbox::prune(&state.db, before).await?;
    if pruned > 0 {
        tracing::info!(pruned, "events past their retention deleted");
    }
    Ok(pruned)
}

/// Runs [`prune_events`] now and then every `every`, for as long as the
/// process runs.
pub fn spawn_event_pruner(state: AppState, every: std::time::Duration) {
    super::spawn_every(state, every, "deleting old events", |state| async move {
        prune_events(&state).await
    });
}
