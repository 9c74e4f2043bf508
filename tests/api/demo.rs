//! `serve --demo` data: seeded once, every stage present, the sample
//! publication readable by anyone.

use imprint::demo;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn demo_data_is_seeded_once_and_shows_every_stage() {
    let app = TestApp::spawn().await;
    assert!(demo::seed(&app.state).await.unwrap());
    assert!(!demo::seed(&app.state).await.unwrap());

    let editor = app
        .login_with("editor@imprint.test", demo::DEMO_PASSWORD)
        .await;
    let all = app
        .gql(
            Some(&editor),
            "{ papers(first: 50) { totalCount edges { node { stage } } } }",
            json!({}),
        )
        .await
        .ok();
    let mut stages: Vec<String> = all.data()["papers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["stage"].as_str().unwrap().to_owned())
        .collect();
    stages.sort();
    stages.dedup();
    assert_eq!(
        stages,
        [
            "ARCHIVED",
            "DRAFT",
            "PUBLISHED",
            "REVIEW",
            "SUBMITTED",
            "TRANSLATION"
        ]
    );

    let tasks = app
        .gql(
            Some(&editor),
            "{ translationTasks { edges { node { status } } } }",
            json!({}),
        )
        .await
        .ok();
    let statuses = tasks.data()["translationTasks"]["edges"].to_string();
    for status in ["OPEN", "CLAIMED", "ACCEPTED"] {
        assert!(statuses.contains(status), "{status} in {statuses}");
    }
}

#[tokio::test]
async fn anyone_reads_the_sample_publication_with_its_english_key_findings() {
    let app = TestApp::spawn().await;
    demo::seed(&app.state).await.unwrap();
    let query = r#"{ paper(slug: "through-equality-and-consensus") {
        stage publishedAt originalUrl series { title }
        contributors { name position affiliation }
        text(language: "en") { kind title keyFindings } } }"#;
    let response = app.gql(None, query, json!({})).await.ok();
    let paper = &response.data()["paper"];
    assert_eq!(paper["stage"], "PUBLISHED");
    assert!(paper["publishedAt"].is_string());
    assert_eq!(
        paper["series"]["title"],
        "Security Index Occasional Paper Series"
    );
    assert_eq!(
        paper["contributors"],
        json!([{
            "name": "Sergey Ryabkov",
            "position": "Deputy Minister of Foreign Affairs of the Russian Federation",
            "affiliation": "Russian Foreign Ministry"
        }])
    );
    assert_eq!(paper["text"]["kind"], "SUMMARY");
    assert_eq!(
        paper["text"]["title"],
        "Through Equality and Consensus to Lasting Global Security"
    );
    assert_eq!(
        paper["text"]["keyFindings"].as_array().map(Vec::len),
        Some(4)
    );
}
