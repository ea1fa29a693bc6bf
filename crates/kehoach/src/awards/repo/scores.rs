//! A round's sheets and its chained score log: saving a sheet, reading
//! them back, and closing the round sealed.

use kehoach_award::{GENESIS, KeptScore, LogEntry, LogKind, LoggedRow, SealKey, chain_hex};
use serde::Serialize;

use super::rounds::RoundRow;
use super::{AwardError, audited, from_json};
use crate::audit::{self, Entry};
use crate::awards::states::RoundStatus;
use crate::clock::{now, now_ms};
use crate::db::Db;

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
            total_milli: self.total_milli,
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

pub(super) async fn round_in(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<RoundRow, sqlx::Error> {
    sqlx::query_as::<_, RoundRow>(
        "SELECT id, edition_id, stage, status, seal, closed_at, key_id FROM award_rounds WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
}

/// Appends one row to a round's chained log; the caller's transaction has
/// already written the round row, so appends in one round queue up and the
/// sequence has no gaps or forks.
pub(super) async fn append_log(
    conn: &mut sqlx::AnyConnection,
    key: &SealKey,
    round_id: i64,
    kind: LogKind,
    entry_id: i64,
    judge_id: i64,
    payload: &str,
) -> Result<(), sqlx::Error> {
    let last = sqlx::query_as::<_, LogTail>(
        "SELECT seq, hash FROM award_score_log WHERE round_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(round_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (seq, prev) = match last {
        Some(t) => (t.seq + 1, t.hash),
        None => (1, GENESIS.to_owned()),
    };
    let row = LogEntry {
        seq: seq as u64,
        kind,
        entry: entry_id,
        judge: judge_id,
        payload: payload.to_owned(),
        at_ms: now_ms(),
    };
    let hash =
        chain_hex(key, &prev, &row).ok_or_else(|| sqlx::Error::Protocol("bad chain".into()))?;
    sqlx::query(
        "INSERT INTO award_score_log (round_id, seq, kind, entry_id, judge_id, payload, at_ms, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(round_id)
    .bind(seq)
    .bind(kind.key())
    .bind(entry_id)
    .bind(judge_id)
    .bind(payload)
    .bind(row.at_ms)
    .bind(hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A judge's sheet: marks, comment, the weighted total and the canonical
/// payload the log hashes.
pub struct Sheet<'a> {
    pub marks: &'a [(String, u32)],
    pub comment: &'a str,
    pub total_milli: i64,
    pub payload: &'a str,
}

/// Saves a judge's sheet and appends it to the round's chained score log,
/// in one transaction. The round row is written first so that concurrent
/// saves in one round queue up (a row lock on PostgreSQL, the write lock on
/// SQLite). [`AwardError::RoundState`] when the round is not open.
pub async fn save_score(
    db: &Db,
    key: &SealKey,
    round_id: i64,
    entry_id: i64,
    judge_id: i64,
    sheet: Sheet<'_>,
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
    let round = round_in(&mut tx, round_id).await?;
    let key = round.key(key)?;
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
    let marks_json =
        serde_json::to_string(sheet.marks).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO award_scores (round_id, entry_id, judge_id, marks_json, comment, total_milli, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .bind(&marks_json)
    .bind(sheet.comment)
    .bind(sheet.total_milli)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    append_log(
        &mut tx,
        &key,
        round_id,
        LogKind::Score,
        entry_id,
        judge_id,
        sheet.payload,
    )
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
    kind: String,
    entry_id: i64,
    judge_id: i64,
    payload: String,
    at_ms: i64,
    hash: String,
}

impl TryFrom<LogRecord> for LoggedRow {
    type Error = sqlx::Error;
    fn try_from(r: LogRecord) -> Result<Self, sqlx::Error> {
        let kind = LogKind::parse(&r.kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown log kind {}", r.kind).into()))?;
        Ok(LoggedRow {
            row: LogEntry {
                seq: u64::try_from(r.seq).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                kind,
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
        "SELECT seq, kind, entry_id, judge_id, payload, at_ms, hash FROM award_score_log \
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
/// the round closed, so the log read next is the final one. The settings
/// the outcome depends on (`settings`, canonical text) are logged last, so
/// the seal covers them. A log that does not check out is never sealed
/// ([`AwardError::Broken`]).
pub async fn close_round(
    db: &Db,
    key: &SealKey,
    actor: i64,
    round_id: i64,
    criteria: &[kehoach_award::Criterion],
    settings: &str,
) -> Result<String, AwardError> {
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
    let round = round_in(&mut tx, round_id).await?;
    let key = round.key(key)?;
    // The unkeyed chain predates settings rows; it seals as it was.
    let settled = key.is_keyed().then_some(kehoach_award::Settled(settings));
    if settled.is_some() {
        append_log(
            &mut tx,
            &key,
            round_id,
            LogKind::Settings,
            0,
            actor,
            settings,
        )
        .await?;
    }
    let log = score_log_in(&mut tx, round_id).await?;
    let scores = scores_in(&mut tx, round_id).await?;
    let seal = kehoach_award::check_round(
        &key,
        &log,
        scores.iter().map(ScoreRow::kept),
        criteria,
        settled,
    )?;
    sqlx::query("UPDATE award_rounds SET seal = $1 WHERE id = $2")
        .bind(&seal)
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, actor, "seal", "award_round", round_id, &seal).await?;
    tx.commit().await?;
    Ok(seal)
}
