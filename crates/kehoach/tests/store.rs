//! The store itself: one migration history gives the same schema on SQLite
//! and PostgreSQL, and migrating twice changes nothing.

mod common;

use kehoach::db::{Db, Engine};
use sqlx::Row;

/// Tables and their columns, as the engine reports them.
async fn schema(db: &Db) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = match db.engine {
        Engine::Sqlite => sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ),
        Engine::Postgres => sqlx::query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
        ),
    }
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut cols: Vec<String> = match db.engine {
            Engine::Sqlite => sqlx::query("SELECT name FROM pragma_table_info($1)").bind(&t),
            Engine::Postgres => sqlx::query(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(&t),
        }
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        cols.sort();
        out.push((t, cols));
    }
    out
}

#[tokio::test]
async fn both_engines_get_the_same_schema() {
    let (db, _dir) = common::fresh_db().await;
    let under_test = schema(&db).await;
    let names: Vec<&str> = under_test.iter().map(|(t, _)| t.as_str()).collect();
    for t in [
        "assignments",
        "audit_log",
        "duties",
        "plans",
        "sessions",
        "themes",
        "units",
        "users",
    ] {
        assert!(names.contains(&t), "missing table {t}");
    }
    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = Db::open(
        &format!("sqlite://{}", sqlite_dir.path().join("ref.db").display()),
        1,
    )
    .await
    .unwrap();
    assert_eq!(
        under_test,
        schema(&sqlite).await,
        "schema differs from SQLite's"
    );
}

#[tokio::test]
async fn migrating_again_is_a_no_op() {
    let (db, _dir) = common::fresh_db().await;
    kehoach::db::migrate(&db).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, kehoach::db::MIGRATIONS.len() as i64);
}

#[tokio::test]
async fn an_import_is_one_transaction() {
    let (db, _dir) = common::fresh_db().await;
    // A plan row that violates a constraint midway (themes need a plan) must
    // leave nothing behind: simulate by dropping a table the import writes last.
    sqlx::query("DROP TABLE assignments")
        .execute(&db.pool)
        .await
        .unwrap();
    let seed = include_bytes!("../../../fixtures/plans/plan-2021.txt");
    let csv = include_bytes!("../../../fixtures/units/phu-yen.csv");
    let rows = kehoach::units::csv_import::parse(csv).unwrap();
    kehoach::units::csv_import::store(&db, None, &rows)
        .await
        .unwrap();
    assert!(
        kehoach::plans::import_bytes(&db, None, "x.txt", seed)
            .await
            .is_err()
    );
    for table in ["plans", "themes", "duties", "channels"] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(n, 0, "{table} was half-written");
    }
}

#[tokio::test]
async fn the_generator_builds_a_consistent_dataset() {
    let (db, _dir) = common::fresh_db().await;
    let scale = kehoach::generate::Scale {
        units: 60,
        plans: 2,
        activities: 1000,
        periods: 4,
    };
    kehoach::generate::run(&db, &scale).await.unwrap();
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&db.pool);
    assert_eq!(count("SELECT COUNT(*) FROM units").await.unwrap(), 60);
    assert_eq!(
        count("SELECT COUNT(*) FROM plans WHERE status = 'published'")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM activities").await.unwrap(),
        1000
    );
    assert_eq!(count("SELECT COUNT(*) FROM periods").await.unwrap(), 8);
    // Every activity's themes belong to its own plan, and it has search words.
    let foreign = count(
        "SELECT COUNT(*) FROM activity_themes at JOIN activities a ON a.id = at.activity_id \
         JOIN themes t ON t.id = at.theme_id WHERE t.plan_id <> a.plan_id",
    );
    assert_eq!(foreign.await.unwrap(), 0);
    let wordless = count(
        "SELECT COUNT(*) FROM activities a WHERE NOT EXISTS (SELECT 1 FROM activity_words w WHERE w.activity_id = a.id)",
    );
    assert_eq!(wordless.await.unwrap(), 0);
    kehoach::generate::run(&db, &scale).await.unwrap();
    assert_eq!(
        count("SELECT COUNT(*) FROM activities").await.unwrap(),
        1000,
        "running again adds nothing"
    );
}
