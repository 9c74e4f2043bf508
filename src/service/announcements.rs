//! Announcements of published papers, like the one a publisher sends out
//! when a report comes out (`shared/fixtures/sample-publication.txt`):
//! series, title, contributors with position and affiliation, the date, the
//! summary and key findings in the reader's language, and a link to the
//! original. [`build`] is a plain function over loaded rows; [`render`]
//! turns its result into plain text, Markdown or HTML. The feed, the paper
//! pages and `paper.announcement` all use the same two.

pub mod render;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::ServiceResult;
use super::papers::{self, PaperView, stage_of};
use crate::app::AppState;
use crate::domain::catalogue::Dateline;
use crate::domain::policy::{PaperAccess, PaperRelation, PaperScope};
use crate::domain::{DomainError, Language, Stage, TextContent, TextField, TextKind, Viewer};
use crate::store::papers::{
    self as paper_store, ContributorRow, PageWindow, PaperFilter, PaperKey, PaperOrder, PaperRow,
    PaperSort, TextRow,
};
use crate::store::series::{self as series_store, SeriesRow};
use crate::store::{StoreError, series};

/// Most entries a feed holds: the newest publications.
pub const FEED_ENTRIES: u64 = 50;

/// The language announcements are in when the reader names none.
pub const DEFAULT_LANGUAGE: &str = "en";

/// A person credited on the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    pub name: String,
    pub position: Option<String>,
    pub affiliation: Option<String>,
}

/// The series a paper came out in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesLine {
    pub slug: String,
    pub title: String,
}

/// A correction as an announcement prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionLine {
    pub at: DateTime<Utc>,
    pub note: String,
}

/// Everything an announcement says, before it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub slug: String,
    pub series: Option<SeriesLine>,
    /// In [`Announcement::language`].
    pub title: String,
    /// In order.
    pub contributors: Vec<Credit>,
    pub published_at: DateTime<Utc>,
    /// Place, date and issuer the lead opens with ([`render::dateline`]).
    pub dateline: Dateline,
    pub updated_at: DateTime<Utc>,
    /// The latest correction after publication, which the announcement
    /// prints as "Corrected on …" with its note.
    pub correction: Option<CorrectionLine>,
    /// The language of the title, summary and key findings: the one asked
    /// for when the paper has a text in it, else the original's.
    pub language: Language,
    /// The language asked for, when the paper has no text in it (and the
    /// announcement fell back to the original).
    pub missing: Option<Language>,
    pub summary: Option<String>,
    /// In order.
    pub key_findings: Vec<String>,
    pub original_language: Language,
    /// Where the original text is: the paper's `originalUrl` when it has
    /// one, else Imprint's page of the original text.
    pub original_link: String,
    /// Imprint's page of the paper (the announcement itself).
    pub link: String,
}

/// Imprint's page of a published paper.
pub fn paper_url(public_url: &str, slug: &str) -> String {
    format!("{public_url}/papers/{slug}")
}

/// Imprint's page of one text of a published paper.
pub fn text_url(public_url: &str, slug: &str, language: &str) -> String {
    format!("{public_url}/papers/{slug}/text/{language}")
}

/// The Atom feed of every series, or of one.
pub fn feed_url(public_url: &str, series_slug: Option<&str>) -> String {
    match series_slug {
        Some(slug) => format!("{public_url}/series/{slug}/feed.atom"),
        None => format!("{public_url}/feed.atom"),
    }
}

/// Whether one tag names the other or a narrower form of it (`en` and
/// `en-GB`), so a reader asking for `en` gets a British English text, but
/// one asking for `zh-Hans` does not get `zh-Hant`.
fn same_language(a: &str, b: &str) -> bool {
    let narrower = |wide: &str, narrow: &str| {
        narrow.len() > wide.len()
            && narrow[..wide.len()].eq_ignore_ascii_case(wide)
            && narrow.as_bytes()[wide.len()] == b'-'
    };
    a.eq_ignore_ascii_case(b) || narrower(a, b) || narrower(b, a)
}

/// The text in `wanted`: in exactly that language, else in a wider or
/// narrower form of it (the original first).
pub fn text_in<'a>(texts: &'a [TextRow], wanted: &Language) -> Option<&'a TextRow> {
    let wanted = wanted.as_str();
    texts
        .iter()
        .find(|t| t.language.eq_ignore_ascii_case(wanted))
        .or_else(|| {
            texts
                .iter()
                .filter(|t| same_language(&t.language, wanted))
                .min_by_key(|t| (t.kind != TextKind::Original.as_str(), t.id))
        })
}

/// The announcement of a published paper in `wanted`, from its loaded
/// rows: `texts` are those the reader may read, `contributors` its credits.
/// BAD_USER_INPUT for a paper that is not published.
pub fn build(
    paper: &PaperRow,
    series: Option<&SeriesRow>,
    contributors: &[ContributorRow],
    texts: &[TextRow],
    wanted: &Language,
    public_url: &str,
) -> ServiceResult<Announcement> {
    if stage_of(paper)? != Stage::Published {
        return Err(DomainError::bad_input("only published papers have an announcement").into());
    }
    let corrupt = |what: &str| StoreError::Corrupt(format!("published paper {} {what}", paper.id));
    let published_at = paper
        .published_at
        .ok_or_else(|| corrupt("has no publication date"))?;
    let original = texts
        .iter()
        .find(|t| t.kind == TextKind::Original.as_str())
        .ok_or_else(|| corrupt("has no original text"))?;
    let found = text_in(texts, wanted);
    let text = found.unwrap_or(original);
    let mut credits: Vec<&ContributorRow> = contributors
        .iter()
        .filter(|c| c.paper_id == paper.id)
        .collect();
    credits.sort_by_key(|c| c.ordinal);
    let original_language = Language::parse(&paper.original_language)?;
    let original_link = paper
        .original_url
        .clone()
        .unwrap_or_else(|| text_url(public_url, &paper.slug, original_language.as_str()));
    Ok(Announcement {
        slug: paper.slug.clone(),
        series: series.map(|s| SeriesLine {
            slug: s.slug.clone(),
            title: s.title.clone(),
        }),
        title: text.title.clone(),
        contributors: credits
            .into_iter()
            .map(|c| Credit {
                name: c.name.clone(),
                position: c.position.clone(),
                affiliation: c.affiliation.clone(),
            })
            .collect(),
        published_at,
        dateline: papers::dateline_of(paper),
        updated_at: paper.updated_at,
        correction: paper
            .corrected_at
            .zip(paper.correction_note.clone())
            .map(|(at, note)| CorrectionLine { at, note }),
        language: Language::parse(&text.language)?,
        missing: found.is_none().then(|| wanted.clone()),
        summary: text.r#abstract.clone(),
        key_findings: paper_store::key_findings(&text.key_findings)?,
        original_language,
        original_link,
        link: paper_url(public_url, &paper.slug),
    })
}

/// A published paper as the public sees it, whoever asks: the feed and the
/// paper pages show only what an anonymous reader may.
fn public_view(row: PaperRow) -> ServiceResult<PaperView> {
    let stage = stage_of(&row)?;
    Ok(PaperView {
        access: PaperAccess::for_viewer(&Viewer::Anonymous, stage, PaperRelation::default()),
        stage,
        row,
    })
}

/// The texts of `view` the public may read.
fn public_texts(view: &PaperView, texts: Vec<TextRow>) -> Vec<TextRow> {
    papers::visible_texts(view, texts, &[])
        .into_iter()
        .map(|(text, _stale)| text)
        .collect()
}

/// The announcements of the newest publications, newest first, of every
/// series or of one, in `language`: at most [`FEED_ENTRIES`], as the public
/// sees them. A fixed number of queries however many there are.
pub async fn latest(
    state: &AppState,
    series: Option<&SeriesRow>,
    language: &Language,
) -> ServiceResult<Vec<Announcement>> {
    let filter = PaperFilter {
        stages: vec![Stage::Published],
        series_id: series.map(|s| s.id),
        ..PaperFilter::default()
    };
    let sort = PaperSort {
        order: PaperOrder::PublishedAt,
        descending: true,
    };
    let window = PageWindow {
        limit: FEED_ENTRIES,
        ..PageWindow::default()
    };
    let scope = PaperScope::for_viewer(&Viewer::Anonymous);
    let rows = paper_store::page(&state.db, scope, &filter, sort, &window).await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut texts: HashMap<i64, Vec<TextRow>> = HashMap::new();
    for text in paper_store::texts_of(&state.db, &ids).await? {
        texts.entry(text.paper_id).or_default().push(text);
    }
    let contributors = paper_store::contributors_of(&state.db, &ids).await?;
    let series_ids: HashSet<i64> = rows.iter().filter_map(|row| row.series_id).collect();
    let series_rows: HashMap<i64, SeriesRow> =
        series_store::by_ids(&state.db, &series_ids.into_iter().collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
    let public_url = &state.settings.public_url;
    rows.into_iter()
        .map(|row| {
            let view = public_view(row)?;
            let texts = public_texts(&view, texts.remove(&view.row.id).unwrap_or_default());
            let series = view.row.series_id.and_then(|id| series_rows.get(&id));
            build(
                &view.row,
                series,
                &contributors,
                &texts,
                language,
                public_url,
            )
        })
        .collect()
}

/// A published paper and the texts the public may read of it; NOT_FOUND
/// for any other paper.
async fn public_paper(state: &AppState, slug: &str) -> ServiceResult<(PaperView, Vec<TextRow>)> {
    let slug = TextField::SLUG.exact(slug)?.into();
    let view = papers::get(state, &Viewer::Anonymous, &PaperKey::Slug(slug)).await?;
    if view.stage != Stage::Published {
        return Err(DomainError::NotFound("paper").into());
    }
    let view = public_view(view.row)?;
    let texts = public_texts(
        &view,
        paper_store::texts_of(&state.db, &[view.row.id]).await?,
    );
    Ok((view, texts))
}

/// The announcement of one published paper, as the public sees it.
pub async fn of_published(
    state: &AppState,
    slug: &str,
    language: &Language,
) -> ServiceResult<Announcement> {
    let (view, texts) = public_paper(state, slug).await?;
    let contributors = paper_store::contributors_of(&state.db, &[view.row.id]).await?;
    let series = match view.row.series_id {
        Some(id) => series::find(&state.db, id).await?,
        None => None,
    };
    build(
        &view.row,
        series.as_ref(),
        &contributors,
        &texts,
        language,
        &state.settings.public_url,
    )
}

/// One text of a published paper, in exactly `language`; NOT_FOUND when
/// it has none in it.
pub async fn published_text(
    state: &AppState,
    slug: &str,
    language: &Language,
) -> ServiceResult<TextContent> {
    let (_, texts) = public_paper(state, slug).await?;
    let text = texts
        .iter()
        .find(|t| t.language.eq_ignore_ascii_case(language.as_str()))
        .ok_or(DomainError::NotFound("text"))?;
    Ok(paper_store::content_of(text)?)
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use chrono::TimeZone;

    use super::*;

    pub fn published_paper() -> PaperRow {
        let at = Utc.with_ymd_and_hms(2020, 10, 13, 9, 0, 0).unwrap();
        PaperRow {
            id: 7,
            slug: "through-equality".into(),
            title: "Через равенство и консенсус".into(),
            series_id: Some(1),
            original_language: "ru".into(),
            stage: "PUBLISHED".into(),
            version: 9,
            review_round: 1,
            original_url: None,
            created_by: 3,
            published_at: Some(at),
            external_key: None,
            dateline_place: None,
            dateline_date: None,
            dateline_issuer: None,
            publish_at: None,
            release_held_back: None,
            corrected_at: None,
            correction_note: None,
            created_at: at,
            updated_at: at,
        }
    }

    pub fn security_index() -> SeriesRow {
        let at = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
        SeriesRow {
            id: 1,
            slug: "security-index".into(),
            title: "Security Index Occasional Paper Series".into(),
            description: None,
            created_at: at,
            updated_at: at,
        }
    }

    pub fn credit(ordinal: i32, name: &str, position: Option<&str>) -> ContributorRow {
        ContributorRow {
            id: i64::from(ordinal) + 100,
            paper_id: 7,
            ordinal,
            name: name.into(),
            name_folded: None,
            position: position.map(Into::into),
            affiliation: Some("Russian Foreign Ministry".into()),
            user_id: None,
        }
    }

    pub fn text(
        id: i64,
        language: &str,
        kind: TextKind,
        title: &str,
        findings: &[&str],
    ) -> TextRow {
        let at = Utc.with_ymd_and_hms(2020, 10, 1, 0, 0, 0).unwrap();
        TextRow {
            id,
            paper_id: 7,
            language: language.into(),
            kind: kind.as_str().into(),
            title: title.into(),
            r#abstract: Some(format!("Summary in {language}.")),
            key_findings: serde_json::to_string(findings).unwrap(),
            body: None,
            revision: 1,
            source_revision: (kind != TextKind::Original).then_some(1),
            translated_by: None,
            created_at: at,
            updated_at: at,
        }
    }

    pub fn texts() -> Vec<TextRow> {
        vec![
            text(
                1,
                "ru",
                TextKind::Original,
                "Через равенство и консенсус",
                &["Первый вывод.", "Второй вывод."],
            ),
            text(
                2,
                "en",
                TextKind::Summary,
                "Through Equality and Consensus",
                &["The first finding.", "The second finding."],
            ),
        ]
    }

    fn lang(tag: &str) -> Language {
        Language::parse(tag).unwrap()
    }

    fn announce(paper: &PaperRow, texts: &[TextRow], wanted: &str) -> ServiceResult<Announcement> {
        let contributors = [
            credit(1, "Second Author", None),
            credit(0, "Sergey Ryabkov", Some("Deputy Minister")),
        ];
        let series = security_index();
        build(
            paper,
            Some(&series),
            &contributors,
            texts,
            &lang(wanted),
            "https://imprint.test",
        )
    }

    #[test]
    fn a_text_in_the_language_asked_for_is_announced() {
        let a = announce(&published_paper(), &texts(), "en").unwrap();
        assert_eq!(a.title, "Through Equality and Consensus");
        assert_eq!(a.language.as_str(), "en");
        assert_eq!(a.missing, None);
        assert_eq!(a.summary.as_deref(), Some("Summary in en."));
        assert_eq!(
            a.key_findings,
            ["The first finding.", "The second finding."]
        );
        let names: Vec<&str> = a.contributors.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["Sergey Ryabkov", "Second Author"],
            "in credit order"
        );
        assert_eq!(
            a.series.unwrap().title,
            "Security Index Occasional Paper Series"
        );
        assert_eq!(a.link, "https://imprint.test/papers/through-equality");
    }

    #[test]
    fn without_a_text_in_the_language_the_original_is_announced_and_says_so() {
        let a = announce(&published_paper(), &texts(), "fr").unwrap();
        assert_eq!(a.title, "Через равенство и консенсус");
        assert_eq!(a.language.as_str(), "ru");
        assert_eq!(a.missing.as_ref().map(Language::as_str), Some("fr"));
        assert_eq!(a.key_findings, ["Первый вывод.", "Второй вывод."]);
    }

    #[test]
    fn languages_match_their_wider_and_narrower_forms_only() {
        let texts = texts();
        for (wanted, expected) in [
            ("en", Some("en")),
            ("en-GB", Some("en")),
            ("EN", Some("en")),
            ("ru-RU", Some("ru")),
            ("enm", None),
            ("fr", None),
        ] {
            let found = text_in(&texts, &lang(wanted)).map(|t| t.language.as_str());
            assert_eq!(found, expected, "{wanted}");
        }
        let hans = vec![text(3, "zh-Hans", TextKind::Full, "标题", &[])];
        assert!(text_in(&hans, &lang("zh-Hant")).is_none());
        assert!(text_in(&hans, &lang("zh")).is_some());
    }

    #[test]
    fn the_original_link_is_the_papers_own_url_else_imprints_page() {
        let a = announce(&published_paper(), &texts(), "en").unwrap();
        assert_eq!(
            a.original_link,
            "https://imprint.test/papers/through-equality/text/ru"
        );
        let mut paper = published_paper();
        paper.original_url = Some("https://www.pircenter.org/ru/report".into());
        let a = announce(&paper, &texts(), "en").unwrap();
        assert_eq!(a.original_link, "https://www.pircenter.org/ru/report");
    }

    #[test]
    fn only_published_papers_have_an_announcement() {
        for stage in ["DRAFT", "SUBMITTED", "TRANSLATION", "REVIEW", "ARCHIVED"] {
            let mut paper = published_paper();
            paper.stage = stage.into();
            let err = announce(&paper, &texts(), "en").unwrap_err();
            assert!(
                matches!(&err, crate::service::ServiceError::Domain(DomainError::BadInput(m)) if m.contains("only published papers")),
                "{stage}: {err:?}"
            );
        }
    }
}
