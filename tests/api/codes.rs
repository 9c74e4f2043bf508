//! Every error carries an `extensions.code`, whatever raised it: the
//! document's parser, validation, the limits, a value that does not fit its
//! type, or the HTTP request around it, over HTTP and over `/graphql/ws`.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// A document, its variables and the code its one error must carry.
struct Case {
    what: &'static str,
    query: String,
    variables: Value,
    code: &'static str,
}

fn case(what: &'static str, query: &str, variables: Value, code: &'static str) -> Case {
    Case {
        what,
        query: query.to_owned(),
        variables,
        code,
    }
}

fn cases() -> Vec<Case> {
    let page = "users(first: 100) { totalCount edges { cursor node { id email displayName position affiliation roles disabled createdAt } } }";
    let ranged =
        "query($from: DateTime) { papers(filter: { created: { from: $from } }) { totalCount } }";
    vec![
        case("syntax", "{ papers(", json!({}), "GRAPHQL_PARSE_FAILED"),
        case(
            "unknown field",
            "{ nope }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // async-graphql checks the range only while running, for a literal
        // as for a variable: both are the caller's value.
        case(
            "Int out of range, written in the document",
            "{ papers(first: 99999999999) { totalCount } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        case(
            "Int out of range, in a variable",
            "query($n: Int) { papers(first: $n) { totalCount } }",
            json!({ "n": 99_999_999_999_i64 }),
            "BAD_USER_INPUT",
        ),
        case(
            "DateTime that is not one, written in the document",
            "{ papers(filter: { created: { from: \"tomorrow\" } }) { totalCount } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        case(
            "a string where an Int goes, written in the document",
            "{ papers(first: \"ten\") { totalCount } }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        case(
            "a string where an Int goes, in a variable",
            "query($n: Int) { papers(first: $n) { totalCount } }",
            json!({ "n": "ten" }),
            "BAD_USER_INPUT",
        ),
        case(
            "an unknown enum value in a variable",
            "query($s: [Stage!]) { papers(filter: { stages: $s }) { totalCount } }",
            json!({ "s": ["LOST"] }),
            "BAD_USER_INPUT",
        ),
        case(
            "DateTime that is not one, in a variable",
            ranged,
            json!({ "from": "tomorrow" }),
            "BAD_USER_INPUT",
        ),
        case(
            "too complex",
            &format!("{{ a: {page} b: {page} c: {page} }}"),
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        case(
            "too deep",
            &format!(
                "{{ __type(name: \"Query\") {{ fields {{ type {{ {} name {} }} }} }} }}",
                "ofType { ".repeat(16),
                "}".repeat(16)
            ),
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        case(
            "an operation name that names nothing",
            "query A { __typename } query B { __typename }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        case(
            "a required variable left out",
            "query($id: ID!) { paper(id: $id) { id } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
    ]
}

/// The first error (the one that states the cause) carries `code`, and
/// every other one a code of the same family.
fn assert_codes(errors: &[Value], code: &str, context: &str) {
    let code_of = |error: &Value| error["extensions"]["code"].as_str().map(str::to_owned);
    assert_eq!(
        errors.first().and_then(code_of).as_deref(),
        Some(code),
        "{context}"
    );
    for error in errors {
        let code = code_of(error).unwrap_or_default();
        assert!(
            [
                "GRAPHQL_PARSE_FAILED",
                "GRAPHQL_VALIDATION_FAILED",
                "BAD_USER_INPUT"
            ]
            .contains(&code.as_str()),
            "{context}"
        );
    }
}

#[tokio::test]
async fn every_error_over_http_carries_a_code() {
    let app = TestApp::spawn().await;
    for case in cases() {
        let response = app.gql(None, &case.query, case.variables).await;
        let errors = response.body["errors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let context = format!("{}: {}", case.what, response.body);
        assert_codes(&errors, case.code, &context);
    }
}

#[tokio::test]
async fn every_error_over_the_websocket_carries_a_code() {
    let app = TestApp::spawn().await;
    let mut socket = app.live(None).await;
    for (n, case) in cases().into_iter().enumerate() {
        let id = n.to_string();
        socket.subscribe(&id, &case.query, case.variables).await;
        let answer = socket.next_message().await;
        assert_eq!(answer["id"], id.as_str(), "{}: {answer}", case.what);
        let errors = match answer["type"].as_str() {
            Some("error") => answer["payload"].clone(),
            _ => answer["payload"]["errors"].clone(),
        };
        let errors = errors.as_array().cloned().unwrap_or_default();
        assert_codes(&errors, case.code, &format!("{}: {answer}", case.what));
        if answer["type"] == "next" {
            let done = socket.next_message().await;
            assert_eq!(done["type"], "complete", "{}: {done}", case.what);
        }
    }
}

#[tokio::test]
async fn errors_about_the_http_request_carry_a_code() {
    let app = TestApp::spawn().await;
    let post = |body: String| {
        app.client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json")
            .body(body)
    };
    let batch: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let requests = [
        ("not JSON", post("{".into())),
        ("too big a batch", post(json!(batch).to_string())),
        (
            "not JSON as the media type",
            app.client
                .post(app.url("/graphql"))
                .header("content-type", "text/plain")
                .body("{}"),
        ),
    ];
    for (what, request) in requests {
        let response = crate::helpers::Gql::read(request.send().await.unwrap()).await;
        assert!(
            response.status.is_client_error(),
            "{what}: {}",
            response.status
        );
        assert_eq!(
            response.error_code(),
            Some("BAD_REQUEST"),
            "{what}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn two_authorization_headers_are_refused() {
    let app = TestApp::spawn().await;
    let (_, token) = app
        .user_with("editor@imprint.test", &[imprint::domain::Role::Editor])
        .await;
    let good = format!("Bearer {token}");
    for second in [good.as_str(), "Bearer not-a-token"] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("accept", "application/graphql-response+json")
            .header("authorization", good.as_str())
            .header("authorization", second)
            .json(&json!({ "query": "{ me { id } }" }))
            .send()
            .await
            .unwrap();
        let response = crate::helpers::Gql::read(response).await;
        assert_eq!(response.status, 400, "{}", response.body);
        assert_eq!(
            response.error_code(),
            Some("BAD_REQUEST"),
            "{}",
            response.body
        );
        assert!(response.body.get("data").is_none(), "{}", response.body);
    }
    // One is fine.
    let response = app.gql(Some(&token), "{ me { id } }", json!({})).await.ok();
    assert!(response.data()["me"]["id"].is_string());
}

#[tokio::test]
async fn a_syntax_error_is_told_in_brief_over_post_and_get() {
    let app = TestApp::spawn().await;
    let broken = format!("{{ papers({}", " ".repeat(2_000));
    let post = app.gql(None, &broken, json!({})).await;
    let get = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", broken.as_str())])
        .header("accept", "application/graphql-response+json")
        .send()
        .await
        .unwrap();
    let get = crate::helpers::Gql::read(get).await;
    for (what, response) in [("POST", post), ("GET", get)] {
        assert_eq!(response.status, 400, "{what}: {}", response.body);
        assert_eq!(
            response.error_code(),
            Some("GRAPHQL_PARSE_FAILED"),
            "{what}"
        );
        let message = response.error_message();
        assert!(
            message.starts_with("the document is not valid GraphQL"),
            "{what}: {message}"
        );
        assert!(message.len() < 200, "{what}: {} bytes", message.len());
    }
}
