//! What a move does besides changing the stage, and what an edit of the
//! original does to its translations: moving to DRAFT or ARCHIVED cancels
//! pending tasks, leaving REVIEW cancels requested reviews, entering it
//! starts a round that needs its own ACCEPT, and an edited original makes
//! translations stale until an editor confirms or replaces them.

use imprint::domain::Role;
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, Person, code, english_summary};

/// The statuses of the paper's tasks and reviews, as the editor sees them.
async fn statuses(office: &Office, paper: &str) -> (Vec<Value>, Vec<Value>) {
    let snapshot = office.snapshot(paper).await;
    let of = |list: &Value| -> Vec<Value> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|item| item["status"].clone())
            .collect()
    };
    (of(&snapshot["tasks"]), of(&snapshot["reviews"]))
}

#[tokio::test]
async fn moving_to_draft_or_archived_cancels_pending_tasks_and_leaving_review_cancels_requests() {
    let office = Office::open().await;
    let (translator, editor) = (&office.translator, &office.editor);

    // SUBMITTED → DRAFT: the open task is cancelled, with the move's note and actor.
    let paper = office.paper_in("SUBMITTED").await;
    let task = office.create_task(&paper, "en", "SUMMARY").await;
    office
        .moved(editor, &paper, "DRAFT", Some("Please shorten it."))
        .await;
    assert_eq!(
        office.last_task_event(&task).await,
        json!({ "from": "OPEN", "to": "CANCELLED", "actor": { "id": editor.gid() }, "note": "Please shorten it." })
    );

    // TRANSLATION → ARCHIVED: open, claimed and submitted are cancelled; accepted stays.
    let (paper, tasks) = office
        .paper_in_translation_with(&["en", "de", "fr", "es"])
        .await;
    Office::task_from(office.try_claim(translator, &tasks[1]).await);
    Office::task_from(office.try_claim(translator, &tasks[2]).await);
    Office::task_from(
        office
            .try_submit(translator, &tasks[2], english_summary("T"))
            .await,
    );
    office.translate(translator, &tasks[3]).await;
    office
        .moved(
            editor,
            &paper,
            "ARCHIVED",
            Some("Withdrawn by the institute."),
        )
        .await;
    assert_eq!(
        statuses(&office, &paper).await.0,
        ["CANCELLED", "CANCELLED", "CANCELLED", "ACCEPTED"]
    );
    // The cancelled claim no longer counts against the translator.
    let (_, more) = office.paper_in_translation_with(&["en", "de", "fr"]).await;
    for task in &more {
        Office::task_from(office.try_claim(translator, task).await);
    }
    for task in &more {
        Office::task_from(office.try_release(translator, task, None).await);
    }

    // REVIEW → TRANSLATION: the requested review is cancelled, the answered one stays.
    let paper = office.paper_in("REVIEW").await;
    let second = office
        .person("second.reviewer@imprint.test", &[Role::Reviewer])
        .await;
    let answered = office.request_review(&paper, &second).await;
    office.submit_review(&second, &answered, "REVISE").await;
    office
        .moved(editor, &paper, "TRANSLATION", Some("Redo the summary."))
        .await;
    assert_eq!(
        statuses(&office, &paper).await.1,
        ["CANCELLED", "SUBMITTED"]
    );
    let late = office
        .gql(
            Some(&office.reviewer),
            "mutation($id: ID!) { submitReview(id: $id, recommendation: ACCEPT, comments: \"Late.\") { status } }",
            json!({ "id": office.snapshot(&paper).await["reviews"][0]["id"] }),
        )
        .await;
    assert_eq!(code(&late), "INVALID_TRANSITION");

    // REVIEW → DRAFT: both at once — the review request and the task added in REVIEW.
    let paper = office.paper_in("REVIEW").await;
    office.create_task(&paper, "de", "FULL").await;
    office
        .moved(editor, &paper, "DRAFT", Some("Major revisions."))
        .await;
    assert_eq!(
        statuses(&office, &paper).await,
        (
            vec![json!("ACCEPTED"), json!("CANCELLED")],
            vec![json!("CANCELLED")]
        )
    );
}

/// `updatePaper` as the editor, changing the original's body.
async fn edit_original(office: &Office, paper: &str, body: &str) {
    let version = office.version(paper).await;
    office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!, $body: String) { updatePaper(id: $id, expectedVersion: $v, input: { body: $body }) { version } }",
            json!({ "id": paper, "v": version, "body": body }),
        )
        .await
        .ok();
}

async fn english_is_stale(office: &Office, paper: &str) -> bool {
    let texts = office.snapshot(paper).await["texts"].clone();
    let english = texts
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["language"] == "en")
        .unwrap()
        .clone();
    english["stale"].as_bool().unwrap()
}

/// Asserts that moving to `to` is refused because a translation is stale.
async fn refused_as_stale(office: &Office, paper: &str, to: &str) {
    let before = office.snapshot(paper).await;
    let response = office.try_move(Some(&office.editor), paper, to, None).await;
    assert_eq!(code(&response), "INVALID_TRANSITION", "{}", response.body);
    assert!(
        response.error_message().contains("stale"),
        "{}",
        response.body
    );
    assert_eq!(office.snapshot(paper).await, before);
}

#[tokio::test]
async fn an_edited_original_makes_accepted_translations_stale_until_an_editor_confirms_them() {
    let office = Office::open().await;
    let (translator, editor) = (&office.translator, &office.editor);
    let (paper, tasks) = office.paper_in_translation_with(&["en"]).await;
    let task = &tasks[0];
    office.translate(translator, task).await;
    assert!(!english_is_stale(&office, &paper).await);

    // Changing only the credits or the link leaves the translation as it was.
    let version = office.version(&paper).await;
    office
        .gql(
            Some(editor),
            "mutation($id: ID!, $v: Int!) { updatePaper(id: $id, expectedVersion: $v, input: { originalUrl: \"https://example.org/ru/1\" }) { version } }",
            json!({ "id": paper, "v": version }),
        )
        .await
        .ok();
    assert!(!english_is_stale(&office, &paper).await);

    // TRANSLATION → REVIEW: the edited original holds the English summary back.
    edit_original(&office, &paper, "Исправленный текст доклада.").await;
    assert!(english_is_stale(&office, &paper).await);
    refused_as_stale(&office, &paper, "REVIEW").await;
    let confirmed = Office::task_from(office.try_accept(editor, task).await);
    assert_eq!(confirmed["status"], "ACCEPTED");
    assert_eq!(
        office.last_task_event(task).await["actor"]["id"],
        json!(editor.gid())
    );
    assert!(!english_is_stale(&office, &paper).await);
    office.moved(editor, &paper, "REVIEW", None).await;

    // REVIEW → PUBLISHED: the same, with an ACCEPT review in hand.
    let review = office.request_review(&paper, &office.reviewer).await;
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    edit_original(&office, &paper, "Ещё раз исправленный текст.").await;
    assert!(english_is_stale(&office, &paper).await);
    refused_as_stale(&office, &paper, "PUBLISHED").await;
    Office::task_from(office.try_accept(editor, task).await);
    assert!(!english_is_stale(&office, &paper).await);
    office.moved(editor, &paper, "PUBLISHED", None).await;
}

#[tokio::test]
async fn a_translation_submitted_before_the_original_changed_is_stale_once_accepted() {
    let office = Office::open().await;
    let translator: &Person = &office.translator;
    let (paper, tasks) = office.paper_in_translation_with(&["en"]).await;
    let task = &tasks[0];
    Office::task_from(office.try_claim(translator, task).await);
    Office::task_from(
        office
            .try_submit(translator, task, english_summary("T"))
            .await,
    );
    edit_original(&office, &paper, "Новая редакция.").await;
    Office::task_from(office.try_accept(&office.editor, task).await);
    assert!(english_is_stale(&office, &paper).await);
    refused_as_stale(&office, &paper, "REVIEW").await;
}

#[tokio::test]
async fn a_new_task_for_the_language_replaces_a_stale_translation() {
    let office = Office::open().await;
    let (translator, editor) = (&office.translator, &office.editor);
    let (paper, tasks) = office.paper_in_translation_with(&["en"]).await;
    office.translate(translator, &tasks[0]).await;
    edit_original(&office, &paper, "Переработанный доклад.").await;
    assert!(english_is_stale(&office, &paper).await);

    let again = office.create_task(&paper, "en", "SUMMARY").await;
    office.translate(translator, &again).await;
    assert!(!english_is_stale(&office, &paper).await);
    office.moved(editor, &paper, "REVIEW", None).await;
}

#[tokio::test]
async fn a_new_review_round_needs_a_new_accept() {
    let office = Office::open().await;
    let editor = &office.editor;
    let paper = office.paper_in("REVIEW").await;
    let first = office.snapshot(&paper).await["reviews"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    office
        .submit_review(&office.reviewer, &first, "ACCEPT")
        .await;
    office
        .moved(editor, &paper, "TRANSLATION", Some("Tighten the summary."))
        .await;
    let second_round = office.moved(editor, &paper, "REVIEW", None).await;
    assert_eq!(second_round["reviewRound"], 2);

    // Round 1's ACCEPT does not carry over.
    let before = office.snapshot(&paper).await;
    let refused = office
        .try_move(Some(editor), &paper, "PUBLISHED", None)
        .await;
    assert_eq!(code(&refused), "INVALID_TRANSITION");
    assert!(refused.error_message().contains("recommends ACCEPT"));
    assert_eq!(office.snapshot(&paper).await, before);

    let second = office.request_review(&paper, &office.reviewer).await;
    office
        .submit_review(&office.reviewer, &second, "ACCEPT")
        .await;
    office.moved(editor, &paper, "PUBLISHED", None).await;
    let rounds: Vec<_> = office.snapshot(&paper).await["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["round"].clone())
        .collect();
    assert_eq!(rounds, [json!(1), json!(2)]);
}
