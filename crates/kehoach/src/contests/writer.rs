//! Group commit: one task owns every write of the contests' public side.
//! Requests queue jobs; the writer takes everything queued (up to a batch),
//! checks each job against what it knows (one registration per phone and
//! ID number, the attempt policy, one submission per attempt), writes the
//! accepted ones in one transaction with multi-row inserts, commits with a
//! full sync, and only then answers each request. An acknowledged entry is
//! therefore on disk; a crash before the commit answers nobody.
//!
//! Being the only writer of these tables is what makes the in-memory checks
//! exact; the database's unique keys stay as the last line of defence.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sqlx::{Connection, Row};
use tokio::sync::{mpsc, oneshot};

use super::domain::Registration;
use crate::db::{Db, Engine};

/// Jobs taken per transaction; bounded so one commit stays short.
const MAX_BATCH: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The phone number is already registered in this contest.
    DuplicatePhone,
    /// The ID number is already registered in this contest.
    DuplicateId,
    /// The attempt policy allows no further attempt in this round.
    NoAttemptsLeft,
    /// This attempt was already submitted (a replayed token).
    AlreadySubmitted,
    /// The store failed; nothing was written.
    Unavailable,
}

pub struct NewSubmission {
    pub attempt: i64,
    pub round: i64,
    pub participant: i64,
    pub score: u32,
    pub prediction: Option<i64>,
    pub duration_ms: i64,
    pub submitted_ms: i64,
    pub answers: String,
    pub receipt: String,
}

pub struct Started {
    pub attempt: i64,
    pub seed: u64,
    pub started_ms: i64,
}

pub enum Job {
    Register {
        contest: i64,
        reg: Registration,
        now: i64,
        reply: oneshot::Sender<Result<i64, Refusal>>,
    },
    Start {
        round: i64,
        participant: i64,
        max_attempts: Option<u32>,
        seed: u64,
        now_ms: i64,
        reply: oneshot::Sender<Result<Started, Refusal>>,
    },
    Draft {
        attempt: i64,
        round: i64,
        answers: String,
        prediction: Option<i64>,
        now_ms: i64,
        reply: oneshot::Sender<Result<(), Refusal>>,
    },
    Submit {
        sub: NewSubmission,
        reply: oneshot::Sender<Result<(), Refusal>>,
    },
    /// Drop what is known of a contest's people (after an erasure).
    ForgetPeople { contest: i64 },
}

/// The queue in front of the writer. `try_send` fails when it is full,
/// which the handlers turn into 503 with Retry-After: shedding load early
/// keeps the answered requests fast instead of letting every request time out.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Queues a job; false when the queue is full or the writer is gone
    /// (the job is dropped, so its requester hears "unavailable").
    pub fn submit(&self, job: Job) -> bool {
        self.tx.try_send(job).is_ok()
    }

    /// Queued at once, so it is ahead of any registration sent after the
    /// erasure; only if the queue is full does it wait for room.
    pub fn forget_people(&self, contest: i64) {
        if let Err(mpsc::error::TrySendError::Full(job)) =
            self.tx.try_send(Job::ForgetPeople { contest })
        {
            let tx = self.tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(job).await;
            });
        }
    }

    /// Starts the writer task, which takes its own connection. If it cannot,
    /// the queue closes and every request is answered "unavailable".
    pub fn spawn(db: &Db, queue: usize) -> Self {
        let (tx, rx) = mpsc::channel(queue);
        let db = db.clone();
        tokio::spawn(async move {
            match connect(&db).await {
                Ok(conn) => run(conn, db.engine, rx, State::default()).await,
                Err(e) => tracing::error!(error = %e, "contest writer has no connection"),
            }
        });
        Self { tx }
    }
}

/// What the writer knows. These grow to millions of entries during a
/// contest week; B-trees and a bit set grow without the whole-table rehash
/// a hash map does at each doubling, which would stall every waiting request.
#[derive(Default)]
struct State {
    /// Per contest: registered phones and ID numbers.
    people: HashMap<i64, (BTreeSet<String>, BTreeSet<String>)>,
    /// Per round: attempts started per participant.
    attempts: HashMap<i64, BTreeMap<i64, u32>>,
    /// Rounds whose submitted attempts are loaded into `submitted`.
    loaded: HashSet<i64>,
    /// Submitted attempts (attempt ids are unique across rounds).
    submitted: Bits,
}

/// A growable set of non-negative ids.
#[derive(Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn contains(&self, id: i64) -> bool {
        let Ok(id) = usize::try_from(id) else {
            return false;
        };
        self.0
            .get(id / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn insert(&mut self, id: i64) {
        let Ok(id) = usize::try_from(id) else {
            return;
        };
        if self.0.len() <= id / 64 {
            self.0.resize(id / 64 + 1, 0);
        }
        self.0[id / 64] |= 1 << (id % 64);
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
}

async fn connect(db: &Db) -> Result<sqlx::AnyConnection, sqlx::Error> {
    let mut conn = db.pool.acquire().await?.detach();
    if db.engine == Engine::Sqlite {
        // Each commit reaches the disk before anyone is told "submitted".
        // The writer's inserts check keys across millions of rows (attempts,
        // participants): a 64 MiB page cache keeps those index pages in
        // memory, which took the p99 under sustained load from 80 to 22 ms.
        sqlx::Executor::execute(
            &mut conn,
            "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536",
        )
        .await?;
    }
    Ok(conn)
}

async fn run(
    mut conn: sqlx::AnyConnection,
    engine: Engine,
    mut rx: mpsc::Receiver<Job>,
    mut state: State,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let size = batch.len();
        let started = std::time::Instant::now();
        if let Err(e) = process(&mut conn, engine, &mut state, std::mem::take(&mut batch)).await {
            tracing::error!(error = %e, "contest writer batch failed");
        }
        let took = started.elapsed();
        if took > std::time::Duration::from_millis(50) {
            // A slow commit delays every participant waiting on it.
            tracing::warn!(
                jobs = size,
                ms = took.as_millis() as u64,
                "slow contest batch"
            );
        }
    }
}

/// Loads what the checks need for the contests and rounds of a batch.
async fn prepare(
    conn: &mut sqlx::AnyConnection,
    state: &mut State,
    jobs: &[Job],
) -> Result<(), sqlx::Error> {
    for job in jobs {
        match job {
            Job::Register { contest, .. } if !state.people.contains_key(contest) => {
                let rows = sqlx::query(
                    "SELECT phone, id_number FROM contest_participants WHERE contest_id = $1",
                )
                .bind(contest)
                .fetch_all(&mut *conn)
                .await?;
                let mut people = (BTreeSet::new(), BTreeSet::new());
                for r in rows {
                    if let Some(p) = r.get::<Option<String>, _>(0) {
                        people.0.insert(p);
                    }
                    if let Some(i) = r.get::<Option<String>, _>(1) {
                        people.1.insert(i);
                    }
                }
                state.people.insert(*contest, people);
            }
            Job::Start { round, .. } if !state.attempts.contains_key(round) => {
                let rows = sqlx::query(
                    "SELECT participant_id, COUNT(*) FROM contest_attempts WHERE round_id = $1 GROUP BY participant_id",
                )
                .bind(round)
                .fetch_all(&mut *conn)
                .await?;
                let counts = rows
                    .iter()
                    .map(|r| (r.get(0), r.get::<i64, _>(1) as u32))
                    .collect();
                state.attempts.insert(*round, counts);
            }
            Job::Submit { sub, .. } => load_submitted(conn, state, sub.round).await?,
            Job::Draft { round, .. } => load_submitted(conn, state, *round).await?,
            _ => {}
        }
    }
    Ok(())
}

async fn load_submitted(
    conn: &mut sqlx::AnyConnection,
    state: &mut State,
    round: i64,
) -> Result<(), sqlx::Error> {
    if state.loaded.contains(&round) {
        return Ok(());
    }
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT attempt_id FROM contest_submissions WHERE round_id = $1")
            .bind(round)
            .fetch_all(&mut *conn)
            .await?;
    for id in ids {
        state.submitted.insert(id);
    }
    state.loaded.insert(round);
    Ok(())
}

async fn next_id(conn: &mut sqlx::AnyConnection, table: &str) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
    let max: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await?;
    Ok(max + 1)
}

/// What a batch will write, and the answer each job gets once it is written.
#[derive(Default)]
struct Plan {
    participants: Vec<Vec<Value>>,
    attempts: Vec<Vec<Value>>,
    drafts: Vec<Vec<Value>>,
    submissions: Vec<Vec<Value>>,
    replies: Vec<Reply>,
    /// State changes applied only after the commit.
    new_people: Vec<(i64, Option<String>, Option<String>)>,
    new_attempts: Vec<(i64, i64)>,
    new_submitted: Vec<i64>,
}

enum Reply {
    Registered(oneshot::Sender<Result<i64, Refusal>>, Result<i64, Refusal>),
    Started(
        oneshot::Sender<Result<Started, Refusal>>,
        Result<Started, Refusal>,
    ),
    Done(oneshot::Sender<Result<(), Refusal>>, Result<(), Refusal>),
}

impl Reply {
    fn send(self, failed: bool) {
        let fail = |ok: bool| failed && ok;
        match self {
            Self::Registered(tx, r) => {
                let _ = tx.send(if fail(r.is_ok()) {
                    Err(Refusal::Unavailable)
                } else {
                    r
                });
            }
            Self::Started(tx, r) => {
                let _ = tx.send(if fail(r.is_ok()) {
                    Err(Refusal::Unavailable)
                } else {
                    r
                });
            }
            Self::Done(tx, r) => {
                let _ = tx.send(if fail(r.is_ok()) {
                    Err(Refusal::Unavailable)
                } else {
                    r
                });
            }
        }
    }
}

async fn process(
    conn: &mut sqlx::AnyConnection,
    engine: Engine,
    state: &mut State,
    jobs: Vec<Job>,
) -> Result<(), sqlx::Error> {
    // Forget first, so that `prepare` reloads those contests' people.
    for job in &jobs {
        if let Job::ForgetPeople { contest } = job {
            state.people.remove(contest);
        }
    }
    if let Err(e) = prepare(conn, state, &jobs).await {
        fail_all(jobs);
        return Err(e);
    }
    let needs_people = jobs.iter().any(|j| matches!(j, Job::Register { .. }));
    let needs_attempts = jobs.iter().any(|j| matches!(j, Job::Start { .. }));
    let ids = async {
        let p = if needs_people {
            next_id(conn, "contest_participants").await?
        } else {
            0
        };
        let a = if needs_attempts {
            next_id(conn, "contest_attempts").await?
        } else {
            0
        };
        Ok::<_, sqlx::Error>((p, a))
    }
    .await;
    let (mut next_participant, mut next_attempt) = match ids {
        Ok(v) => v,
        Err(e) => {
            fail_all(jobs);
            return Err(e);
        }
    };
    let mut plan = Plan::default();
    // Checks within the batch too: two registrations of one phone in the same batch.
    let mut batch_people: HashSet<(i64, String)> = HashSet::new();
    let mut batch_attempts: HashMap<(i64, i64), u32> = HashMap::new();
    let mut batch_submitted: HashSet<i64> = HashSet::new();
    let mut batch_drafts: HashMap<i64, usize> = HashMap::new();
    for job in jobs {
        match job {
            Job::ForgetPeople { .. } => {}
            Job::Register {
                contest,
                reg,
                now,
                reply,
            } => {
                let people = state.people.entry(contest).or_default();
                let phone = reg.phone.as_ref().map(|p| p.as_str().to_owned());
                let id_no = reg.id_number.as_ref().map(|p| p.as_str().to_owned());
                let taken = |set: &BTreeSet<String>, v: &Option<String>, tag: &str| {
                    v.as_ref().is_some_and(|v| {
                        set.contains(v) || batch_people.contains(&(contest, format!("{tag}{v}")))
                    })
                };
                let result = if taken(&people.0, &phone, "p") {
                    Err(Refusal::DuplicatePhone)
                } else if taken(&people.1, &id_no, "i") {
                    Err(Refusal::DuplicateId)
                } else {
                    let id = next_participant;
                    next_participant += 1;
                    if let Some(p) = &phone {
                        batch_people.insert((contest, format!("p{p}")));
                    }
                    if let Some(i) = &id_no {
                        batch_people.insert((contest, format!("i{i}")));
                    }
                    plan.participants.push(vec![
                        Value::Int(id),
                        Value::Int(contest),
                        Value::Text(reg.full_name),
                        Value::OptInt(reg.birth_year),
                        Value::OptText(phone.clone()),
                        Value::OptText(id_no.clone()),
                        Value::OptInt(reg.unit_id),
                        Value::Text(reg.workplace),
                        Value::Int(now),
                        Value::Int(now),
                    ]);
                    plan.new_people.push((contest, phone, id_no));
                    Ok(id)
                };
                plan.replies.push(Reply::Registered(reply, result));
            }
            Job::Start {
                round,
                participant,
                max_attempts,
                seed,
                now_ms,
                reply,
            } => {
                let before = state
                    .attempts
                    .get(&round)
                    .and_then(|m| m.get(&participant))
                    .copied()
                    .unwrap_or(0);
                let in_batch = batch_attempts.entry((round, participant)).or_default();
                let result = if max_attempts.is_some_and(|max| before + *in_batch >= max) {
                    Err(Refusal::NoAttemptsLeft)
                } else {
                    *in_batch += 1;
                    let id = next_attempt;
                    next_attempt += 1;
                    plan.attempts.push(vec![
                        Value::Int(id),
                        Value::Int(round),
                        Value::Int(participant),
                        // Stored as the same 64 bits, signed, on both engines.
                        Value::Int(seed as i64),
                        Value::Int(now_ms),
                    ]);
                    plan.new_attempts.push((round, participant));
                    Ok(Started {
                        attempt: id,
                        seed,
                        started_ms: now_ms,
                    })
                };
                plan.replies.push(Reply::Started(reply, result));
            }
            Job::Draft {
                attempt,
                round: _,
                answers,
                prediction,
                now_ms,
                reply,
            } => {
                let done = state.submitted.contains(attempt) || batch_submitted.contains(&attempt);
                let result = if done {
                    Err(Refusal::AlreadySubmitted)
                } else {
                    let row = vec![
                        Value::Int(attempt),
                        Value::Text(answers),
                        Value::OptInt(prediction),
                        Value::Int(now_ms),
                    ];
                    // One row per attempt per statement: the latest save wins.
                    match batch_drafts.get(&attempt) {
                        Some(&i) => plan.drafts[i] = row,
                        None => {
                            batch_drafts.insert(attempt, plan.drafts.len());
                            plan.drafts.push(row);
                        }
                    }
                    Ok(())
                };
                plan.replies.push(Reply::Done(reply, result));
            }
            Job::Submit { sub, reply } => {
                let done =
                    state.submitted.contains(sub.attempt) || !batch_submitted.insert(sub.attempt);
                let result = if done {
                    Err(Refusal::AlreadySubmitted)
                } else {
                    plan.new_submitted.push(sub.attempt);
                    plan.submissions.push(vec![
                        Value::Int(sub.attempt),
                        Value::Int(sub.round),
                        Value::Int(sub.participant),
                        Value::Int(i64::from(sub.score)),
                        Value::OptInt(sub.prediction),
                        Value::Int(sub.duration_ms),
                        Value::Int(sub.submitted_ms),
                        Value::Text(sub.answers),
                        Value::Text(sub.receipt),
                    ]);
                    Ok(())
                };
                plan.replies.push(Reply::Done(reply, result));
            }
        }
    }
    let written = write(conn, engine, &mut plan).await;
    let failed = written.is_err();
    if !failed {
        for (contest, phone, id_no) in plan.new_people.drain(..) {
            let people = state.people.entry(contest).or_default();
            people.0.extend(phone);
            people.1.extend(id_no);
        }
        for (round, participant) in plan.new_attempts.drain(..) {
            *state
                .attempts
                .entry(round)
                .or_default()
                .entry(participant)
                .or_default() += 1;
        }
        for attempt in plan.new_submitted.drain(..) {
            state.submitted.insert(attempt);
        }
    }
    for reply in plan.replies {
        reply.send(failed);
    }
    written
}

fn fail_all(jobs: Vec<Job>) {
    for job in jobs {
        match job {
            Job::Register { reply, .. } => {
                let _ = reply.send(Err(Refusal::Unavailable));
            }
            Job::Start { reply, .. } => {
                let _ = reply.send(Err(Refusal::Unavailable));
            }
            Job::Draft { reply, .. } | Job::Submit { reply, .. } => {
                let _ = reply.send(Err(Refusal::Unavailable));
            }
            Job::ForgetPeople { .. } => {}
        }
    }
}

async fn write(
    conn: &mut sqlx::AnyConnection,
    engine: Engine,
    plan: &mut Plan,
) -> Result<(), sqlx::Error> {
    if plan.participants.is_empty()
        && plan.attempts.is_empty()
        && plan.drafts.is_empty()
        && plan.submissions.is_empty()
    {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    insert(
        &mut tx,
        engine,
        "INSERT INTO contest_participants (id, contest_id, full_name, birth_year, phone, id_number, unit_id, workplace, consent_at, created_at) VALUES ",
        "",
        std::mem::take(&mut plan.participants),
    )
    .await?;
    insert(
        &mut tx,
        engine,
        "INSERT INTO contest_attempts (id, round_id, participant_id, seed, started_ms) VALUES ",
        "",
        std::mem::take(&mut plan.attempts),
    )
    .await?;
    insert(
        &mut tx,
        engine,
        "INSERT INTO contest_drafts (attempt_id, answers, prediction, saved_ms) VALUES ",
        " ON CONFLICT (attempt_id) DO UPDATE SET answers = excluded.answers, \
         prediction = excluded.prediction, saved_ms = excluded.saved_ms",
        std::mem::take(&mut plan.drafts),
    )
    .await?;
    insert(
        &mut tx,
        engine,
        "INSERT INTO contest_submissions (attempt_id, round_id, participant_id, score, prediction, duration_ms, submitted_ms, answers, receipt) VALUES ",
        "",
        std::mem::take(&mut plan.submissions),
    )
    .await?;
    tx.commit().await
}

/// Rows per statement. A batch is split into chunks of these sizes so that
/// only a handful of distinct statements exist per table and each stays
/// prepared in the connection's statement cache.
const CHUNKS: [usize; 4] = [256, 32, 4, 1];

/// Multi-row INSERTs. SQLite gets anonymous `?` placeholders: it resolves
/// each named `$N` by a linear search of the names seen so far, which makes
/// preparing a statement with thousands of them quadratic.
pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    engine: Engine,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let mut left = rows.len();
    let mut rows = rows.into_iter();
    while left > 0 {
        let size = CHUNKS.into_iter().find(|&c| c <= left).unwrap_or(1);
        left -= size;
        let sql = statement(engine, head, tail, size, width);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in rows.by_ref().take(size) {
            for v in row {
                q = match v {
                    Value::Int(i) => q.bind(i),
                    Value::OptInt(i) => q.bind(i),
                    Value::Text(s) => q.bind(s),
                    Value::OptText(s) => q.bind(s),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

fn statement(engine: Engine, head: &str, tail: &str, rows: usize, width: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * width * 6 + tail.len());
    sql.push_str(head);
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..width {
            n += 1;
            if c > 0 {
                sql.push(',');
            }
            match engine {
                Engine::Sqlite => sql.push('?'),
                Engine::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_use_each_engines_placeholders() {
        assert_eq!(
            statement(Engine::Sqlite, "INSERT INTO t (a, b) VALUES ", "", 2, 2),
            "INSERT INTO t (a, b) VALUES (?,?),(?,?)"
        );
        assert_eq!(
            statement(
                Engine::Postgres,
                "INSERT INTO t (a, b) VALUES ",
                " ON CONFLICT DO NOTHING",
                2,
                2
            ),
            "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4) ON CONFLICT DO NOTHING"
        );
    }
}
