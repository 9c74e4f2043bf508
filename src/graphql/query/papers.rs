use async_graphql::connection::{CursorType, Edge, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use crate::domain::search::SearchQuery;
use crate::domain::{Language, TextField};
use crate::graphql::loaders::{self, ReadAhead};
use crate::graphql::types::{Paper, PaperConnection, PaperTotals, Series, StageValue};
use crate::graphql::{
    ApiError, ApiResult, Paging, app, page_complexity, parse_id, rows, viewer, wants_total,
};
use crate::service::papers::{ListsWanted, PaperLists, PaperView};
use crate::service::{papers, series};
use crate::store::papers::{
    PageWindow, PaperCursor, PaperFilter, PaperKey, PaperOrder, PaperSort, TimeRange,
};

#[derive(Default)]
pub struct PaperQuery;

/// What lists of papers can be ordered by; ties go by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum PaperOrderField {
    UpdatedAt,
    /// Lists only papers that have been published.
    PublishedAt,
    CreatedAt,
    /// The original's title.
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum OrderDirection {
    Asc,
    Desc,
}

/// An order for a list of papers (default: most recently updated first).
#[derive(InputObject)]
pub struct PaperOrderBy {
    pub field: PaperOrderField,
    #[graphql(default_with = "OrderDirection::Desc")]
    pub direction: OrderDirection,
}

/// A time range: `from` inclusive, `to` exclusive; either may be left out.
#[derive(InputObject, Clone, Copy, Default)]
pub struct DateTimeRange {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// What a list of papers may be narrowed to; every field given must hold.
#[derive(InputObject, Default)]
pub struct PapersFilter {
    /// Any of these stages.
    pub stages: Option<Vec<StageValue>>,
    pub series_id: Option<ID>,
    /// BCP 47 tag of the original's language.
    pub original_language: Option<String>,
    /// Has a text (original or accepted translation) in this language.
    pub with_text_in: Option<String>,
    /// Has no text in this language yet.
    pub without_text_in: Option<String>,
    /// A credited contributor's name contains this, whatever the case, in
    /// any script.
    pub contributor: Option<String>,
    /// A credited contributor is this user.
    pub contributor_user_id: Option<ID>,
    pub created: Option<DateTimeRange>,
    pub updated: Option<DateTimeRange>,
    pub published: Option<DateTimeRange>,
    /// Full-text search over titles, abstracts, key findings and bodies in
    /// every language, each text stemmed in its own language: `treaty
    /// stability` (both words), `"strategic stability"` (a phrase), `treaty
    /// OR agreement`, `treaty -space` (without). At most 16 words.
    pub search: Option<String>,
}

fn language_tag(field: &'static str, tag: Option<String>) -> ApiResult<Option<String>> {
    Ok(tag
        .map(|tag| Language::parse_input(field, &tag).map(|l| l.as_str().to_owned()))
        .transpose()?)
}

fn range(range: Option<DateTimeRange>) -> TimeRange {
    let range = range.unwrap_or_default();
    TimeRange {
        from: range.from,
        to: range.to,
    }
}

impl PapersFilter {
    pub(crate) fn into_store(self) -> ApiResult<PaperFilter> {
        Ok(PaperFilter {
            stages: self
                .stages
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            series_id: self
                .series_id
                .map(|id| parse_id(&id, "series"))
                .transpose()?,
            original_language: language_tag("originalLanguage", self.original_language)?,
            with_text_in: language_tag("withTextIn", self.with_text_in)?,
            without_text_in: language_tag("withoutTextIn", self.without_text_in)?,
            contributor_name: TextField::CONTRIBUTOR
                .optional(self.contributor.as_deref())?
                .map(String::from),
            contributor_user_id: self
                .contributor_user_id
                .map(|id| parse_id(&id, "user"))
                .transpose()?,
            created: range(self.created),
            updated: range(self.updated),
            published: range(self.published),
            search: SearchQuery::parse_optional(self.search.as_deref())?,
        })
    }
}

/// Relay paging arguments: `first`/`after` reads forward, `last`/`before`
/// backward.
pub(crate) struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

#[Object]
impl PaperQuery {
    /// A paper by id or slug (give exactly one). NOT_FOUND when it does not
    /// exist or the viewer may not see it.
    async fn paper(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
    ) -> ApiResult<Paper> {
        let key = match (id, slug) {
            (Some(id), None) => PaperKey::Id(parse_id(&id, "paper")?),
            (None, Some(slug)) => PaperKey::Slug(TextField::SLUG.exact(&slug)?.into()),
            _ => return Err(ApiError::bad_input("give either id or slug")),
        };
        Ok(Paper::new(
            papers::get(app(ctx)?, &viewer(ctx), &key).await?,
        ))
    }

    /// The papers the viewer may see (a Relay connection with stable keyset
    /// cursors; at most 100 a page).
    #[graphql(complexity = "page_complexity(first.or(last), child_complexity)")]
    async fn papers(
        &self,
        ctx: &Context<'_>,
        filter: Option<PapersFilter>,
        order_by: Option<PaperOrderBy>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PaperConnection> {
        let filter = filter.unwrap_or_default().into_store()?;
        papers_page(
            ctx,
            filter,
            order_by,
            PageArgs {
                first,
                after,
                last,
                before,
            },
        )
        .await
    }

    /// Every series.
    async fn all_series(&self, ctx: &Context<'_>) -> ApiResult<Vec<Series>> {
        Ok(series::all(app(ctx)?)
            .await?
            .into_iter()
            .map(Series)
            .collect())
    }

    /// A series by slug.
    async fn series(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Series> {
        Ok(Series(series::by_slug(app(ctx)?, &slug).await?))
    }
}

fn sort_of(order_by: Option<PaperOrderBy>) -> PaperSort {
    let Some(order_by) = order_by else {
        return PaperSort::default();
    };
    PaperSort {
        order: match order_by.field {
            PaperOrderField::UpdatedAt => PaperOrder::UpdatedAt,
            PaperOrderField::PublishedAt => PaperOrder::PublishedAt,
            PaperOrderField::CreatedAt => PaperOrder::CreatedAt,
            PaperOrderField::Title => PaperOrder::Title,
        },
        descending: order_by.direction == OrderDirection::Desc,
    }
}

fn decode(cursor: Option<String>, sort: PaperSort) -> ApiResult<Option<PaperCursor>> {
    cursor
        .map(|cursor| {
            OpaqueCursor::<PaperCursor>::decode_cursor(&cursor)
                .ok()
                .map(|cursor| cursor.0)
                .filter(|cursor| sort.accepts(cursor))
                .ok_or_else(|| {
                    ApiError::bad_input("the cursor does not come from a list in this order")
                })
        })
        .transpose()
}

/// One page of papers for any list field.
pub(crate) async fn papers_page(
    ctx: &Context<'_>,
    filter: PaperFilter,
    order_by: Option<PaperOrderBy>,
    args: PageArgs,
) -> ApiResult<PaperConnection> {
    let sort = sort_of(order_by);
    let paging = Paging::new(args.first, args.last)?;
    let window = PageWindow {
        after: decode(args.after, sort)?,
        before: decode(args.before, sort)?,
        from_end: paging.from_end,
        limit: paging.probe(),
    };
    let (app, viewer) = (app(ctx)?, viewer(ctx));
    let wanted = PageWants::of(ctx);
    let mut page = papers::page(app, &viewer, &filter, sort, &window, wanted.lists).await?;
    let total_count = if wants_total(ctx) {
        papers::count(app, &viewer, &filter, sort).await?
    } else {
        0
    };
    let (has_previous_page, has_next_page) =
        paging.finish(&mut page, window.after.is_some(), window.before.is_some());
    wanted.read_ahead(ctx, &page).await?;
    let mut connection = PaperConnection::with_additional_fields(
        has_previous_page,
        has_next_page,
        PaperTotals { total_count },
    );
    connection
        .edges
        .extend(page.into_iter().map(|(view, lists)| {
            let cursor = OpaqueCursor(sort.cursor(&view.row));
            Edge::new(cursor, Paper::with_lists(view, lists))
        }));
    Ok(connection)
}

/// What a request reads of a page's papers (through `edges` or `nodes`),
/// to be loaded for the whole page at once, in a fixed number of
/// statements: the nested lists with the page, then the series, the tasks'
/// logs and the users the fields name, one statement each. Texts come
/// without their content, and tasks without their submissions and notes,
/// unless something asks for them; a look-ahead that counts too much only
/// loads more.
struct PageWants {
    lists: ListsWanted,
    series: bool,
    task_events: bool,
    users: bool,
}

impl PageWants {
    fn of(ctx: &Context<'_>) -> PageWants {
        let page = ctx.look_ahead();
        let (edges, nodes) = (page.field("edges").field("node"), page.field("nodes"));
        let wants = |path: &[&str]| {
            [&edges, &nodes].into_iter().any(|node| {
                let mut field = node.field(path[0]);
                for name in &path[1..] {
                    field = field.field(name);
                }
                field.exists()
            })
        };
        let wants_any_of =
            |field: &str, nested: &[&str]| nested.iter().any(|inner| wants(&[field, inner]));
        let text_content = ["abstract", "keyFindings", "body"];
        let transitions = wants(&["availableTransitions"]);
        PageWants {
            lists: ListsWanted {
                contributors: wants(&["contributors"]),
                texts: wants(&["texts"]) || wants(&["text"]) || wants(&["announcement"]),
                text_content: wants_any_of("texts", &text_content)
                    || wants_any_of("text", &text_content)
                    || wants(&["announcement"])
                    || transitions,
                tasks: wants(&["tasks"]),
                task_submissions: wants_any_of("tasks", &["submission", "note"]),
                reviews: wants(&["reviews"]) || transitions,
                history: wants(&["history"]),
            },
            series: wants(&["series"]),
            task_events: wants(&["tasks", "events"]),
            users: wants(&["contributors", "user"])
                || wants(&["texts", "translator"])
                || wants(&["text", "translator"])
                || wants(&["tasks", "claimedBy"])
                || wants(&["tasks", "events", "actor"])
                || wants(&["reviews", "reviewer"])
                || wants(&["history", "actor"]),
        }
    }

    /// Reads what the page's fields name beyond its lists: its series, its
    /// visible tasks' logs, then every user its rows name.
    async fn read_ahead(
        &self,
        ctx: &Context<'_>,
        page: &[(PaperView, PaperLists)],
    ) -> ApiResult<()> {
        let loader = rows(ctx)?;
        if self.series {
            let series: Vec<i64> = page
                .iter()
                .filter_map(|(view, _)| view.row.series_id)
                .collect();
            loaders::read_series(loader, &series).await?;
        }
        let Some(ahead) = ctx.data_opt::<ReadAhead>() else {
            return Ok(());
        };
        let tasks = || {
            page.iter()
                .flat_map(|(_, lists)| lists.tasks.iter().flatten())
        };
        let mut users: Vec<i64> = Vec::new();
        if self.task_events {
            let logged: Vec<i64> = tasks()
                .filter(|task| task.details_visible)
                .map(|task| task.row.id)
                .collect();
            ahead.read_task_events(loader, &logged).await?;
            if self.users {
                for id in logged {
                    users.extend(
                        ahead
                            .task_events(id)
                            .into_iter()
                            .flatten()
                            .filter_map(|e| e.actor_id),
                    );
                }
            }
        }
        if self.users {
            for (_, lists) in page {
                users.extend(
                    lists
                        .contributors
                        .iter()
                        .flatten()
                        .filter_map(|c| c.user_id),
                );
                users.extend(
                    lists
                        .texts
                        .iter()
                        .flatten()
                        .filter_map(|(t, _)| t.translated_by),
                );
                users.extend(lists.reviews.iter().flatten().map(|r| r.reviewer_id));
                users.extend(lists.history.iter().flatten().filter_map(|h| h.actor_id));
            }
            users.extend(tasks().filter_map(|task| task.row.claimed_by));
            users.sort_unstable();
            users.dedup();
            ahead.read_users(loader, &users).await?;
        }
        Ok(())
    }
}
