//! Every text input refuses NUL and the other control characters (but tab,
//! newline and carriage return) with BAD_USER_INPUT naming the field, on
//! both databases, and the refused request changes nothing. The table
//! must cover every `String` input of the schema: a new one fails
//! `every_string_input_is_in_the_table` until it is added.

use std::collections::BTreeSet;

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use imprint::domain::{Role, TextField};
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, Person, russian_draft};

/// Who sends a case's request.
#[derive(Clone, Copy)]
enum Who {
    Anonymous,
    Admin,
    Editor,
    Author,
    Translator,
    Reviewer,
}

/// One request with one poisoned string. In `variables`, `"{bad}"` is
/// replaced by the poisoned value and `"{paper}"`, `"{published}"`,
/// `"{task}"`, `"{submitted}"`, `"{review}"` by the fixtures' ids.
struct Case {
    /// The schema's input positions this case feeds.
    positions: &'static [&'static str],
    /// The `extensions.field` expected, when the error names one.
    field: Option<&'static str>,
    who: Who,
    query: &'static str,
    variables: fn() -> Value,
}

const CREATE_PAPER: &str =
    "mutation($input: CreatePaperInput!) { createPaper(input: $input) { id } }";
const UPDATE_PAPER: &str = "mutation($id: ID!, $input: UpdatePaperInput!) {
    updatePaper(id: $id, expectedVersion: 1, input: $input) { id } }";
const CORRECT_PAPER: &str = "mutation($id: ID!, $input: CorrectionInput!, $note: String!) {
    correctPaper(id: $id, expectedVersion: 1, input: $input, note: $note) { id } }";
const SUBMIT: &str = "mutation($id: ID!, $input: TranslationInput!) {
    submitTranslation(id: $id, input: $input) { id } }";
const CREATE_USER: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }";
const PAPERS: &str = "query($filter: PapersFilter) { papers(filter: $filter) { totalCount } }";

fn paper_input(field: &str, value: Value) -> Value {
    let mut input = russian_draft("Безопасность");
    input[field] = value;
    json!({ "input": input })
}

fn user_input(field: &str) -> Value {
    let mut input = json!({
        "email": "new@imprint.test", "displayName": "New", "password": "long enough password",
        "roles": ["AUTHOR"],
    });
    input[field] = json!("{bad}");
    json!({ "input": input })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            positions: &["Mutation.login(email)"],
            field: Some("email"),
            who: Who::Anonymous,
            query: "mutation($v: String!) { login(email: $v, password: \"long enough password\") { token } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.login(password)"],
            field: Some("password"),
            who: Who::Anonymous,
            query: "mutation($v: String!) { login(email: \"editor@imprint.test\", password: $v) { token } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["CreateUserInput.email"],
            field: Some("email"),
            who: Who::Admin,
            query: CREATE_USER,
            variables: || user_input("email"),
        },
        Case {
            positions: &["CreateUserInput.displayName"],
            field: Some("displayName"),
            who: Who::Admin,
            query: CREATE_USER,
            variables: || user_input("displayName"),
        },
        Case {
            positions: &["CreateUserInput.password"],
            field: Some("password"),
            who: Who::Admin,
            query: CREATE_USER,
            variables: || user_input("password"),
        },
        Case {
            positions: &["CreateUserInput.position"],
            field: Some("position"),
            who: Who::Admin,
            query: CREATE_USER,
            variables: || user_input("position"),
        },
        Case {
            positions: &["CreateUserInput.affiliation"],
            field: Some("affiliation"),
            who: Who::Admin,
            query: CREATE_USER,
            variables: || user_input("affiliation"),
        },
        Case {
            positions: &["Mutation.createSeries(slug)"],
            field: Some("slug"),
            who: Who::Editor,
            query: "mutation($v: String!) { createSeries(slug: $v, title: \"T\") { id } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.createSeries(title)"],
            field: Some("title"),
            who: Who::Editor,
            query: "mutation($v: String!) { createSeries(slug: \"s\", title: $v) { id } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.createSeries(description)"],
            field: Some("description"),
            who: Who::Editor,
            query: "mutation($v: String) { createSeries(slug: \"s\", title: \"T\", description: $v) { id } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["CreatePaperInput.originalLanguage"],
            field: Some("originalLanguage"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("originalLanguage", json!("{bad}")),
        },
        Case {
            positions: &["CreatePaperInput.title"],
            field: Some("title"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("title", json!("{bad}")),
        },
        Case {
            positions: &["CreatePaperInput.abstract"],
            field: Some("abstract"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("abstract", json!("{bad}")),
        },
        Case {
            positions: &["CreatePaperInput.keyFindings"],
            field: Some("keyFindings"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("keyFindings", json!(["Fine.", "{bad}"])),
        },
        Case {
            positions: &["CreatePaperInput.body"],
            field: Some("body"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("body", json!("{bad}")),
        },
        Case {
            positions: &["CreatePaperInput.originalUrl"],
            field: Some("originalUrl"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("originalUrl", json!("https://pircenter.org/{bad}")),
        },
        Case {
            positions: &["CreatePaperInput.slug"],
            field: Some("slug"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("slug", json!("{bad}")),
        },
        Case {
            positions: &["ContributorInputValue.name"],
            field: Some("name"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || paper_input("contributors", json!([{ "name": "{bad}" }])),
        },
        Case {
            positions: &["ContributorInputValue.position"],
            field: Some("position"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || {
                paper_input(
                    "contributors",
                    json!([{ "name": "N", "position": "{bad}" }]),
                )
            },
        },
        Case {
            positions: &["ContributorInputValue.affiliation"],
            field: Some("affiliation"),
            who: Who::Author,
            query: CREATE_PAPER,
            variables: || {
                paper_input(
                    "contributors",
                    json!([{ "name": "N", "affiliation": "{bad}" }]),
                )
            },
        },
        Case {
            positions: &["UpdatePaperInput.title"],
            field: Some("title"),
            who: Who::Author,
            query: UPDATE_PAPER,
            variables: || json!({ "id": "{paper}", "input": { "title": "{bad}" } }),
        },
        Case {
            positions: &["UpdatePaperInput.abstract"],
            field: Some("abstract"),
            who: Who::Author,
            query: UPDATE_PAPER,
            variables: || json!({ "id": "{paper}", "input": { "abstract": "{bad}" } }),
        },
        Case {
            positions: &["UpdatePaperInput.keyFindings"],
            field: Some("keyFindings"),
            who: Who::Author,
            query: UPDATE_PAPER,
            variables: || json!({ "id": "{paper}", "input": { "keyFindings": ["{bad}"] } }),
        },
        Case {
            positions: &["UpdatePaperInput.body"],
            field: Some("body"),
            who: Who::Author,
            query: UPDATE_PAPER,
            variables: || json!({ "id": "{paper}", "input": { "body": "{bad}" } }),
        },
        Case {
            positions: &["UpdatePaperInput.originalUrl"],
            field: Some("originalUrl"),
            who: Who::Author,
            query: UPDATE_PAPER,
            variables: || json!({ "id": "{paper}", "input": { "originalUrl": "{bad}" } }),
        },
        Case {
            positions: &["Mutation.movePaper(note)"],
            field: Some("note"),
            who: Who::Author,
            query: "mutation($id: ID!, $v: String) { movePaper(id: $id, to: SUBMITTED, expectedVersion: 1, note: $v) { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["DatelineInput.place"],
            field: Some("place"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String) { movePaper(id: $id, to: PUBLISHED, expectedVersion: 1, note: \"x\", dateline: { place: $v }) { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["DatelineInput.issuer"],
            field: Some("issuer"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String) { updatePublication(id: $id, expectedVersion: 1, note: \"x\", dateline: { issuer: $v }) { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.updatePublication(note)"],
            field: Some("note"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String!) { updatePublication(id: $id, expectedVersion: 1, note: $v, publishedAt: \"2020-01-01T00:00:00Z\") { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["CorrectionInput.language"],
            field: Some("language"),
            who: Who::Editor,
            query: CORRECT_PAPER,
            variables: || json!({ "id": "{published}", "input": { "language": "{bad}" }, "note": "A fix." }),
        },
        Case {
            positions: &["CorrectionInput.title"],
            field: Some("title"),
            who: Who::Editor,
            query: CORRECT_PAPER,
            variables: || json!({ "id": "{published}", "input": { "title": "{bad}" }, "note": "A fix." }),
        },
        Case {
            positions: &["CorrectionInput.abstract"],
            field: Some("abstract"),
            who: Who::Editor,
            query: CORRECT_PAPER,
            variables: || json!({ "id": "{published}", "input": { "abstract": "{bad}" }, "note": "A fix." }),
        },
        Case {
            positions: &["CorrectionInput.keyFindings"],
            field: Some("keyFindings"),
            who: Who::Editor,
            query: CORRECT_PAPER,
            variables: || json!({ "id": "{published}", "input": { "keyFindings": ["{bad}"] }, "note": "A fix." }),
        },
        Case {
            positions: &["CorrectionInput.body"],
            field: Some("body"),
            who: Who::Editor,
            query: CORRECT_PAPER,
            variables: || json!({ "id": "{published}", "input": { "body": "{bad}" }, "note": "A fix." }),
        },
        Case {
            positions: &["Mutation.correctPaper(note)"],
            field: Some("note"),
            who: Who::Editor,
            query: CORRECT_PAPER,
            variables: || json!({ "id": "{published}", "input": { "title": "Fixed" }, "note": "{bad}" }),
        },
        Case {
            positions: &["Mutation.reschedulePaper(note)"],
            field: Some("note"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String!) { reschedulePaper(id: $id, expectedVersion: 1, note: $v, publishAt: \"2100-01-01T00:00:00Z\") { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.createTranslationTask(targetLanguage)"],
            field: Some("targetLanguage"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String!) { createTranslationTask(paperId: $id, targetLanguage: $v, kind: SUMMARY) { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.createTranslationTask(sourceLanguage)"],
            field: Some("sourceLanguage"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String) { createTranslationTask(paperId: $id, targetLanguage: \"en\", kind: SUMMARY, sourceLanguage: $v) { id } }",
            variables: || json!({ "id": "{paper}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.releaseTranslationTask(note)"],
            field: Some("note"),
            who: Who::Translator,
            query: "mutation($id: ID!, $v: String) { releaseTranslationTask(id: $id, note: $v) { id } }",
            variables: || json!({ "id": "{task}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.cancelTranslationTask(note)"],
            field: Some("note"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String) { cancelTranslationTask(id: $id, note: $v) { id } }",
            variables: || json!({ "id": "{task}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.rejectTranslation(note)"],
            field: Some("note"),
            who: Who::Editor,
            query: "mutation($id: ID!, $v: String!) { rejectTranslation(id: $id, note: $v) { id } }",
            variables: || json!({ "id": "{submitted}", "v": "{bad}" }),
        },
        Case {
            positions: &["TranslationInput.title"],
            field: Some("title"),
            who: Who::Translator,
            query: SUBMIT,
            variables: || json!({ "id": "{task}", "input": { "title": "{bad}", "abstract": "A." } }),
        },
        Case {
            positions: &["TranslationInput.abstract"],
            field: Some("abstract"),
            who: Who::Translator,
            query: SUBMIT,
            variables: || json!({ "id": "{task}", "input": { "title": "T", "abstract": "{bad}" } }),
        },
        Case {
            positions: &["TranslationInput.keyFindings"],
            field: Some("keyFindings"),
            who: Who::Translator,
            query: SUBMIT,
            variables: || json!({ "id": "{task}", "input": { "title": "T", "abstract": "A.", "keyFindings": ["{bad}"] } }),
        },
        Case {
            positions: &["TranslationInput.body"],
            field: Some("body"),
            who: Who::Translator,
            query: SUBMIT,
            variables: || json!({ "id": "{task}", "input": { "title": "T", "body": "{bad}" } }),
        },
        Case {
            positions: &["Mutation.submitReview(comments)"],
            field: Some("comments"),
            who: Who::Reviewer,
            query: "mutation($id: ID!, $v: String!) { submitReview(id: $id, recommendation: ACCEPT, comments: $v) { id } }",
            variables: || json!({ "id": "{review}", "v": "{bad}" }),
        },
        Case {
            positions: &["Mutation.declineReview(comments)"],
            field: Some("comments"),
            who: Who::Reviewer,
            query: "mutation($id: ID!, $v: String) { declineReview(id: $id, comments: $v) { id } }",
            variables: || json!({ "id": "{review}", "v": "{bad}" }),
        },
        Case {
            positions: &["Query.paper(slug)"],
            field: Some("slug"),
            who: Who::Anonymous,
            query: "query($v: String) { paper(slug: $v) { id } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Query.series(slug)"],
            field: Some("slug"),
            who: Who::Anonymous,
            query: "query($v: String!) { series(slug: $v) { id } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Paper.text(language)"],
            field: Some("language"),
            who: Who::Anonymous,
            query: "query($id: ID!, $v: String!) { paper(id: $id) { text(language: $v) { title } } }",
            variables: || json!({ "id": "{published}", "v": "{bad}" }),
        },
        Case {
            positions: &["Paper.announcement(language)"],
            field: Some("language"),
            who: Who::Anonymous,
            query: "query($id: ID!, $v: String!) { paper(id: $id) { announcement(language: $v) } }",
            variables: || json!({ "id": "{published}", "v": "{bad}" }),
        },
        Case {
            positions: &["PapersFilter.originalLanguage"],
            field: Some("originalLanguage"),
            who: Who::Anonymous,
            query: PAPERS,
            variables: || json!({ "filter": { "originalLanguage": "{bad}" } }),
        },
        Case {
            positions: &["PapersFilter.withTextIn"],
            field: Some("withTextIn"),
            who: Who::Anonymous,
            query: PAPERS,
            variables: || json!({ "filter": { "withTextIn": "{bad}" } }),
        },
        Case {
            positions: &["PapersFilter.withoutTextIn"],
            field: Some("withoutTextIn"),
            who: Who::Anonymous,
            query: PAPERS,
            variables: || json!({ "filter": { "withoutTextIn": "{bad}" } }),
        },
        Case {
            positions: &["PapersFilter.contributor"],
            field: Some("contributor"),
            who: Who::Anonymous,
            query: PAPERS,
            variables: || json!({ "filter": { "contributor": "{bad}" } }),
        },
        Case {
            positions: &["PapersFilter.search"],
            field: Some("search"),
            who: Who::Anonymous,
            query: PAPERS,
            variables: || json!({ "filter": { "search": "{bad}" } }),
        },
        Case {
            positions: &["TranslationTasksFilter.targetLanguage"],
            field: Some("targetLanguage"),
            who: Who::Translator,
            query: "query($v: String) { translationTasks(filter: { targetLanguage: $v }) { totalCount } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Query.papers(after)", "Query.papers(before)"],
            field: None,
            who: Who::Anonymous,
            query: "query($v: String) { a: papers(after: $v) { totalCount } b: papers(before: $v) { totalCount } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Series.papers(after)", "Series.papers(before)"],
            field: None,
            who: Who::Anonymous,
            query: "query($v: String) { allSeries { a: papers(after: $v) { totalCount } b: papers(before: $v) { totalCount } } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &[
                "Query.translationTasks(after)",
                "Query.translationTasks(before)",
            ],
            field: None,
            who: Who::Translator,
            query: "query($v: String) { a: translationTasks(after: $v) { totalCount } b: translationTasks(before: $v) { totalCount } }",
            variables: || json!({ "v": "{bad}" }),
        },
        Case {
            positions: &["Query.users(after)"],
            field: None,
            who: Who::Admin,
            query: "query($v: String) { users(after: $v) { totalCount } }",
            variables: || json!({ "v": "{bad}" }),
        },
    ]
}

/// Subscriptions run over the WebSocket, not in the table (cursors:
/// `outbox::a_cursor_that_is_not_one_is_refused`).
const OVER_WEBSOCKET: &[&str] = &[
    "Subscription.translationTaskEvents(language)",
    "Subscription.paperEvents(after)",
    "Subscription.translationTaskEvents(after)",
];

/// Positions whose text is refused in a per-line report, not as an error:
/// `import::control_characters_in_a_line_are_refused_in_its_report`.
const REPORTED_PER_LINE: &[&str] = &["Mutation.importPapers(lines)"];

/// The control characters a case is sent with, each inside a value.
const POISONS: &[char] = &['\0', '\u{7}', '\u{8}', '\u{1b}'];

/// The ids a case's variables may name, and the office they live in.
struct Fixture {
    office: Office,
    admin: Person,
    ids: Vec<(&'static str, String)>,
}

impl Fixture {
    async fn open() -> Fixture {
        let office = Office::open().await;
        let admin = office.person("admin@imprint.test", &[Role::Admin]).await;
        office.series("security-index", "Security Index").await;
        let paper = office.draft().await;
        let published = office.paper_in("PUBLISHED").await;
        let (_, tasks) = office.paper_in_translation_with(&["en", "de"]).await;
        let claimed = Office::task_from(office.try_claim(&office.translator, &tasks[0]).await);
        let submitted = {
            Office::task_from(office.try_claim(&office.translator, &tasks[1]).await);
            let input = crate::helpers::workflow::english_summary("A title");
            Office::task_from(
                office
                    .try_submit(&office.translator, &tasks[1], input)
                    .await,
            )
        };
        let in_review = office.paper_in("REVIEW").await;
        let review = office.snapshot(&in_review).await["reviews"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let ids = vec![
            ("{paper}", paper),
            ("{published}", published),
            ("{task}", claimed["id"].as_str().unwrap().to_owned()),
            ("{submitted}", submitted["id"].as_str().unwrap().to_owned()),
            ("{review}", review),
        ];
        Fixture { office, admin, ids }
    }

    fn person(&self, who: Who) -> Option<&Person> {
        match who {
            Who::Anonymous => None,
            Who::Admin => Some(&self.admin),
            Who::Editor => Some(&self.office.editor),
            Who::Author => Some(&self.office.author),
            Who::Translator => Some(&self.office.translator),
            Who::Reviewer => Some(&self.office.reviewer),
        }
    }

    fn fill(&self, value: Value, bad: &str) -> Value {
        match value {
            Value::String(text) => {
                let mut text = text.replace("{bad}", bad);
                for (name, id) in &self.ids {
                    text = text.replace(name, id);
                }
                Value::String(text)
            }
            Value::Array(items) => items.into_iter().map(|v| self.fill(v, bad)).collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(key, v)| (key, self.fill(v, bad)))
                .collect(),
            other => other,
        }
    }

    /// Everything a refused request could have changed, as an editor and
    /// an admin see it.
    async fn state(&self) -> Value {
        let mut state = Vec::new();
        for (_, id) in self
            .ids
            .iter()
            .filter(|(name, _)| matches!(*name, "{paper}" | "{published}"))
        {
            state.push(self.office.snapshot(id).await);
        }
        let lists = self
            .office
            .gql(
                Some(&self.admin),
                "{ papers(first: 100) { totalCount nodes { id version slug } }
                   allSeries { slug title description }
                   users(first: 100) { totalCount nodes { email displayName } }
                   translationTasks(first: 100) { nodes { id status note events { to note } } } }",
                json!({}),
            )
            .await
            .ok();
        state.push(lists.body["data"].clone());
        Value::Array(state)
    }
}

#[tokio::test]
async fn control_characters_are_refused_in_every_text_input_and_nothing_is_written() {
    let fixture = Fixture::open().await;
    let before = fixture.state().await;
    for case in cases() {
        for poison in POISONS {
            let bad = format!("ab{poison}c");
            let variables = fixture.fill((case.variables)(), &bad);
            let response = fixture
                .office
                .gql(fixture.person(case.who), case.query, variables.clone())
                .await;
            let what = format!("{:?} with U+{:04X}", case.positions, u32::from(*poison));
            assert_eq!(
                response.error_code(),
                Some("BAD_USER_INPUT"),
                "{what}: {}",
                response.body
            );
            if let Some(field) = case.field {
                let error = &response.body["errors"][0];
                assert_eq!(error["extensions"]["field"], field, "{what}: {error}");
                let message = error["message"].as_str().unwrap_or_default();
                assert!(
                    message.starts_with(&format!("{field}: ")),
                    "{what}: {message}"
                );
            }
        }
    }
    assert_eq!(
        fixture.state().await,
        before,
        "a refused request wrote something"
    );
}

#[tokio::test]
async fn a_subscription_refuses_control_characters_in_its_language() {
    let fixture = Fixture::open().await;
    let mut socket = fixture
        .office
        .app
        .live(Some(&fixture.office.translator.token))
        .await;
    socket
        .subscribe(
            "t",
            "subscription($v: String) { translationTaskEvents(language: $v) { from to } }",
            json!({ "v": "e\u{0}n" }),
        )
        .await;
    let message = socket.next_message().await;
    let error = match message["type"].as_str() {
        Some("error") => message["payload"][0].clone(),
        _ => message["payload"]["errors"][0].clone(),
    };
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{message}");
    assert_eq!(error["extensions"]["field"], "language", "{message}");
}

/// The input positions of the schema whose type is `String` (or a list of
/// them): arguments as `Type.field(argument)`, input fields as
/// `Input.field`.
fn string_inputs() -> BTreeSet<String> {
    fn is_string(ty: &Type) -> bool {
        match &ty.base {
            BaseType::Named(name) => name.as_str() == "String",
            BaseType::List(inner) => is_string(inner),
        }
    }
    let schema = async_graphql::parser::parse_schema(include_str!("../../schema.graphql")).unwrap();
    let mut found = BTreeSet::new();
    for definition in schema.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = ty.node;
        match ty.kind {
            TypeKind::Object(object) => {
                for field in object.fields {
                    for argument in &field.node.arguments {
                        if is_string(&argument.node.ty.node) {
                            found.insert(format!(
                                "{}.{}({})",
                                ty.name.node, field.node.name.node, argument.node.name.node
                            ));
                        }
                    }
                }
            }
            TypeKind::InputObject(input) => {
                for field in input.fields {
                    if is_string(&field.node.ty.node) {
                        found.insert(format!("{}.{}", ty.name.node, field.node.name.node));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

#[test]
fn every_string_input_is_in_the_table() {
    let covered: BTreeSet<String> = cases()
        .iter()
        .flat_map(|case| case.positions.iter())
        .chain(OVER_WEBSOCKET)
        .chain(REPORTED_PER_LINE)
        .map(|position| position.to_string())
        .collect();
    let missing: Vec<_> = string_inputs().difference(&covered).cloned().collect();
    assert!(missing.is_empty(), "not in the table: {missing:?}");
    let unknown: Vec<_> = covered.difference(&string_inputs()).cloned().collect();
    assert!(unknown.is_empty(), "not in the schema: {unknown:?}");
}

#[tokio::test]
async fn pages_and_feeds_refuse_control_characters_in_their_address() {
    let office = Office::open().await;
    for path in [
        "/papers/ab%00c",
        "/papers/ab%1Bc/text/en",
        "/series/ab%00c/feed.atom",
    ] {
        let response = office
            .app
            .client
            .get(office.app.url(path))
            .send()
            .await
            .unwrap();
        assert!(
            matches!(response.status().as_u16(), 400 | 404),
            "{path}: {}",
            response.status()
        );
    }
}

#[tokio::test]
async fn every_stored_text_is_capped_and_the_error_states_the_cap() {
    let fixture = Fixture::open().await;
    let over = |field: TextField| "я".repeat(field.max_chars + 1);
    let at = |field: TextField| "я".repeat(field.max_chars);
    let cases = [
        (
            TextField::TITLE,
            CREATE_PAPER,
            paper_input("title", json!("{bad}")),
            Who::Author,
        ),
        (
            TextField::ABSTRACT,
            CREATE_PAPER,
            paper_input("abstract", json!("{bad}")),
            Who::Author,
        ),
        (
            TextField::KEY_FINDING,
            CREATE_PAPER,
            paper_input("keyFindings", json!(["{bad}"])),
            Who::Author,
        ),
        (
            TextField::BODY,
            CREATE_PAPER,
            paper_input("body", json!("{bad}")),
            Who::Author,
        ),
        (
            TextField::NOTE,
            "mutation($id: ID!, $v: String) { movePaper(id: $id, to: SUBMITTED, expectedVersion: 1, note: $v) { id } }",
            json!({ "id": "{paper}", "v": "{bad}" }),
            Who::Author,
        ),
        (
            TextField::COMMENTS,
            "mutation($id: ID!, $v: String!) { submitReview(id: $id, recommendation: ACCEPT, comments: $v) { id } }",
            json!({ "id": "{review}", "v": "{bad}" }),
            Who::Reviewer,
        ),
    ];
    let before = fixture.state().await;
    for (field, query, variables, who) in &cases {
        let variables = fixture.fill(variables.clone(), &over(*field));
        let response = fixture
            .office
            .gql(fixture.person(*who), query, variables)
            .await;
        assert_eq!(
            response.error_code(),
            Some("BAD_USER_INPUT"),
            "{}",
            field.name
        );
        assert_eq!(
            response.error_message(),
            format!(
                "{}: at most {} characters (got {})",
                field.name,
                field.max_chars,
                field.max_chars + 1
            )
        );
    }
    assert_eq!(
        fixture.state().await,
        before,
        "a refused request wrote something"
    );
    // At the cap, the text is taken whole.
    for field in [TextField::TITLE, TextField::BODY] {
        let name = field.name;
        let variables = fixture.fill(paper_input(name, json!("{bad}")), &at(field));
        let created = fixture
            .office
            .gql(Some(&fixture.office.author), CREATE_PAPER, variables)
            .await
            .ok();
        let id = created.data()["createPaper"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let text = fixture
            .office
            .gql(
                Some(&fixture.office.author),
                &format!(
                    "query($id: ID!) {{ paper(id: $id) {{ text(language: \"ru\") {{ {name} }} }} }}"
                ),
                json!({ "id": id }),
            )
            .await
            .ok();
        let stored = text.data()["paper"]["text"][name]
            .as_str()
            .unwrap_or_default();
        assert_eq!(stored.chars().count(), field.max_chars, "{name}");
    }
}

#[tokio::test]
async fn malformed_language_tags_are_refused_as_the_filters_refuse_them() {
    let office = Office::open().await;
    let paper = office.paper_in("PUBLISHED").await;
    for tag in ["", "ru_RU", "en--US", "english"] {
        for query in [
            "query($id: ID!, $tag: String!) { paper(id: $id) { text(language: $tag) { title } } }",
            "query($id: ID!, $tag: String!) { paper(id: $id) { announcement(language: $tag) } }",
        ] {
            let response = office
                .gql(None, query, json!({ "id": paper, "tag": tag }))
                .await;
            assert_eq!(
                response.error_code(),
                Some("BAD_USER_INPUT"),
                "{tag:?}: {}",
                response.body
            );
            assert_eq!(
                response.body["errors"][0]["extensions"]["field"],
                "language"
            );
        }
        let filtered = office
            .gql(None, PAPERS, json!({ "filter": { "withTextIn": tag } }))
            .await;
        assert_eq!(filtered.error_code(), Some("BAD_USER_INPUT"), "{tag:?}");
    }
    // A well-formed tag in another case finds the text.
    let text = office
        .gql(
            None,
            "query($id: ID!) { paper(id: $id) { text(language: \"EN\") { language } } }",
            json!({ "id": paper }),
        )
        .await
        .ok();
    assert_eq!(text.data()["paper"]["text"]["language"], "en");
}

#[tokio::test]
async fn required_fields_cannot_be_cleared() {
    let office = Office::open().await;
    let paper = office.draft().await;
    let before = office.snapshot(&paper).await;
    let read = "query($id: ID!) { paper(id: $id) { version contributors { name }
        text(language: \"ru\") { title abstract keyFindings body } } }";
    let content = office
        .gql(Some(&office.author), read, json!({ "id": paper }))
        .await
        .ok();
    for field in ["title", "keyFindings", "contributors"] {
        let response = office
            .gql(
                Some(&office.author),
                UPDATE_PAPER,
                json!({ "id": paper, "input": { field: null } }),
            )
            .await;
        assert_eq!(
            response.error_code(),
            Some("BAD_USER_INPUT"),
            "{field}: {}",
            response.body
        );
        assert_eq!(response.body["errors"][0]["extensions"]["field"], field);
    }
    assert_eq!(office.snapshot(&paper).await, before);
    let unchanged = office
        .gql(Some(&office.author), read, json!({ "id": paper }))
        .await
        .ok();
    assert_eq!(unchanged.body, content.body);
    // Optional parts are cleared by null.
    office
        .gql(
            Some(&office.author),
            UPDATE_PAPER,
            json!({ "id": paper, "input": { "body": null } }),
        )
        .await
        .ok();
    let cleared = office
        .gql(Some(&office.author), read, json!({ "id": paper }))
        .await
        .ok();
    assert_eq!(cleared.data()["paper"]["text"]["body"], Value::Null);
    assert_eq!(
        cleared.data()["paper"]["text"]["title"],
        content.data()["paper"]["text"]["title"]
    );
}

#[test]
fn the_readme_states_every_cap_the_domain_enforces() {
    let readme = include_str!("../../README.md");
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("| field | at most (characters) |"))
        .take_while(|line| line.starts_with('|'))
        .collect();
    let thousands = |n: usize| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    for field in TextField::ALL {
        let row = table
            .iter()
            .find(|row| row.contains(&format!("`{}`", field.name)))
            .unwrap_or_else(|| panic!("no row for {} in the README's caps", field.name));
        assert!(
            row.contains(&thousands(field.max_chars)),
            "{}: {row}",
            field.name
        );
    }
}
