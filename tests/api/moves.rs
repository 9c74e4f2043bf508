//! `movePaper` for every stage and every kind of viewer: each refused move
//! answers the right code and changes nothing, and `availableTransitions`
//! promises exactly what `movePaper` then does.
//!
//! The expectations come from the stage table in DESIGN.md, written out
//! again here rather than taken from the code under test.

use serde_json::{Value, json};

use crate::helpers::workflow::{Office, Person, STAGES, code};

/// One row of the design's stage table.
struct Rule {
    from: &'static [&'static str],
    to: &'static str,
    editor_only: bool,
    note_required: bool,
}

const fn rule(
    from: &'static [&'static str],
    to: &'static str,
    editor_only: bool,
    note_required: bool,
) -> Rule {
    Rule {
        from,
        to,
        editor_only,
        note_required,
    }
}

const TABLE: &[Rule] = &[
    rule(&["DRAFT"], "SUBMITTED", false, false),
    rule(&["SUBMITTED"], "DRAFT", true, true),
    rule(&["SUBMITTED"], "TRANSLATION", true, false),
    rule(&["SUBMITTED"], "REVIEW", true, false),
    rule(&["TRANSLATION"], "REVIEW", true, false),
    rule(&["REVIEW"], "TRANSLATION", true, true),
    rule(&["REVIEW"], "DRAFT", true, true),
    rule(&["REVIEW"], "PUBLISHED", true, false),
    rule(&["REVIEW"], "SCHEDULED", true, false),
    rule(&["SCHEDULED"], "PUBLISHED", true, false),
    rule(&["SCHEDULED"], "REVIEW", true, true),
    rule(&["DRAFT", "SUBMITTED"], "ARCHIVED", false, false),
    rule(
        &["TRANSLATION", "REVIEW", "SCHEDULED", "PUBLISHED"],
        "ARCHIVED",
        true,
        true,
    ),
    rule(&["ARCHIVED"], "DRAFT", true, false),
];

/// The moves whose guards `Office::paper_in` leaves unmet: a SUBMITTED paper
/// has no task yet, a TRANSLATION paper's task is open, a REVIEW paper's
/// review is still requested.
const UNMET: &[(&str, &str)] = &[
    ("SUBMITTED", "TRANSLATION"),
    ("TRANSLATION", "REVIEW"),
    ("REVIEW", "PUBLISHED"),
    ("REVIEW", "SCHEDULED"),
];

fn rule_for(from: &str, to: &str) -> Option<&'static Rule> {
    TABLE
        .iter()
        .find(|rule| rule.to == to && rule.from.contains(&from))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    OwningAuthor,
    OtherAuthor,
    Translator,
    Reviewer,
    Editor,
    Anonymous,
}

const EVERYONE: [Who; 6] = [
    Who::OwningAuthor,
    Who::OtherAuthor,
    Who::Translator,
    Who::Reviewer,
    Who::Editor,
    Who::Anonymous,
];

impl Who {
    fn person(self, office: &Office) -> Option<&Person> {
        match self {
            Who::OwningAuthor => Some(&office.author),
            Who::OtherAuthor => Some(&office.other_author),
            Who::Translator => Some(&office.translator),
            Who::Reviewer => Some(&office.reviewer),
            Who::Editor => Some(&office.editor),
            Who::Anonymous => None,
        }
    }

    /// Whether this viewer may see a helper paper in `stage` (the roles table):
    /// the translator worked on every paper that got past TRANSLATION and sees
    /// open work in TRANSLATION; the reviewer was asked about every paper
    /// that reached REVIEW; neither sees a SCHEDULED paper (under embargo).
    fn sees(self, stage: &str) -> bool {
        match self {
            Who::OwningAuthor | Who::Editor => true,
            Who::OtherAuthor | Who::Anonymous => stage == "PUBLISHED",
            Who::Translator => ["TRANSLATION", "REVIEW", "PUBLISHED", "ARCHIVED"].contains(&stage),
            Who::Reviewer => ["REVIEW", "PUBLISHED", "ARCHIVED"].contains(&stage),
        }
    }
}

/// The code `movePaper` without a note must answer, or None if the move is allowed.
fn expected(who: Who, from: &str, to: &str) -> Option<&'static str> {
    if who == Who::Anonymous {
        return Some("UNAUTHENTICATED");
    }
    if !who.sees(from) {
        return Some("NOT_FOUND");
    }
    let Some(rule) = rule_for(from, to) else {
        return Some("INVALID_TRANSITION");
    };
    let permitted = who == Who::Editor || (!rule.editor_only && who == Who::OwningAuthor);
    if !permitted {
        return Some("FORBIDDEN");
    }
    if rule.note_required {
        return Some("BAD_USER_INPUT");
    }
    if UNMET.contains(&(from, to)) {
        return Some("INVALID_TRANSITION");
    }
    None
}

#[tokio::test]
async fn every_refused_move_answers_its_code_and_changes_nothing() {
    let office = Office::open().await;
    let mut refused = 0;
    for from in STAGES {
        let paper = office.paper_in(from).await;
        let before = office.snapshot(&paper).await;
        let version = before["version"].as_i64().unwrap();
        for who in EVERYONE {
            for to in STAGES {
                let Some(expected) = expected(who, from, to) else {
                    continue;
                };
                let response = office
                    .try_move_at(who.person(&office), &paper, to, version, None)
                    .await;
                assert_eq!(
                    response.error_code(),
                    Some(expected),
                    "{who:?} moving a {from} paper to {to}: {}",
                    response.body
                );
                assert_eq!(
                    response.data()["movePaper"],
                    Value::Null,
                    "{who:?} {from}→{to}"
                );
                assert_eq!(
                    office.snapshot(&paper).await,
                    before,
                    "{who:?} {from}→{to} changed the paper"
                );
                refused += 1;
            }
        }
    }
    // 7 stages × 6 viewers × 7 targets, less the moves that are allowed.
    assert!(refused > 260, "only {refused} refusals were tried");
}

#[tokio::test]
async fn a_blank_note_does_not_count_as_a_note() {
    let office = Office::open().await;
    let paper = office.paper_in("SUBMITTED").await;
    let before = office.snapshot(&paper).await;
    let response = office
        .try_move(Some(&office.editor), &paper, "DRAFT", Some("   "))
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT");
    assert!(response.error_message().contains("note"));
    assert_eq!(office.snapshot(&paper).await, before);
}

/// The transition options `who` is offered for `paper`.
async fn options(office: &Office, who: &Person, paper: &str) -> Vec<Value> {
    let response = office
        .gql(
            Some(who),
            "query($id: ID!) { paper(id: $id) { availableTransitions { to allowed permitted noteRequired unmetGuards } } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    response.data()["paper"]["availableTransitions"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn the_editors_available_transitions_are_exactly_what_move_paper_allows() {
    let office = Office::open().await;
    let editor = &office.editor;
    for from in STAGES {
        let paper = office.paper_in(from).await;
        let offered = options(&office, editor, &paper).await;
        let mut targets: Vec<&str> = offered.iter().map(|o| o["to"].as_str().unwrap()).collect();
        targets.sort_unstable();
        let mut table: Vec<&str> = TABLE
            .iter()
            .filter(|rule| rule.from.contains(&from))
            .map(|rule| rule.to)
            .collect();
        table.sort_unstable();
        assert_eq!(targets, table, "targets from {from}");

        for option in offered {
            let to = option["to"].as_str().unwrap();
            let rule = rule_for(from, to).unwrap();
            let unmet = option["unmetGuards"].as_array().unwrap();
            assert_eq!(option["permitted"], true, "{from}→{to}");
            assert_eq!(option["noteRequired"], rule.note_required, "{from}→{to}");
            assert_eq!(option["allowed"], unmet.is_empty(), "{from}→{to}");
            assert_eq!(
                !unmet.is_empty(),
                UNMET.contains(&(from, to)),
                "{from}→{to}: {unmet:?}"
            );
            let note = rule.note_required.then_some("Because the table says so.");
            if unmet.is_empty() {
                // Allowed: it happens, on a fresh paper in the same stage.
                let fresh = office.paper_in(from).await;
                let before = office.snapshot(&fresh).await;
                let moved = office.moved(editor, &fresh, to, note).await;
                assert_eq!(moved["version"], before["version"].as_i64().unwrap() + 1);
                let after = office.snapshot(&fresh).await;
                let history = after["history"].as_array().unwrap();
                assert_eq!(
                    history.len(),
                    before["history"].as_array().unwrap().len() + 1
                );
                assert_eq!(
                    history.last().unwrap(),
                    &json!({ "kind": "MOVED", "from": from, "to": to, "actor": { "id": editor.gid() }, "note": note, "at": history.last().unwrap()["at"] })
                );
            } else {
                // Unmet guards: refused as INVALID_TRANSITION, saying what is missing.
                let before = office.snapshot(&paper).await;
                let response = office.try_move(Some(editor), &paper, to, note).await;
                assert_eq!(code(&response), "INVALID_TRANSITION", "{from}→{to}");
                for guard in unmet {
                    assert!(
                        response.error_message().contains(guard.as_str().unwrap()),
                        "{from}→{to}: {:?} does not say {guard}",
                        response.error_message()
                    );
                }
                assert_eq!(office.snapshot(&paper).await, before);
            }
        }
    }
}

#[tokio::test]
async fn the_owning_author_is_offered_submitting_and_withdrawing_and_others_nothing() {
    let office = Office::open().await;
    let author = &office.author;

    let draft = office.paper_in("DRAFT").await;
    let offered = options(&office, author, &draft).await;
    let allowed: Vec<_> = offered
        .iter()
        .filter(|o| o["allowed"] == true)
        .map(|o| o["to"].clone())
        .collect();
    assert_eq!(allowed, vec![json!("SUBMITTED"), json!("ARCHIVED")]);

    let submitted = office.paper_in("SUBMITTED").await;
    let offered = options(&office, author, &submitted).await;
    for option in &offered {
        let editor_only = option["to"] != "ARCHIVED";
        assert_eq!(option["permitted"], !editor_only, "{option}");
        assert_eq!(option["allowed"], !editor_only, "{option}");
    }
    assert_eq!(offered.len(), 4);

    // What the author is offered, the author can do.
    office.moved(author, &draft, "SUBMITTED", None).await;
    office.moved(author, &submitted, "ARCHIVED", None).await;
    let other_draft = office.paper_in("DRAFT").await;
    office.moved(author, &other_draft, "ARCHIVED", None).await;

    // Viewers who may move nothing are offered nothing.
    let published = office.paper_in("PUBLISHED").await;
    for who in [&office.other_author, &office.translator, &office.reviewer] {
        assert_eq!(options(&office, who, &published).await, Vec::<Value>::new());
    }
    let anonymous = office
        .gql(
            None,
            "query($id: ID!) { paper(id: $id) { availableTransitions { to } } }",
            json!({ "id": published }),
        )
        .await
        .ok();
    assert_eq!(anonymous.data()["paper"]["availableTransitions"], json!([]));
}

#[tokio::test]
async fn a_draft_without_an_abstract_or_body_cannot_be_submitted_until_it_has_one() {
    let office = Office::open().await;
    let author = &office.author;
    let paper = office
        .create_paper(
            author,
            json!({ "originalLanguage": "ru", "title": "Только заголовок" }),
        )
        .await;
    let offered = options(&office, author, &paper).await;
    let submit = offered.iter().find(|o| o["to"] == "SUBMITTED").unwrap();
    assert_eq!(submit["allowed"], false);
    assert_eq!(
        submit["unmetGuards"],
        json!(["the original text has neither an abstract nor a body"])
    );
    let before = office.snapshot(&paper).await;
    let refused = office
        .try_move(Some(author), &paper, "SUBMITTED", None)
        .await;
    assert_eq!(code(&refused), "INVALID_TRANSITION");
    assert!(
        refused
            .error_message()
            .contains("neither an abstract nor a body")
    );
    assert_eq!(office.snapshot(&paper).await, before);

    let version = office.version(&paper).await;
    office
        .gql(
            Some(author),
            "mutation($id: ID!, $v: Int!) { updatePaper(id: $id, expectedVersion: $v, input: { abstract: \"Теперь есть аннотация.\" }) { version } }",
            json!({ "id": paper, "v": version }),
        )
        .await
        .ok();
    office.moved(author, &paper, "SUBMITTED", None).await;
}
