//! Full-text search in every language, stemmed per text, within what the
//! viewer may see.

use serde_json::json;

use crate::helpers::workflow::{Office, russian_draft};

const SEARCH: &str =
    "query($q: String!) { papers(filter: { search: $q }) { totalCount edges { node { id } } } }";

async fn found(
    office: &Office,
    who: Option<&crate::helpers::workflow::Person>,
    query: &str,
) -> Vec<String> {
    let response = office.gql(who, SEARCH, json!({ "q": query })).await.ok();
    let papers = &response.data()["papers"];
    let ids: Vec<String> = papers["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(papers["totalCount"], json!(ids.len()));
    ids
}

#[tokio::test]
async fn a_russian_query_finds_another_inflection_and_an_english_query_the_summary() {
    let office = Office::open().await;
    let mut input = russian_draft("Глобальная безопасность и контроль над вооружениями");
    input["abstract"] = json!("Доклад о стратегической стабильности.");
    let paper = office.create_paper(&office.author, input).await;
    office
        .moved(&office.author, &paper, "SUBMITTED", None)
        .await;
    let task = office.create_task(&paper, "en", "SUMMARY").await;
    office
        .moved(&office.editor, &paper, "TRANSLATION", None)
        .await;
    office.translate(&office.translator, &task).await;
    let other = office
        .create_paper(&office.author, russian_draft("Космос и право"))
        .await;

    let editor = Some(&office.editor);
    assert_eq!(
        found(&office, editor, "безопасности").await,
        vec![paper.clone()]
    );
    assert_eq!(
        found(&office, editor, "вооружений").await,
        vec![paper.clone()]
    );
    assert_eq!(
        found(&office, editor, "стабильностью").await,
        vec![paper.clone()]
    );
    assert_eq!(
        found(&office, editor, "summary").await,
        vec![paper.clone()],
        "the English summary"
    );
    assert_eq!(
        found(&office, editor, "summaries").await,
        vec![paper.clone()],
        "English stemming"
    );
    assert_eq!(found(&office, editor, "космосе").await, vec![other]);
    assert!(found(&office, editor, "баклажан").await.is_empty());
    assert!(
        found(&office, editor, "\"*) OR (").await.is_empty(),
        "syntax is not interpreted"
    );
}

#[tokio::test]
async fn search_finds_nothing_the_viewer_may_not_see() {
    let office = Office::open().await;
    office
        .create_paper(&office.author, russian_draft("Секретная безопасность"))
        .await;
    let published = office.paper_in("PUBLISHED").await;
    let everyone = "Краткое изложение";

    assert_eq!(
        found(&office, Some(&office.other_author), "безопасность").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(&office, None, "безопасность").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(&office, Some(&office.author), "безопасность")
            .await
            .len(),
        1
    );
    assert_eq!(found(&office, None, everyone).await, vec![published]);
}
