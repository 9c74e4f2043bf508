use async_graphql::connection::{Connection, EmptyFields, OpaqueCursor};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::OnceCell;

use super::announcement::{self, AnnouncementFormat};
use super::revision::PaperRevision;
use super::{Review, Series, TranslationTask, User};
use crate::domain::catalogue::{Dateline, HistoryKind};
use crate::domain::workflow::TransitionOption as DomainTransition;
use crate::domain::{DomainError, Language, Viewer};
use std::collections::HashSet;

use crate::domain::Role;
use crate::domain::policy::{ReviewAccess, TaskAccess, TextAccess};
use crate::graphql::loaders::{
    self, ClaimedBy, ContributorsOf, HistoryOf, ReadAhead, ReviewsOf, RevisionsOf, TasksOf,
    TextsOf, UserById,
};
use crate::graphql::{ApiResult, rows, viewer};
use crate::service::announcements::render;
use crate::service::papers::{self, PaperLists, PaperView};
use crate::service::tasks;
use crate::store::papers::{ContributorRow, PaperCursor, StageEventRow, TextRow, key_findings};
use crate::store::reviews::ReviewRow;
use crate::store::tasks::TaskRow;

/// Where a paper is in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "Stage", remote = "crate::domain::Stage")]
pub enum StageValue {
    /// Being written by its author.
    Draft,
    /// Handed to the editors.
    Submitted,
    /// Being translated.
    Translation,
    /// Being reviewed.
    Review,
    /// To be published by itself at `publishAt`. Under embargo until then:
    /// only editors and its authors see it.
    Scheduled,
    /// Public.
    Published,
    /// Withdrawn, rejected or retracted.
    Archived,
}

/// Which version of the paper a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "TextKind", remote = "crate::domain::TextKind")]
pub enum TextKindValue {
    /// The paper as its author wrote it.
    Original,
    /// A full translation.
    Full,
    /// A translated summary with key findings.
    Summary,
}

/// One paper of a series, moving from draft to publication.
///
/// Its nested lists are worked out once per paper object: from the rows its
/// page loaded for every paper at once ([`Paper::with_lists`]), or else
/// through the batching loader when first asked for.
pub struct Paper {
    view: PaperView,
    contributors: OnceCell<Vec<Contributor>>,
    texts: OnceCell<Vec<Text>>,
    tasks: OnceCell<Vec<TranslationTask>>,
    /// Every review, cut by the reader.
    reviews: OnceCell<Vec<ReviewRow>>,
    /// Every history entry, cut by the reader.
    history: OnceCell<Vec<StageEventRow>>,
}

/// One paper of a series, moving from draft to publication.
#[Object]
impl Paper {
    async fn id(&self) -> ID {
        ID(self.view.row.id.to_string())
    }

    /// Its address in URLs, made from the title unless given.
    async fn slug(&self) -> &str {
        &self.view.row.slug
    }

    async fn stage(&self) -> StageValue {
        self.view.stage.into()
    }

    /// Bumped by every change; send it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.view.row.version
    }

    /// BCP 47 tag of the language the paper was written in.
    async fn original_language(&self) -> &str {
        &self.view.row.original_language
    }

    /// Where the original is published, if elsewhere (e.g. the Russian
    /// original on the publisher's site).
    async fn original_url(&self) -> Option<&str> {
        self.view.row.original_url.as_deref()
    }

    /// The review round: 0 before the first review, then 1, 2, …
    async fn review_round(&self) -> i32 {
        self.view.row.review_round
    }

    /// When it was published: the moment it moved to PUBLISHED, or the
    /// real (historical) date an editor or a catalogue import gave.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.view.row.published_at
    }

    /// When a SCHEDULED paper will be published; null in other stages.
    async fn publish_at(&self) -> Option<DateTime<Utc>> {
        self.view.row.publish_at
    }

    /// Why a SCHEDULED paper was not published at `publishAt`: the rules
    /// that no longer hold (a translation gone stale, say). It is published
    /// as soon as they hold again, unless rescheduled or cancelled. Editors
    /// only; null for everyone else and when nothing holds it back.
    async fn release_held_back(&self) -> Option<&str> {
        match self.view.access.is_editor {
            true => self.view.row.release_held_back.as_deref(),
            false => None,
        }
    }

    /// The dateline its announcement opens with, when it has one.
    async fn dateline(&self) -> Option<DatelineValue> {
        let dateline = papers::dateline_of(&self.view.row);
        (dateline != Dateline::default()).then(|| DatelineValue {
            text: render::dateline(&dateline, self.view.row.published_at),
            place: dateline.place,
            date: dateline.date,
            issuer: dateline.issuer,
        })
    }

    /// Its key in the publisher's own catalogue, when it was imported.
    /// Editors only; null for everyone else.
    async fn external_key(&self) -> Option<&str> {
        match self.view.access.is_editor {
            true => self.view.row.external_key.as_deref(),
            false => None,
        }
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.view.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.view.row.updated_at
    }

    async fn series(&self, ctx: &Context<'_>) -> ApiResult<Option<Series>> {
        match self.view.row.series_id {
            Some(id) => Ok(loaders::series(rows(ctx)?, id).await?.map(Series)),
            None => Ok(None),
        }
    }

    /// The people credited, in order.
    async fn contributors(&self, ctx: &Context<'_>) -> ApiResult<&[Contributor]> {
        let contributors = self
            .contributors
            .get_or_try_init(|| async {
                let rows = rows(ctx)?
                    .load_one(ContributorsOf(self.view.row.id))
                    .await?;
                ApiResult::Ok(
                    rows.unwrap_or_default()
                        .into_iter()
                        .map(Contributor)
                        .collect(),
                )
            })
            .await?;
        Ok(contributors)
    }

    /// The original and the accepted translations the viewer may read.
    async fn texts(&self, ctx: &Context<'_>) -> ApiResult<&[Text]> {
        self.visible_texts(ctx).await
    }

    /// The text in one language, if there is one the viewer may read.
    async fn text(&self, ctx: &Context<'_>, language: String) -> ApiResult<Option<&Text>> {
        let language = Language::parse_input("language", &language)?;
        Ok(self
            .visible_texts(ctx)
            .await?
            .iter()
            .find(|text| text.row.language == language.as_str()))
    }

    /// The announcement of a published paper, as the publisher sends it
    /// out: series, title, contributors with position and affiliation, the
    /// publication date, the summary and key findings, and a link to the
    /// original. `language` (BCP 47) picks the text; without a text in it,
    /// the announcement is in the original language and says so. Only
    /// published papers have one: BAD_USER_INPUT otherwise. The same
    /// announcement fills the entries of `/feed.atom`.
    async fn announcement(
        &self,
        ctx: &Context<'_>,
        language: String,
        #[graphql(default_with = "AnnouncementFormat::Markdown")] format: AnnouncementFormat,
    ) -> ApiResult<String> {
        let language = Language::parse_input("language", &language)?;
        let texts = self.whole_texts(ctx).await?;
        announcement::announcement(ctx, &self.view, &texts, &language, format).await
    }

    /// Translation tasks, as far as the viewer may see them.
    async fn tasks(&self, ctx: &Context<'_>) -> ApiResult<&[TranslationTask]> {
        self.visible_tasks(ctx).await
    }

    /// Reviews: all for editors, without names for the author, their own for
    /// a reviewer, none for others.
    async fn reviews(&self, ctx: &Context<'_>) -> ApiResult<Vec<Review>> {
        if self.view.access.reviews == ReviewAccess::None {
            return Ok(vec![]);
        }
        let reviews = self.all_reviews(ctx).await?.to_vec();
        let views = papers::visible_reviews(&viewer(ctx), &self.view, reviews);
        Ok(views.into_iter().map(Review).collect())
    }

    /// When it was last corrected after publication; null if never.
    async fn corrected_at(&self) -> Option<DateTime<Utc>> {
        self.view.row.corrected_at
    }

    /// What the last correction changed and why, as its page prints it
    /// after "Corrected on …".
    async fn correction_note(&self) -> Option<&str> {
        self.view.row.correction_note.as_deref()
    }

    /// Every version readers were shown, oldest first: the texts as it was
    /// published, then after each correction, each with its time, note
    /// and (for editors and its authors) editor. Empty before publication,
    /// and for viewers who see only the source texts of their tasks.
    async fn revisions(&self, ctx: &Context<'_>) -> ApiResult<Vec<PaperRevision>> {
        if !papers::shows_revisions(&self.view) {
            return Ok(vec![]);
        }
        let revisions = rows(ctx)?
            .load_one(RevisionsOf(self.view.row.id))
            .await?
            .unwrap_or_default();
        Ok(papers::visible_revisions(&self.view, revisions)
            .into_iter()
            .map(PaperRevision)
            .collect())
    }

    /// Every stage change, oldest first; for editors and the author.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageEvent>> {
        if !self.view.access.history {
            return Ok(vec![]);
        }
        let events = self
            .history
            .get_or_try_init(|| async {
                let events = rows(ctx)?.load_one(HistoryOf(self.view.row.id)).await?;
                ApiResult::Ok(events.unwrap_or_default())
            })
            .await?
            .to_vec();
        Ok(papers::visible_history(&self.view, events)
            .into_iter()
            .map(StageEvent)
            .collect())
    }

    /// The stages the viewer could move the paper to from here, whether
    /// they may do it now, and what is still missing — from the same rules
    /// `movePaper` enforces.
    async fn available_transitions(&self, ctx: &Context<'_>) -> ApiResult<Vec<TransitionOption>> {
        if !papers::shows_transitions(&self.view) {
            return Ok(vec![]);
        }
        // Editors and the owning author see every text and task (the
        // policy's `sees_every_text_and_task`), so the lists this paper
        // shows, usually loaded with its page, are the whole lists.
        let (texts, tasks, reviews) = futures_util::try_join!(
            self.whole_texts(ctx),
            self.visible_tasks(ctx),
            self.all_reviews(ctx),
        )?;
        let tasks: Vec<TaskRow> = tasks.iter().map(|task| task.view().row.clone()).collect();
        let options = papers::available_transitions(&self.view, &texts, &tasks, reviews)?;
        Ok(options.into_iter().map(TransitionOption::from).collect())
    }
}

impl Paper {
    /// A paper whose nested lists load when first asked for.
    pub fn new(view: PaperView) -> Paper {
        Paper {
            view,
            contributors: OnceCell::new(),
            texts: OnceCell::new(),
            tasks: OnceCell::new(),
            reviews: OnceCell::new(),
            history: OnceCell::new(),
        }
    }

    /// A paper with the lists its page loaded for it.
    pub fn with_lists(view: PaperView, lists: PaperLists) -> Paper {
        Paper {
            view,
            contributors: OnceCell::new_with(
                lists
                    .contributors
                    .map(|rows| rows.into_iter().map(Contributor).collect()),
            ),
            texts: OnceCell::new_with(lists.texts.map(|texts| {
                texts
                    .into_iter()
                    .map(|(row, stale)| Text::new(row, stale, lists.texts_have_content))
                    .collect()
            })),
            tasks: OnceCell::new_with(lists.tasks.map(|tasks| {
                tasks
                    .into_iter()
                    .map(|task| TranslationTask::of_page(task, lists.tasks_have_submissions))
                    .collect()
            })),
            reviews: OnceCell::new_with(lists.reviews),
            history: OnceCell::new_with(lists.history),
        }
    }

    /// Every review of the paper, loaded with its page or when first asked
    /// for.
    async fn all_reviews(&self, ctx: &Context<'_>) -> ApiResult<&[ReviewRow]> {
        let reviews = self
            .reviews
            .get_or_try_init(|| async {
                let reviews = rows(ctx)?.load_one(ReviewsOf(self.view.row.id)).await?;
                ApiResult::Ok(reviews.unwrap_or_default())
            })
            .await?;
        Ok(reviews)
    }

    /// The tasks the viewer may see, loaded in a batch with the page's.
    async fn visible_tasks(&self, ctx: &Context<'_>) -> ApiResult<&[TranslationTask]> {
        let tasks = self
            .tasks
            .get_or_try_init(|| async {
                if self.view.access.tasks == TaskAccess::None {
                    return Ok(vec![]);
                }
                let viewer = viewer(ctx);
                let loader = rows(ctx)?;
                let tasks = loader
                    .load_one(TasksOf(self.view.row.id))
                    .await?
                    .unwrap_or_default();
                let held: HashSet<i64> = match viewer.user_id() {
                    Some(user_id) if viewer.has(Role::Translator) => loader
                        .load_many(tasks.iter().map(|task| ClaimedBy {
                            user_id,
                            task_id: task.id,
                        }))
                        .await?
                        .into_iter()
                        .filter(|(_, claimed)| *claimed)
                        .map(|(key, _)| key.task_id)
                        .collect(),
                    _ => HashSet::new(),
                };
                ApiResult::Ok(
                    tasks::visible_of_paper(&viewer, &self.view, tasks, &held)
                        .into_iter()
                        .map(TranslationTask::new)
                        .collect(),
                )
            })
            .await?;
        Ok(tasks)
    }

    /// The texts the viewer may read, each with whether it is stale.
    async fn visible_texts(&self, ctx: &Context<'_>) -> ApiResult<&[Text]> {
        let texts = self
            .texts
            .get_or_try_init(|| async {
                let texts = rows(ctx)?
                    .load_one(TextsOf(self.view.row.id))
                    .await?
                    .unwrap_or_default();
                let sources = match self.view.access.texts {
                    TextAccess::Sources => self.visible_tasks(ctx).await?,
                    TextAccess::All => &[],
                };
                let visible = papers::visible_texts(
                    &self.view,
                    texts,
                    sources.iter().map(TranslationTask::view),
                );
                ApiResult::Ok(
                    visible
                        .into_iter()
                        .map(|(row, stale)| Text::new(row, stale, true))
                        .collect(),
                )
            })
            .await?;
        Ok(texts)
    }

    /// The texts the viewer may read, with their content: the page's
    /// headings completed from whole rows when the page left it out.
    async fn whole_texts(&self, ctx: &Context<'_>) -> ApiResult<Vec<TextRow>> {
        let visible = self.visible_texts(ctx).await?;
        if visible.iter().all(|text| text.has_content) {
            return Ok(visible.iter().map(|text| text.row.clone()).collect());
        }
        let whole = rows(ctx)?
            .load_one(TextsOf(self.view.row.id))
            .await?
            .unwrap_or_default();
        Ok(visible
            .iter()
            .filter_map(|text| whole.iter().find(|row| row.id == text.row.id).cloned())
            .collect())
    }
}

/// A page of papers.
pub type PaperConnection = Connection<OpaqueCursor<PaperCursor>, Paper, PaperTotals, EmptyFields>;

/// Totals that come with a page of papers.
#[derive(SimpleObject)]
pub struct PaperTotals {
    /// How many papers match, across all pages.
    pub total_count: u64,
}

/// One language version of a paper. A page's texts may come without their
/// content (`has_content` false: abstract, key findings and body left
/// empty); the content fields then read the whole row.
pub struct Text {
    row: TextRow,
    stale: bool,
    has_content: bool,
    whole: OnceCell<TextRow>,
}

impl Text {
    fn new(row: TextRow, stale: bool, has_content: bool) -> Text {
        Text {
            row,
            stale,
            has_content,
            whole: OnceCell::new(),
        }
    }

    /// The row with its content, read when the page left it out.
    async fn content(&self, ctx: &Context<'_>) -> ApiResult<&TextRow> {
        if self.has_content {
            return Ok(&self.row);
        }
        self.whole
            .get_or_try_init(|| async {
                rows(ctx)?
                    .load_one(TextsOf(self.row.paper_id))
                    .await?
                    .unwrap_or_default()
                    .into_iter()
                    .find(|row| row.id == self.row.id)
                    .ok_or_else(|| DomainError::NotFound("text").into())
            })
            .await
    }
}

/// One language version of a paper.
#[Object]
impl Text {
    /// BCP 47 tag.
    async fn language(&self) -> &str {
        &self.row.language
    }

    async fn kind(&self) -> ApiResult<TextKindValue> {
        Ok(self.row.kind.parse::<crate::domain::TextKind>()?.into())
    }

    async fn title(&self) -> &str {
        &self.row.title
    }

    #[graphql(name = "abstract")]
    async fn abstract_text(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        Ok(self.content(ctx).await?.r#abstract.as_deref())
    }

    /// In order.
    async fn key_findings(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        Ok(key_findings(&self.content(ctx).await?.key_findings)?)
    }

    async fn body(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        Ok(self.content(ctx).await?.body.as_deref())
    }

    /// Bumped by every change of this text.
    async fn revision(&self) -> i32 {
        self.row.revision
    }

    /// A translation made from an older revision of the original.
    async fn stale(&self) -> bool {
        self.stale
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    /// Who translated it; null for the original.
    async fn translator(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        user_for(ctx, self.row.translated_by).await
    }
}

/// A user by id, shaped for the viewer.
pub(crate) async fn user_for(ctx: &Context<'_>, id: Option<i64>) -> ApiResult<Option<User>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let viewer: Viewer = viewer(ctx);
    let row = match ctx.data_opt::<ReadAhead>().and_then(|ahead| ahead.user(id)) {
        Some(row) => row,
        None => rows(ctx)?.load_one(UserById(id)).await?,
    };
    Ok(row.map(|row| User::for_viewer(row, &viewer)))
}

/// A person credited on a paper.
pub struct Contributor(pub ContributorRow);

#[Object]
impl Contributor {
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// e.g. "Deputy Minister of Foreign Affairs of the Russian Federation".
    async fn position(&self) -> Option<&str> {
        self.0.position.as_deref()
    }

    /// e.g. "Russian Foreign Ministry".
    async fn affiliation(&self) -> Option<&str> {
        self.0.affiliation.as_deref()
    }

    /// The contributor's account, if they have one.
    async fn user(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        user_for(ctx, self.0.user_id).await
    }
}

/// What a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "HistoryKind", remote = "crate::domain::catalogue::HistoryKind")]
pub enum HistoryKindValue {
    /// A stage change, or (with `from` null) the paper's creation.
    Moved,
    /// Created or updated by a catalogue import; `at` is the original
    /// publication date for a paper imported as published.
    Imported,
    /// Its publication date or dateline changed after publication.
    PublicationChanged,
    /// Its scheduled publication moved to another time (`note` says why).
    Rescheduled,
    /// A text of the published paper was corrected (`note` says what and
    /// why; `revisions` keeps each version).
    Corrected,
}

/// An announcement's dateline: "MOSCOW. OCTOBER 13, 2020. PIR PRESS."
#[derive(SimpleObject)]
#[graphql(name = "Dateline")]
pub struct DatelineValue {
    /// "MOSCOW".
    pub place: Option<String>,
    /// The announcement's date; the publication date when null.
    pub date: Option<NaiveDate>,
    /// Who issued it: "PIR PRESS".
    pub issuer: Option<String>,
    /// The dateline as the announcement prints it.
    pub text: String,
}

/// One entry of a paper's history: a stage change, an import, or a change
/// of its publication details.
pub struct StageEvent(pub StageEventRow);

#[Object]
impl StageEvent {
    async fn kind(&self) -> ApiResult<HistoryKindValue> {
        Ok(self.0.kind.parse::<HistoryKind>()?.into())
    }

    /// Null for the paper's creation.
    async fn from(&self) -> ApiResult<Option<StageValue>> {
        Ok(self
            .0
            .from_stage
            .as_deref()
            .map(str::parse::<crate::domain::Stage>)
            .transpose()?
            .map(Into::into))
    }

    async fn to(&self) -> ApiResult<StageValue> {
        Ok(self.0.to_stage.parse::<crate::domain::Stage>()?.into())
    }

    /// Who moved it.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        user_for(ctx, self.0.actor_id).await
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A stage the paper could move to, judged for the viewer.
#[derive(SimpleObject)]
pub struct TransitionOption {
    pub to: StageValue,
    /// The viewer may make this move right now.
    pub allowed: bool,
    /// The viewer is one of those who may make this move at all.
    pub permitted: bool,
    /// `movePaper` needs a note for this move.
    pub note_required: bool,
    /// What is still missing, in words ("the English summary is not
    /// accepted yet"); empty when nothing is.
    pub unmet_guards: Vec<String>,
}

impl From<DomainTransition> for TransitionOption {
    fn from(option: DomainTransition) -> Self {
        TransitionOption {
            to: option.to.into(),
            allowed: option.allowed(),
            permitted: option.permitted,
            note_required: option.note_required,
            unmet_guards: option.unmet,
        }
    }
}
