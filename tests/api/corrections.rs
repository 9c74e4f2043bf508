//! Corrections: an editor fixes a published paper without unpublishing it,
//! readers see the fix everywhere at once with its note, and every version
//! they were shown stays readable.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::Gql;
use crate::helpers::workflow::{Office, Person, code};

const CORRECT: &str = "mutation($id: ID!, $v: Int!, $input: CorrectionInput!, $note: String!) {
    correctPaper(id: $id, expectedVersion: $v, input: $input, note: $note) {
        version correctedAt correctionNote
    }
}";

const REVISIONS: &str = "query($id: ID!) { paper(id: $id) {
    version correctedAt correctionNote
    texts { language abstract stale }
    revisions { number kind at note editor { id } texts { language kind title abstract keyFindings } }
} }";

const NOTE: &str = "The abstract gave the wrong year for the treaty.";

async fn correct(office: &Office, who: Option<&Person>, paper: &str, input: Value) -> Gql {
    let version = office.version(paper).await;
    office
        .gql(
            who,
            CORRECT,
            json!({ "id": paper, "v": version, "input": input, "note": NOTE }),
        )
        .await
}

async fn revisions(office: &Office, who: Option<&Person>, paper: &str) -> Value {
    let response = office
        .gql(who, REVISIONS, json!({ "id": paper }))
        .await
        .ok();
    response.data()["paper"].clone()
}

/// The abstract of the text in `language` of a revision or a paper.
fn abstract_in(texts: &Value, language: &str) -> Value {
    texts
        .as_array()
        .unwrap()
        .iter()
        .find(|text| text["language"] == language)
        .map(|text| text["abstract"].clone())
        .unwrap()
}

#[tokio::test]
async fn a_correction_shows_everywhere_at_once_and_every_earlier_version_stays_readable() {
    let office = Office::open().await;
    let paper = office.paper_in("PUBLISHED").await;
    let slug = office.snapshot(&paper).await["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let published = revisions(&office, None, &paper).await;
    let first_abstract = abstract_in(&published["texts"], "ru");
    assert_eq!(published["revisions"].as_array().unwrap().len(), 1);
    assert_eq!(published["revisions"][0]["kind"], "PUBLISHED");
    assert_eq!(published["correctedAt"], Value::Null);
    let feed_before = office.app.get_text("/feed.atom").await;
    let found_before = office
        .gql(
            None,
            "{ papers(filter: { search: \"редакции\" }) { nodes { id } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(
        found_before.data()["papers"]["nodes"],
        json!([{ "id": paper }])
    );

    office.app.state.clock.advance(Duration::days(3));
    let corrected = correct(
        &office,
        Some(&office.editor),
        &paper,
        json!({ "abstract": "Договор подписан в 2010 году: Zeitenwende." }),
    )
    .await
    .ok();
    let corrected = &corrected.data()["correctPaper"];
    assert_eq!(
        corrected["version"],
        published["version"].as_i64().unwrap() + 1
    );
    assert_eq!(corrected["correctionNote"], NOTE);

    // Anonymous readers: the corrected text, the note, and both versions.
    let seen = revisions(&office, None, &paper).await;
    assert_eq!(
        abstract_in(&seen["texts"], "ru"),
        "Договор подписан в 2010 году: Zeitenwende."
    );
    let listed = seen["revisions"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (&listed[0]["number"], &listed[0]["kind"]),
        (&json!(1), &json!("PUBLISHED"))
    );
    assert_eq!(abstract_in(&listed[0]["texts"], "ru"), first_abstract);
    assert_eq!(
        (&listed[1]["number"], &listed[1]["kind"], &listed[1]["note"]),
        (&json!(2), &json!("CORRECTED"), &json!(NOTE))
    );
    assert_eq!(listed[1]["at"], corrected["correctedAt"]);
    assert_eq!(
        abstract_in(&listed[1]["texts"], "ru"),
        "Договор подписан в 2010 году: Zeitenwende."
    );
    // The English summary was made from the earlier original: stale, in
    // the paper and unchanged in both revisions.
    let english = seen["texts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|text| text["language"] == "en")
        .unwrap();
    assert_eq!(english["stale"], true);
    assert_eq!(
        abstract_in(&listed[0]["texts"], "en"),
        abstract_in(&listed[1]["texts"], "en")
    );
    // Who corrected it: for editors and its author, not for the public.
    assert_eq!(listed[1]["editor"], Value::Null);
    for who in [&office.editor, &office.author] {
        let seen = revisions(&office, Some(who), &paper).await;
        assert_eq!(
            seen["revisions"][1]["editor"]["id"],
            office.editor.gid(),
            "{who:?}"
        );
        assert_eq!(
            seen["revisions"][0]["editor"]["id"],
            office.editor.gid(),
            "{who:?}"
        );
    }
    let history = office.snapshot(&paper).await["history"].clone();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["kind"], &last["note"]),
        (&json!("CORRECTED"), &json!(NOTE))
    );

    // Search finds the corrected words, and no longer only the old ones.
    let search = |words: &'static str| {
        office.gql(
            None,
            "query($q: String!) { papers(filter: { search: $q }) { nodes { id } } }",
            json!({ "q": words }),
        )
    };
    assert_eq!(
        search("Zeitenwende").await.ok().data()["papers"]["nodes"],
        json!([{ "id": paper }])
    );
    // "редакции" was only in the abstract the correction replaced.
    assert_eq!(
        search("редакции").await.ok().data()["papers"]["nodes"],
        json!([])
    );
    // The page and the announcement say so, with the note.
    let page = office
        .app
        .get_text(&format!("/papers/{slug}?lang=ru"))
        .await;
    assert!(page.contains("Corrected on"), "{page}");
    assert!(page.contains(NOTE), "{page}");
    let announcement = office
        .gql(
            None,
            "query($id: ID!) { paper(id: $id) { announcement(language: \"ru\", format: TEXT) } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    let text = announcement.data()["paper"]["announcement"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains("Corrected on") && text.contains(NOTE),
        "{text}"
    );

    // The feed entry: `updated` moved, `published` did not.
    let entry = |feed: &str| {
        let feed = feed_rs::parser::parse(feed.as_bytes()).unwrap();
        let entry = feed
            .entries
            .into_iter()
            .find(|entry| entry.links.iter().any(|link| link.href.ends_with(&slug)))
            .unwrap();
        (entry.published.unwrap(), entry.updated.unwrap())
    };
    let (published_before, updated_before) = entry(&feed_before);
    let (published_after, updated_after) = entry(&office.app.get_text("/feed.atom").await);
    assert_eq!(published_after, published_before);
    assert!(updated_after > updated_before + Duration::days(2));
}

#[tokio::test]
async fn a_translation_is_corrected_on_its_own_and_refusals_change_nothing() {
    let office = Office::open().await;
    let paper = office.paper_in("PUBLISHED").await;
    let before = revisions(&office, Some(&office.editor), &paper).await;
    let version = before["version"].as_i64().unwrap();
    let fix = json!({ "language": "en", "keyFindings": ["The first finding, fixed.", "The second finding."] });
    let refusals = [
        (
            correct(&office, None, &paper, fix.clone()).await,
            "UNAUTHENTICATED",
        ),
        (
            correct(&office, Some(&office.author), &paper, fix.clone()).await,
            "FORBIDDEN",
        ),
        (
            correct(&office, Some(&office.translator), &paper, fix.clone()).await,
            "FORBIDDEN",
        ),
        (
            correct(
                &office,
                Some(&office.editor),
                &paper,
                json!({ "language": "de", "title": "Neu" }),
            )
            .await,
            "BAD_USER_INPUT",
        ),
        (
            correct(
                &office,
                Some(&office.editor),
                &paper,
                json!({ "language": "en" }),
            )
            .await,
            "BAD_USER_INPUT",
        ),
        (
            office
                .gql(
                    Some(&office.editor),
                    CORRECT,
                    json!({ "id": paper, "v": version - 1, "input": fix, "note": NOTE }),
                )
                .await,
            "CONFLICT",
        ),
        (
            office
                .gql(
                    Some(&office.editor),
                    CORRECT,
                    json!({ "id": paper, "v": version, "input": fix, "note": "  " }),
                )
                .await,
            "BAD_USER_INPUT",
        ),
    ];
    for (response, expected) in refusals {
        assert_eq!(code(&response), expected, "{}", response.body);
    }
    let in_review = office.paper_in("REVIEW").await;
    let unpublished = correct(
        &office,
        Some(&office.editor),
        &in_review,
        json!({ "title": "Новое" }),
    )
    .await;
    assert_eq!(code(&unpublished), "INVALID_TRANSITION");
    assert_eq!(
        revisions(&office, Some(&office.editor), &paper).await,
        before
    );

    correct(&office, Some(&office.editor), &paper, fix)
        .await
        .ok();
    let after = revisions(&office, Some(&office.editor), &paper).await;
    let english = |texts: &Value| {
        texts
            .as_array()
            .unwrap()
            .iter()
            .find(|text| text["language"] == "en")
            .unwrap()
            .clone()
    };
    assert_eq!(
        english(&after["revisions"][1]["texts"])["keyFindings"],
        json!(["The first finding, fixed.", "The second finding."])
    );
    assert_eq!(
        english(&after["revisions"][0]["texts"])["keyFindings"],
        json!(["The first finding.", "The second finding."])
    );
    // The original did not change: nothing went stale.
    assert_eq!(english(&after["texts"])["stale"], false);
    assert_eq!(after["texts"][0], before["texts"][0]);
}

#[tokio::test]
async fn a_scheduled_release_credits_the_editor_who_scheduled_it() {
    let office = Office::open().await;
    let paper = office.paper_in("SCHEDULED").await;
    let before = revisions(&office, Some(&office.editor), &paper).await;
    assert_eq!(before["revisions"], json!([]));
    office.app.state.clock.advance(Duration::days(2));
    imprint::service::publishing::release_due(&office.app.state)
        .await
        .unwrap();
    let released = revisions(&office, Some(&office.editor), &paper).await;
    let first = &released["revisions"][0];
    assert_eq!(
        (&first["number"], &first["kind"], &first["editor"]["id"]),
        (&json!(1), &json!("PUBLISHED"), &json!(office.editor.gid()))
    );
}
