//! Demo data for `serve --demo`: one account per role and a series whose
//! papers stand in every stage, seeded once through the real services (so
//! the demo obeys the same rules as everyone). Never part of a migration,
//! so production databases hold no demo password.

use chrono::{TimeZone, Utc};

use crate::app::AppState;
use crate::domain::catalogue::{Dateline, PublicationDetails};
use crate::domain::{
    Actor, ContributorInput, Recommendation, Role, Stage, TaskKind, TextContent, Viewer,
};
use crate::service::papers::{self, NewPaper, PaperView};
use crate::service::tasks::{self, NewTask};
use crate::service::users::{self, NewUser};
use crate::service::{ServiceResult, reviews, series};
use crate::store;

/// Every demo account has this password. Printed at start-up.
pub const DEMO_PASSWORD: &str = "imprint-demo";

/// (e-mail, display name, role, position, affiliation)
const ACCOUNTS: [(&str, &str, Role, &str, &str); 5] = [
    (
        "admin@imprint.test",
        "Ada Admin",
        Role::Admin,
        "Systems administrator",
        "Imprint",
    ),
    (
        "editor@imprint.test",
        "Elena Editor",
        Role::Editor,
        "Managing editor",
        "Security Index",
    ),
    (
        "author@imprint.test",
        "Artem Author",
        Role::Author,
        "Senior fellow",
        "PIR Center",
    ),
    (
        "translator@imprint.test",
        "Tatiana Translator",
        Role::Translator,
        "Translator",
        "PIR Center",
    ),
    (
        "reviewer@imprint.test",
        "Roman Reviewer",
        Role::Reviewer,
        "Consultant",
        "PIR Center",
    ),
];

/// The demo accounts, as (e-mail, role), for the start-up banner.
pub fn accounts() -> impl Iterator<Item = (&'static str, Role)> {
    ACCOUNTS
        .iter()
        .map(|(email, _, role, _, _)| (*email, *role))
}

/// The people of the demo office, as viewers.
struct Office {
    editor: Viewer,
    author: Viewer,
    translator: Viewer,
    reviewer: Viewer,
    reviewer_id: i64,
}

/// Seeds the demo data unless it is there already. Returns whether anything
/// was added.
pub async fn seed(state: &AppState) -> anyhow::Result<bool> {
    if store::users::find_by_email(&state.db, ACCOUNTS[0].0)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let mut viewers = Vec::new();
    for (email, name, role, position, affiliation) in ACCOUNTS {
        let user = users::register(
            &state.db,
            state.clock.now(),
            NewUser {
                email: email.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![role],
                position: Some(position.into()),
                affiliation: Some(affiliation.into()),
            },
        )
        .await?;
        viewers.push(Viewer::User(Actor {
            id: user.id,
            roles: [role].into_iter().collect(),
        }));
    }
    let office = Office {
        editor: viewers[1],
        author: viewers[2],
        translator: viewers[3],
        reviewer: viewers[4],
        reviewer_id: viewers[4].user_id().unwrap_or_default(),
    };
    seed_papers(state, &office).await?;
    Ok(true)
}

fn ryabkov() -> ContributorInput {
    ContributorInput {
        name: "Sergey Ryabkov".into(),
        position: Some("Deputy Minister of Foreign Affairs of the Russian Federation".into()),
        affiliation: Some("Russian Foreign Ministry".into()),
        user_id: None,
    }
}

fn draft(
    series_id: i64,
    title: &str,
    abstract_text: &str,
    contributor: ContributorInput,
) -> NewPaper {
    NewPaper {
        original_language: "ru".into(),
        title: title.into(),
        abstract_text: Some(abstract_text.into()),
        key_findings: vec![],
        body: Some(format!("{abstract_text}\n\n(Полный текст доклада.)")),
        series_id: Some(series_id),
        contributors: vec![contributor],
        original_url: None,
        slug: None,
    }
}

async fn step(
    state: &AppState,
    viewer: &Viewer,
    paper: &PaperView,
    to: Stage,
    note: Option<&str>,
) -> ServiceResult<PaperView> {
    papers::move_paper(
        state,
        viewer,
        paper.row.id,
        to,
        paper.row.version,
        note.map(str::to_owned),
        PublicationDetails::default(),
    )
    .await
}

async fn seed_papers(state: &AppState, office: &Office) -> ServiceResult<()> {
    let series = series::create(
        state,
        &office.editor,
        "security-index",
        "Security Index Occasional Paper Series",
        Some("Reports on international security, arms control and strategic stability."),
    )
    .await?;

    // The published report, modelled on the announcement in the fixtures.
    let mut report = draft(
        series.id,
        "Через равенство и консенсус — к прочной глобальной безопасности",
        "Статья рассматривает новые тенденции во внешней политике России в условиях \
         идеологизации и милитаризации международных отношений и разрушения системы \
         контроля над вооружениями, и предлагает дорожную карту восстановления \
         стратегической стабильности.",
        ryabkov(),
    );
    report.slug = Some("through-equality-and-consensus".into());
    report.original_url =
        Some("https://www.pircenter.org/en/editions/security-index-occasional-paper-series".into());
    let paper = papers::create(state, &office.author, report).await?;
    let paper = step(state, &office.author, &paper, Stage::Submitted, None).await?;
    let task = tasks::create(
        state,
        &office.editor,
        NewTask {
            paper_id: paper.row.id,
            target_language: "en".into(),
            source_language: None,
            kind: TaskKind::Summary,
            due_at: None,
        },
    )
    .await?;
    let paper = step(state, &office.editor, &paper, Stage::Translation, None).await?;
    tasks::claim(state, &office.translator, task.row.id).await?;
    let summary = TextContent::parse(
        "Through Equality and Consensus to Lasting Global Security",
        Some(
            "The report looks at how Russian foreign policy is changing while international \
             relations grow more ideological and militarised and the arms control system \
             erodes, and sets out a roadmap for rethinking deterrence and restoring \
             strategic stability.",
        ),
        &[
            "Dismantling the legal basis of arms control undermines agreed rules and deepens mistrust in the nuclear sphere.".into(),
            "New Russian weapon systems are presented as a response aimed at deterrence and balance, not military advantage.".into(),
            "Extending New START without conditions would keep verification alive and buy time to rethink arms control.".into(),
            "A legally binding agreement among space-faring nations should keep weapons out of outer space.".into(),
        ],
        None,
    )?;
    tasks::submit(state, &office.translator, task.row.id, summary).await?;
    tasks::accept(state, &office.editor, task.row.id).await?;
    let paper = papers::get(
        state,
        &office.editor,
        &store::papers::PaperKey::Id(paper.row.id),
    )
    .await?;
    let paper = step(state, &office.editor, &paper, Stage::Review, None).await?;
    let review = reviews::request(
        state,
        &office.editor,
        paper.row.id,
        office.reviewer_id,
        None,
    )
    .await?;
    reviews::submit(
        state,
        &office.reviewer,
        review.row.id,
        Recommendation::Accept,
        "A clear argument; the English summary renders the key findings faithfully.".into(),
    )
    .await?;
    let announced = PublicationDetails {
        published_at: Some(
            Utc.with_ymd_and_hms(2020, 10, 13, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        ),
        dateline: Some(Dateline::parse(Some("MOSCOW"), None, Some("PIR PRESS"))?),
        publish_at: None,
    };
    papers::move_paper(
        state,
        &office.editor,
        paper.row.id,
        Stage::Published,
        paper.row.version,
        Some("Announced by PIR Press on 13 October 2020.".into()),
        announced,
    )
    .await?;

    // A paper in every other stage.
    let contributor = |name: &str| ContributorInput {
        name: name.into(),
        position: None,
        affiliation: Some("PIR Center".into()),
        user_id: None,
    };
    papers::create(
        state,
        &office.author,
        draft(
            series.id,
            "Ядерное сдерживание в многополярном мире",
            "Черновик о роли ядерного сдерживания.",
            contributor("Artem Author"),
        ),
    )
    .await?;

    let submitted = papers::create(
        state,
        &office.author,
        draft(
            series.id,
            "Договор о нераспространении: пятьдесят лет спустя",
            "Оценка режима нераспространения.",
            contributor("Artem Author"),
        ),
    )
    .await?;
    step(state, &office.author, &submitted, Stage::Submitted, None).await?;

    let in_translation = papers::create(
        state,
        &office.author,
        draft(
            series.id,
            "Космос без оружия",
            "Предложения о неразмещении оружия в космосе.",
            contributor("Artem Author"),
        ),
    )
    .await?;
    let in_translation = step(
        state,
        &office.author,
        &in_translation,
        Stage::Submitted,
        None,
    )
    .await?;
    let english = tasks::create(
        state,
        &office.editor,
        NewTask {
            paper_id: in_translation.row.id,
            target_language: "en".into(),
            source_language: None,
            kind: TaskKind::Summary,
            due_at: Some(state.clock.now() + chrono::Duration::days(7)),
        },
    )
    .await?;
    tasks::create(
        state,
        &office.editor,
        NewTask {
            paper_id: in_translation.row.id,
            target_language: "zh-Hans".into(),
            source_language: None,
            kind: TaskKind::Full,
            due_at: None,
        },
    )
    .await?;
    step(
        state,
        &office.editor,
        &in_translation,
        Stage::Translation,
        None,
    )
    .await?;
    tasks::claim(state, &office.translator, english.row.id).await?;

    let in_review = papers::create(
        state,
        &office.author,
        draft(
            series.id,
            "Стратегическая стабильность после ДРСМД",
            "Последствия прекращения Договора РСМД.",
            contributor("Artem Author"),
        ),
    )
    .await?;
    let in_review = step(state, &office.author, &in_review, Stage::Submitted, None).await?;
    let in_review = step(state, &office.editor, &in_review, Stage::Review, None).await?;
    reviews::request(
        state,
        &office.editor,
        in_review.row.id,
        office.reviewer_id,
        Some(state.clock.now() + chrono::Duration::days(14)),
    )
    .await?;

    let withdrawn = papers::create(
        state,
        &office.author,
        draft(
            series.id,
            "Отозванная рукопись",
            "Автор отозвал эту рукопись.",
            contributor("Artem Author"),
        ),
    )
    .await?;
    step(state, &office.author, &withdrawn, Stage::Archived, None).await?;
    Ok(())
}
