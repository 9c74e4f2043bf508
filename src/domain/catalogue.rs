//! The catalogue: when and where a paper was announced, and a publisher's
//! back catalogue brought in one JSON line per paper.
//!
//! - A published paper's `publishedAt` may be a real historical date, set
//!   by an editor with a note; never in the future.
//! - Its announcement may carry a [`Dateline`]: place, date and issuing
//!   line, as in "MOSCOW. OCTOBER 13, 2020. PIR PRESS.".
//! - [`parse_line`] turns one line of an import into a [`CatalogueEntry`],
//!   or into every [`LineProblem`] found in it, each naming its field.
//!   What the database must answer (does the series exist, is the key
//!   already there) is left to the service.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use super::paper::{MAX_CONTRIBUTORS, parse_contributors, parse_original_url};
use super::task::text_enum;
use super::{
    ContributorInput, DomainError, Language, Slug, Stage, TaskKind, TextContent, TextField,
    TextKind,
};

/// What one row of a paper's history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HistoryKind {
    /// A stage change (or the paper's creation).
    Moved,
    /// Created or updated by a catalogue import.
    Imported,
    /// Its publication date or dateline changed after publication.
    PublicationChanged,
    /// Its scheduled publication moved to another time.
    Rescheduled,
    /// A text of the published paper was corrected (`note` says what and why).
    Corrected,
}

text_enum!(HistoryKind {
    Moved => "MOVED",
    Imported => "IMPORTED",
    PublicationChanged => "PUBLICATION_CHANGED",
    Rescheduled => "RESCHEDULED",
    Corrected => "CORRECTED",
});

/// The dateline that opens an announcement: "MOSCOW. OCTOBER 13, 2020. PIR
/// PRESS.". Every part may be absent; the date is then the publication's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dateline {
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
    /// Who issued the announcement ("PIR PRESS").
    pub issuer: Option<String>,
}

impl Dateline {
    pub fn parse(
        place: Option<&str>,
        date: Option<NaiveDate>,
        issuer: Option<&str>,
    ) -> Result<Self, DomainError> {
        Ok(Dateline {
            place: TextField::PLACE.optional(place)?.map(String::from),
            date,
            issuer: TextField::ISSUER.optional(issuer)?.map(String::from),
        })
    }
}

/// The field a publication date is given in.
pub const PUBLISHED_AT: &str = "publishedAt";

/// A publication date an editor or an import gives: not in the future.
pub fn check_published_at(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if at > now {
        return Err(DomainError::invalid(
            PUBLISHED_AT,
            format_args!(
                "{} is in the future (now is {}); a publication date is when it happened",
                at.to_rfc3339(),
                now.to_rfc3339()
            ),
        ));
    }
    Ok(())
}

/// What an editor may say of a publication besides its stage: a real
/// (historical) date, the announcement's dateline, and a future time to
/// publish at ([`publishing`](super::publishing)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublicationDetails {
    pub published_at: Option<DateTime<Utc>>,
    pub dateline: Option<Dateline>,
    pub publish_at: Option<DateTime<Utc>>,
}

/// How a change sets the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishedAtChange {
    /// Set once: a paper published, archived and published again keeps
    /// its first date.
    IfUnset(DateTime<Utc>),
    /// An editor's or an import's date, replacing any.
    To(DateTime<Utc>),
}

impl PublicationDetails {
    /// The date a move to PUBLISHED sets: the real date an editor gave, or
    /// (unless the paper was published before) the time its release was
    /// scheduled for, however late it ran, or else the moment of the move.
    pub fn date_on_publish(&self, now: DateTime<Utc>) -> PublishedAtChange {
        match (self.published_at, self.publish_at) {
            (Some(at), _) => PublishedAtChange::To(at),
            (None, Some(scheduled)) => PublishedAtChange::IfUnset(scheduled),
            (None, None) => PublishedAtChange::IfUnset(now),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.published_at.is_none() && self.dateline.is_none() && self.publish_at.is_none()
    }

    /// Details given with a move, and the stage the move goes to (SCHEDULED
    /// for PUBLISHED at a future `publishAt`): only with a move to
    /// PUBLISHED, a date of one's own only with a note that says why, and
    /// not both a past date and a future one.
    pub fn check_on_move(
        &self,
        to: Stage,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Stage, DomainError> {
        let to = super::publishing::stage_of_move(to, self.publish_at, now)?;
        if self.is_empty() {
            return Ok(to);
        }
        if !matches!(to, Stage::Published | Stage::Scheduled) {
            return Err(DomainError::bad_input(
                "publishedAt and dateline go only with a move to PUBLISHED",
            ));
        }
        if to == Stage::Scheduled && self.published_at.is_some() {
            return Err(DomainError::bad_input(
                "give publishedAt (when it was published) or publishAt (when to publish), not both",
            ));
        }
        self.check_date(note, now)?;
        Ok(to)
    }

    /// Details changed after publication: by an editor, on a PUBLISHED
    /// paper, with a note (it is public history), and something to change.
    pub fn check_change(
        &self,
        is_editor: bool,
        stage: Stage,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        if !is_editor {
            return Err(DomainError::forbidden(
                "only editors change a publication's date or dateline",
            ));
        }
        if stage != Stage::Published {
            return Err(DomainError::InvalidTransition(format!(
                "the paper is {stage}: only a PUBLISHED paper's date and dateline change this way"
            )));
        }
        if self.publish_at.is_some() {
            return Err(DomainError::bad_input(
                "a published paper is not scheduled: publishAt does not go here",
            ));
        }
        if self.is_empty() {
            return Err(DomainError::bad_input("give publishedAt, dateline or both"));
        }
        if note.is_none() {
            return Err(TextField::NOTE.error("is required: say why the publication changes"));
        }
        self.check_date(note, now)
    }

    fn check_date(&self, note: Option<&str>, now: DateTime<Utc>) -> Result<(), DomainError> {
        let Some(at) = self.published_at else {
            return Ok(());
        };
        if note.is_none() {
            return Err(TextField::NOTE
                .error("is required with publishedAt: say where the date comes from"));
        }
        check_published_at(at, now)
    }
}

/// The series a line names, by its slug.
const SERIES: TextField = TextField::new("series", TextField::SLUG.max_chars);

/// A date or a moment: "2020-10-13" (midnight UTC) or RFC 3339.
fn parse_moment(input: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(date) = NaiveDate::parse_from_str(input, "%Y-%m-%d") {
        return Ok(date.and_time(NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(input)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| format!("{input:?} is not a date (2020-10-13) or an RFC 3339 time"))
}

fn parse_date(input: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .map_err(|_| format!("{input:?} is not a date (2020-10-13)"))
}

/// One text of an imported paper that is not the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueText {
    pub language: Language,
    pub kind: TextKind,
    pub content: TextContent,
}

/// One paper of a catalogue, checked as far as a line alone can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub key: String,
    /// The series' slug.
    pub series: Option<String>,
    pub slug: Option<Slug>,
    pub original_language: Language,
    pub original_url: Option<String>,
    pub stage: Stage,
    pub published_at: Option<DateTime<Utc>>,
    pub dateline: Dateline,
    /// In order; none linked to an account.
    pub contributors: Vec<ContributorInput>,
    pub original: TextContent,
    /// In the line's order.
    pub translations: Vec<CatalogueText>,
}

impl CatalogueEntry {
    /// A line for a paper Imprint already has may change what the paper
    /// says, not where it stands: its stage (the workflow moves papers),
    /// its original's language and its slug (an address) stay.
    pub fn check_update(
        &self,
        stage: Stage,
        original_language: &str,
        slug: &str,
    ) -> Result<(), DomainError> {
        if self.stage != stage {
            return Err(DomainError::invalid(
                "stage",
                format_args!(
                    "the paper is {stage} in Imprint, the line says {}: an import does not move papers (use movePaper)",
                    self.stage
                ),
            ));
        }
        if self.original_language.as_str() != original_language {
            return Err(DomainError::invalid(
                "originalLanguage",
                format_args!(
                    "the paper's original is in {original_language}; an original's language does not change"
                ),
            ));
        }
        if let Some(given) = &self.slug
            && given.as_str() != slug
        {
            return Err(DomainError::invalid(
                "slug",
                format_args!("the paper's slug is {slug:?}; a slug does not change"),
            ));
        }
        Ok(())
    }
}

/// What is wrong with one field of a line: `field` is its path in the line
/// ("texts[1].title"), `None` when the line is not a JSON object at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub field: Option<String>,
    pub reason: String,
}

impl LineProblem {
    pub fn new(field: impl Into<String>, reason: impl fmt::Display) -> Self {
        LineProblem {
            field: Some(field.into()),
            reason: reason.to_string(),
        }
    }

    /// A domain error about the field at `path`; an error naming a field
    /// of its own ("title: must not be empty") is placed under the path.
    pub fn from_error(path: &str, err: DomainError) -> Self {
        match err {
            DomainError::InvalidField { field, message } => {
                let reason = message
                    .strip_prefix(field)
                    .and_then(|rest| rest.strip_prefix(": "))
                    .unwrap_or(&message)
                    .to_owned();
                let field = match path {
                    "" => field.to_owned(),
                    path if path.ends_with(field) => path.to_owned(),
                    path => format!("{path}.{field}"),
                };
                LineProblem::new(field, reason)
            }
            other => LineProblem {
                field: (!path.is_empty()).then(|| path.to_owned()),
                reason: other.to_string(),
            },
        }
    }
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// A line as JSON gives it; everything a person can get wrong is optional
/// here so that [`parse_line`] names it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LineInput {
    key: Option<String>,
    series: Option<String>,
    slug: Option<String>,
    original_language: Option<String>,
    original_url: Option<String>,
    stage: Option<String>,
    published_at: Option<String>,
    dateline: Option<DatelineInput>,
    #[serde(default)]
    contributors: Vec<ContributorLine>,
    #[serde(default)]
    texts: Vec<TextLine>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DatelineInput {
    place: Option<String>,
    date: Option<String>,
    issuer: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContributorLine {
    name: Option<String>,
    position: Option<String>,
    affiliation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TextLine {
    language: Option<String>,
    kind: Option<String>,
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default)]
    key_findings: Vec<String>,
    body: Option<String>,
}

/// Collects the problems of one line, field by field.
#[derive(Default)]
struct Problems(Vec<LineProblem>);

impl Problems {
    /// The value, or `None` with its problem recorded.
    fn check<T>(&mut self, path: &str, result: Result<T, DomainError>) -> Option<T> {
        result
            .map_err(|err| self.0.push(LineProblem::from_error(path, err)))
            .ok()
    }

    fn add(&mut self, field: impl Into<String>, reason: impl fmt::Display) {
        self.0.push(LineProblem::new(field, reason));
    }

    fn required<'a>(&mut self, field: &str, value: Option<&'a str>) -> Option<&'a str> {
        if value.is_none() {
            self.add(field, "is required");
        }
        value
    }
}

/// Parses one line of a catalogue. `now` bounds the publication date.
pub fn parse_line(line: &str, now: DateTime<Utc>) -> Result<CatalogueEntry, Vec<LineProblem>> {
    let deserializer = &mut serde_json::Deserializer::from_str(line);
    let input: LineInput = serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        // A line that is not an object has no field to name.
        let field = (!path.starts_with(['.', '[']) && inner.is_data()).then_some(path);
        vec![LineProblem {
            field,
            reason: format!("not a catalogue line: {inner}"),
        }]
    })?;
    let mut problems = Problems::default();

    let key = problems
        .required("key", input.key.as_deref())
        .and_then(|key| problems.check("key", TextField::EXTERNAL_KEY.required(key)))
        .map(|key| key.as_str().to_owned());
    let series = input.series.as_deref().and_then(|slug| {
        problems
            .check("series", SERIES.required(slug))
            .map(|slug| slug.as_str().to_owned())
    });
    let slug = input
        .slug
        .as_deref()
        .and_then(|slug| problems.check("slug", Slug::parse(slug)));
    let original_language = problems
        .required("originalLanguage", input.original_language.as_deref())
        .and_then(|tag| {
            problems.check(
                "originalLanguage",
                Language::parse_input("originalLanguage", tag),
            )
        });
    let original_url = problems
        .check(
            "originalUrl",
            parse_original_url(input.original_url.as_deref()),
        )
        .flatten();
    let stage = match input.stage.as_deref() {
        None => Some(Stage::Published),
        Some(stage) => problems.check("stage", Stage::from_str(stage)),
    };
    if stage == Some(Stage::Scheduled) {
        problems.add(
            "stage",
            "a back catalogue is not scheduled: import it PUBLISHED, or schedule it with movePaper",
        );
    }
    let published_at = input.published_at.as_deref().and_then(|at| {
        parse_moment(at)
            .map_err(|reason| problems.add(PUBLISHED_AT, reason))
            .ok()
            .and_then(|at| problems.check(PUBLISHED_AT, check_published_at(at, now).map(|()| at)))
    });
    match (stage, input.published_at.is_some()) {
        (Some(Stage::Published), false) => {
            problems.add(PUBLISHED_AT, "is required for a PUBLISHED paper")
        }
        (Some(stage), true) if !matches!(stage, Stage::Published | Stage::Archived) => problems
            .add(
                PUBLISHED_AT,
                format_args!("a paper in {stage} has not been published"),
            ),
        _ => {}
    }
    let dateline = match input.dateline {
        None => Some(Dateline::default()),
        Some(d) => {
            let date = d.date.as_deref().and_then(|date| {
                parse_date(date)
                    .map_err(|reason| problems.add("dateline.date", reason))
                    .ok()
            });
            problems.check(
                "dateline",
                Dateline::parse(d.place.as_deref(), date, d.issuer.as_deref()),
            )
        }
    };
    let contributors = credits(&mut problems, input.contributors);
    let (original, translations) = texts(&mut problems, original_language.as_ref(), input.texts);

    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    match (key, original_language, stage, dateline, original) {
        (Some(key), Some(original_language), Some(stage), Some(dateline), Some(original)) => {
            Ok(CatalogueEntry {
                key,
                series,
                slug,
                original_language,
                original_url,
                stage,
                published_at,
                dateline,
                contributors,
                original,
                translations,
            })
        }
        // Every missing part recorded a problem above.
        _ => Err(vec![LineProblem {
            field: None,
            reason: "the line is incomplete".into(),
        }]),
    }
}

/// The line's credits, in order, each checked as `createPaper` checks them.
fn credits(problems: &mut Problems, lines: Vec<ContributorLine>) -> Vec<ContributorInput> {
    let credits: Vec<ContributorInput> = lines
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let path = format!("contributors[{i}]");
            let name = problems.required(&format!("{path}.name"), c.name.as_deref())?;
            let parsed = parse_contributors(vec![ContributorInput {
                name: name.to_owned(),
                position: c.position,
                affiliation: c.affiliation,
                user_id: None,
            }]);
            problems.check(&path, parsed).and_then(|mut one| one.pop())
        })
        .collect();
    if credits.len() > MAX_CONTRIBUTORS {
        problems.add(
            "contributors",
            format_args!("at most {MAX_CONTRIBUTORS} (got {})", credits.len()),
        );
    }
    credits
}

/// The line's texts: the one in `original_language` is the original, the
/// others translations, one per language, each held to the rules of a
/// submitted translation.
fn texts(
    problems: &mut Problems,
    original_language: Option<&Language>,
    lines: Vec<TextLine>,
) -> (Option<TextContent>, Vec<CatalogueText>) {
    let mut original = None;
    let mut translations: Vec<CatalogueText> = Vec::new();
    for (i, text) in lines.into_iter().enumerate() {
        let path = format!("texts[{i}]");
        let language = problems
            .required(&format!("{path}.language"), text.language.as_deref())
            .and_then(|tag| {
                problems.check(
                    &format!("{path}.language"),
                    Language::parse_input("language", tag),
                )
            });
        let kind = text
            .kind
            .as_deref()
            .and_then(|kind| problems.check(&format!("{path}.kind"), TextKind::from_str(kind)));
        let title = problems.required(&format!("{path}.title"), text.title.as_deref());
        let content = title.and_then(|title| {
            problems.check(
                &path,
                TextContent::parse(
                    title,
                    text.abstract_text.as_deref(),
                    &text.key_findings,
                    text.body.as_deref(),
                ),
            )
        });
        let (Some(original_language), Some(language), Some(content)) =
            (original_language, language, content)
        else {
            continue;
        };
        let is_original = *original_language == language;
        match (is_original, kind) {
            (true, None | Some(TextKind::Original)) => {
                if original.replace(content).is_some() {
                    problems.add(
                        format!("{path}.language"),
                        "a second text in the original language",
                    );
                }
            }
            (true, Some(kind)) => problems.add(
                format!("{path}.kind"),
                format_args!("the text in the original language is the ORIGINAL, not {kind}"),
            ),
            (false, Some(TextKind::Original)) => problems.add(
                format!("{path}.kind"),
                "only the text in originalLanguage is the ORIGINAL",
            ),
            (false, _) if translations.iter().any(|t| t.language == language) => problems.add(
                format!("{path}.language"),
                format_args!("a second text in {language}"),
            ),
            (false, kind) => {
                let kind = kind.unwrap_or(TextKind::Summary);
                let task_kind = match kind {
                    TextKind::Full => TaskKind::Full,
                    _ => TaskKind::Summary,
                };
                if problems
                    .check(&path, content.check_translation(task_kind))
                    .is_some()
                {
                    translations.push(CatalogueText {
                        language,
                        kind,
                        content,
                    });
                }
            }
        }
    }
    let texts_refused = problems
        .0
        .iter()
        .any(|p| p.field.as_deref().is_some_and(|f| f.starts_with("texts[")));
    if original.is_none()
        && let Some(language) = original_language
        && !texts_refused
    {
        problems.add(
            "texts",
            format_args!("needs the original text, in {language} (originalLanguage)"),
        );
    }
    (original, translations)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap()
    }

    #[test]
    fn publishing_keeps_the_first_date_unless_an_editor_gives_the_real_one() {
        let real = Utc.with_ymd_and_hms(2020, 10, 13, 9, 0, 0).unwrap();
        let given = PublicationDetails {
            published_at: Some(real),
            ..Default::default()
        };
        assert_eq!(given.date_on_publish(now()), PublishedAtChange::To(real));
        let plain = PublicationDetails::default();
        assert_eq!(
            plain.date_on_publish(now()),
            PublishedAtChange::IfUnset(now())
        );
    }

    const GOOD: &str = r#"{"key":"pir-1","series":"security-index","originalLanguage":"ru","publishedAt":"2020-10-13","dateline":{"place":"MOSCOW","date":"2020-10-13","issuer":"PIR PRESS"},"contributors":[{"name":"Sergey Ryabkov","position":"Deputy Minister","affiliation":"Russian Foreign Ministry"}],"texts":[{"language":"ru","title":"Через равенство","abstract":"Кратко."},{"language":"en","title":"Through Equality","abstract":"In short.","keyFindings":["One.","Two."]}]}"#;

    fn problems(line: &str) -> Vec<(Option<String>, String)> {
        parse_line(line, now())
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.reason))
            .collect()
    }

    fn fields(line: &str) -> Vec<String> {
        problems(line)
            .into_iter()
            .map(|(field, _)| field.unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_good_line_is_parsed_whole() {
        let entry = parse_line(GOOD, now()).unwrap();
        assert_eq!(entry.key, "pir-1");
        assert_eq!(entry.series.as_deref(), Some("security-index"));
        assert_eq!(entry.stage, Stage::Published);
        assert_eq!(
            entry.published_at,
            Some(Utc.with_ymd_and_hms(2020, 10, 13, 0, 0, 0).unwrap())
        );
        assert_eq!(entry.dateline.place.as_deref(), Some("MOSCOW"));
        assert_eq!(entry.dateline.issuer.as_deref(), Some("PIR PRESS"));
        assert_eq!(entry.original.title, "Через равенство");
        assert_eq!(entry.translations.len(), 1);
        assert_eq!(entry.translations[0].kind, TextKind::Summary);
        assert_eq!(entry.translations[0].content.key_findings, ["One.", "Two."]);
        assert_eq!(
            entry.contributors[0].position.as_deref(),
            Some("Deputy Minister")
        );
    }

    #[test]
    fn bad_json_names_no_field() {
        let found = problems(r#"{"key": "pir-1", "#);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, None);
        assert!(found[0].1.starts_with("not a catalogue line"), "{found:?}");
        assert_eq!(problems("[1, 2]")[0].0, None);
    }

    #[test]
    fn every_problem_names_its_field() {
        let cases = [
            (GOOD.replace(r#""key":"pir-1","#, ""), vec!["key"]),
            (
                GOOD.replace(
                    r#""originalLanguage":"ru""#,
                    r#""originalLanguage":"ru_RU""#,
                ),
                vec!["originalLanguage"],
            ),
            (
                GOOD.replace(r#"{"language":"en""#, r#"{"language":"en--US""#),
                vec!["texts[1].language"],
            ),
            (
                GOOD.replace(r#""title":"Through Equality","#, ""),
                vec!["texts[1].title"],
            ),
            (
                GOOD.replace(r#""title":"Через равенство""#, r#""title":"  ""#),
                vec!["texts[0].title"],
            ),
            (
                GOOD.replace("2020-10-13\",\"dateline", "2030-01-01\",\"dateline"),
                vec!["publishedAt"],
            ),
            (
                GOOD.replace(r#""publishedAt":"2020-10-13","#, ""),
                vec!["publishedAt"],
            ),
            (
                GOOD.replace(r#""date":"2020-10-13""#, r#""date":"13.10.2020""#),
                vec!["dateline.date"],
            ),
            (
                GOOD.replace(r#""name":"Sergey Ryabkov","#, ""),
                vec!["contributors[0].name"],
            ),
            (
                GOOD.replace(r#""keyFindings":["One.","Two."]"#, r#""keyFindings":[]"#),
                vec!["texts[1]"],
            ),
            (
                GOOD.replace(r#""series":"security-index","#, r#""series":7,"#),
                vec!["series"],
            ),
            (
                GOOD.replace(
                    r#""series":"security-index","#,
                    &format!(r#""series":"{}","#, "s".repeat(81)),
                ),
                vec!["series"],
            ),
            (
                GOOD.replace(r#""key":"pir-1","#, r#""key":"pir-1","colour":"red","#),
                vec!["colour"],
            ),
            (
                GOOD.replace(
                    r#"{"language":"ru","title":"Через равенство","abstract":"Кратко."},"#,
                    "",
                ),
                vec!["texts"],
            ),
            (
                GOOD.replace(r#""stage""#, "x")
                    .replace(r#""key":"pir-1","#, r#""key":"pir-1","stage":"REVIEW","#),
                vec!["publishedAt"],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(fields(&line), expected, "{line}");
        }
    }

    #[test]
    fn reasons_say_what_is_wrong() {
        let found = problems(&GOOD.replace("2020-10-13\",\"dateline", "2030-01-01\",\"dateline"));
        assert!(found[0].1.contains("in the future"), "{found:?}");
        let found = problems(&GOOD.replace(r#""title":"Through Equality","#, ""));
        assert_eq!(found[0].1, "is required");
        let found =
            problems(&GOOD.replace(r#""key":"pir-1","#, r#""key":"pir-1","colour":"red","#));
        assert!(found[0].1.contains("unknown field `colour`"), "{found:?}");
    }

    #[test]
    fn an_update_keeps_the_stage_the_original_language_and_the_slug() {
        let entry = parse_line(GOOD, now()).unwrap();
        assert!(
            entry
                .check_update(Stage::Published, "ru", "any-slug")
                .is_ok()
        );
        let refused =
            |stage, language, slug| match entry.check_update(stage, language, slug).unwrap_err() {
                DomainError::InvalidField { field, .. } => field,
                other => panic!("{other:?}"),
            };
        assert_eq!(refused(Stage::Archived, "ru", "x"), "stage");
        assert_eq!(refused(Stage::Published, "en", "x"), "originalLanguage");
        let mut named = entry.clone();
        named.slug = Some(Slug::parse("through-equality").unwrap());
        assert!(
            named
                .check_update(Stage::Published, "ru", "through-equality")
                .is_ok()
        );
        let err = named
            .check_update(Stage::Published, "ru", "other")
            .unwrap_err();
        assert!(err.to_string().starts_with("slug: "), "{err}");
    }

    #[test]
    fn a_publication_date_is_not_in_the_future() {
        assert!(check_published_at(now(), now()).is_ok());
        let err = check_published_at(now() + chrono::Duration::seconds(1), now()).unwrap_err();
        assert!(err.to_string().starts_with("publishedAt: "), "{err}");
    }
}
