//! A back catalogue brought in over `importPapers` and `imprint import`:
//! the sample line of `examples/`, announced like the publisher's own
//! announcement (`tests/fixtures/sample-publication.txt`); idempotence by
//! key; malformed lines reported one by one and changing nothing.

use std::io::Write;
use std::process::Command;

use feed_rs::parser;
use serde_json::{Value, json};

use crate::helpers::workflow::{Office, code};

/// The sample line of the README and `examples/`.
pub const SAMPLE: &str = include_str!("../../examples/sample-publication.jsonl");
const FIXTURE: &str = include_str!("../fixtures/sample-publication.txt");
const SERIES: &str = "Security Index Occasional Paper Series";

const IMPORT: &str = "mutation($lines: [String!]!, $dry: Boolean! = false) {
    importPapers(lines: $lines, dryRun: $dry) {
        dryRun created updated unchanged refused
        lines { line key paperId outcome changes problems { field reason } }
    }
}";

const PAPER: &str = "query($id: ID!) { paper(id: $id) {
    id slug stage version publishedAt externalKey
    dateline { place date issuer text }
    contributors { name position affiliation }
    texts { language kind stale }
    history { kind from to note at actor { id } }
    text: announcement(language: \"en\", format: TEXT)
} }";

const COUNT: &str = "{ papers { totalCount } }";

fn sample() -> Value {
    serde_json::from_str(SAMPLE.trim()).unwrap()
}

/// An office with the sample's series.
async fn office() -> Office {
    let office = Office::open().await;
    office.series("security-index", SERIES).await;
    office
}

async fn import(office: &Office, lines: &[String], dry_run: bool) -> Value {
    let response = office
        .gql(
            Some(&office.editor),
            IMPORT,
            json!({ "lines": lines, "dry": dry_run }),
        )
        .await
        .ok();
    response.data()["importPapers"].clone()
}

async fn paper(office: &Office, id: &Value) -> Value {
    let response = office
        .gql(Some(&office.editor), PAPER, json!({ "id": id }))
        .await
        .ok();
    response.data()["paper"].clone()
}

async fn count(office: &Office) -> i64 {
    let response = office
        .gql(Some(&office.editor), COUNT, json!({}))
        .await
        .ok();
    response.data()["papers"]["totalCount"].as_i64().unwrap()
}

/// A line of text as a reader compares it: spaces (no-break ones too)
/// folded, ends trimmed.
fn normal(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(normal).filter(|l| !l.is_empty()).collect()
}

/// The announcement the sample line must read as, line by line.
fn expected_lines(line: &Value) -> Vec<String> {
    let en = &line["texts"][1];
    let author = &line["contributors"][0];
    let title = en["title"].as_str().unwrap();
    let headline = format!(
        "The {SERIES} came out with the report \"{title}\" by {}",
        author["name"].as_str().unwrap()
    );
    let mut lines = vec![
        SERIES.to_owned(),
        title.to_owned(),
        author["name"].as_str().unwrap().to_owned(),
        format!("• Position : {}", author["position"].as_str().unwrap()),
        format!(
            "• Affiliation : {}",
            author["affiliation"].as_str().unwrap()
        ),
        headline.clone(),
        format!("MOSCOW. OCTOBER 13, 2020. PIR PRESS. {headline}."),
        en["abstract"].as_str().unwrap().to_owned(),
        "Key findings:".to_owned(),
    ];
    for finding in en["keyFindings"].as_array().unwrap() {
        lines.push(format!("• {}", finding.as_str().unwrap()));
    }
    lines.push("Read (in Russian)".to_owned());
    lines.push(line["originalUrl"].as_str().unwrap().to_owned());
    lines
}

#[tokio::test]
async fn the_sample_line_is_announced_like_the_publishers_announcement() {
    let office = office().await;
    let report = import(&office, &[SAMPLE.trim().to_owned()], false).await;
    assert_eq!(
        (report["created"].as_i64(), report["refused"].as_i64()),
        (Some(1), Some(0)),
        "{report}"
    );
    let line = &report["lines"][0];
    assert_eq!(line["outcome"], "CREATED");
    assert_eq!(line["key"], "pir-security-index-2020-ryabkov");
    let paper = paper(&office, &line["paperId"]).await;
    assert_eq!(paper["stage"], "PUBLISHED");
    assert_eq!(paper["publishedAt"], "2020-10-13T00:00:00+00:00");
    assert_eq!(paper["externalKey"], "pir-security-index-2020-ryabkov");
    assert_eq!(
        paper["dateline"]["text"],
        "MOSCOW. OCTOBER 13, 2020. PIR PRESS."
    );
    assert_eq!(
        paper["texts"],
        json!([
            { "language": "ru", "kind": "ORIGINAL", "stale": false },
            { "language": "en", "kind": "SUMMARY", "stale": false },
        ])
    );
    assert_eq!(
        paper["history"],
        json!([{
            "kind": "IMPORTED", "from": null, "to": "PUBLISHED",
            "note": "imported from the catalogue (key \"pir-security-index-2020-ryabkov\")",
            "at": "2020-10-13T00:00:00+00:00", "actor": { "id": office.editor.gid() },
        }])
    );

    // GraphQL: the announcement, line for line.
    let expected = expected_lines(&sample());
    assert_eq!(lines_of(paper["text"].as_str().unwrap()), expected);

    // The paper's page: the same parts, in the same order.
    let slug = paper["slug"].as_str().unwrap();
    let page = office.app.get_text(&format!("/papers/{slug}")).await;
    // The link's address is its `href`, before its label.
    let (link, parts) = expected.split_last().unwrap();
    in_order(&page, parts, as_html);
    let anchor = format!("<a href=\"{link}\" hreflang=\"ru\">Read (in Russian)</a>");
    assert!(page.contains(&anchor), "{page}");
    // Its feed entry: the same again.
    let feed = office.app.get_text("/feed.atom?lang=en").await;
    let feed = parser::parse(feed.as_bytes()).unwrap();
    let [entry] = &feed.entries[..] else {
        panic!("one entry: {feed:?}");
    };
    let content = entry.content.as_ref().unwrap().body.as_deref().unwrap();
    in_order(content, parts, as_html);
    assert!(content.contains(&anchor), "{content}");
    assert_eq!(
        entry.published.map(|at| at.to_rfc3339()).as_deref(),
        Some("2020-10-13T00:00:00+00:00")
    );
}

/// A line of the plain-text announcement as the HTML one writes it.
fn as_html(line: &str) -> String {
    line.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace("• Position : ", "Position: ")
        .replace("• Affiliation : ", "Affiliation: ")
        .replace("• ", "<li>")
        .replace("Key findings:", "Key findings</h2>")
        // The dateline is set in bold.
        .replace("PIR PRESS. ", "PIR PRESS.</strong> ")
}

/// Every part, as `html` writes it, appears in `page` after the one before.
fn in_order(page: &str, parts: &[String], html: impl Fn(&str) -> String) {
    let mut from = 0;
    for part in parts {
        let wanted = html(part);
        let at = page[from..]
            .find(&wanted)
            .unwrap_or_else(|| panic!("{wanted:?} after byte {from} of {page}"));
        from += at + wanted.len();
    }
}

/// The fixture's own English texts: its abstract and key findings.
fn fixture_texts() -> (String, Vec<String>) {
    let lines = lines_of(FIXTURE);
    let lead = lines
        .iter()
        .position(|l| l.starts_with("MOSCOW. "))
        .unwrap();
    let abstract_text = lines[lead + 1].clone();
    let findings = lines
        .iter()
        .skip_while(|l| *l != "Key findings:")
        .skip(1)
        .filter_map(|l| l.strip_prefix("• "))
        .map(str::to_owned)
        .collect();
    (abstract_text, findings)
}

#[tokio::test]
async fn a_line_carrying_the_fixtures_own_texts_renders_back_to_the_fixture() {
    let office = office().await;
    let (abstract_text, findings) = fixture_texts();
    assert_eq!(findings.len(), 8);
    let mut line = sample();
    line["texts"][1]["abstract"] = json!(abstract_text);
    line["texts"][1]["keyFindings"] = json!(findings);
    let report = import(&office, &[line.to_string()], false).await;
    assert_eq!(report["created"], 1, "{report}");
    let paper = paper(&office, &report["lines"][0]["paperId"]).await;
    let rendered = lines_of(paper["text"].as_str().unwrap());

    // The fixture is a copy of the publisher's web page from the author's
    // position on; "complete list" there is the label of a link to the
    // author's other publications on the publisher's site, which Imprint
    // does not have.
    let fixture: Vec<String> = lines_of(FIXTURE)
        .into_iter()
        .filter(|l| l != "complete list")
        .collect();
    let start = rendered
        .iter()
        .position(|l| l.starts_with("• Position"))
        .unwrap();
    assert_eq!(
        rendered[..start],
        [
            SERIES,
            "Through Equality and Consensus to Lasting Global Security",
            "Sergey Ryabkov"
        ]
    );
    assert_eq!(rendered[start..start + fixture.len()], fixture[..]);
    assert_eq!(
        rendered[start + fixture.len()..],
        [line["originalUrl"].as_str().unwrap()],
        "the link's address follows its label"
    );
}

#[tokio::test]
async fn the_same_line_twice_changes_nothing_and_a_changed_line_updates_its_paper() {
    let office = office().await;
    let first = import(&office, &[SAMPLE.trim().to_owned()], false).await;
    let id = first["lines"][0]["paperId"].clone();
    let before = paper(&office, &id).await;

    let again = import(&office, &[SAMPLE.trim().to_owned()], false).await;
    assert_eq!(
        (again["created"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(1)),
        "{again}"
    );
    assert_eq!(again["lines"][0]["paperId"], id);
    assert_eq!(paper(&office, &id).await, before, "nothing changed");

    let mut changed = sample();
    changed["texts"][1]["title"] = json!("Through Equality and Consensus");
    changed["dateline"]["place"] = json!("VIENNA");
    let report = import(&office, &[changed.to_string()], false).await;
    assert_eq!(report["updated"], 1, "{report}");
    assert_eq!(
        report["lines"][0]["changes"],
        json!(["dateline", "texts.en"])
    );
    let after = paper(&office, &id).await;
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
    assert_eq!(
        after["dateline"]["text"],
        "VIENNA. OCTOBER 13, 2020. PIR PRESS."
    );
    assert!(
        after["text"]
            .as_str()
            .unwrap()
            .contains("the report \"Through Equality and Consensus\" by"),
        "{after}"
    );
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["kind"], "IMPORTED");
    assert_eq!(
        history[1]["note"],
        "updated by import (key \"pir-security-index-2020-ryabkov\"): dateline, texts.en"
    );
    assert_eq!(count(&office).await, 1);

    // A changed original leaves the line's translation made from it.
    let mut original = changed.clone();
    original["texts"][0]["abstract"] = json!("Новое краткое изложение.");
    let report = import(&office, &[original.to_string()], false).await;
    assert_eq!(report["lines"][0]["changes"], json!(["texts.ru"]));
    let texts = paper(&office, &id).await["texts"].clone();
    assert_eq!(texts[1]["stale"], false, "{texts}");
}

/// Lines that must each be refused with their field named.
fn malformed() -> Vec<(String, Option<&'static str>, &'static str)> {
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut line = sample();
        line["key"] = json!(format!("other-{}", rand_key()));
        line.as_object_mut().unwrap().remove("slug");
        f(&mut line);
        line.to_string()
    };
    vec![
        (
            r#"{"key": "broken", "texts": ["#.to_owned(),
            None,
            "not a catalogue line",
        ),
        (
            edit(&|l| l["series"] = json!("no-such-series")),
            Some("series"),
            "no series has the slug \"no-such-series\"",
        ),
        (
            edit(&|l| l["texts"][1]["language"] = json!("en_GB")),
            Some("texts[1].language"),
            "is not a BCP 47 language tag",
        ),
        (
            edit(&|l| {
                l["texts"][0].as_object_mut().unwrap().remove("title");
            }),
            Some("texts[0].title"),
            "is required",
        ),
        (
            edit(&|l| l["publishedAt"] = json!("2999-01-01")),
            Some("publishedAt"),
            "is in the future",
        ),
        (
            edit(&|l| l["slug"] = json!("taken-by-another")),
            Some("slug"),
            "is taken",
        ),
    ]
}

fn rand_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A paper made in Imprint under the slug one malformed line asks for.
async fn take_the_slug(office: &Office) {
    let mut taken = crate::helpers::workflow::russian_draft("Занятый адрес");
    taken["slug"] = json!("taken-by-another");
    office.create_paper(&office.author, taken).await;
}

#[tokio::test]
async fn malformed_lines_are_each_reported_and_change_nothing() {
    let office = office().await;
    take_the_slug(&office).await;
    let papers_before = count(&office).await;

    let cases = malformed();
    let mut lines: Vec<String> = cases.iter().map(|(line, _, _)| line.clone()).collect();
    lines.push(SAMPLE.trim().to_owned());
    lines.push(String::new());
    lines.push(SAMPLE.trim().to_owned());
    let report = import(&office, &lines, false).await;
    assert_eq!(
        [
            &report["created"],
            &report["updated"],
            &report["unchanged"],
            &report["refused"]
        ],
        [&json!(1), &json!(0), &json!(0), &json!(cases.len() + 1)],
        "{report}"
    );
    let reported = report["lines"].as_array().unwrap();
    assert_eq!(reported.len(), lines.len() - 1, "blank lines are skipped");
    for (i, (_, field, reason)) in cases.iter().enumerate() {
        let line = &reported[i];
        assert_eq!(line["line"], i + 1);
        assert_eq!(line["outcome"], "REFUSED", "{line}");
        assert_eq!(line["paperId"], Value::Null);
        let problem = &line["problems"][0];
        assert_eq!(problem["field"].as_str(), *field, "{line}");
        assert!(
            problem["reason"].as_str().unwrap().contains(reason),
            "{reason:?} in {line}"
        );
    }
    let good = &reported[cases.len()];
    assert_eq!(good["outcome"], "CREATED");
    let duplicate = &reported[cases.len() + 1];
    assert_eq!(duplicate["line"], lines.len());
    assert_eq!(duplicate["outcome"], "REFUSED");
    assert_eq!(
        duplicate["problems"],
        json!([{ "field": "key", "reason": format!("\"pir-security-index-2020-ryabkov\" is already the key of line {}", cases.len() + 1) }])
    );
    assert_eq!(
        count(&office).await,
        papers_before + 1,
        "only the good line"
    );
}

#[tokio::test]
async fn a_dry_run_reports_every_line_and_keeps_nothing() {
    let office = office().await;
    let lines = vec![SAMPLE.trim().to_owned(), malformed().remove(1).0];
    let report = import(&office, &lines, true).await;
    assert_eq!(report["dryRun"], true);
    assert_eq!(
        [&report["created"], &report["refused"]],
        [&json!(1), &json!(1)],
        "{report}"
    );
    assert_eq!(report["lines"][0]["paperId"], Value::Null);
    assert_eq!(count(&office).await, 0);
    let real = import(&office, &lines[..1], false).await;
    assert_eq!(real["created"], 1, "the dry run left the key free: {real}");
}

#[tokio::test]
async fn only_editors_import_and_one_request_takes_at_most_a_thousand_lines() {
    let office = office().await;
    let lines = json!({ "lines": [SAMPLE.trim()] });
    let response = office
        .gql(Some(&office.author), IMPORT, lines.clone())
        .await;
    assert_eq!(code(&response), "FORBIDDEN", "{}", response.body);
    let response = office.gql(None, IMPORT, lines).await;
    assert_eq!(code(&response), "UNAUTHENTICATED");
    let many = vec![""; 1001];
    let response = office
        .gql(Some(&office.editor), IMPORT, json!({ "lines": many }))
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT");
    assert!(
        response.error_message().contains("at most 1000"),
        "{}",
        response.body
    );
    assert_eq!(count(&office).await, 0);
}

#[tokio::test]
async fn control_characters_in_a_line_are_refused_in_its_report() {
    let office = office().await;
    for poison in ['\0', '\u{7}', '\u{8}', '\u{1b}'] {
        let mut line = sample();
        line["texts"][1]["title"] = json!(format!("ab{poison}c"));
        let raw = SAMPLE.trim().replacen(' ', &poison.to_string(), 1);
        let report = import(&office, &[line.to_string(), raw], false).await;
        assert_eq!(
            report["refused"],
            2,
            "U+{:04X}: {report}",
            u32::from(poison)
        );
        let escaped = &report["lines"][0]["problems"][0];
        assert_eq!(escaped["field"], "texts[1].title", "{escaped}");
        assert!(
            escaped["reason"]
                .as_str()
                .unwrap()
                .starts_with("control character"),
            "{escaped}"
        );
        let raw = &report["lines"][1]["problems"][0];
        assert!(
            raw["reason"]
                .as_str()
                .unwrap()
                .starts_with("not a catalogue line"),
            "{raw}"
        );
    }
    assert_eq!(count(&office).await, 0);
}

/// `imprint import` on a file, as the editor.
fn run_cli(office: &Office, contents: &str, extra: &[&str]) -> (bool, String) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(contents.as_bytes()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_imprint"))
        .arg("import")
        .args(["--as", "Editor@Imprint.test"])
        .args(extra)
        .arg(file.path())
        .env("DATABASE_URL", office.app.db.url())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.success(), stdout)
}

#[tokio::test]
async fn the_command_line_imports_reports_and_is_idempotent() {
    let office = office().await;
    take_the_slug(&office).await;
    let mut contents: String = malformed()
        .into_iter()
        .map(|(line, _, _)| line + "\n")
        .collect();
    contents.push_str(SAMPLE);
    contents.push_str(SAMPLE);

    let (ok, out) = run_cli(&office, &contents, &["--dry-run"]);
    assert!(!ok, "refused lines fail the command: {out}");
    assert!(
        out.ends_with("created 1, updated 0, unchanged 0, refused 7 (dry run: nothing kept)\n"),
        "{out}"
    );
    assert_eq!(count(&office).await, 1);

    let (ok, out) = run_cli(&office, &contents, &[]);
    assert!(!ok);
    assert!(
        out.contains("line 1: refused: not a catalogue line"),
        "{out}"
    );
    assert!(
        out.contains("line 2 (other-"),
        "the key is named when it could be read: {out}"
    );
    assert!(
        out.contains(": refused: series: no series has the slug"),
        "{out}"
    );
    assert!(out.contains(": refused: texts[1].language: "), "{out}");
    assert!(
        out.contains(": refused: texts[0].title: is required"),
        "{out}"
    );
    assert!(out.contains(": refused: publishedAt: "), "{out}");
    assert!(
        out.contains(": refused: slug: \"taken-by-another\" is taken"),
        "{out}"
    );
    assert!(
        out.contains("line 8 (pir-security-index-2020-ryabkov): refused: key: "),
        "{out}"
    );
    assert!(
        out.ends_with("created 1, updated 0, unchanged 0, refused 7\n"),
        "{out}"
    );
    assert_eq!(count(&office).await, 2);

    let (ok, out) = run_cli(&office, SAMPLE, &[]);
    assert!(ok, "{out}");
    assert_eq!(out, "created 0, updated 0, unchanged 1, refused 0\n");
    let mut changed = sample();
    changed["dateline"]["issuer"] = json!("PIR Press");
    let (ok, out) = run_cli(&office, &format!("{changed}\n"), &[]);
    assert!(ok, "{out}");
    assert_eq!(
        out,
        "line 1 (pir-security-index-2020-ryabkov): updated dateline\ncreated 0, updated 1, unchanged 0, refused 0\n"
    );
    assert_eq!(count(&office).await, 2);
}
