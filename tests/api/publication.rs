//! A published paper's own date and dateline: a real historical
//! `publishedAt` given by an editor at publication or later (with a note,
//! in the history), and the dateline the announcement opens with, the same
//! in GraphQL, the paper's page and the feed.

use serde_json::{Value, json};

use crate::helpers::workflow::{Office, code};

const PUBLISH: &str = "mutation($id: ID!, $v: Int!, $note: String, $at: DateTime, $dateline: DatelineInput) {
    movePaper(id: $id, to: PUBLISHED, expectedVersion: $v, note: $note, publishedAt: $at, dateline: $dateline) {
        stage publishedAt dateline { place date issuer text }
    }
}";

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $note: String!, $at: DateTime, $dateline: DatelineInput) {
    updatePublication(id: $id, expectedVersion: $v, note: $note, publishedAt: $at, dateline: $dateline) {
        version publishedAt dateline { place date issuer text }
    }
}";

const ANNOUNCEMENT: &str = "query($id: ID!) { paper(id: $id) {
    slug publishedAt announcement(language: \"en\", format: TEXT)
} }";

const DATELINE: &str = "MOSCOW. OCTOBER 13, 2020. PIR PRESS.";

/// A paper in REVIEW whose review recommends ACCEPT: ready to publish.
async fn ready_to_publish(office: &Office) -> String {
    let paper = office.paper_in("REVIEW").await;
    let review = office.snapshot(&paper).await["reviews"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    paper
}

fn moscow() -> Value {
    json!({ "place": "Moscow", "issuer": "PIR PRESS" })
}

#[tokio::test]
async fn an_editor_publishes_with_the_real_date_and_the_dateline() {
    let office = Office::open().await;
    let paper = ready_to_publish(&office).await;
    let v = office.version(&paper).await;
    let publish = |note: Option<&str>, at: &str, dateline: Value| {
        office.gql(
            Some(&office.editor),
            PUBLISH,
            json!({ "id": paper, "v": v, "note": note, "at": at, "dateline": dateline }),
        )
    };

    // A date of one's own needs a note, and cannot be in the future.
    let refused = publish(None, "2020-10-13T09:00:00Z", moscow()).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert!(
        refused.error_message().starts_with("note: "),
        "{}",
        refused.body
    );
    let refused = publish(Some("From the archive."), "2999-01-01T00:00:00Z", moscow()).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert!(
        refused.error_message().contains("in the future"),
        "{}",
        refused.body
    );
    let refused = publish(
        Some("x"),
        "2020-10-13T09:00:00Z",
        json!({ "place": "M\u{7}" }),
    )
    .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert!(
        refused.error_message().starts_with("place: "),
        "{}",
        refused.body
    );
    assert_eq!(office.stage(&paper).await, "REVIEW", "nothing half-written");
    assert_eq!(office.version(&paper).await, v);

    let published = publish(
        Some("Announced by PIR Press on 13 October 2020."),
        "2020-10-13T09:00:00Z",
        moscow(),
    )
    .await
    .ok();
    let moved = &published.data()["movePaper"];
    assert_eq!(moved["publishedAt"], "2020-10-13T09:00:00+00:00");
    assert_eq!(
        moved["dateline"],
        json!({ "place": "Moscow", "date": null, "issuer": "PIR PRESS", "text": DATELINE })
    );
    let last = office.snapshot(&paper).await["history"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    assert_eq!(last["kind"], "MOVED");
    assert_eq!(last["to"], "PUBLISHED");
    assert_eq!(last["note"], "Announced by PIR Press on 13 October 2020.");

    // The same lead everywhere the announcement is read.
    let read = office
        .gql(None, ANNOUNCEMENT, json!({ "id": paper }))
        .await
        .ok();
    let text = read.data()["paper"]["announcement"].as_str().unwrap();
    assert!(
        text.contains(&format!("\n{DATELINE} The report ")),
        "{text}"
    );
    let slug = read.data()["paper"]["slug"].as_str().unwrap();
    let page = office.app.get_text(&format!("/papers/{slug}")).await;
    assert!(
        page.contains(&format!("<p><strong>{DATELINE}</strong> The report ")),
        "{page}"
    );
    let feed = office.app.get_text("/feed.atom").await;
    assert!(feed.contains(DATELINE), "{feed}");
    assert!(
        feed.contains("<published>2020-10-13T09:00:00+00:00</published>"),
        "{feed}"
    );
}

#[tokio::test]
async fn publication_details_go_only_with_a_move_to_published() {
    let office = Office::open().await;
    let paper = office.paper_in("SUBMITTED").await;
    let v = office.version(&paper).await;
    let refused = office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!) { movePaper(id: $id, to: DRAFT, expectedVersion: $v, note: \"back\", publishedAt: \"2020-01-01T00:00:00Z\") { stage } }",
            json!({ "id": paper, "v": v }),
        )
        .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert_eq!(office.stage(&paper).await, "SUBMITTED");
}

#[tokio::test]
async fn an_editor_changes_the_date_and_dateline_later_with_a_note_in_the_history() {
    let office = Office::open().await;
    let paper = office.paper_in("PUBLISHED").await;
    let before = office.snapshot(&paper).await;
    let v = before["version"].as_i64().unwrap();
    let update = |who, v: i64, note: &str, at: Option<&str>| {
        office.gql(
            Some(who),
            UPDATE,
            json!({ "id": paper, "v": v, "note": note, "at": at, "dateline": moscow() }),
        )
    };

    let refused = update(&office.author, v, "mine", Some("2020-10-13T09:00:00Z")).await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let refused = update(&office.editor, v, "  ", Some("2020-10-13T09:00:00Z")).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    let refused = update(&office.editor, v, "why", Some("2999-10-13T09:00:00Z")).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    let refused = update(&office.editor, v - 1, "why", Some("2020-10-13T09:00:00Z")).await;
    assert_eq!(code(&refused), "CONFLICT");
    let unchanged = office.snapshot(&paper).await;
    assert_eq!(unchanged["publishedAt"], before["publishedAt"]);
    assert_eq!(unchanged["version"], before["version"]);
    assert_eq!(unchanged["history"], before["history"]);

    let note = "The report came out on 13 October 2020; we published it here later.";
    let updated = update(&office.editor, v, note, Some("2020-10-13T09:00:00Z"))
        .await
        .ok();
    let changed = &updated.data()["updatePublication"];
    assert_eq!(changed["publishedAt"], "2020-10-13T09:00:00+00:00");
    assert_eq!(changed["dateline"]["text"], DATELINE);
    assert_eq!(changed["version"], v + 1);
    let history = office.snapshot(&paper).await["history"].clone();
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(last["kind"], "PUBLICATION_CHANGED");
    assert_eq!(last["from"], "PUBLISHED");
    assert_eq!(last["to"], "PUBLISHED");
    assert_eq!(last["note"], note);
    assert_eq!(last["actor"]["id"], office.editor.gid());

    // Only a published paper's publication changes this way.
    let draft = office.draft().await;
    let refused = office
        .gql(
            Some(&office.editor),
            UPDATE,
            json!({ "id": draft, "v": 1, "note": "x", "dateline": moscow() }),
        )
        .await;
    assert_eq!(code(&refused), "INVALID_TRANSITION");
}
