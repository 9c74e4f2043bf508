//! One database per test: a new SQLite file in a temporary folder, or a new
//! PostgreSQL database on the server `TEST_DATABASE_URL` names, dropped when
//! the test ends.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub enum TestDatabase {
    Sqlite {
        url: String,
        _dir: tempfile::TempDir,
    },
    Postgres {
        url: String,
        server_url: String,
        name: String,
    },
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server_url) if !server_url.is_empty() => {
                let name = format!("imprint_test_{}", uuid::Uuid::new_v4().simple());
                let server = Database::connect(&server_url).await.unwrap();
                server
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                server.close().await.unwrap();
                let mut url = reqwest::Url::parse(&server_url).unwrap();
                url.set_path(&format!("/{name}"));
                TestDatabase::Postgres {
                    url: url.to_string(),
                    server_url,
                    name,
                }
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("imprint.db").display()
                );
                TestDatabase::Sqlite { url, _dir: dir }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } => url,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDatabase::Postgres { .. })
    }

    /// A pool set up as the server sets it up, without migrations.
    pub async fn connect(&self) -> DatabaseConnection {
        imprint::store::connect(self.url(), 8).await.unwrap()
    }

    pub async fn connect_migrated(&self) -> DatabaseConnection {
        let db = self.connect().await;
        Migrator::up(&db, None).await.unwrap();
        db
    }

    /// On PostgreSQL, ends every session on this test's database as an
    /// administrator's shutdown would (SQLSTATE 57P01), leaving the shared
    /// server running. `None` on SQLite, which has no server to lose.
    pub async fn terminate_sessions(&self) -> Option<()> {
        let name = self.postgres_name()?;
        self.on_server(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ))
        .await;
        Some(())
    }

    /// On PostgreSQL, ends the sessions of this test's database whose
    /// `application_name` is `application`, and answers how many there
    /// were. `None` on SQLite.
    pub async fn terminate_application(&self, application: &str) -> Option<u64> {
        let TestDatabase::Postgres {
            server_url, name, ..
        } = self
        else {
            return None;
        };
        let server = Database::connect(server_url.as_str()).await.unwrap();
        let ended = server
            .query_all_raw(sea_orm::Statement::from_string(
                server.get_database_backend(),
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = '{name}' AND application_name = '{application}'"
                ),
            ))
            .await
            .unwrap()
            .len();
        server.close().await.unwrap();
        Some(ended as u64)
    }

    /// On PostgreSQL, makes this test's database refuse new sessions, or
    /// take them again. `None` on SQLite.
    pub async fn allow_connections(&self, allowed: bool) -> Option<()> {
        let name = self.postgres_name()?;
        self.on_server(&format!(
            "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {allowed}"
        ))
        .await;
        Some(())
    }

    fn postgres_name(&self) -> Option<&str> {
        match self {
            TestDatabase::Postgres { name, .. } => Some(name),
            TestDatabase::Sqlite { .. } => None,
        }
    }

    /// Runs a statement on the PostgreSQL server's maintenance database.
    async fn on_server(&self, sql: &str) {
        let TestDatabase::Postgres { server_url, .. } = self else {
            return;
        };
        let server = Database::connect(server_url.as_str()).await.unwrap();
        server.execute_unprepared(sql).await.unwrap();
        server.close().await.unwrap();
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let TestDatabase::Postgres {
            server_url, name, ..
        } = self
        else {
            return;
        };
        let (server_url, name) = (server_url.clone(), name.clone());
        let database = name.clone();
        // Drop runs inside the test's runtime, which cannot block on itself:
        // drop the database from a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let server = Database::connect(&server_url).await.unwrap();
                server
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                    ))
                    .await
                    .unwrap();
                server.close().await.unwrap();
            });
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop test database {name}");
        }
    }
}
