//! Query limits: depth, complexity, selections including `__typename`, and
//! the shape of a document (fragments, operations, nested input), each
//! refused before execution with a code.

use serde_json::json;

use crate::helpers::TestApp;

fn assert_refused_before_execution(response: &crate::helpers::Gql, what: &str, needle: &str) {
    assert_eq!(response.status, 400, "{what}: {}", response.body);
    assert!(response.body.get("data").is_none(), "{what}");
    assert_eq!(
        response.error_code(),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{what}: {}",
        response.body
    );
    assert!(
        response.error_message().contains(needle),
        "{what}: {}",
        response.error_message()
    );
}

#[tokio::test]
async fn an_alias_bomb_of_typename_is_refused() {
    let app = TestApp::spawn().await;
    let bomb: String = (0..1000).map(|i| format!("a{i}: __typename ")).collect();
    let response = app.gql(None, &format!("{{ {bomb} }}"), json!({})).await;
    assert_refused_before_execution(&response, "alias bomb", "aliases");

    let plain: String = "__typename ".repeat(1000);
    let response = app.gql(None, &format!("{{ {plain} }}"), json!({})).await;
    assert_refused_before_execution(&response, "typename flood", "fields");
}

#[tokio::test]
async fn fragments_do_not_hide_selections_from_the_count() {
    let app = TestApp::spawn().await;
    let query = "
        query { ...A ...A ...A ...A }
        fragment A on Query { ...B ...B ...B ...B ...B ...B ...B ...B }
        fragment B on Query { ...C ...C ...C ...C ...C ...C ...C ...C }
        fragment C on Query { __typename me { id } }
    ";
    let response = app.gql(None, query, json!({})).await;
    assert_refused_before_execution(&response, "fragment fan-out", "fields");
}

/// `count` fragments, each spreading the next twice, the last holding
/// `last`: 2^count spreads once expanded, in a few hundred bytes.
fn doubling_spreads(count: usize, last: &str) -> String {
    let mut query = String::from("{ ...F0 }\n");
    for n in 0..count {
        let next = n + 1;
        query.push_str(&format!(
            "fragment F{n} on Query {{ ...F{next} ...F{next} }}\n"
        ));
    }
    query.push_str(&format!("fragment F{count} on Query {{ {last} }}\n"));
    query
}

// Sized so that code which expands spreads (2^18 of them) still answers in
// about a second in a debug build: a bigger one would spin a test server
// that no client timeout stops. The worst document under the body cap is
// measured by the bench, against the release build.
const DOUBLINGS: usize = 18;

#[tokio::test]
async fn spreads_that_double_at_every_fragment_are_refused_before_validation() {
    let app = TestApp::spawn().await;
    let response = app
        .gql(None, &doubling_spreads(DOUBLINGS, "...Missing"), json!({}))
        .await;
    assert_refused_before_execution(
        &response,
        "missing at the end",
        "unknown fragment \"Missing\"",
    );

    let response = app
        .gql(None, &doubling_spreads(DOUBLINGS, "__typename"), json!({}))
        .await;
    assert_refused_before_execution(&response, "typename at the end", "(its fragments expanded)");

    // Validation walks fragments no operation spreads as well.
    let unused = doubling_spreads(DOUBLINGS, "__typename").replacen("...F0", "__typename", 1);
    let response = app.gql(None, &unused, json!({})).await;
    assert_refused_before_execution(&response, "unused fragments", "(its fragments expanded)");
}

#[tokio::test]
async fn fragments_that_spread_themselves_or_chain_too_deep_are_refused() {
    let app = TestApp::spawn().await;
    let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }";
    let response = app.gql(None, cycle, json!({})).await;
    assert_refused_before_execution(&response, "cycle", "spreads itself");

    let mut chain = String::from("{ ...F0 }\n");
    for n in 0..800 {
        chain.push_str(&format!("fragment F{n} on Query {{ ...F{} }}\n", n + 1));
    }
    chain.push_str("fragment F800 on Query { __typename }\n");
    let response = app.gql(None, &chain, json!({})).await;
    assert_refused_before_execution(&response, "chain", "nest more than 32 levels");
}

#[tokio::test]
async fn a_document_longer_than_the_cap_is_refused_before_it_is_parsed() {
    let app = TestApp::spawn().await;
    let max = imprint::graphql::DOCUMENT_LIMITS.max_bytes;
    let padded = |len: usize| format!("{{ __typename {}}}", " ".repeat(len - 15));
    let response = app.gql(None, &padded(max), json!({})).await;
    assert_eq!(response.data()["__typename"], "Query", "{}", response.body);

    // Not even parsed: it would not be GraphQL either.
    let long = format!("{}{{", padded(max + 1));
    let response = app.gql(None, &long, json!({})).await;
    assert_refused_before_execution(&response, "POST", "more than 32768");
    let url = app.url("/graphql");
    let get = app
        .client
        .get(&url)
        .query(&[("query", long.as_str())])
        .header("accept", "application/graphql-response+json")
        .send()
        .await
        .unwrap();
    let response = crate::helpers::Gql::read(get).await;
    assert_refused_before_execution(&response, "GET", "more than 32768");
}

#[tokio::test]
async fn a_document_of_many_operations_is_refused() {
    let app = TestApp::spawn().await;
    let max = imprint::graphql::DOCUMENT_LIMITS.max_operations;
    let operations = |count: usize| -> String {
        (0..count)
            .map(|n| format!("query Q{n} {{ __typename }}\n"))
            .collect()
    };
    let response = app
        .post_graphql(
            None,
            json!({ "query": operations(max), "operationName": "Q0" }),
        )
        .await;
    assert_eq!(response.data()["__typename"], "Query", "{}", response.body);

    let response = app
        .post_graphql(
            None,
            json!({ "query": operations(1_000), "operationName": "Q0" }),
        )
        .await;
    assert_refused_before_execution(&response, "1,000 operations", "more than 25");
}

#[tokio::test]
async fn input_nested_deeper_than_the_cap_is_refused_in_the_document_and_in_variables() {
    let app = TestApp::spawn().await;
    let deep = |levels: usize| format!("{}\"x\"{}", "[".repeat(levels), "]".repeat(levels));
    let query = format!(
        "{{ papers(filter: {{ stages: {} }}) {{ totalCount }} }}",
        deep(200)
    );
    let response = app.gql(None, &query, json!({})).await;
    assert_refused_before_execution(&response, "deep literal", "more than 10 levels deep");

    // Deeper than the parser's own stack allows: a syntax error, not a crash.
    let query = format!(
        "{{ papers(filter: {{ stages: {} }}) {{ totalCount }} }}",
        deep(15_000)
    );
    let response = app.gql(None, &query, json!({})).await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(response.error_code(), Some("GRAPHQL_PARSE_FAILED"));
    assert!(
        response.error_message().len() < 200,
        "{}",
        response.error_message()
    );

    let mut nested = json!("DRAFT");
    for _ in 0..100 {
        nested = json!([nested]);
    }
    let query = "query($s: [Stage!]) { papers(filter: { stages: $s }) { totalCount } }";
    let response = app.gql(None, query, json!({ "s": nested })).await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.body.get("data").is_none());
    assert_eq!(
        response.error_code(),
        Some("BAD_USER_INPUT"),
        "{}",
        response.body
    );
    assert!(
        response.error_message().contains("\"s\" nests"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn a_query_deeper_than_the_limit_is_refused() {
    let app = TestApp::spawn().await;
    let depth = imprint::graphql::MAX_DEPTH;
    let query = format!(
        "{{ __type(name: \"Query\") {{ fields {{ type {{ {} name {} }} }} }} }}",
        "ofType { ".repeat(depth),
        "}".repeat(depth)
    );
    let response = app.gql(None, &query, json!({})).await;
    assert_refused_before_execution(&response, "deep query", "nested too deep");
}

#[tokio::test]
async fn a_query_over_the_complexity_budget_is_refused() {
    let app = TestApp::spawn().await;
    let page = "users(first: 100) { totalCount edges { cursor node { id email displayName position affiliation roles disabled createdAt } } }";
    let query = format!("{{ a: {page} b: {page} c: {page} }}");
    let response = app.gql(None, &query, json!({})).await;
    assert_refused_before_execution(&response, "complex query", "complex");

    let affordable = "{ users(first: 10) { totalCount edges { node { id } } } }";
    let response = app.gql(None, affordable, json!({})).await;
    assert_eq!(
        response.error_code(),
        Some("UNAUTHENTICATED"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn graphiqls_introspection_query_fits_within_the_limits() {
    let app = TestApp::spawn().await;
    let response = app.gql(None, INTROSPECTION, json!({})).await.ok();
    assert_eq!(response.data()["__schema"]["queryType"]["name"], "Query");
}

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`
/// with descriptions, deprecation and `isRepeatable`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name description type { ...TypeRef } defaultValue
}
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}
"#;

#[tokio::test]
async fn the_same_limits_hold_over_the_websocket() {
    let app = TestApp::spawn().await;
    let mut socket = app.live(None).await;
    let bomb: String = (0..1000).map(|i| format!("a{i}: __typename ")).collect();
    socket
        .subscribe("1", &format!("{{ {bomb} }}"), json!({}))
        .await;
    let answer = socket.next_message().await;
    assert_eq!(answer["type"], "error", "{answer}");
    assert_eq!(answer["id"], "1");
    assert_eq!(
        answer["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert!(
        answer["payload"][0]["message"]
            .as_str()
            .unwrap()
            .contains("aliases"),
        "{answer}"
    );
}
