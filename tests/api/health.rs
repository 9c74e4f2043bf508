use crate::helpers::TestApp;

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn readyz_follows_the_database() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 200);

    app.state.db.clone().close().await.unwrap();
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn metrics_count_the_sql_statements_run() {
    let app = TestApp::spawn().await;
    let before = app.metric("imprint_sql_statements_total").await;
    app.gql(None, "{ allSeries { id } }", serde_json::json!({}))
        .await
        .ok();
    assert!(app.metric("imprint_sql_statements_total").await > before);
}
