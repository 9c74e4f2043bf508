//! Full-text search in every language, stemmed per text, within what the
//! viewer may see.

use sea_orm::{ConnectionTrait, DbBackend};
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

/// The papers of the table below: (language, title, abstract).
const CORPUS: &[(&str, &str, &str)] = &[
    (
        "ru",
        "Договор о нераспространении ядерного оружия",
        "Договор и стратегическая стабильность.",
    ),
    (
        "en",
        "Hypersonic weapons and strategic stability",
        "Missiles faster than defences.",
    ),
    (
        "en",
        "The treaty on open skies",
        "Arms control after the treaty.",
    ),
    (
        "en",
        "Outer space security",
        "Space debris and arms-control.",
    ),
    ("ru", "Космос и право", "Космическая безопасность."),
    (
        "de",
        "Der Vertrag über den Weltraum",
        "Sicherheit im Weltraum.",
    ),
    ("hy", "Բարեւ աշխարհ", "Խաղաղություն"),
];

/// Queries in the one search language and the papers (indexes into
/// [`CORPUS`]) each must find, on either database.
const QUERIES: &[(&str, &[usize])] = &[
    ("treaty", &[2]),
    ("treaties", &[2]),
    ("TREATY", &[2]),
    ("the", &[2]),
    ("treaty OR hypersonic", &[1, 2]),
    ("hypersonic OR treaty OR космос", &[1, 2, 4]),
    ("strategic stability", &[1]),
    ("arms -space", &[2]),
    ("arms -\"outer space\"", &[2]),
    ("\"arms control\"", &[2, 3]),
    ("arms-control", &[2, 3]),
    ("\"control arms\"", &[]),
    ("treaty -\"open skies\"", &[]),
    ("\"open skies\" OR космос", &[2, 4]),
    ("договоров", &[0]),
    ("договор стабильности", &[0]),
    ("космический", &[4]),
    ("космос -право", &[]),
    ("Vertrag", &[5]),
    ("Weltraum Sicherheit", &[5]),
    ("աշխարհ", &[6]),
    ("security OR Sicherheit", &[3, 5]),
    ("\"*) ( ^", &[]),
    ("nothing-like-this", &[]),
];

#[tokio::test]
async fn one_search_language_finds_the_same_papers_on_either_database() {
    let office = Office::open().await;
    let mut ids = Vec::new();
    for (language, title, abstract_text) in CORPUS {
        let input = json!({
            "originalLanguage": language, "title": title, "abstract": abstract_text,
        });
        ids.push(office.create_paper(&office.author, input).await);
    }
    let mut wrong = Vec::new();
    for (query, expected) in QUERIES {
        let mut found = found(&office, Some(&office.editor), query).await;
        found.sort();
        let mut expected: Vec<String> = expected.iter().map(|i| ids[*i].clone()).collect();
        expected.sort();
        if found != expected {
            let index = |id: &String| ids.iter().position(|i| i == id);
            wrong.push(format!(
                "{query:?}: found {:?}, expected {:?}",
                found.iter().map(index).collect::<Vec<_>>(),
                expected.iter().map(index).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn searches_and_filters_are_capped_with_the_cap_in_the_error() {
    let office = Office::open().await;
    let papers = "query($filter: PapersFilter) { papers(filter: $filter) { totalCount } }";
    let terms = (0..30_000)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    for (filter, message) in [
        (
            json!({ "search": &terms }),
            format!("search: at most 256 characters (got {})", terms.len()),
        ),
        (
            json!({ "search": "a b c d e f g h i j k l m n o p q" }),
            "search: at most 16 words (got 17)".to_owned(),
        ),
        (
            json!({ "search": "\"a b c d e f g h\" \"i j k l m n o p q\"" }),
            "search: at most 16 words (got 17)".to_owned(),
        ),
        (
            json!({ "search": "-space" }),
            "search: give at least one word to find: -word only excludes".to_owned(),
        ),
        (
            json!({ "contributor": "я".repeat(50_000) }),
            "contributor: at most 200 characters (got 50000)".to_owned(),
        ),
    ] {
        let response = office.gql(None, papers, json!({ "filter": filter })).await;
        assert_eq!(
            response.error_code(),
            Some("BAD_USER_INPUT"),
            "{}",
            response.body
        );
        assert_eq!(response.error_message(), message);
    }
}

#[tokio::test]
async fn contributors_are_matched_in_any_script_without_regard_to_case() {
    let office = Office::open().await;
    let mut ids = Vec::new();
    for names in [
        &["Сергей Рябков"][..],
        &["Иванов И. И.", "John Smith"],
        &["100% Ёлкин_"],
    ] {
        let mut input = russian_draft("Доклад");
        input["contributors"] = names.iter().map(|name| json!({ "name": name })).collect();
        ids.push(office.create_paper(&office.author, input).await);
    }
    let query = "query($name: String!) { papers(filter: { contributor: $name }) { nodes { id } } }";
    for (name, expected) in [
        ("рябков", &[0][..]),
        ("РЯБКОВ", &[0]),
        ("Иванов", &[1]),
        ("иванов и.", &[1]),
        ("SMITH", &[1]),
        ("ёлкин", &[2]),
        ("100%", &[2]),
        ("%", &[2]),
        ("_", &[2]),
        ("ryabkov", &[]),
    ] {
        let response = office
            .gql(Some(&office.editor), query, json!({ "name": name }))
            .await
            .ok();
        let mut found: Vec<String> = response.data()["papers"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| node["id"].as_str().unwrap().to_owned())
            .collect();
        found.sort();
        let expected: Vec<String> = expected.iter().map(|i| ids[*i].clone()).collect();
        assert_eq!(found, expected, "{name:?}");
    }
}

#[tokio::test]
async fn rows_written_before_the_application_indexed_them_are_caught_up_at_start() {
    let office = Office::open().await;
    let mut input = russian_draft("Договор о космосе");
    input["contributors"] = json!([{ "name": "Сергей Рябков" }]);
    let paper = office.create_paper(&office.author, input).await;
    let db = &office.app.state.db;
    let backend = db.get_database_backend();
    // As a migration leaves them: no terms, no folded names.
    let forget = match backend {
        DbBackend::Postgres => "UPDATE paper_texts SET search_vector = NULL, search_stemmer = NULL",
        _ => "DELETE FROM paper_text_search",
    };
    for sql in [forget, "UPDATE contributors SET name_folded = NULL"] {
        db.execute_unprepared(sql).await.unwrap();
    }
    let by_name = "{ papers(filter: { contributor: \"рябков\" }) { totalCount } }";
    let count = |response: crate::helpers::Gql| response.data()["papers"]["totalCount"].clone();
    let editor = Some(&office.editor);
    assert!(found(&office, editor, "договоры").await.is_empty());
    assert_eq!(count(office.gql(editor, by_name, json!({})).await.ok()), 0);

    let caught_up = imprint::store::search::catch_up(db).await.unwrap();
    assert_eq!(caught_up, 2, "one text, one contributor");
    assert_eq!(found(&office, editor, "договоры").await, vec![paper]);
    assert_eq!(count(office.gql(editor, by_name, json!({})).await.ok()), 1);
    assert_eq!(imprint::store::search::catch_up(db).await.unwrap(), 0);
}
