//! The `imprint` binary itself.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn user_create_reads_the_password_from_stdin() {
    let app = TestApp::spawn().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_imprint"))
        .args([
            "user",
            "create",
            "--email",
            "Chief@Imprint.test",
            "--name",
            "Chief Editor",
        ])
        .args(["--role", "editor", "--role", "Admin"])
        .env("DATABASE_URL", app.db.url())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a password from stdin\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("a password from stdin"));

    let login = app
        .gql(
            None,
            "mutation { login(email: \"chief@imprint.test\", password: \"a password from stdin\") { user { displayName roles } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(
        login.data()["login"]["user"],
        json!({ "displayName": "Chief Editor", "roles": ["EDITOR", "ADMIN"] })
    );
}

#[test]
fn serve_refuses_to_start_without_a_strong_secret() {
    for secret in [None, Some("too-short")] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_imprint"));
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", "sqlite::memory:")
            .env_remove("IMPRINT_JWT_SECRET")
            .env_remove("IMPRINT_DEMO");
        if let Some(secret) = secret {
            command.env("IMPRINT_JWT_SECRET", secret);
        }
        let output = command.output().unwrap();
        assert!(!output.status.success(), "{secret:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("IMPRINT_JWT_SECRET"), "{stderr}");
    }
}
