//! Rounds of a contest: weekly rounds and the final, each with the
//! settings it sets itself (the rest are the contest's).

use kehoach_contest::{AttemptPolicy, Prediction, QuestionSet};
use serde::Serialize;

use super::super::domain::{ContestSettings, question_set_from_str, question_set_to_string};
use super::super::states::{PredictionSetting, RoundStage, RoundStatus};
use crate::audit::{self, Entry};
use crate::db::Db;

/// The settings a round sets itself; `None` is the contest's.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RoundOwn {
    pub time_limit_secs: Option<i64>,
    pub question_set: Option<QuestionSet>,
    pub policy: Option<AttemptPolicy>,
    /// `Some(None)`: this round asks no prediction although the contest does.
    pub prediction: Option<Option<Prediction>>,
}

impl RoundOwn {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A round's rules in force: its own, else the contest's.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRules {
    pub time_limit_secs: i64,
    pub question_set: QuestionSet,
    pub policy: AttemptPolicy,
    pub prediction: Option<Prediction>,
}

impl RoundRules {
    /// Questions on a paper: a perfect score.
    pub fn paper_size(&self) -> u32 {
        paper_size(&self.question_set)
    }
}

/// Questions on a paper of `set`.
pub fn paper_size(set: &QuestionSet) -> u32 {
    match set {
        QuestionSet::Fixed(ids) => ids.len() as u32,
        QuestionSet::Random { per_topic } => per_topic.iter().map(|t| t.1).sum(),
    }
}

/// A round of a contest.
#[derive(Debug, Clone)]
pub struct RoundRow {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub status: RoundStatus,
    pub truth: Option<i64>,
    pub stage: RoundStage,
    pub own: RoundOwn,
}

/// A round as stored; its own settings are parsed by [`RoundRecord::settle`].
#[derive(sqlx::FromRow)]
struct RoundRecord {
    id: i64,
    number: i64,
    title: String,
    opens_at: i64,
    closes_at: i64,
    status: RoundStatus,
    truth: Option<i64>,
    stage: RoundStage,
    own_time_limit_secs: Option<i64>,
    own_question_set: Option<String>,
    own_attempt_policy: Option<String>,
    own_prediction: Option<PredictionSetting>,
}

impl RoundRecord {
    fn settle(self) -> Result<RoundRow, sqlx::Error> {
        let bad = |what: &'static str| sqlx::Error::Decode(what.into());
        let question_set = match self.own_question_set {
            None => None,
            Some(s) => Some(question_set_from_str(&s).ok_or_else(|| bad("own_question_set"))?),
        };
        let policy = match self.own_attempt_policy {
            None => None,
            Some(s) => Some(s.parse().map_err(|_| bad("own_attempt_policy"))?),
        };
        Ok(RoundRow {
            id: self.id,
            number: self.number,
            title: self.title,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            status: self.status,
            truth: self.truth,
            stage: self.stage,
            own: RoundOwn {
                time_limit_secs: self.own_time_limit_secs,
                question_set,
                policy,
                prediction: self.own_prediction.map(PredictionSetting::rules),
            },
        })
    }
}

impl RoundRow {
    /// The rules in force in this round.
    pub fn rules(&self, contest: &ContestSettings) -> RoundRules {
        RoundRules {
            time_limit_secs: self.own.time_limit_secs.unwrap_or(contest.time_limit_secs),
            question_set: self
                .own
                .question_set
                .clone()
                .unwrap_or_else(|| contest.question_set.clone()),
            policy: self.own.policy.unwrap_or(contest.policy),
            prediction: self.own.prediction.unwrap_or(contest.prediction),
        }
    }

    pub fn is_open(&self, now: &i64) -> bool {
        (self.opens_at..self.closes_at).contains(now)
    }

    pub fn is_closed(&self, now: &i64) -> bool {
        *now >= self.closes_at
    }

    pub fn is_published(&self) -> bool {
        self.status == RoundStatus::Published
    }

    /// Ranking waits until the grace period after the close is over: until
    /// then an attempt started before the close may still be handed in, and
    /// a ranking that left it out would be wrong.
    pub fn is_rankable(&self, now: &i64) -> bool {
        *now >= self.closes_at + super::super::live::GRACE_MS / 1000
    }
}

macro_rules! round_select {
    () => {
        "SELECT id, number, title, opens_at, closes_at, status, truth, stage, own_time_limit_secs, \
         own_question_set, own_attempt_policy, own_prediction FROM contest_rounds"
    };
}

pub async fn rounds(db: &Db, contest: i64) -> Result<Vec<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRecord>(concat!(
        round_select!(),
        " WHERE contest_id = $1 ORDER BY number"
    ))
    .bind(contest)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(RoundRecord::settle)
    .collect()
}

/// One round of a contest (None if the round belongs to another contest).
pub async fn round(db: &Db, contest: i64, round: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    sqlx::query_as::<_, RoundRecord>(concat!(
        round_select!(),
        " WHERE contest_id = $1 AND id = $2"
    ))
    .bind(contest)
    .bind(round)
    .fetch_optional(&db.pool)
    .await?
    .map(RoundRecord::settle)
    .transpose()
}

pub async fn round_contest(db: &Db, round: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT contest_id FROM contest_rounds WHERE id = $1")
        .bind(round)
        .fetch_optional(&db.pool)
        .await
}

#[derive(Serialize)]
pub struct NewRound {
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub stage: RoundStage,
    pub own: RoundOwn,
}

/// Adds rounds after the contest's last, numbered in order, in one
/// transaction (a weekly series is all created or none).
pub async fn add_rounds(
    db: &Db,
    actor: i64,
    contest: i64,
    rounds: &[NewRound],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let last: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) FROM contest_rounds WHERE contest_id = $1",
    )
    .bind(contest)
    .fetch_one(&mut *tx)
    .await?;
    for (number, r) in (last + 1..).zip(rounds) {
        let id = insert_round(&mut *tx, contest, number, r).await?;
        audit::record::<(), _>(
            &mut tx,
            Entry::new(actor, "create", "contest_round", id),
            None,
            Some(r),
        )
        .await?;
    }
    tx.commit().await
}

/// A round with its number given (the load generator numbers its own).
pub async fn insert_round<'c>(
    e: impl sqlx::Executor<'c, Database = sqlx::Any>,
    contest: i64,
    number: i64,
    r: &NewRound,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO contest_rounds (contest_id, number, title, opens_at, closes_at, status, stage, \
         own_time_limit_secs, own_question_set, own_attempt_policy, own_prediction) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(contest)
    .bind(number)
    .bind(&r.title)
    .bind(r.opens_at)
    .bind(r.closes_at)
    .bind(RoundStatus::Scheduled)
    .bind(r.stage)
    .bind(r.own.time_limit_secs)
    .bind(r.own.question_set.as_ref().map(question_set_to_string))
    .bind(r.own.policy.map(|p| p.to_string()))
    .bind(r.own.prediction.map(PredictionSetting::of))
    .fetch_one(e)
    .await
}
