//! Papers: creating, editing, reading (through the visibility policy) and
//! moving them through the stages. `move_paper` is the one door for every
//! stage change.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::tasks::TaskView;
use super::{ServiceError, ServiceResult, retrying};
use crate::app::AppState;
use crate::domain::catalogue::{Dateline, HistoryKind, PublicationDetails, PublishedAtChange};
use crate::domain::event::PaperEventKind;
use crate::domain::paper::{parse_contributors, parse_original_url};
use crate::domain::policy::{PaperAccess, PaperRelation, PaperScope, ReviewAccess, TextAccess};
use crate::domain::publishing::RevisionKind;
use crate::domain::workflow::{
    self, MoveEffects, PaperFacts, ReviewFact, Standing, TaskFact, TransitionOption,
};
use crate::domain::{
    ContributorInput, DomainError, Language, Role, Slug, Stage, TaskStatus, TextContent, TextEdit,
    TextField, TextKind, Viewer,
};
use crate::events::Event;
use crate::store::papers::{
    self, ContributorRow, HistoryEntry, NestedLists, NestedRows, NewPaperRow, NewRevision,
    PageWindow, PaperChange, PaperFilter, PaperKey, PaperRow, PaperSort, Part, Revision,
    StageEventRow, TextRow, TextWrite,
};
use crate::store::reviews::{self, ReviewRow};
use crate::store::tasks::{self, TaskRow};
use crate::store::{self, StoreError, series};

/// A paper the viewer may see, with what they may see of it.
#[derive(Debug, Clone)]
pub struct PaperView {
    pub row: PaperRow,
    pub stage: Stage,
    pub access: PaperAccess,
}

/// A new paper as someone asked for it.
#[derive(Debug, Clone)]
pub struct NewPaper {
    pub original_language: String,
    pub title: String,
    pub abstract_text: Option<String>,
    pub key_findings: Vec<String>,
    pub body: Option<String>,
    pub series_id: Option<i64>,
    pub contributors: Vec<ContributorInput>,
    pub original_url: Option<String>,
    pub slug: Option<String>,
}

/// Changes to a paper; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct PaperEdit {
    /// Of the original text.
    pub text: TextEdit,
    pub series_id: Option<Option<i64>>,
    pub contributors: Option<Vec<ContributorInput>>,
    pub original_url: Option<Option<String>>,
}

/// The dateline a paper's announcement opens with.
pub fn dateline_of(row: &PaperRow) -> Dateline {
    Dateline {
        place: row.dateline_place.clone(),
        date: row.dateline_date,
        issuer: row.dateline_issuer.clone(),
    }
}

pub(crate) fn stage_of(row: &PaperRow) -> ServiceResult<Stage> {
    row.stage.parse().map_err(|_| {
        StoreError::Corrupt(format!("paper {} has stage {:?}", row.id, row.stage)).into()
    })
}

/// How the viewer relates to each paper, loaded in one batch.
async fn relations(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: &[&PaperRow],
) -> ServiceResult<HashMap<i64, PaperRelation>> {
    match viewer.user_id() {
        Some(user_id) if !viewer.has(Role::Editor) && !rows.is_empty() => {
            Ok(papers::relations(db, user_id, rows).await?)
        }
        _ => Ok(HashMap::new()),
    }
}

async fn view_all(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: Vec<PaperRow>,
) -> ServiceResult<Vec<PaperView>> {
    let relations = relations(db, viewer, &rows.iter().collect::<Vec<_>>()).await?;
    rows.into_iter()
        .map(|row| {
            let stage = stage_of(&row)?;
            let relation = relations.get(&row.id).copied().unwrap_or_default();
            Ok(PaperView {
                access: PaperAccess::for_viewer(viewer, stage, relation),
                stage,
                row,
            })
        })
        .collect()
}

async fn view_one(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    row: PaperRow,
) -> ServiceResult<PaperView> {
    view_all(db, viewer, vec![row])
        .await?
        .pop()
        .ok_or_else(|| DomainError::NotFound("paper").into())
}

/// A paper by id or slug; NOT_FOUND when it does not exist or the viewer may
/// not see it, so its existence does not leak.
pub async fn get(state: &AppState, viewer: &Viewer, key: &PaperKey) -> ServiceResult<PaperView> {
    let row = papers::find_visible(&state.db, PaperScope::for_viewer(viewer), key)
        .await?
        .ok_or(DomainError::NotFound("paper"))?;
    view_one(&state.db, viewer, row).await
}

/// Which nested lists of a page's papers a request reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListsWanted {
    pub contributors: bool,
    pub texts: bool,
    /// Whether the texts' content (abstract, key findings, body) is read,
    /// or only their headings.
    pub text_content: bool,
    pub tasks: bool,
    /// Whether the tasks' submissions and notes are read, or only their
    /// headings.
    pub task_submissions: bool,
    pub reviews: bool,
    pub history: bool,
}

/// One paper's nested lists; `None` for those not wanted.
#[derive(Debug, Default)]
pub struct PaperLists {
    pub contributors: Option<Vec<ContributorRow>>,
    /// Cut to what the viewer may see; without their content unless
    /// `texts_have_content` ([`papers::TextHeading`]).
    pub texts: Option<Vec<(TextRow, bool)>>,
    pub texts_have_content: bool,
    /// Cut to what the viewer may see; without their submissions and notes
    /// unless `tasks_have_submissions` ([`tasks::TaskHeading`]).
    pub tasks: Option<Vec<TaskView>>,
    pub tasks_have_submissions: bool,
    /// Every review, as [`visible_reviews`] and the transitions take them.
    pub reviews: Option<Vec<ReviewRow>>,
    /// Every history entry, as [`visible_history`] takes them.
    pub history: Option<Vec<StageEventRow>>,
}

impl ListsWanted {
    /// The lists to read with the page. A viewer who may see a paper's
    /// texts only through its tasks needs the tasks to cut the texts.
    fn nested(self, viewer: &Viewer) -> NestedLists {
        let part = |whole: bool| if whole { Part::Whole } else { Part::Heading };
        let tasks = self.tasks || (self.texts && TextAccess::may_follow_tasks(viewer));
        NestedLists {
            contributors: self.contributors,
            texts: self.texts.then(|| part(self.text_content)),
            tasks: tasks.then(|| part(self.task_submissions)),
            reviews: self.reviews,
            history: self.history,
        }
    }
}

/// A page of the papers the viewer may see, with the nested lists the
/// request reads: one statement for the page and its lists whatever its
/// size (and, for viewers who are not editors, a fixed few for how they
/// relate to the papers and which tasks they held), each list then cut per
/// paper by the same rules as a single paper's fields.
pub async fn page(
    state: &AppState,
    viewer: &Viewer,
    filter: &PaperFilter,
    sort: PaperSort,
    window: &PageWindow,
    wanted: ListsWanted,
) -> ServiceResult<Vec<(PaperView, PaperLists)>> {
    let db = &state.db;
    let scope = PaperScope::for_viewer(viewer);
    let nested = wanted.nested(viewer);
    if !nested.any() {
        let rows = papers::page(db, scope, filter, sort, window).await?;
        let views = view_all(db, viewer, rows).await?;
        return Ok(views
            .into_iter()
            .map(|view| (view, PaperLists::default()))
            .collect());
    }
    let page = papers::page_with_lists(db, scope, filter, sort, window, nested).await?;
    let (rows, lists): (Vec<PaperRow>, Vec<NestedRows>) = page
        .into_iter()
        .map(|paper| (paper.paper, paper.lists))
        .unzip();
    let views = view_all(db, viewer, rows).await?;
    let held = super::tasks::held_by(db, viewer, lists.iter().flat_map(|l| &l.tasks)).await?;
    Ok(views
        .into_iter()
        .zip(lists)
        .map(|(paper, rows)| {
            let NestedRows {
                contributors,
                texts,
                tasks,
                reviews,
                history,
            } = rows;
            let visible_tasks = nested
                .tasks
                .map(|_| super::tasks::visible_of_paper(viewer, &paper, tasks, &held));
            let texts = wanted
                .texts
                .then(|| visible_texts(&paper, texts, visible_tasks.iter().flatten()));
            let lists = PaperLists {
                contributors: wanted.contributors.then_some(contributors),
                texts,
                texts_have_content: wanted.text_content,
                tasks: visible_tasks.filter(|_| wanted.tasks),
                tasks_have_submissions: wanted.task_submissions,
                reviews: wanted.reviews.then_some(reviews),
                history: wanted.history.then_some(history),
            };
            (paper, lists)
        })
        .collect())
}

/// How many papers the viewer may see match, across all pages.
pub async fn count(
    state: &AppState,
    viewer: &Viewer,
    filter: &PaperFilter,
    sort: PaperSort,
) -> ServiceResult<u64> {
    let scope = PaperScope::for_viewer(viewer);
    Ok(papers::count(&state.db, scope, filter, sort).await?)
}

async fn check_contributor_users(
    db: &impl ConnectionTrait,
    list: &[ContributorInput],
) -> ServiceResult<()> {
    for user_id in list.iter().filter_map(|c| c.user_id) {
        if store::users::find(db, user_id).await?.is_none() {
            return Err(DomainError::bad_input(format!(
                "contributor user {user_id} does not exist"
            ))
            .into());
        }
    }
    Ok(())
}

async fn check_series(db: &impl ConnectionTrait, series_id: Option<i64>) -> ServiceResult<()> {
    if let Some(id) = series_id
        && series::find(db, id).await?.is_none()
    {
        return Err(DomainError::NotFound("series").into());
    }
    Ok(())
}

/// An author or editor starts a paper as a DRAFT with its original text.
pub async fn create(state: &AppState, viewer: &Viewer, new: NewPaper) -> ServiceResult<PaperView> {
    retrying(|| create_once(state, viewer, new.clone())).await
}

async fn create_once(state: &AppState, viewer: &Viewer, new: NewPaper) -> ServiceResult<PaperView> {
    let actor = viewer.require_user()?;
    if !actor.has(Role::Author) && !actor.has(Role::Editor) {
        return Err(DomainError::forbidden("only authors and editors create papers").into());
    }
    let language = Language::parse_input("originalLanguage", &new.original_language)?;
    let content = TextContent::parse(
        &new.title,
        new.abstract_text.as_deref(),
        &new.key_findings,
        new.body.as_deref(),
    )?;
    let contributors = parse_contributors(new.contributors)?;
    let original_url = parse_original_url(new.original_url.as_deref())?;
    let given_slug = new.slug.as_deref().map(Slug::parse).transpose()?;
    let now = state.clock.now();

    let tx = store::begin_write(&state.db).await?;
    check_series(&tx, new.series_id).await?;
    check_contributor_users(&tx, &contributors).await?;
    let new_row = NewPaperRow {
        slug: String::new(),
        title: content.title.clone(),
        series_id: new.series_id,
        original_language: language.as_str().to_owned(),
        original_url,
        created_by: actor.id,
        stage: Stage::Draft,
        published_at: None,
        external_key: None,
        dateline: Dateline::default(),
    };
    let row = match given_slug {
        Some(slug) => insert_with_slug(&tx, new_row, &slug, now).await?,
        None => insert_with_free_slug(&tx, new_row, Slug::from_title(&content.title), now).await?,
    };
    let original = TextWrite {
        paper_id: row.id,
        language: language.as_str(),
        kind: TextKind::Original,
        content: &content,
        source_revision: None,
        translated_by: None,
    };
    papers::insert_text(&tx, original, now).await?;
    papers::insert_contributors(&tx, row.id, &contributors).await?;
    papers::insert_stage_event(&tx, row.id, None, Stage::Draft, Some(actor.id), None, now).await?;
    store::status::count_stage(&tx, row.series_id, Stage::Draft, 1).await?;
    let created = Event::paper(
        &row,
        PaperEventKind::Created,
        None,
        Stage::Draft,
        Some(actor.id),
        now,
    );
    state.events.commit(tx, vec![created]).await?;
    get(state, viewer, &PaperKey::Id(row.id)).await
}

fn slug_taken_error(slug: &Slug) -> ServiceError {
    TextField::SLUG
        .error(format_args!("{:?} is taken", slug.as_str()))
        .into()
}

/// Inserts the paper under the slug its creator chose; a paper created with
/// the same slug a moment earlier, not yet visible to the check, is caught
/// by the unique index and answered the same way.
pub(crate) async fn insert_with_slug(
    tx: &DatabaseTransaction,
    mut row: NewPaperRow,
    slug: &Slug,
    now: DateTime<Utc>,
) -> ServiceResult<PaperRow> {
    if papers::slug_taken(tx, slug.as_str()).await? {
        return Err(slug_taken_error(slug));
    }
    row.slug = slug.as_str().to_owned();
    match papers::insert(tx, row, now).await {
        Err(StoreError::UniqueViolation(detail)) => {
            match papers::slug_taken(tx, slug.as_str()).await? {
                true => Err(slug_taken_error(slug)),
                // Another unique column: an import's key.
                false => Err(StoreError::UniqueViolation(detail).into()),
            }
        }
        inserted => Ok(inserted?),
    }
}

/// Inserts the paper under its title's slug, or the first of slug-2,
/// slug-3, … that is free. Each try is a savepoint: when a concurrent
/// creation of a paper with the same title takes a slug between the check
/// and the insert, the unique index refuses it and the next one is tried.
pub(crate) async fn insert_with_free_slug(
    tx: &DatabaseTransaction,
    mut row: NewPaperRow,
    base: Slug,
    now: DateTime<Utc>,
) -> ServiceResult<PaperRow> {
    let candidates =
        std::iter::once(base.clone()).chain((2..MAX_SLUG_SUFFIX).map(|n| base.with_suffix(n)));
    for candidate in candidates {
        if papers::slug_taken(tx, candidate.as_str()).await? {
            continue;
        }
        row.slug = candidate.as_str().to_owned();
        let attempt = tx.begin().await?;
        match papers::insert(&attempt, row.clone(), now).await {
            Ok(inserted) => {
                attempt.commit().await?;
                return Ok(inserted);
            }
            Err(StoreError::UniqueViolation(detail)) => {
                attempt.rollback().await?;
                if !papers::slug_taken(tx, candidate.as_str()).await? {
                    // Another unique column: an import's key.
                    return Err(StoreError::UniqueViolation(detail).into());
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(DomainError::bad_input("too many papers share this title: give a slug").into())
}

/// Papers with one title get slugs up to `title-999`; beyond, a slug must be given.
const MAX_SLUG_SUFFIX: u32 = 1000;

/// Loads the paper for a change, locked, with the viewer's access to it.
pub(crate) async fn load_for_change(
    tx: &DatabaseTransaction,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<PaperView> {
    let row =
        papers::find_visible_for_update(tx, PaperScope::for_viewer(viewer), &PaperKey::Id(id))
            .await?
            .ok_or(DomainError::NotFound("paper"))?;
    view_one(tx, viewer, row).await
}

fn standing(access: &PaperAccess) -> Standing {
    Standing {
        is_editor: access.is_editor,
        is_owning_author: access.is_owning_author,
    }
}

/// What an edit that lost to another change is told.
const EDITED_MEANWHILE: &str = "the paper changed while you edited it: reload and try again";

/// Writes `change` if the paper is still at `expected_version`; CONFLICT
/// saying `lost` when another change came first.
pub(crate) async fn change_if_version(
    db: &impl ConnectionTrait,
    id: i64,
    expected_version: i32,
    change: PaperChange,
    now: DateTime<Utc>,
    lost: &str,
) -> ServiceResult<()> {
    match papers::update_if_version(db, id, expected_version, change, now).await? {
        true => Ok(()),
        false => Err(DomainError::Conflict(lost.to_owned()).into()),
    }
}

/// Writes a change that is not a move, under `expected_version` (CONFLICT
/// when another change came first), with the history row saying what it
/// was, at the entry's time.
pub(crate) async fn change_with_history(
    tx: &DatabaseTransaction,
    paper: &PaperRow,
    change: PaperChange,
    entry: HistoryEntry,
) -> ServiceResult<Event> {
    let at = entry.at;
    change_if_version(tx, paper.id, paper.version, change, at, EDITED_MEANWHILE).await?;
    let event = Event::paper(
        paper,
        entry.kind.into(),
        entry.from,
        entry.to,
        entry.actor_id,
        at,
    );
    papers::insert_history(tx, entry).await?;
    Ok(event)
}

pub(crate) fn check_version(paper: &PaperRow, expected_version: i32) -> ServiceResult<()> {
    if paper.version != expected_version {
        return Err(DomainError::Conflict(format!(
            "the paper changed since you loaded it (version {} now, you sent {expected_version}): reload and try again",
            paper.version
        ))
        .into());
    }
    Ok(())
}

/// Edits a paper: its author while it is a DRAFT, editors until it is
/// published. Compare-and-set on `expected_version`; a change to the
/// original text makes translations made from it stale.
pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    edit: PaperEdit,
) -> ServiceResult<PaperView> {
    retrying(|| update_once(state, viewer, id, expected_version, edit.clone())).await
}

async fn update_once(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    edit: PaperEdit,
) -> ServiceResult<PaperView> {
    let actor = viewer.require_user()?;
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    let paper = load_for_change(&tx, viewer, id).await?;
    workflow::check_edit(standing(&paper.access), paper.stage)?;
    check_version(&paper.row, expected_version)?;

    let original = papers::original_text(&tx, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("paper {id} has no original text")))?;
    let current = papers::content_of(&original)?;
    let edited = current.edited(&edit.text)?;
    if edited != current {
        let text = TextWrite {
            paper_id: id,
            language: &original.language,
            kind: TextKind::Original,
            content: &edited,
            source_revision: None,
            translated_by: None,
        };
        papers::put_text(&tx, text, now).await?;
    }
    if let Some(list) = edit.contributors {
        let list = parse_contributors(list)?;
        check_contributor_users(&tx, &list).await?;
        papers::replace_contributors(&tx, id, &list).await?;
    }
    if let Some(series_id) = edit.series_id
        && series_id != paper.row.series_id
    {
        check_series(&tx, series_id).await?;
        store::status::move_count(
            &tx,
            (paper.row.series_id, paper.stage),
            (series_id, paper.stage),
        )
        .await?;
    }
    let original_url = edit
        .original_url
        .map(|url| parse_original_url(url.as_deref()))
        .transpose()?;
    let change = PaperChange {
        series_id: edit.series_id,
        original_url,
        ..PaperChange::default()
    };
    change_if_version(&tx, id, expected_version, change, now, EDITED_MEANWHILE).await?;
    let mut edited = paper.row.clone();
    edited.series_id = edit.series_id.unwrap_or(edited.series_id);
    let updated = Event::paper_changed(
        &edited,
        PaperEventKind::Updated,
        paper.stage,
        Some(actor.id),
        now,
    );
    state.events.commit(tx, vec![updated]).await?;
    tracing::info!(paper = id, actor = actor.id, "paper edited");
    get(state, viewer, &PaperKey::Id(id)).await
}

/// What the stage guards need to know about a paper, loaded in `db` (inside
/// a move's transaction).
pub(crate) async fn facts(
    db: &impl ConnectionTrait,
    paper: &PaperRow,
    stage: Stage,
) -> ServiceResult<PaperFacts> {
    let texts = papers::texts_of(db, &[paper.id]).await?;
    let tasks = tasks::of_papers(db, &[paper.id]).await?;
    let reviews = reviews::of_papers(db, &[paper.id]).await?;
    facts_from(paper, stage, &texts, &tasks, &reviews)
}

/// What the stage guards need to know, from a paper's loaded rows.
pub fn facts_from(
    paper: &PaperRow,
    stage: Stage,
    texts: &[TextRow],
    tasks: &[TaskRow],
    reviews: &[ReviewRow],
) -> ServiceResult<PaperFacts> {
    let original = texts.iter().find(|t| t.kind == TextKind::Original.as_str());
    Ok(PaperFacts {
        stage,
        original_has_title: original.is_some_and(|t| !t.title.trim().is_empty()),
        original_has_abstract_or_body: original
            .is_some_and(|t| t.r#abstract.is_some() || t.body.is_some()),
        tasks: tasks
            .iter()
            .map(|t| {
                Ok(TaskFact {
                    target_language: Language::parse(&t.target_language)?,
                    kind: t.kind.parse()?,
                    status: t.status.parse()?,
                })
            })
            .collect::<Result<_, DomainError>>()?,
        stale_languages: texts
            .iter()
            .filter(|t| is_stale(t, original.map(|o| o.revision)))
            .map(|t| Language::parse(&t.language))
            .collect::<Result<_, _>>()?,
        current_round_reviews: reviews
            .iter()
            .filter(|r| r.round == paper.review_round)
            .map(|r| {
                Ok(ReviewFact {
                    status: r.status.parse()?,
                    recommendation: r.recommendation.as_deref().map(str::parse).transpose()?,
                })
            })
            .collect::<Result<_, DomainError>>()?,
    })
}

/// A translation made from an older revision of the original.
pub fn is_stale(text: &TextRow, original_revision: Option<i32>) -> bool {
    match (text.source_revision, original_revision) {
        (Some(source), Some(original)) => source < original,
        _ => false,
    }
}

/// Moves a paper to another stage: the one door for every stage change.
/// One transaction: checks the rules table, compare-and-sets the stage and
/// version, writes the stage event, and applies the move's side effects.
pub async fn move_paper(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    to: Stage,
    expected_version: i32,
    note: Option<String>,
    details: PublicationDetails,
) -> ServiceResult<PaperView> {
    retrying(|| {
        move_paper_once(
            state,
            viewer,
            id,
            to,
            expected_version,
            note.clone(),
            details.clone(),
        )
    })
    .await
}

async fn move_paper_once(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    to: Stage,
    expected_version: i32,
    note: Option<String>,
    details: PublicationDetails,
) -> ServiceResult<PaperView> {
    let actor = viewer.require_user()?;
    let note = TextField::NOTE.optional(note.as_deref())?.map(String::from);
    let now = state.clock.now();
    let to = details.check_on_move(to, note.as_deref(), now)?;
    let tx = store::begin_write(&state.db).await?;
    let paper = load_for_change(&tx, viewer, id).await?;
    check_version(&paper.row, expected_version)?;
    let facts = facts(&tx, &paper.row, paper.stage).await?;
    let effects = workflow::check_move(standing(&paper.access), &facts, to, note.as_deref())?;
    let checked = CheckedMove {
        paper: &paper.row,
        from: paper.stage,
        to,
        effects,
        actor_id: Some(actor.id),
        publisher: Some(actor.id),
        note,
        details,
    };
    let events = apply_move(&tx, checked, now).await?;
    state.events.commit(tx, events).await?;
    tracing::info!(paper = id, actor = actor.id, from = %paper.stage, to = %to, "paper moved");
    get(state, viewer, &PaperKey::Id(id)).await
}

/// A stage change the rules table allowed, about to be written.
pub(crate) struct CheckedMove<'a> {
    pub paper: &'a PaperRow,
    pub from: Stage,
    pub to: Stage,
    pub effects: MoveEffects,
    /// None: the clock made the move (a scheduled release).
    pub actor_id: Option<i64>,
    /// The editor a move to PUBLISHED credits in the paper's revisions:
    /// the actor, or for a release the editor who scheduled it.
    pub publisher: Option<i64>,
    pub note: Option<String>,
    pub details: PublicationDetails,
}

/// Writes a checked move in `tx`: compare-and-sets the stage and version
/// (CONFLICT when another change came first), keeps the stage counts,
/// writes the stage event and the move's side effects. Answers the events
/// to record with `tx`. `move_paper` and the scheduled
/// release both write through here.
pub(crate) async fn apply_move(
    tx: &DatabaseTransaction,
    checked: CheckedMove<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Event>> {
    let CheckedMove {
        paper,
        from,
        to,
        effects,
        actor_id,
        publisher,
        note,
        details,
    } = checked;
    let publish_at = if effects.set_schedule {
        Some(details.publish_at)
    } else {
        effects.clear_schedule.then_some(None)
    };
    let change = PaperChange {
        stage: Some(to),
        start_review_round: effects.start_review_round,
        published_at: effects.mark_published.then(|| details.date_on_publish(now)),
        dateline: details.dateline.clone(),
        publish_at,
        ..PaperChange::default()
    };
    change_if_version(
        tx,
        paper.id,
        paper.version,
        change,
        now,
        "someone else moved the paper first: reload and try again",
    )
    .await?;
    store::status::move_count(tx, (paper.series_id, from), (paper.series_id, to)).await?;
    papers::insert_stage_event(tx, paper.id, Some(from), to, actor_id, note.clone(), now).await?;
    let what = match actor_id {
        Some(_) => PaperEventKind::Moved,
        None => PaperEventKind::Released,
    };
    let mut events = vec![Event::paper(paper, what, Some(from), to, actor_id, now)];
    if effects.cancel_pending_tasks {
        for task in tasks::of_papers(tx, &[paper.id]).await? {
            let status: TaskStatus = task.status.parse()?;
            if status.is_pending() {
                events.push(
                    super::tasks::cancel_in(tx, &task, status, actor_id, note.clone(), now).await?,
                );
            }
        }
    }
    if to == Stage::Translation {
        events.extend(super::tasks::opened_for_translators(tx, paper.id, now).await?);
    }
    if effects.cancel_requested_reviews {
        reviews::cancel_requested(tx, paper.id, now).await?;
    }
    if effects.mark_published {
        // Dated as the publication this move makes: the real date an
        // editor gave, the time it was scheduled for, or now.
        let (PublishedAtChange::To(at) | PublishedAtChange::IfUnset(at)) =
            details.date_on_publish(now);
        let revision = NewRevision {
            paper_id: paper.id,
            kind: RevisionKind::Published,
            editor_id: publisher,
            note: note.clone(),
            at,
        };
        papers::record_revision(tx, revision).await?;
    }
    Ok(events)
}

/// Changes a published paper's date or dateline: editors, with a note that
/// goes into its history. CONFLICT when `expected_version` is stale.
pub async fn update_publication(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    details: PublicationDetails,
    note: Option<String>,
) -> ServiceResult<PaperView> {
    retrying(|| {
        update_publication_once(
            state,
            viewer,
            id,
            expected_version,
            details.clone(),
            note.clone(),
        )
    })
    .await
}

async fn update_publication_once(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    expected_version: i32,
    details: PublicationDetails,
    note: Option<String>,
) -> ServiceResult<PaperView> {
    let actor = viewer.require_user()?;
    let note = TextField::NOTE.optional(note.as_deref())?.map(String::from);
    let now = state.clock.now();
    let tx = store::begin_write(&state.db).await?;
    let paper = load_for_change(&tx, viewer, id).await?;
    details.check_change(paper.access.is_editor, paper.stage, note.as_deref(), now)?;
    check_version(&paper.row, expected_version)?;
    let change = PaperChange {
        published_at: details.published_at.map(PublishedAtChange::To),
        dateline: details.dateline,
        ..PaperChange::default()
    };
    let entry = HistoryEntry {
        paper_id: id,
        kind: HistoryKind::PublicationChanged,
        from: Some(paper.stage),
        to: paper.stage,
        actor_id: Some(actor.id),
        note,
        at: now,
    };
    let changed = change_with_history(&tx, &paper.row, change, entry).await?;
    state.events.commit(tx, vec![changed]).await?;
    tracing::info!(paper = id, actor = actor.id, "publication details changed");
    get(state, viewer, &PaperKey::Id(id)).await
}

/// The stages the viewer could move the paper to, judged by the same table
/// `move_paper` enforces, from the paper's loaded rows. Empty for viewers
/// who may move nothing.
pub fn available_transitions(
    paper: &PaperView,
    texts: &[TextRow],
    tasks: &[TaskRow],
    reviews: &[ReviewRow],
) -> ServiceResult<Vec<TransitionOption>> {
    if !shows_transitions(paper) {
        return Ok(vec![]);
    }
    let facts = facts_from(&paper.row, paper.stage, texts, tasks, reviews)?;
    Ok(workflow::available_transitions(
        standing(&paper.access),
        &facts,
    ))
}

/// Whether the viewer is shown the paper's moves at all
/// ([`Standing::sees_moves`]); for anyone else nothing needs loading.
pub fn shows_transitions(paper: &PaperView) -> bool {
    standing(&paper.access).sees_moves()
}

/// The texts the viewer sees, with whether each is stale. Viewers who see
/// only source texts see the source languages of the tasks they may see.
pub fn visible_texts<'a>(
    paper: &PaperView,
    texts: Vec<TextRow>,
    visible_tasks: impl IntoIterator<Item = &'a TaskView>,
) -> Vec<(TextRow, bool)> {
    let original_revision = texts
        .iter()
        .find(|t| t.kind == TextKind::Original.as_str())
        .map(|t| t.revision);
    let sources: Option<Vec<&str>> = match paper.access.texts {
        TextAccess::All => None,
        TextAccess::Sources => Some(
            visible_tasks
                .into_iter()
                .map(|task| task.row.source_language.as_str())
                .collect(),
        ),
    };
    texts
        .into_iter()
        .filter(|t| {
            sources
                .as_ref()
                .is_none_or(|langs| langs.contains(&t.language.as_str()))
        })
        .map(|t| {
            let stale = is_stale(&t, original_revision);
            (t, stale)
        })
        .collect()
}

/// The stage history, for those who may see it (editors and the owning
/// author); empty for everyone else.
pub fn visible_history(paper: &PaperView, events: Vec<StageEventRow>) -> Vec<StageEventRow> {
    if paper.access.history { events } else { vec![] }
}

/// A revision as the viewer sees it.
#[derive(Debug, Clone)]
pub struct RevisionView {
    pub revision: Revision,
    /// Whether the viewer sees who published or corrected it: those who
    /// read the paper's history.
    pub editor_visible: bool,
}

/// Whether the viewer sees a paper's revisions: those who see every text
/// of it (readers of a published paper, its authors, editors), not those
/// who see only the source texts of their tasks. For anyone else nothing
/// needs loading.
pub fn shows_revisions(paper: &PaperView) -> bool {
    paper.access.texts == TextAccess::All
}

/// The revisions the viewer sees ([`shows_revisions`]), and of each whether
/// they see who made it.
pub fn visible_revisions(paper: &PaperView, revisions: Vec<Revision>) -> Vec<RevisionView> {
    if !shows_revisions(paper) {
        return vec![];
    }
    revisions
        .into_iter()
        .map(|revision| RevisionView {
            revision,
            editor_visible: paper.access.history,
        })
        .collect()
}

/// A review as the viewer sees it: blind reviews hide the reviewer.
#[derive(Debug, Clone)]
pub struct ReviewView {
    pub row: ReviewRow,
    pub reviewer_visible: bool,
}

/// The reviews the viewer sees: all (editors), all without names (the
/// owning author), their own (a reviewer), or none.
pub fn visible_reviews(
    viewer: &Viewer,
    paper: &PaperView,
    rows: Vec<ReviewRow>,
) -> Vec<ReviewView> {
    let me = viewer.user_id();
    rows.into_iter()
        .filter_map(|row| {
            let own = Some(row.reviewer_id) == me;
            let reviewer_visible = match paper.access.reviews {
                ReviewAccess::Full => true,
                ReviewAccess::Own if own => true,
                ReviewAccess::Blind => own,
                ReviewAccess::Own | ReviewAccess::None => return None,
            };
            Some(ReviewView {
                row,
                reviewer_visible,
            })
        })
        .collect()
}

/// Papers by id as the viewer sees them; those out of scope are missing.
pub async fn visible_by_ids(
    state: &AppState,
    viewer: &Viewer,
    ids: &[i64],
) -> ServiceResult<Vec<PaperView>> {
    let rows = papers::visible_by_ids(&state.db, PaperScope::for_viewer(viewer), ids).await?;
    view_all(&state.db, viewer, rows).await
}
