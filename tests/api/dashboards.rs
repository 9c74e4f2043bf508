//! `publicationStatus` against papers with known stage histories: the
//! clock is moved between steps, so every cycle time is known.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, code, russian_draft};

const STATUS: &str =
    "query($filter: PublicationStatusFilter) { publicationStatus(filter: $filter) {
    papersByStage { stage papers }
    series { series { slug } papersByStage { stage papers } }
    tasks { status targetLanguage tasks }
    overdueTasks reviewsRequested reviewsOverdue
    publishedPerMonth { month papers }
    timeInStage { stage time { samples medianHours p90Hours } }
    submissionToPublication { samples medianHours p90Hours }
} }";

fn hours(office: &Office, h: i64) {
    office.app.state.clock.advance(Duration::hours(h));
}

async fn paper_in(office: &Office, series: Option<&str>, title: &str) -> String {
    let mut input = russian_draft(title);
    input["seriesId"] = json!(series);
    office.create_paper(&office.author, input).await
}

fn close_to(value: &Value, hours: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - hours).abs() < 0.01)
}

fn stage_time<'a>(status: &'a Value, stage: &str) -> &'a Value {
    status["timeInStage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["stage"] == stage)
        .map(|entry| &entry["time"])
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn publication_status_counts_and_times_a_known_history() {
    let office = Office::open().await;
    let a = office.series("series-a", "series-a").await;
    let b = office.series("series-b", "series-b").await;

    // Series A, paper 1: DRAFT 10 h, SUBMITTED 2 h, REVIEW 8 h, then published.
    let p1 = paper_in(&office, Some(&a), "Первый доклад").await;
    hours(&office, 10);
    office.moved(&office.author, &p1, "SUBMITTED", None).await;
    hours(&office, 2);
    office.moved(&office.editor, &p1, "REVIEW", None).await;
    let review = office.request_review(&p1, &office.reviewer).await;
    hours(&office, 8);
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    office.moved(&office.editor, &p1, "PUBLISHED", None).await;
    let published_month = office.app.state.clock.now().format("%Y-%m").to_string();
    let t_published = office.app.state.clock.now();

    // Series A, paper 2: DRAFT 30 h, then SUBMITTED with an overdue task.
    let p2 = paper_in(&office, Some(&a), "Второй доклад").await;
    hours(&office, 30);
    office.moved(&office.author, &p2, "SUBMITTED", None).await;
    let overdue = (office.app.state.clock.now() - Duration::hours(1)).to_rfc3339();
    office
        .gql(
            Some(&office.editor),
            "mutation($paper: ID!, $due: DateTime) { createTranslationTask(paperId: $paper, targetLanguage: \"en\", kind: SUMMARY, dueAt: $due) { id } }",
            json!({ "paper": p2, "due": overdue }),
        )
        .await
        .ok();

    // Series B, paper 4: in REVIEW with an overdue review request.
    let p4 = paper_in(&office, Some(&b), "Третий доклад").await;
    office.moved(&office.author, &p4, "SUBMITTED", None).await;
    office.moved(&office.editor, &p4, "REVIEW", None).await;
    office
        .gql(
            Some(&office.editor),
            "mutation($paper: ID!, $reviewer: ID!, $due: DateTime) { requestReview(paperId: $paper, reviewerId: $reviewer, dueAt: $due) { id } }",
            json!({ "paper": p4, "reviewer": office.reviewer.gid(), "due": overdue }),
        )
        .await
        .ok();

    // In no series: a draft.
    paper_in(&office, None, "Черновик").await;

    let all = office
        .gql(Some(&office.editor), STATUS, json!({}))
        .await
        .ok();
    let status = &all.data()["publicationStatus"];
    assert_eq!(
        status["papersByStage"],
        json!([
            { "stage": "DRAFT", "papers": 1 },
            { "stage": "SUBMITTED", "papers": 1 },
            { "stage": "REVIEW", "papers": 1 },
            { "stage": "PUBLISHED", "papers": 1 },
        ])
    );
    let per_series = status["series"].as_array().unwrap();
    assert_eq!(per_series.len(), 3);
    assert!(per_series.contains(
        &json!({ "series": null, "papersByStage": [{ "stage": "DRAFT", "papers": 1 }] })
    ));
    assert!(per_series.contains(&json!({
        "series": { "slug": "series-a" },
        "papersByStage": [{ "stage": "SUBMITTED", "papers": 1 }, { "stage": "PUBLISHED", "papers": 1 }]
    })));
    assert_eq!(
        status["tasks"],
        json!([{ "status": "OPEN", "targetLanguage": "en", "tasks": 1 }])
    );
    assert_eq!(status["overdueTasks"], 1);
    assert_eq!(
        (&status["reviewsRequested"], &status["reviewsOverdue"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(
        status["publishedPerMonth"],
        json!([{ "month": published_month, "papers": 1 }])
    );

    let only_a = office
        .gql(
            Some(&office.editor),
            STATUS,
            json!({ "filter": { "seriesId": a } }),
        )
        .await
        .ok();
    let status = &only_a.data()["publicationStatus"];
    let draft = stage_time(status, "DRAFT");
    assert_eq!(draft["samples"], 2);
    assert!(close_to(&draft["medianHours"], 10.0), "{draft}");
    assert!(close_to(&draft["p90Hours"], 30.0), "{draft}");
    assert!(close_to(
        &stage_time(status, "SUBMITTED")["medianHours"],
        2.0
    ));
    assert!(close_to(&stage_time(status, "REVIEW")["medianHours"], 8.0));
    let total = &status["submissionToPublication"];
    assert_eq!(total["samples"], 1);
    assert!(close_to(&total["medianHours"], 10.0), "{total}");
    assert_eq!(status["reviewsRequested"], 0);
    assert_eq!(status["overdueTasks"], 1);

    // A window after the publication: only paper 2's draft visit ended in it.
    let from = (t_published + Duration::hours(1)).to_rfc3339();
    let window = office
        .gql(
            Some(&office.editor),
            STATUS,
            json!({ "filter": { "seriesId": a, "from": from } }),
        )
        .await
        .ok();
    let status = &window.data()["publicationStatus"];
    assert_eq!(stage_time(status, "DRAFT")["samples"], 1);
    assert!(close_to(&stage_time(status, "DRAFT")["medianHours"], 30.0));
    assert_eq!(status["publishedPerMonth"], json!([]));
    assert_eq!(status["submissionToPublication"]["samples"], 0);
}

#[tokio::test]
async fn publication_status_is_for_editors_only() {
    let office = Office::open().await;
    for who in [&office.author, &office.translator, &office.reviewer] {
        let response = office.gql(Some(who), STATUS, json!({})).await;
        assert_eq!(code(&response), "FORBIDDEN");
    }
    assert_eq!(
        code(&office.gql(None, STATUS, json!({})).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn stage_counts_follow_moves_withdrawals_and_series_changes() {
    let office = Office::open().await;
    let a = office.series("series-a", "series-a").await;
    let b = office.series("series-b", "series-b").await;
    let p1 = paper_in(&office, Some(&a), "Один").await;
    let p2 = paper_in(&office, Some(&a), "Два").await;
    office.paper_in("PUBLISHED").await;
    office.moved(&office.author, &p1, "SUBMITTED", None).await;
    office.moved(&office.author, &p2, "ARCHIVED", None).await;
    let version = office.version(&p1).await;
    office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!, $series: ID) { updatePaper(id: $id, expectedVersion: $v, input: { seriesId: $series }) { id } }",
            json!({ "id": p1, "v": version, "series": b }),
        )
        .await
        .ok();

    let status = office
        .gql(Some(&office.editor), STATUS, json!({}))
        .await
        .ok();
    let status = &status.data()["publicationStatus"];
    for entry in status["papersByStage"].as_array().unwrap() {
        let counted = office
            .gql(
                Some(&office.editor),
                "query($stage: Stage!) { papers(filter: { stages: [$stage] }) { totalCount } }",
                json!({ "stage": entry["stage"] }),
            )
            .await
            .ok();
        assert_eq!(
            entry["papers"],
            counted.data()["papers"]["totalCount"],
            "{entry}"
        );
    }
    let only_b = office
        .gql(
            Some(&office.editor),
            STATUS,
            json!({ "filter": { "seriesId": b } }),
        )
        .await
        .ok();
    assert_eq!(
        only_b.data()["publicationStatus"]["papersByStage"],
        json!([{ "stage": "SUBMITTED", "papers": 1 }])
    );
}

#[tokio::test]
async fn history_rows_that_enter_no_stage_are_not_stage_visits() {
    let office = Office::open().await;
    let paper = office.paper_in("PUBLISHED").await;
    hours(&office, 5);
    let version = office.version(&paper).await;
    office
        .gql(
            Some(&office.editor),
            "mutation($id: ID!, $v: Int!) { updatePublication(id: $id, expectedVersion: $v,
                note: \"Announced a year earlier.\", publishedAt: \"2020-10-13T09:00:00Z\") { id } }",
            json!({ "id": paper, "v": version }),
        )
        .await
        .ok();
    hours(&office, 5);
    office
        .moved(&office.editor, &paper, "ARCHIVED", Some("Retracted."))
        .await;

    let response = office
        .gql(Some(&office.editor), STATUS, json!({}))
        .await
        .ok();
    let status = &response.data()["publicationStatus"];
    let published = stage_time(status, "PUBLISHED");
    assert_eq!(
        published["samples"], 1,
        "one visit of PUBLISHED, not cut by the change of its date: {status}"
    );
    assert!(close_to(&published["medianHours"], 10.0), "{published}");
    assert_eq!(
        status["publishedPerMonth"],
        json!([{ "month": "2020-10", "papers": 1 }]),
        "counted in the month of its real publication"
    );
}
