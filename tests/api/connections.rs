//! Slow and idle clients over real sockets: a deadline for request headers,
//! a cap on connections and on WebSockets, and a cap on operations per
//! WebSocket. Every wait is bounded, so a server that keeps a socket open
//! fails the test instead of hanging it.

use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::helpers::live::WAIT;
use crate::helpers::{TestApp, test_settings};

const PAPER_EVENTS: &str = "subscription { paperEvents { paper { id } to } }";

/// A raw TCP connection to the server.
async fn connect(app: &TestApp) -> TcpStream {
    let address = app.address.trim_start_matches("http://");
    TcpStream::connect(address).await.unwrap()
}

/// How long the server kept a socket open that sends the start of a request
/// and then one more header byte every `every`, never finishing.
async fn trickle(app: &TestApp, every: Duration) -> Duration {
    let started = Instant::now();
    let mut stream = connect(app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: imprint.test\r\nx-slow: ")
        .await
        .unwrap();
    let mut buffer = [0; 256];
    loop {
        tokio::select! {
            read = stream.read(&mut buffer) => match read {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => panic!("the server answered headers that never ended"),
            },
            () = tokio::time::sleep(every) => {
                if stream.write_all(b"x").await.is_err() {
                    return started.elapsed();
                }
            }
        }
    }
}

/// Tries `attempt` until it succeeds, failing with `what` after [`WAIT`].
async fn eventually<F, Fut>(what: &str, mut attempt: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + WAIT;
    while !attempt().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The count of `imprint_connections_refused_total` for one cause.
async fn refused(app: &TestApp, cause: &str) -> u64 {
    app.metric(&format!(
        "imprint_connections_refused_total{{cause=\"{cause}\"}}"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn headers_trickled_byte_by_byte_are_cut_at_the_header_deadline() {
    let mut settings = test_settings();
    settings.header_read_timeout = Duration::from_secs(1);
    let app = TestApp::spawn_with(settings).await;

    let held = tokio::time::timeout(
        Duration::from_secs(20),
        join_all((0..300).map(|_| trickle(&app, Duration::from_millis(300)))),
    )
    .await
    .expect("slow sockets were still open after 20 s");
    let longest = held.iter().max().unwrap();
    assert!(
        *longest < Duration::from_secs(5),
        "a slow socket was held {longest:?} with a 1 s header deadline"
    );

    // Whole requests are still served, and the cause was counted.
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(refused(&app, "header_timeout").await, 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn connections_past_the_cap_are_answered_503_until_one_closes() {
    let mut settings = test_settings();
    settings.max_connections = 3;
    let app = TestApp::spawn_with(settings).await;
    // Three idle clients hold every slot: they have sent nothing yet.
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(connect(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;

    let mut fourth = connect(&app).await;
    let mut answer = String::new();
    tokio::time::timeout(WAIT, fourth.read_to_string(&mut answer))
        .await
        .expect("a connection past the cap was left open")
        .unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{answer}"
    );
    assert!(answer.contains("retry-after: 2\r\n"), "{answer}");

    // One idle client leaves: its slot serves the next client.
    drop(idle.pop());
    eventually("the freed slot was never reused", || async {
        let mut next = connect(&app).await;
        next.write_all(b"GET /healthz HTTP/1.1\r\nhost: imprint.test\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        let _ = tokio::time::timeout(WAIT, next.read_to_string(&mut answer)).await;
        answer.starts_with("HTTP/1.1 200")
    })
    .await;
    drop(idle);
    eventually("no slot came free for /metrics", || async {
        let response = app.client.get(app.url("/metrics")).send().await;
        response.is_ok_and(|response| response.status() == 200)
    })
    .await;
    let refusals = refused(&app, "connection_cap").await;
    assert!(refusals >= 1, "{refusals}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn websockets_past_the_cap_are_closed_1013_until_one_closes() {
    let mut settings = test_settings();
    settings.ws_max_connections = 2;
    let app = TestApp::spawn_with(settings).await;
    let mut open = vec![app.live(None).await, app.live(None).await];

    let mut third = app.socket().await;
    let (code, reason) = third.closed().await;
    assert_eq!(code, 1013, "{reason}");
    assert!(reason.contains("Try again later"), "{reason}");

    // Once a client leaves, the next one is taken.
    open.pop().unwrap().close().await;
    eventually("the freed slot was never reused", || async {
        let mut socket = app.socket().await;
        socket.send(json!({ "type": "connection_init" })).await;
        socket.next_message_or_close().await.is_ok()
    })
    .await;
    assert!(refused(&app, "websocket_cap").await >= 1);
}

#[tokio::test]
async fn one_socket_runs_at_most_the_configured_number_of_operations() {
    let mut settings = test_settings();
    settings.ws_max_operations = 2;
    let app = TestApp::spawn_with(settings).await;
    let mut socket = app.live(None).await;
    socket.subscribe("1", PAPER_EVENTS, json!({})).await;
    socket.subscribe("2", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    socket.subscribe("3", PAPER_EVENTS, json!({})).await;
    let refused = socket.next_message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "3");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    let message = refused["payload"][0]["message"].as_str().unwrap();
    assert!(message.contains("at most 2"), "{message}");

    // Completing one makes room for another.
    socket.send(json!({ "id": "1", "type": "complete" })).await;
    socket.subscribe("3", PAPER_EVENTS, json!({})).await;
    socket.sync().await;
}

#[tokio::test]
async fn a_websocket_message_over_the_body_cap_ends_that_socket_only() {
    use tokio_tungstenite::tungstenite::Message;

    let app = TestApp::spawn().await;
    let mut socket = app.live(None).await;
    // Valid in every other way: read, it would be answered.
    let query = format!("{{ __typename }} #{}", "x".repeat(2 * 1024 * 1024));
    let huge = json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }).to_string();
    socket.send_refusable(Message::Text(huge.into())).await;
    socket.ended().await;

    // Others are served as before.
    app.live(None).await;
}
