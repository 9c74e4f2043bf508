//! `importPapers`: a back catalogue brought in over the API, by the same
//! code as `imprint import`.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::domain::DomainError;
use crate::graphql::{ApiResult, app, viewer};
use crate::service::catalogue::{self, ImportReport, LineOutcome, LineReport};

/// Most lines one `importPapers` request takes; bigger files go through
/// `imprint import`.
pub const MAX_IMPORT_LINES: usize = 1_000;

#[derive(Default)]
pub struct CatalogueMutation;

/// What became of one line of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ImportOutcome {
    /// A new paper.
    Created,
    /// The paper of its key changed; `changes` says what.
    Updated,
    /// The paper of its key already says all of it.
    Unchanged,
    /// Nothing written; `problems` says why.
    Refused,
}

/// One problem with one line.
#[derive(SimpleObject)]
pub struct ImportProblem {
    /// Where in the line: `texts[1].title`; null when the line is not a
    /// JSON object at all.
    pub field: Option<String>,
    pub reason: String,
}

/// One line's report.
#[derive(SimpleObject)]
pub struct ImportLine {
    /// 1-based.
    pub line: usize,
    /// The line's key, when it could be read.
    pub key: Option<String>,
    /// The paper it created, updated or left; null when refused, and for a
    /// paper a dry run would create.
    pub paper_id: Option<ID>,
    pub outcome: ImportOutcome,
    /// What an update changed: `texts.en`, `dateline`, `contributors`, …
    pub changes: Vec<String>,
    pub problems: Vec<ImportProblem>,
}

impl From<LineReport> for ImportLine {
    fn from(report: LineReport) -> Self {
        let (outcome, changes, problems) = match report.outcome {
            LineOutcome::Created => (ImportOutcome::Created, vec![], vec![]),
            LineOutcome::Updated(changes) => (ImportOutcome::Updated, changes, vec![]),
            LineOutcome::Unchanged => (ImportOutcome::Unchanged, vec![], vec![]),
            LineOutcome::Refused(problems) => (ImportOutcome::Refused, vec![], problems),
        };
        ImportLine {
            line: report.line,
            key: report.key,
            paper_id: report.paper_id.map(|id| ID(id.to_string())),
            outcome,
            changes,
            problems: problems
                .into_iter()
                .map(|p| ImportProblem {
                    field: p.field,
                    reason: p.reason,
                })
                .collect(),
        }
    }
}

/// What an import did, line by line, with the totals.
#[derive(SimpleObject)]
pub struct ImportSummary {
    /// Nothing was kept: the report says what the import would do.
    pub dry_run: bool,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
    /// Every line but blank ones, in order.
    pub lines: Vec<ImportLine>,
}

impl From<ImportReport> for ImportSummary {
    fn from(report: ImportReport) -> Self {
        ImportSummary {
            dry_run: report.dry_run,
            created: report.created(),
            updated: report.updated(),
            unchanged: report.unchanged(),
            refused: report.refused(),
            lines: report.lines.into_iter().map(ImportLine::from).collect(),
        }
    }
}

#[Object]
impl CatalogueMutation {
    /// Imports papers of a back catalogue, one JSON line each (the format
    /// of `imprint import`; the README shows it). Editors only. Idempotent
    /// by each line's `key`; every line is all or nothing, and reported.
    /// At most 1,000 lines a request.
    async fn import_papers(
        &self,
        ctx: &Context<'_>,
        lines: Vec<String>,
        #[graphql(default)] dry_run: bool,
    ) -> ApiResult<ImportSummary> {
        if lines.len() > MAX_IMPORT_LINES {
            return Err(DomainError::invalid(
                "lines",
                format_args!(
                    "at most {MAX_IMPORT_LINES} a request (got {}): import bigger files with `imprint import`",
                    lines.len()
                ),
            )
            .into());
        }
        let report = catalogue::import(app(ctx)?, &viewer(ctx), &lines, dry_run).await?;
        Ok(report.into())
    }
}
