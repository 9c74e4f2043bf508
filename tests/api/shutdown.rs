//! SIGTERM on the real binary: it stops accepting, finishes what is in
//! flight (a request whose body is still arriving included), closes
//! WebSockets with 1001, exits 0 within its grace period, and every write a
//! client was told succeeded is there after a restart.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::helpers::live::Socket;
use crate::helpers::{JWT_SECRET, PASSWORD, TestDatabase};

const EDITOR: &str = "editor@imprint.test";
const GRACE: Duration = Duration::from_secs(4);
const PAPER_EVENTS: &str = "subscription { paperEvents { paper { id } to } }";

/// The `imprint` binary serving a database, killed if a test fails.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_imprint"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args([
                "--shutdown-grace",
                &humantime::format_duration(GRACE).to_string(),
            ])
            .env("DATABASE_URL", database_url)
            .env("IMPRINT_JWT_SECRET", JWT_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The first line says where it listens; the rest is drained so the
        // server never blocks on a full pipe.
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (address_tx, address_rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut address_tx = Some(address_tx);
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("Imprint listening on ")
                    && let Some(tx) = address_tx.take()
                {
                    let _ = tx.send(address.to_owned());
                }
            }
        });
        let address = tokio::time::timeout(Duration::from_secs(60), address_rx)
            .await
            .expect("the server did not start in time")
            .expect("the server exited before listening");
        Server { child, address }
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `wait`.
    async fn exited(&mut self, wait: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit in time");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    async fn login(&self) -> String {
        let login = self
            .gql(
                None,
                "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }",
                json!({ "email": EDITOR, "password": PASSWORD }),
            )
            .await;
        login["data"]["login"]["token"].as_str().unwrap().to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create_editor(database_url: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imprint"))
        .args(["user", "create", "--email", EDITOR, "--name", "Eda Editor"])
        .args(["--role", "editor"])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(child.wait().unwrap().success());
}

const CREATE: &str = "mutation($title: String!) {
    createPaper(input: { title: $title, originalLanguage: \"ru\" }) { id }
}";

/// A paper the server said it created: (id, title).
type Acknowledged = Arc<Mutex<Vec<(String, String)>>>;

/// Creates papers one after another until the server stops answering,
/// keeping each one it acknowledged.
async fn keep_writing(address: String, token: String, writer: usize, acknowledged: Acknowledged) {
    let client = reqwest::Client::new();
    for n in 0.. {
        let title = format!("Written by {writer}, number {n}");
        let sent = client
            .post(format!("{address}/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": CREATE, "variables": { "title": title } }))
            .send()
            .await;
        let Ok(response) = sent else { return };
        let Ok(body) = response.json::<Value>().await else {
            return;
        };
        let Some(id) = body["data"]["createPaper"]["id"].as_str() else {
            return;
        };
        acknowledged
            .lock()
            .unwrap()
            .push((id.to_owned(), title.clone()));
    }
}

/// Sends a `createPaper` request's headers and the first half of its body.
async fn half_sent(address: &str, token: &str, title: &str) -> (TcpStream, Vec<u8>) {
    let body = json!({ "query": CREATE, "variables": { "title": title } }).to_string();
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n\
         authorization: Bearer {token}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first).await.unwrap();
    (stream, rest.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_finishes_requests_in_flight_and_loses_no_acknowledged_write() {
    let db = TestDatabase::create().await;
    create_editor(db.url());
    let mut server = Server::start(db.url()).await;
    let token = server.login().await;

    let mut socket = Socket::connect(&server.address, Some("graphql-transport-ws")).await;
    socket
        .send(json!({ "type": "connection_init", "payload": { "token": token } }))
        .await;
    assert_eq!(socket.next_message().await["type"], "connection_ack");
    socket.subscribe("events", PAPER_EVENTS, json!({})).await;
    socket.sync().await;

    // A request whose body is still arriving when the signal comes, and one
    // that never finishes its body: the first is answered, the second is
    // cut when the grace period is over.
    let (mut slow, rest) = half_sent(&server.address, &token, "Arrived after SIGTERM").await;
    let (_stuck, _) = half_sent(&server.address, &token, "Never finished").await;

    let acknowledged = Acknowledged::default();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            tokio::spawn(keep_writing(
                server.address.clone(),
                token.clone(),
                writer,
                acknowledged.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;

    server.terminate();
    let terminated = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    slow.write_all(&rest).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(GRACE * 2, slow.read_to_string(&mut answer))
        .await
        .expect("the request in flight was not answered")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    let body: Value = serde_json::from_str(body).unwrap();
    let id = body["data"]["createPaper"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"));
    acknowledged
        .lock()
        .unwrap()
        .push((id.to_owned(), "Arrived after SIGTERM".to_owned()));

    // The subscriber hears of the papers written, then is told to go away.
    let code = loop {
        if let Err(code) = socket.next_message_or_close().await {
            break code;
        }
    };
    assert_eq!(code, 1001);

    // No new connection is taken once stopping.
    let host = server.address.trim_start_matches("http://").to_owned();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(&host).await.is_err(), "still accepting");

    let status = server.exited(GRACE * 3).await;
    assert!(status.success(), "{status}");
    assert!(
        terminated.elapsed() < GRACE + Duration::from_secs(3),
        "exited {:?} after SIGTERM with a grace of {GRACE:?}",
        terminated.elapsed()
    );
    for writer in writers {
        tokio::time::timeout(Duration::from_secs(10), writer)
            .await
            .expect("a writer kept going after the server stopped")
            .unwrap();
    }

    // After a restart every acknowledged paper is there, as it was told.
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 8,
        "too few writes to mean anything: {}",
        acknowledged.len()
    );
    let server = Server::start(db.url()).await;
    let token = server.login().await;
    for (id, title) in &acknowledged {
        let paper = server
            .gql(
                Some(&token),
                "query($id: ID!) { paper(id: $id) { text(language: \"ru\") { title } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            paper["data"]["paper"]["text"]["title"],
            json!(title),
            "paper {id}: {paper}"
        );
    }
}
