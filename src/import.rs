//! `imprint import FILE`: a catalogue file read in chunks, each imported
//! by [`crate::service::catalogue::Importer`] (the code `importPapers`
//! runs), with a progress bar on a terminal and a line on standard output
//! for every line refused or updated.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use migration::{Migrator, MigratorTrait};

use crate::clock::Clock;
use crate::events::Events;
use crate::service::catalogue::{CHUNK_LINES, ImportReport, Importer, LineOutcome, LineReport};
use crate::service::users;
use crate::store;

/// Imports the file at `path` (`-`: standard input) as the editor with
/// the e-mail `editor`. Answers the report; a database failure stops the
/// import with the chunks before it in place.
pub async fn run(
    database_url: &str,
    path: &Path,
    editor: &str,
    dry_run: bool,
) -> anyhow::Result<ImportReport> {
    let (reader, size): (Box<dyn Read>, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let db = store::connect(database_url, 2)
        .await
        .context("cannot open the database")?;
    Migrator::up(&db, None).await?;
    let events = Events::detached();
    let viewer = users::acting_as(&db, editor)
        .await
        .map_err(|err| anyhow::anyhow!("--as {editor}: {err}"))?;
    let now = Clock::default().now();
    let mut importer = Importer::start(&db, &events, &viewer, now, dry_run)
        .await
        .map_err(|err| anyhow::anyhow!("--as {editor}: {err}"))?;

    let progress = match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner(),
    };
    let mut reader = BufReader::new(reader);
    let mut next_line = 1;
    let mut done = false;
    let mut unreadable = Vec::new();
    while !done {
        let first = next_line;
        let mut chunk = Vec::with_capacity(CHUNK_LINES);
        let mut raw = Vec::new();
        while chunk.len() < CHUNK_LINES {
            raw.clear();
            let read = reader
                .read_until(b'\n', &mut raw)
                .with_context(|| format!("cannot read line {next_line}"))?;
            if read == 0 {
                done = true;
                break;
            }
            progress.inc(read as u64);
            match String::from_utf8(std::mem::take(&mut raw)) {
                Ok(text) => chunk.push(text),
                Err(_) => {
                    unreadable.push(next_line);
                    // Blank lines are skipped; the line is refused below.
                    chunk.push(String::new());
                }
            }
            next_line += 1;
        }
        let reports = importer
            .import(first, &chunk)
            .await
            .map_err(|err| anyhow::anyhow!("importing from line {first}: {err}"))?;
        for report in reports {
            if let Some(said) = describe(report) {
                progress.suspend(|| println!("{said}"));
            }
        }
        for line in unreadable.drain(..) {
            importer.refuse(line, "not UTF-8 text");
            progress.suspend(|| println!("line {line}: refused: not UTF-8 text"));
        }
        let so_far = importer.report();
        progress.set_message(summary(so_far));
    }
    progress.finish_and_clear();
    let report = importer.finish();
    println!("{}", summary(&report));
    Ok(report)
}

/// What the command says of one line: refusals and updates (created and
/// unchanged lines show in the totals only).
fn describe(report: &LineReport) -> Option<String> {
    let key = report
        .key
        .as_deref()
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    match &report.outcome {
        LineOutcome::Refused(problems) => {
            let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Some(format!(
                "line {}{key}: refused: {}",
                report.line,
                reasons.join("; ")
            ))
        }
        LineOutcome::Updated(changes) => Some(format!(
            "line {}{key}: updated {}",
            report.line,
            changes.join(", ")
        )),
        LineOutcome::Created | LineOutcome::Unchanged => None,
    }
}

/// "created 2, updated 1, unchanged 0, refused 1".
pub fn summary(report: &ImportReport) -> String {
    let kept = if report.dry_run {
        " (dry run: nothing kept)"
    } else {
        ""
    };
    format!(
        "created {}, updated {}, unchanged {}, refused {}{kept}",
        report.created(),
        report.updated(),
        report.unchanged(),
        report.refused()
    )
}
