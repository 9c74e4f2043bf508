//! `imprint-bench import`: how fast `imprint import` brings in a back
//! catalogue. Writes a deterministic JSON Lines file of `--papers` papers
//! (a Russian original with a body of about 3 KB and an English summary,
//! one to three credited authors, a dateline), runs the optimised binary's
//! `import` on a fresh database, then runs it again on the same file (every
//! line unchanged), and reports papers/s of both. Each run's summary line
//! is checked, and the papers counted in the database.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::{TimeZone, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use serde_json::json;

use crate::database::BenchDb;
use crate::dataset::{self, Rng};
use crate::invariants::scalar;

const EDITOR: &str = "importer@bench.test";
const SERIES: [(&str, &str); 3] = [
    ("security-index", "Security Index Occasional Paper Series"),
    ("nonproliferation", "Nonproliferation Papers"),
    ("arms-control-letters", "Arms Control Letters"),
];
const PLACES: [&str; 4] = ["MOSCOW", "GENEVA", "VIENNA", "NEW YORK"];

/// What the import measurement found.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRun {
    pub db: String,
    pub papers: usize,
    pub file_mb: f64,
    /// The first run: every line creates its paper.
    pub created_seconds: f64,
    pub created_papers_per_second: f64,
    /// The same file again: every line unchanged.
    pub unchanged_seconds: f64,
    pub unchanged_papers_per_second: f64,
}

pub async fn measure(
    binary: &Path,
    bench_db: &BenchDb,
    db_kind: &str,
    papers: usize,
    seed: u64,
) -> anyhow::Result<ImportRun> {
    let db = imprint::store::connect(&bench_db.url, 2).await?;
    {
        use migration::MigratorTrait;
        migration::Migrator::up(&db, None).await?;
    }
    prepare(&db).await?;
    let (path, mut writer) = tempfile()?;
    let mut rng = Rng::new(seed);
    for n in 0..papers {
        writeln!(writer, "{}", line(&mut rng, n))?;
    }
    writer.flush()?;
    drop(writer);
    let file_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
    eprintln!("import: {papers} papers, {file_mb:.1} MB of JSON Lines");

    let created = run(
        binary,
        &bench_db.url,
        &path,
        &format!("created {papers}, updated 0, unchanged 0, refused 0"),
    )?;
    let stored = scalar(
        &db,
        "SELECT COUNT(*) FROM papers WHERE external_key IS NOT NULL",
    )
    .await?;
    if stored != papers as i64 {
        bail!("{stored} papers in the database after importing {papers}");
    }
    let unchanged = run(
        binary,
        &bench_db.url,
        &path,
        &format!("created 0, updated 0, unchanged {papers}, refused 0"),
    )?;
    let _ = std::fs::remove_file(&path);
    db.close().await?;
    let result = ImportRun {
        db: db_kind.to_owned(),
        papers,
        file_mb,
        created_seconds: created,
        created_papers_per_second: papers as f64 / created,
        unchanged_seconds: unchanged,
        unchanged_papers_per_second: papers as f64 / unchanged,
    };
    eprintln!(
        "import on {}: {} papers created in {:.1} s ({:.0} papers/s); again, unchanged, in {:.1} s ({:.0} papers/s)",
        result.db,
        papers,
        result.created_seconds,
        result.created_papers_per_second,
        result.unchanged_seconds,
        result.unchanged_papers_per_second
    );
    Ok(result)
}

fn tempfile() -> anyhow::Result<(std::path::PathBuf, std::io::BufWriter<std::fs::File>)> {
    let path = std::env::temp_dir().join(format!(
        "imprint-bench-import-{}-{}.jsonl",
        std::process::id(),
        Utc::now().timestamp_millis()
    ));
    let file = std::fs::File::create(&path)?;
    Ok((path, std::io::BufWriter::new(file)))
}

/// The editor the import runs as, and the series the lines name.
async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    let now = Utc::now();
    let editor = imprint::service::users::NewUser {
        email: EDITOR.into(),
        display_name: "Bench Importer".into(),
        password: dataset::PASSWORD.into(),
        roles: vec![imprint::domain::Role::Editor],
        position: None,
        affiliation: None,
    };
    imprint::service::users::register(db, now, editor)
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    for (slug, title) in SERIES {
        imprint::store::series::insert(db, slug.into(), title.into(), None, now).await?;
    }
    Ok(())
}

/// The `n`th paper of the catalogue.
fn line(rng: &mut Rng, n: usize) -> String {
    let (ru_title, en_title) = {
        let (a, b, c) = (
            rng.below(10) as usize,
            rng.below(8) as usize,
            rng.below(8) as usize,
        );
        (
            format!(
                "{} {} {} (доклад {n})",
                dataset::RU_ADJ[a],
                dataset::RU_NOUN[b],
                dataset::RU_PLACE[c]
            ),
            format!(
                "{} {} {} (report {n})",
                dataset::EN_ADJ[a],
                dataset::EN_NOUN[b],
                dataset::EN_PLACE[c]
            ),
        )
    };
    let authors = rng.range(1, 3);
    let contributors: Vec<_> = (0..authors)
        .map(|_| {
            json!({
                "name": format!("{} {}", rng.pick(&dataset::FIRST_NAMES), rng.pick(&dataset::LAST_NAMES)),
                "position": rng.pick(&dataset::POSITIONS),
                "affiliation": rng.pick(&dataset::AFFILIATIONS),
            })
        })
        .collect();
    let day = Utc
        .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + chrono::Duration::days(rng.below(9000) as i64);
    let ru_findings = dataset::findings(rng, false, 4);
    let en_count = rng.range(3, 5);
    let en_findings = dataset::findings(rng, true, en_count);
    let body = "Доклад рассматривает состояние режима контроля над вооружениями, \
                его правовую основу и пути восстановления стратегической стабильности. "
        .repeat(20);
    let (series, _) = SERIES[rng.below(SERIES.len() as u64) as usize];
    json!({
        "key": format!("bench-{n:07}"),
        "series": series,
        "originalLanguage": "ru",
        "originalUrl": format!("https://example.org/ru/doklad-{n}"),
        "publishedAt": day.format("%Y-%m-%d").to_string(),
        "dateline": { "place": rng.pick(&PLACES), "issuer": "PIR PRESS" },
        "contributors": contributors,
        "texts": [
            {
                "language": "ru",
                "title": ru_title,
                "abstract": "Краткое изложение доклада: выводы и рекомендации для переговоров.",
                "keyFindings": ru_findings,
                "body": body,
            },
            {
                "language": "en",
                "kind": "SUMMARY",
                "title": en_title,
                "abstract": "A short English summary of the report, its findings and recommendations.",
                "keyFindings": en_findings,
            },
        ],
    })
    .to_string()
}

/// Runs `imprint import` on the file; answers its wall-clock seconds.
fn run(binary: &Path, url: &str, file: &Path, summary: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let output = std::process::Command::new(binary)
        .arg("import")
        .args(["--as", EDITOR])
        .arg(file)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .context("cannot run imprint import")?;
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || stdout.trim_end().lines().last() != Some(summary) {
        bail!(
            "imprint import said {stdout:?} (wanted {summary:?}): {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(seconds)
}
