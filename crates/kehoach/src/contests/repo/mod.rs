//! The contests' store, one file per aggregate: contests and their rounds,
//! the question bank, participants with their attempts, and results.
//! Handlers call these functions and hold no SQL.

mod bank;
mod contests;
mod finals;
mod participants;
mod recovery;
mod results;
mod rounds;
mod standings;

pub use bank::*;
pub use contests::*;
pub use finals::*;
pub use participants::*;
pub use recovery::*;
pub use results::*;
pub use rounds::*;
pub use standings::*;

use crate::db::Engine;
use crate::db::batch::{self, Value};

/// The tables written in bulk (by the writer and the load generator), each
/// with the columns its rows' values follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// contest_id, text, options, correct, topic, difficulty, created_at
    Questions,
    /// id, contest_id, full_name, birth_year, phone, id_number, unit_id,
    /// workplace, consent_at, created_at
    Participants,
    /// id, round_id, participant_id, seed, started_ms
    Attempts,
    /// attempt_id, answers, prediction, saved_ms; a later save replaces
    /// the attempt's draft
    Drafts,
    /// attempt_id, round_id, participant_id, score, prediction,
    /// duration_ms, submitted_ms, answers, receipt
    Submissions,
}

impl Bulk {
    fn statement(self) -> (&'static str, &'static str) {
        match self {
            Self::Questions => (
                "INSERT INTO contest_questions (contest_id, text, options, correct, topic, difficulty, created_at) VALUES ",
                "",
            ),
            Self::Participants => (
                "INSERT INTO contest_participants (id, contest_id, full_name, birth_year, phone, id_number, unit_id, workplace, consent_at, created_at) VALUES ",
                "",
            ),
            Self::Attempts => (
                "INSERT INTO contest_attempts (id, round_id, participant_id, seed, started_ms) VALUES ",
                "",
            ),
            Self::Drafts => (
                "INSERT INTO contest_drafts (attempt_id, answers, prediction, saved_ms) VALUES ",
                " ON CONFLICT (attempt_id) DO UPDATE SET answers = excluded.answers, \
                 prediction = excluded.prediction, saved_ms = excluded.saved_ms",
            ),
            Self::Submissions => (
                "INSERT INTO contest_submissions (attempt_id, round_id, participant_id, score, prediction, duration_ms, submitted_ms, answers, receipt) VALUES ",
                "",
            ),
        }
    }
}

/// Inserts rows into one of the bulk-written tables.
pub async fn insert_bulk(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    engine: Engine,
    into: Bulk,
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    let (head, tail) = into.statement();
    batch::insert(tx, engine, head, tail, rows).await
}
