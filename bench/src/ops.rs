//! The fixed set of operations, with the exact GraphQL each one sends, and
//! how each answer is checked.

use anyhow::{bail, ensure};
use bytes::Bytes;
use serde_json::{Value, json};

/// The editor's dashboard: counts per stage and per series, and the 50 most
/// recently updated papers with contributors, texts and tasks. One request.
pub const DASHBOARD: &str = "query Dashboard { \
publicationStatus { papersByStage { stage papers } series { series { slug } papersByStage { stage papers } } } \
papers(first: 50) { edges { node { id slug stage contributors { name position affiliation } texts { language title } tasks { status targetLanguage } } } } }";

/// A filtered page with its total: papers of one series in TRANSLATION or
/// REVIEW, 20 a page.
pub const FILTERED: &str = "query Filtered($series: ID!) { \
papers(filter: { stages: [TRANSLATION, REVIEW], seriesId: $series }, first: 20) { \
totalCount pageInfo { hasNextPage endCursor } edges { node { id slug stage updatedAt series { slug } } } } }";

/// One paper by slug with everything an editor sees.
pub const PAPER: &str = "query Paper($slug: String!) { paper(slug: $slug) { \
id slug stage version originalLanguage originalUrl reviewRound publishedAt createdAt updatedAt \
series { slug title } \
contributors { name position affiliation user { displayName } } \
texts { language kind title abstract keyFindings body revision stale translator { displayName } } \
tasks { id status kind sourceLanguage targetLanguage dueAt overdue claimedBy { displayName } claimedAt submission { title keyFindings } } \
reviews { round status recommendation comments reviewer { displayName } requestedAt respondedAt } \
history { from to actor { displayName } note at } \
availableTransitions { to allowed permitted noteRequired unmetGuards } } }";

/// What anyone may read: the 20 most recently published papers.
pub const PUBLISHED: &str = "query Published { \
papers(filter: { stages: [PUBLISHED] }, orderBy: { field: PUBLISHED_AT }, first: 20) { \
edges { node { id slug publishedAt series { title } contributors { name position affiliation } texts { language title } } } } }";

pub const CLAIM: &str =
    "mutation Claim($id: ID!) { claimTranslationTask(id: $id) { id status claimedAt } }";
pub const RELEASE: &str =
    "mutation Release($id: ID!) { releaseTranslationTask(id: $id) { id status } }";

/// A stage change with the version the mover last saw; the answer's
/// version is the next one to send.
pub const MOVE: &str = "mutation Move($id: ID!, $to: Stage!, $v: Int!, $note: String) { \
movePaper(id: $id, to: $to, expectedVersion: $v, note: $note) { id stage version } }";
/// Where a mover's paper stands, after a move that failed.
pub const WHERE: &str = "query Where($id: ID!) { paper(id: $id) { stage version } }";
pub const CREATE_USER: &str =
    "mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id } }";
pub const CREATE_PAPER: &str =
    "mutation CreatePaper($input: CreatePaperInput!) { createPaper(input: $input) { id version } }";

pub const LOGIN: &str = "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }";

/// A request body, serialised once.
pub fn body(query: &str, variables: Value) -> Bytes {
    Bytes::from(json!({ "query": query, "variables": variables }).to_string())
}

/// The operations, in the order a round runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Dashboard,
    /// The SQL the dashboard needs, straight to the database.
    DashboardSqlFloor,
    /// The dashboard from the least server on Imprint's stack
    /// (`crate::stack_floor`).
    DashboardStackFloor,
    Filtered,
    Paper,
    Published,
    Claims,
    /// Editors moving their own papers of one series DRAFT⇄SUBMITTED at
    /// once (`crate::load::MoveSetup`): contention on the series' counters.
    Moves,
}

impl Op {
    /// Whether the operation writes: those run after every read, so the
    /// reads see the data set as it was loaded.
    pub fn writes(self) -> bool {
        matches!(self, Op::Claims | Op::Moves)
    }

    pub const ALL: [Op; 8] = [
        Op::Dashboard,
        Op::DashboardSqlFloor,
        Op::DashboardStackFloor,
        Op::Filtered,
        Op::Paper,
        Op::Published,
        Op::Claims,
        Op::Moves,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Dashboard => "dashboard",
            Op::DashboardSqlFloor => "dashboard_sql_floor",
            Op::DashboardStackFloor => "dashboard_stack_floor",
            Op::Filtered => "filtered",
            Op::Paper => "paper",
            Op::Published => "published",
            Op::Claims => "claims",
            Op::Moves => "moves",
        }
    }

    pub fn parse(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| {
            op.name() == name
                || (name == "floor" && *op == Op::DashboardSqlFloor)
                || (name == "stack" && *op == Op::DashboardStackFloor)
        })
    }
}

/// What a response means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A claim another translator won first: expected under contention.
    AlreadyClaimed,
    Error(String),
}

/// The check every response gets: HTTP 200, a `data` object, and no
/// `errors` entry (other than ALREADY_CLAIMED where allowed). Cheap: the
/// body is parsed only when it holds an `errors` key.
pub fn classify(status: u16, body: &[u8], claims: bool) -> Outcome {
    if status != 200 {
        return Outcome::Error(format!("HTTP {status}: {}", snippet(body)));
    }
    if memchr::memmem::find(body, b"\"errors\"").is_none() {
        if body.starts_with(b"{\"data\":{") {
            return Outcome::Ok;
        }
        return Outcome::Error(format!("no data: {}", snippet(body)));
    }
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) => return Outcome::Error(format!("not JSON: {}", snippet(body))),
    };
    let codes: Vec<&str> = parsed["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("?"))
                .collect()
        })
        .unwrap_or_default();
    if claims && !codes.is_empty() && codes.iter().all(|c| *c == "ALREADY_CLAIMED") {
        return Outcome::AlreadyClaimed;
    }
    Outcome::Error(format!("GraphQL errors {codes:?}: {}", snippet(body)))
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    text.into_owned()
}

/// What the answers should hold, from the database.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub papers: i64,
    pub published: i64,
    /// Papers in TRANSLATION or REVIEW, per series id (1-based index - 1).
    pub filtered_per_series: Vec<i64>,
}

fn array<'a>(value: &'a Value, what: &str) -> anyhow::Result<&'a Vec<Value>> {
    value
        .as_array()
        .ok_or_else(|| anyhow::anyhow!("{what} is not a list"))
}

/// A deeper check of one answer per operation and round: the shapes and
/// numbers a client would rely on.
pub fn validate(op: Op, body: &[u8], expected: &Expected, arg: &str) -> anyhow::Result<()> {
    let value: Value = serde_json::from_slice(body)?;
    let data = &value["data"];
    match op {
        Op::Dashboard | Op::DashboardStackFloor => {
            let by_stage = array(&data["publicationStatus"]["papersByStage"], "papersByStage")?;
            let total: i64 = by_stage.iter().filter_map(|s| s["papers"].as_i64()).sum();
            ensure!(
                total == expected.papers,
                "papersByStage adds up to {total}, not {}",
                expected.papers
            );
            let series = array(&data["publicationStatus"]["series"], "series")?;
            let per_series: i64 = series
                .iter()
                .flat_map(|s| s["papersByStage"].as_array().into_iter().flatten())
                .filter_map(|s| s["papers"].as_i64())
                .sum();
            ensure!(
                per_series == expected.papers,
                "series add up to {per_series}"
            );
            ensure!(
                series
                    .iter()
                    .filter(|s| s["series"]["slug"].is_string())
                    .count()
                    == 12,
                "not 12 series"
            );
            let edges = array(&data["papers"]["edges"], "edges")?;
            ensure!(
                edges.len() as i64 == expected.papers.min(50),
                "{} papers",
                edges.len()
            );
            for edge in edges {
                let node = &edge["node"];
                ensure!(
                    !array(&node["contributors"], "contributors")?.is_empty(),
                    "no contributors"
                );
                ensure!(!array(&node["texts"], "texts")?.is_empty(), "no texts");
                array(&node["tasks"], "tasks")?;
            }
        }
        Op::Filtered => {
            let series: usize = arg.parse()?;
            let want = expected.filtered_per_series[series - 1];
            let total = data["papers"]["totalCount"].as_i64().unwrap_or(-1);
            ensure!(total == want, "totalCount {total}, the database has {want}");
            let edges = array(&data["papers"]["edges"], "edges")?;
            ensure!(edges.len() as i64 == want.min(20), "{} edges", edges.len());
            for edge in edges {
                let stage = edge["node"]["stage"].as_str().unwrap_or_default();
                ensure!(
                    matches!(stage, "TRANSLATION" | "REVIEW"),
                    "a paper in {stage}"
                );
            }
        }
        Op::Paper => {
            let paper = &data["paper"];
            ensure!(
                paper["slug"].as_str() == Some(arg),
                "asked for {arg}, got {}",
                paper["slug"]
            );
            ensure!(
                !array(&paper["history"], "history")?.is_empty(),
                "no history"
            );
            ensure!(!array(&paper["texts"], "texts")?.is_empty(), "no texts");
            ensure!(
                !array(&paper["contributors"], "contributors")?.is_empty(),
                "no contributors"
            );
            array(&paper["availableTransitions"], "availableTransitions")?;
        }
        Op::Published => {
            let edges = array(&data["papers"]["edges"], "edges")?;
            ensure!(
                edges.len() as i64 == expected.published.min(20),
                "{} edges",
                edges.len()
            );
            let dates: Vec<&str> = edges
                .iter()
                .filter_map(|e| e["node"]["publishedAt"].as_str())
                .collect();
            ensure!(
                dates.len() == edges.len(),
                "a published paper without a date"
            );
            ensure!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first");
        }
        Op::Claims => {
            let status = data["claimTranslationTask"]["status"].as_str();
            ensure!(status == Some("CLAIMED"), "a won claim answers {status:?}");
        }
        Op::Moves => {
            let stage = data["movePaper"]["stage"].as_str();
            ensure!(
                matches!(stage, Some("DRAFT" | "SUBMITTED")),
                "a move answers {stage:?}"
            );
        }
        Op::DashboardSqlFloor => bail!("the floor has no HTTP answer"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_classified() {
        assert_eq!(
            classify(200, br#"{"data":{"papers":[]}}"#, false),
            Outcome::Ok
        );
        let lost =
            br#"{"data":null,"errors":[{"message":"x","extensions":{"code":"ALREADY_CLAIMED"}}]}"#;
        assert_eq!(classify(200, lost, true), Outcome::AlreadyClaimed);
        assert!(matches!(classify(200, lost, false), Outcome::Error(_)));
        let other =
            br#"{"data":null,"errors":[{"message":"x","extensions":{"code":"NOT_FOUND"}}]}"#;
        assert!(matches!(classify(200, other, true), Outcome::Error(_)));
        assert!(matches!(classify(500, b"oops", false), Outcome::Error(_)));
        assert!(matches!(
            classify(200, b"{\"data\":null}", false),
            Outcome::Error(_)
        ));
    }

    #[test]
    fn every_operation_has_a_name_it_is_found_by() {
        for op in Op::ALL {
            assert_eq!(Op::parse(op.name()), Some(op));
        }
        assert_eq!(Op::parse("floor"), Some(Op::DashboardSqlFloor));
        assert_eq!(Op::parse("stack"), Some(Op::DashboardStackFloor));
    }
}
