//! Every operation in `examples/` runs against a live server, in the order
//! of the README's use cases (log in, draft, submit, translate, review,
//! publish, read, the dashboard, search, subscribe), so an example that the
//! schema or the workflow left behind fails here.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::PASSWORD;
use crate::helpers::workflow::{Office, Person, english_summary, russian_draft};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

/// The examples, read from disk, and which of them ran.
struct Examples<'a> {
    office: &'a Office,
    ran: RefCell<BTreeSet<String>>,
}

impl Examples<'_> {
    fn text(&self, name: &str) -> String {
        self.ran.borrow_mut().insert(name.to_owned());
        std::fs::read_to_string(format!("{EXAMPLES}/{name}.graphql"))
            .unwrap_or_else(|err| panic!("examples/{name}.graphql: {err}"))
    }

    /// Runs one example as `who` and returns its data; fails on any error.
    async fn run(&self, name: &str, who: Option<&Person>, variables: Value) -> Value {
        let response = self.office.gql(who, &self.text(name), variables).await;
        assert!(
            response.body.get("errors").is_none(),
            "examples/{name}.graphql: {}",
            response.body
        );
        response.data().clone()
    }
}

/// Every `*.graphql` file in `examples/`.
fn every_example() -> BTreeSet<String> {
    std::fs::read_dir(EXAMPLES)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|file| file.strip_suffix(".graphql").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn every_example_runs_against_the_server() {
    let office = Office::open().await;
    let examples = Examples {
        office: &office,
        ran: RefCell::default(),
    };

    let login = examples
        .run(
            "login",
            None,
            json!({ "email": "editor@imprint.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(login["login"]["user"]["roles"], json!(["EDITOR"]));
    let editor = Person {
        id: office.editor.id,
        token: login["login"]["token"].as_str().unwrap().to_owned(),
    };
    let (author, translator, reviewer) = (&office.author, &office.translator, &office.reviewer);

    let created = examples
        .run(
            "create-paper",
            Some(author),
            json!({ "input": russian_draft("Через равенство и консенсус") }),
        )
        .await;
    let paper = created["createPaper"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["createPaper"]["stage"], "DRAFT");
    let mut version = created["createPaper"]["version"].as_i64().unwrap();
    let mut move_to = async |who: &Person, stage: &str| {
        let moved = examples
            .run(
                "move-paper",
                Some(who),
                json!({ "id": paper, "to": stage, "expectedVersion": version }),
            )
            .await;
        assert_eq!(moved["movePaper"]["stage"], stage);
        version = moved["movePaper"]["version"].as_i64().unwrap();
    };
    move_to(author, "SUBMITTED").await;

    let task = examples
        .run(
            "create-translation-task",
            Some(&editor),
            json!({ "paperId": paper, "targetLanguage": "en", "kind": "SUMMARY" }),
        )
        .await["createTranslationTask"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    move_to(&editor, "TRANSLATION").await;

    let open = examples
        .run(
            "open-translation-tasks",
            Some(translator),
            json!({ "targetLanguage": "en" }),
        )
        .await;
    assert_eq!(open["translationTasks"]["edges"][0]["node"]["id"], task);
    let claimed = examples
        .run(
            "claim-translation-task",
            Some(translator),
            json!({ "id": task }),
        )
        .await;
    assert_eq!(claimed["claimTranslationTask"]["status"], "CLAIMED");
    let submitted = examples
        .run(
            "submit-translation",
            Some(translator),
            json!({ "id": task, "input": english_summary("Through Equality and Consensus") }),
        )
        .await;
    assert_eq!(submitted["submitTranslation"]["status"], "SUBMITTED");
    let accepted = examples
        .run("accept-translation", Some(&editor), json!({ "id": task }))
        .await;
    assert_eq!(accepted["acceptTranslation"]["status"], "ACCEPTED");

    move_to(&editor, "REVIEW").await;
    let review = examples
        .run(
            "request-review",
            Some(&editor),
            json!({ "paperId": paper, "reviewerId": reviewer.gid() }),
        )
        .await["requestReview"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reviewed = examples
        .run(
            "submit-review",
            Some(reviewer),
            json!({ "id": review, "recommendation": "ACCEPT", "comments": "Clear and faithful." }),
        )
        .await;
    assert_eq!(reviewed["submitReview"]["status"], "SUBMITTED");

    // Scheduled for tomorrow, then for the day after; published now after all.
    let scheduled = examples
        .run(
            "schedule-paper",
            Some(&editor),
            json!({ "id": paper, "expectedVersion": version, "publishAt": office.time_from_now(chrono::Duration::days(1)) }),
        )
        .await;
    assert_eq!(scheduled["movePaper"]["stage"], "SCHEDULED");
    let rescheduled = examples
        .run(
            "reschedule-paper",
            Some(&editor),
            json!({
                "id": paper,
                "expectedVersion": scheduled["movePaper"]["version"],
                "publishAt": office.time_from_now(chrono::Duration::days(2)),
                "note": "Moved to Monday's issue.",
            }),
        )
        .await;
    assert_eq!(rescheduled["reschedulePaper"]["stage"], "SCHEDULED");
    version = rescheduled["reschedulePaper"]["version"].as_i64().unwrap();

    // The public's subscription sees the publication.
    let mut socket = office.app.live(None).await;
    socket
        .subscribe("1", &examples.text("paper-events"), json!({}))
        .await;
    socket.sync().await;
    let published = examples
        .run(
            "publish-paper",
            Some(&editor),
            json!({ "id": paper, "expectedVersion": version }),
        )
        .await;
    assert_eq!(published["movePaper"]["stage"], "PUBLISHED");
    let event = socket.next_data("1").await;
    assert_eq!(event["paperEvents"]["paper"]["id"], paper);
    assert_eq!(event["paperEvents"]["to"], "PUBLISHED");

    let slug = published["movePaper"]["slug"].as_str().unwrap();
    let read = examples
        .run(
            "published-paper",
            None,
            json!({ "slug": slug, "language": "en" }),
        )
        .await;
    assert_eq!(
        read["paper"]["text"]["title"],
        "Through Equality and Consensus"
    );
    let corrected = examples
        .run(
            "correct-paper",
            Some(&editor),
            json!({
                "id": paper,
                "expectedVersion": published["movePaper"]["version"],
                "input": { "language": "en", "title": "Through Equality and Consensus (corrected)" },
                "note": "The English title left out a word.",
            }),
        )
        .await;
    assert_eq!(
        corrected["correctPaper"]["correctionNote"],
        "The English title left out a word."
    );
    let revisions = examples
        .run("paper-revisions", None, json!({ "slug": slug }))
        .await;
    let kinds: Vec<&Value> = revisions["paper"]["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|revision| &revision["kind"])
        .collect();
    assert_eq!(kinds, [&json!("PUBLISHED"), &json!("CORRECTED")]);
    let dashboard = examples
        .run("dashboard", Some(&editor), json!({ "filter": null }))
        .await;
    assert!(
        dashboard["publicationStatus"]["papersByStage"]
            .as_array()
            .unwrap()
            .contains(&json!({ "stage": "PUBLISHED", "papers": 1 })),
        "{dashboard}"
    );
    let found = examples
        .run("search-papers", None, json!({ "search": "consensus" }))
        .await;
    assert_eq!(found["papers"]["edges"][0]["node"]["slug"], slug);

    assert_eq!(
        *examples.ran.borrow(),
        every_example(),
        "each example in examples/ has its step here"
    );
}

#[test]
fn the_readme_shows_the_client_script_as_it_is() {
    let readme = include_str!("../../README.md");
    let script = include_str!("../../client/examples/dashboard.ts");
    assert!(
        readme.contains(&format!("// client/examples/dashboard.ts\n{script}```")),
        "README's client script differs from client/examples/dashboard.ts"
    );
}
