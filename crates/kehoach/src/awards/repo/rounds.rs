//! Rounds: their entries and judge assignments, the judges' scores, and the
//! chained score log that seals a round when it closes.

use kehoach_award::{LogKind, SealKey};
use serde::Serialize;

use super::scores::{append_log, round_in};
use super::{AwardError, audited};
use crate::awards::states::{RoundStage, RoundStatus};
use crate::db::Db;
use crate::db::batch::{self, Value};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub edition_id: i64,
    pub stage: RoundStage,
    pub status: RoundStatus,
    pub seal: Option<String>,
    pub closed_at: Option<i64>,
    /// The id of the key its log is chained with; `None` for the older,
    /// unkeyed chain.
    pub key_id: Option<String>,
}

impl RoundRow {
    pub fn is_final(&self) -> bool {
        self.stage == RoundStage::Final
    }

    /// The key its log is chained with: `current` when it names it, the
    /// unkeyed chain for a round opened before keys, and
    /// [`AwardError::OtherKey`] when the round was keyed by another key.
    pub fn key<'k>(
        &self,
        current: &'k SealKey,
    ) -> Result<std::borrow::Cow<'k, SealKey>, AwardError> {
        match self.key_id.as_deref() {
            None => Ok(std::borrow::Cow::Owned(SealKey::unkeyed())),
            Some(id) if id == current.id() => Ok(std::borrow::Cow::Borrowed(current)),
            Some(id) => Err(AwardError::OtherKey(id.to_owned())),
        }
    }
}

pub async fn rounds(db: &Db, edition_id: i64) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at, key_id FROM award_rounds \
         WHERE edition_id = $1 ORDER BY id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn round(db: &Db, id: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at, key_id FROM award_rounds WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn sealed_rounds(db: &Db) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at, key_id FROM award_rounds \
         WHERE seal IS NOT NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Opens a round: its entries and the assignment, in one transaction;
/// [`AwardError::RoundState`] when it was no longer pending.
pub async fn open_round(
    db: &Db,
    key: &SealKey,
    actor: i64,
    round_id: i64,
    entries: &[i64],
    pairs: &[(i64, i64)],
) -> Result<(), AwardError> {
    let mut tx = db.begin().await?;
    // Only a round still pending opens; a second click finds it open.
    let opened = sqlx::query(
        "UPDATE award_rounds SET status = $1, key_id = $2 WHERE id = $3 AND status = $4",
    )
    .bind(RoundStatus::Open)
    .bind(key.id())
    .bind(round_id)
    .bind(RoundStatus::Pending)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if opened != 1 {
        return Err(AwardError::RoundState);
    }
    sqlx::query("DELETE FROM award_assignments WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM award_round_entries WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    // A national round writes 10,000 assignments: multi-row statements,
    // with each engine's placeholders written by `db::batch`.
    let entry_rows = entries
        .iter()
        .map(|&e| vec![Value::Int(round_id), Value::Int(e)])
        .collect();
    batch::insert(
        &mut tx,
        db.engine,
        "INSERT INTO award_round_entries (round_id, entry_id) VALUES ",
        "",
        entry_rows,
    )
    .await?;
    let pair_rows = pairs
        .iter()
        .map(|&(e, j)| {
            vec![
                Value::Int(round_id),
                Value::Int(e),
                Value::Int(j),
                Value::Int(0),
            ]
        })
        .collect();
    batch::insert(
        &mut tx,
        db.engine,
        "INSERT INTO award_assignments (round_id, entry_id, judge_id, manual) VALUES ",
        "",
        pair_rows,
    )
    .await?;
    audited(
        &mut tx,
        actor,
        "open",
        "award_round",
        round_id,
        &serde_json::json!({ "entries": entries, "assignments": pairs }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn in_a_round(db: &Db, entry_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT round_id FROM award_round_entries WHERE entry_id = $1 LIMIT 1")
            .bind(entry_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

pub async fn round_entries(db: &Db, round_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT entry_id FROM award_round_entries WHERE round_id = $1 ORDER BY entry_id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}

/// One judge on one entry of a round; `manual` (0 or 1) marks a change the
/// secretariat made by hand.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub entry_id: i64,
    pub judge_id: i64,
    manual: i64,
}

impl AssignmentRow {
    pub fn is_manual(&self) -> bool {
        self.manual != 0
    }
}

pub async fn assignments(db: &Db, round_id: i64) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    sqlx::query_as::<_, AssignmentRow>(
        "SELECT entry_id, judge_id, manual FROM award_assignments WHERE round_id = $1 ORDER BY entry_id, judge_id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}

/// A manual change to the assignment: add or remove one judge of an entry.
pub async fn change_assignment(
    db: &Db,
    key: &SealKey,
    actor: i64,
    round_id: i64,
    entry_id: i64,
    judge_id: i64,
    add: bool,
) -> Result<(), AwardError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM award_assignments WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .execute(&mut *tx)
    .await?;
    if add {
        sqlx::query(
            "INSERT INTO award_assignments (round_id, entry_id, judge_id, manual) VALUES ($1, $2, $3, 1)",
        )
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?;
    } else {
        // A judge taken off an entry (a late-found conflict) no longer
        // counts: their sheet goes, and the log says so, so that replaying
        // it still gives exactly the stored sheets.
        let withdrawn = sqlx::query(
            "DELETE FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
        )
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if withdrawn > 0 {
            let round = round_in(&mut tx, round_id).await?;
            let key = round.key(key)?;
            append_log(
                &mut tx,
                &key,
                round_id,
                LogKind::Withdraw,
                entry_id,
                judge_id,
                "",
            )
            .await?;
        }
    }
    let action = if add { "assign" } else { "unassign" };
    audited(
        &mut tx,
        actor,
        action,
        "award_round",
        round_id,
        &serde_json::json!({ "entry": entry_id, "judge": judge_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An entry a judge is assigned to, in a round.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct WorkRow {
    pub round_id: i64,
    pub entry_id: i64,
}

/// The entries a judge is assigned to, open rounds first.
pub async fn judge_work(db: &Db, judge_id: i64) -> Result<Vec<WorkRow>, sqlx::Error> {
    sqlx::query_as::<_, WorkRow>(
        "SELECT a.round_id, a.entry_id FROM award_assignments a JOIN award_rounds r ON r.id = a.round_id \
         WHERE a.judge_id = $1 ORDER BY r.status DESC, a.round_id DESC, a.entry_id",
    )
    .bind(judge_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn is_assigned(db: &Db, judge_id: i64, entry_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT round_id FROM award_assignments WHERE judge_id = $1 AND entry_id = $2 LIMIT 1",
    )
    .bind(judge_id)
    .bind(entry_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}
