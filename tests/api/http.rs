//! GraphQL over HTTP: media types, methods, status codes, sizes, batches.

use serde_json::{Value, json};

use crate::helpers::{Gql, TestApp};

const QUERY: &str = "{ me { id } }";

async fn post_raw(app: &TestApp, content_type: &str, accept: Option<&str>, body: String) -> Gql {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", content_type)
        .body(body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    Gql::read(request.send().await.unwrap()).await
}

#[tokio::test]
async fn a_text_plain_or_form_post_cannot_run_an_operation() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "mutation { logOutEverywhere }" }).to_string();
    for content_type in [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin1",
    ] {
        let response = post_raw(&app, content_type, None, body.clone()).await;
        assert_eq!(response.status, 415, "{content_type}");
    }
    let form = post_raw(
        &app,
        "application/x-www-form-urlencoded",
        None,
        "query=%7Bme%7Bid%7D%7D".into(),
    )
    .await;
    assert_eq!(form.status, 415);
}

#[tokio::test]
async fn a_body_over_the_cap_is_413() {
    let app = TestApp::spawn().await;
    let padding = " ".repeat(imprint::config::MAX_BODY_BYTES);
    let body = format!("{{\"query\": \"{{ me {{ id }} }}{padding}\"}}");
    let response = post_raw(&app, "application/json", None, body).await;
    assert_eq!(response.status, 413);
}

#[tokio::test]
async fn mutations_over_get_are_405_with_allow_post() {
    let app = TestApp::spawn().await;
    for query in [
        "mutation { logOutEverywhere }",
        "query A { me { id } } mutation B { logOutEverywhere }",
    ] {
        let mut url = reqwest::Url::parse(&app.url("/graphql")).unwrap();
        url.query_pairs_mut().append_pair("query", query);
        if query.contains("mutation B") {
            url.query_pairs_mut().append_pair("operationName", "B");
        }
        let response = app
            .client
            .get(url)
            .header("accept", "application/graphql-response+json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{query}");
        assert_eq!(response.headers()["allow"], "POST");
    }
}

#[tokio::test]
async fn queries_run_over_get() {
    let app = TestApp::spawn().await;
    let mut url = reqwest::Url::parse(&app.url("/graphql")).unwrap();
    url.query_pairs_mut()
        .append_pair(
            "query",
            "query A($n: Int) { users(first: $n) { totalCount } } query B { me { id } }",
        )
        .append_pair("operationName", "B")
        .append_pair("variables", "{}");
    let response = Gql::read(app.client.get(url).send().await.unwrap()).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body, json!({ "data": { "me": null } }));
}

#[tokio::test]
async fn browsers_get_graphiql_from_the_server_itself() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(
            policy.contains(directive),
            "{directive} missing from {policy}"
        );
    }
    assert!(!policy.contains("unsafe"), "{policy}");
    let html = page.text().await.unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(
        html.contains(&format!("content=\"{nonce}\"")),
        "the page carries its policy's nonce"
    );
    let again = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_ne!(
        again.headers()["content-security-policy"],
        policy,
        "each page gets a fresh nonce"
    );
    let linked: Vec<&str> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| html.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(linked.len(), 7, "{html}");
    for path in linked {
        assert!(path.starts_with("/graphiql/"), "{path} is not served here");
        let asset = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{path}");
        let content_type = asset.headers()["content-type"].to_str().unwrap();
        let expected = match path.rsplit('.').next() {
            Some("css") => "text/css",
            Some("svg") => "image/svg+xml",
            _ => "text/javascript",
        };
        assert_eq!(content_type, expected, "{path}");
        assert_eq!(asset.headers()["x-content-type-options"], "nosniff");
        let etag = asset.headers()["etag"].clone();
        assert!(!asset.bytes().await.unwrap().is_empty(), "{path}");

        let again = app
            .client
            .get(app.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    let licence = app.get_text("/graphiql/licenses/graphiql.txt").await;
    assert!(licence.contains("MIT License"), "{licence}");
    let missing = app
        .client
        .get(app.url("/graphiql/nothing-here.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_response_media_type_follows_the_accept_header() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": QUERY }).to_string();
    for (accept, expected) in [
        (
            "application/graphql-response+json",
            "application/graphql-response+json",
        ),
        (
            "application/graphql-response+json, application/json;q=0.9",
            "application/graphql-response+json",
        ),
        ("application/json", "application/json"),
        ("*/*", "application/graphql-response+json"),
    ] {
        let response = post_raw(&app, "application/json", Some(accept), body.clone()).await;
        assert_eq!(response.status, 200, "{accept}");
        assert!(
            response.content_type.starts_with(expected),
            "{accept}: {}",
            response.content_type
        );
    }
    let response = post_raw(&app, "application/json", Some("text/csv"), body).await;
    assert_eq!(response.status, 406);
}

#[tokio::test]
async fn invalid_documents_are_400_without_data_for_current_clients_and_200_for_legacy_ones() {
    let app = TestApp::spawn().await;
    for query in ["{ me { id ", "{ noSuchField }", "{ me }"] {
        let body = json!({ "query": query }).to_string();
        let current = post_raw(
            &app,
            "application/json",
            Some("application/graphql-response+json"),
            body.clone(),
        )
        .await;
        assert_eq!(current.status, 400, "{query}");
        assert!(
            current.body.get("data").is_none(),
            "{query}: {}",
            current.body
        );
        assert!(current.body["errors"][0]["message"].is_string());

        let legacy = post_raw(&app, "application/json", Some("application/json"), body).await;
        assert_eq!(legacy.status, 200, "{query}");
        assert!(legacy.body["errors"].is_array());
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_400() {
    let app = TestApp::spawn().await;
    for body in [
        "",
        "{",
        "[]",
        "\"query\"",
        r#"{"query": 1}"#,
        r#"{"query": "{ me { id } }", "variables": "x"}"#,
    ] {
        let response = post_raw(
            &app,
            "application/json",
            Some("application/graphql-response+json"),
            body.into(),
        )
        .await;
        assert_eq!(response.status, 400, "{body}");
        assert!(response.body["errors"][0]["message"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn batches_are_capped_at_ten() {
    let app = TestApp::spawn().await;
    let batch = |n: usize| Value::Array(vec![json!({ "query": QUERY }); n]).to_string();
    let ten = post_raw(&app, "application/json", None, batch(10)).await;
    assert_eq!(ten.status, 200);
    assert_eq!(ten.body.as_array().map(Vec::len), Some(10));
    let eleven = post_raw(&app, "application/json", None, batch(11)).await;
    assert_eq!(eleven.status, 400);
}

#[tokio::test]
async fn errors_never_carry_internal_detail() {
    let app = TestApp::spawn().await;
    let response = app
        .gql(None, "{ users(first: 1000) { totalCount } }", json!({}))
        .await;
    assert_eq!(response.error_code(), Some("BAD_USER_INPUT"));
    let text = response.body.to_string().to_lowercase();
    for leak in ["select", "sqlx", "sqlite", "postgres", "panicked"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}
