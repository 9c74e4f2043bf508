//! The editorial workflow end to end: a paper like the sample publication
//! (a Russian report in the Security Index series with an English summary of
//! its key findings) goes from draft to publication through HTTP only.

use imprint::domain::Role;
use imprint::service::users::{self, NewUser};
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, Person, code};
use crate::helpers::{PASSWORD, TestApp};

const SERIES_TITLE: &str = "Security Index Occasional Paper Series";
const POSITION: &str = "Deputy Minister of Foreign Affairs of the Russian Federation";
const AFFILIATION: &str = "Russian Foreign Ministry";

const TITLE_RU: &str = "Равная безопасность и согласие как основа стратегической стабильности";
const ABSTRACT_RU: &str = "В статье рассматриваются изменения во внешней политике России \
    в условиях милитаризации международных отношений и разрушения системы контроля над \
    вооружениями, а также предлагается порядок шагов по восстановлению стратегической стабильности.";
const BODY_RU: &str = "Введение. Система договоров, на которой десятилетиями держалась \
    предсказуемость в ядерной сфере, распадается. Ниже мы разбираем причины этого и \
    предлагаем, с чего начать разговор о новых правилах.";

const TITLE_EN: &str = "Equal Security and Consensus as the Basis of Strategic Stability";
const SUMMARY_EN: &str = "The paper looks at how Russian foreign policy is changing while \
    international relations grow more militarised and arms control erodes, and sets out \
    steps that would bring strategic stability back.";

fn findings_en() -> Vec<&'static str> {
    vec![
        "Dismantling the legal basis of arms control undermines trust and makes the nuclear sphere less predictable.",
        "New Russian weapon systems answer the actions of others and aim at deterrence, not superiority.",
        "Extending New START without conditions would keep verification alive and buy time for new arrangements.",
        "A binding agreement against weapons in outer space should involve every leading space power.",
        "Strategic stability talks serve national security; they are not an end in themselves.",
    ]
}

/// A user with a name, position and affiliation, logged in.
pub async fn person_with_profile(
    app: &TestApp,
    email: &str,
    name: &str,
    position: &str,
    affiliation: &str,
    roles: &[Role],
) -> Person {
    let new = NewUser {
        email: email.into(),
        display_name: name.into(),
        password: PASSWORD.into(),
        roles: roles.to_vec(),
        position: Some(position.into()),
        affiliation: Some(affiliation.into()),
    };
    let id = users::register(&app.state.db, app.state.clock.now(), new)
        .await
        .unwrap()
        .id;
    Person {
        id,
        token: app.login(email).await,
    }
}

#[tokio::test]
async fn the_sample_paper_goes_from_a_russian_draft_to_a_published_english_summary() {
    let app = TestApp::spawn().await;
    let ryabkov = person_with_profile(
        &app,
        "ryabkov@example.org",
        "Sergey Ryabkov",
        POSITION,
        AFFILIATION,
        &[Role::Author],
    )
    .await;
    let office = Office::open_in(app).await;
    let (editor, translator, reviewer) = (&office.editor, &office.translator, &office.reviewer);

    // The editor creates the series; the author drafts the paper in Russian.
    let series = office
        .gql(
            Some(editor),
            "mutation($title: String!) { createSeries(slug: \"security-index\", title: $title) { id title } }",
            json!({ "title": SERIES_TITLE }),
        )
        .await
        .ok();
    let series_id = series.data()["createSeries"]["id"].clone();
    let paper = office
        .create_paper(
            &ryabkov,
            json!({
                "originalLanguage": "ru",
                "title": TITLE_RU,
                "abstract": ABSTRACT_RU,
                "keyFindings": ["Разрушение договорной базы подрывает доверие.", "Продление СНВ-3 сохраняет предсказуемость."],
                "body": BODY_RU,
                "seriesId": series_id,
                "originalUrl": "https://example.org/ru/security-index/equal-security",
                "slug": "equal-security-and-consensus",
                "contributors": [{
                    "name": "Sergey Ryabkov",
                    "position": POSITION,
                    "affiliation": AFFILIATION,
                    "userId": ryabkov.gid(),
                }],
            }),
        )
        .await;

    // Submitted by its author.
    office.moved(&ryabkov, &paper, "SUBMITTED", None).await;

    // The editor asks for an English summary and sends the paper to translation.
    let task = office.create_task(&paper, "en", "SUMMARY").await;
    office.moved(editor, &paper, "TRANSLATION", None).await;

    // The translator claims it and hands in a first version without one finding.
    let claimed = Office::task_from(office.try_claim(translator, &task).await);
    assert_eq!(claimed["status"], "CLAIMED");
    assert_eq!(claimed["sourceLanguage"], "ru");
    assert_eq!(claimed["claimedBy"]["id"], translator.gid());
    let first_draft: Vec<_> = findings_en().into_iter().take(4).collect();
    let submitted = Office::task_from(
        office
            .try_submit(
                translator,
                &task,
                json!({ "title": TITLE_EN, "abstract": SUMMARY_EN, "keyFindings": first_draft }),
            )
            .await,
    );
    assert_eq!(submitted["status"], "SUBMITTED");
    assert_eq!(submitted["submission"]["keyFindings"], json!(first_draft));

    // The editor sends it back once; the same translator holds it again.
    let rejected = Office::task_from(
        office
            .try_reject(editor, &task, "The fifth key finding is missing.")
            .await,
    );
    assert_eq!(rejected["status"], "CLAIMED");
    assert_eq!(rejected["claimedBy"]["id"], translator.gid());
    assert_eq!(rejected["note"], "The fifth key finding is missing.");
    let resubmitted = Office::task_from(
        office
            .try_submit(
                translator,
                &task,
                json!({ "title": TITLE_EN, "abstract": SUMMARY_EN, "keyFindings": findings_en() }),
            )
            .await,
    );
    assert_eq!(resubmitted["status"], "SUBMITTED");
    let accepted = Office::task_from(office.try_accept(editor, &task).await);
    assert_eq!(accepted["status"], "ACCEPTED");
    let events: Vec<_> = accepted["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["to"].clone(), e["actor"]["id"].clone()))
        .collect();
    let (ed, tr) = (json!(editor.gid()), json!(translator.gid()));
    assert_eq!(
        events,
        vec![
            (json!("OPEN"), ed.clone()),
            (json!("CLAIMED"), tr.clone()),
            (json!("SUBMITTED"), tr.clone()),
            (json!("CLAIMED"), ed.clone()),
            (json!("SUBMITTED"), tr.clone()),
            (json!("ACCEPTED"), ed.clone()),
        ]
    );

    // Review: one reviewer recommends ACCEPT; the editor publishes.
    let in_review = office.moved(editor, &paper, "REVIEW", None).await;
    assert_eq!(in_review["reviewRound"], 1);
    let review = office.request_review(&paper, reviewer).await;
    office.submit_review(reviewer, &review, "ACCEPT").await;
    let published = office.moved(editor, &paper, "PUBLISHED", None).await;
    let published_at = published["publishedAt"].as_str().unwrap().to_owned();

    // Anyone reads it by its slug: the English summary, credits and date.
    let public = office
        .gql(
            None,
            "{ paper(slug: \"equal-security-and-consensus\") {
                id stage publishedAt originalLanguage originalUrl
                series { title }
                contributors { name position affiliation user { displayName email } }
                english: text(language: \"en\") { kind title abstract keyFindings stale translator { id email } }
                texts { language kind }
                tasks { id } reviews { id } history { to } availableTransitions { to }
            } }",
            json!({}),
        )
        .await
        .ok();
    let public = &public.data()["paper"];
    assert_eq!(public["id"], json!(paper));
    assert_eq!(public["stage"], "PUBLISHED");
    assert_eq!(public["publishedAt"], json!(published_at));
    assert_eq!(public["originalLanguage"], "ru");
    assert_eq!(public["series"]["title"], SERIES_TITLE);
    assert_eq!(
        public["contributors"],
        json!([{
            "name": "Sergey Ryabkov",
            "position": POSITION,
            "affiliation": AFFILIATION,
            "user": { "displayName": "Sergey Ryabkov", "email": null },
        }])
    );
    let english = &public["english"];
    assert_eq!(english["kind"], "SUMMARY");
    assert_eq!(english["title"], TITLE_EN);
    assert_eq!(english["abstract"], SUMMARY_EN);
    assert_eq!(english["keyFindings"], json!(findings_en()));
    assert_eq!(english["stale"], false);
    assert_eq!(english["translator"]["id"], translator.gid());
    assert_eq!(english["translator"]["email"], Value::Null);
    assert_eq!(
        public["texts"],
        json!([{ "language": "ru", "kind": "ORIGINAL" }, { "language": "en", "kind": "SUMMARY" }])
    );
    for hidden in ["tasks", "reviews", "history", "availableTransitions"] {
        assert_eq!(public[hidden], json!([]), "{hidden} for anonymous");
    }

    // The history shows every step with who took it, to the editor and the author.
    let expected_history = json!([
        { "from": null, "to": "DRAFT", "actor": { "id": ryabkov.gid() } },
        { "from": "DRAFT", "to": "SUBMITTED", "actor": { "id": ryabkov.gid() } },
        { "from": "SUBMITTED", "to": "TRANSLATION", "actor": { "id": editor.gid() } },
        { "from": "TRANSLATION", "to": "REVIEW", "actor": { "id": editor.gid() } },
        { "from": "REVIEW", "to": "PUBLISHED", "actor": { "id": editor.gid() } },
    ]);
    let history = "query($id: ID!) { paper(id: $id) {
        history { from to actor { id } }
        reviews { status round recommendation comments reviewer { id } }
    } }";
    for who in [editor, &ryabkov] {
        let seen = office
            .gql(Some(who), history, json!({ "id": paper }))
            .await
            .ok();
        assert_eq!(seen.data()["paper"]["history"], expected_history);
    }

    // The review is blind to the author: the recommendation, not the reviewer.
    let review_of = |reviewer: Value| {
        json!([{
            "status": "SUBMITTED",
            "round": 1,
            "recommendation": "ACCEPT",
            "comments": "Sound and well argued.",
            "reviewer": reviewer,
        }])
    };
    let as_author = office
        .gql(Some(&ryabkov), history, json!({ "id": paper }))
        .await
        .ok();
    assert_eq!(as_author.data()["paper"]["reviews"], review_of(Value::Null));
    let as_editor = office
        .gql(Some(editor), history, json!({ "id": paper }))
        .await
        .ok();
    assert_eq!(
        as_editor.data()["paper"]["reviews"],
        review_of(json!({ "id": reviewer.gid() }))
    );

    // It is listed publicly, in its series, and cannot be published again.
    let listed = office
        .gql(
            None,
            "{ papers { totalCount nodes { id } } series(slug: \"security-index\") { papers { totalCount nodes { id } } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(listed.data()["papers"]["totalCount"], 1);
    assert_eq!(listed.data()["papers"]["nodes"][0]["id"], json!(paper));
    assert_eq!(listed.data()["series"]["papers"]["totalCount"], 1);
    let again = office
        .try_move(Some(editor), &paper, "PUBLISHED", None)
        .await;
    assert_eq!(code(&again), "INVALID_TRANSITION");
}

#[tokio::test]
async fn publishing_again_after_a_retraction_keeps_the_first_publication_date() {
    let office = Office::open().await;
    let paper = office.paper_in("PUBLISHED").await;
    let first = office.snapshot(&paper).await["publishedAt"].clone();
    assert!(first.is_string());
    office.app.state.clock.advance(chrono::Duration::days(3));

    office
        .moved(
            &office.editor,
            &paper,
            "ARCHIVED",
            Some("Retracted for a correction."),
        )
        .await;
    office.moved(&office.editor, &paper, "DRAFT", None).await;
    office
        .moved(&office.author, &paper, "SUBMITTED", None)
        .await;
    // The accepted English summary still stands: nothing left to translate.
    office.moved(&office.editor, &paper, "REVIEW", None).await;
    let review = office.request_review(&paper, &office.reviewer).await;
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    let republished = office
        .moved(&office.editor, &paper, "PUBLISHED", None)
        .await;
    assert_eq!(republished["publishedAt"], first);
    assert_eq!(republished["reviewRound"], 2);
}
