use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::catalogue::{Dateline, PublicationDetails};
use crate::domain::{ContributorInput, DomainError, TextEdit};
use crate::graphql::types::{Paper, Series, StageValue};
use crate::graphql::{ApiResult, app, parse_id, viewer};
use crate::service::papers::{self, NewPaper, PaperEdit};
use crate::service::publishing::{self, Correction};
use crate::service::series;

#[derive(Default)]
pub struct PaperMutation;

/// A person to credit on a paper.
#[derive(InputObject)]
pub struct ContributorInputValue {
    pub name: String,
    pub position: Option<String>,
    pub affiliation: Option<String>,
    /// Link to the contributor's account, if they have one; linked authors
    /// see and may submit the paper.
    pub user_id: Option<ID>,
}

impl ContributorInputValue {
    fn into_domain(self) -> ApiResult<ContributorInput> {
        Ok(ContributorInput {
            name: self.name,
            position: self.position,
            affiliation: self.affiliation,
            user_id: self.user_id.map(|id| parse_id(&id, "user")).transpose()?,
        })
    }
}

fn contributors(list: Vec<ContributorInputValue>) -> ApiResult<Vec<ContributorInput>> {
    list.into_iter()
        .map(ContributorInputValue::into_domain)
        .collect()
}

/// A new paper: its original text and credits.
#[derive(InputObject)]
#[graphql(name = "CreatePaperInput")]
pub struct CreatePaperInput {
    /// BCP 47 tag of the language it is written in, e.g. "ru".
    pub original_language: String,
    pub title: String,
    #[graphql(name = "abstract")]
    pub abstract_text: Option<String>,
    #[graphql(default)]
    pub key_findings: Vec<String>,
    pub body: Option<String>,
    pub series_id: Option<ID>,
    #[graphql(default)]
    pub contributors: Vec<ContributorInputValue>,
    /// Where the original is published, if elsewhere.
    pub original_url: Option<String>,
    /// Made from the title when not given.
    pub slug: Option<String>,
}

/// Changes to a paper. Leave a field out to keep it; set `abstract`,
/// `body`, `seriesId` or `originalUrl` to null to clear it. `title`,
/// `keyFindings` and `contributors` cannot be null (BAD_USER_INPUT): a
/// paper always has a title, and an empty list clears the others.
#[derive(InputObject, Default)]
pub struct UpdatePaperInput {
    pub title: MaybeUndefined<String>,
    #[graphql(name = "abstract")]
    pub abstract_text: MaybeUndefined<String>,
    pub key_findings: MaybeUndefined<Vec<String>>,
    pub body: MaybeUndefined<String>,
    pub series_id: MaybeUndefined<ID>,
    /// Replaces the whole list.
    pub contributors: MaybeUndefined<Vec<ContributorInputValue>>,
    pub original_url: MaybeUndefined<String>,
}

/// A correction of one text of a published paper. Leave a field out to
/// keep it; set `abstract` or `body` to null to clear it; `title` and
/// `keyFindings` cannot be null (an empty list clears the findings).
#[derive(InputObject, Default)]
pub struct CorrectionInput {
    /// BCP 47 tag of the text to correct; the original when left out.
    pub language: Option<String>,
    pub title: MaybeUndefined<String>,
    #[graphql(name = "abstract")]
    pub abstract_text: MaybeUndefined<String>,
    pub key_findings: MaybeUndefined<Vec<String>>,
    pub body: MaybeUndefined<String>,
}

/// An announcement's dateline: "MOSCOW. OCTOBER 13, 2020. PIR PRESS."
#[derive(InputObject)]
pub struct DatelineInput {
    /// "MOSCOW"; printed in capitals.
    pub place: Option<String>,
    /// The announcement's date, when it is not the publication date.
    pub date: Option<NaiveDate>,
    /// Who issued it: "PIR PRESS".
    pub issuer: Option<String>,
}

impl DatelineInput {
    fn into_domain(self) -> ApiResult<Dateline> {
        Ok(Dateline::parse(
            self.place.as_deref(),
            self.date,
            self.issuer.as_deref(),
        )?)
    }
}

fn publication_details(
    published_at: Option<DateTime<Utc>>,
    dateline: Option<DatelineInput>,
    publish_at: Option<DateTime<Utc>>,
) -> ApiResult<PublicationDetails> {
    Ok(PublicationDetails {
        published_at,
        dateline: dateline.map(DatelineInput::into_domain).transpose()?,
        publish_at,
    })
}

/// A field that may be left out but not cleared.
fn not_null<T>(field: &'static str, value: MaybeUndefined<T>) -> ApiResult<Option<T>> {
    match value {
        MaybeUndefined::Null => Err(DomainError::cannot_clear(field).into()),
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Value(value) => Ok(Some(value)),
    }
}

/// A text's fields as an input gives them: `title` and `keyFindings` may
/// be left out but not cleared.
fn text_edit(
    title: MaybeUndefined<String>,
    abstract_text: MaybeUndefined<String>,
    key_findings: MaybeUndefined<Vec<String>>,
    body: MaybeUndefined<String>,
) -> ApiResult<TextEdit> {
    Ok(TextEdit {
        title: not_null("title", title)?,
        abstract_text: abstract_text.into(),
        key_findings: not_null("keyFindings", key_findings)?,
        body: body.into(),
    })
}

#[Object]
impl PaperMutation {
    /// Creates a series. Editors only.
    async fn create_series(
        &self,
        ctx: &Context<'_>,
        slug: String,
        title: String,
        description: Option<String>,
    ) -> ApiResult<Series> {
        let row = series::create(
            app(ctx)?,
            &viewer(ctx),
            &slug,
            &title,
            description.as_deref(),
        )
        .await?;
        Ok(Series(row))
    }

    /// Starts a paper as a DRAFT. Authors and editors.
    async fn create_paper(&self, ctx: &Context<'_>, input: CreatePaperInput) -> ApiResult<Paper> {
        let new = NewPaper {
            original_language: input.original_language,
            title: input.title,
            abstract_text: input.abstract_text,
            key_findings: input.key_findings,
            body: input.body,
            series_id: input
                .series_id
                .map(|id| parse_id(&id, "series"))
                .transpose()?,
            contributors: contributors(input.contributors)?,
            original_url: input.original_url,
            slug: input.slug,
        };
        Ok(Paper::new(
            papers::create(app(ctx)?, &viewer(ctx), new).await?,
        ))
    }

    /// Edits a paper: its author while it is a DRAFT, editors until it is
    /// published. CONFLICT when `expectedVersion` is not the current one.
    async fn update_paper(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdatePaperInput,
    ) -> ApiResult<Paper> {
        let id = parse_id(&id, "paper")?;
        let series_id: Option<Option<ID>> = input.series_id.into();
        let edit = PaperEdit {
            text: text_edit(
                input.title,
                input.abstract_text,
                input.key_findings,
                input.body,
            )?,
            series_id: series_id
                .map(|id| id.map(|id| parse_id(&id, "series")).transpose())
                .transpose()?,
            contributors: not_null("contributors", input.contributors)?
                .map(contributors)
                .transpose()?,
            original_url: input.original_url.into(),
        };
        Ok(Paper::new(
            papers::update(app(ctx)?, &viewer(ctx), id, expected_version, edit).await?,
        ))
    }

    /// Moves a paper to another stage: the one door for every stage change.
    /// INVALID_TRANSITION when the rules do not allow it (the message says
    /// what is missing), CONFLICT when `expectedVersion` is stale.
    async fn move_paper(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: StageValue,
        expected_version: i32,
        #[graphql(
            desc = "Why; required for moves back, for archiving published work and with `publishedAt`."
        )]
        note: Option<String>,
        #[graphql(
            desc = "With a move to PUBLISHED: the real publication date, when it was earlier (never in the future); the moment of the move when left out."
        )]
        published_at: Option<DateTime<Utc>>,
        #[graphql(desc = "With a move to PUBLISHED: the announcement's dateline.")]
        dateline: Option<DatelineInput>,
        #[graphql(
            desc = "With a move to PUBLISHED (or SCHEDULED): a future time to publish at. The paper is SCHEDULED until then, seen only by editors and its authors, and then published by itself if the rules still hold."
        )]
        publish_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Paper> {
        let id = parse_id(&id, "paper")?;
        let view = papers::move_paper(
            app(ctx)?,
            &viewer(ctx),
            id,
            to.into(),
            expected_version,
            note,
            publication_details(published_at, dateline, publish_at)?,
        )
        .await?;
        Ok(Paper::new(view))
    }

    /// Changes a published paper's publication date or dateline, with a
    /// note that goes into its history. Editors only. A `dateline` given
    /// replaces the whole dateline. CONFLICT when `expectedVersion` is
    /// stale.
    async fn update_publication(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        published_at: Option<DateTime<Utc>>,
        dateline: Option<DatelineInput>,
        #[graphql(desc = "Why it changes; required, and shown in the history.")] note: String,
    ) -> ApiResult<Paper> {
        let id = parse_id(&id, "paper")?;
        let view = papers::update_publication(
            app(ctx)?,
            &viewer(ctx),
            id,
            expected_version,
            publication_details(published_at, dateline, None)?,
            Some(note),
        )
        .await?;
        Ok(Paper::new(view))
    }

    /// Corrects one text of a PUBLISHED paper without unpublishing it.
    /// Editors only. The note is required and public: the paper's page and
    /// announcement say "Corrected on …" with it. Every earlier version
    /// stays readable in `revisions`; translations made from an earlier
    /// original go stale. CONFLICT when `expectedVersion` is stale.
    async fn correct_paper(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: CorrectionInput,
        #[graphql(desc = "What the correction changes and why; required, and public.")]
        note: String,
    ) -> ApiResult<Paper> {
        let id = parse_id(&id, "paper")?;
        let correction = Correction {
            language: input.language,
            text: text_edit(
                input.title,
                input.abstract_text,
                input.key_findings,
                input.body,
            )?,
        };
        let view = publishing::correct(
            app(ctx)?,
            &viewer(ctx),
            id,
            expected_version,
            correction,
            Some(note),
        )
        .await?;
        Ok(Paper::new(view))
    }

    /// Moves a SCHEDULED paper's `publishAt` to another future time, with a
    /// note that goes into its history. Editors only. To cancel the
    /// schedule, move the paper back to REVIEW (with a note); to publish
    /// at once, move it to PUBLISHED. CONFLICT when `expectedVersion` is
    /// stale.
    async fn reschedule_paper(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        publish_at: DateTime<Utc>,
        #[graphql(desc = "Why it moves; required, and shown in the history.")] note: String,
    ) -> ApiResult<Paper> {
        let id = parse_id(&id, "paper")?;
        let view = publishing::reschedule(
            app(ctx)?,
            &viewer(ctx),
            id,
            expected_version,
            publish_at,
            Some(note),
        )
        .await?;
        Ok(Paper::new(view))
    }
}
