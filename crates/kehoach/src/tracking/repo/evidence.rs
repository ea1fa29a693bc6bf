//! Evidence files of activities (their bytes live in the file store).

use serde::Serialize;

use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceFile {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

pub async fn files(db: &Db, activity_id: i64) -> Result<Vec<EvidenceFile>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, size FROM activity_files WHERE activity_id = $1 ORDER BY id")
        .bind(activity_id)
        .fetch_all(&db.pool)
        .await
}

/// A file about to be recorded against an activity. The audit entry
/// carries its fields in this (alphabetical) order.
#[derive(Debug, Clone, Serialize)]
pub struct NewFile<'a> {
    pub activity_id: i64,
    pub mime: &'static str,
    pub name: &'a str,
    #[serde(skip)]
    pub size: i64,
    pub sha256: &'a str,
}

pub async fn insert_file(
    db: &Db,
    actor: i64,
    plan_id: i64,
    f: &NewFile<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO activity_files (activity_id, name, mime, size, sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(f.activity_id)
    .bind(f.name)
    .bind(f.mime)
    .bind(f.size)
    .bind(f.sha256)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let entry = Entry::new(actor, "upload", "activity_file", id).in_plan(plan_id);
    audit::record::<(), _>(&mut tx, entry, None, Some(f)).await?;
    tx.commit().await?;
    Ok(id)
}

/// A stored file and the unit whose activity it backs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFile {
    pub name: String,
    pub mime: String,
    pub sha256: String,
    pub unit_id: i64,
}

pub async fn stored_file(db: &Db, file_id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.name, f.mime, f.sha256, a.unit_id FROM activity_files f \
         JOIN activities a ON a.id = f.activity_id WHERE f.id = $1",
    )
    .bind(file_id)
    .fetch_optional(&db.pool)
    .await
}
