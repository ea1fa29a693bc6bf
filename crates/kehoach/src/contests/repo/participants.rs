//! Participants and their attempts: what the public pages read, what the
//! group-commit writer loads and writes, and the erasure of personal data.

use std::collections::{BTreeMap, BTreeSet};

use super::{Bulk, insert_bulk};
use crate::audit::{self, Entry};
use crate::contests::states::RoundStatus;
use crate::db::batch::{self, Table, Value};
use crate::db::{Db, Engine};

/// A participant as their own page shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRecord {
    pub full_name: String,
    pub phone: Option<String>,
}

pub async fn participant(db: &Db, id: i64) -> Result<Option<ParticipantRecord>, sqlx::Error> {
    sqlx::query_as("SELECT full_name, phone FROM contest_participants WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// One of a participant's submissions, with its round's state (the score
/// is shown only once the round's results are published).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRecord {
    pub round_number: i64,
    pub receipt: String,
    pub submitted_ms: i64,
    pub score: i64,
    pub round_status: RoundStatus,
}

pub async fn entries(db: &Db, participant: i64) -> Result<Vec<EntryRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.number AS round_number, s.receipt, s.submitted_ms, s.score, r.status AS round_status \
         FROM contest_submissions s JOIN contest_rounds r ON r.id = s.round_id \
         WHERE s.participant_id = $1 ORDER BY s.submitted_ms",
    )
    .bind(participant)
    .fetch_all(&db.pool)
    .await
}

pub async fn receipt(db: &Db, attempt: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT receipt FROM contest_submissions WHERE attempt_id = $1")
        .bind(attempt)
        .fetch_optional(&db.pool)
        .await
}

/// The answers saved so far in an attempt.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub answers: String,
    pub prediction: Option<i64>,
}

pub async fn draft(db: &Db, attempt: i64) -> Result<Option<Draft>, sqlx::Error> {
    sqlx::query_as("SELECT answers, prediction FROM contest_drafts WHERE attempt_id = $1")
        .bind(attempt)
        .fetch_optional(&db.pool)
        .await
}

// ---------------------------------------------------------------- erasure

/// What an erased participant's name becomes.
pub const ERASED_NAME: &str = "(đã xóa)";

/// Erases one participant; true if there was someone to erase.
pub async fn erase(
    db: &Db,
    actor: i64,
    contest: i64,
    participant: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE contest_participants SET full_name = $1, birth_year = NULL, phone = NULL, \
         id_number = NULL, workplace = '' WHERE id = $2 AND contest_id = $3 AND full_name <> $1",
    )
    .bind(ERASED_NAME)
    .bind(participant)
    .bind(contest)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit::record::<(), ()>(
        &mut tx,
        Entry::new(actor, "erase", "contest_participant", participant),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(n > 0)
}

/// Erases the participants of every contest whose retention period has run
/// out since its last round closed; returns how many people were erased.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT c.id FROM contests c JOIN contest_rounds r ON r.contest_id = c.id \
         GROUP BY c.id, c.retention_days HAVING MAX(r.closes_at) + c.retention_days * 86400 < $1",
    )
    .bind(crate::clock::now())
    .fetch_all(&db.pool)
    .await?;
    let mut erased = 0;
    for contest in due {
        let mut tx = db.begin().await?;
        let n = sqlx::query(
            "UPDATE contest_participants SET full_name = $1, birth_year = NULL, phone = NULL, \
             id_number = NULL, workplace = '' WHERE contest_id = $2 AND full_name <> $1",
        )
        .bind(ERASED_NAME)
        .bind(contest)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            let e = Entry::new(None, "retention_erase", "contest", contest);
            audit::record::<(), _>(&mut tx, e, None, Some(&n)).await?;
        }
        tx.commit().await?;
        erased += n;
    }
    Ok(erased)
}

/// A participant found by the phone or ID number they gave.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundRecord {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub locality: String,
    pub submissions: i64,
}

pub async fn find(db: &Db, contest: i64, key: &str) -> Result<Vec<FoundRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT p.id, p.full_name, p.phone, COALESCE(u.name, '') AS locality, \
         (SELECT ",
        crate::count_i64!("*"),
        " FROM contest_submissions s WHERE s.participant_id = p.id) AS submissions \
         FROM contest_participants p LEFT JOIN units u ON u.id = p.unit_id \
         WHERE p.contest_id = $1 AND (p.phone = $2 OR p.id_number = $2)"
    ))
    .bind(contest)
    .bind(key)
    .fetch_all(&db.pool)
    .await
}

/// A registration as the search for duplicates compares them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRecord {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub locality: String,
}

pub async fn people(db: &Db, contest: i64) -> Result<Vec<PersonRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.full_name, p.birth_year, COALESCE(u.name, '') AS locality FROM contest_participants p \
         LEFT JOIN units u ON u.id = p.unit_id WHERE p.contest_id = $1",
    )
    .bind(contest)
    .fetch_all(&db.pool)
    .await
}

// ---------------------------------------------------------------- the writer

/// Registered phones and ID numbers of a contest.
pub async fn registered(
    conn: &mut sqlx::AnyConnection,
    contest: i64,
) -> Result<(BTreeSet<String>, BTreeSet<String>), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Keys {
        phone: Option<String>,
        id_number: Option<String>,
    }
    let rows: Vec<Keys> =
        sqlx::query_as("SELECT phone, id_number FROM contest_participants WHERE contest_id = $1")
            .bind(contest)
            .fetch_all(&mut *conn)
            .await?;
    let mut people = (BTreeSet::new(), BTreeSet::new());
    for r in rows {
        people.0.extend(r.phone);
        people.1.extend(r.id_number);
    }
    Ok(people)
}

/// Attempts started in a round, per participant.
pub async fn attempt_counts(
    conn: &mut sqlx::AnyConnection,
    round: i64,
) -> Result<BTreeMap<i64, u32>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Started {
        participant_id: i64,
        n: i64,
    }
    let rows: Vec<Started> = sqlx::query_as(concat!(
        "SELECT participant_id, ",
        crate::count_i64!("*"),
        " AS n FROM contest_attempts WHERE round_id = $1 GROUP BY participant_id"
    ))
    .bind(round)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.participant_id, r.n as u32))
        .collect())
}

/// The attempts already submitted in a round.
pub async fn submitted_attempts(
    conn: &mut sqlx::AnyConnection,
    round: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT attempt_id FROM contest_submissions WHERE round_id = $1")
        .bind(round)
        .fetch_all(&mut *conn)
        .await
}

pub async fn next_participant_id(conn: &mut sqlx::AnyConnection) -> Result<i64, sqlx::Error> {
    batch::next_id(conn, Table::ContestParticipants).await
}

pub async fn next_attempt_id(conn: &mut sqlx::AnyConnection) -> Result<i64, sqlx::Error> {
    batch::next_id(conn, Table::ContestAttempts).await
}

/// One batch of the writer, in one transaction: the rows of each table in
/// the order of [`Bulk`]'s columns.
#[derive(Default)]
pub struct BatchRows {
    pub participants: Vec<Vec<Value>>,
    pub attempts: Vec<Vec<Value>>,
    pub drafts: Vec<Vec<Value>>,
    pub submissions: Vec<Vec<Value>>,
}

impl BatchRows {
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty()
            && self.attempts.is_empty()
            && self.drafts.is_empty()
            && self.submissions.is_empty()
    }
}

pub async fn write_batch(
    conn: &mut sqlx::AnyConnection,
    engine: Engine,
    rows: BatchRows,
) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    insert_bulk(&mut tx, engine, Bulk::Participants, rows.participants).await?;
    insert_bulk(&mut tx, engine, Bulk::Attempts, rows.attempts).await?;
    insert_bulk(&mut tx, engine, Bulk::Drafts, rows.drafts).await?;
    insert_bulk(&mut tx, engine, Bulk::Submissions, rows.submissions).await?;
    tx.commit().await
}
