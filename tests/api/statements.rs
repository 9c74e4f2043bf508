//! Nested lists load with their page: a page of papers with every nested
//! list costs the same few statements whatever its size and however its
//! fields are scheduled.

use serde_json::json;

use crate::helpers::workflow::{Office, english_summary, russian_draft};

const PAGE: &str = "query($first: Int) { papers(first: $first) { totalCount edges { node {
    id series { title } contributors { name user { displayName } }
    texts { language title keyFindings }
    tasks { status claimedBy { displayName } events { to } }
    reviews { status } history { to actor { displayName } }
    availableTransitions { to allowed }
} } } }";

async fn statements_for(office: &Office, first: usize) -> u64 {
    let before = office.app.state.statements.get();
    let response = office
        .gql(Some(&office.editor), PAGE, json!({ "first": first }))
        .await
        .ok();
    let after = office.app.state.statements.get();
    let edges = response.data()["papers"]["edges"].as_array().unwrap().len();
    assert_eq!(edges, first);
    after - before
}

/// Fifty papers in a series, each credited to two contributors (one of
/// them a user), every fifth with a task; the newest is among those.
async fn office_with_fifty_papers() -> Office {
    let office = Office::open().await;
    let series = office
        .gql(
            Some(&office.editor),
            "mutation { createSeries(slug: \"s\", title: \"Series\") { id } }",
            json!({}),
        )
        .await
        .ok();
    let series = series.data()["createSeries"]["id"].clone();
    for n in 0..50 {
        let mut input = russian_draft(&format!("Доклад {n}"));
        input["seriesId"] = series.clone();
        input["contributors"] = json!([
            { "name": "Sergey Ryabkov", "userId": office.author.gid() },
            { "name": "Second Author" },
        ]);
        let paper = office.create_paper(&office.author, input).await;
        if n % 5 == 4 {
            office
                .moved(&office.author, &paper, "SUBMITTED", None)
                .await;
            office.create_task(&paper, "en", "SUMMARY").await;
        }
    }
    // The first page reads the (never changing) series once.
    statements_for(&office, 1).await;
    office
}

/// The viewer, the page with all its nested lists, its count, the tasks'
/// logs, and every user the rows name.
const PAGE_STATEMENTS: u64 = 5;

#[tokio::test]
async fn a_page_of_papers_costs_a_fixed_number_of_statements_whatever_its_size() {
    let office = office_with_fifty_papers().await;
    for first in [1, 5, 50] {
        assert_eq!(
            statements_for(&office, first).await,
            PAGE_STATEMENTS,
            "statements for a page of {first}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_asked_for_at_once_cost_the_same_statements_each() {
    // The loader's batches depend on timing (what arrives within its
    // window, shared by every request); a page reads ahead what its fields
    // need instead, so a burst of requests costs exactly its sum.
    let office = office_with_fifty_papers().await;
    const AT_ONCE: u64 = 12;
    for _ in 0..3 {
        let before = office.app.state.statements.get();
        let responses = futures_util::future::join_all((0..AT_ONCE).map(|n| {
            let first = [1, 7, 50][n as usize % 3];
            office.gql(Some(&office.editor), PAGE, json!({ "first": first }))
        }))
        .await;
        let statements = office.app.state.statements.get() - before;
        for response in responses {
            response.ok();
        }
        assert_eq!(statements, PAGE_STATEMENTS * AT_ONCE);
    }
}

/// The editor's dashboard: stage counts per series and the 50 most recently
/// updated papers with contributors, texts and tasks.
const DASHBOARD: &str = "{
    publicationStatus { papersByStage { stage papers } series { series { slug } papersByStage { stage papers } } }
    papers(first: 50) { edges { node { id slug stage contributors { name position affiliation } texts { language title } tasks { status targetLanguage } } } }
}";

/// An office with twelve series, each with a submitted paper and a task.
async fn office_with_a_dashboard() -> Office {
    let office = Office::open().await;
    for n in 0..12 {
        let slug = format!("series-{n}");
        let series = office
            .gql(
                Some(&office.editor),
                "mutation($slug: String!) { createSeries(slug: $slug, title: $slug) { id } }",
                json!({ "slug": slug }),
            )
            .await
            .ok();
        let mut input = russian_draft(&format!("Доклад {n}"));
        input["seriesId"] = series.data()["createSeries"]["id"].clone();
        let paper = office.create_paper(&office.author, input).await;
        office
            .moved(&office.author, &paper, "SUBMITTED", None)
            .await;
        office.create_task(&paper, "en", "SUMMARY").await;
    }
    // The first request reads the (never changing) series once.
    office
        .gql(Some(&office.editor), DASHBOARD, json!({}))
        .await
        .ok();
    office
}

/// The viewer, the stage counts, and the page with its contributors, texts
/// and tasks.
const DASHBOARD_STATEMENTS: u64 = 3;

#[tokio::test]
async fn the_dashboard_costs_three_statements() {
    let office = office_with_a_dashboard().await;
    for _ in 0..3 {
        let before = office.app.state.statements.get();
        office
            .gql(Some(&office.editor), DASHBOARD, json!({}))
            .await
            .ok();
        let statements = office.app.state.statements.get() - before;
        assert_eq!(statements, DASHBOARD_STATEMENTS);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dashboards_asked_for_at_once_cost_three_statements_each() {
    let office = office_with_a_dashboard().await;
    const AT_ONCE: u64 = 8;
    let before = office.app.state.statements.get();
    let responses = futures_util::future::join_all(
        (0..AT_ONCE).map(|_| office.gql(Some(&office.editor), DASHBOARD, json!({}))),
    )
    .await;
    let statements = office.app.state.statements.get() - before;
    for response in responses {
        let edges = response.ok().data()["papers"]["edges"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(edges, 12);
    }
    assert_eq!(statements, DASHBOARD_STATEMENTS * AT_ONCE);
}

/// What a page shows of texts, and what the same texts answer alone.
const PAGE_OF_TEXTS: &str =
    "{ papers(first: 10) { edges { node { id texts { language title } } } } }";
const PAGE_OF_CONTENT: &str = "{ papers(first: 10) { edges { node { id ...content } } } }
    fragment content on Paper { texts { language title abstract keyFindings body } }";
const PAGE_OF_TRANSITIONS: &str = "{ papers(first: 10) { edges { node { id
    texts { title } availableTransitions { to allowed unmetGuards } } } } }";
const ONE_PAPER: &str = "query($id: ID!) { paper(id: $id) {
    texts { language title abstract keyFindings body }
    availableTransitions { to allowed unmetGuards } } }";

/// An editor's answer to `query`, and the statements it cost.
async fn page_and_cost(office: &Office, query: &str) -> (serde_json::Value, u64) {
    let before = office.app.state.statements.get();
    let page = office
        .gql(Some(&office.editor), query, json!({}))
        .await
        .ok();
    let statements = office.app.state.statements.get() - before;
    (page.data().clone(), statements)
}

#[tokio::test]
async fn a_page_reads_the_texts_content_only_when_asked_and_answers_it_whole() {
    let office = Office::open().await;
    let complete = office
        .create_paper(&office.author, russian_draft("Полный доклад"))
        .await;
    let mut bare = russian_draft("Доклад без текста");
    if let Some(input) = bare.as_object_mut() {
        input.remove("abstract");
        input.remove("body");
    }
    let incomplete = office.create_paper(&office.author, bare).await;

    let node = |page: &serde_json::Value, id: &str| {
        page["papers"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|edge| edge["node"]["id"] == id)
            .map(|edge| edge["node"].clone())
            .unwrap()
    };
    let (headings, headings_cost) = page_and_cost(&office, PAGE_OF_TEXTS).await;
    let (content, content_cost) = page_and_cost(&office, PAGE_OF_CONTENT).await;
    let (transitions, _) = page_and_cost(&office, PAGE_OF_TRANSITIONS).await;
    // Headings instead of whole rows: the same statements, fewer bytes.
    assert_eq!(headings_cost, content_cost);

    for id in [&complete, &incomplete] {
        let alone = office
            .gql(Some(&office.editor), ONE_PAPER, json!({ "id": id }))
            .await
            .ok();
        let alone = &alone.data()["paper"];
        assert_eq!(node(&content, id)["texts"], alone["texts"]);
        assert_eq!(
            node(&headings, id)["texts"][0]["title"],
            alone["texts"][0]["title"]
        );
        // The transitions' guards read the content the page did not show.
        assert_eq!(
            node(&transitions, id)["availableTransitions"],
            alone["availableTransitions"]
        );
    }
    let guards = |id: &str| node(&transitions, id)["availableTransitions"].to_string();
    assert_ne!(guards(&complete), guards(&incomplete));
    assert_eq!(
        node(&content, &complete)["texts"][0]["body"],
        "Полный текст доклада на русском языке."
    );
}

/// What a page shows of tasks, the same page with their submissions and
/// notes, and what the same tasks answer alone.
const PAGE_OF_TASKS: &str =
    "{ papers(first: 10) { edges { node { id tasks { id status targetLanguage } } } } }";
const PAGE_OF_SUBMISSIONS: &str = "{ papers(first: 10) { nodes { id ...submissions } } }
    fragment submissions on Paper { tasks { id status targetLanguage
        submission { title abstract keyFindings body sourceRevision } note } }";
const TASKS_OF_ONE_PAPER: &str = "query($id: ID!) { paper(id: $id) { tasks { id status
    targetLanguage submission { title abstract keyFindings body sourceRevision } note } } }";

#[tokio::test]
async fn a_page_reads_the_tasks_submissions_only_when_asked_and_answers_them_whole() {
    let office = Office::open().await;
    let (translator, editor) = (&office.translator, &office.editor);
    let (paper, tasks) = office.paper_in_translation_with(&["en", "de", "fr"]).await;
    let (submitted, rejected) = (&tasks[0], &tasks[1]);
    for task in [submitted, rejected] {
        Office::task_from(office.try_claim(translator, task).await);
        let summary = english_summary(&format!("Summary for {task}"));
        Office::task_from(office.try_submit(translator, task, summary).await);
    }
    Office::task_from(office.try_reject(editor, rejected, "Too literal.").await);

    let tasks_of = |page: &serde_json::Value| {
        let papers = page["papers"]["edges"]
            .as_array()
            .map(|edges| edges.iter().map(|edge| &edge["node"]).collect::<Vec<_>>())
            .or_else(|| {
                page["papers"]["nodes"]
                    .as_array()
                    .map(|n| n.iter().collect())
            })
            .unwrap();
        let node = papers.into_iter().find(|node| node["id"] == paper.as_str());
        node.unwrap()["tasks"].clone()
    };
    let (headings, headings_cost) = page_and_cost(&office, PAGE_OF_TASKS).await;
    let (whole, whole_cost) = page_and_cost(&office, PAGE_OF_SUBMISSIONS).await;
    // Headings instead of whole rows: the same statements, fewer bytes.
    assert_eq!(headings_cost, whole_cost);

    let alone = office
        .gql(Some(editor), TASKS_OF_ONE_PAPER, json!({ "id": paper }))
        .await
        .ok();
    let alone = alone.data()["paper"]["tasks"].clone();
    assert_eq!(tasks_of(&whole), alone);
    let heading = |task: &serde_json::Value| json!({ "id": task["id"], "status": task["status"], "targetLanguage": task["targetLanguage"] });
    let alone_headings: Vec<_> = alone.as_array().unwrap().iter().map(heading).collect();
    assert_eq!(tasks_of(&headings), json!(alone_headings));

    let by_id = |id: &str| {
        alone
            .as_array()
            .unwrap()
            .iter()
            .find(|task| task["id"] == id)
            .cloned()
            .unwrap()
    };
    let submission = by_id(submitted)["submission"].clone();
    assert_eq!(submission["title"], format!("Summary for {submitted}"));
    assert_eq!(submission["keyFindings"][1], "The second finding.");
    assert_eq!(by_id(rejected)["note"], "Too literal.");
    assert_eq!(by_id(&tasks[2])["submission"], serde_json::Value::Null);
}
