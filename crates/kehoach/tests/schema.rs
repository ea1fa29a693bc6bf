//! One migration history gives the same schema on SQLite and PostgreSQL:
//! every table's columns with their types, nullability and defaults, its
//! indexes (columns and uniqueness) and its foreign keys (columns, target
//! and delete rule). The engine under test is compared with a fresh SQLite
//! store; on SQLite alone the test still proves the catalogue reader works.

mod common;

use std::collections::BTreeSet;

use kehoach::db::{Db, Engine};

#[derive(Debug, sqlx::FromRow)]
struct Name {
    name: String,
}

#[derive(Debug, sqlx::FromRow)]
struct ColumnRow {
    name: String,
    kind: String,
    not_null: i64,
    default_sql: Option<String>,
    pk: i64,
    generated: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct IndexRow {
    uniq: i64,
    cols: String,
}

#[derive(Debug, sqlx::FromRow)]
struct IndexName {
    name: String,
    uniq: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct ForeignKeyRow {
    def: String,
}

/// A column as both engines can state it; defaults lose PostgreSQL's casts,
/// and `generated` is a key the engine assigns (identity, autoincrement).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    name: String,
    kind: String,
    not_null: bool,
    default: Option<String>,
    primary_key: bool,
    generated: bool,
}

#[derive(Debug, PartialEq, Eq)]
struct Table {
    name: String,
    columns: BTreeSet<Column>,
    /// (unique, "col1,col2"), primary keys aside.
    indexes: BTreeSet<(bool, String)>,
    /// "cols -> table(cols) on delete RULE".
    foreign_keys: BTreeSet<String>,
}

fn normal_default(raw: Option<String>) -> Option<String> {
    let raw = raw?;
    let mut s = raw.trim().to_owned();
    // PostgreSQL writes 'draft'::text, (0)::bigint, and wraps negatives.
    while let Some(i) = s.rfind("::") {
        s.truncate(i);
    }
    let s = s.trim_matches(|c| c == '(' || c == ')').to_owned();
    if s.starts_with("nextval") {
        None
    } else {
        Some(s)
    }
}

async fn table_names(db: &Db) -> Vec<String> {
    let sql = match db.engine {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Engine::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() ORDER BY 1"
        }
    };
    sqlx::query_as::<_, Name>(sql)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

async fn columns(db: &Db, table: &str) -> BTreeSet<Column> {
    let sql = match db.engine {
        // INTEGER and BIGINT are the same 64-bit type in SQLite; its
        // INTEGER PRIMARY KEY AUTOINCREMENT is the engine-assigned key.
        Engine::Sqlite => {
            "SELECT name, CASE WHEN UPPER(type) = 'INTEGER' THEN 'BIGINT' ELSE UPPER(type) END AS kind, \
             \"notnull\" AS not_null, dflt_value AS default_sql, \
             CASE WHEN pk > 0 THEN 1 ELSE 0 END AS pk, \
             CASE WHEN pk > 0 AND UPPER(type) = 'INTEGER' AND (SELECT sql FROM sqlite_master \
               WHERE type = 'table' AND name = $1) LIKE '%AUTOINCREMENT%' THEN 1 ELSE 0 END AS generated \
             FROM pragma_table_info($1)"
        }
        Engine::Postgres => {
            "SELECT column_name::text AS name, UPPER(data_type::text) AS kind, \
             (CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END)::bigint AS not_null, \
             column_default::text AS default_sql, \
             (CASE WHEN EXISTS ( \
                SELECT 1 FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
                JOIN pg_namespace n ON n.oid = t.relnamespace \
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey::int2[]) \
                WHERE ix.indisprimary AND n.nspname = current_schema() \
                  AND t.relname = c.table_name AND a.attname = c.column_name) \
              THEN 1 ELSE 0 END)::bigint AS pk, \
             (CASE WHEN is_identity = 'YES' THEN 1 ELSE 0 END)::bigint AS generated \
             FROM information_schema.columns c \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let rows: Vec<ColumnRow> = sqlx::query_as(sql)
        .bind(table)
        .fetch_all(&db.pool)
        .await
        .unwrap();
    rows.into_iter()
        .map(|c| Column {
            name: c.name,
            kind: c.kind,
            // A key column holds no NULL on PostgreSQL whatever it says; the
            // migrations never rely on SQLite's leniency there.
            not_null: c.pk == 1 || c.not_null == 1,
            default: normal_default(c.default_sql),
            primary_key: c.pk == 1,
            generated: c.generated == 1,
        })
        .collect()
}

async fn indexes(db: &Db, table: &str) -> BTreeSet<(bool, String)> {
    let rows: Vec<IndexRow> = match db.engine {
        Engine::Sqlite => {
            let names: Vec<IndexName> = sqlx::query_as(
                "SELECT name, \"unique\" AS uniq FROM pragma_index_list($1) WHERE origin <> 'pk'",
            )
            .bind(table)
            .fetch_all(&db.pool)
            .await
            .unwrap();
            let mut out = Vec::new();
            for IndexName { name, uniq } in names {
                let cols: Vec<Name> =
                    sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                        .bind(&name)
                        .fetch_all(&db.pool)
                        .await
                        .unwrap();
                let cols: Vec<String> = cols.into_iter().map(|c| c.name).collect();
                out.push(IndexRow {
                    uniq,
                    cols: cols.join(","),
                });
            }
            out
        }
        Engine::Postgres => sqlx::query_as(
            "SELECT (CASE WHEN ix.indisunique THEN 1 ELSE 0 END)::bigint AS uniq, \
             array_to_string(ARRAY(SELECT a.attname::text \
               FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum \
               ORDER BY k.ord), ',') AS cols \
             FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND t.relname = $1 AND NOT ix.indisprimary",
        )
        .bind(table)
        .fetch_all(&db.pool)
        .await
        .unwrap(),
    };
    rows.into_iter().map(|r| (r.uniq == 1, r.cols)).collect()
}

async fn foreign_keys(db: &Db, table: &str) -> BTreeSet<String> {
    let sql = match db.engine {
        Engine::Sqlite => {
            "SELECT group_concat(\"from\", ',') || ' -> ' || \"table\" || '(' || \
             group_concat(\"to\", ',') || ') on delete ' || UPPER(on_delete) AS def \
             FROM pragma_foreign_key_list($1) GROUP BY id"
        }
        Engine::Postgres => {
            "SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1"
        }
    };
    let rows: Vec<ForeignKeyRow> = sqlx::query_as(sql)
        .bind(table)
        .fetch_all(&db.pool)
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| match db.engine {
            Engine::Sqlite => r.def,
            Engine::Postgres => postgres_foreign_key(&r.def),
        })
        .collect()
}

/// "FOREIGN KEY (a, b) REFERENCES t(c, d) ON DELETE CASCADE" in SQLite's words.
fn postgres_foreign_key(def: &str) -> String {
    let inside = |s: &str| -> String {
        let open = s.find('(').unwrap_or(0);
        let close = s[open..].find(')').map_or(s.len(), |c| open + c);
        s[open + 1..close]
            .split(',')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(",")
    };
    let (from, rest) = def.split_once("REFERENCES").unwrap_or((def, ""));
    let rest = rest.trim();
    let table = rest.split('(').next().unwrap_or("").trim();
    let rule = rest
        .split_once("ON DELETE ")
        .map(|(_, r)| r.trim().to_owned())
        .unwrap_or_else(|| "NO ACTION".into());
    format!(
        "{} -> {table}({}) on delete {rule}",
        inside(from),
        inside(rest)
    )
}

async fn catalogue(db: &Db) -> Vec<Table> {
    let mut out = Vec::new();
    for name in table_names(db).await {
        out.push(Table {
            columns: columns(db, &name).await,
            indexes: indexes(db, &name).await,
            foreign_keys: foreign_keys(db, &name).await,
            name,
        });
    }
    out
}

#[tokio::test]
async fn both_engines_get_the_same_schema() {
    let (db, _dir) = common::fresh_db().await;
    let under_test = catalogue(&db).await;
    let sqlite_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", sqlite_dir.path().join("ref.db").display());
    let reference = catalogue(&Db::open(&url, 1).await.unwrap()).await;
    // The reader sees what the migrations declare, not an empty catalogue.
    let plans = reference
        .iter()
        .find(|t| t.name == "assignments")
        .expect("assignments");
    assert!(
        plans.indexes.contains(&(true, "duty_id,unit_id".into())),
        "{plans:?}"
    );
    assert!(
        plans
            .foreign_keys
            .iter()
            .any(|f| f.starts_with("duty_id -> duties(id)")),
        "{plans:?}"
    );
    assert!(
        plans
            .columns
            .iter()
            .any(|c| c.name == "id" && c.generated && c.primary_key)
    );
    assert_eq!(
        under_test.iter().map(|t| &t.name).collect::<Vec<_>>(),
        reference.iter().map(|t| &t.name).collect::<Vec<_>>(),
        "tables differ"
    );
    for (a, b) in under_test.iter().zip(&reference) {
        assert_eq!(a, b, "table {} differs from SQLite's", a.name);
    }
}

#[test]
fn postgres_foreign_keys_read_like_sqlite_ones() {
    assert_eq!(
        postgres_foreign_key("FOREIGN KEY (duty_id) REFERENCES duties(id) ON DELETE CASCADE"),
        "duty_id -> duties(id) on delete CASCADE"
    );
    assert_eq!(
        postgres_foreign_key("FOREIGN KEY (a, b) REFERENCES t(c, d)"),
        "a,b -> t(c,d) on delete NO ACTION"
    );
    assert_eq!(
        normal_default(Some("'draft'::text".into())),
        Some("'draft'".into())
    );
    assert_eq!(normal_default(Some("nextval('x'::regclass)".into())), None);
}
