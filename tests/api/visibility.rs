//! Who sees what, probed wherever a paper can be reached: by id, by slug,
//! in lists and their counts, through a series, through a task. A paper the
//! viewer may not see answers exactly like one that does not exist.

use imprint::domain::Role;
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, Person, STAGES, code, russian_draft};

/// The data of a query that must succeed, as `who`.
async fn see(office: &Office, who: Option<&Person>, query: &str, variables: Value) -> Value {
    office.gql(who, query, variables).await.ok().data().clone()
}

const BY_ID: &str = "query($id: ID!) { paper(id: $id) { id } }";
const BY_SLUG: &str = "query($slug: String!) { paper(slug: $slug) { id } }";
const TASK_BY_ID: &str = "query($id: ID!) { translationTask(id: $id) { id paper { id } } }";

/// Asserts that `who` gets for `id` exactly what they get for an id that
/// names nothing: NOT_FOUND, with the same message.
async fn as_if_missing(office: &Office, who: Option<&Person>, query: &str, variables: Value) {
    let probe = office.gql(who, query, variables.clone()).await;
    let (key, value) = variables.as_object().unwrap().iter().next().unwrap();
    let nothing = json!({ key.as_str(): if value.as_str().unwrap().parse::<i64>().is_ok() { "999999" } else { "no-such-slug" } });
    let missing = office.gql(who, query, nothing).await;
    assert_eq!(code(&probe), "NOT_FOUND", "{query} {variables}");
    assert_eq!(
        probe.body, missing.body,
        "{query} {variables}: tells hidden from missing"
    );
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|node| node["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_author_cannot_reach_another_authors_papers_by_any_path() {
    let office = Office::open().await;
    let (author, other) = (&office.author, &office.other_author);
    let series = see(
        &office,
        Some(&office.editor),
        "mutation { createSeries(slug: \"security-index\", title: \"Security Index\") { id } }",
        json!({}),
    )
    .await["createSeries"]["id"]
        .clone();
    let mut input = russian_draft("Черновик в серии");
    input["seriesId"] = series.clone();
    input["slug"] = json!("a-draft-in-the-series");
    let draft = office.create_paper(author, input).await;
    let submitted = office.paper_in("SUBMITTED").await;
    let task = office.create_task(&submitted, "en", "SUMMARY").await;
    let own = office
        .create_paper(other, russian_draft("Свой черновик"))
        .await;

    // Directly, by id or slug, and through mutations: as if it did not exist.
    for paper in [&draft, &submitted] {
        as_if_missing(&office, Some(other), BY_ID, json!({ "id": paper })).await;
        let moved = office.try_move(Some(other), paper, "ARCHIVED", None).await;
        assert_eq!(code(&moved), "NOT_FOUND");
        let edit = office
            .gql(
                Some(other),
                "mutation($id: ID!) { updatePaper(id: $id, expectedVersion: 1, input: { title: \"Mine\" }) { id } }",
                json!({ "id": paper }),
            )
            .await;
        assert_eq!(code(&edit), "NOT_FOUND");
    }
    as_if_missing(
        &office,
        Some(other),
        BY_SLUG,
        json!({ "slug": "a-draft-in-the-series" }),
    )
    .await;
    as_if_missing(&office, Some(other), TASK_BY_ID, json!({ "id": task })).await;

    // In lists, counts, the series and the task list: absent and uncounted.
    let lists = "query($series: ID!) {
        papers { totalCount nodes { id } }
        drafts: papers(filter: { stages: [DRAFT, SUBMITTED] }) { totalCount }
        inSeries: papers(filter: { seriesId: $series }) { totalCount }
        series(slug: \"security-index\") { papers { totalCount nodes { id } } }
        allSeries { papers { totalCount } }
        translationTasks { totalCount nodes { id paper { id } } }
    }";
    let variables = json!({ "series": series });
    let seen = see(&office, Some(other), lists, variables.clone()).await;
    assert_eq!(ids(&seen["papers"]["nodes"]), [own.as_str()]);
    assert_eq!(seen["papers"]["totalCount"], 1);
    assert_eq!(seen["drafts"]["totalCount"], 1);
    assert_eq!(seen["inSeries"]["totalCount"], 0);
    assert_eq!(
        seen["series"]["papers"],
        json!({ "totalCount": 0, "nodes": [] })
    );
    assert_eq!(
        seen["allSeries"],
        json!([{ "papers": { "totalCount": 0 } }])
    );
    assert_eq!(
        seen["translationTasks"],
        json!({ "totalCount": 0, "nodes": [] })
    );

    // Its own author reaches all of it, the task's paper included.
    let seen = see(&office, Some(author), lists, variables.clone()).await;
    assert_eq!(seen["papers"]["totalCount"], 2);
    assert_eq!(seen["inSeries"]["totalCount"], 1);
    assert_eq!(ids(&seen["series"]["papers"]["nodes"]), [draft.as_str()]);
    assert_eq!(
        seen["translationTasks"],
        json!({ "totalCount": 1, "nodes": [{ "id": task, "paper": { "id": submitted } }] })
    );
    let seen = see(&office, Some(&office.editor), lists, variables).await;
    assert_eq!(seen["papers"]["totalCount"], 3);

    // A linked contributor is an owning author even of a paper an editor created.
    let mut linked = russian_draft("Статья с соавтором");
    linked["contributors"] = json!([{ "name": "Другой автор", "userId": other.gid() }]);
    let linked = office.create_paper(&office.editor, linked).await;
    let seen = see(
        &office,
        Some(other),
        "query($id: ID!) { paper(id: $id) { history { to } } papers { totalCount } }",
        json!({ "id": linked }),
    )
    .await;
    assert_eq!(seen["paper"]["history"], json!([{ "to": "DRAFT" }]));
    assert_eq!(seen["papers"]["totalCount"], 2);
    office.moved(other, &linked, "SUBMITTED", None).await;
}

const PAPER_PARTS: &str = "id
    texts { language kind }
    tasks { id targetLanguage status claimedBy { id } events { to } }
    reviews { id }
    history { to }
    availableTransitions { to }";

#[tokio::test]
async fn a_translator_sees_the_source_text_and_open_task_but_no_reviews_or_history() {
    let office = Office::open().await;
    let editor = &office.editor;
    let newcomer = office
        .person("newcomer@imprint.test", &[Role::Translator])
        .await;
    let latecomer = office
        .person("latecomer@imprint.test", &[Role::Translator])
        .await;

    // A paper with an accepted English summary, a review and a history goes
    // back to TRANSLATION for a German version.
    let paper = office.paper_in("REVIEW").await;
    let english = office.snapshot(&paper).await["tasks"][0]["id"].clone();
    let review = office.snapshot(&paper).await["reviews"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    office
        .submit_review(&office.reviewer, &review, "REVISE")
        .await;
    office
        .moved(
            editor,
            &paper,
            "TRANSLATION",
            Some("A German version is needed."),
        )
        .await;
    let german = office.create_task(&paper, "de", "FULL").await;

    // The newcomer sees the Russian source and the open German task, nothing more.
    let query = format!(
        "query($id: ID!, $task: ID!) {{
            paper(id: $id) {{ {PAPER_PARTS} }}
            translationTask(id: $task) {{ paper {{ {PAPER_PARTS} }} }}
            papers {{ totalCount }}
        }}"
    );
    let variables = json!({ "id": paper, "task": german });
    let seen = see(&office, Some(&newcomer), &query, variables.clone()).await;
    let expected = json!({
        "id": paper,
        "texts": [{ "language": "ru", "kind": "ORIGINAL" }],
        "tasks": [{ "id": german, "targetLanguage": "de", "status": "OPEN", "claimedBy": null, "events": [] }],
        "reviews": [],
        "history": [],
        "availableTransitions": [],
    });
    assert_eq!(seen["paper"], expected);
    assert_eq!(
        seen["translationTask"]["paper"], expected,
        "through the task"
    );
    assert_eq!(seen["papers"]["totalCount"], 1);
    as_if_missing(
        &office,
        Some(&newcomer),
        TASK_BY_ID,
        json!({ "id": english }),
    )
    .await;

    // The editor sees what was hidden from the translator.
    let full = see(&office, Some(editor), &query, variables).await;
    assert_eq!(full["paper"]["texts"].as_array().unwrap().len(), 2);
    assert_eq!(full["paper"]["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(full["paper"]["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(full["paper"]["history"].as_array().unwrap().len(), 5);

    // Once the newcomer claims the only open task, others no longer see the paper.
    Office::task_from(office.try_claim(&newcomer, &german).await);
    as_if_missing(&office, Some(&latecomer), BY_ID, json!({ "id": paper })).await;
    let latecomer_list = see(
        &office,
        Some(&latecomer),
        "{ papers { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(latecomer_list["papers"]["totalCount"], 0);
    let holder = see(
        &office,
        Some(&newcomer),
        &query,
        json!({ "id": paper, "task": german }),
    )
    .await;
    assert_eq!(
        holder["paper"]["tasks"][0]["claimedBy"]["id"],
        json!(newcomer.gid())
    );
    assert_eq!(holder["paper"]["reviews"], json!([]));
    assert_eq!(holder["paper"]["history"], json!([]));
}

#[tokio::test]
async fn a_reviewer_sees_only_their_own_review_among_several() {
    let office = Office::open().await;
    let first = &office.reviewer;
    let second = office
        .person("second.reviewer@imprint.test", &[Role::Reviewer])
        .await;
    let third = office
        .person("third.reviewer@imprint.test", &[Role::Reviewer])
        .await;
    let unasked = office
        .person("unasked@imprint.test", &[Role::Reviewer])
        .await;
    let paper = office.paper_in("REVIEW").await;
    let first_review = office.snapshot(&paper).await["reviews"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let second_review = office.request_review(&paper, &second).await;
    let third_review = office.request_review(&paper, &third).await;
    office
        .submit_review(&second, &second_review, "ACCEPT")
        .await;
    let declined = office
        .gql(
            Some(&third),
            "mutation($id: ID!) { declineReview(id: $id, comments: \"No time.\") { status } }",
            json!({ "id": third_review }),
        )
        .await
        .ok();
    assert_eq!(declined.data()["declineReview"]["status"], "DECLINED");

    let query = "query($id: ID!) { paper(id: $id) {
        texts { language } tasks { id } history { to }
        reviews { id status recommendation reviewer { id } }
    } }";
    let variables = json!({ "id": paper });
    let seen = see(&office, Some(first), query, variables.clone()).await;
    assert_eq!(
        seen["paper"],
        json!({
            "texts": [{ "language": "ru" }, { "language": "en" }],
            "tasks": [],
            "history": [],
            "reviews": [{ "id": first_review, "status": "REQUESTED", "recommendation": null, "reviewer": { "id": first.gid() } }],
        })
    );
    let seen = see(&office, Some(&second), query, variables.clone()).await;
    assert_eq!(
        seen["paper"]["reviews"],
        json!([{ "id": second_review, "status": "SUBMITTED", "recommendation": "ACCEPT", "reviewer": { "id": second.gid() } }])
    );
    as_if_missing(&office, Some(&unasked), BY_ID, json!({ "id": paper })).await;

    // Nor can a reviewer answer someone else's review.
    let theirs = office
        .gql(
            Some(first),
            "mutation($id: ID!) { submitReview(id: $id, recommendation: REJECT, comments: \"Mine now.\") { id } }",
            json!({ "id": second_review }),
        )
        .await;
    assert_eq!(code(&theirs), "NOT_FOUND");

    // The author sees all three, blind; the editor sees who wrote each.
    let reviewers = |data: &Value| -> Vec<Value> {
        data["paper"]["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reviewer"].clone())
            .collect()
    };
    let by_author = see(&office, Some(&office.author), query, variables.clone()).await;
    assert_eq!(reviewers(&by_author), vec![Value::Null; 3]);
    let by_editor = see(&office, Some(&office.editor), query, variables).await;
    assert_eq!(
        reviewers(&by_editor),
        [first, &second, &third].map(|r| json!({ "id": r.gid() }))
    );
}

#[tokio::test]
async fn anonymous_readers_and_strangers_see_only_published_papers_and_no_workflow() {
    let office = Office::open().await;
    let mut papers = vec![];
    for stage in STAGES {
        papers.push((stage, office.paper_in(stage).await));
    }
    let published = &papers.iter().find(|(s, _)| *s == "PUBLISHED").unwrap().1;
    let some_task = office.snapshot(published).await["tasks"][0]["id"].clone();

    let lists = "{
        papers { totalCount nodes { id stage } }
        unpublished: papers(filter: { stages: [DRAFT, SUBMITTED, TRANSLATION, REVIEW, SCHEDULED, ARCHIVED] }) { totalCount }
        translationTasks { totalCount }
    }";
    for who in [None, Some(&office.other_author)] {
        let seen = see(&office, who, lists, json!({})).await;
        assert_eq!(
            seen["papers"],
            json!({ "totalCount": 1, "nodes": [{ "id": published, "stage": "PUBLISHED" }] })
        );
        assert_eq!(seen["unpublished"]["totalCount"], 0);
        assert_eq!(seen["translationTasks"]["totalCount"], 0);
        for (stage, paper) in &papers {
            if *stage != "PUBLISHED" {
                as_if_missing(&office, who, BY_ID, json!({ "id": paper })).await;
            }
        }
        as_if_missing(&office, who, TASK_BY_ID, json!({ "id": some_task })).await;

        let public = see(
            &office,
            who,
            &format!("query($id: ID!) {{ paper(id: $id) {{ {PAPER_PARTS} }} }}"),
            json!({ "id": published }),
        )
        .await;
        assert_eq!(
            public["paper"],
            json!({
                "id": published,
                "texts": [{ "language": "ru", "kind": "ORIGINAL" }, { "language": "en", "kind": "SUMMARY" }],
                "tasks": [], "reviews": [], "history": [], "availableTransitions": [],
            })
        );
    }
    let everything = see(&office, Some(&office.editor), lists, json!({})).await;
    assert_eq!(everything["papers"]["totalCount"], 7);
}

#[tokio::test]
async fn e_mail_addresses_are_shown_to_their_owner_and_editors_only() {
    let office = Office::open().await;
    let author = &office.author;
    let mut input = russian_draft("Доклад с подписью");
    input["contributors"] = json!([{ "name": "Автор", "userId": author.gid() }]);
    let paper = office.create_paper(author, input).await;
    office.moved(author, &paper, "SUBMITTED", None).await;
    let task = office.create_task(&paper, "en", "SUMMARY").await;
    office
        .moved(&office.editor, &paper, "TRANSLATION", None)
        .await;
    office.translate(&office.translator, &task).await;
    office.moved(&office.editor, &paper, "REVIEW", None).await;
    let review = office.request_review(&paper, &office.reviewer).await;
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    office
        .moved(&office.editor, &paper, "PUBLISHED", None)
        .await;

    let query = "query($id: ID!) { paper(id: $id) {
        contributors { user { id email } }
        english: text(language: \"en\") { translator { id email } }
        history { actor { id email } }
        reviews { reviewer { id email } }
        tasks { claimedBy { id email } }
    } }";
    let emails = |data: &Value| -> Vec<(String, Value)> {
        let mut found = vec![];
        collect_emails(&data["paper"], &mut found);
        found
    };
    let variables = json!({ "id": paper });
    let email_of = |p: &Person| -> String {
        [
            (&office.author, "author"),
            (&office.translator, "translator"),
            (&office.reviewer, "reviewer"),
            (&office.editor, "editor"),
        ]
        .iter()
        .find(|(who, _)| who.id == p.id)
        .map(|(_, name)| format!("{name}@imprint.test"))
        .unwrap()
    };

    // Editors see every address.
    for (id, email) in emails(&see(&office, Some(&office.editor), query, variables.clone()).await) {
        assert!(
            email.is_string(),
            "the editor does not see user {id}'s e-mail"
        );
    }
    // Everyone else sees their own address only.
    let viewers = [
        (None, None),
        (Some(&office.other_author), None),
        (Some(author), Some(author)),
        (Some(&office.translator), Some(&office.translator)),
        (Some(&office.reviewer), Some(&office.reviewer)),
    ];
    for (who, own) in viewers {
        let found = emails(&see(&office, who, query, variables.clone()).await);
        assert!(!found.is_empty());
        for (id, email) in found {
            match own {
                Some(me) if me.gid() == id => assert_eq!(email, json!(email_of(me))),
                _ => assert_eq!(email, Value::Null, "{who:?} sees user {id}'s e-mail"),
            }
        }
    }
}

/// Every `{ id, email }` user object under `value`, as (id, email).
fn collect_emails(value: &Value, found: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(object) if object.contains_key("email") => {
            found.push((
                object["id"].as_str().unwrap().to_owned(),
                object["email"].clone(),
            ));
        }
        Value::Object(object) => object.values().for_each(|v| collect_emails(v, found)),
        Value::Array(items) => items.iter().for_each(|v| collect_emails(v, found)),
        _ => {}
    }
}
