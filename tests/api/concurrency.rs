//! Real parallel requests against one server: the compare-and-set on a
//! task's status and on a paper's version lets exactly one of many
//! simultaneous writers win, and the others are told so.

use futures_util::future::join_all;
use imprint::domain::Role;
use serde_json::{Value, json};

use crate::helpers::Gql;
use crate::helpers::workflow::{Office, Person, code, english_summary};

/// How many times each race is run: once proves little about a race.
const ROUNDS: usize = 3;

/// `count` translators, logged in.
async fn translators(office: &Office, count: usize) -> Vec<Person> {
    let mut people = vec![];
    for i in 0..count {
        let email = format!("racer{i}@imprint.test");
        people.push(office.person(&email, &[Role::Translator]).await);
    }
    people
}

/// Splits responses into successes and the error codes of the rest.
fn outcomes(responses: &[Gql]) -> (Vec<&Gql>, Vec<&str>) {
    let won = responses
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .collect();
    let lost = responses
        .iter()
        .filter(|r| r.body.get("errors").is_some())
        .map(code)
        .collect();
    (won, lost)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_translators_claiming_one_task_at_once_exactly_one_wins() {
    let office = Office::open().await;
    let racers = translators(&office, 10).await;
    let paper = office.paper_in("SUBMITTED").await;
    let mut tasks = vec![];
    for language in ["en", "de", "fr"].into_iter().take(ROUNDS) {
        tasks.push(office.create_task(&paper, language, "SUMMARY").await);
    }
    office
        .moved(&office.editor, &paper, "TRANSLATION", None)
        .await;

    for task in &tasks {
        let responses = join_all(racers.iter().map(|t| office.try_claim(t, task))).await;
        let (won, lost) = outcomes(&responses);
        assert_eq!(won.len(), 1, "winners: {won:?}");
        assert_eq!(lost, vec!["ALREADY_CLAIMED"; 9]);
        let winner = &won[0].data()["claimTranslationTask"];
        assert_eq!(winner["status"], "CLAIMED");

        let seen = office.task(task).await;
        assert_eq!(seen["status"], "CLAIMED");
        assert_eq!(seen["claimedBy"], winner["claimedBy"]);
        let claims: Vec<&Value> = seen["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["to"] == "CLAIMED")
            .collect();
        assert_eq!(claims.len(), 1, "{claims:?}");
        assert_eq!(claims[0]["actor"], winner["claimedBy"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn losers_of_a_claim_race_hear_already_claimed_even_when_the_winner_lets_go_at_once() {
    let office = Office::open().await;
    let racers = translators(&office, 8).await;
    // The paper's only task: once claimed, the paper leaves the others'
    // sight too, the case where a late look found nothing at all.
    let (_paper, tasks) = office.paper_in_translation_with(&["en"]).await;
    let (office, task) = (&office, &tasks[0]);

    for _ in 0..ROUNDS {
        // Each racer claims and, when it wins, lets go at once, so the task
        // is open again while the others' claims are still in flight.
        let responses = join_all(racers.iter().map(|racer| async move {
            let claim = office.try_claim(racer, task).await;
            if claim.body.get("errors").is_none() {
                let release = office.try_release(racer, task, None).await;
                assert!(release.body.get("errors").is_none(), "{release:?}");
            }
            claim
        }))
        .await;
        let (won, lost) = outcomes(&responses);
        assert!(!won.is_empty(), "nobody won: {responses:?}");
        assert!(
            lost.iter().all(|code| *code == "ALREADY_CLAIMED"),
            "{lost:?}"
        );
    }
    // The task's log never shows a claim on top of a claim.
    let seen = office.task(task).await;
    let statuses: Vec<&str> = seen["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["to"].as_str().unwrap())
        .collect();
    for pair in statuses.windows(2) {
        assert_ne!(pair, ["CLAIMED", "CLAIMED"], "{statuses:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_editors_moving_one_paper_at_once_one_wins_and_one_gets_conflict() {
    let office = Office::open().await;
    let second_editor = office
        .person("second.editor@imprint.test", &[Role::Editor])
        .await;
    for _ in 0..ROUNDS {
        let paper = office.paper_in("SUBMITTED").await;
        let before = office.snapshot(&paper).await;
        let version = before["version"].as_i64().unwrap();
        // Different moves from the same version: only one may happen.
        let (first, second) = tokio::join!(
            office.try_move_at(Some(&office.editor), &paper, "REVIEW", version, None),
            office.try_move_at(Some(&second_editor), &paper, "ARCHIVED", version, None),
        );
        let responses = [first, second];
        let (won, lost) = outcomes(&responses);
        assert_eq!(won.len(), 1, "{responses:?}");
        assert_eq!(lost, vec!["CONFLICT"]);

        let after = office.snapshot(&paper).await;
        assert_eq!(after["stage"], won[0].data()["movePaper"]["stage"]);
        assert_eq!(after["version"], version + 1);
        let history = |snapshot: &Value| snapshot["history"].as_array().unwrap().len();
        assert_eq!(history(&after), history(&before) + 1);
    }
}

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: UpdatePaperInput!) {
    updatePaper(id: $id, expectedVersion: $v, input: $input) { version text(language: \"ru\") { title body } }
}";

async fn update(office: &Office, who: &Person, paper: &str, version: i64, input: Value) -> Gql {
    office
        .gql(
            Some(who),
            UPDATE,
            json!({ "id": paper, "v": version, "input": input }),
        )
        .await
}

async fn original(office: &Office, paper: &str) -> Value {
    let response = office
        .gql(
            Some(&office.editor),
            "query($id: ID!) { paper(id: $id) { version text(language: \"ru\") { title body revision } } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    response.data()["paper"].clone()
}

#[tokio::test]
async fn an_edit_sent_with_a_stale_version_is_a_conflict_and_the_earlier_edit_stays() {
    let office = Office::open().await;
    let second_editor = office
        .person("second.editor@imprint.test", &[Role::Editor])
        .await;
    let paper = office.paper_in("SUBMITTED").await;
    let loaded = office.version(&paper).await;

    update(
        &office,
        &office.editor,
        &paper,
        loaded,
        json!({ "title": "Заголовок первого редактора" }),
    )
    .await
    .ok();
    let kept = original(&office, &paper).await;

    let late = update(
        &office,
        &second_editor,
        &paper,
        loaded,
        json!({ "title": "Заголовок второго", "body": "Другой текст." }),
    )
    .await;
    assert_eq!(code(&late), "CONFLICT");
    assert!(late.error_message().contains("reload"));
    assert_eq!(original(&office, &paper).await, kept);
    assert_eq!(kept["version"], loaded + 1);
    assert_eq!(kept["text"]["title"], "Заголовок первого редактора");

    // A move with the old version is refused the same way.
    let stale_move = office
        .try_move_at(Some(&second_editor), &paper, "REVIEW", loaded, None)
        .await;
    assert_eq!(code(&stale_move), "CONFLICT");
    assert_eq!(original(&office, &paper).await, kept);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_edits_sent_at_once_from_one_version_exactly_one_lands() {
    let office = Office::open().await;
    let second_editor = office
        .person("second.editor@imprint.test", &[Role::Editor])
        .await;
    for _ in 0..ROUNDS {
        let paper = office.paper_in("SUBMITTED").await;
        let version = office.version(&paper).await;
        let (first, second) = tokio::join!(
            update(
                &office,
                &office.editor,
                &paper,
                version,
                json!({ "body": "Первая правка." })
            ),
            update(
                &office,
                &second_editor,
                &paper,
                version,
                json!({ "body": "Вторая правка." })
            ),
        );
        let responses = [first, second];
        let (won, lost) = outcomes(&responses);
        assert_eq!(won.len(), 1, "{responses:?}");
        assert_eq!(lost, vec!["CONFLICT"]);
        let now = original(&office, &paper).await;
        assert_eq!(now["version"], version + 1);
        assert_eq!(
            now["text"]["body"],
            won[0].data()["updatePaper"]["text"]["body"]
        );
        assert_eq!(now["text"]["revision"], 2, "only one edit was written");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_translator_claiming_four_tasks_at_once_gets_at_most_three() {
    let office = Office::open().await;
    let translator = &office.translator;
    for _ in 0..ROUNDS {
        // Four papers, so no two claims wait for the same paper.
        let mut tasks = vec![];
        for _ in 0..4 {
            let paper = office.paper_in("TRANSLATION").await;
            tasks.push(
                office.snapshot(&paper).await["tasks"][0]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        let responses = join_all(tasks.iter().map(|task| office.try_claim(translator, task))).await;
        let (won, lost) = outcomes(&responses);
        assert_eq!(won.len(), 3, "claims won at once; the rest: {lost:?}");
        assert_eq!(lost, vec!["INVALID_TRANSITION"]);

        let mine = office
            .gql(
                Some(translator),
                "{ translationTasks(filter: { mine: true, statuses: [CLAIMED] }) { totalCount } }",
                json!({}),
            )
            .await
            .ok();
        assert_eq!(mine.data()["translationTasks"]["totalCount"], 3);
        // Hand the three in, so the next round starts with no claims held.
        for task in &tasks {
            if office.task(task).await["status"] == "CLAIMED" {
                Office::task_from(
                    office
                        .try_submit(translator, task, english_summary("T"))
                        .await,
                );
            }
        }
    }
}
