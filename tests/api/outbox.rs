//! Events that are never lost: every change writes its event in its own
//! transaction, subscribers receive events in order with a cursor, and a
//! subscriber that reconnects with its last cursor receives exactly what it
//! missed (as it may see it now), then live events.

use std::time::Duration;

use chrono::Duration as Span;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::live::Socket;
use crate::helpers::workflow::{Office, Person, code};

const PAPER_EVENTS: &str = "subscription($after: String) {
    paperEvents(after: $after) { cursor kind paper { id stage } from to }
}";

const TASK_EVENTS: &str = "subscription($after: String) {
    translationTaskEvents(after: $after) { cursor task { id paper { id } } from to }
}";

/// How long a test waits to be sure nothing more arrives.
const QUIET: Duration = Duration::from_millis(500);

async fn subscribed(
    office: &Office,
    who: Option<&Person>,
    query: &str,
    after: Option<&str>,
) -> Socket {
    let mut socket = office.app.live(who.map(|p| p.token.as_str())).await;
    socket
        .subscribe("1", query, json!({ "after": after }))
        .await;
    if after.is_none() {
        // Listening before the test goes on; with `after`, what comes
        // meanwhile is read from the outbox anyway.
        socket.sync().await;
    }
    socket
}

/// Every `paperEvents` message until none comes for a while.
async fn drain(socket: &mut Socket) -> Vec<Value> {
    let mut events = vec![];
    while let Some(message) = socket.next_within(QUIET).await {
        assert_eq!(message["type"], "next", "{message}");
        assert!(message["payload"].get("errors").is_none(), "{message}");
        let data = &message["payload"]["data"];
        let event = data
            .get("paperEvents")
            .or_else(|| data.get("translationTaskEvents"));
        events.push(event.unwrap().clone());
    }
    events
}

/// (kind, paper, to) of each paper event.
fn summary(events: &[Value]) -> Vec<(String, String, String)> {
    events
        .iter()
        .map(|e| {
            let text = |v: &Value| v.as_str().unwrap().to_owned();
            (text(&e["kind"]), text(&e["paper"]["id"]), text(&e["to"]))
        })
        .collect()
}

fn cursors(events: &[Value]) -> Vec<i64> {
    events
        .iter()
        .map(|e| e["cursor"].as_str().unwrap().parse().unwrap())
        .collect()
}

async fn outbox_rows(office: &Office) -> i64 {
    let db = &office.app.state.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM outbox_events",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// The error a subscription answered instead of events.
async fn refused(socket: &mut Socket) -> (String, String) {
    let message = socket.next_message().await;
    let error = &message["payload"]["errors"][0];
    assert!(error.is_object(), "{message}");
    (
        error["extensions"]["code"].as_str().unwrap().to_owned(),
        error["message"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn every_change_to_a_paper_is_an_event_in_order_and_a_refused_one_is_none() {
    let office = Office::open().await;
    let mut socket = subscribed(&office, Some(&office.editor), PAPER_EVENTS, None).await;
    let paper = office.paper_in("PUBLISHED").await;
    let events = drain(&mut socket).await;
    let expected: Vec<(String, String, String)> = [
        ("CREATED", "DRAFT"),
        ("MOVED", "SUBMITTED"),
        ("MOVED", "TRANSLATION"),
        ("MOVED", "REVIEW"),
        ("REVIEW_REQUESTED", "REVIEW"),
        ("REVIEW_ANSWERED", "REVIEW"),
        ("MOVED", "PUBLISHED"),
    ]
    .iter()
    .map(|(kind, to)| (kind.to_string(), paper.clone(), to.to_string()))
    .collect();
    assert_eq!(summary(&events), expected);
    let cursors = cursors(&events);
    assert!(cursors.windows(2).all(|w| w[0] < w[1]), "{cursors:?}");

    // A refused change writes nothing, event included.
    let before = outbox_rows(&office).await;
    let stale = office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!) { movePaper(id: $id, to: ARCHIVED, expectedVersion: 1, note: \"x\") { id } }",
            json!({ "id": paper }),
        )
        .await;
    assert_eq!(code(&stale), "CONFLICT");
    assert_eq!(outbox_rows(&office).await, before);
    assert_eq!(socket.next_within(QUIET).await, None);
}

#[tokio::test]
async fn a_subscriber_that_resumes_with_its_last_cursor_gets_exactly_what_it_missed_then_live_ones()
{
    let office = Office::open().await;
    let mut socket = subscribed(&office, Some(&office.editor), PAPER_EVENTS, None).await;
    let first = office.draft().await;
    let seen = drain(&mut socket).await;
    assert_eq!(summary(&seen).len(), 1);
    let last = seen[0]["cursor"].as_str().unwrap().to_owned();
    socket.close().await;

    // While it is away.
    office
        .moved(&office.author, &first, "SUBMITTED", None)
        .await;
    let second = office.draft().await;

    let mut socket = subscribed(&office, Some(&office.editor), PAPER_EVENTS, Some(&last)).await;
    let missed = drain(&mut socket).await;
    assert_eq!(
        summary(&missed),
        vec![
            ("MOVED".into(), first.clone(), "SUBMITTED".into()),
            ("CREATED".into(), second.clone(), "DRAFT".into()),
        ]
    );
    // Then live, after the last one it missed.
    office
        .moved(&office.author, &second, "SUBMITTED", None)
        .await;
    let live = drain(&mut socket).await;
    assert_eq!(
        summary(&live),
        vec![("MOVED".into(), second.clone(), "SUBMITTED".into())]
    );
    let all = cursors(&[seen, missed, live].concat());
    assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
}

#[tokio::test]
async fn a_translator_resuming_learns_nothing_of_papers_it_may_not_see() {
    let office = Office::open().await;
    let draft = office.draft().await;
    let (in_translation, tasks) = office.paper_in_translation_with(&["en"]).await;
    office
        .moved(&office.author, &draft, "SUBMITTED", None)
        .await;

    // From the start of the outbox: every event so far, as it may see them now.
    let mut papers = subscribed(&office, Some(&office.translator), PAPER_EVENTS, Some("0")).await;
    assert_eq!(
        summary(&drain(&mut papers).await),
        vec![("MOVED".into(), in_translation.clone(), "TRANSLATION".into())]
    );
    let mut tasks_socket =
        subscribed(&office, Some(&office.translator), TASK_EVENTS, Some("0")).await;
    let task_events = drain(&mut tasks_socket).await;
    assert!(!task_events.is_empty());
    for event in &task_events {
        assert_eq!(event["task"]["id"], tasks[0].as_str());
        assert_eq!(event["task"]["paper"]["id"], in_translation.as_str());
    }
}

#[tokio::test]
async fn a_cursor_older_than_the_retention_is_refused_naming_the_oldest_still_held() {
    let office = Office::open().await;
    let mut socket = subscribed(&office, Some(&office.editor), PAPER_EVENTS, None).await;
    office.draft().await;
    let old = drain(&mut socket).await[0]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    office.draft().await;
    let pruned_through = cursors(&drain(&mut socket).await)[0];

    // A week and a day later, the retention has deleted both.
    let state = &office.app.state;
    state.clock.advance(Span::days(8));
    let kept = office.draft().await;
    let pruned = imprint::service::live::prune_events(state).await.unwrap();
    assert_eq!(pruned, 2);

    let mut resumed = subscribed(&office, Some(&office.editor), PAPER_EVENTS, Some(&old)).await;
    let (code, message) = refused(&mut resumed).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.contains(&format!(
            "the oldest cursor still held is \"{pruned_through}\""
        )),
        "{message}"
    );
    // From the oldest cursor still held, nothing is missing.
    let oldest = pruned_through.to_string();
    let mut resumed = subscribed(&office, Some(&office.editor), PAPER_EVENTS, Some(&oldest)).await;
    assert_eq!(
        summary(&drain(&mut resumed).await),
        vec![("CREATED".into(), kept, "DRAFT".into())]
    );
}

#[tokio::test]
async fn a_cursor_that_is_not_one_is_refused() {
    let office = Office::open().await;
    office.draft().await;
    for (query, after) in [
        (PAPER_EVENTS, "abc"),
        (PAPER_EVENTS, "-1"),
        (TASK_EVENTS, "1.5"),
        (TASK_EVENTS, "999999"),
    ] {
        let mut socket = subscribed(&office, Some(&office.editor), query, Some(after)).await;
        let (code, message) = refused(&mut socket).await;
        assert_eq!(code, "BAD_USER_INPUT", "{after}: {message}");
        assert!(message.contains(after), "{message}");
    }
}
