//! A fresh Imprint per test, and a client that speaks to it.

mod database;
pub mod live;
pub mod workflow;

use std::sync::Arc;
use std::time::Duration;

use imprint::app::{self, AppState};
use imprint::clock::Clock;
use imprint::config::Settings;
use imprint::domain::Role;
use imprint::service::users::{self, NewUser};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub use database::TestDatabase;

/// The secret test servers sign tokens with.
pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";
/// The public address test servers put in absolute links.
pub const PUBLIC_URL: &str = "https://imprint.test";
/// Password of every user the helpers create.
pub const PASSWORD: &str = "correct horse battery staple";

pub fn test_settings() -> Settings {
    Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        public_url: PUBLIC_URL.into(),
        jwt_secret: JWT_SECRET.as_bytes().to_vec(),
        token_ttl: Duration::from_secs(3600),
        request_timeout: Duration::from_secs(30),
        header_read_timeout: Duration::from_secs(5),
        max_connections: 1024,
        shutdown_grace: Duration::from_secs(10),
        ws_init_timeout: Duration::from_secs(10),
        ws_max_connections: 1024,
        ws_max_operations: 32,
        db_max_connections: 8,
        batch_window: Duration::from_millis(1),
        claim_lease: Duration::from_secs(72 * 3600),
        max_claims: 3,
        event_retention: Duration::from_secs(7 * 24 * 3600),
        demo: false,
    }
}

/// A running server on its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    /// Shared with any second server on the same database.
    pub db: Arc<TestDatabase>,
}

/// What a GraphQL request answered.
#[derive(Debug)]
pub struct Gql {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Gql {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// The `extensions.code` of the first error, if any.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    pub fn error_message(&self) -> &str {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
    }

    /// Fails the test unless there were no errors.
    pub fn ok(self) -> Self {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        self
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(test_settings()).await
    }

    pub async fn spawn_with(settings: Settings) -> TestApp {
        // `RUST_LOG=imprint=debug cargo test` shows the server's logs.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
        let db = TestDatabase::create().await;
        let connection = db.connect_migrated().await;
        let state = AppState::new(connection, settings, Clock::default())
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(app::serve(listener, state.clone(), std::future::pending()));
        TestApp {
            address,
            client: reqwest::Client::new(),
            state,
            db: Arc::new(db),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The body of a GET of `path` (a page, a feed, the metrics).
    pub async fn get_text(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The value of one series in `/metrics`, named with its labels.
    pub async fn metric(&self, series: &str) -> u64 {
        let text = self.get_text("/metrics").await;
        let prefix = format!("{series} ");
        text.lines()
            .find_map(|line| line.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("no {series} in {text}"))
            .parse()
            .unwrap()
    }

    /// POSTs a GraphQL request the way a current client does.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        self.post_graphql(token, json!({ "query": query, "variables": variables }))
            .await
    }

    /// POSTs `body` as it is: a request with an operation name, a batch.
    pub async fn post_graphql(&self, token: Option<&str>, body: Value) -> Gql {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("accept", "application/graphql-response+json")
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Gql::read(request.send().await.unwrap()).await
    }

    /// Creates an account directly (as the CLI does) and returns its id.
    pub async fn create_user(&self, email: &str, roles: &[Role]) -> i64 {
        let new = NewUser {
            email: email.into(),
            display_name: format!("User {email}"),
            password: PASSWORD.into(),
            roles: roles.to_vec(),
            position: None,
            affiliation: None,
        };
        users::register(&self.state.db, self.state.clock.now(), new)
            .await
            .unwrap()
            .id
    }

    /// Logs in through the real `login` mutation and returns the token.
    pub async fn login(&self, email: &str) -> String {
        self.login_with(email, PASSWORD).await
    }

    /// Logs in with a given password.
    pub async fn login_with(&self, email: &str, password: &str) -> String {
        let response = self
            .gql(
                None,
                "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }",
                json!({ "email": email, "password": password }),
            )
            .await
            .ok();
        response.data()["login"]["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A new user with these roles, logged in: (id, token).
    pub async fn user_with(&self, email: &str, roles: &[Role]) -> (i64, String) {
        let id = self.create_user(email, roles).await;
        (id, self.login(email).await)
    }
}

impl Gql {
    pub async fn read(response: reqwest::Response) -> Gql {
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Gql {
            status,
            content_type,
            body,
        }
    }
}
