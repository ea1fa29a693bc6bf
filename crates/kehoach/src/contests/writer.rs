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

use tokio::sync::{mpsc, oneshot};

use super::domain::Registration;
use super::refusal::Refused;
use super::repo::{self, BatchRows};
use crate::db::batch::{Value, writer_connection};
use crate::db::{Db, Engine};

/// Jobs taken per transaction; bounded so one commit stays short.
const MAX_BATCH: usize = 2048;

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
        reply: oneshot::Sender<Result<i64, Refused>>,
    },
    Start {
        round: i64,
        participant: i64,
        max_attempts: Option<u32>,
        seed: u64,
        now_ms: i64,
        reply: oneshot::Sender<Result<Started, Refused>>,
    },
    Draft {
        attempt: i64,
        round: i64,
        answers: String,
        prediction: Option<i64>,
        now_ms: i64,
        reply: oneshot::Sender<Result<(), Refused>>,
    },
    Submit {
        sub: NewSubmission,
        reply: oneshot::Sender<Result<(), Refused>>,
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
            match writer_connection(&db).await {
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
                let people = repo::registered(conn, *contest).await?;
                state.people.insert(*contest, people);
            }
            Job::Start { round, .. } if !state.attempts.contains_key(round) => {
                let counts = repo::attempt_counts(conn, *round).await?;
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
    for id in repo::submitted_attempts(conn, round).await? {
        state.submitted.insert(id);
    }
    state.loaded.insert(round);
    Ok(())
}

/// What a batch will write, and the answer each job gets once it is written.
#[derive(Default)]
struct Plan {
    rows: BatchRows,
    replies: Vec<Reply>,
    /// State changes applied only after the commit.
    new_people: Vec<(i64, Option<String>, Option<String>)>,
    new_attempts: Vec<(i64, i64)>,
    new_submitted: Vec<i64>,
}

enum Reply {
    Registered(oneshot::Sender<Result<i64, Refused>>, Result<i64, Refused>),
    Started(
        oneshot::Sender<Result<Started, Refused>>,
        Result<Started, Refused>,
    ),
    Done(oneshot::Sender<Result<(), Refused>>, Result<(), Refused>),
}

impl Reply {
    /// Answers the job; a job accepted in a batch whose commit failed hears
    /// "unavailable", since nothing of it was written.
    fn send(self, failed: bool) {
        fn answer<T>(tx: oneshot::Sender<Result<T, Refused>>, r: Result<T, Refused>, failed: bool) {
            let _ = tx.send(if failed && r.is_ok() {
                Err(Refused::Busy)
            } else {
                r
            });
        }
        match self {
            Self::Registered(tx, r) => answer(tx, r, failed),
            Self::Started(tx, r) => answer(tx, r, failed),
            Self::Done(tx, r) => answer(tx, r, failed),
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
            repo::next_participant_id(conn).await?
        } else {
            0
        };
        let a = if needs_attempts {
            repo::next_attempt_id(conn).await?
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
                    Err(Refused::DuplicatePhone)
                } else if taken(&people.1, &id_no, "i") {
                    Err(Refused::DuplicateId)
                } else {
                    let id = next_participant;
                    next_participant += 1;
                    if let Some(p) = &phone {
                        batch_people.insert((contest, format!("p{p}")));
                    }
                    if let Some(i) = &id_no {
                        batch_people.insert((contest, format!("i{i}")));
                    }
                    plan.rows.participants.push(vec![
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
                    Err(Refused::NoAttemptsLeft)
                } else {
                    *in_batch += 1;
                    let id = next_attempt;
                    next_attempt += 1;
                    plan.rows.attempts.push(vec![
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
                    Err(Refused::AlreadySubmitted)
                } else {
                    let row = vec![
                        Value::Int(attempt),
                        Value::Text(answers),
                        Value::OptInt(prediction),
                        Value::Int(now_ms),
                    ];
                    // One row per attempt per statement: the latest save wins.
                    match batch_drafts.get(&attempt) {
                        Some(&i) => plan.rows.drafts[i] = row,
                        None => {
                            batch_drafts.insert(attempt, plan.rows.drafts.len());
                            plan.rows.drafts.push(row);
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
                    Err(Refused::AlreadySubmitted)
                } else {
                    plan.new_submitted.push(sub.attempt);
                    plan.rows.submissions.push(vec![
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
    let written = repo::write_batch(conn, engine, std::mem::take(&mut plan.rows)).await;
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
                let _ = reply.send(Err(Refused::Busy));
            }
            Job::Start { reply, .. } => {
                let _ = reply.send(Err(Refused::Busy));
            }
            Job::Draft { reply, .. } | Job::Submit { reply, .. } => {
                let _ = reply.send(Err(Refused::Busy));
            }
            Job::ForgetPeople { .. } => {}
        }
    }
}
