//! Query limits: depth, complexity, and selections including `__typename`.

use serde_json::json;

use crate::helpers::TestApp;

fn assert_refused_before_execution(response: &crate::helpers::Gql, what: &str, needle: &str) {
    assert_eq!(response.status, 400, "{what}: {}", response.body);
    assert!(response.body.get("data").is_none(), "{what}");
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
    assert!(
        answer["payload"][0]["message"]
            .as_str()
            .unwrap()
            .contains("aliases"),
        "{answer}"
    );
}
