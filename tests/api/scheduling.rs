//! Scheduled publishing: a move to PUBLISHED with a future `publishAt`
//! makes the paper SCHEDULED, under embargo until the clock releases it,
//! exactly once, however many servers sweep and however late they run.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use imprint::service::publishing;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::live::WAIT;
use crate::helpers::workflow::{Office, Person, code};
use crate::helpers::{Gql, TestApp};

/// How long a test waits to be sure something does NOT arrive.
const QUIET: StdDuration = StdDuration::from_millis(500);

const PAPER_EVENTS: &str = "subscription { paperEvents { paper { id stage } from to } }";

const RESCHEDULE: &str = "mutation($id: ID!, $v: Int!, $at: DateTime!, $note: String!) {
    reschedulePaper(id: $id, expectedVersion: $v, publishAt: $at, note: $note) { stage version publishAt }
}";

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// The history entries of a paper that moved it from `from` to `to`.
fn moves(snapshot: &Value, from: &str, to: &str) -> Vec<Value> {
    snapshot["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["from"] == from && entry["to"] == to)
        .cloned()
        .collect()
}

async fn reschedule(
    office: &Office,
    paper: &str,
    who: &Person,
    version: i64,
    at: &str,
    note: &str,
) -> Gql {
    office
        .gql(
            Some(who),
            RESCHEDULE,
            json!({ "id": paper, "v": version, "at": at, "note": note }),
        )
        .await
}

/// Runs one sweep of the server's release, as its timer does.
async fn sweep(app: &TestApp) -> u64 {
    publishing::release_due(&app.state).await.unwrap()
}

/// Everything an outsider could reach a paper by, answered for `who`: ids
/// of the paper (or null) by id, by slug, in lists, search, its series and
/// the counts, and whether its pages and feed entries exist.
async fn reach(office: &Office, who: Option<&Person>, paper: &Value) -> Value {
    let query = "query($id: ID!, $slug: String!, $series: String!) {
        byId: paper(id: $id) { id stage }
        bySlug: paper(slug: $slug) { id }
        papers { totalCount nodes { id } }
        scheduled: papers(filter: { stages: [SCHEDULED] }) { totalCount }
        search: papers(filter: { search: \"Доклад\" }) { totalCount nodes { id } }
        series(slug: $series) { papers { totalCount nodes { id } } }
    }";
    let slug = paper["slug"].as_str().unwrap();
    let response = office
        .gql(
            who,
            query,
            json!({ "id": paper["id"], "slug": slug, "series": "occasional" }),
        )
        .await;
    let data = response.data();
    let ids = |list: &Value| -> Vec<Value> {
        list["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| node["id"].clone())
            .collect()
    };
    let page = office
        .app
        .client
        .get(office.app.url(&format!("/papers/{slug}")));
    let page = page.send().await.unwrap().status();
    let feeds = [
        office.app.get_text("/feed.atom").await,
        office.app.get_text("/series/occasional/feed.atom").await,
    ];
    json!({
        "byId": data["byId"]["id"],
        "bySlug": data["bySlug"]["id"],
        "list": ids(&data["papers"]),
        "total": data["papers"]["totalCount"],
        "scheduled": data["scheduled"]["totalCount"],
        "search": ids(&data["search"]),
        "series": ids(&data["series"]["papers"]),
        "seriesTotal": data["series"]["papers"]["totalCount"],
        "page": page == StatusCode::OK,
        "inFeeds": feeds.iter().any(|feed| feed.contains(slug)),
    })
}

/// A SCHEDULED paper in the series "occasional", to be published a day
/// from now: its snapshot.
async fn scheduled_in_series(office: &Office) -> Value {
    let series = office.series("occasional", "Occasional Papers").await;
    let paper = office.paper_in("SCHEDULED").await;
    let version = office.version(&paper).await;
    office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!, $series: ID!) { updatePaper(id: $id, expectedVersion: $v, input: { seriesId: $series }) { id } }",
            json!({ "id": paper, "v": version, "series": series }),
        )
        .await
        .ok();
    office.snapshot(&paper).await
}

#[tokio::test]
async fn a_scheduled_paper_is_seen_only_by_editors_and_its_authors_until_its_time() {
    let office = Office::open().await;
    let mut outsiders = office.app.live(None).await;
    outsiders.subscribe("1", PAPER_EVENTS, json!({})).await;
    outsiders.sync().await;
    // The translator and the reviewer who worked on it.
    let mut workers = vec![];
    for worker in [&office.translator, &office.reviewer] {
        let mut socket = office.app.live(Some(&worker.token)).await;
        socket.subscribe("1", PAPER_EVENTS, json!({})).await;
        socket.sync().await;
        workers.push(socket);
    }

    let paper = scheduled_in_series(&office).await;
    assert_eq!(paper["stage"], "SCHEDULED");
    let publish_at = time(&paper["publishAt"]);
    assert!(publish_at > office.app.state.clock.now() + Duration::hours(23));
    assert_eq!(paper["publishedAt"], Value::Null);
    let id = paper["id"].clone();

    // Under embargo: by every path, as if it did not exist.
    let unseen = json!({
        "byId": null, "bySlug": null, "list": [], "total": 0, "scheduled": 0,
        "search": [], "series": [], "seriesTotal": 0, "page": false, "inFeeds": false,
    });
    for who in [
        None,
        Some(&office.translator),
        Some(&office.reviewer),
        Some(&office.other_author),
    ] {
        assert_eq!(reach(&office, who, &paper).await, unseen, "{who:?}");
    }
    // Those who worked on it were told of its earlier moves, not this one.
    for socket in &mut workers {
        let mut seen = vec![];
        while let Some(message) = socket.next_within(QUIET).await {
            seen.push(message["payload"]["data"]["paperEvents"]["to"].clone());
        }
        assert!(!seen.contains(&json!("SCHEDULED")), "{seen:?}");
    }
    assert_eq!(outsiders.next_within(QUIET).await, None);

    // Editors and its author see it as SCHEDULED, with its time.
    for who in [&office.editor, &office.author] {
        let seen = reach(&office, Some(who), &paper).await;
        assert_eq!(seen["byId"], id, "{who:?}");
        assert_eq!(seen["scheduled"], 1, "{who:?}");
        let response = office
            .gql(
                Some(who),
                "query($id: ID!) { paper(id: $id) { stage publishAt } }",
                json!({ "id": id }),
            )
            .await
            .ok();
        assert_eq!(
            response.data()["paper"],
            json!({ "stage": "SCHEDULED", "publishAt": paper["publishAt"] })
        );
    }

    // A minute early, nothing happens.
    office
        .app
        .state
        .clock
        .advance(publish_at - office.app.state.clock.now() - Duration::minutes(1));
    assert_eq!(sweep(&office.app).await, 0);
    assert_eq!(office.stage(id.as_str().unwrap()).await, "SCHEDULED");

    // At its time it is published, once, by the clock, for everyone.
    office.app.state.clock.advance(Duration::minutes(2));
    assert_eq!(sweep(&office.app).await, 1);
    assert_eq!(sweep(&office.app).await, 0);
    let published = office.snapshot(id.as_str().unwrap()).await;
    assert_eq!(published["stage"], "PUBLISHED");
    assert_eq!(time(&published["publishedAt"]), publish_at);
    assert_eq!(published["publishAt"], Value::Null);
    let released = moves(&published, "SCHEDULED", "PUBLISHED");
    assert_eq!(released.len(), 1, "{released:?}");
    assert_eq!(released[0]["actor"], Value::Null);
    for who in [None, Some(&office.translator), Some(&office.reviewer)] {
        let seen = reach(&office, who, &paper).await;
        assert_eq!(seen["byId"], id, "{who:?}");
        assert_eq!(seen["bySlug"], id, "{who:?}");
        assert_eq!(seen["list"], json!([id]), "{who:?}");
        assert_eq!(seen["search"], json!([id]), "{who:?}");
        assert_eq!(seen["series"], json!([id]), "{who:?}");
        assert_eq!(
            (&seen["page"], &seen["inFeeds"]),
            (&json!(true), &json!(true))
        );
    }
    let event = json!({ "paper": { "id": id, "stage": "PUBLISHED" }, "from": "SCHEDULED", "to": "PUBLISHED" });
    for socket in std::iter::once(&mut outsiders).chain(&mut workers) {
        assert_eq!(socket.next_data("1").await["paperEvents"], event);
    }
}

#[tokio::test]
async fn publish_at_must_be_in_the_future_and_goes_only_with_publishing() {
    let office = Office::open().await;
    let paper = office.paper_in("REVIEW").await;
    let review = office.snapshot(&paper).await["reviews"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    let before = office.snapshot(&paper).await;
    let version = before["version"].as_i64().unwrap();
    let refused = [
        (
            "PUBLISHED",
            office.time_from_now(-Duration::hours(1)),
            "not in the future",
        ),
        (
            "PUBLISHED",
            office.time_from_now(Duration::zero()),
            "not in the future",
        ),
        (
            "ARCHIVED",
            office.time_from_now(Duration::days(1)),
            "only with a move to PUBLISHED",
        ),
    ];
    for (to, at, says) in refused {
        let response = office
            .gql(
                Some(&office.editor),
                "mutation($id: ID!, $to: Stage!, $v: Int!, $at: DateTime) { movePaper(id: $id, to: $to, expectedVersion: $v, note: \"n\", publishAt: $at) { id } }",
                json!({ "id": paper, "to": to, "v": version, "at": at }),
            )
            .await;
        assert_eq!(code(&response), "BAD_USER_INPUT", "{to} {at}");
        assert!(response.error_message().contains(says), "{}", response.body);
    }
    let without_time = office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!) { movePaper(id: $id, to: SCHEDULED, expectedVersion: $v) { id } }",
            json!({ "id": paper, "v": version }),
        )
        .await;
    assert_eq!(code(&without_time), "BAD_USER_INPUT");
    assert!(without_time.error_message().contains("publishAt"));
    let both_dates = office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!, $at: DateTime!) { movePaper(id: $id, to: PUBLISHED, expectedVersion: $v, note: \"n\", publishAt: $at, publishedAt: \"2020-10-13T09:00:00Z\") { id } }",
            json!({ "id": paper, "v": version, "at": office.time_from_now(Duration::days(1)) }),
        )
        .await;
    assert_eq!(code(&both_dates), "BAD_USER_INPUT");
    // Authors do not schedule.
    let by_author = office
        .try_move(Some(&office.author), &paper, "SCHEDULED", None)
        .await;
    assert_eq!(code(&by_author), "FORBIDDEN");
    assert_eq!(office.snapshot(&paper).await, before);

    // With a future time, to PUBLISHED or to SCHEDULED alike.
    let at = office.time_from_now(Duration::days(3));
    let scheduled = office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!, $at: DateTime!) { movePaper(id: $id, to: PUBLISHED, expectedVersion: $v, publishAt: $at) { stage publishAt publishedAt reviewRound } }",
            json!({ "id": paper, "v": version, "at": at }),
        )
        .await
        .ok();
    let scheduled = &scheduled.data()["movePaper"];
    assert_eq!(scheduled["stage"], "SCHEDULED");
    assert_eq!(time(&scheduled["publishAt"]), time(&json!(at)));
    assert_eq!(scheduled["publishedAt"], Value::Null);
    assert_eq!(scheduled["reviewRound"], before["reviewRound"]);
}

#[tokio::test]
async fn an_editor_reschedules_with_a_note_and_the_new_time_holds() {
    let office = Office::open().await;
    let paper = office.paper_in("SCHEDULED").await;
    let before = office.snapshot(&paper).await;
    let version = before["version"].as_i64().unwrap();
    let later = office.time_from_now(Duration::days(2));
    let refusals = [
        (
            reschedule(&office, &paper, &office.author, version, &later, "Monday.").await,
            "FORBIDDEN",
        ),
        (
            reschedule(&office, &paper, &office.editor, version, &later, "  ").await,
            "BAD_USER_INPUT",
        ),
        (
            reschedule(
                &office,
                &paper,
                &office.editor,
                version,
                &office.time_from_now(-Duration::minutes(5)),
                "Late.",
            )
            .await,
            "BAD_USER_INPUT",
        ),
        (
            reschedule(
                &office,
                &paper,
                &office.editor,
                version - 1,
                &later,
                "Monday.",
            )
            .await,
            "CONFLICT",
        ),
        (
            reschedule(
                &office,
                &paper,
                &office.translator,
                version,
                &later,
                "Monday.",
            )
            .await,
            "NOT_FOUND",
        ),
    ];
    for (response, expected) in refusals {
        assert_eq!(code(&response), expected, "{}", response.body);
    }
    let published = office.paper_in("PUBLISHED").await;
    let not_scheduled = office
        .gql(
            Some(&office.editor),
            RESCHEDULE,
            json!({ "id": published, "v": office.version(&published).await, "at": later, "note": "Monday." }),
        )
        .await;
    assert_eq!(code(&not_scheduled), "INVALID_TRANSITION");
    assert_eq!(office.snapshot(&paper).await, before);

    let moved = reschedule(
        &office,
        &paper,
        &office.editor,
        version,
        &later,
        "Moved to Monday's issue.",
    )
    .await
    .ok();
    assert_eq!(
        moved.data()["reschedulePaper"]["version"],
        json!(version + 1)
    );
    let after = office.snapshot(&paper).await;
    assert_eq!(time(&after["publishAt"]), time(&json!(later)));
    let last = after["history"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["kind"], &last["from"], &last["to"], &last["note"]),
        (
            &json!("RESCHEDULED"),
            &json!("SCHEDULED"),
            &json!("SCHEDULED"),
            &json!("Moved to Monday's issue.")
        )
    );
    assert_eq!(last["actor"]["id"], office.editor.gid());

    // The old time passes: nothing; the new one comes: published at it.
    office.app.state.clock.advance(Duration::hours(25));
    assert_eq!(sweep(&office.app).await, 0);
    assert_eq!(office.stage(&paper).await, "SCHEDULED");
    office.app.state.clock.advance(Duration::days(1));
    assert_eq!(sweep(&office.app).await, 1);
    let published = office.snapshot(&paper).await;
    assert_eq!(published["stage"], "PUBLISHED");
    assert_eq!(time(&published["publishedAt"]), time(&json!(later)));
}

#[tokio::test]
async fn a_cancelled_schedule_returns_to_review_in_the_same_round() {
    let office = Office::open().await;
    let paper = office.paper_in("SCHEDULED").await;
    let before = office.snapshot(&paper).await;
    let without_note = office
        .try_move(Some(&office.editor), &paper, "REVIEW", None)
        .await;
    assert_eq!(code(&without_note), "BAD_USER_INPUT");
    let cancelled = office
        .moved(
            &office.editor,
            &paper,
            "REVIEW",
            Some("Held for the conference."),
        )
        .await;
    assert_eq!(cancelled["publishAt"], Value::Null);
    assert_eq!(cancelled["reviewRound"], before["reviewRound"]);
    // The reviewer sees it again; its time passing publishes nothing.
    let seen = office
        .gql(
            Some(&office.reviewer),
            "query($id: ID!) { paper(id: $id) { stage } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    assert_eq!(seen.data()["paper"]["stage"], "REVIEW");
    office.app.state.clock.advance(Duration::days(2));
    assert_eq!(sweep(&office.app).await, 0);
    assert_eq!(office.stage(&paper).await, "REVIEW");
    // The same round's ACCEPT still lets it be scheduled again, or published.
    office
        .moved(&office.editor, &paper, "SCHEDULED", None)
        .await;
    office
        .moved(&office.editor, &paper, "PUBLISHED", None)
        .await;
}

#[tokio::test]
async fn a_release_whose_guards_no_longer_hold_is_held_back_with_the_reason() {
    let office = Office::open().await;
    let paper = office.paper_in("SCHEDULED").await;
    let task = office.snapshot(&paper).await["tasks"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // An editor changes the original while it waits: the English summary is stale.
    let version = office.version(&paper).await;
    office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!) { updatePaper(id: $id, expectedVersion: $v, input: { abstract: \"Исправленная аннотация.\" }) { id } }",
            json!({ "id": paper, "v": version }),
        )
        .await
        .ok();
    office.app.state.clock.advance(Duration::days(2));
    assert_eq!(sweep(&office.app).await, 0);
    let held = office.snapshot(&paper).await;
    assert_eq!(held["stage"], "SCHEDULED");
    assert!(
        held["releaseHeldBack"]
            .as_str()
            .unwrap()
            .contains("the English translation is stale"),
        "{held}"
    );
    assert_eq!(moves(&held, "SCHEDULED", "PUBLISHED"), Vec::<Value>::new());
    // Another sweep changes nothing; the author is not shown the reason.
    assert_eq!(sweep(&office.app).await, 0);
    assert_eq!(office.snapshot(&paper).await, held);
    let by_author = office
        .gql(
            Some(&office.author),
            "query($id: ID!) { paper(id: $id) { stage releaseHeldBack } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    assert_eq!(
        by_author.data()["paper"],
        json!({ "stage": "SCHEDULED", "releaseHeldBack": null })
    );
    let anonymous = office
        .gql(
            None,
            "query($id: ID!) { paper(id: $id) { id } }",
            json!({ "id": paper }),
        )
        .await;
    assert_eq!(code(&anonymous), "NOT_FOUND");

    // Confirmed against the new original, it goes out at the next sweep.
    Office::task_from(office.try_accept(&office.editor, &task).await);
    assert_eq!(sweep(&office.app).await, 1);
    let published = office.snapshot(&paper).await;
    assert_eq!(published["stage"], "PUBLISHED");
    assert_eq!(published["releaseHeldBack"], Value::Null);
}

#[tokio::test]
async fn a_paper_due_while_every_server_was_down_is_published_when_one_starts() {
    let office = Office::open().await;
    let paper = office.paper_in("SCHEDULED").await;
    let publish_at = time(&office.snapshot(&paper).await["publishAt"]);
    // No server swept at its time; a day later one starts on the database.
    let restarted = TestApp::spawn_on(&office.app.db).await;
    restarted.state.clock.advance(Duration::days(2));
    publishing::spawn_release_sweeper(restarted.state.clone(), StdDuration::from_secs(3600));
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let seen = restarted
            .gql(
                None,
                "query($id: ID!) { paper(id: $id) { stage publishedAt } }",
                json!({ "id": paper }),
            )
            .await;
        if seen.data()["paper"]["stage"] == "PUBLISHED" {
            assert_eq!(time(&seen.data()["paper"]["publishedAt"]), publish_at);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not released: {}",
            seen.body
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    let history = office.snapshot(&paper).await;
    let released = moves(&history, "SCHEDULED", "PUBLISHED");
    assert_eq!(released.len(), 1);
    assert!(time(&released[0]["at"]) > publish_at + Duration::hours(23));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_sweeping_at_once_publish_each_paper_exactly_once() {
    const PAPERS: usize = 4;
    const SWEEPS_PER_SERVER: usize = 8;
    let office = Office::open().await;
    let mut papers = vec![];
    for _ in 0..PAPERS {
        papers.push(office.paper_in("SCHEDULED").await);
    }
    let second = TestApp::spawn_on(&office.app.db).await;
    let mut sockets = vec![];
    for app in [&office.app, &second] {
        let mut socket = app.live(None).await;
        socket.subscribe("1", PAPER_EVENTS, json!({})).await;
        socket.sync().await;
        sockets.push(socket);
    }
    for app in [&office.app, &second] {
        app.state.clock.advance(Duration::days(2));
    }
    let sweeps = (0..SWEEPS_PER_SERVER)
        .flat_map(|_| [&office.app, &second].map(|app| publishing::release_due(&app.state)));
    let released: Vec<u64> = join_all(sweeps)
        .await
        .into_iter()
        .map(|swept| swept.unwrap())
        .collect();
    assert_eq!(released.iter().sum::<u64>(), PAPERS as u64, "{released:?}");
    for paper in &papers {
        let snapshot = office.snapshot(paper).await;
        assert_eq!(snapshot["stage"], "PUBLISHED");
        assert_eq!(
            moves(&snapshot, "SCHEDULED", "PUBLISHED").len(),
            1,
            "{paper}"
        );
    }
    // Each release is announced once to every server's subscribers (on
    // SQLite, a server learns of another's events when it next reads the
    // outbox, within a second).
    let mut heard = vec![];
    for socket in &mut sockets {
        let mut ids = vec![];
        for _ in &papers {
            let data = socket.next_data("1").await;
            ids.push(data["paperEvents"]["paper"]["id"].clone());
        }
        assert_eq!(socket.next_within(QUIET).await, None);
        heard.push(ids);
    }
    let expected: Vec<Value> = papers.iter().map(|p| json!(p)).collect();
    let sorted = |mut ids: Vec<Value>| {
        ids.sort_by_key(|id| id.as_str().unwrap().parse::<i64>().unwrap());
        ids
    };
    for ids in heard {
        assert_eq!(sorted(ids), expected);
    }
}
