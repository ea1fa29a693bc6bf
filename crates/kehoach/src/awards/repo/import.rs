//! Writing many entries at once: a secretariat's imported list, and bulk
//! intake. All or nothing, in one transaction each.

use super::entries::{add_files, check_limit, lock_edition, new_row, write_entry};
use super::{AwardError, audited};
use crate::awards::domain::NewEntry;
use crate::awards::states::EntryStatus;
use crate::awards::store::Stored;
use crate::clock::now;
use crate::db::Db;

/// An imported entry, the unit that forwarded it, and its files from the
/// list's .zip, already in the store.
pub struct Imported {
    pub entry: NewEntry,
    pub forwarded_by: String,
    pub files: Vec<(Stored, String)>,
}

/// Stores every imported entry as submitted by `actor`, or none: the
/// per-author limit is checked once all are written, inside the
/// transaction ([`AwardError::OverLimit`]).
pub async fn import_entries(
    db: &Db,
    actor: i64,
    edition_id: i64,
    rows: &[Imported],
    per_author: u32,
) -> Result<Vec<i64>, AwardError> {
    let mut tx = db.begin().await?;
    lock_edition(&mut tx, edition_id).await?;
    let at = now();
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        let id = new_row(&mut tx, edition_id, actor, &r.entry.category, at).await?;
        write_entry(&mut tx, id, &r.entry, at).await?;
        add_files(&mut tx, id, &r.files, at).await?;
        if !r.forwarded_by.is_empty() {
            sqlx::query("UPDATE award_entries SET forwarded_by = $1 WHERE id = $2")
                .bind(&r.forwarded_by)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        ids.push(id);
    }
    check_limit(&mut tx, edition_id, per_author).await?;
    audited(
        &mut tx,
        actor,
        "import",
        "award_edition",
        edition_id,
        &serde_json::json!({ "entries": ids }),
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// Accepts submitted entries not yet in a round: those in `only`, or all.
/// Returns how many were accepted.
pub async fn accept_submitted(
    db: &Db,
    actor: i64,
    edition_id: i64,
    only: Option<&[i64]>,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let candidates: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM award_entries e WHERE edition_id = $1 AND status = $2 \
         AND NOT EXISTS (SELECT 1 FROM award_round_entries r WHERE r.entry_id = e.id) ORDER BY id",
    )
    .bind(edition_id)
    .bind(EntryStatus::Submitted)
    .fetch_all(&mut *tx)
    .await?;
    let chosen: Vec<i64> = candidates
        .into_iter()
        .filter(|id| only.is_none_or(|o| o.contains(id)))
        .collect();
    let at = now();
    for id in &chosen {
        sqlx::query(
            "UPDATE award_entries SET status = $1, reason = '', updated_at = $2 WHERE id = $3",
        )
        .bind(EntryStatus::Accepted)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    audited(
        &mut tx,
        actor,
        "intake-bulk",
        "award_edition",
        edition_id,
        &serde_json::json!({ "accepted": chosen }),
    )
    .await?;
    tx.commit().await?;
    Ok(chosen.len() as u64)
}
