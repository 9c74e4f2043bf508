//! Subscriptions: live events over `/graphql/ws`. Each resolver turns the
//! server's event stream into the subscriber's, asking the `live` service
//! about every event whether this subscriber may learn of it now.

use async_graphql::{Context, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::{self, error::RecvError};

use super::types::{Paper, StageValue, TaskStatusValue, TranslationTask};
use super::{ApiError, ApiResult, app, parse_id, viewer};
use crate::app::AppState;
use crate::domain::Language;
use crate::events::Event;
use crate::service::live::{self, Subscriber};

/// The token a WebSocket connection was opened with: the subscriber's
/// account is re-read with it for every event.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

#[derive(Default)]
pub struct SubscriptionRoot;

/// A paper changed stage.
#[derive(SimpleObject)]
pub struct PaperEvent {
    /// The paper as it is now, as the subscriber may see it.
    paper: Paper,
    /// The stage it left; null when the paper was just created.
    from: Option<StageValue>,
    /// The stage it entered.
    to: StageValue,
    /// When the change was made.
    at: DateTime<Utc>,
}

/// A translation task changed status.
#[derive(SimpleObject)]
pub struct TranslationTaskEvent {
    /// The task as it is now, as the subscriber may see it.
    task: TranslationTask,
    /// The status it left; null when the task was just created. Equal to
    /// `to` (both OPEN) when the task's paper entered TRANSLATION: the task
    /// did not change, but translators may claim it now.
    from: Option<TaskStatusValue>,
    /// The status it entered.
    to: TaskStatusValue,
    /// When the change was made.
    at: DateTime<Utc>,
}

/// Live events, over `/graphql/ws` (`graphql-transport-ws`).
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Every stage change of a paper the subscriber may see at the moment the
    /// change is delivered (the public sees moves to PUBLISHED). Ends with
    /// UNAUTHENTICATED when the subscriber's account is disabled, their
    /// token revoked or their roles changed: subscribe again.
    async fn paper_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only papers of this series.")] series_id: Option<ID>,
    ) -> Result<impl Stream<Item = ApiResult<PaperEvent>> + use<>, ApiError> {
        let series_id = series_id.map(|id| parse_id(&id, "series")).transpose()?;
        let feed = Feed::open(ctx)?;
        Ok(stream::unfold(Some(feed), move |feed| async move {
            let mut feed = feed?;
            loop {
                let Event::PaperMoved(moved) = feed.next().await? else {
                    continue;
                };
                if series_id.is_some() && moved.series_id != series_id {
                    continue;
                }
                match live::paper_moved(&feed.app, &feed.subscriber, &moved).await {
                    Ok(Some(view)) => {
                        let event = PaperEvent {
                            paper: Paper::new(view),
                            from: moved.from.map(Into::into),
                            to: moved.to.into(),
                            at: moved.at,
                        };
                        return Some((Ok(event), Some(feed)));
                    }
                    Ok(None) => continue,
                    Err(err) => return Some((Err(err.into()), None)),
                }
            }
        }))
    }

    /// Every status change of a translation task the subscriber may see at
    /// the moment the change is delivered: translators see new open tasks
    /// appear (created, released, expired, or their paper entering
    /// TRANSLATION) and their own tasks change. Ends like `paperEvents`.
    async fn translation_task_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only tasks into this language (BCP 47 tag, e.g. \"en\").")]
        language: Option<String>,
    ) -> Result<impl Stream<Item = ApiResult<TranslationTaskEvent>> + use<>, ApiError> {
        let language = language
            .map(|tag| Language::parse_input("language", &tag).map(|l| l.as_str().to_owned()))
            .transpose()?;
        let feed = Feed::open(ctx)?;
        Ok(stream::unfold(Some(feed), move |feed| {
            let language = language.clone();
            async move {
                let mut feed = feed?;
                loop {
                    let Event::TaskChanged(changed) = feed.next().await? else {
                        continue;
                    };
                    if language
                        .as_ref()
                        .is_some_and(|language| *language != changed.target_language)
                    {
                        continue;
                    }
                    match live::task_changed(&feed.app, &feed.subscriber, &changed).await {
                        Ok(Some(view)) => {
                            let event = TranslationTaskEvent {
                                task: TranslationTask::new(view),
                                from: changed.from.map(Into::into),
                                to: changed.to.into(),
                                at: changed.at,
                            };
                            return Some((Ok(event), Some(feed)));
                        }
                        Ok(None) => continue,
                        Err(err) => return Some((Err(err.into()), None)),
                    }
                }
            }
        }))
    }
}

/// One subscription's view of the server's events.
struct Feed {
    app: AppState,
    subscriber: Subscriber,
    receiver: broadcast::Receiver<Event>,
}

impl Feed {
    /// Starts receiving at once, so nothing published after the
    /// subscription began is missed.
    fn open(ctx: &Context<'_>) -> ApiResult<Feed> {
        let app = app(ctx)?.clone();
        let token = ctx.data_opt::<SessionToken>().map(|token| token.0.clone());
        Ok(Feed {
            receiver: app.events.subscribe(),
            subscriber: Subscriber::new(viewer(ctx), token),
            app,
        })
    }

    /// The next event; `None` when the server stops publishing.
    async fn next(&mut self) -> Option<Event> {
        loop {
            match self.receiver.recv().await {
                Ok(event) => return Some(event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "a subscriber fell behind: events skipped");
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}
