//! The benchmark's own database (a new PostgreSQL database, or a temporary
//! SQLite file), the CPU time of its PostgreSQL backends, and the check of
//! the claims made during the run.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::invariants::scalar;
use crate::server::cpu_ticks;

/// A database made for one run, dropped afterwards.
pub struct BenchDb {
    pub url: String,
    admin_url: String,
    name: String,
    file: Option<PathBuf>,
}

impl BenchDb {
    pub async fn create(postgres: bool, admin_url: &str) -> anyhow::Result<BenchDb> {
        let stamp = format!(
            "{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp_millis()
        );
        if postgres {
            let name = format!("imprint_bench_{stamp}");
            let admin = Database::connect(admin_url)
                .await
                .with_context(|| format!("cannot reach PostgreSQL at {admin_url}"))?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let base = admin_url
                .split('?')
                .next()
                .and_then(|url| url.rsplit_once('/'))
                .map(|(base, _)| base)
                .context("the PostgreSQL URL has no database part")?;
            Ok(BenchDb {
                url: format!("{base}/{name}"),
                admin_url: admin_url.to_owned(),
                name,
                file: None,
            })
        } else {
            let file = std::env::temp_dir().join(format!("imprint-bench-{stamp}.db"));
            Ok(BenchDb {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                admin_url: String::new(),
                name: String::new(),
                file: Some(file),
            })
        }
    }

    pub async fn drop_database(&self) -> anyhow::Result<()> {
        match &self.file {
            Some(file) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut path = file.clone().into_os_string();
                    path.push(suffix);
                    let _ = std::fs::remove_file(path);
                }
            }
            None => {
                let admin = Database::connect(&self.admin_url).await?;
                admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.name
                    ))
                    .await?;
                admin.close().await?;
            }
        }
        Ok(())
    }
}

/// PostgreSQL backend processes serving the benchmark database: their CPU
/// time is the database's share of the work (the server's pool, or the
/// floor's). Nothing on SQLite, which runs inside the processes.
pub struct Backends {
    db: Option<DatabaseConnection>,
}

impl Backends {
    pub async fn new(url: &str) -> anyhow::Result<Backends> {
        if !url.starts_with("postgres") {
            return Ok(Backends { db: None });
        }
        Ok(Backends {
            db: Some(Database::connect(url).await?),
        })
    }

    /// CPU ticks per backend process of this database, now.
    pub async fn snapshot(&self) -> anyhow::Result<HashMap<u32, u64>> {
        let Some(db) = &self.db else {
            return Ok(HashMap::new());
        };
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid()",
            ))
            .await?;
        let mut ticks = HashMap::new();
        for row in rows {
            let pid: i32 = row.try_get_by_index(0)?;
            let pid = pid as u32;
            if let Some(t) = cpu_ticks(pid) {
                ticks.insert(pid, t);
            }
        }
        Ok(ticks)
    }

    /// Ticks spent between two snapshots (a backend that started in
    /// between counts whole); None on SQLite.
    pub fn spent(&self, before: &HashMap<u32, u64>, after: &HashMap<u32, u64>) -> Option<u64> {
        self.db.as_ref()?;
        Some(
            after
                .iter()
                .map(|(pid, t)| t.saturating_sub(before.get(pid).copied().unwrap_or(0)))
                .sum(),
        )
    }

    pub async fn close(self) {
        if let Some(db) = self.db {
            let _ = db.close().await;
        }
    }
}

/// What the task logs say about the claims made during the run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClaimCheck {
    pub pool: usize,
    /// Claims the clients were told they won (warm-ups included).
    pub won_by_clients: u64,
    /// CLAIMED events written during the run.
    pub claimed_events: i64,
    /// A CLAIMED event right after another CLAIMED one for the same task:
    /// a task claimed twice with no release between. Must be zero.
    pub double_claims: i64,
    /// Tasks of the pool not OPEN at the end (every won claim is released).
    pub pool_tasks_not_open: i64,
    pub ok: bool,
}

/// Pairs of series and stage whose kept counter differs from the papers
/// themselves: 0 when every move counted right.
pub async fn stage_counts_off(db: &DatabaseConnection) -> anyhow::Result<i64> {
    scalar(
        db,
        "SELECT COUNT(*) FROM (SELECT COALESCE(series_id, 0) AS series_key, stage, COUNT(*) AS papers \
         FROM papers GROUP BY COALESCE(series_id, 0), stage) p \
         FULL OUTER JOIN paper_stage_counts c ON c.series_key = p.series_key AND c.stage = p.stage \
         WHERE COALESCE(p.papers, 0) <> COALESCE(c.papers, 0)",
    )
    .await
}

pub async fn verify_claims(
    db: &DatabaseConnection,
    pool: &[i64],
    after_event: i64,
    won_by_clients: u64,
) -> anyhow::Result<ClaimCheck> {
    let claimed_events = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM task_events WHERE id > {after_event} AND to_status = 'CLAIMED'"
        ),
    )
    .await?;
    let double_claims = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM (SELECT to_status, LAG(to_status) OVER \
             (PARTITION BY task_id ORDER BY id) AS prev FROM task_events WHERE id > {after_event}) x \
             WHERE to_status = 'CLAIMED' AND prev = 'CLAIMED'"
        ),
    )
    .await?;
    let pool_tasks_not_open = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM translation_tasks WHERE status <> 'OPEN' AND id IN \
             (SELECT task_id FROM task_events WHERE id > {after_event} AND to_status = 'CLAIMED')"
        ),
    )
    .await?;
    let check = ClaimCheck {
        pool: pool.len(),
        won_by_clients,
        claimed_events,
        double_claims,
        pool_tasks_not_open,
        ok: double_claims == 0
            && claimed_events == won_by_clients as i64
            && pool_tasks_not_open == 0,
    };
    Ok(check)
}
