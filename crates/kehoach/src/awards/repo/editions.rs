//! Editions: their settings document, status, and the two rounds each one
//! is created with.

use super::{audited, from_json};
use crate::awards::EditionRow;
use crate::awards::domain::EditionSettings;
use crate::awards::states::{EditionStatus, RoundStage, RoundStatus};
use crate::clock::now;
use crate::db::Db;

/// An edition as stored: its settings are one JSON document.
#[derive(sqlx::FromRow)]
struct EditionRecord {
    id: i64,
    status: EditionStatus,
    settings_json: String,
}

impl TryFrom<EditionRecord> for EditionRow {
    type Error = sqlx::Error;
    fn try_from(r: EditionRecord) -> Result<Self, sqlx::Error> {
        Ok(EditionRow {
            id: r.id,
            status: r.status,
            settings: from_json(&r.settings_json)?,
        })
    }
}

pub async fn editions(db: &Db) -> Result<Vec<EditionRow>, sqlx::Error> {
    sqlx::query_as::<_, EditionRecord>(
        "SELECT id, status, settings_json FROM award_editions ORDER BY id DESC",
    )
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(EditionRow::try_from)
    .collect()
}

pub async fn edition(db: &Db, id: i64) -> Result<Option<EditionRow>, sqlx::Error> {
    sqlx::query_as::<_, EditionRecord>(
        "SELECT id, status, settings_json FROM award_editions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .map(EditionRow::try_from)
    .transpose()
}

/// Creates (with its two rounds) or updates an edition; `tier_change`
/// (the tiers before and after, as written) is recorded for the minutes
/// when the tiers change after a round was sealed.
pub async fn save_edition(
    db: &Db,
    actor: i64,
    id: Option<i64>,
    settings: &EditionSettings,
    tier_change: Option<(&str, &str)>,
) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(settings).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = db.begin().await?;
    let at = now();
    let id = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE award_editions SET title = $1, settings_json = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(&settings.title)
            .bind(&json)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO award_editions (title, status, settings_json, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(&settings.title)
            .bind(EditionStatus::Draft)
            .bind(&json)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for stage in RoundStage::ALL {
                sqlx::query(
                    "INSERT INTO award_rounds (edition_id, stage, status) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(*stage)
                .bind(RoundStatus::Pending)
                .execute(&mut *tx)
                .await?;
            }
            id
        }
    };
    if let Some((before, after)) = tier_change {
        super::tiers::record_change(&mut tx, actor, id, before, after).await?;
    }
    audited(&mut tx, actor, "save", "award_edition", id, settings).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves an edition to `status`.
pub async fn set_status(
    db: &Db,
    actor: i64,
    id: i64,
    status: EditionStatus,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE award_editions SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, actor, "status", "award_edition", id, status).await?;
    tx.commit().await
}
