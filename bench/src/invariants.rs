//! Checks of the loaded data before any load is put on the server: the
//! counts add up to what the generator wrote, and every paper's texts,
//! history, tasks and reviews agree with its stage. Any failure stops the
//! run.

use anyhow::bail;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::dataset::{STAGES, Tally};

/// Moves the workflow allows (DESIGN.md, "Stages").
const ALLOWED_MOVES: &str = "'DRAFT>SUBMITTED','SUBMITTED>DRAFT','SUBMITTED>TRANSLATION',\
    'SUBMITTED>REVIEW','TRANSLATION>REVIEW','REVIEW>TRANSLATION','REVIEW>DRAFT',\
    'REVIEW>PUBLISHED','DRAFT>ARCHIVED','SUBMITTED>ARCHIVED','TRANSLATION>ARCHIVED',\
    'REVIEW>ARCHIVED','PUBLISHED>ARCHIVED','ARCHIVED>DRAFT'";

pub async fn scalar(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    match row {
        Some(row) => Ok(row.try_get_by_index::<i64>(0)?),
        None => bail!("no row from {sql}"),
    }
}

/// Runs every check; answers how many passed, or fails naming those that
/// did not.
pub async fn check(db: &DatabaseConnection, tally: &Tally) -> anyhow::Result<usize> {
    let mut expected: Vec<(String, String, i64)> = vec![
        (
            "papers".into(),
            "SELECT COUNT(*) FROM papers".into(),
            tally.papers as i64,
        ),
        (
            "users".into(),
            "SELECT COUNT(*) FROM users".into(),
            tally.users as i64,
        ),
        ("series".into(), "SELECT COUNT(*) FROM series".into(), 12),
        (
            "contributors".into(),
            "SELECT COUNT(*) FROM contributors".into(),
            tally.contributors as i64,
        ),
        (
            "texts".into(),
            "SELECT COUNT(*) FROM paper_texts".into(),
            tally.texts as i64,
        ),
        (
            "English texts".into(),
            "SELECT COUNT(*) FROM paper_texts WHERE language = 'en'".into(),
            tally.english_texts as i64,
        ),
        (
            "tasks".into(),
            "SELECT COUNT(*) FROM translation_tasks".into(),
            tally.tasks as i64,
        ),
        (
            "task events".into(),
            "SELECT COUNT(*) FROM task_events".into(),
            tally.task_events as i64,
        ),
        (
            "stage events".into(),
            "SELECT COUNT(*) FROM stage_events".into(),
            tally.stage_events as i64,
        ),
        (
            "reviews".into(),
            "SELECT COUNT(*) FROM reviews".into(),
            tally.reviews as i64,
        ),
        (
            "claim pool (OPEN tasks of papers in TRANSLATION)".into(),
            "SELECT COUNT(*) FROM translation_tasks t JOIN papers p ON p.id = t.paper_id \
             WHERE p.stage = 'TRANSLATION' AND t.status = 'OPEN'"
                .into(),
            tally.open_tasks_in_translation as i64,
        ),
    ];
    for (k, stage) in STAGES.iter().enumerate() {
        expected.push((
            format!("papers in {stage}"),
            format!("SELECT COUNT(*) FROM papers WHERE stage = '{stage}'"),
            tally.by_stage[k] as i64,
        ));
    }
    expected.push((
        "stage counts add up to the papers".into(),
        format!(
            "SELECT COUNT(*) FROM papers WHERE stage IN ({})",
            STAGES.map(|s| format!("'{s}'")).join(",")
        ),
        tally.papers as i64,
    ));
    // Each of these counts the rows that break a rule: all must be zero.
    let zero: [(&str, String); 22] = [
        (
            "every paper has exactly one ORIGINAL text, in its language",
            "SELECT COUNT(*) FROM papers p WHERE (SELECT COUNT(*) FROM paper_texts t \
             WHERE t.paper_id = p.id AND t.kind = 'ORIGINAL' AND t.language = p.original_language) <> 1"
                .into(),
        ),
        (
            "papers.title is the original's title",
            "SELECT COUNT(*) FROM papers p JOIN paper_texts t ON t.paper_id = p.id \
             AND t.kind = 'ORIGINAL' WHERE t.title <> p.title"
                .into(),
        ),
        (
            "texts are in Russian or English only",
            "SELECT COUNT(*) FROM paper_texts WHERE language NOT IN ('ru', 'en')".into(),
        ),
        (
            "key findings are JSON lists",
            "SELECT COUNT(*) FROM paper_texts WHERE key_findings NOT LIKE '[%]'".into(),
        ),
        (
            "papers in REVIEW or PUBLISHED have an English text",
            "SELECT COUNT(*) FROM papers p WHERE p.stage IN ('REVIEW', 'PUBLISHED') AND NOT EXISTS \
             (SELECT 1 FROM paper_texts t WHERE t.paper_id = p.id AND t.language = 'en')"
                .into(),
        ),
        (
            "every paper has a history",
            "SELECT COUNT(*) FROM papers p WHERE NOT EXISTS \
             (SELECT 1 FROM stage_events e WHERE e.paper_id = p.id)"
                .into(),
        ),
        (
            "the last stage event enters the paper's stage",
            "SELECT COUNT(*) FROM papers p WHERE p.stage <> (SELECT e.to_stage FROM stage_events e \
             WHERE e.paper_id = p.id ORDER BY e.id DESC LIMIT 1)"
                .into(),
        ),
        (
            "histories start with the creation as a DRAFT",
            "SELECT COUNT(*) FROM stage_events e WHERE e.id = (SELECT MIN(f.id) FROM stage_events f \
             WHERE f.paper_id = e.paper_id) AND (e.from_stage IS NOT NULL OR e.to_stage <> 'DRAFT')"
                .into(),
        ),
        (
            "each stage event leaves the stage the previous one entered",
            "SELECT COUNT(*) FROM (SELECT from_stage, LAG(to_stage) OVER \
             (PARTITION BY paper_id ORDER BY id) AS prev FROM stage_events) x \
             WHERE prev IS NOT NULL AND (from_stage IS NULL OR from_stage <> prev)"
                .into(),
        ),
        (
            "every move is one the workflow allows",
            format!(
                "SELECT COUNT(*) FROM stage_events WHERE from_stage IS NOT NULL AND \
                 from_stage || '>' || to_stage NOT IN ({ALLOWED_MOVES})"
            ),
        ),
        (
            "a paper's version counts its stage events",
            "SELECT COUNT(*) FROM papers p WHERE p.version <> \
             (SELECT COUNT(*) FROM stage_events e WHERE e.paper_id = p.id)"
                .into(),
        ),
        (
            "review rounds count the entries into REVIEW",
            "SELECT COUNT(*) FROM papers p WHERE p.review_round <> \
             (SELECT COUNT(*) FROM stage_events e WHERE e.paper_id = p.id AND e.to_stage = 'REVIEW')"
                .into(),
        ),
        (
            "published papers, and only they, have a publication date",
            "SELECT COUNT(*) FROM papers p WHERE (p.published_at IS NOT NULL) <> EXISTS \
             (SELECT 1 FROM stage_events e WHERE e.paper_id = p.id AND e.to_stage = 'PUBLISHED')"
                .into(),
        ),
        (
            "1 to 4 contributors per paper",
            "SELECT COUNT(*) FROM papers p WHERE (SELECT COUNT(*) FROM contributors c \
             WHERE c.paper_id = p.id) NOT BETWEEN 1 AND 4"
                .into(),
        ),
        (
            "0 to 3 tasks per paper",
            "SELECT COUNT(*) FROM papers p WHERE (SELECT COUNT(*) FROM translation_tasks t \
             WHERE t.paper_id = p.id) > 3"
                .into(),
        ),
        (
            "claimed and submitted tasks belong to papers in TRANSLATION",
            "SELECT COUNT(*) FROM translation_tasks t JOIN papers p ON p.id = t.paper_id \
             WHERE t.status IN ('CLAIMED', 'SUBMITTED') AND p.stage <> 'TRANSLATION'"
                .into(),
        ),
        (
            "open tasks only while SUBMITTED, in TRANSLATION or in REVIEW",
            "SELECT COUNT(*) FROM translation_tasks t JOIN papers p ON p.id = t.paper_id \
             WHERE t.status = 'OPEN' AND p.stage NOT IN ('SUBMITTED', 'TRANSLATION', 'REVIEW')"
                .into(),
        ),
        (
            "papers past TRANSLATION have every task accepted or cancelled",
            "SELECT COUNT(*) FROM translation_tasks t JOIN papers p ON p.id = t.paper_id \
             WHERE p.stage IN ('REVIEW', 'PUBLISHED') AND t.status NOT IN ('ACCEPTED', 'CANCELLED')"
                .into(),
        ),
        (
            "papers in TRANSLATION have a task that is not cancelled",
            "SELECT COUNT(*) FROM papers p WHERE p.stage = 'TRANSLATION' AND NOT EXISTS \
             (SELECT 1 FROM translation_tasks t WHERE t.paper_id = p.id AND t.status <> 'CANCELLED')"
                .into(),
        ),
        (
            "a task's status is the one its last event entered",
            "SELECT COUNT(*) FROM translation_tasks t WHERE t.status <> (SELECT e.to_status \
             FROM task_events e WHERE e.task_id = t.id ORDER BY e.id DESC LIMIT 1)"
                .into(),
        ),
        (
            "no translator holds more than 4 claims (the limit is 5)",
            "SELECT COUNT(*) FROM (SELECT claimed_by FROM translation_tasks WHERE status = 'CLAIMED' \
             GROUP BY claimed_by HAVING COUNT(*) > 4) x"
                .into(),
        ),
        (
            "published papers have an accepting review in their last round",
            "SELECT COUNT(*) FROM papers p WHERE p.stage = 'PUBLISHED' AND NOT EXISTS \
             (SELECT 1 FROM reviews r WHERE r.paper_id = p.id AND r.round = p.review_round \
             AND r.status = 'SUBMITTED' AND r.recommendation = 'ACCEPT')"
                .into(),
        ),
    ];
    let mut zero: Vec<(&str, String)> = zero.to_vec();
    if crate::dataset::has_table(db, "paper_stage_counts").await? {
        zero.push((
            "the stage counters agree with the papers",
            "SELECT COUNT(*) FROM (SELECT COALESCE(series_id, 0) AS k, stage, COUNT(*) AS n \
             FROM papers GROUP BY COALESCE(series_id, 0), stage) g \
             LEFT JOIN paper_stage_counts c ON c.series_key = g.k AND c.stage = g.stage \
             WHERE c.papers IS NULL OR c.papers <> g.n"
                .into(),
        ));
        zero.push((
            "no stage counter counts papers that are not there",
            "SELECT COUNT(*) FROM paper_stage_counts c WHERE c.papers <> (SELECT COUNT(*) \
             FROM papers p WHERE COALESCE(p.series_id, 0) = c.series_key AND p.stage = c.stage)"
                .into(),
        ));
    }
    let mut failures = Vec::new();
    let mut passed = 0;
    for (what, sql, want) in &expected {
        let got = scalar(db, sql).await?;
        if got == *want {
            passed += 1;
        } else {
            failures.push(format!("{what}: {got} in the database, {want} generated"));
        }
    }
    for (what, sql) in &zero {
        let got = scalar(db, sql).await?;
        if got == 0 {
            passed += 1;
        } else {
            failures.push(format!("{what}: {got} rows break it"));
        }
    }
    if tally.papers >= 100 {
        for (k, stage) in STAGES.iter().enumerate() {
            if tally.by_stage[k] == 0 {
                failures.push(format!("no paper in {stage}"));
            }
        }
        if tally.open_tasks_in_translation == 0 {
            failures.push("the claim pool is empty".into());
        }
    }
    if !failures.is_empty() {
        bail!(
            "the data set breaks its invariants:\n  {}",
            failures.join("\n  ")
        );
    }
    Ok(passed)
}
