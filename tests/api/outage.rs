//! A database that goes away and comes back: while it is gone every request
//! that needs it answers `DB_UNAVAILABLE` (HTTP 503 with `Retry-After` when
//! nothing of the request could be done), never `INTERNAL`; `/readyz` says
//! so; and once it is back Imprint serves again without a restart.
//!
//! The outage is made on the test's own PostgreSQL database (its sessions
//! terminated, new ones refused), never on the shared server. SQLite has no
//! server to lose, so these tests say so and end there.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::workflow::{Office, code};

const PAPERS: &str = "{ papers { totalCount } }";

/// What the server answered to one GraphQL POST, headers included.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: serde_json::Value,
}

impl Answer {
    fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }
}

async fn post(app: &TestApp, token: Option<&str>, query: &str) -> Answer {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.json().await.unwrap();
    Answer {
        status,
        retry_after,
        body,
    }
}

/// A whole request lost to the outage: its status, header and code.
fn assert_unavailable(answer: &Answer) {
    assert_eq!(answer.code(), Some("DB_UNAVAILABLE"), "{}", answer.body);
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(
        answer.retry_after.is_some(),
        "no Retry-After: {}",
        answer.body
    );
}

async fn ready(app: &TestApp) -> u16 {
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    response.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_terminated_under_the_server_answer_db_unavailable_then_it_serves_again() {
    let office = Office::open().await;
    let app = &office.app;
    let paper = office.draft().await;
    let editor = office.editor.token.as_str();
    // Fill the pool, so the terminated sessions are the ones it will hand out.
    join_all((0..8).map(|_| post(app, Some(editor), PAPERS))).await;

    if app.db.terminate_sessions().await.is_none() {
        eprintln!("skipped: SQLite has no server whose sessions could be terminated");
        return;
    }
    // Every pooled session is gone: each request, as the editor (so the
    // token is checked against the database) and in parallel, either
    // succeeds on a new session or is told the database is unavailable.
    let answers = join_all((0..16).map(|_| post(app, Some(editor), PAPERS))).await;
    for answer in &answers {
        if answer.body.get("errors").is_some() {
            assert_unavailable(answer);
        }
    }
    // The server serves again at once, reads and writes, with no restart.
    assert_eq!(ready(app).await, 200);
    let read = post(app, Some(editor), PAPERS).await;
    assert!(read.body.get("errors").is_none(), "{}", read.body);
    office
        .moved(&office.editor, &paper, "SUBMITTED", None)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn while_the_database_refuses_sessions_every_request_is_db_unavailable_and_readyz_says_so() {
    let office = Office::open().await;
    let app = &office.app;
    let paper = office.draft().await;
    let version = office.version(&paper).await;
    let editor = office.editor.token.as_str();
    // Fill the pool: more idle connections than the outage below will use,
    // so some the server cut are still pooled when it comes back.
    join_all((0..8).map(|_| post(app, Some(editor), PAPERS))).await;

    if app.db.allow_connections(false).await.is_none() {
        eprintln!("skipped: SQLite has no server that could refuse sessions");
        return;
    }
    app.db.terminate_sessions().await;

    assert_eq!(ready(app).await, 503);
    // Anonymous, with a token to check, and a write: each is refused whole.
    assert_unavailable(&post(app, None, PAPERS).await);
    assert_unavailable(&post(app, Some(editor), PAPERS).await);
    let moved = office
        .try_move_at(Some(&office.editor), &paper, "SUBMITTED", version, None)
        .await;
    assert_eq!(code(&moved), "DB_UNAVAILABLE");
    assert_eq!(moved.status, 503);

    // Back: the first probe and the first request already succeed.
    app.db.allow_connections(true).await;
    assert_eq!(ready(app).await, 200);
    office
        .moved(&office.editor, &paper, "SUBMITTED", None)
        .await;
}
