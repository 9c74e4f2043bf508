//! `papers` as a Relay connection: keyset cursors, both directions, orders
//! and filters.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::workflow::{Office, russian_draft};

/// With a nested list, so that pages in both directions are read with their
/// lists (`page_with_lists`), as dashboards read them.
const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $order: PaperOrderBy, $filter: PapersFilter) {
    papers(first: $first, after: $after, last: $last, before: $before, orderBy: $order, filter: $filter) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id slug contributors { name } } }
    }
}";

fn ids(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn walking_every_page_forward_and_backward_yields_each_paper_once_while_papers_change() {
    let office = Office::open().await;
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(office.draft().await);
    }
    let order = json!({ "field": "CREATED_AT", "direction": "ASC" });

    for backward in [false, true] {
        let mut seen = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let variables = if backward {
                json!({ "last": 3, "before": cursor, "order": order })
            } else {
                json!({ "first": 3, "after": cursor, "order": order })
            };
            let response = office.gql(Some(&office.editor), PAGE, variables).await.ok();
            let page = &response.data()["papers"];
            assert_eq!(page["totalCount"], 7);
            let mut page_ids = ids(page);
            if backward {
                page_ids.reverse();
            }
            seen.extend(page_ids);
            // Edit a paper not seen yet: its updatedAt changes, its place does not.
            if let Some(unseen) = created.iter().find(|id| !seen.contains(id)) {
                let version = office.version(unseen).await;
                office
                    .gql(
                        Some(&office.editor),
                        "mutation($id: ID!, $v: Int!) { updatePaper(id: $id, expectedVersion: $v, input: { title: \"Новое название\" }) { id } }",
                        json!({ "id": unseen, "v": version }),
                    )
                    .await
                    .ok();
            }
            let more = if backward {
                "hasPreviousPage"
            } else {
                "hasNextPage"
            };
            if page["pageInfo"][more] != json!(true) {
                break;
            }
            cursor = page["pageInfo"][if backward { "startCursor" } else { "endCursor" }].clone();
        }
        if backward {
            seen.reverse();
        }
        assert_eq!(seen, created, "backward: {backward}");
    }
}

#[tokio::test]
async fn orders_sort_as_asked_and_cursors_belong_to_their_order() {
    let office = Office::open().await;
    for title in ["Бета", "Альфа", "Гамма"] {
        office
            .create_paper(&office.author, russian_draft(title))
            .await;
    }
    let by_title = office
        .gql(
            Some(&office.editor),
            "{ papers(orderBy: { field: TITLE, direction: ASC }) { edges { cursor node { texts { title } } } } }",
            json!({}),
        )
        .await
        .ok();
    let titles: Vec<&str> = by_title.data()["papers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["texts"][0]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Альфа", "Бета", "Гамма"]);

    let title_cursor = by_title.data()["papers"]["edges"][0]["cursor"].clone();
    let mixed = office
        .gql(
            Some(&office.editor),
            PAGE,
            json!({ "first": 2, "after": title_cursor }),
        )
        .await;
    assert_eq!(mixed.error_code(), Some("BAD_USER_INPUT"));

    let both = office
        .gql(Some(&office.editor), PAGE, json!({ "first": 2, "last": 2 }))
        .await;
    assert_eq!(both.error_code(), Some("BAD_USER_INPUT"));
    let too_many = office
        .gql(Some(&office.editor), PAGE, json!({ "first": 101 }))
        .await;
    assert_eq!(too_many.error_code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn filters_narrow_the_list_and_its_total() {
    let office = Office::open().await;
    let translated = office.paper_in("REVIEW").await;
    let draft = office.draft().await;
    let mut english = russian_draft("English original");
    english["originalLanguage"] = json!("en");
    english["contributors"] =
        json!([{ "name": "Sergey Ryabkov", "affiliation": "Russian Foreign Ministry" }]);
    let english = office.create_paper(&office.author, english).await;

    let cases = [
        (json!({ "withTextIn": "en" }), vec![&translated, &english]),
        (json!({ "withoutTextIn": "en" }), vec![&draft]),
        (json!({ "originalLanguage": "en" }), vec![&english]),
        (json!({ "contributor": "ryabkov" }), vec![&english]),
        (
            json!({ "stages": ["DRAFT"], "originalLanguage": "ru" }),
            vec![&draft],
        ),
        (
            json!({ "created": { "to": "2000-01-01T00:00:00Z" } }),
            vec![],
        ),
        (
            json!({ "published": { "from": "2000-01-01T00:00:00Z" } }),
            vec![],
        ),
    ];
    for (filter, expected) in cases {
        let response = office
            .gql(Some(&office.editor), PAGE, json!({ "filter": filter }))
            .await
            .ok();
        let page = &response.data()["papers"];
        let got: HashSet<String> = ids(page).into_iter().collect();
        let want: HashSet<String> = expected.into_iter().cloned().collect();
        assert_eq!(got, want, "{filter}");
        assert_eq!(page["totalCount"], json!(want.len()), "{filter}");
    }
}

#[tokio::test]
async fn translation_tasks_page_both_ways_by_keyset() {
    let office = Office::open().await;
    let mut created = Vec::new();
    for _ in 0..5 {
        let paper = office.draft().await;
        office
            .moved(&office.author, &paper, "SUBMITTED", None)
            .await;
        created.push(office.create_task(&paper, "en", "SUMMARY").await);
    }
    let page = "query($first: Int, $after: String, $last: Int, $before: String) {
        translationTasks(first: $first, after: $after, last: $last, before: $before) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } }
        } }";
    for backward in [false, true] {
        let mut seen = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let variables = if backward {
                json!({ "last": 2, "before": cursor })
            } else {
                json!({ "first": 2, "after": cursor })
            };
            let response = office.gql(Some(&office.editor), page, variables).await.ok();
            let tasks = &response.data()["translationTasks"];
            assert_eq!(tasks["totalCount"], 5);
            let mut ids = ids(tasks);
            if backward {
                ids.reverse();
            }
            seen.extend(ids);
            let (more, next) = if backward {
                ("hasPreviousPage", "startCursor")
            } else {
                ("hasNextPage", "endCursor")
            };
            if tasks["pageInfo"][more] != json!(true) {
                break;
            }
            cursor = tasks["pageInfo"][next].clone();
        }
        if backward {
            seen.reverse();
        }
        assert_eq!(seen, created, "backward: {backward}");
    }
}
