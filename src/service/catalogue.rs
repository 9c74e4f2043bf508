//! Bringing in a publisher's back catalogue: one JSON line per paper
//! ([`crate::domain::catalogue::parse_line`]), by `imprint import` and the
//! `importPapers` mutation alike.
//!
//! - Idempotent by the line's external key: a key seen before updates its
//!   paper when the line says something new (and says what in its
//!   history), and changes nothing when it does not.
//! - All or nothing per line: each line is written in a savepoint of its
//!   chunk's transaction; a line refused leaves nothing behind, and the
//!   lines around it still go in.
//! - A report per line: created, updated, unchanged, or refused with every
//!   problem (field and reason).
//! - Lines go in chunks of [`CHUNK_LINES`], one transaction each, so a big
//!   file neither holds the database's write lock long nor loses its
//!   progress to one bad line. A dry run rolls every chunk back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use super::papers::{
    change_if_version, dateline_of, insert_with_free_slug, insert_with_slug, stage_of,
};
use super::{ServiceError, ServiceResult, retrying};
use crate::domain::catalogue::{
    CatalogueEntry, HistoryKind, LineProblem, PublishedAtChange, parse_line,
};
use crate::domain::event::PaperEventKind;
use crate::domain::publishing::RevisionKind;
use crate::domain::{Actor, ContributorInput, Role, Slug, Stage, TextContent, TextKind, Viewer};
use crate::events::{Event, Events};
use crate::store::papers::{
    self, ContributorRow, HistoryEntry, NewPaperRow, NewRevision, PaperChange, PaperRow, TextRow,
    TextWrite,
};
use crate::store::{self, StoreError, series};

/// Lines written in one transaction.
pub const CHUNK_LINES: usize = 200;

/// What became of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    Created,
    /// With what changed ("texts.en", "dateline", …).
    Updated(Vec<String>),
    Unchanged,
    Refused(Vec<LineProblem>),
}

/// One line's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReport {
    /// 1-based, as an editor counts lines in the file.
    pub line: usize,
    pub key: Option<String>,
    pub paper_id: Option<i64>,
    pub outcome: LineOutcome,
}

/// Every line's report, in order.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub dry_run: bool,
    pub lines: Vec<LineReport>,
}

impl ImportReport {
    fn count(&self, matches: impl Fn(&LineOutcome) -> bool) -> usize {
        self.lines.iter().filter(|l| matches(&l.outcome)).count()
    }

    pub fn created(&self) -> usize {
        self.count(|o| matches!(o, LineOutcome::Created))
    }

    pub fn updated(&self) -> usize {
        self.count(|o| matches!(o, LineOutcome::Updated(_)))
    }

    pub fn unchanged(&self) -> usize {
        self.count(|o| matches!(o, LineOutcome::Unchanged))
    }

    pub fn refused(&self) -> usize {
        self.count(|o| matches!(o, LineOutcome::Refused(_)))
    }
}

/// An import under way: the editor it runs as, the series by slug, and the
/// keys seen so far (a key twice in one file is refused the second time).
pub struct Importer<'a> {
    db: &'a DatabaseConnection,
    events: &'a Events,
    actor: Actor,
    now: DateTime<Utc>,
    series: HashMap<String, i64>,
    seen: HashMap<String, usize>,
    report: ImportReport,
}

/// A line that parsed, with its series found.
struct Ready {
    line: usize,
    entry: CatalogueEntry,
    series_id: Option<i64>,
}

impl<'a> Importer<'a> {
    /// Starts an import as `viewer`, an editor; `now` bounds publication
    /// dates and stamps the changes.
    pub async fn start(
        db: &'a DatabaseConnection,
        events: &'a Events,
        viewer: &Viewer,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> ServiceResult<Importer<'a>> {
        let actor = *viewer.require(Role::Editor)?;
        let series = series::all(db)
            .await?
            .into_iter()
            .map(|s| (s.slug, s.id))
            .collect();
        Ok(Importer {
            db,
            events,
            actor,
            now,
            series,
            seen: HashMap::new(),
            report: ImportReport {
                dry_run,
                lines: Vec::new(),
            },
        })
    }

    /// Imports the next lines of the file; `first` is the number of the
    /// first of them. Blank lines are skipped. Answers the reports of these
    /// lines; an error is one of the database's, and stops the import with
    /// the chunks before this one in place.
    pub async fn import(&mut self, first: usize, lines: &[String]) -> ServiceResult<&[LineReport]> {
        let before = self.report.lines.len();
        for (offset, chunk) in lines.chunks(CHUNK_LINES).enumerate() {
            let first = first + offset * CHUNK_LINES;
            let mut reports = Vec::new();
            let mut ready = Vec::new();
            for (i, line) in chunk.iter().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match self.check(first + i, line) {
                    Ok(parsed) => ready.push(parsed),
                    Err(report) => reports.push(report),
                }
            }
            let written = retrying(|| self.write(&ready)).await?;
            reports.extend(written);
            reports.sort_by_key(|r| r.line);
            self.report.lines.extend(reports);
        }
        Ok(&self.report.lines[before..])
    }

    /// Reports a line the caller could not read (not UTF-8) as refused,
    /// in its place among the others.
    pub fn refuse(&mut self, line: usize, reason: &str) {
        let at = self.report.lines.partition_point(|l| l.line < line);
        let report = LineReport {
            line,
            key: None,
            paper_id: None,
            outcome: LineOutcome::Refused(vec![LineProblem {
                field: None,
                reason: reason.to_owned(),
            }]),
        };
        self.report.lines.insert(at, report);
    }

    /// The report so far.
    pub fn report(&self) -> &ImportReport {
        &self.report
    }

    pub fn finish(self) -> ImportReport {
        self.report
    }

    /// What a line alone can tell: it parses, its key is new to this file,
    /// its series exists.
    fn check(&mut self, line: usize, text: &str) -> Result<Ready, LineReport> {
        let refused = |key: Option<String>, problems| LineReport {
            line,
            key,
            paper_id: None,
            outcome: LineOutcome::Refused(problems),
        };
        let entry = parse_line(text, self.now).map_err(|problems| refused(None, problems))?;
        let key = Some(entry.key.clone());
        if let Some(earlier) = self.seen.get(&entry.key) {
            let problem = LineProblem::new(
                "key",
                format_args!("{:?} is already the key of line {earlier}", entry.key),
            );
            return Err(refused(key, vec![problem]));
        }
        self.seen.insert(entry.key.clone(), line);
        let series_id = match &entry.series {
            None => None,
            Some(slug) => match self.series.get(slug) {
                Some(id) => Some(*id),
                None => {
                    let problem =
                        LineProblem::new("series", format_args!("no series has the slug {slug:?}"));
                    return Err(refused(key, vec![problem]));
                }
            },
        };
        Ok(Ready {
            line,
            entry,
            series_id,
        })
    }

    /// Writes one chunk's lines in one transaction, each in a savepoint,
    /// with an event for each paper created or updated.
    async fn write(&self, ready: &[Ready]) -> ServiceResult<Vec<LineReport>> {
        let tx = store::begin_write(self.db).await?;
        let keys: Vec<String> = ready.iter().map(|r| r.entry.key.clone()).collect();
        let existing: HashMap<String, PaperRow> = papers::by_external_keys(&tx, &keys)
            .await?
            .into_iter()
            .filter_map(|row| row.external_key.clone().map(|key| (key, row)))
            .collect();
        let ids: Vec<i64> = existing.values().map(|row| row.id).collect();
        let mut texts = store::grouped(&ids, papers::texts_of(&tx, &ids).await?, |t| t.paper_id);
        let mut credits = store::grouped(&ids, papers::contributors_of(&tx, &ids).await?, |c| {
            c.paper_id
        });
        let mut reports = Vec::with_capacity(ready.len());
        let mut events = Vec::new();
        for item in ready {
            let found = existing.get(&item.entry.key);
            let stored = found.map(|row| Stored {
                row,
                texts: texts.remove(&row.id).unwrap_or_default(),
                credits: credits.remove(&row.id).unwrap_or_default(),
            });
            let attempt = tx.begin().await?;
            let result = match &stored {
                None => self.create(&attempt, item).await.map(|row| {
                    let stage = item.entry.stage;
                    let imported = self.imported(&row, None, stage);
                    (row.id, LineOutcome::Created, Some(imported))
                }),
                Some(stored) => self
                    .update(&attempt, item, stored)
                    .await
                    .and_then(|outcome| {
                        let stage = stage_of(stored.row)?;
                        let imported = matches!(outcome, LineOutcome::Updated(_))
                            .then(|| self.imported(stored.row, Some(stage), stage));
                        Ok((stored.row.id, outcome, imported))
                    }),
            };
            let report = |paper_id, outcome| LineReport {
                line: item.line,
                key: Some(item.entry.key.clone()),
                paper_id,
                outcome,
            };
            match result {
                Ok((id, outcome, imported)) => {
                    attempt.commit().await?;
                    events.extend(imported);
                    // A dry run's new papers are rolled back with their ids.
                    let kept = !(self.report.dry_run && outcome == LineOutcome::Created);
                    reports.push(report(kept.then_some(id), outcome));
                }
                Err(ServiceError::Domain(err)) => {
                    attempt.rollback().await?;
                    let problem = LineProblem::from_error("", err);
                    reports.push(report(None, LineOutcome::Refused(vec![problem])));
                }
                Err(ServiceError::Store(StoreError::UniqueViolation(_))) => {
                    attempt.rollback().await?;
                    let problem = LineProblem::new(
                        "key",
                        "another import created a paper with this key meanwhile: import the line again",
                    );
                    reports.push(report(None, LineOutcome::Refused(vec![problem])));
                }
                Err(err) => return Err(err),
            }
        }
        if self.report.dry_run {
            tx.rollback().await?;
        } else {
            self.events.commit(tx, events).await?;
        }
        Ok(reports)
    }

    /// The event of a paper this import created (`from` None) or updated.
    fn imported(&self, row: &PaperRow, from: Option<Stage>, to: Stage) -> Event {
        let what = PaperEventKind::Imported;
        Event::paper(row, what, from, to, Some(self.actor.id), self.now)
    }

    async fn create(&self, tx: &DatabaseTransaction, item: &Ready) -> ServiceResult<PaperRow> {
        let entry = &item.entry;
        let new_row = NewPaperRow {
            slug: String::new(),
            title: entry.original.title.clone(),
            series_id: item.series_id,
            original_language: entry.original_language.as_str().to_owned(),
            original_url: entry.original_url.clone(),
            created_by: self.actor.id,
            stage: entry.stage,
            published_at: entry.published_at,
            external_key: Some(entry.key.clone()),
            dateline: entry.dateline.clone(),
        };
        let row = match &entry.slug {
            Some(slug) => insert_with_slug(tx, new_row, slug, self.now).await?,
            None => {
                let slug = Slug::from_title(&entry.original.title);
                insert_with_free_slug(tx, new_row, slug, self.now).await?
            }
        };
        // A new paper's texts and credits: inserted, nothing to replace.
        let language = entry.original_language.as_str();
        let original = text(row.id, language, TextKind::Original, &entry.original, None);
        let original = papers::insert_text(tx, original, self.now).await?;
        for translation in &entry.translations {
            let language = translation.language.as_str();
            let source = Some(original.revision);
            let write = text(
                row.id,
                language,
                translation.kind,
                &translation.content,
                source,
            );
            papers::insert_text(tx, write, self.now).await?;
        }
        papers::insert_contributors(tx, row.id, &entry.contributors).await?;
        let history = HistoryEntry {
            paper_id: row.id,
            kind: HistoryKind::Imported,
            from: None,
            to: entry.stage,
            actor_id: Some(self.actor.id),
            note: Some(format!("imported from the catalogue (key {:?})", entry.key)),
            at: entry.published_at.unwrap_or(self.now),
        };
        papers::insert_history(tx, history).await?;
        if entry.stage == Stage::Published {
            let revision = NewRevision {
                paper_id: row.id,
                kind: RevisionKind::Published,
                editor_id: Some(self.actor.id),
                note: None,
                at: entry.published_at.unwrap_or(self.now),
            };
            papers::record_revision(tx, revision).await?;
        }
        store::status::count_stage(tx, row.series_id, entry.stage, 1).await?;
        Ok(row)
    }

    async fn update(
        &self,
        tx: &DatabaseTransaction,
        item: &Ready,
        stored: &Stored<'_>,
    ) -> ServiceResult<LineOutcome> {
        let entry = &item.entry;
        let row = stored.row;
        let stage = stage_of(row)?;
        entry.check_update(stage, &row.original_language, &row.slug)?;

        let mut changed: Vec<String> = Vec::new();
        let mut change = PaperChange::default();
        if item.series_id != row.series_id {
            changed.push("series".into());
            change.series_id = Some(item.series_id);
        }
        if entry.original_url != row.original_url {
            changed.push("originalUrl".into());
            change.original_url = Some(entry.original_url.clone());
        }
        if entry.published_at != row.published_at {
            changed.push("publishedAt".into());
            change.published_at = entry.published_at.map(PublishedAtChange::To);
        }
        if entry.dateline != dateline_of(row) {
            changed.push("dateline".into());
            change.dateline = Some(entry.dateline.clone());
        }
        let credited: Vec<ContributorInput> = stored.credits.iter().map(credit).collect();
        let credits_changed = credited != entry.contributors;
        if credits_changed {
            changed.push("contributors".into());
        }
        let original = stored
            .texts
            .iter()
            .find(|t| t.kind == TextKind::Original.as_str())
            .ok_or_else(|| StoreError::Corrupt(format!("paper {} has no original text", row.id)))?;
        let original_changed = papers::content_of(original)? != entry.original;
        let mut text_writes = Vec::new();
        for translation in &entry.translations {
            let current = stored.texts.iter().find(|t| {
                t.language
                    .eq_ignore_ascii_case(translation.language.as_str())
            });
            let same = match current {
                Some(current) => {
                    current.kind == translation.kind.as_str()
                        && papers::content_of(current)? == translation.content
                }
                None => false,
            };
            if !same {
                changed.push(format!("texts.{}", translation.language));
            }
            text_writes.push((translation, current, same));
        }
        if original_changed {
            changed.insert(0, format!("texts.{}", entry.original_language));
        }
        if changed.is_empty() {
            return Ok(LineOutcome::Unchanged);
        }

        let mut revision = original.revision;
        if original_changed {
            let language = entry.original_language.as_str();
            let write = text(row.id, language, TextKind::Original, &entry.original, None);
            revision = papers::put_text(tx, write, self.now).await?.revision;
        }
        for (translation, current, same) in text_writes {
            match (same, current) {
                // The catalogue's texts go together: one unchanged beside a
                // changed original is still made from it.
                (true, Some(current)) if current.source_revision != Some(revision) => {
                    papers::confirm_translation(tx, current.id, revision, self.now).await?;
                }
                (true, _) => {}
                (false, _) => {
                    let language = translation.language.as_str();
                    let content = &translation.content;
                    let source = Some(revision);
                    let write = text(row.id, language, translation.kind, content, source);
                    papers::put_text(tx, write, self.now).await?;
                }
            }
        }
        if credits_changed {
            papers::replace_contributors(tx, row.id, &entry.contributors).await?;
        }
        if let Some(series_id) = change.series_id {
            store::status::move_count(tx, (row.series_id, stage), (series_id, stage)).await?;
        }
        let lost = "the paper changed while the line was imported: import it again";
        change_if_version(tx, row.id, row.version, change, self.now, lost).await?;
        let note = format!(
            "updated by import (key {:?}): {}",
            entry.key,
            changed.join(", ")
        );
        let texts_changed = changed.iter().any(|field| field.starts_with("texts."));
        if stage == Stage::Published && texts_changed {
            // Readers were shown the earlier texts: they stay readable.
            let revision = NewRevision {
                paper_id: row.id,
                kind: RevisionKind::Corrected,
                editor_id: Some(self.actor.id),
                note: Some(note.clone()),
                at: self.now,
            };
            papers::record_revision(tx, revision).await?;
        }
        let history = HistoryEntry {
            paper_id: row.id,
            kind: HistoryKind::Imported,
            from: Some(stage),
            to: stage,
            actor_id: Some(self.actor.id),
            note: Some(note),
            at: self.now,
        };
        papers::insert_history(tx, history).await?;
        Ok(LineOutcome::Updated(changed))
    }
}

/// A paper the catalogue already holds, with its texts and credits.
struct Stored<'a> {
    row: &'a PaperRow,
    texts: Vec<TextRow>,
    credits: Vec<ContributorRow>,
}

fn credit(row: &ContributorRow) -> ContributorInput {
    ContributorInput {
        name: row.name.clone(),
        position: row.position.clone(),
        affiliation: row.affiliation.clone(),
        user_id: row.user_id,
    }
}

fn text<'a>(
    paper_id: i64,
    language: &'a str,
    kind: TextKind,
    content: &'a TextContent,
    source_revision: Option<i32>,
) -> TextWrite<'a> {
    TextWrite {
        paper_id,
        language,
        kind,
        content,
        source_revision,
        translated_by: None,
    }
}

/// Imports `lines` (the first is line 1) as `viewer`, in chunks: what
/// `importPapers` runs.
pub async fn import(
    state: &crate::app::AppState,
    viewer: &Viewer,
    lines: &[String],
    dry_run: bool,
) -> ServiceResult<ImportReport> {
    let now = state.clock.now();
    let mut importer = Importer::start(&state.db, &state.events, viewer, now, dry_run).await?;
    importer.import(1, lines).await?;
    Ok(importer.finish())
}
