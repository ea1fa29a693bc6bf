//! Rounds: their entries and judge assignments, the judges' scores, and the
//! chained score log that seals a round when it closes.

use kehoach_award::{GENESIS, KeptScore, LogEntry, LoggedRow, chain_hex};
use serde::Serialize;

use super::{AwardError, audited, from_json};
use crate::audit::{self, Entry};
use crate::awards::states::{RoundStage, RoundStatus};
use crate::clock::{now, now_ms};
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
}

impl RoundRow {
    pub fn is_final(&self) -> bool {
        self.stage == RoundStage::Final
    }
}

pub async fn rounds(db: &Db, edition_id: i64) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at FROM award_rounds \
         WHERE edition_id = $1 ORDER BY id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn round(db: &Db, id: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at FROM award_rounds WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn sealed_rounds(db: &Db) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at FROM award_rounds \
         WHERE seal IS NOT NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Opens a round: its entries and the assignment, in one transaction;
/// [`AwardError::RoundState`] when it was no longer pending.
pub async fn open_round(
    db: &Db,
    actor: i64,
    round_id: i64,
    entries: &[i64],
    pairs: &[(i64, i64)],
) -> Result<(), AwardError> {
    let mut tx = db.begin().await?;
    // Only a round still pending opens; a second click finds it open.
    let opened = sqlx::query("UPDATE award_rounds SET status = $1 WHERE id = $2 AND status = $3")
        .bind(RoundStatus::Open)
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
    actor: i64,
    round_id: i64,
    entry_id: i64,
    judge_id: i64,
    add: bool,
) -> Result<(), sqlx::Error> {
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
        // counts; the score log keeps what they had given.
        sqlx::query(
            "DELETE FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
        )
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?;
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
    tx.commit().await
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

// ------------------------------------------------------------------ scores

#[derive(Debug, Clone, Serialize)]
pub struct ScoreRow {
    pub entry_id: i64,
    pub judge_id: i64,
    pub marks: Vec<(String, u32)>,
    pub comment: String,
    pub total_milli: i64,
    pub submitted_at: i64,
}

impl ScoreRow {
    /// The sheet as the seal check compares it with the log.
    pub fn kept(&self) -> KeptScore<'_> {
        KeptScore {
            entry: self.entry_id,
            judge: self.judge_id,
            marks: &self.marks,
            comment: &self.comment,
        }
    }
}

/// A sheet as stored: the marks are one JSON list of (criterion, mark).
#[derive(sqlx::FromRow)]
struct ScoreRecord {
    entry_id: i64,
    judge_id: i64,
    marks_json: String,
    comment: String,
    total_milli: i64,
    submitted_at: i64,
}

impl TryFrom<ScoreRecord> for ScoreRow {
    type Error = sqlx::Error;
    fn try_from(r: ScoreRecord) -> Result<Self, sqlx::Error> {
        Ok(ScoreRow {
            marks: from_json(&r.marks_json)?,
            entry_id: r.entry_id,
            judge_id: r.judge_id,
            comment: r.comment,
            total_milli: r.total_milli,
            submitted_at: r.submitted_at,
        })
    }
}

pub async fn scores(db: &Db, round_id: i64) -> Result<Vec<ScoreRow>, sqlx::Error> {
    scores_in(&mut *db.pool.acquire().await?, round_id).await
}

async fn scores_in(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<ScoreRow>, sqlx::Error> {
    sqlx::query_as::<_, ScoreRecord>(
        "SELECT entry_id, judge_id, marks_json, comment, total_milli, submitted_at FROM award_scores \
         WHERE round_id = $1 ORDER BY entry_id, judge_id",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ScoreRow::try_from)
    .collect()
}

#[derive(sqlx::FromRow)]
struct LogTail {
    seq: i64,
    hash: String,
}

/// Saves a judge's sheet and appends it to the round's chained score log,
/// in one transaction. The round row is written first so that concurrent
/// saves in one round queue up (a row lock on PostgreSQL, the write lock on
/// SQLite) and the log's sequence has no gaps or forks.
/// [`AwardError::RoundState`] when the round is not open.
#[allow(clippy::too_many_arguments)]
pub async fn save_score(
    db: &Db,
    round_id: i64,
    entry_id: i64,
    judge_id: i64,
    marks: &[(String, u32)],
    comment: &str,
    total_milli: i64,
    payload: &str,
) -> Result<(), AwardError> {
    let mut tx = db.begin().await?;
    let open = sqlx::query("UPDATE award_rounds SET status = status WHERE id = $1 AND status = $2")
        .bind(round_id)
        .bind(RoundStatus::Open)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if !open {
        return Err(AwardError::RoundState);
    }
    let at = now();
    let at_ms = now_ms();
    let before: Option<String> = sqlx::query_scalar(
        "SELECT marks_json FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3")
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?;
    let marks_json = serde_json::to_string(marks).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO award_scores (round_id, entry_id, judge_id, marks_json, comment, total_milli, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .bind(&marks_json)
    .bind(comment)
    .bind(total_milli)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let last = sqlx::query_as::<_, LogTail>(
        "SELECT seq, hash FROM award_score_log WHERE round_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(round_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (seq, prev) = match last {
        Some(t) => (t.seq + 1, t.hash),
        None => (1, GENESIS.to_owned()),
    };
    let row = LogEntry {
        seq: seq as u64,
        entry: entry_id,
        judge: judge_id,
        payload: payload.to_owned(),
        at_ms,
    };
    let hash = chain_hex(&prev, &row).ok_or_else(|| sqlx::Error::Protocol("bad chain".into()))?;
    sqlx::query(
        "INSERT INTO award_score_log (round_id, seq, entry_id, judge_id, payload, at_ms, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(round_id)
    .bind(seq)
    .bind(entry_id)
    .bind(judge_id)
    .bind(payload)
    .bind(at_ms)
    .bind(hash)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry::new(judge_id, "score", "award_entry", entry_id),
        before.as_ref(),
        Some(&marks_json),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One row of the score log as stored, with its hash.
#[derive(sqlx::FromRow)]
struct LogRecord {
    seq: i64,
    entry_id: i64,
    judge_id: i64,
    payload: String,
    at_ms: i64,
    hash: String,
}

impl TryFrom<LogRecord> for LoggedRow {
    type Error = sqlx::Error;
    fn try_from(r: LogRecord) -> Result<Self, sqlx::Error> {
        Ok(LoggedRow {
            row: LogEntry {
                seq: u64::try_from(r.seq).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                entry: r.entry_id,
                judge: r.judge_id,
                payload: r.payload,
                at_ms: r.at_ms,
            },
            hash: r.hash,
        })
    }
}

/// A round's score log in order, with each row's stored hash.
pub async fn score_log(db: &Db, round_id: i64) -> Result<Vec<LoggedRow>, sqlx::Error> {
    score_log_in(&mut *db.pool.acquire().await?, round_id).await
}

async fn score_log_in(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<LoggedRow>, sqlx::Error> {
    sqlx::query_as::<_, LogRecord>(
        "SELECT seq, entry_id, judge_id, payload, at_ms, hash FROM award_score_log \
         WHERE round_id = $1 ORDER BY seq",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(LoggedRow::try_from)
    .collect()
}

/// Closes a round and seals it, in one transaction: the round row is
/// updated first, which makes any concurrent score save wait and then find
/// the round closed, so the log read next is the final one. A log that
/// does not check out is never sealed ([`AwardError::Broken`]).
pub async fn close_round(db: &Db, actor: i64, round_id: i64) -> Result<String, AwardError> {
    let mut tx = db.begin().await?;
    let closed = sqlx::query(
        "UPDATE award_rounds SET status = $1, closed_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(RoundStatus::Closed)
    .bind(now())
    .bind(round_id)
    .bind(RoundStatus::Open)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed != 1 {
        return Err(AwardError::RoundState);
    }
    let log = score_log_in(&mut tx, round_id).await?;
    let scores = scores_in(&mut tx, round_id).await?;
    let seal = kehoach_award::check_round(&log, scores.iter().map(ScoreRow::kept))?;
    sqlx::query("UPDATE award_rounds SET seal = $1 WHERE id = $2")
        .bind(&seal)
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, actor, "seal", "award_round", round_id, &seal).await?;
    tx.commit().await?;
    Ok(seal)
}
