//! Translation tasks through HTTP: every transition of the task table,
//! and the claim as a lease with a limit.

use chrono::Duration;
use imprint::domain::Role;
use serde_json::{Value, json};

use crate::helpers::Gql;
use crate::helpers::workflow::{Office, code, english_summary};

/// Runs `action` and asserts it is refused with `expected` and leaves the
/// task as it was; answers the response.
async fn refused(
    office: &Office,
    task: &str,
    action: impl Future<Output = Gql>,
    expected: &str,
) -> Gql {
    let before = office.task(task).await;
    let response = action.await;
    assert_eq!(code(&response), expected, "{}", response.body);
    assert_eq!(
        office.task(task).await,
        before,
        "the refused action changed the task"
    );
    response
}

#[tokio::test]
async fn a_claim_is_released_by_its_translator_or_taken_over_by_an_editor() {
    let office = Office::open().await;
    let (t1, editor) = (&office.translator, &office.editor);
    let t2 = office
        .person("second.translator@imprint.test", &[Role::Translator])
        .await;
    let (_, tasks) = office.paper_in_translation_with(&["en"]).await;
    let task = &tasks[0];

    let claimed = Office::task_from(office.try_claim(t1, task).await);
    assert_eq!(claimed["status"], "CLAIMED");
    assert_eq!(claimed["claimedBy"]["id"], t1.gid());
    assert!(claimed["leaseExpiresAt"].is_string());

    // Someone else cannot claim, release or submit it; the author cannot release it.
    refused(
        &office,
        task,
        office.try_claim(&t2, task),
        "ALREADY_CLAIMED",
    )
    .await;
    // A claimed task is no longer open work: to another translator it is not there.
    refused(
        &office,
        task,
        office.try_release(&t2, task, None),
        "NOT_FOUND",
    )
    .await;
    let stranger_submit = office.try_submit(&t2, task, english_summary("T"));
    refused(&office, task, stranger_submit, "NOT_FOUND").await;
    let author_release = office.try_release(&office.author, task, None);
    refused(&office, task, author_release, "FORBIDDEN").await;

    // The claimant gives it up.
    let released = Office::task_from(
        office
            .try_release(t1, task, Some("No time this week."))
            .await,
    );
    assert_eq!(released["status"], "OPEN");
    assert_eq!(released["claimedBy"], Value::Null);
    assert_eq!(
        office.last_task_event(task).await,
        json!({ "from": "CLAIMED", "to": "OPEN", "actor": { "id": t1.gid() }, "note": "No time this week." })
    );

    // Another translator claims it; the editor takes it away.
    Office::task_from(office.try_claim(&t2, task).await);
    let taken = Office::task_from(office.try_release(editor, task, Some("Reassigned.")).await);
    assert_eq!(taken["status"], "OPEN");
    assert_eq!(taken["claimedBy"], Value::Null);
    assert_eq!(
        office.last_task_event(task).await,
        json!({ "from": "CLAIMED", "to": "OPEN", "actor": { "id": editor.gid() }, "note": "Reassigned." })
    );

    // Releasing an open task is not a thing.
    refused(
        &office,
        task,
        office.try_release(editor, task, None),
        "INVALID_TRANSITION",
    )
    .await;
    let events: Vec<_> = office.task(task).await["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(events, ["OPEN", "CLAIMED", "OPEN", "CLAIMED", "OPEN"]);
}

#[tokio::test]
async fn a_submission_is_sent_back_with_a_note_then_accepted_as_the_papers_text() {
    let office = Office::open().await;
    let (translator, editor) = (&office.translator, &office.editor);
    let (paper, tasks) = office.paper_in_translation_with(&["en"]).await;
    let task = &tasks[0];
    Office::task_from(office.try_claim(translator, task).await);

    // A SUMMARY needs a summary and its key findings.
    let no_findings = json!({ "title": "T", "abstract": "A summary." });
    refused(
        &office,
        task,
        office.try_submit(translator, task, no_findings),
        "BAD_USER_INPUT",
    )
    .await;
    let no_summary = json!({ "title": "T", "keyFindings": ["One."] });
    refused(
        &office,
        task,
        office.try_submit(translator, task, no_summary),
        "BAD_USER_INPUT",
    )
    .await;
    // Only the claimant submits; the editor cannot.
    let by_editor = office.try_submit(editor, task, english_summary("T"));
    refused(&office, task, by_editor, "FORBIDDEN").await;

    let first = english_summary("A first English title");
    let submitted = Office::task_from(office.try_submit(translator, task, first).await);
    assert_eq!(submitted["status"], "SUBMITTED");
    assert_eq!(submitted["submission"]["title"], "A first English title");
    assert_eq!(submitted["submission"]["sourceRevision"], 1);

    // Only editors accept or reject, and a rejection needs a note.
    refused(
        &office,
        task,
        office.try_accept(translator, task),
        "FORBIDDEN",
    )
    .await;
    refused(
        &office,
        task,
        office.try_reject(translator, task, "No."),
        "FORBIDDEN",
    )
    .await;
    refused(
        &office,
        task,
        office.try_reject(editor, task, "   "),
        "BAD_USER_INPUT",
    )
    .await;

    let rejected = Office::task_from(
        office
            .try_reject(editor, task, "Use the series' house style.")
            .await,
    );
    assert_eq!(rejected["status"], "CLAIMED");
    assert_eq!(rejected["claimedBy"]["id"], translator.gid());
    assert_eq!(rejected["note"], "Use the series' house style.");
    assert_eq!(
        office.last_task_event(task).await,
        json!({ "from": "SUBMITTED", "to": "CLAIMED", "actor": { "id": editor.gid() }, "note": "Use the series' house style." })
    );
    refused(
        &office,
        task,
        office.try_accept(editor, task),
        "INVALID_TRANSITION",
    )
    .await;

    let second = json!({
        "title": "The English Title",
        "abstract": "The English summary.",
        "keyFindings": ["First.", "Second.", "Third."],
    });
    Office::task_from(office.try_submit(translator, task, second).await);
    let accepted = Office::task_from(office.try_accept(editor, task).await);
    assert_eq!(accepted["status"], "ACCEPTED");

    let text = office
        .gql(
            Some(editor),
            "query($id: ID!) { paper(id: $id) { text(language: \"en\") { kind title abstract keyFindings body stale translator { id } } } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    assert_eq!(
        text.data()["paper"]["text"],
        json!({
            "kind": "SUMMARY",
            "title": "The English Title",
            "abstract": "The English summary.",
            "keyFindings": ["First.", "Second.", "Third."],
            "body": null,
            "stale": false,
            "translator": { "id": translator.gid() },
        })
    );

    // A finished task cannot be accepted again, sent back, cancelled or claimed.
    refused(
        &office,
        task,
        office.try_accept(editor, task),
        "INVALID_TRANSITION",
    )
    .await;
    refused(
        &office,
        task,
        office.try_reject(editor, task, "Late."),
        "INVALID_TRANSITION",
    )
    .await;
    refused(
        &office,
        task,
        office.try_cancel(editor, task, None),
        "INVALID_TRANSITION",
    )
    .await;
    refused(
        &office,
        task,
        office.try_claim(translator, task),
        "INVALID_TRANSITION",
    )
    .await;
}

#[tokio::test]
async fn every_task_action_needs_a_login() {
    let office = Office::open().await;
    let (_, tasks) = office.paper_in_translation_with(&["en"]).await;
    let task = &tasks[0];
    let actions = [
        ("claimTranslationTask", "", "", json!({})),
        ("releaseTranslationTask", "", "", json!({})),
        ("acceptTranslation", "", "", json!({})),
        ("cancelTranslationTask", "", "", json!({})),
        (
            "rejectTranslation",
            ", $note: String!",
            ", note: $note",
            json!({ "note": "No." }),
        ),
        (
            "submitTranslation",
            ", $input: TranslationInput!",
            ", input: $input",
            json!({ "input": english_summary("T") }),
        ),
    ];
    for (mutation, params, args, variables) in actions {
        let anonymous = office.try_task(None, mutation, task, params, args, variables);
        refused(&office, task, anonymous, "UNAUTHENTICATED").await;
    }
}

#[tokio::test]
async fn an_editor_cancels_open_claimed_and_submitted_tasks_but_nobody_else_can() {
    let office = Office::open().await;
    let (translator, editor) = (&office.translator, &office.editor);
    let (paper, tasks) = office.paper_in_translation_with(&["en", "de", "fr"]).await;
    let (open, claimed, submitted) = (&tasks[0], &tasks[1], &tasks[2]);
    Office::task_from(office.try_claim(translator, claimed).await);
    Office::task_from(office.try_claim(translator, submitted).await);
    Office::task_from(
        office
            .try_submit(translator, submitted, english_summary("T"))
            .await,
    );

    for task in [open, claimed, submitted] {
        refused(
            &office,
            task,
            office.try_cancel(translator, task, None),
            "FORBIDDEN",
        )
        .await;
        // To an author of other papers the task is not there at all.
        let stranger = office.try_cancel(&office.other_author, task, None);
        refused(&office, task, stranger, "NOT_FOUND").await;
        let before = office.task(task).await["status"].clone();
        let cancelled =
            Office::task_from(office.try_cancel(editor, task, Some("Not needed.")).await);
        assert_eq!(cancelled["status"], "CANCELLED");
        assert_eq!(
            office.last_task_event(task).await,
            json!({ "from": before, "to": "CANCELLED", "actor": { "id": editor.gid() }, "note": "Not needed." })
        );
        refused(
            &office,
            task,
            office.try_cancel(editor, task, None),
            "INVALID_TRANSITION",
        )
        .await;
    }

    // With every task cancelled there is nothing to move on with.
    let refused_move = office.try_move(Some(editor), &paper, "REVIEW", None).await;
    assert_eq!(code(&refused_move), "INVALID_TRANSITION");
    assert!(refused_move.error_message().contains("no translation task"));
}

#[tokio::test]
async fn tasks_are_claimed_only_while_the_paper_is_in_translation() {
    let office = Office::open().await;
    let editor_translator = office
        .person(
            "editor.translator@imprint.test",
            &[Role::Editor, Role::Translator],
        )
        .await;
    let paper = office.paper_in("SUBMITTED").await;
    let task = office.create_task(&paper, "en", "SUMMARY").await;

    // A translator does not see work that is not open yet.
    refused(
        &office,
        &task,
        office.try_claim(&office.translator, &task),
        "NOT_FOUND",
    )
    .await;
    // One who sees it is told why not.
    let response = office.try_claim(&editor_translator, &task);
    let response = refused(&office, &task, response, "INVALID_TRANSITION").await;
    assert!(response.error_message().contains("TRANSLATION"));

    office
        .moved(&office.editor, &paper, "TRANSLATION", None)
        .await;
    let claimed = Office::task_from(office.try_claim(&office.translator, &task).await);
    assert_eq!(claimed["status"], "CLAIMED");

    // A task added during REVIEW waits until the paper goes back to TRANSLATION.
    Office::task_from(
        office
            .try_submit(&office.translator, &task, english_summary("T"))
            .await,
    );
    Office::task_from(office.try_accept(&office.editor, &task).await);
    office.moved(&office.editor, &paper, "REVIEW", None).await;
    let german = office.create_task(&paper, "de", "FULL").await;
    refused(
        &office,
        &german,
        office.try_claim(&editor_translator, &german),
        "INVALID_TRANSITION",
    )
    .await;
    office
        .moved(
            &office.editor,
            &paper,
            "TRANSLATION",
            Some("A German version is wanted."),
        )
        .await;
    Office::task_from(office.try_claim(&office.translator, &german).await);
}

#[tokio::test]
async fn a_translator_holds_at_most_three_claims_at_once() {
    let office = Office::open().await;
    let translator = &office.translator;
    let (_, tasks) = office
        .paper_in_translation_with(&["en", "de", "fr", "es"])
        .await;
    for task in &tasks[..3] {
        Office::task_from(office.try_claim(translator, task).await);
    }
    let fourth = office.try_claim(translator, &tasks[3]);
    let fourth = refused(&office, &tasks[3], fourth, "INVALID_TRANSITION").await;
    assert!(
        fourth.error_message().contains("3 claim"),
        "{}",
        fourth.body
    );

    // A submitted translation is no longer a claim held.
    Office::task_from(
        office
            .try_submit(translator, &tasks[0], english_summary("T"))
            .await,
    );
    let claimed = Office::task_from(office.try_claim(translator, &tasks[3]).await);
    assert_eq!(claimed["status"], "CLAIMED");

    // Another translator is not limited by the first one's claims.
    let other = office
        .person("other.translator@imprint.test", &[Role::Translator])
        .await;
    Office::task_from(office.try_release(translator, &tasks[3], None).await);
    Office::task_from(office.try_claim(&other, &tasks[3]).await);
}

#[tokio::test]
async fn a_claim_whose_lease_runs_out_is_open_again_for_others() {
    let office = Office::open().await;
    let (t1, clock) = (&office.translator, &office.app.state.clock);
    // Tokens are checked against the real time: log everyone in before the clock moves.
    let t2 = office.person("t2@imprint.test", &[Role::Translator]).await;
    let (_, tasks) = office.paper_in_translation_with(&["en"]).await;
    let task = &tasks[0];
    Office::task_from(office.try_claim(t1, task).await);

    clock.advance(Duration::hours(71));
    assert_eq!(office.task(task).await["status"], "CLAIMED");
    clock.advance(Duration::hours(2));

    let reopened = office.task(task).await;
    assert_eq!(reopened["status"], "OPEN");
    assert_eq!(reopened["claimedBy"], Value::Null);
    assert_eq!(reopened["leaseExpiresAt"], Value::Null);
    let expiry = office.last_task_event(task).await;
    assert_eq!(
        (&expiry["from"], &expiry["to"]),
        (&json!("CLAIMED"), &json!("OPEN"))
    );
    assert_eq!(
        expiry["actor"],
        Value::Null,
        "the system, not a person, re-opened it"
    );
    assert!(expiry["note"].as_str().unwrap().contains("lease"));

    // Another translator sees it open and claims it; the first one has lost it.
    let open_work = office
        .gql(
            Some(&t2),
            "{ translationTasks(filter: { statuses: [OPEN] }) { totalCount nodes { id } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(
        open_work.data()["translationTasks"]["nodes"],
        json!([{ "id": task }])
    );
    let claimed = Office::task_from(office.try_claim(&t2, task).await);
    assert_eq!(claimed["claimedBy"]["id"], t2.gid());
    refused(
        &office,
        task,
        office.try_submit(t1, task, english_summary("Late")),
        "FORBIDDEN",
    )
    .await;

    // The expiry is recorded once, however often the task is read.
    office.task(task).await;
    let events: Vec<_> = office.task(task).await["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["to"].clone(), e["actor"]["id"].clone()))
        .collect();
    assert_eq!(
        events,
        vec![
            (json!("OPEN"), json!(office.editor.gid())),
            (json!("CLAIMED"), json!(t1.gid())),
            (json!("OPEN"), Value::Null),
            (json!("CLAIMED"), json!(t2.gid())),
        ]
    );
}
