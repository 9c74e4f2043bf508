//! The raw-SQL floor of the dashboard: the six statements Imprint ran for
//! the dashboard until issue 26 (it now sends three, the page gathering its
//! lists as JSON), kept as the fixed yardstick and sent straight to the
//! database with sqlx from a pool of the server's size and settings, with no
//! HTTP, GraphQL or ORM in between.
//!
//! The SQL text is built once, at start-up, with the same sea-orm builder
//! calls on the same entities as `src/store` (so it is byte for byte what
//! the server sends; see bench/README.md for how that was checked against
//! the database's statement log), then run as plain prepared statements:
//!
//! 1. the viewer's user row (`store::users::find`, every request re-reads it);
//! 2. papers per series and stage (`store::status::papers_by_series_and_stage`):
//!    the stage counters (`paper_stage_counts`, migration 000008) where the
//!    schema has them, else the `GROUP BY` over `papers` it ran before;
//! 3. the series of those counts (`store::series::by_ids`, for `series { slug }`):
//!    only on the first request, since the server's loader keeps series rows
//!    (they never change) — so not a per-request statement, here as there;
//! 4. the page: 50 + 1 most recently updated papers (`store::papers::page`);
//! 5. the page's contributors (`store::papers::contributors_of`),
//! 6. the texts' headings, without their content, which the dashboard
//!    does not show (`store::papers::texts_of_papers` as a `TextHeading`), and
//! 7. the tasks' headings, without their submissions and notes, which it
//!    does not show either (`store::tasks::tasks_of_papers` as a
//!    `TaskHeading`), one `IN (…)` query each.
//!
//! Steps 2–3 and 4–7 run side by side after step 1, as the server's two
//! root fields do. Every row the statements answer is fetched; only the ids
//! the next statement needs are decoded.

use imprint::store::entity::{contributor, paper, series, user};
use imprint::store::papers::{TextHeading, texts_of_papers};
use imprint::store::tasks::{TaskHeading, tasks_of_papers};
use std::sync::Arc;

use sea_orm::sqlx::{self, AssertSqlSafe, Row};
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

/// Largest `IN (…)` list prepared for.
pub(crate) const MAX_IN: usize = 128;
/// The page the dashboard asks for, plus the one row that tells whether
/// there is a next page.
pub const PAGE: u64 = 50;

/// The statements, as text.
#[derive(Debug, Clone)]
pub struct Statements {
    pub user: Sql,
    pub status: Sql,
    /// Whether `status` reads the counters table (it then takes one
    /// parameter, 0, and answers the series as 0 for none).
    pub counters: bool,
    /// By the number of ids in the `IN` list.
    pub series: Vec<Sql>,
    pub page: Sql,
    pub contributors: Vec<Sql>,
    pub texts: Vec<Sql>,
    pub tasks: Vec<Sql>,
}

/// Statement text, shared so that running it copies nothing.
pub type Sql = Arc<str>;

pub(crate) fn run(sql: &Sql) -> AssertSqlSafe<Arc<str>> {
    AssertSqlSafe(sql.clone())
}

impl Statements {
    pub fn new(backend: DbBackend, counters: bool) -> Self {
        let ids = |n: usize| (1..=n as i64).collect::<Vec<i64>>();
        let lists = |build: &dyn Fn(Vec<i64>) -> String| -> Vec<Sql> {
            (0..=MAX_IN).map(|n| Sql::from(build(ids(n)))).collect()
        };
        Statements {
            user: user::Entity::find_by_id(1)
                .limit(1)
                .build(backend)
                .sql
                .into(),
            status: if counters {
                // As sea-orm writes `paper_stage_count::Entity::find()
                // .filter(Papers.gt(0))` (the entity is newer than this
                // benchmark, so the text is spelled out).
                let p = if backend == DbBackend::Postgres {
                    "$1"
                } else {
                    "?"
                };
                format!(
                    "SELECT \"paper_stage_counts\".\"series_key\", \"paper_stage_counts\".\"stage\", \
                     \"paper_stage_counts\".\"papers\" FROM \"paper_stage_counts\" \
                     WHERE \"paper_stage_counts\".\"papers\" > {p}"
                )
                .into()
            } else {
                paper::Entity::find()
                    .select_only()
                    .column(paper::Column::SeriesId)
                    .column(paper::Column::Stage)
                    .column_as(paper::Column::Id.count(), "papers")
                    .group_by(paper::Column::SeriesId)
                    .group_by(paper::Column::Stage)
                    .build(backend)
                    .sql
                    .into()
            },
            counters,
            series: lists(&|ids| {
                series::Entity::find()
                    .filter(series::Column::Id.is_in(ids))
                    .build(backend)
                    .sql
            }),
            // The editor's scope is everything: `visible()` adds `WHERE TRUE`.
            page: paper::Entity::find()
                .filter(sea_orm::Condition::all())
                .order_by(paper::Column::UpdatedAt, sea_orm::Order::Desc)
                .order_by(paper::Column::Id, sea_orm::Order::Desc)
                .limit(PAGE + 1)
                .build(backend)
                .sql
                .into(),
            contributors: lists(&|ids| {
                contributor::Entity::find()
                    .filter(contributor::Column::PaperId.is_in(ids))
                    .order_by_asc(contributor::Column::PaperId)
                    .order_by_asc(contributor::Column::Ordinal)
                    .build(backend)
                    .sql
            }),
            // The dashboard shows no text's content and no task's
            // submission or note, so the server reads their headings.
            texts: lists(&|ids| {
                texts_of_papers(&ids)
                    .into_partial_model::<TextHeading>()
                    .into_statement(backend)
                    .sql
            }),
            tasks: lists(&|ids| {
                tasks_of_papers(&ids)
                    .into_partial_model::<TaskHeading>()
                    .into_statement(backend)
                    .sql
            }),
        }
    }

    /// The statements of one dashboard, for the README and the JSON.
    pub fn listing(&self) -> Vec<String> {
        [
            &self.user,
            &self.status,
            &self.series[12],
            &self.page,
            &self.contributors[PAGE as usize],
            &self.texts[PAGE as usize],
            &self.tasks[PAGE as usize],
        ]
        .map(|sql| sql.to_string())
        .to_vec()
    }
}

/// A pool and the statements.
pub struct Floor {
    pool: Pool,
    sql: Statements,
    /// The viewer (an editor) whose row step 1 reads.
    user_id: i64,
    /// Whether the series rows were read (once, like the server's loader).
    series_read: std::sync::atomic::AtomicBool,
}

pub(crate) enum Pool {
    Postgres(sqlx::PgPool),
    Sqlite(sqlx::SqlitePool),
}

/// Statements per dashboard in the floor: 1, 2 and 4–7 (the series are read
/// once).
pub const STATEMENTS: u64 = 6;

/// Fetches the rows of an `IN (…)` statement of `statements` (indexed by
/// list length) over `ids`.
macro_rules! rows_in {
    ($pool:expr, $statements:expr, $ids:expr) => {{
        let ids: &[i64] = $ids;
        let mut query = sqlx::query($crate::floor::run(
            &$statements[ids.len().min($crate::floor::MAX_IN)],
        ));
        for id in ids.iter().take($crate::floor::MAX_IN) {
            query = query.bind(*id);
        }
        query.fetch_all($pool)
    }};
}
pub(crate) use rows_in;

/// The same steps for either database.
macro_rules! dashboard {
    ($pool:expr, $sql:expr, $user_id:expr, $series_read:expr) => {{
        let pool = $pool;
        let sql = $sql;
        sqlx::query(run(&sql.user))
            .bind($user_id)
            .bind(1i64)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no user {}", $user_id))?;
        let status = async {
            let mut query = sqlx::query(run(&sql.status));
            if sql.counters {
                query = query.bind(0i64);
            }
            let counts = query.fetch_all(pool).await?;
            let mut ids: Vec<i64> = Vec::with_capacity(16);
            for row in &counts {
                let id = row.try_get::<Option<i64>, _>(0)?.filter(|id| *id != 0);
                if let Some(id) = id
                    && !ids.contains(&id)
                {
                    ids.push(id);
                }
            }
            let mut series = 0;
            if !$series_read.swap(true, std::sync::atomic::Ordering::Relaxed) {
                series = rows_in!(pool, sql.series, &ids).await?.len();
            }
            anyhow::Ok(counts.len() + series)
        };
        let page = async {
            let rows = sqlx::query(run(&sql.page))
                .bind(PAGE as i64 + 1)
                .fetch_all(pool)
                .await?;
            let ids: Vec<i64> = rows
                .iter()
                .take(PAGE as usize)
                .map(|row| row.try_get::<i64, _>(0))
                .collect::<Result<_, _>>()?;
            let (contributors, texts, tasks) = tokio::try_join!(
                rows_in!(pool, sql.contributors, &ids),
                rows_in!(pool, sql.texts, &ids),
                rows_in!(pool, sql.tasks, &ids),
            )?;
            anyhow::Ok(rows.len() + contributors.len() + texts.len() + tasks.len())
        };
        let (a, b) = tokio::try_join!(status, page)?;
        Ok(a + b)
    }};
}

impl Floor {
    /// A pool like the server's (`imprint::store::connect`, same size) and
    /// the statements for its database.
    pub async fn connect(url: &str, size: u32, user_id: i64) -> anyhow::Result<Floor> {
        let db = imprint::store::connect(url, size).await?;
        let backend = db.get_database_backend();
        let counters = crate::dataset::has_table(&db, "paper_stage_counts").await?;
        let pool = match backend {
            DbBackend::Postgres => Pool::Postgres(db.get_postgres_connection_pool().clone()),
            _ => Pool::Sqlite(db.get_sqlite_connection_pool().clone()),
        };
        Ok(Floor {
            pool,
            sql: Statements::new(backend, counters),
            user_id,
            series_read: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// One dashboard's worth of statements; answers the rows read.
    pub async fn dashboard(&self) -> anyhow::Result<usize> {
        match &self.pool {
            Pool::Postgres(pool) => dashboard!(pool, &self.sql, self.user_id, self.series_read),
            Pool::Sqlite(pool) => dashboard!(pool, &self.sql, self.user_id, self.series_read),
        }
    }

    pub fn statements(&self) -> &Statements {
        &self.sql
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The viewer whose row every dashboard reads.
    pub(crate) fn user_id(&self) -> i64 {
        self.user_id
    }

    pub async fn close(self) {
        match self.pool {
            Pool::Postgres(pool) => pool.close().await,
            Pool::Sqlite(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_sends_what_the_store_sends() {
        let sql = Statements::new(DbBackend::Postgres, false);
        assert!(
            sql.user.ends_with("WHERE \"users\".\"id\" = $1 LIMIT $2"),
            "{}",
            sql.user
        );
        assert!(sql.page.contains("FROM \"papers\" WHERE TRUE ORDER BY \"papers\".\"updated_at\" DESC, \"papers\".\"id\" DESC LIMIT $1"), "{}", sql.page);
        assert!(
            sql.contributors[50].contains("IN ($1, $2,") && sql.contributors[50].contains("$50)")
        );
        assert!(sql.status.contains("GROUP BY"));
        assert!(sql.texts[50].contains("\"title\"") && !sql.texts[50].contains("\"body\""));
        let counters = Statements::new(DbBackend::Sqlite, true);
        assert!(
            counters
                .status
                .ends_with("\"paper_stage_counts\".\"papers\" > ?")
        );
        assert_eq!(counters.listing().len() as u64, STATEMENTS + 1);
    }
}
