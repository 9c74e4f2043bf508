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

/// Papers published before revisions were kept get their first revision
/// from the texts they have, dated when they were published.
#[tokio::test]
async fn papers_published_before_revisions_get_their_first_one() {
    use chrono::{TimeZone, Utc};
    use sea_orm::sea_query::{Alias, Query, SimpleExpr};

    let database = TestDatabase::create().await;
    let db = database.connect().await;
    let before_revisions = Migrator::migrations()
        .iter()
        .position(|migration| migration.name() == "m20261205_000013_paper_revisions")
        .unwrap() as u32;
    Migrator::up(&db, Some(before_revisions)).await.unwrap();
    let backend = db.get_database_backend();
    let at = Utc.with_ymd_and_hms(2020, 10, 13, 9, 0, 0).unwrap();
    let insert = |table: &str, values: Vec<(&str, SimpleExpr)>| {
        let mut query = Query::insert();
        query
            .into_table(Alias::new(table))
            .columns(values.iter().map(|(column, _)| Alias::new(*column)))
            .values_panic(values.into_iter().map(|(_, value)| value));
        backend.build(&query)
    };
    let statements = [
        insert(
            "users",
            vec![
                ("email", "e@imprint.test".into()),
                ("display_name", "E".into()),
                ("password_hash", "x".into()),
                ("created_at", at.into()),
                ("updated_at", at.into()),
            ],
        ),
        insert(
            "papers",
            vec![
                ("slug", "old".into()),
                ("title", "Старый доклад".into()),
                ("original_language", "ru".into()),
                ("stage", "PUBLISHED".into()),
                ("created_by", 1.into()),
                ("published_at", at.into()),
                ("created_at", at.into()),
                ("updated_at", at.into()),
            ],
        ),
    ];
    for statement in statements {
        db.execute_raw(statement).await.unwrap();
    }
    for (language, kind) in [("ru", "ORIGINAL"), ("en", "SUMMARY")] {
        let text = insert(
            "paper_texts",
            vec![
                ("paper_id", 1.into()),
                ("language", language.into()),
                ("kind", kind.into()),
                ("title", format!("Title {language}").into()),
                ("created_at", at.into()),
                ("updated_at", at.into()),
            ],
        );
        db.execute_raw(text).await.unwrap();
    }

    Migrator::up(&db, None).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT r.number, r.kind, COUNT(t.id) AS texts FROM paper_revisions r \
             JOIN paper_revision_texts t ON t.revision_id = r.id \
             WHERE r.paper_id = 1 GROUP BY r.number, r.kind",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i32>("", "number").unwrap(), 1);
    assert_eq!(row.try_get::<String>("", "kind").unwrap(), "PUBLISHED");
    assert_eq!(row.try_get::<i64>("", "texts").unwrap(), 2);
}
