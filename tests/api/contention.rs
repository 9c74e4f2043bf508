//! Ordinary editorial work done by many people at once, with real parallel
//! clients: none of it may fail for being concurrent. A deadlock or a
//! unique key taken a moment earlier is the server's to sort out, never the
//! client's `INTERNAL`, and the counts kept beside the moves stay true.
//!
//! On SQLite writers take turns, so these races cannot happen there; the
//! tests run on both databases and fail, before the fix, on PostgreSQL.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use imprint::domain::Role;
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, Person, STAGES, russian_draft};

/// Editors at work at once.
const EDITORS: usize = 8;
/// How long the editors keep moving their papers.
const BUSY_FOR: Duration = Duration::from_secs(3);
/// Moves each editor makes at most, so a fast machine still ends.
const MOST_MOVES: usize = 40;

/// Moves the paper back and forth between DRAFT and SUBMITTED until the
/// time is up; answers every response that carried errors.
async fn shuttle(office: &Office, editor: &Person, paper: &str, deadline: Instant) -> Vec<Value> {
    let mut failures = vec![];
    let (mut version, mut stage) = (0, "DRAFT");
    let mut reload = true;
    for _ in 0..MOST_MOVES {
        if Instant::now() > deadline {
            break;
        }
        if reload {
            // Carry on from wherever the paper really is.
            let now = office.snapshot(paper).await;
            version = now["version"].as_i64().unwrap();
            stage = if now["stage"] == "DRAFT" {
                "DRAFT"
            } else {
                "SUBMITTED"
            };
        }
        let (to, note) = match stage {
            "DRAFT" => ("SUBMITTED", None),
            _ => ("DRAFT", Some("back for another look")),
        };
        let moved = office
            .try_move_at(Some(editor), paper, to, version, note)
            .await;
        reload = moved.body.get("errors").is_some();
        if reload {
            failures.push(moved.body);
            continue;
        }
        version = moved.data()["movePaper"]["version"].as_i64().unwrap();
        stage = to;
    }
    failures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn editors_moving_their_own_papers_of_one_series_both_ways_at_once_all_succeed() {
    let office = Office::open().await;
    let series = office.series("security-index", "Security Index").await;
    let mut desks = vec![];
    for i in 0..EDITORS {
        let editor = office
            .person(&format!("editor{i}@imprint.test"), &[Role::Editor])
            .await;
        let mut draft = russian_draft(&format!("Доклад редактора {i}"));
        draft["seriesId"] = json!(series);
        let paper = office.create_paper(&editor, draft).await;
        // Half start from SUBMITTED, so moves in both directions overlap
        // from the first one.
        if i % 2 == 1 {
            office.moved(&editor, &paper, "SUBMITTED", None).await;
        }
        desks.push((editor, paper));
    }

    let deadline = Instant::now() + BUSY_FOR;
    let failures: Vec<Value> = join_all(
        desks
            .iter()
            .map(|(editor, paper)| shuttle(&office, editor, paper, deadline)),
    )
    .await
    .into_iter()
    .flatten()
    .collect();
    assert!(
        failures.is_empty(),
        "{} moves failed, the first: {}",
        failures.len(),
        failures[0]
    );

    let status = office
        .gql(
            Some(&office.editor),
            "query($series: ID) { publicationStatus(filter: { seriesId: $series }) { papersByStage { stage papers } } }",
            json!({ "series": series }),
        )
        .await
        .ok();
    let counted = &status.data()["publicationStatus"]["papersByStage"];
    let mut listed = vec![];
    for stage in STAGES {
        let papers = office
            .gql(
                Some(&office.editor),
                "query($series: ID, $stage: Stage!) { papers(filter: { seriesId: $series, stages: [$stage] }) { totalCount } }",
                json!({ "series": series, "stage": stage }),
            )
            .await
            .ok();
        let total = papers.data()["papers"]["totalCount"].as_i64().unwrap();
        if total > 0 {
            listed.push(json!({ "stage": stage, "papers": total }));
        }
    }
    assert_eq!(counted, &json!(listed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn papers_created_at_once_with_one_title_all_get_slugs_of_their_own() {
    let office = Office::open().await;
    let mut authors = vec![];
    for i in 0..EDITORS {
        authors.push(
            office
                .person(&format!("author{i}@imprint.test"), &[Role::Author])
                .await,
        );
    }
    let create = "mutation($input: CreatePaperInput!) { createPaper(input: $input) { slug } }";
    let responses = join_all(authors.iter().map(|author| {
        let input = russian_draft("Strategic Stability in 2030");
        office.gql(Some(author), create, json!({ "input": input }))
    }))
    .await;

    let mut slugs: Vec<String> = responses
        .into_iter()
        .map(|response| {
            response.ok().data()["createPaper"]["slug"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    slugs.sort();
    let mut expected: Vec<String> = std::iter::once("strategic-stability-in-2030".to_owned())
        .chain((2..=EDITORS).map(|n| format!("strategic-stability-in-2030-{n}")))
        .collect();
    expected.sort();
    assert_eq!(slugs, expected);
}

/// Sessions on the test database waiting for a lock.
async fn waiting_for_locks(db: &sea_orm::DatabaseConnection) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_move_that_postgresql_aborts_to_break_a_deadlock_is_retried_not_shown() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let office = Office::open().await;
    if !office.app.db.is_postgres() {
        eprintln!("skipped: SQLite's writers take turns, so no deadlock can be made there");
        return;
    }
    office.paper_in("SUBMITTED").await;
    let paper = office.draft().await;
    let version = office.version(&paper).await;
    let outsider = office.app.db.connect().await;
    let watcher = office.app.db.connect().await;

    // Another writer holds the SUBMITTED counter the move will want ...
    let other = outsider.begin().await.unwrap();
    other
        .execute_unprepared(
            "UPDATE paper_stage_counts SET papers = papers WHERE stage = 'SUBMITTED'",
        )
        .await
        .unwrap();
    let moving = tokio::spawn({
        let (app, editor, paper) = (
            office.app.address.clone(),
            office.editor.token.clone(),
            paper.clone(),
        );
        async move {
            let client = reqwest::Client::new();
            let body = json!({
                "query": "mutation($id: ID!, $v: Int!) { movePaper(id: $id, to: SUBMITTED, expectedVersion: $v) { stage version } }",
                "variables": { "id": paper, "v": version },
            });
            let response = client
                .post(format!("{app}/graphql"))
                .bearer_auth(editor)
                .json(&body)
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        }
    });
    // ... and once the move, holding the DRAFT counter, waits for it, asks
    // for the DRAFT counter: a deadlock, which PostgreSQL breaks after its
    // deadlock_timeout by aborting the move, the first to wait.
    let deadline = Instant::now() + Duration::from_secs(10);
    while waiting_for_locks(&watcher).await == 0 {
        assert!(
            Instant::now() < deadline,
            "the move never waited for the lock"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    other
        .execute_unprepared("UPDATE paper_stage_counts SET papers = papers WHERE stage = 'DRAFT'")
        .await
        .unwrap();
    other.commit().await.unwrap();

    let answer = moving.await.unwrap();
    assert!(answer.get("errors").is_none(), "{answer}");
    assert_eq!(answer["data"]["movePaper"]["stage"], "SUBMITTED");
    assert_eq!(answer["data"]["movePaper"]["version"], version + 1);
    let history = office.snapshot(&paper).await["history"].clone();
    let moves: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["to"] == "SUBMITTED")
        .collect();
    assert_eq!(moves.len(), 1, "{history}");
}
