//! The deterministic data set: users, 12 series, and `papers` papers with
//! contributors, texts, translation tasks (with their event logs), reviews
//! and stage histories that are consistent with each paper's stage, the way
//! Imprint's own workflow would have left them.
//!
//! Every paper is generated from its own random stream (seed and paper
//! index), so the set is the same whatever the batch size, and rows are
//! written with explicit ids in batched multi-row INSERTs inside one
//! transaction per batch.

use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use imprint::domain::TextContent;
use imprint::domain::search::fold_case;
use imprint::store::entity::{
    contributor, paper, paper_text, review, series, stage_event, task_event, translation_task, user,
};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, TransactionTrait,
};

/// The password every generated user has.
pub const PASSWORD: &str = "imprint-bench-password";
pub const SERIES: usize = 12;
pub const EDITORS: usize = 4;
pub const REVIEWERS: usize = 5;
pub const AUTHORS: usize = 50;

/// Stages in the order of the workflow, with how often each is drawn (per
/// cent).
const STAGE_WEIGHTS: [(&str, u64); 6] = [
    ("DRAFT", 15),
    ("SUBMITTED", 10),
    ("TRANSLATION", 20),
    ("REVIEW", 15),
    ("PUBLISHED", 30),
    ("ARCHIVED", 10),
];
pub const STAGES: [&str; 6] = [
    "DRAFT",
    "SUBMITTED",
    "TRANSLATION",
    "REVIEW",
    "PUBLISHED",
    "ARCHIVED",
];
/// Papers written per transaction.
const BATCH_PAPERS: usize = 500;
/// Rows per INSERT statement (PostgreSQL allows 65535 parameters and
/// SQLite 32766; the widest table has 24 columns).
const ROWS_PER_INSERT: usize = 1000;

/// SplitMix64: small, fast, and the same on every platform and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn range(&mut self, low: u64, high_inclusive: u64) -> u64 {
        low + self.below(high_inclusive - low + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Who is who: user ids by role, fixed by the sizes.
#[derive(Debug, Clone)]
pub struct Users {
    pub admin: i64,
    pub editors: Vec<i64>,
    pub reviewers: Vec<i64>,
    pub authors: Vec<i64>,
    /// The translators that claim during the benchmark; they hold nothing
    /// at the start.
    pub bench_translators: Vec<i64>,
    /// The translators that made the existing claims and translations.
    pub staff_translators: Vec<i64>,
}

impl Users {
    pub fn new(papers: usize, bench_translators: usize) -> Self {
        let mut next = 0i64;
        let mut take = |n: usize| -> Vec<i64> {
            (0..n)
                .map(|_| {
                    next += 1;
                    next
                })
                .collect()
        };
        let admin = take(1)[0];
        let editors = take(EDITORS);
        let reviewers = take(REVIEWERS);
        let authors = take(AUTHORS);
        let bench = take(bench_translators);
        // About one claimed task per staff translator, far below the claim
        // limit (checked before the run).
        let staff = take(papers / 10 + 10);
        Users {
            admin,
            editors,
            reviewers,
            authors,
            bench_translators: bench,
            staff_translators: staff,
        }
    }

    pub fn email(&self, id: i64) -> String {
        let (role, n) = self.role_of(id);
        format!("{role}{n}@bench.test")
    }

    fn role_of(&self, id: i64) -> (&'static str, i64) {
        let groups: [(&'static str, &Vec<i64>); 5] = [
            ("editor", &self.editors),
            ("reviewer", &self.reviewers),
            ("author", &self.authors),
            ("translator", &self.bench_translators),
            ("staff", &self.staff_translators),
        ];
        for (name, ids) in groups {
            if let (Some(first), Some(last)) = (ids.first(), ids.last())
                && (*first..=*last).contains(&id)
            {
                return (name, id - first + 1);
            }
        }
        ("admin", 1)
    }

    fn all(&self) -> Vec<(i64, &'static str)> {
        let mut all = vec![(self.admin, "ADMIN")];
        all.extend(self.editors.iter().map(|id| (*id, "EDITOR")));
        all.extend(self.reviewers.iter().map(|id| (*id, "REVIEWER")));
        all.extend(self.authors.iter().map(|id| (*id, "AUTHOR")));
        all.extend(self.bench_translators.iter().map(|id| (*id, "TRANSLATOR")));
        all.extend(self.staff_translators.iter().map(|id| (*id, "TRANSLATOR")));
        all
    }
}

/// What the generator wrote, to check the database against.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Tally {
    pub papers: u64,
    /// In the order of [`STAGES`].
    pub by_stage: [u64; 6],
    pub contributors: u64,
    pub texts: u64,
    pub english_texts: u64,
    pub tasks: u64,
    pub task_events: u64,
    pub stage_events: u64,
    pub reviews: u64,
    /// OPEN tasks of papers in TRANSLATION: the claim pool.
    pub open_tasks_in_translation: u64,
    pub users: u64,
}

const BASE_YEAR: i32 = 2024;

fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(BASE_YEAR, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A lease that never runs out during a run, so the server's sweeper leaves
/// the generated claims alone.
fn far_lease() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2099, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

pub const RU_ADJ: [&str; 10] = [
    "Стратегическая",
    "Региональная",
    "Глобальная",
    "Ядерная",
    "Энергетическая",
    "Информационная",
    "Экономическая",
    "Международная",
    "Коллективная",
    "Военная",
];
pub const RU_NOUN: [&str; 8] = [
    "стабильность",
    "безопасность",
    "политика",
    "архитектура",
    "дипломатия",
    "интеграция",
    "повестка",
    "стратегия",
];
pub const RU_PLACE: [&str; 8] = [
    "в Евразии",
    "в Арктике",
    "на Ближнем Востоке",
    "в Азиатско-Тихоокеанском регионе",
    "в Европе",
    "в Центральной Азии",
    "в космосе",
    "в киберпространстве",
];
pub const EN_ADJ: [&str; 10] = [
    "Strategic",
    "Regional",
    "Global",
    "Nuclear",
    "Energy",
    "Information",
    "Economic",
    "International",
    "Collective",
    "Military",
];
pub const EN_NOUN: [&str; 8] = [
    "Stability",
    "Security",
    "Policy",
    "Architecture",
    "Diplomacy",
    "Integration",
    "Agenda",
    "Strategy",
];
pub const EN_PLACE: [&str; 8] = [
    "in Eurasia",
    "in the Arctic",
    "in the Middle East",
    "in the Asia-Pacific",
    "in Europe",
    "in Central Asia",
    "in Outer Space",
    "in Cyberspace",
];
pub const FIRST_NAMES: [&str; 12] = [
    "Sergey", "Anna", "Dmitry", "Elena", "Ivan", "Olga", "Pavel", "Maria", "Andrey", "Natalia",
    "Alexei", "Irina",
];
pub const LAST_NAMES: [&str; 12] = [
    "Ryabkov", "Petrova", "Orlov", "Sokolova", "Volkov", "Morozova", "Lebedev", "Kozlova",
    "Novikov", "Pavlova", "Fedorov", "Smirnova",
];
pub const POSITIONS: [&str; 5] = [
    "Senior Research Fellow",
    "Director of the Centre for International Security",
    "Deputy Minister of Foreign Affairs",
    "Professor of International Relations",
    "Head of the Arms Control Programme",
];
pub const AFFILIATIONS: [&str; 5] = [
    "PIR Center",
    "MGIMO University",
    "Russian Foreign Ministry",
    "IMEMO RAS",
    "Higher School of Economics",
];

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES))
}

/// The rows of one paper.
struct PaperRows {
    paper: paper::ActiveModel,
    contributors: Vec<contributor::ActiveModel>,
    texts: Vec<paper_text::ActiveModel>,
    stage_events: Vec<stage_event::ActiveModel>,
    tasks: Vec<translation_task::ActiveModel>,
    task_events: Vec<task_event::ActiveModel>,
    reviews: Vec<review::ActiveModel>,
}

/// Ids handed out to child rows, in generation order.
#[derive(Debug, Default)]
struct Ids {
    contributor: i64,
    text: i64,
    stage_event: i64,
    task: i64,
    task_event: i64,
    review: i64,
    /// Round-robin positions over the staff translators: one for live
    /// claims (so nobody nears the claim limit), one for finished work.
    claims: usize,
    finished: usize,
}

fn next(id: &mut i64) -> i64 {
    *id += 1;
    *id
}

/// A status change of a task, as its event log records it.
fn task_event_row(
    ids: &mut Ids,
    task_id: i64,
    from: Option<&str>,
    to: &str,
    actor: i64,
    at: DateTime<Utc>,
) -> task_event::ActiveModel {
    task_event::ActiveModel {
        id: Set(next(&mut ids.task_event)),
        task_id: Set(task_id),
        from_status: Set(from.map(str::to_owned)),
        to_status: Set(to.to_owned()),
        actor_id: Set(Some(actor)),
        note: Set(None),
        created_at: Set(at),
    }
}

pub fn findings(rng: &mut Rng, english: bool, n: u64) -> Vec<String> {
    (0..n)
        .map(|k| {
            if english {
                format!(
                    "{} {} depends on dialogue and verification (finding {}).",
                    rng.pick(&EN_ADJ),
                    rng.pick(&EN_NOUN).to_lowercase(),
                    k + 1
                )
            } else {
                format!(
                    "{} {} зависит от диалога и проверки (вывод {}).",
                    rng.pick(&RU_ADJ),
                    rng.pick(&RU_NOUN),
                    k + 1
                )
            }
        })
        .collect()
}

fn findings_json(findings: &[String]) -> String {
    serde_json::Value::from(findings.to_vec()).to_string()
}

/// One paper, its history and everything hanging off it.
fn generate_paper(
    seed: u64,
    index: usize,
    users: &Users,
    ids: &mut Ids,
    tally: &mut Tally,
) -> PaperRows {
    let id = index as i64 + 1;
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let roll = rng.below(100);
    let mut acc = 0;
    let mut stage_index = 0;
    for (k, (_, weight)) in STAGE_WEIGHTS.iter().enumerate() {
        acc += weight;
        if roll < acc {
            stage_index = k;
            break;
        }
    }
    let stage = STAGES[stage_index];
    tally.by_stage[stage_index] += 1;
    tally.papers += 1;

    // The path through the workflow that ends in `stage`.
    let path: Vec<&str> = match stage {
        "DRAFT" if rng.chance(20) => vec!["DRAFT", "SUBMITTED", "DRAFT"],
        "DRAFT" => vec!["DRAFT"],
        "SUBMITTED" => vec!["DRAFT", "SUBMITTED"],
        "TRANSLATION" => vec!["DRAFT", "SUBMITTED", "TRANSLATION"],
        "REVIEW" if rng.chance(15) => vec![
            "DRAFT",
            "SUBMITTED",
            "TRANSLATION",
            "REVIEW",
            "TRANSLATION",
            "REVIEW",
        ],
        "REVIEW" => vec!["DRAFT", "SUBMITTED", "TRANSLATION", "REVIEW"],
        "PUBLISHED" => vec!["DRAFT", "SUBMITTED", "TRANSLATION", "REVIEW", "PUBLISHED"],
        _ => match rng.below(10) {
            0..=2 => vec!["DRAFT", "ARCHIVED"],
            3..=4 => vec!["DRAFT", "SUBMITTED", "ARCHIVED"],
            _ => vec![
                "DRAFT",
                "SUBMITTED",
                "TRANSLATION",
                "REVIEW",
                "PUBLISHED",
                "ARCHIVED",
            ],
        },
    };
    let went_through_translation = path.contains(&"TRANSLATION");

    let series_id = if rng.chance(95) {
        Some((index % SERIES) as i64 + 1)
    } else {
        None
    };
    let created_by = if rng.chance(90) {
        *rng.pick(&users.authors)
    } else {
        *rng.pick(&users.editors)
    };
    let editor = *rng.pick(&users.editors);
    let created_at = base_time()
        + Duration::days(rng.below(700) as i64)
        + Duration::seconds(rng.below(86_400) as i64);

    // Stage events, a few hours to a few weeks apart.
    let mut at = created_at;
    let mut times = Vec::with_capacity(path.len());
    let mut stage_events = Vec::with_capacity(path.len());
    let mut from: Option<&str> = None;
    for (k, to) in path.iter().enumerate() {
        if k > 0 {
            at += Duration::hours(rng.range(2, 480) as i64);
        }
        times.push(at);
        let actor =
            if k == 0 || (*to == "SUBMITTED") || (*to == "ARCHIVED" && from == Some("DRAFT")) {
                created_by
            } else {
                editor
            };
        let note = match (from, *to) {
            (Some("SUBMITTED" | "REVIEW"), "DRAFT") => Some("Returned to the author.".to_owned()),
            (Some("REVIEW"), "TRANSLATION") => Some("The summary needs rework.".to_owned()),
            (Some("TRANSLATION" | "REVIEW" | "PUBLISHED"), "ARCHIVED") => {
                Some("Retracted.".to_owned())
            }
            _ => None,
        };
        stage_events.push(stage_event::ActiveModel {
            id: Set(next(&mut ids.stage_event)),
            paper_id: Set(id),
            from_stage: Set(from.map(str::to_owned)),
            to_stage: Set((*to).to_owned()),
            kind: Set("MOVED".to_owned()),
            actor_id: Set(Some(actor)),
            note: Set(note),
            created_at: Set(at),
        });
        from = Some(to);
    }
    tally.stage_events += stage_events.len() as u64;
    let updated_at = at;
    let published_at = path
        .iter()
        .position(|s| *s == "PUBLISHED")
        .map(|k| times[k]);
    let review_round = path.iter().filter(|s| **s == "REVIEW").count() as i32;
    // When the paper was (last) submitted: tasks come after it.
    let submitted_at = path
        .iter()
        .position(|s| *s == "SUBMITTED")
        .map(|k| times[k])
        .unwrap_or(created_at);

    // Texts: the Russian original, and the accepted English translation for
    // papers that went through translation and out of it.
    let (adj, noun, place) = (
        rng.below(RU_ADJ.len() as u64) as usize,
        rng.below(RU_NOUN.len() as u64) as usize,
        rng.below(RU_PLACE.len() as u64) as usize,
    );
    let title = format!(
        "{} {} {}: доклад {id}",
        RU_ADJ[adj], RU_NOUN[noun], RU_PLACE[place]
    );
    let n_findings = rng.range(0, 4);
    let original = TextContent {
        title: title.clone(),
        abstract_text: Some(format!(
            "Доклад рассматривает, как {} {} меняется {} и что это значит для контроля над вооружениями.",
            RU_ADJ[adj].to_lowercase(),
            RU_NOUN[noun],
            RU_PLACE[place]
        )),
        key_findings: findings(&mut rng, false, n_findings),
        body: Some(format!(
            "{title}. Введение. Обзор тенденций последних лет. Выводы и рекомендации для \
             политики безопасности. Приложение с данными по региону."
        )),
    };
    let mut texts = vec![text_row(
        next(&mut ids.text),
        id,
        "ru",
        "ORIGINAL",
        &original,
        None,
        None,
        created_at,
    )];

    // Translation tasks: target languages differ; only English is ever
    // accepted, so papers hold texts in two languages at most.
    let n_tasks: u64 = match stage {
        "DRAFT" => 0,
        "SUBMITTED" => rng.range(0, 2),
        _ if path == ["DRAFT", "ARCHIVED"] => 0,
        _ if path == ["DRAFT", "SUBMITTED", "ARCHIVED"] => rng.range(0, 2),
        _ => rng.range(1, 3),
    };
    let mut tasks = Vec::new();
    let mut task_events = Vec::new();
    let languages = ["en", "de", "fr"];
    let mut english_accepted_at = None;
    for (k, language) in languages.iter().enumerate().take(n_tasks as usize) {
        let task_id = next(&mut ids.task);
        let created = submitted_at + Duration::minutes(10 + 5 * k as i64);
        let kind = if *language == "en" && rng.chance(70) {
            "SUMMARY"
        } else {
            "FULL"
        };
        let status = if !went_through_translation {
            // Still SUBMITTED, or archived from SUBMITTED (which cancels).
            if stage == "SUBMITTED" {
                "OPEN"
            } else {
                "CANCELLED"
            }
        } else if stage == "TRANSLATION" {
            match rng.below(100) {
                0..=39 => "OPEN",
                40..=64 => "CLAIMED",
                65..=84 => "SUBMITTED",
                _ if *language == "en" => "ACCEPTED",
                _ if k > 0 => "CANCELLED",
                _ => "OPEN",
            }
        } else if *language == "en" {
            "ACCEPTED"
        } else {
            "CANCELLED"
        };
        let due_at = rng
            .chance(50)
            .then(|| created + Duration::days(rng.range(7, 60) as i64));
        let staff = &users.staff_translators;
        let translator = match status {
            "CLAIMED" => {
                ids.claims += 1;
                Some(staff[ids.claims % staff.len()])
            }
            "SUBMITTED" | "ACCEPTED" => {
                ids.finished += 1;
                Some(staff[ids.finished % staff.len()])
            }
            _ => None,
        };
        let claimed_at = created + Duration::hours(rng.range(1, 48) as i64);
        let submitted = claimed_at + Duration::hours(rng.range(4, 96) as i64);
        let accepted = submitted + Duration::hours(rng.range(1, 48) as i64);
        let english = if matches!(status, "SUBMITTED" | "ACCEPTED") {
            let count = if kind == "SUMMARY" {
                rng.range(2, 4)
            } else {
                rng.range(0, 3)
            };
            Some(TextContent {
                title: format!(
                    "{} {} {}: report {id}",
                    EN_ADJ[adj], EN_NOUN[noun], EN_PLACE[place]
                ),
                abstract_text: Some(format!(
                    "The report looks at how {} {} is changing {}.",
                    EN_ADJ[adj].to_lowercase(),
                    EN_NOUN[noun].to_lowercase(),
                    EN_PLACE[place]
                )),
                key_findings: findings(&mut rng, true, count),
                body: (kind == "FULL")
                    .then(|| "Introduction. Trends. Findings and recommendations.".to_owned()),
            })
        } else {
            None
        };
        // The log, in order.
        let mut log: Vec<(Option<&str>, &str, i64, DateTime<Utc>)> =
            vec![(None, "OPEN", editor, created)];
        match status {
            "CLAIMED" => log.push((
                Some("OPEN"),
                "CLAIMED",
                translator.unwrap_or(editor),
                claimed_at,
            )),
            "SUBMITTED" | "ACCEPTED" => {
                let t = translator.unwrap_or(editor);
                log.push((Some("OPEN"), "CLAIMED", t, claimed_at));
                log.push((Some("CLAIMED"), "SUBMITTED", t, submitted));
                if status == "ACCEPTED" {
                    log.push((Some("SUBMITTED"), "ACCEPTED", editor, accepted));
                }
            }
            "CANCELLED" => log.push((Some("OPEN"), "CANCELLED", editor, claimed_at)),
            _ => {}
        }
        let version = log.len() as i32;
        let updated = log.last().map_or(created, |entry| entry.3);
        for (from, to, actor, at) in &log {
            task_events.push(task_event_row(ids, task_id, *from, to, *actor, *at));
        }
        let findings = english.as_ref().map(|c| findings_json(&c.key_findings));
        tasks.push(translation_task::ActiveModel {
            id: Set(task_id),
            paper_id: Set(id),
            source_language: Set("ru".to_owned()),
            target_language: Set((*language).to_owned()),
            kind: Set(kind.to_owned()),
            status: Set(status.to_owned()),
            due_at: Set(due_at),
            created_by: Set(editor),
            claimed_by: Set(translator),
            claimed_at: Set(translator.map(|_| claimed_at)),
            lease_expires_at: Set((status == "CLAIMED").then(far_lease)),
            submitted_title: Set(english.as_ref().map(|c| c.title.clone())),
            submitted_abstract: Set(english.as_ref().and_then(|c| c.abstract_text.clone())),
            submitted_key_findings: Set(findings),
            submitted_body: Set(english.as_ref().and_then(|c| c.body.clone())),
            submitted_at: Set(english.as_ref().map(|_| submitted)),
            source_revision: Set(english.as_ref().map(|_| 1)),
            note: Set(None),
            version: Set(version),
            created_at: Set(created),
            updated_at: Set(updated),
        });
        if status == "OPEN" && stage == "TRANSLATION" {
            tally.open_tasks_in_translation += 1;
        }
        if status == "ACCEPTED"
            && let Some(content) = english
        {
            let kind = if kind == "SUMMARY" { "SUMMARY" } else { "FULL" };
            texts.push(text_row(
                next(&mut ids.text),
                id,
                "en",
                kind,
                &content,
                Some(1),
                translator,
                accepted,
            ));
            english_accepted_at = Some(accepted);
        }
    }
    if english_accepted_at.is_some() {
        tally.english_texts += 1;
    }
    tally.tasks += tasks.len() as u64;
    tally.task_events += task_events.len() as u64;
    tally.texts += texts.len() as u64;

    // Reviews: every round that was entered; the last one decides.
    let mut reviews = Vec::new();
    let mut round = 0;
    for (k, step) in path.iter().enumerate() {
        if *step != "REVIEW" {
            continue;
        }
        round += 1;
        let next_step = path.get(k + 1).copied();
        let requested = times[k] + Duration::hours(1);
        let n_reviewers = rng.range(1, 2) as usize;
        let first = rng.below(REVIEWERS as u64) as usize;
        for r in 0..n_reviewers {
            let reviewer = users.reviewers[(first + r) % REVIEWERS];
            let (status, recommendation) = match next_step {
                Some("PUBLISHED") if r == 0 => ("SUBMITTED", Some("ACCEPT")),
                Some("PUBLISHED") => ("SUBMITTED", Some("ACCEPT")),
                Some(_) => ("SUBMITTED", Some("REVISE")),
                None if rng.chance(50) => ("REQUESTED", None),
                None => (
                    "SUBMITTED",
                    Some(*rng.pick(&["ACCEPT", "REVISE", "REJECT"])),
                ),
            };
            let responded = (status == "SUBMITTED")
                .then(|| requested + Duration::hours(rng.range(2, 200) as i64));
            reviews.push(review::ActiveModel {
                id: Set(next(&mut ids.review)),
                paper_id: Set(id),
                round: Set(round),
                reviewer_id: Set(reviewer),
                requested_by: Set(editor),
                status: Set(status.to_owned()),
                recommendation: Set(recommendation.map(str::to_owned)),
                comments: Set(responded.map(|_| "Clear and well sourced.".to_owned())),
                due_at: Set(Some(requested + Duration::days(14))),
                created_at: Set(requested),
                responded_at: Set(responded),
            });
        }
    }
    tally.reviews += reviews.len() as u64;

    // Contributors: 1–4, the first often the author's own account.
    let n_contributors = rng.range(1, 4);
    let mut contributors = Vec::with_capacity(n_contributors as usize);
    for ordinal in 0..n_contributors {
        let linked = ordinal == 0 && users.authors.contains(&created_by) && rng.chance(60);
        let name = if linked {
            format!("Author {}", created_by - users.authors[0] + 1)
        } else {
            person(&mut rng)
        };
        contributors.push(contributor::ActiveModel {
            id: Set(next(&mut ids.contributor)),
            paper_id: Set(id),
            ordinal: Set(ordinal as i32),
            name_folded: Set(Some(fold_case(&name))),
            name: Set(name),
            position: Set(rng.chance(70).then(|| (*rng.pick(&POSITIONS)).to_owned())),
            affiliation: Set(rng
                .chance(80)
                .then(|| (*rng.pick(&AFFILIATIONS)).to_owned())),
            user_id: Set(linked.then_some(created_by)),
        });
    }
    tally.contributors += contributors.len() as u64;

    PaperRows {
        paper: paper::ActiveModel {
            id: Set(id),
            slug: Set(format!("doklad-{id}")),
            title: Set(title),
            series_id: Set(series_id),
            original_language: Set("ru".to_owned()),
            stage: Set(stage.to_owned()),
            version: Set(path.len() as i32),
            review_round: Set(review_round),
            original_url: Set(Some(format!("https://example.org/ru/doklad-{id}"))),
            created_by: Set(created_by),
            published_at: Set(published_at),
            external_key: Set(None),
            dateline_place: Set(None),
            dateline_date: Set(None),
            dateline_issuer: Set(None),
            publish_at: Set(None),
            release_held_back: Set(None),
            corrected_at: Set(None),
            correction_note: Set(None),
            created_at: Set(created_at),
            updated_at: Set(updated_at),
        },
        contributors,
        texts,
        stage_events,
        tasks,
        task_events,
        reviews,
    }
}

#[allow(clippy::too_many_arguments)]
fn text_row(
    id: i64,
    paper_id: i64,
    language: &str,
    kind: &str,
    content: &TextContent,
    source_revision: Option<i32>,
    translated_by: Option<i64>,
    at: DateTime<Utc>,
) -> paper_text::ActiveModel {
    paper_text::ActiveModel {
        id: Set(id),
        paper_id: Set(paper_id),
        language: Set(language.to_owned()),
        kind: Set(kind.to_owned()),
        title: Set(content.title.clone()),
        r#abstract: Set(content.abstract_text.clone()),
        key_findings: Set(findings_json(&content.key_findings)),
        body: Set(content.body.clone()),
        revision: Set(1),
        source_revision: Set(source_revision),
        translated_by: Set(translated_by),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

async fn insert_chunked<E, A>(db: &impl ConnectionTrait, rows: Vec<A>) -> anyhow::Result<()>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Creates the users (all with one password hash) and the series.
async fn load_users_and_series(
    db: &DatabaseConnection,
    users: &Users,
    password_hash: &str,
) -> anyhow::Result<u64> {
    let at = base_time();
    let rows: Vec<user::ActiveModel> = users
        .all()
        .into_iter()
        .map(|(id, role)| {
            let email = users.email(id);
            user::ActiveModel {
                id: Set(id),
                display_name: Set(email.split('@').next().unwrap_or_default().to_owned()),
                email: Set(email),
                position: Set(None),
                affiliation: Set(None),
                password_hash: Set(password_hash.to_owned()),
                roles: Set(role.to_owned()),
                disabled: Set(false),
                token_version: Set(0),
                created_at: Set(at),
                updated_at: Set(at),
            }
        })
        .collect();
    let count = rows.len() as u64;
    let tx = db.begin().await?;
    insert_chunked(&tx, rows).await?;
    let series: Vec<series::ActiveModel> = (1..=SERIES as i64)
        .map(|id| series::ActiveModel {
            id: Set(id),
            slug: Set(format!("series-{id:02}")),
            title: Set(format!("Security Index Occasional Paper Series {id}")),
            description: Set(Some("Generated for the benchmark.".to_owned())),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .collect();
    insert_chunked(&tx, series).await?;
    tx.commit().await?;
    Ok(count)
}

/// Writes the whole data set; answers what it wrote.
pub async fn load(
    db: &DatabaseConnection,
    papers: usize,
    bench_translators: usize,
    seed: u64,
) -> anyhow::Result<(Users, Tally)> {
    let started = Instant::now();
    let users = Users::new(papers, bench_translators);
    let hash = imprint::auth::hash_password(PASSWORD.to_owned()).await?;
    let mut tally = Tally {
        users: load_users_and_series(db, &users, &hash).await?,
        ..Tally::default()
    };
    let mut ids = Ids::default();
    let mut start = 0;
    while start < papers {
        let end = (start + BATCH_PAPERS).min(papers);
        let mut batch = Vec::with_capacity(end - start);
        for index in start..end {
            batch.push(generate_paper(seed, index, &users, &mut ids, &mut tally));
        }
        let mut paper_rows = Vec::with_capacity(batch.len());
        let mut contributors = Vec::new();
        let mut texts = Vec::new();
        let mut stage_events = Vec::new();
        let mut tasks = Vec::new();
        let mut task_events = Vec::new();
        let mut reviews = Vec::new();
        for rows in batch {
            paper_rows.push(rows.paper);
            contributors.extend(rows.contributors);
            texts.extend(rows.texts);
            stage_events.extend(rows.stage_events);
            tasks.extend(rows.tasks);
            task_events.extend(rows.task_events);
            reviews.extend(rows.reviews);
        }
        let tx = db.begin().await?;
        insert_chunked(&tx, paper_rows).await?;
        insert_chunked(&tx, contributors).await?;
        insert_chunked(&tx, texts).await?;
        insert_chunked(&tx, stage_events).await?;
        insert_chunked(&tx, tasks).await?;
        insert_chunked(&tx, task_events).await?;
        insert_chunked(&tx, reviews).await?;
        tx.commit().await?;
        start = end;
    }
    // The search terms, as Imprint writes them on every text write.
    let tx = db.begin().await?;
    imprint::store::search::catch_up(&tx).await?;
    tx.commit().await?;
    finish(db).await?;
    eprintln!(
        "loaded {papers} papers ({} users, {} texts, {} tasks, {} task events, {} stage events, {} reviews) in {:.1}s",
        tally.users,
        tally.texts,
        tally.tasks,
        tally.task_events,
        tally.stage_events,
        tally.reviews,
        started.elapsed().as_secs_f64()
    );
    Ok((users, tally))
}

const TABLES: [&str; 9] = [
    "users",
    "series",
    "papers",
    "contributors",
    "paper_texts",
    "stage_events",
    "translation_tasks",
    "task_events",
    "reviews",
];

/// Whether the schema has this table (some are added by later migrations).
pub async fn has_table(db: &DatabaseConnection, table: &str) -> anyhow::Result<bool> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            format!("SELECT COUNT(*) FROM pg_tables WHERE tablename = '{table}'")
        }
        _ => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
        }
    };
    Ok(crate::invariants::scalar(db, &sql).await? > 0)
}

/// Fills what the server keeps beside the rows it writes, as its services
/// would have: the per-series stage counters (migration 000008, same SQL as
/// the migration's backfill). Then moves PostgreSQL's id sequences past the
/// explicit ids, and gathers planner statistics as autovacuum would on a
/// live database.
async fn finish(db: &DatabaseConnection) -> anyhow::Result<()> {
    if has_table(db, "paper_stage_counts").await? {
        db.execute_unprepared("DELETE FROM paper_stage_counts")
            .await?;
        db.execute_unprepared(
            "INSERT INTO paper_stage_counts (series_key, stage, papers) \
             SELECT COALESCE(series_id, 0), stage, COUNT(*) FROM papers \
             GROUP BY COALESCE(series_id, 0), stage",
        )
        .await?;
    }
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in TABLES {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))
        .await?;
    }
    db.execute_unprepared("VACUUM ANALYZE").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_stream_is_fixed_by_its_seed() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        // SplitMix64's published first output for seed 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn a_paper_is_the_same_whatever_came_before_it() {
        let users = Users::new(1000, 200);
        let mut tally = Tally::default();
        let mut ids = Ids::default();
        let alone = generate_paper(1, 500, &users, &mut ids, &mut tally);
        let mut ids = Ids::default();
        for index in 0..500 {
            generate_paper(1, index, &users, &mut ids, &mut tally);
        }
        let later = generate_paper(1, 500, &users, &mut ids, &mut tally);
        assert_eq!(alone.paper.stage, later.paper.stage);
        assert_eq!(alone.paper.title, later.paper.title);
        assert_eq!(alone.stage_events.len(), later.stage_events.len());
    }

    #[test]
    fn users_have_distinct_emails() {
        let users = Users::new(1000, 200);
        let emails: std::collections::HashSet<String> =
            users.all().iter().map(|(id, _)| users.email(*id)).collect();
        assert_eq!(emails.len(), users.all().len());
        assert_eq!(users.email(users.editors[0]), "editor1@bench.test");
    }
}
