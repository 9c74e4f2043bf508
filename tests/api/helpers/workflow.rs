//! An editorial office for workflow tests: a running server with an editor,
//! two authors, a translator and a reviewer already logged in, and short
//! ways to drive papers, tasks and reviews through the real mutations.

use imprint::domain::Role;
use serde_json::{Value, json};

use super::{Gql, TestApp};

/// A logged-in user.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub token: String,
}

impl Person {
    /// The user's id as GraphQL sends it.
    pub fn gid(&self) -> String {
        self.id.to_string()
    }
}

/// Every stage, in the order of the workflow.
pub const STAGES: [&str; 7] = [
    "DRAFT",
    "SUBMITTED",
    "TRANSLATION",
    "REVIEW",
    "SCHEDULED",
    "PUBLISHED",
    "ARCHIVED",
];

/// What an editor sees of a paper: everything a move could change.
const SNAPSHOT: &str = "query($id: ID!) { paper(id: $id) {
    id slug stage version reviewRound publishedAt publishAt releaseHeldBack updatedAt
    history { kind from to actor { id } note at }
    tasks { id status targetLanguage claimedBy { id } events { from to } }
    reviews { id status round recommendation }
    texts { language kind revision stale }
} }";

const MOVE: &str =
    "mutation($id: ID!, $to: Stage!, $v: Int!, $note: String, $publishAt: DateTime) {
    movePaper(id: $id, to: $to, expectedVersion: $v, note: $note, publishAt: $publishAt) {
        id stage version publishedAt publishAt reviewRound
    }
}";

const TASK: &str = "id status kind sourceLanguage targetLanguage note claimedBy { id }
    leaseExpiresAt submission { title abstract keyFindings sourceRevision }
    events { from to actor { id } note }";

/// The Russian original every helper paper starts from.
pub fn russian_draft(title: &str) -> Value {
    json!({
        "originalLanguage": "ru",
        "title": title,
        "abstract": "Краткое изложение выводов доклада для редакции.",
        "keyFindings": ["Первый вывод.", "Второй вывод."],
        "body": "Полный текст доклада на русском языке.",
    })
}

/// An English summary as a translator hands it in.
pub fn english_summary(title: &str) -> Value {
    json!({
        "title": title,
        "abstract": "A short English summary of the report.",
        "keyFindings": ["The first finding.", "The second finding."],
    })
}

/// A server and the people of an editorial office.
pub struct Office {
    pub app: TestApp,
    pub editor: Person,
    /// Writes the helper papers, so owns them.
    pub author: Person,
    pub other_author: Person,
    pub translator: Person,
    pub reviewer: Person,
    papers_made: std::cell::Cell<u32>,
}

impl Office {
    pub async fn open() -> Office {
        let app = TestApp::spawn().await;
        Self::open_in(app).await
    }

    pub async fn open_in(app: TestApp) -> Office {
        let editor = person(&app, "editor@imprint.test", &[Role::Editor]).await;
        let author = person(&app, "author@imprint.test", &[Role::Author]).await;
        let other_author = person(&app, "other.author@imprint.test", &[Role::Author]).await;
        let translator = person(&app, "translator@imprint.test", &[Role::Translator]).await;
        let reviewer = person(&app, "reviewer@imprint.test", &[Role::Reviewer]).await;
        Office {
            app,
            editor,
            author,
            other_author,
            translator,
            reviewer,
            papers_made: std::cell::Cell::new(0),
        }
    }

    /// Another logged-in user.
    pub async fn person(&self, email: &str, roles: &[Role]) -> Person {
        person(&self.app, email, roles).await
    }

    /// A GraphQL request as `who` (None: anonymous).
    pub async fn gql(&self, who: Option<&Person>, query: &str, variables: Value) -> Gql {
        self.app
            .gql(who.map(|p| p.token.as_str()), query, variables)
            .await
    }

    /// Everything about a paper that a move could change, as an editor sees it.
    pub async fn snapshot(&self, paper: &str) -> Value {
        let response = self
            .gql(Some(&self.editor), SNAPSHOT, json!({ "id": paper }))
            .await
            .ok();
        response.data()["paper"].clone()
    }

    pub async fn stage(&self, paper: &str) -> String {
        self.snapshot(paper).await["stage"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn version(&self, paper: &str) -> i64 {
        self.snapshot(paper).await["version"].as_i64().unwrap()
    }

    /// `createSeries` as the editor; answers the new series' id.
    pub async fn series(&self, slug: &str, title: &str) -> String {
        let response = self
            .gql(
                Some(&self.editor),
                "mutation($slug: String!, $title: String!) { createSeries(slug: $slug, title: $title) { id } }",
                json!({ "slug": slug, "title": title }),
            )
            .await
            .ok();
        response.data()["createSeries"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `createPaper` as `who`; answers the new paper's id.
    pub async fn create_paper(&self, who: &Person, input: Value) -> String {
        let response = self
            .gql(
                Some(who),
                "mutation($input: CreatePaperInput!) { createPaper(input: $input) { id stage version } }",
                json!({ "input": input }),
            )
            .await
            .ok();
        let paper = &response.data()["createPaper"];
        assert_eq!(paper["stage"], "DRAFT");
        paper["id"].as_str().unwrap().to_owned()
    }

    /// A complete Russian draft by the office's author.
    pub async fn draft(&self) -> String {
        let n = self.papers_made.get() + 1;
        self.papers_made.set(n);
        let input = russian_draft(&format!("Доклад номер {n}"));
        self.create_paper(&self.author, input).await
    }

    /// `movePaper` as `who`, sending the version the paper has now.
    pub async fn try_move(
        &self,
        who: Option<&Person>,
        paper: &str,
        to: &str,
        note: Option<&str>,
    ) -> Gql {
        let version = self.version(paper).await;
        self.try_move_at(who, paper, to, version, note).await
    }

    /// `movePaper` as `who` with an explicit expected version. A move to
    /// SCHEDULED is asked to publish a day after the server's now.
    pub async fn try_move_at(
        &self,
        who: Option<&Person>,
        paper: &str,
        to: &str,
        version: i64,
        note: Option<&str>,
    ) -> Gql {
        let publish_at = (to == "SCHEDULED").then(|| self.time_from_now(chrono::Duration::days(1)));
        self.gql(
            who,
            MOVE,
            json!({ "id": paper, "to": to, "v": version, "note": note, "publishAt": publish_at }),
        )
        .await
    }

    /// The server's now moved by `by`, in whole seconds (as a person picks
    /// a time, and as both databases keep it), as GraphQL sends a time.
    pub fn time_from_now(&self, by: chrono::Duration) -> String {
        use chrono::SubsecRound;
        (self.app.state.clock.now() + by)
            .trunc_subsecs(0)
            .to_rfc3339()
    }

    /// A move that must succeed; answers the moved paper.
    pub async fn moved(&self, who: &Person, paper: &str, to: &str, note: Option<&str>) -> Value {
        let response = self.try_move(Some(who), paper, to, note).await;
        assert!(
            response.body.get("errors").is_none(),
            "moving {paper} to {to}: {}",
            response.body
        );
        let moved = response.data()["movePaper"].clone();
        assert_eq!(moved["stage"], to);
        moved
    }

    /// The editor asks for a text in `language`; answers the task id.
    pub async fn create_task(&self, paper: &str, language: &str, kind: &str) -> String {
        let response = self
            .try_create_task(Some(&self.editor), paper, language, kind)
            .await
            .ok();
        let task = &response.data()["createTranslationTask"];
        assert_eq!(task["status"], "OPEN");
        task["id"].as_str().unwrap().to_owned()
    }

    pub async fn try_create_task(
        &self,
        who: Option<&Person>,
        paper: &str,
        language: &str,
        kind: &str,
    ) -> Gql {
        self.gql(
            who,
            "mutation($paper: ID!, $lang: String!, $kind: TaskKind!) {
                createTranslationTask(paperId: $paper, targetLanguage: $lang, kind: $kind) { id status }
            }",
            json!({ "paper": paper, "lang": language, "kind": kind }),
        )
        .await
    }

    /// A task action (`claimTranslationTask`, `acceptTranslation`, …) as `who`.
    /// `args` are extra arguments in GraphQL syntax, e.g. `note: $note`,
    /// with their variables in `variables`.
    pub async fn try_task(
        &self,
        who: Option<&Person>,
        mutation: &str,
        task: &str,
        params: &str,
        args: &str,
        mut variables: Value,
    ) -> Gql {
        let query =
            format!("mutation($id: ID!{params}) {{ {mutation}(id: $id{args}) {{ {TASK} }} }}");
        variables["id"] = json!(task);
        self.gql(who, &query, variables).await
    }

    pub async fn try_claim(&self, who: &Person, task: &str) -> Gql {
        self.try_task(Some(who), "claimTranslationTask", task, "", "", json!({}))
            .await
    }

    pub async fn try_release(&self, who: &Person, task: &str, note: Option<&str>) -> Gql {
        self.try_task(
            Some(who),
            "releaseTranslationTask",
            task,
            ", $note: String",
            ", note: $note",
            json!({ "note": note }),
        )
        .await
    }

    pub async fn try_submit(&self, who: &Person, task: &str, input: Value) -> Gql {
        self.try_task(
            Some(who),
            "submitTranslation",
            task,
            ", $input: TranslationInput!",
            ", input: $input",
            json!({ "input": input }),
        )
        .await
    }

    pub async fn try_accept(&self, who: &Person, task: &str) -> Gql {
        self.try_task(Some(who), "acceptTranslation", task, "", "", json!({}))
            .await
    }

    pub async fn try_reject(&self, who: &Person, task: &str, note: &str) -> Gql {
        self.try_task(
            Some(who),
            "rejectTranslation",
            task,
            ", $note: String!",
            ", note: $note",
            json!({ "note": note }),
        )
        .await
    }

    pub async fn try_cancel(&self, who: &Person, task: &str, note: Option<&str>) -> Gql {
        self.try_task(
            Some(who),
            "cancelTranslationTask",
            task,
            ", $note: String",
            ", note: $note",
            json!({ "note": note }),
        )
        .await
    }

    /// The task's payload from a response that must have succeeded.
    pub fn task_from(response: Gql) -> Value {
        let response = response.ok();
        let object = response.data().as_object().unwrap();
        object.values().next().unwrap().clone()
    }

    /// A task as the editor sees it.
    pub async fn task(&self, task: &str) -> Value {
        let query = format!("query($id: ID!) {{ translationTask(id: $id) {{ {TASK} }} }}");
        let response = self
            .gql(Some(&self.editor), &query, json!({ "id": task }))
            .await
            .ok();
        response.data()["translationTask"].clone()
    }

    /// The last entry of a task's log, as the editor sees it.
    pub async fn last_task_event(&self, task: &str) -> Value {
        let task = self.task(task).await;
        task["events"].as_array().unwrap().last().unwrap().clone()
    }

    /// A paper in TRANSLATION with an open SUMMARY task for each language;
    /// answers the paper and the task ids in the same order.
    pub async fn paper_in_translation_with(&self, languages: &[&str]) -> (String, Vec<String>) {
        let paper = self.paper_in("SUBMITTED").await;
        let mut tasks = vec![];
        for language in languages {
            tasks.push(self.create_task(&paper, language, "SUMMARY").await);
        }
        self.moved(&self.editor, &paper, "TRANSLATION", None).await;
        (paper, tasks)
    }

    /// The translator claims and submits an English summary; the editor accepts it.
    pub async fn translate(&self, translator: &Person, task: &str) {
        Self::task_from(self.try_claim(translator, task).await);
        let submitted = self
            .try_submit(translator, task, english_summary("An English title"))
            .await;
        Self::task_from(submitted);
        let accepted = Self::task_from(self.try_accept(&self.editor, task).await);
        assert_eq!(accepted["status"], "ACCEPTED");
    }

    /// The editor asks `reviewer` for a review; answers the review id.
    pub async fn request_review(&self, paper: &str, reviewer: &Person) -> String {
        let response = self
            .gql(
                Some(&self.editor),
                "mutation($paper: ID!, $reviewer: ID!) { requestReview(paperId: $paper, reviewerId: $reviewer) { id status } }",
                json!({ "paper": paper, "reviewer": reviewer.gid() }),
            )
            .await
            .ok();
        let review = &response.data()["requestReview"];
        assert_eq!(review["status"], "REQUESTED");
        review["id"].as_str().unwrap().to_owned()
    }

    pub async fn submit_review(&self, reviewer: &Person, review: &str, recommendation: &str) {
        let response = self
            .gql(
                Some(reviewer),
                "mutation($id: ID!, $r: Recommendation!) { submitReview(id: $id, recommendation: $r, comments: \"Sound and well argued.\") { status } }",
                json!({ "id": review, "r": recommendation }),
            )
            .await
            .ok();
        assert_eq!(response.data()["submitReview"]["status"], "SUBMITTED");
    }

    /// A paper of the office's author driven to `stage` through the real
    /// mutations:
    /// - SUBMITTED: submitted by its author, no task yet;
    /// - TRANSLATION: one OPEN English SUMMARY task;
    /// - REVIEW: that task ACCEPTED (done by `self.translator`), a review
    ///   REQUESTED of `self.reviewer`, not answered;
    /// - SCHEDULED: the review recommends ACCEPT; to be published a day
    ///   after the server's now;
    /// - PUBLISHED: the review recommends ACCEPT;
    /// - ARCHIVED: published, then retracted by the editor.
    pub async fn paper_in(&self, stage: &str) -> String {
        let paper = self.draft().await;
        let path: &[&str] = match stage {
            "SCHEDULED" => &["SUBMITTED", "TRANSLATION", "REVIEW", "SCHEDULED"],
            _ => &[
                "SUBMITTED",
                "TRANSLATION",
                "REVIEW",
                "PUBLISHED",
                "ARCHIVED",
            ],
        };
        let steps = match stage {
            "DRAFT" => 0,
            other => path.iter().position(|s| *s == other).unwrap() + 1,
        };
        let mut review = None;
        for to in &path[..steps] {
            match *to {
                "SUBMITTED" => {
                    self.moved(&self.author, &paper, "SUBMITTED", None).await;
                }
                "TRANSLATION" => {
                    self.create_task(&paper, "en", "SUMMARY").await;
                    self.moved(&self.editor, &paper, "TRANSLATION", None).await;
                }
                "REVIEW" => {
                    let task = self.snapshot(&paper).await["tasks"][0]["id"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    self.translate(&self.translator, &task).await;
                    self.moved(&self.editor, &paper, "REVIEW", None).await;
                    review = Some(self.request_review(&paper, &self.reviewer).await);
                }
                "PUBLISHED" | "SCHEDULED" => {
                    let review = review.as_deref().unwrap();
                    self.submit_review(&self.reviewer, review, "ACCEPT").await;
                    self.moved(&self.editor, &paper, to, None).await;
                }
                "ARCHIVED" => {
                    self.moved(&self.editor, &paper, "ARCHIVED", Some("Retracted."))
                        .await;
                }
                _ => unreachable!(),
            }
        }
        assert_eq!(self.stage(&paper).await, stage);
        paper
    }
}

/// A user created directly and logged in through `login`.
pub async fn person(app: &TestApp, email: &str, roles: &[Role]) -> Person {
    let (id, token) = app.user_with(email, roles).await;
    Person { id, token }
}

/// The error code of a response that must have failed, with the body on failure.
pub fn code(response: &Gql) -> &str {
    response.error_code().unwrap_or_else(|| {
        panic!("expected an error, got {}", response.body);
    })
}
