//! The publication feed (`/feed.atom`, `/series/{slug}/feed.atom`), the
//! pages its entries link to, and `paper.announcement`: published papers
//! only, each announced like the publisher's own announcements. The feed is
//! read back with feed-rs, a different Atom parser than the one that wrote it.

use feed_rs::model::{Entry, Feed, FeedType};
use imprint::demo;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, code, russian_draft};
use crate::helpers::{PUBLIC_URL, TestApp};

/// What one published helper paper says, made from a short name.
fn english(name: &str) -> Value {
    json!({
        "title": format!("Report {name} in English"),
        "abstract": format!("The English summary of report {name}."),
        "keyFindings": [
            format!("First finding of {name}."),
            format!("Second finding of {name}."),
        ],
    })
}

fn credits() -> Value {
    json!([
        {
            "name": "Sergey Ryabkov",
            "position": "Deputy Minister of Foreign Affairs of the Russian Federation",
            "affiliation": "Russian Foreign Ministry",
        },
        { "name": "Anna Second", "affiliation": "PIR Center" },
    ])
}

/// A Russian paper with an English summary, driven to PUBLISHED through the
/// real mutations; answers its id.
async fn publish(
    office: &Office,
    name: &str,
    series: Option<&str>,
    original_url: Option<&str>,
) -> String {
    let mut input = russian_draft(&format!("Доклад {name}"));
    input["seriesId"] = json!(series);
    input["contributors"] = credits();
    input["originalUrl"] = json!(original_url);
    let paper = office.create_paper(&office.author, input).await;
    office
        .moved(&office.author, &paper, "SUBMITTED", None)
        .await;
    let task = office.create_task(&paper, "en", "SUMMARY").await;
    office
        .moved(&office.editor, &paper, "TRANSLATION", None)
        .await;
    Office::task_from(office.try_claim(&office.translator, &task).await);
    Office::task_from(
        office
            .try_submit(&office.translator, &task, english(name))
            .await,
    );
    Office::task_from(office.try_accept(&office.editor, &task).await);
    office.moved(&office.editor, &paper, "REVIEW", None).await;
    let review = office.request_review(&paper, &office.reviewer).await;
    office
        .submit_review(&office.reviewer, &review, "ACCEPT")
        .await;
    office
        .moved(&office.editor, &paper, "PUBLISHED", None)
        .await;
    paper
}

async fn slug(office: &Office, paper: &str) -> String {
    office.snapshot(paper).await["slug"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn paper_link(slug: &str) -> String {
    format!("{PUBLIC_URL}/papers/{slug}")
}

/// GETs a path; answers the status, content type and body.
async fn get(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

/// A feed that must be served as Atom and parse as Atom.
async fn feed(app: &TestApp, path: &str) -> Feed {
    let (status, content_type, body) = get(app, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    assert_eq!(content_type, "application/atom+xml; charset=utf-8");
    let feed =
        feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|err| panic!("{err}: {body}"));
    assert_eq!(feed.feed_type, FeedType::Atom);
    feed
}

fn ids(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(|e| e.id.as_str()).collect()
}

fn content(entry: &Entry) -> &str {
    entry.content.as_ref().unwrap().body.as_deref().unwrap()
}

fn title(entry: &Entry) -> &str {
    &entry.title.as_ref().unwrap().content
}

#[tokio::test]
async fn the_feed_is_atom_and_holds_only_published_papers_newest_first() {
    let office = Office::open().await;
    let first = publish(&office, "A", None, None).await;
    for stage in ["DRAFT", "SUBMITTED", "TRANSLATION", "REVIEW", "ARCHIVED"] {
        office.paper_in(stage).await;
    }
    let second = publish(&office, "B", None, None).await;

    let feed = feed(&office.app, "/feed.atom").await;
    assert_eq!(
        ids(&feed),
        [
            paper_link(&slug(&office, &second).await),
            paper_link(&slug(&office, &first).await)
        ],
        "published papers only, newest first (the archived one was published once)"
    );
    assert_eq!(feed.id, format!("{PUBLIC_URL}/feed.atom"));
    assert!(feed.title.is_some());
    assert_eq!(feed.updated, feed.entries[0].updated);
    let own = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert_eq!(own.href, format!("{PUBLIC_URL}/feed.atom"));
    for entry in &feed.entries {
        assert!(entry.published.is_some() && entry.updated.is_some());
    }
}

#[tokio::test]
async fn an_empty_feed_is_still_valid_atom() {
    let office = Office::open().await;
    office.paper_in("REVIEW").await;
    let feed = feed(&office.app, "/feed.atom").await;
    assert!(feed.entries.is_empty());
    assert!(feed.updated.is_some());
}

#[tokio::test]
async fn feed_entries_carry_the_english_summary_findings_and_credits() {
    let office = Office::open().await;
    let series_id = office
        .series("security-index", "Security Index Occasional Paper Series")
        .await;
    let paper = publish(&office, "A", Some(&series_id), None).await;
    let slug = slug(&office, &paper).await;

    let feed = feed(&office.app, "/feed.atom?lang=en").await;
    assert_eq!(feed.id, format!("{PUBLIC_URL}/feed.atom?lang=en"));
    let [entry] = &feed.entries[..] else {
        panic!("one entry: {:?}", ids(&feed));
    };
    assert_eq!(title(entry), "Report A in English");
    let body = content(entry);
    let first = body.find("First finding of A.").unwrap();
    let second = body.find("Second finding of A.").unwrap();
    assert!(first < second, "findings in order: {body}");
    for expected in [
        "Security Index Occasional Paper Series",
        "The English summary of report A.",
        "<strong>Sergey Ryabkov</strong>",
        "Position: Deputy Minister of Foreign Affairs of the Russian Federation",
        "Affiliation: Russian Foreign Ministry",
        "<strong>Anna Second</strong>",
        "Affiliation: PIR Center",
        "Read (in Russian)",
    ] {
        assert!(body.contains(expected), "{expected:?} in {body}");
    }
    assert_eq!(
        entry.summary.as_ref().unwrap().content,
        "The English summary of report A."
    );
    let authors: Vec<&str> = entry
        .authors
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(authors, ["Sergey Ryabkov", "Anna Second"]);
    assert_eq!(entry.categories[0].term, "security-index");
    assert_eq!(
        entry.categories[0].label.as_deref(),
        Some("Security Index Occasional Paper Series")
    );
    let alternate = &entry.links[0];
    assert_eq!(alternate.href, paper_link(&slug));
    let original = entry
        .links
        .iter()
        .find(|l| l.href_lang.as_deref() == Some("ru"))
        .unwrap();
    assert_eq!(original.href, format!("{PUBLIC_URL}/papers/{slug}/text/ru"));
}

#[tokio::test]
async fn without_a_text_in_the_language_the_feed_falls_back_to_the_original_and_says_so() {
    let office = Office::open().await;
    publish(&office, "A", None, None).await;

    let russian = feed(&office.app, "/feed.atom?lang=ru").await;
    assert_eq!(title(&russian.entries[0]), "Доклад A");
    assert!(content(&russian.entries[0]).contains("Первый вывод."));
    assert!(!content(&russian.entries[0]).contains("There is no"));

    let french = feed(&office.app, "/feed.atom?lang=fr").await;
    assert_eq!(title(&french.entries[0]), "Доклад A");
    assert!(
        content(&french.entries[0]).contains("There is no French text yet"),
        "{}",
        content(&french.entries[0])
    );

    let default = feed(&office.app, "/feed.atom").await;
    assert_eq!(
        title(&default.entries[0]),
        "Report A in English",
        "English by default"
    );
}

#[tokio::test]
async fn a_series_feed_holds_only_that_series_papers() {
    let office = Office::open().await;
    let security = office
        .series("security-index", "Security Index Occasional Paper Series")
        .await;
    let other = office.series("other", "Other Series").await;
    let in_security = publish(&office, "A", Some(&security), None).await;
    publish(&office, "B", Some(&other), None).await;
    publish(&office, "C", None, None).await;

    let of_series = feed(&office.app, "/series/security-index/feed.atom?lang=en").await;
    assert_eq!(
        ids(&of_series),
        [paper_link(&slug(&office, &in_security).await)]
    );
    assert_eq!(
        of_series.title.as_ref().unwrap().content,
        "Security Index Occasional Paper Series"
    );
    assert_eq!(
        of_series.id,
        format!("{PUBLIC_URL}/series/security-index/feed.atom?lang=en")
    );
    assert_eq!(feed(&office.app, "/feed.atom").await.entries.len(), 3);
}

#[tokio::test]
async fn an_unknown_series_has_no_feed_and_a_bad_language_is_refused() {
    let office = Office::open().await;
    let (status, _, _) = get(&office.app, "/series/no-such-series/feed.atom").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, body) = get(&office.app, "/feed.atom?lang=english").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("BCP 47"), "{body}");
}

#[tokio::test]
async fn feed_links_lead_to_the_papers_page_and_its_original_text() {
    let office = Office::open().await;
    let paper = publish(&office, "A", None, None).await;
    let draft = office.paper_in("DRAFT").await;
    let feed = feed(&office.app, "/feed.atom").await;
    let local = |url: &str| url.strip_prefix(PUBLIC_URL).unwrap().to_owned();

    let (status, content_type, page) =
        get(&office.app, &local(&feed.entries[0].links[0].href)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert!(page.contains("<h1>Report A in English</h1>"), "{page}");

    let original = feed.entries[0]
        .links
        .iter()
        .find(|l| l.href_lang.is_some())
        .unwrap();
    let (status, _, text) = get(&office.app, &local(&original.href)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains("Полный текст доклада на русском языке."),
        "{text}"
    );

    let published = slug(&office, &paper).await;
    for path in [
        format!("/papers/{published}/text/fr"),
        format!("/papers/{}", slug(&office, &draft).await),
        "/papers/no-such-paper".to_owned(),
    ] {
        let (status, _, _) = get(&office.app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

const ANNOUNCEMENT: &str = "query($id: ID!) { paper(id: $id) {
    publishedAt
    text: announcement(language: \"en\", format: TEXT)
    markdown: announcement(language: \"en\")
} }";

#[tokio::test]
async fn the_announcement_has_title_credits_date_findings_in_order_and_the_original_link() {
    let office = Office::open().await;
    let series_id = office
        .series("security-index", "Security Index Occasional Paper Series")
        .await;
    let paper = publish(
        &office,
        "A",
        Some(&series_id),
        Some("https://www.pircenter.org/ru/report-a"),
    )
    .await;
    let response = office
        .gql(None, ANNOUNCEMENT, json!({ "id": paper }))
        .await
        .ok();
    let paper = &response.data()["paper"];
    let published: chrono::DateTime<chrono::Utc> =
        paper["publishedAt"].as_str().unwrap().parse().unwrap();
    let date = published.format("%B %-d, %Y").to_string().to_uppercase();

    let text = paper["text"].as_str().unwrap();
    for expected in [
        "Security Index Occasional Paper Series\n\nReport A in English\n\n",
        "Sergey Ryabkov\n  • Position : Deputy Minister of Foreign Affairs of the Russian Federation\n  • Affiliation : Russian Foreign Ministry\nAnna Second\n  • Affiliation : PIR Center",
        &format!(
            "{date}. The Security Index Occasional Paper Series came out with the report \"Report A in English\" by Sergey Ryabkov and Anna Second."
        ),
        "The English summary of report A.",
        "Key findings:\n\n  • First finding of A.\n  • Second finding of A.",
        "Read (in Russian)\nhttps://www.pircenter.org/ru/report-a",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }

    let markdown = paper["markdown"].as_str().unwrap();
    for expected in [
        "*Security Index Occasional Paper Series*",
        "# Report A in English",
        "- **Sergey Ryabkov**\n  - Position: Deputy Minister of Foreign Affairs of the Russian Federation",
        &format!("**{date}.**"),
        "## Key findings\n\n- First finding of A.\n- Second finding of A.",
        "[Read (in Russian)](<https://www.pircenter.org/ru/report-a>)",
    ] {
        assert!(markdown.contains(expected), "{expected:?} in {markdown}");
    }
}

#[tokio::test]
async fn anonymous_cannot_get_the_announcement_of_an_unpublished_paper() {
    let office = Office::open().await;
    let paper = office.paper_in("REVIEW").await;
    let query = "query($id: ID!) { paper(id: $id) { announcement(language: \"en\") } }";

    let anonymous = office.gql(None, query, json!({ "id": paper })).await;
    assert_eq!(code(&anonymous), "NOT_FOUND");

    let editor = office
        .gql(Some(&office.editor), query, json!({ "id": paper }))
        .await;
    assert_eq!(code(&editor), "BAD_USER_INPUT");
    assert!(editor.error_message().contains("only published papers"));
}

#[tokio::test]
async fn the_announcement_language_must_be_a_bcp47_tag() {
    let office = Office::open().await;
    let paper = publish(&office, "A", None, None).await;
    let response = office
        .gql(
            None,
            "query($id: ID!) { paper(id: $id) { announcement(language: \"english\") } }",
            json!({ "id": paper }),
        )
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT");
}

#[tokio::test]
async fn the_demo_report_is_announced_like_the_sample_publication() {
    let app = TestApp::spawn().await;
    demo::seed(&app.state).await.unwrap();
    let feed = feed(&app, "/series/security-index/feed.atom?lang=en").await;
    let [entry] = &feed.entries[..] else {
        panic!("the demo publishes one report: {:?}", ids(&feed));
    };
    assert_eq!(
        title(entry),
        "Through Equality and Consensus to Lasting Global Security"
    );
    let body = content(entry);
    for expected in [
        "<strong>MOSCOW. OCTOBER 13, 2020. PIR PRESS.</strong> The Security Index Occasional Paper Series came out with the report &quot;Through Equality and Consensus to Lasting Global Security&quot; by Sergey Ryabkov.",
        "Position: Deputy Minister of Foreign Affairs of the Russian Federation",
        "Affiliation: Russian Foreign Ministry",
        "<h2>Key findings</h2>",
        "https://www.pircenter.org/en/editions/security-index-occasional-paper-series",
    ] {
        assert!(body.contains(expected), "{expected:?} in {body}");
    }
}
