//! Events that are never lost: every change writes its event in its own
//! transaction, subscribers receive events in order with a cursor, and a
//! subscriber that reconnects with its last cursor receives exactly what it
//! missed (as it may see it now), then live events.

use std::time::Duration;

use chrono::Duration as Span;
use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::live::{Socket, WAIT};
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
    app: &TestApp,
    who: Option<&Person>,
    query: &str,
    after: Option<&str>,
) -> Socket {
    let mut socket = app.live(who.map(|p| p.token.as_str())).await;
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
    let mut socket = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, None).await;
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
    let mut socket = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, None).await;
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

    let mut socket = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, Some(&last)).await;
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
    let mut papers = subscribed(
        &office.app,
        Some(&office.translator),
        PAPER_EVENTS,
        Some("0"),
    )
    .await;
    assert_eq!(
        summary(&drain(&mut papers).await),
        vec![("MOVED".into(), in_translation.clone(), "TRANSLATION".into())]
    );
    let mut tasks_socket = subscribed(
        &office.app,
        Some(&office.translator),
        TASK_EVENTS,
        Some("0"),
    )
    .await;
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
    let mut socket = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, None).await;
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

    let mut resumed = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, Some(&old)).await;
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
    let mut resumed = subscribed(
        &office.app,
        Some(&office.editor),
        PAPER_EVENTS,
        Some(&oldest),
    )
    .await;
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
        let mut socket = subscribed(&office.app, Some(&office.editor), query, Some(after)).await;
        let (code, message) = refused(&mut socket).await;
        assert_eq!(code, "BAD_USER_INPUT", "{after}: {message}");
        assert!(message.contains(after), "{message}");
    }
}

/// Every paper event in the outbox, in id order: what an editor may see.
async fn paper_event_ids(office: &Office) -> Vec<i64> {
    let db = &office.app.state.db;
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT id FROM outbox_events WHERE kind = 'paper' ORDER BY id",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<i64>("", "id").unwrap())
    .collect()
}

/// The next `n` events a socket receives, waiting for each.
async fn receive(socket: &mut Socket, n: usize) -> Vec<Value> {
    let mut events = Vec::with_capacity(n);
    for _ in 0..n {
        let data = socket.next_data("1").await;
        events.push(data["paperEvents"].clone());
    }
    events
}

#[tokio::test]
async fn slow_transactions_racing_fast_ones_lose_no_event_and_keep_the_order() {
    let office = Office::open().await;
    // Few enough that every edit of a round has a connection of the pool.
    const PAPERS: usize = 6;
    const ROUNDS: usize = 5;
    let mut socket = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, None).await;
    let mut papers = vec![];
    for _ in 0..PAPERS {
        papers.push(office.draft().await);
    }
    receive(&mut socket, PAPERS).await;
    let db = &office.app.state.db;
    if office.app.db.is_postgres() {
        // Odd papers' edits begin first (their transaction ids are lower),
        // then wait before they take their event's id, and commit: their
        // ids are higher. Even papers' edits begin a little later, take
        // their ids at once, and hold them before they commit: the relay
        // sees higher ids committed while lower ones are held by
        // transactions younger than every one that has ended.
        db.execute_unprepared(
            "CREATE FUNCTION late_id() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF NEW.id % 2 = 1 AND NEW.original_url IS DISTINCT FROM OLD.original_url THEN
                 PERFORM pg_sleep(0.2);
               END IF;
               RETURN NEW;
             END $$;
             CREATE TRIGGER late_id AFTER UPDATE ON papers
               FOR EACH ROW EXECUTE FUNCTION late_id();
             CREATE FUNCTION late_commit() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF NEW.payload::json->>'what' = 'UPDATED'
                  AND (NEW.payload::json->>'paper_id')::bigint % 2 = 0 THEN
                 PERFORM pg_sleep(0.4);
               END IF;
               RETURN NEW;
             END $$;
             CREATE TRIGGER late_commit AFTER INSERT ON outbox_events
               FOR EACH ROW EXECUTE FUNCTION late_commit();",
        )
        .await
        .unwrap();
    } else {
        // SQLite admits one writer at a time, so ids commit in order: the
        // race cannot happen there; the edits still run at once.
        eprintln!(
            "slow_transactions_racing_fast_ones…: no slow transactions on SQLite \
             (one writer at a time); set TEST_DATABASE_URL to race them"
        );
    }
    // Edits of different papers: nothing but the outbox orders them.
    let office = &office;
    let edit = |round: usize, paper: &String| {
        let paper = paper.clone();
        async move {
            office
                .gql(
                    Some(&office.author),
                    "mutation($id: ID!, $v: Int!, $url: String!) {
                        updatePaper(id: $id, expectedVersion: $v, input: { originalUrl: $url }) { id }
                    }",
                    json!({
                        "id": paper,
                        "v": round + 1,
                        "url": format!("https://example.org/reports/{paper}/{round}"),
                    }),
                )
                .await
                .ok()
        }
    };
    let parity = |odd: bool| {
        papers
            .iter()
            .filter(move |paper| (paper.parse::<i64>().unwrap() % 2 == 1) == odd)
    };
    for round in 0..ROUNDS {
        let odd = futures_util::future::join_all(parity(true).map(|p| edit(round, p)));
        let even = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            futures_util::future::join_all(parity(false).map(|p| edit(round, p))).await
        };
        tokio::join!(odd, even);
    }

    let received = receive(&mut socket, PAPERS * ROUNDS).await;
    assert_eq!(socket.next_within(QUIET).await, None);
    let received = cursors(&received);
    let written = paper_event_ids(office).await;
    assert_eq!(received, written[PAPERS..].to_vec());
}

/// Ids of the paper events in the outbox whose payload contains `marker`.
async fn paper_event_ids_with(office: &Office, marker: &str) -> Vec<i64> {
    let db = &office.app.state.db;
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT id FROM outbox_events WHERE kind = 'paper' AND payload LIKE '%{marker}%' ORDER BY id"),
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<i64>("", "id").unwrap())
    .collect()
}

/// Waits until the outbox holds at least `rows` events.
async fn outbox_reaches(office: &Office, rows: i64) {
    let deadline = tokio::time::Instant::now() + WAIT * 6;
    while outbox_rows(office).await < rows {
        assert!(tokio::time::Instant::now() < deadline, "the burst stalled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn two_servers_deliver_every_event_of_a_burst_through_a_cut_listener_and_a_reconnect() {
    let office = Office::open().await;
    let second = TestApp::spawn_on(&office.app.db).await;
    let postgres = office.app.db.is_postgres();
    if postgres {
        tokio::time::timeout(WAIT, second.state.events.listening())
            .await
            .expect("the second server's listener did not start");
    } else {
        eprintln!(
            "two_servers_deliver_every_event…: SQLite has no listener to cut; \
             the servers share the outbox file (set TEST_DATABASE_URL to cut one)"
        );
    }
    // An editor on the second server stays connected throughout; an editor
    // and a translator on the first leave mid-burst and come back.
    let editor = Some(&office.editor);
    let mut staying = subscribed(&second, editor, PAPER_EVENTS, None).await;
    let mut leaving = subscribed(&office.app, editor, PAPER_EVENTS, None).await;
    let translator_on_first = Some(&office.translator);
    let mut translator = subscribed(&office.app, translator_on_first, PAPER_EVENTS, None).await;

    // 240 papers created and submitted, half through each server; every
    // 24th also gets a task and enters TRANSLATION: 500 changes and more.
    const PAPERS: usize = 240;
    let office = &office;
    let servers = [&office.app, &second];
    let author = office.author.token.as_str();
    let burst = futures_util::stream::iter(0..PAPERS)
        .map(|n| async move {
            let server = servers[n % 2];
            let (paper, version) = server.draft(author, &format!("Доклад {n}"), None).await;
            server
                .move_paper(author, &paper, "SUBMITTED", version, None)
                .await;
            if n % 24 == 0 {
                office.create_task(&paper, "en", "SUMMARY").await;
                office
                    .moved(&office.editor, &paper, "TRANSLATION", None)
                    .await;
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<()>>();
    let disruption = async {
        outbox_reaches(office, 150).await;
        if let Some(name) = second.state.events.listener_name() {
            let cut = office.app.db.terminate_application(name).await;
            assert_eq!(cut, Some(1), "the second server's listener was not found");
        }
        let before = receive(&mut leaving, 100).await;
        let last = before.last().unwrap()["cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        leaving.close().await;
        let translated = receive(&mut translator, 1).await;
        let translator_last = translated[0]["cursor"].as_str().unwrap().to_owned();
        translator.close().await;
        (before, last, translated, translator_last)
    };
    let ((), (before, last, translated, translator_last)) = tokio::join!(
        async {
            burst.await;
        },
        disruption
    );

    let all = paper_event_ids(office).await;
    assert!(all.len() >= 490, "{} paper events", all.len());
    // The staying subscriber: every event, in order, once.
    let heard = cursors(&receive(&mut staying, all.len()).await);
    assert_eq!(heard, all);
    assert_eq!(staying.next_within(QUIET).await, None);

    // The one that left: what it saw, then from its last cursor the rest.
    let mut back = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, Some(&last)).await;
    let rest = receive(&mut back, all.len() - before.len()).await;
    assert_eq!(cursors(&[before, rest].concat()), all);
    assert_eq!(back.next_within(QUIET).await, None);

    // The translator: only the papers it may see (those it may translate),
    // before and after it came back.
    let translation = paper_event_ids_with(office, "\"to\":\"TRANSLATION\"").await;
    assert_eq!(translation.len(), PAPERS / 24);
    let mut back = subscribed(
        &office.app,
        Some(&office.translator),
        PAPER_EVENTS,
        Some(&translator_last),
    )
    .await;
    let rest = receive(&mut back, translation.len() - 1).await;
    assert!(rest.iter().all(|e| e["paper"]["stage"] == "TRANSLATION"));
    assert_eq!(cursors(&[translated, rest].concat()), translation);
    assert_eq!(back.next_within(QUIET).await, None);
}

#[tokio::test]
async fn a_subscriber_that_falls_far_behind_reads_the_rest_from_the_outbox() {
    use imprint::domain::Viewer;
    use imprint::events::{Event, Stream};
    use imprint::service::live::{Feed, Subscriber};

    let office = Office::open().await;
    let state = &office.app.state;
    let mut feed = Feed::open(
        state,
        Subscriber::new(Viewer::Anonymous, None),
        Stream::Papers,
        None,
    )
    .await
    .unwrap();
    // More events than the server's channel holds for one subscriber
    // (1,024), delivered while the feed is not read.
    const EVENTS: i64 = 1500;
    let events: Vec<Event> = (1..=EVENTS).map(|n| edited(n, state)).collect();
    let tx = imprint::store::begin_write(&state.db).await.unwrap();
    state.events.commit(tx, events).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while state.events.head().await < EVENTS {
        assert!(tokio::time::Instant::now() < deadline, "the relay stalled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let mut papers = vec![];
    for _ in 0..EVENTS {
        let next = tokio::time::timeout(WAIT, feed.next()).await.unwrap();
        let Event::Paper(event) = next.unwrap().unwrap().event else {
            panic!("not a paper event");
        };
        papers.push(event.paper_id);
    }
    assert_eq!(papers, (1..=EVENTS).collect::<Vec<_>>());
}

#[tokio::test]
async fn an_event_id_whose_transaction_rolled_back_holds_nothing_back() {
    use sea_orm::TransactionTrait;

    let office = Office::open().await;
    let mut socket = subscribed(&office.app, Some(&office.editor), PAPER_EVENTS, None).await;
    // An id taken and given back (on PostgreSQL the sequence never reuses
    // it: the relay sees a gap that stays).
    let state = &office.app.state;
    let tx = state.db.begin().await.unwrap();
    imprint::events::record(&tx, &[edited(1, state)])
        .await
        .unwrap();
    tx.rollback().await.unwrap();

    let paper = office.draft().await;
    let events = receive(&mut socket, 1).await;
    assert_eq!(
        summary(&events),
        vec![("CREATED".into(), paper, "DRAFT".into())]
    );
}

/// An edit of a DRAFT paper as the service records it, written straight
/// into the outbox by the tests that need many, or one rolled back.
fn edited(paper_id: i64, state: &imprint::app::AppState) -> imprint::events::Event {
    use imprint::domain::Stage;
    use imprint::domain::event::PaperEventKind;
    imprint::events::Event::Paper(imprint::events::PaperEvent {
        paper_id,
        series_id: None,
        what: PaperEventKind::Updated,
        from: Some(Stage::Draft),
        to: Stage::Draft,
        actor_id: None,
        at: state.clock.now(),
    })
}
