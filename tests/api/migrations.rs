//! Every migration rolls back cleanly and applies again.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::TestDatabase;

async fn table_count(db: &sea_orm::DatabaseConnection, postgres: bool) -> i64 {
    let sql = if postgres {
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'"
    } else {
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let database = TestDatabase::create().await;
    let db = database.connect().await;
    let postgres = database.is_postgres();

    Migrator::up(&db, None).await.unwrap();
    let tables = table_count(&db, postgres).await;
    // Nine tables of the model, plus the search index's own on SQLite.
    assert!(tables >= 9, "{tables} tables");
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::down(&db, None).await.unwrap();
    assert_eq!(table_count(&db, postgres).await, 0);

    Migrator::up(&db, None).await.unwrap();
    assert_eq!(table_count(&db, postgres).await, tables);
}
