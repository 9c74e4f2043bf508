//! Subscriptions: live events over `/graphql/ws`. Each resolver reads its
//! stream through a `live::Feed` (events in id order, resumable after a
//! cursor) and asks it about every event whether this subscriber may learn
//! of it now.

use async_graphql::{Context, Enum, ID, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};

use super::types::{Paper, StageValue, TaskStatusValue, TranslationTask};
use super::{ApiError, ApiResult, app, parse_id, viewer};
use crate::domain::Language;
use crate::events::{self, Event};
use crate::service::live::{Feed, Subscriber};

/// The token a WebSocket connection was opened with: the subscriber's
/// account is re-read with it for every event.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

#[derive(Default)]
pub struct SubscriptionRoot;

/// What happened to a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::event::PaperEventKind")]
pub enum PaperEventKind {
    /// Created as a DRAFT.
    Created,
    /// Created (`from` null) or updated by a catalogue import.
    Imported,
    /// Moved to another stage by someone.
    Moved,
    /// Published by the clock at its scheduled time.
    Released,
    /// Its texts, contributors, series or link were edited.
    Updated,
    /// Its publication date or dateline changed after publication.
    PublicationChanged,
    /// Its scheduled publication moved to another time.
    Rescheduled,
    /// A text of the published paper was corrected.
    Corrected,
    /// A reviewer was asked to review it.
    ReviewRequested,
    /// A reviewer submitted or declined their review.
    ReviewAnswered,
}

/// Something happened to a paper.
#[derive(SimpleObject)]
pub struct PaperEvent {
    /// Where this event is in the stream: subscribe again with it as
    /// `after` to receive every event after it.
    cursor: String,
    /// What happened.
    kind: PaperEventKind,
    /// The paper as it is now, as the subscriber may see it.
    paper: Paper,
    /// The stage it was in before; null when the paper was just created.
    /// Equal to `to` when the stage did not change.
    from: Option<StageValue>,
    /// The stage it was in after.
    to: StageValue,
    /// When it happened.
    at: DateTime<Utc>,
}

/// A translation task changed status.
#[derive(SimpleObject)]
pub struct TranslationTaskEvent {
    /// Where this event is in the stream: subscribe again with it as
    /// `after` to receive every event after it.
    cursor: String,
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
    /// Every event of a paper the subscriber may learn of at the moment it
    /// is delivered: stage changes (the public sees moves to PUBLISHED and
    /// corrections), edits, reviews. In the order they happened, none
    /// twice. With `after`, first every such event after that cursor, then
    /// live ones, with no gap. Ends with UNAUTHENTICATED when the
    /// subscriber's account is disabled, their token revoked or their roles
    /// changed: subscribe again.
    async fn paper_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only papers of this series.")] series_id: Option<ID>,
        #[graphql(
            desc = "Resume after this event's `cursor`. BAD_USER_INPUT, naming the oldest cursor still held, when events after it are no longer kept."
        )]
        after: Option<String>,
    ) -> Result<impl Stream<Item = ApiResult<PaperEvent>> + use<>, ApiError> {
        let series_id = series_id.map(|id| parse_id(&id, "series")).transpose()?;
        let feed = open(ctx, events::Stream::Papers, after).await?;
        Ok(stream::unfold(Some(feed), move |feed| async move {
            let mut feed = feed?;
            loop {
                let numbered = match feed.next().await {
                    Ok(Some(numbered)) => numbered,
                    Ok(None) => return None,
                    Err(err) => return Some((Err(err.into()), None)),
                };
                let Event::Paper(event) = numbered.event else {
                    continue;
                };
                if series_id.is_some() && event.series_id != series_id {
                    continue;
                }
                match feed.paper(&event).await {
                    Ok(Some(view)) => {
                        let event = PaperEvent {
                            cursor: numbered.id.to_string(),
                            kind: event.what.into(),
                            paper: Paper::new(view),
                            from: event.from.map(Into::into),
                            to: event.to.into(),
                            at: event.at,
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
    /// TRANSLATION) and their own tasks change. Resumes and ends like
    /// `paperEvents`.
    async fn translation_task_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only tasks into this language (BCP 47 tag, e.g. \"en\").")]
        language: Option<String>,
        #[graphql(
            desc = "Resume after this event's `cursor`. BAD_USER_INPUT, naming the oldest cursor still held, when events after it are no longer kept."
        )]
        after: Option<String>,
    ) -> Result<impl Stream<Item = ApiResult<TranslationTaskEvent>> + use<>, ApiError> {
        let language = language
            .map(|tag| Language::parse_input("language", &tag).map(|l| l.as_str().to_owned()))
            .transpose()?;
        let feed = open(ctx, events::Stream::Tasks, after).await?;
        Ok(stream::unfold(Some(feed), move |feed| {
            let language = language.clone();
            async move {
                let mut feed = feed?;
                loop {
                    let numbered = match feed.next().await {
                        Ok(Some(numbered)) => numbered,
                        Ok(None) => return None,
                        Err(err) => return Some((Err(err.into()), None)),
                    };
                    let Event::Task(changed) = numbered.event else {
                        continue;
                    };
                    if language
                        .as_ref()
                        .is_some_and(|language| *language != changed.target_language)
                    {
                        continue;
                    }
                    match feed.task(&changed).await {
                        Ok(Some(view)) => {
                            let event = TranslationTaskEvent {
                                cursor: numbered.id.to_string(),
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

/// The subscriber's feed of one stream, after `after` when given.
async fn open(ctx: &Context<'_>, stream: events::Stream, after: Option<String>) -> ApiResult<Feed> {
    let after = after.as_deref().map(parse_cursor).transpose()?;
    let token = ctx.data_opt::<SessionToken>().map(|token| token.0.clone());
    let subscriber = Subscriber::new(viewer(ctx), token);
    Ok(Feed::open(app(ctx)?, subscriber, stream, after).await?)
}

/// An event cursor: the event's number in the outbox.
fn parse_cursor(cursor: &str) -> ApiResult<i64> {
    cursor
        .parse::<i64>()
        .ok()
        .filter(|id| *id >= 0)
        .ok_or_else(|| {
            ApiError::bad_input(format!(
                "{cursor:?} is not an event cursor: pass the `cursor` of an event you received"
            ))
        })
}
