//! Live events over `/graphql/ws`: delivery across clients (and across
//! servers on one database), filtering by what each subscriber may see, and
//! the `graphql-transport-ws` protocol rules over raw sockets.

use std::sync::Arc;
use std::time::Duration;

use imprint::domain::Role;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::live::{Socket, WAIT};
use crate::helpers::{TestApp, test_settings};

const PAPER_EVENTS: &str = "subscription($seriesId: ID) {
    paperEvents(seriesId: $seriesId) { paper { id stage } from to at }
}";

const TASK_EVENTS: &str = "subscription($language: String) {
    translationTaskEvents(language: $language) { task { id status targetLanguage paper { id } } from to }
}";

/// How long a test waits to be sure something does NOT arrive.
const QUIET: Duration = Duration::from_millis(500);

#[tokio::test]
async fn a_subscriber_receives_stage_changes_made_by_another_client_over_http() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let (_, author) = app.user_with("author@imprint.test", &[Role::Author]).await;
    let mut socket = app.live(Some(&editor)).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    let (id, version) = app.draft(&author, "Ядерное сдерживание", None).await;
    let created = socket.next_data("1").await;
    assert_eq!(
        created["paperEvents"]["paper"],
        json!({ "id": id, "stage": "DRAFT" })
    );
    assert_eq!(created["paperEvents"]["from"], Value::Null);
    assert_eq!(created["paperEvents"]["to"], "DRAFT");

    app.move_paper(&author, &id, "SUBMITTED", version, None)
        .await;
    let moved = socket.next_data("1").await["paperEvents"].clone();
    assert_eq!(moved["paper"], json!({ "id": id, "stage": "SUBMITTED" }));
    assert_eq!(
        (&moved["from"], &moved["to"]),
        (&json!("DRAFT"), &json!("SUBMITTED"))
    );
    assert!(moved["at"].as_str().is_some_and(|at| at.contains('T')));
}

#[tokio::test]
async fn paper_events_of_one_series_leave_out_the_others() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let series = app
        .gql(
            Some(&editor),
            r#"mutation { createSeries(slug: "occasional", title: "Occasional Papers") { id } }"#,
            json!({}),
        )
        .await
        .ok();
    let series_id = series.data()["createSeries"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut socket = app.live(Some(&editor)).await;
    socket
        .subscribe("s", PAPER_EVENTS, json!({ "seriesId": series_id }))
        .await;
    socket.sync().await;

    app.draft(&editor, "Outside the series", None).await;
    let (inside, _) = app
        .draft(&editor, "Inside the series", Some(&series_id))
        .await;
    let event = socket.next_data("s").await;
    assert_eq!(event["paperEvents"]["paper"]["id"], inside.as_str());
}

#[tokio::test]
async fn an_author_never_receives_stage_changes_of_another_authors_paper() {
    let app = TestApp::spawn().await;
    let (_, first) = app.user_with("first@imprint.test", &[Role::Author]).await;
    let (_, second) = app.user_with("second@imprint.test", &[Role::Author]).await;
    let mut socket = app.live(Some(&first)).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    let (theirs, version) = app.draft(&second, "Someone else's draft", None).await;
    app.move_paper(&second, &theirs, "SUBMITTED", version, None)
        .await;
    // The first author's own draft comes next: had anything of the other
    // paper been delivered, it would have arrived before it.
    let (mine, _) = app.draft(&first, "My own draft", None).await;
    let event = socket.next_data("1").await;
    assert_eq!(event["paperEvents"]["paper"]["id"], mine.as_str());
}

#[tokio::test]
async fn an_anonymous_subscriber_only_sees_moves_to_published() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let (reviewer_id, reviewer) = app
        .user_with("reviewer@imprint.test", &[Role::Reviewer])
        .await;
    let mut socket = app.live(None).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    let (id, version) = app.draft(&editor, "To be published", None).await;
    let version = app
        .move_paper(&editor, &id, "SUBMITTED", version, None)
        .await;
    let version = app.move_paper(&editor, &id, "REVIEW", version, None).await;
    let requested = app
        .gql(
            Some(&editor),
            "mutation($paper: ID!, $reviewer: ID!) { requestReview(paperId: $paper, reviewerId: $reviewer) { id } }",
            json!({ "paper": id, "reviewer": reviewer_id.to_string() }),
        )
        .await
        .ok();
    let review = requested.data()["requestReview"]["id"].clone();
    app.gql(
        Some(&reviewer),
        r#"mutation($id: ID!) { submitReview(id: $id, recommendation: ACCEPT, comments: "Sound.") { id } }"#,
        json!({ "id": review }),
    )
    .await
    .ok();
    app.move_paper(&editor, &id, "PUBLISHED", version, None)
        .await;

    let event = socket.next_data("1").await["paperEvents"].clone();
    assert_eq!(event["paper"], json!({ "id": id, "stage": "PUBLISHED" }));
    assert_eq!(
        (&event["from"], &event["to"]),
        (&json!("REVIEW"), &json!("PUBLISHED"))
    );
    assert_eq!(socket.next_within(QUIET).await, None);
}

#[tokio::test]
async fn a_translator_sees_an_open_task_appear_when_its_paper_enters_translation() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let (_, translator) = app
        .user_with("translator@imprint.test", &[Role::Translator])
        .await;
    let mut socket = app.live(Some(&translator)).await;
    socket
        .subscribe("t", TASK_EVENTS, json!({ "language": "en" }))
        .await;
    socket.sync().await;

    let (id, version) = app
        .draft(&editor, "Стратегическая стабильность", None)
        .await;
    let version = app
        .move_paper(&editor, &id, "SUBMITTED", version, None)
        .await;
    let mut task_ids = Vec::new();
    for language in ["de", "en"] {
        let created = app
            .gql(
                Some(&editor),
                "mutation($paper: ID!, $language: String!) {
                    createTranslationTask(paperId: $paper, targetLanguage: $language, kind: SUMMARY) { id }
                }",
                json!({ "paper": id, "language": language }),
            )
            .await
            .ok();
        task_ids.push(created.data()["createTranslationTask"]["id"].clone());
    }
    // Created while the paper is SUBMITTED: not the translator's to see yet.
    app.move_paper(&editor, &id, "TRANSLATION", version, None)
        .await;

    let mut event = socket.next_data("t").await["translationTaskEvents"].clone();
    if event["from"].is_null() {
        // The task's creation was judged only after the paper had entered
        // TRANSLATION (a busy machine), when the translator could see it:
        // the announcement of the move still follows.
        assert_eq!(event["task"]["id"], task_ids[1]);
        event = socket.next_data("t").await["translationTaskEvents"].clone();
    }
    assert_eq!(event["task"]["id"], task_ids[1]);
    assert_eq!(event["task"]["status"], "OPEN");
    assert_eq!(event["task"]["targetLanguage"], "en");
    assert_eq!(event["task"]["paper"]["id"], id.as_str());
    assert_eq!(
        (&event["from"], &event["to"]),
        (&json!("OPEN"), &json!("OPEN"))
    );
    // The German task is filtered out by the language.
    assert_eq!(socket.next_within(QUIET).await, None);
}

#[tokio::test]
async fn a_disabled_subscriber_stops_receiving() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let (editor_id, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let (_, other) = app.user_with("other@imprint.test", &[Role::Editor]).await;
    let mut socket = app.live(Some(&editor)).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableUser(id: $id) { id } }",
        json!({ "id": editor_id.to_string() }),
    )
    .await
    .ok();
    app.draft(&other, "Written after the editor left", None)
        .await;

    let ended = socket.next_message().await;
    assert_eq!(ended["type"], "next", "{ended}");
    assert_eq!(ended["payload"]["data"], Value::Null);
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(
        socket.next_message().await,
        json!({ "id": "1", "type": "complete" })
    );
}

#[tokio::test]
async fn a_server_delivers_each_of_its_own_events_once() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    if app.db.is_postgres() {
        // Its own notifications come back through LISTEN: they must be skipped.
        tokio::time::timeout(WAIT, app.state.events.listening())
            .await
            .expect("the listener did not start");
    }
    let mut socket = app.live(Some(&editor)).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    let (first, _) = app.draft(&editor, "First", None).await;
    assert_eq!(
        socket.next_data("1").await["paperEvents"]["paper"]["id"],
        first.as_str()
    );
    let (second, _) = app.draft(&editor, "Second", None).await;
    assert_eq!(
        socket.next_data("1").await["paperEvents"]["paper"]["id"],
        second.as_str()
    );
    assert_eq!(socket.next_within(QUIET).await, None);
}

#[tokio::test]
async fn an_event_made_through_one_server_reaches_a_subscriber_of_another() {
    // On SQLite too: both read the one outbox (the second learns of the
    // first's events when it next reads it, within a second).
    let first = TestApp::spawn().await;
    let second = TestApp::spawn_on(&first.db).await;
    assert!(Arc::ptr_eq(&first.db, &second.db));
    let (_, editor) = first
        .user_with("editor@imprint.test", &[Role::Editor])
        .await;
    if first.db.is_postgres() {
        tokio::time::timeout(WAIT, second.state.events.listening())
            .await
            .expect("the second server's listener did not start");
    }
    // A token from one server is good on the other: they share the secret.
    let mut socket = second.live(Some(&editor)).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    let (id, version) = first.draft(&editor, "Across servers", None).await;
    first
        .move_paper(&editor, &id, "SUBMITTED", version, None)
        .await;
    let created = socket.next_data("1").await["paperEvents"].clone();
    assert_eq!(
        (&created["paper"]["id"], &created["to"]),
        (&json!(id), &json!("DRAFT"))
    );
    let moved = socket.next_data("1").await["paperEvents"].clone();
    assert_eq!(moved["paper"], json!({ "id": id, "stage": "SUBMITTED" }));
    assert_eq!(moved["from"], "DRAFT");
}

// ---- graphql-transport-ws, rule by rule -------------------------------------

#[tokio::test]
async fn no_connection_init_in_time_closes_with_4408() {
    let app = TestApp::spawn_with(settings_with_init_timeout(Duration::from_millis(200))).await;
    let mut socket = app.socket().await;
    let (code, reason) = socket.closed().await;
    assert_eq!(code, 4408);
    assert_eq!(reason, "Connection initialisation timeout");
}

#[tokio::test]
async fn connection_init_in_time_stops_the_clock() {
    let app = TestApp::spawn_with(settings_with_init_timeout(Duration::from_millis(300))).await;
    let mut socket = app.live(None).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    socket.sync().await;
}

#[tokio::test]
async fn subscribe_before_connection_ack_closes_with_4401() {
    let app = TestApp::spawn().await;
    let mut socket = app.socket().await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    assert_eq!(socket.closed().await, (4401, "Unauthorized".into()));
}

#[tokio::test]
async fn a_second_subscribe_with_a_running_id_closes_with_4409() {
    let app = TestApp::spawn().await;
    let mut socket = app.live(None).await;
    socket.subscribe("dup", PAPER_EVENTS, json!({})).await;
    socket.subscribe("dup", PAPER_EVENTS, json!({})).await;
    assert_eq!(
        socket.closed().await,
        (4409, "Subscriber for dup already exists".into())
    );
}

#[tokio::test]
async fn invalid_messages_close_with_4400_and_a_short_reason() {
    let app = TestApp::spawn().await;
    let long_type = format!(r#"{{"type":"{}"}}"#, "x".repeat(300));
    let invalid = [
        "not json",
        r#"{"id":"1"}"#,
        r#"{"type":"bogus"}"#,
        long_type.as_str(),
        r#"{"type":"subscribe","payload":{"query":"{ me { id } }"}}"#,
        r#"{"type":"subscribe","id":"1","payload":{"variables":{}}}"#,
        r#"{"type":"next","id":"1","payload":{}}"#,
        r#"{"type":"complete"}"#,
    ];
    for text in invalid {
        let mut socket = app.live(None).await;
        socket.send_text(text).await;
        let (code, reason) = socket.closed().await;
        assert_eq!(code, 4400, "{text}");
        assert!(!reason.is_empty() && reason.len() < 125, "{text}: {reason}");
    }
    // Before the handshake too, and for frames that are not text.
    let mut socket = app.socket().await;
    socket
        .send_text(r#"{"type":"connection_init","payload":"token"}"#)
        .await;
    assert_eq!(socket.closed().await.0, 4400);
    let mut socket = app.live(None).await;
    socket
        .send_frame(Message::Binary(vec![1, 2, 3].into()))
        .await;
    assert_eq!(socket.closed().await.0, 4400);
}

#[tokio::test]
async fn a_bad_token_closes_with_4403() {
    let app = TestApp::spawn().await;
    let (admin_id, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let (user_id, revoked) = app.user_with("gone@imprint.test", &[Role::Editor]).await;
    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableUser(id: $id) { id } }",
        json!({ "id": user_id.to_string() }),
    )
    .await
    .ok();
    assert_ne!(admin_id, user_id);
    let payloads = [
        json!({ "token": "not-a-token" }),
        json!({ "token": revoked }),
        json!({ "Authorization": format!("Bearer {revoked}") }),
        json!({ "Authorization": "Basic dXNlcjpwYXNz" }),
        json!({ "token": 42 }),
        json!({ "Authorization": [format!("Bearer {admin}")] }),
        json!({ "AUTHORIZATION": "Bearer " }),
        // Two tokens: refused, whichever of them is good.
        json!({ "token": admin, "Authorization": format!("Bearer {revoked}") }),
        json!({ "Authorization": format!("Bearer {admin}"), "authorization": "Bearer x" }),
    ];
    for payload in payloads {
        let mut socket = app.socket().await;
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let (code, reason) = socket.closed().await;
        assert_eq!(code, 4403, "{payload}");
        assert!(reason.starts_with("Forbidden"), "{reason}");
    }
    // The Authorization form works with a good token.
    let mut socket = app.socket().await;
    socket
        .send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {admin}") } }))
        .await;
    assert_eq!(socket.next_message().await["type"], "connection_ack");
}

#[tokio::test]
async fn a_second_connection_init_closes_with_4429() {
    let app = TestApp::spawn().await;
    let mut socket = app.live(None).await;
    socket.send(json!({ "type": "connection_init" })).await;
    assert_eq!(
        socket.closed().await,
        (4429, "Too many initialisation requests".into())
    );
}

#[tokio::test]
async fn a_client_that_does_not_speak_graphql_transport_ws_is_closed_with_4406() {
    // A client offering only another sub-protocol (the legacy `graphql-ws`)
    // gets none back and fails the handshake itself; one offering none at
    // all is told why.
    let app = TestApp::spawn().await;
    let mut socket = app.socket_offering(None).await;
    assert_eq!(
        socket.closed().await,
        (4406, "Subprotocol not acceptable".into())
    );
}

#[tokio::test]
async fn ping_is_answered_with_pong_before_and_after_the_handshake() {
    let app = TestApp::spawn().await;
    let mut socket = app.socket().await;
    socket.sync().await;
    socket
        .send(json!({ "type": "ping", "payload": { "sent": 1 } }))
        .await;
    assert_eq!(socket.next_message().await, json!({ "type": "pong" }));
    socket.send(json!({ "type": "pong" })).await;
    socket.send(json!({ "type": "connection_init" })).await;
    assert_eq!(socket.next_message().await["type"], "connection_ack");
    socket.sync().await;
}

#[tokio::test]
async fn complete_from_the_client_stops_that_subscription_only() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let mut socket = app.live(Some(&editor)).await;
    socket.subscribe("stopped", PAPER_EVENTS, json!({})).await;
    socket.subscribe("kept", PAPER_EVENTS, json!({})).await;
    socket
        .send(json!({ "id": "stopped", "type": "complete" }))
        .await;
    // Completing an id that is not running is no error.
    socket
        .send(json!({ "id": "unknown", "type": "complete" }))
        .await;
    socket.sync().await;

    let (id, _) = app
        .draft(&editor, "Only one subscriber hears this", None)
        .await;
    let event = socket.next_data("kept").await;
    assert_eq!(event["paperEvents"]["paper"]["id"], id.as_str());
    assert_eq!(socket.next_within(QUIET).await, None);

    // The id is free again.
    socket.subscribe("stopped", PAPER_EVENTS, json!({})).await;
    socket.sync().await;
}

#[tokio::test]
async fn subscriptions_per_socket_are_capped_with_an_error_for_the_one_too_many() {
    let app = TestApp::spawn().await;
    let mut socket = app.live(None).await;
    for n in 0..32 {
        socket
            .subscribe(&n.to_string(), PAPER_EVENTS, json!({}))
            .await;
    }
    socket.subscribe("33rd", PAPER_EVENTS, json!({})).await;
    let refused = socket.next_message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "33rd");
    assert!(
        refused["payload"][0]["message"]
            .as_str()
            .unwrap()
            .contains("32")
    );
    // Completing one makes room.
    socket.send(json!({ "id": "0", "type": "complete" })).await;
    socket.subscribe("33rd", PAPER_EVENTS, json!({})).await;
    socket.sync().await;
}

#[tokio::test]
async fn queries_and_mutations_over_the_socket_answer_next_then_complete() {
    let app = TestApp::spawn().await;
    app.create_user("author@imprint.test", &[Role::Author])
        .await;
    let mut socket = app.live(None).await;
    socket
        .subscribe(
            "login",
            "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }",
            json!({ "email": "author@imprint.test", "password": crate::helpers::PASSWORD }),
        )
        .await;
    let data = socket.next_data("login").await;
    assert!(data["login"]["token"].as_str().is_some());
    assert_eq!(
        socket.next_message().await,
        json!({ "id": "login", "type": "complete" })
    );

    // A document that does not validate is an `error`, with no `complete`.
    socket.subscribe("bad", "{ noSuchField }", json!({})).await;
    let error = socket.next_message().await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "bad");
    assert!(error["payload"][0]["message"].as_str().is_some());
    socket.sync().await;
}

#[tokio::test]
async fn a_stopping_server_closes_open_sockets_with_1001_and_does_not_wait_for_them() {
    let app = TestApp::spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(imprint::app::serve(listener, app.state.clone(), async {
        let _ = stopped.await;
    }));
    let mut socket =
        Socket::connect(&format!("http://{address}"), Some("graphql-transport-ws")).await;
    socket.send(json!({ "type": "connection_init" })).await;
    assert_eq!(socket.next_message().await["type"], "connection_ack");
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    stop.send(()).unwrap();
    let (code, reason) = socket.closed().await;
    assert_eq!(code, 1001, "{reason}");
    tokio::time::timeout(WAIT, server)
        .await
        .expect("shutdown waited for the open socket")
        .unwrap()
        .unwrap();
}

fn settings_with_init_timeout(timeout: Duration) -> imprint::config::Settings {
    let mut settings = test_settings();
    settings.ws_init_timeout = timeout;
    settings
}
