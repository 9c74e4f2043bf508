//! Logging in, and every way a token can be wrong.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use imprint::domain::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{JWT_SECRET, PASSWORD, TestApp};

const ME: &str = "{ me { id email roles } }";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Valid claims for `user_id`, to be spoiled one way or another.
fn claims(user_id: i64) -> Value {
    json!({
        "sub": user_id.to_string(),
        "iss": "imprint",
        "aud": "imprint-api",
        "iat": now(),
        "nbf": now(),
        "exp": now() + 600,
        "ver": 0,
    })
}

fn sign(claims: &Value, algorithm: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    let response = app.gql(Some(token), ME, json!({})).await;
    assert_eq!(response.status, 401, "{why}: {}", response.body);
    assert_eq!(response.error_code(), Some("UNAUTHENTICATED"), "{why}");
    assert!(response.body.get("data").is_none(), "{why}");
}

#[tokio::test]
async fn login_gives_a_token_that_me_accepts() {
    let app = TestApp::spawn().await;
    let id = app
        .create_user("Editor@Imprint.test", &[Role::Editor])
        .await;
    let response = app
        .gql(
            None,
            "mutation { login(email: \"EDITOR@imprint.test\", password: \"correct horse battery staple\") { token expiresAt user { id email roles } } }",
            json!({}),
        )
        .await
        .ok();
    let login = &response.data()["login"];
    assert_eq!(login["user"]["id"], id.to_string());
    assert_eq!(login["user"]["email"], "editor@imprint.test");
    assert_eq!(login["user"]["roles"], json!(["EDITOR"]));
    assert!(login["expiresAt"].as_str().unwrap().starts_with('2'));

    let token = login["token"].as_str().unwrap();
    let me = app.gql(Some(token), ME, json!({})).await.ok();
    assert_eq!(me.data()["me"]["id"], id.to_string());
    assert_eq!(me.data()["me"]["roles"], json!(["EDITOR"]));
}

#[tokio::test]
async fn anonymous_me_is_null() {
    let app = TestApp::spawn().await;
    let me = app.gql(None, ME, json!({})).await.ok();
    assert_eq!(me.data()["me"], Value::Null);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_error() {
    let app = TestApp::spawn().await;
    app.create_user("author@imprint.test", &[Role::Author])
        .await;
    let login = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }";
    let wrong_password = app
        .gql(
            None,
            login,
            json!({ "email": "author@imprint.test", "password": "not the password" }),
        )
        .await;
    let unknown_email = app
        .gql(
            None,
            login,
            json!({ "email": "nobody@imprint.test", "password": PASSWORD }),
        )
        .await;
    let not_an_email = app
        .gql(
            None,
            login,
            json!({ "email": "nobody", "password": PASSWORD }),
        )
        .await;
    for response in [&wrong_password, &unknown_email, &not_an_email] {
        assert_eq!(response.error_code(), Some("UNAUTHENTICATED"));
        assert_eq!(response.data(), &Value::Null);
    }
    assert_eq!(wrong_password.body["errors"], unknown_email.body["errors"]);
    assert_eq!(wrong_password.body["errors"], not_an_email.body["errors"]);
}

#[tokio::test]
async fn a_well_signed_token_works_and_spoiled_ones_are_refused() {
    let app = TestApp::spawn().await;
    let id = app
        .create_user("editor@imprint.test", &[Role::Editor])
        .await;

    let good = sign(&claims(id), Algorithm::HS256, JWT_SECRET);
    let me = app.gql(Some(&good), ME, json!({})).await.ok();
    assert_eq!(me.data()["me"]["id"], id.to_string());

    let mut expired = claims(id);
    expired["exp"] = json!(now() - 60);
    assert_refused(
        &app,
        &sign(&expired, Algorithm::HS256, JWT_SECRET),
        "expired",
    )
    .await;

    let mut early = claims(id);
    early["nbf"] = json!(now() + 600);
    assert_refused(
        &app,
        &sign(&early, Algorithm::HS256, JWT_SECRET),
        "nbf in the future",
    )
    .await;

    for missing in ["iss", "aud", "sub", "exp", "nbf"] {
        let mut partial = claims(id);
        partial.as_object_mut().unwrap().remove(missing);
        let token = sign(&partial, Algorithm::HS256, JWT_SECRET);
        assert_refused(&app, &token, &format!("missing {missing}")).await;
    }

    let mut foreign_issuer = claims(id);
    foreign_issuer["iss"] = json!("someone-else");
    assert_refused(
        &app,
        &sign(&foreign_issuer, Algorithm::HS256, JWT_SECRET),
        "wrong iss",
    )
    .await;

    let mut foreign_audience = claims(id);
    foreign_audience["aud"] = json!("another-api");
    assert_refused(
        &app,
        &sign(&foreign_audience, Algorithm::HS256, JWT_SECRET),
        "wrong aud",
    )
    .await;

    let other_key = sign(
        &claims(id),
        Algorithm::HS256,
        "another-secret-that-is-32-bytes-long!!",
    );
    assert_refused(&app, &other_key, "signed with another key").await;

    let other_algorithm = sign(&claims(id), Algorithm::HS512, JWT_SECRET);
    assert_refused(&app, &other_algorithm, "HS512").await;

    let (header, payload, signature) = {
        let mut parts = good.split('.');
        (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        )
    };
    let mut admin_claims = claims(id);
    admin_claims["sub"] = json!((id + 1).to_string());
    let forged_payload = URL_SAFE_NO_PAD.encode(admin_claims.to_string());
    assert_refused(
        &app,
        &format!("{header}.{forged_payload}.{signature}"),
        "tampered payload",
    )
    .await;
    assert_refused(
        &app,
        &format!("{header}.{payload}.{}", &signature[1..]),
        "tampered signature",
    )
    .await;

    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    assert_refused(&app, &format!("{none_header}.{payload}."), "alg none").await;

    assert_refused(&app, "not-a-jwt", "garbage").await;

    let mut stranger = claims(id);
    stranger["sub"] = json!("999999");
    assert_refused(
        &app,
        &sign(&stranger, Algorithm::HS256, JWT_SECRET),
        "unknown user",
    )
    .await;
}

#[tokio::test]
async fn an_authorization_header_without_a_bearer_token_is_refused() {
    let app = TestApp::spawn().await;
    for value in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "token"] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .header("authorization", value)
            .body(json!({ "query": ME }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{value}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
}

#[tokio::test]
async fn disabling_a_user_ends_their_session_at_once() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let (author_id, author) = app.user_with("author@imprint.test", &[Role::Author]).await;
    app.gql(Some(&author), ME, json!({})).await.ok();

    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableUser(id: $id) { disabled } }",
        json!({ "id": author_id.to_string() }),
    )
    .await
    .ok();
    assert_refused(&app, &author, "disabled user").await;

    let relogin = app
        .gql(
            None,
            "mutation { login(email: \"author@imprint.test\", password: \"correct horse battery staple\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(relogin.error_code(), Some("UNAUTHENTICATED"));

    app.gql(
        Some(&admin),
        "mutation($id: ID!) { enableUser(id: $id) { disabled } }",
        json!({ "id": author_id.to_string() }),
    )
    .await
    .ok();
    assert_refused(&app, &author, "token from before the account was disabled").await;
    let fresh = app.login("author@imprint.test").await;
    app.gql(Some(&fresh), ME, json!({})).await.ok();
}

#[tokio::test]
async fn role_changes_take_effect_on_the_next_request() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let (editor_id, editor) = app.user_with("editor@imprint.test", &[Role::Editor]).await;
    let users = "{ users { totalCount } }";
    assert_eq!(
        app.gql(Some(&editor), users, json!({})).await.error_code(),
        Some("FORBIDDEN")
    );

    let set_roles =
        "mutation($id: ID!, $roles: [Role!]!) { setUserRoles(id: $id, roles: $roles) { roles } }";
    let granted = app
        .gql(
            Some(&admin),
            set_roles,
            json!({ "id": editor_id.to_string(), "roles": ["EDITOR", "ADMIN"] }),
        )
        .await
        .ok();
    assert_eq!(
        granted.data()["setUserRoles"]["roles"],
        json!(["EDITOR", "ADMIN"])
    );
    let listed = app.gql(Some(&editor), users, json!({})).await.ok();
    assert_eq!(listed.data()["users"]["totalCount"], 2);

    app.gql(
        Some(&admin),
        set_roles,
        json!({ "id": editor_id.to_string(), "roles": ["EDITOR"] }),
    )
    .await
    .ok();
    assert_eq!(
        app.gql(Some(&editor), users, json!({})).await.error_code(),
        Some("FORBIDDEN")
    );
}

#[tokio::test]
async fn logging_out_everywhere_revokes_every_token() {
    let app = TestApp::spawn().await;
    let (_, first) = app.user_with("author@imprint.test", &[Role::Author]).await;
    let second = app.login("author@imprint.test").await;
    app.gql(Some(&first), "mutation { logOutEverywhere }", json!({}))
        .await
        .ok();
    assert_refused(&app, &first, "the token that logged out").await;
    assert_refused(&app, &second, "another token of the same user").await;
}
