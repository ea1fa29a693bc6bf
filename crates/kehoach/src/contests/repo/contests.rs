//! Contests and their rounds. Every office write is audited in its
//! transaction.

use kehoach_contest::{AttemptPolicy, RankingRules};
use serde::Serialize;

use super::super::ContestRow;
use super::super::domain::{
    ContestSettings, RequiredFields, question_set_from_str, question_set_to_string,
    quotas_from_str, quotas_to_string,
};
use super::super::states::{ContestStatus, PredictionSetting, RoundStage};
use crate::audit::{self, Entry};
use crate::db::Db;

/// The columns of a contest, for the queries that read one.
macro_rules! contest_select {
    () => {
        "SELECT id, status, title, description, question_set, time_limit_secs, attempt_policy, \
         ranking_rules, prediction, min_age, localities, required_fields, round_quotas, \
         overall_quotas, collective_count, consent_text, retention_days, counted_attempt, \
         tie_policy, min_prize_score, qualify_by, finalists, tie_seed FROM contests"
    };
}

/// A contest as stored; the text-encoded settings are parsed by
/// [`ContestRecord::settle`], and a value that does not parse is a decode error.
#[derive(sqlx::FromRow)]
struct ContestRecord {
    id: i64,
    status: ContestStatus,
    tie_seed: i64,
    #[sqlx(flatten)]
    settings: Stored,
}

/// A stored setting that does not parse; `what` names its column.
fn undecodable(what: &'static str) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

impl ContestRecord {
    fn settle(self) -> Result<ContestRow, sqlx::Error> {
        let s = self.settings;
        let quotas = |s: &str, what| quotas_from_str(s).ok_or_else(|| undecodable(what));
        let localities = s
            .localities
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_err(|_| undecodable("localities")))
            .collect::<Result<_, _>>()?;
        Ok(ContestRow {
            id: self.id,
            status: self.status,
            tie_seed: self.tie_seed,
            settings: ContestSettings {
                counted: s
                    .counted_attempt
                    .parse()
                    .map_err(|_| undecodable("counted_attempt"))?,
                ties: s
                    .tie_policy
                    .parse()
                    .map_err(|_| undecodable("tie_policy"))?,
                min_prize_score: s.min_prize_score,
                qualify: s
                    .qualify_by
                    .parse()
                    .map_err(|_| undecodable("qualify_by"))?,
                finalists: s.finalists,
                question_set: question_set_from_str(&s.question_set)
                    .ok_or_else(|| undecodable("question_set"))?,
                round_quotas: quotas(&s.round_quotas, "round_quotas")?,
                overall_quotas: quotas(&s.overall_quotas, "overall_quotas")?,
                policy: s
                    .attempt_policy
                    .parse::<AttemptPolicy>()
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                rules: s
                    .ranking_rules
                    .parse::<RankingRules>()
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                title: s.title,
                description: s.description,
                time_limit_secs: s.time_limit_secs,
                prediction: s.prediction.rules(),
                min_age: s.min_age,
                localities,
                required: RequiredFields::parse(&s.required_fields),
                collective_count: s.collective_count,
                consent_text: s.consent_text,
                retention_days: s.retention_days,
            },
        })
    }
}

pub async fn contests(db: &Db) -> Result<Vec<ContestRow>, sqlx::Error> {
    sqlx::query_as::<_, ContestRecord>(concat!(contest_select!(), " ORDER BY id DESC"))
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(ContestRecord::settle)
        .collect()
}

pub async fn contest(db: &Db, id: i64) -> Result<Option<ContestRow>, sqlx::Error> {
    sqlx::query_as::<_, ContestRecord>(concat!(contest_select!(), " WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(ContestRecord::settle)
        .transpose()
}

/// The settings as stored, and as the audit log records them.
#[derive(Serialize, sqlx::FromRow)]
struct Stored {
    title: String,
    description: String,
    question_set: String,
    time_limit_secs: i64,
    attempt_policy: String,
    ranking_rules: String,
    prediction: PredictionSetting,
    min_age: i64,
    localities: String,
    required_fields: String,
    round_quotas: String,
    overall_quotas: String,
    collective_count: i64,
    consent_text: String,
    retention_days: i64,
    counted_attempt: String,
    tie_policy: String,
    min_prize_score: i64,
    qualify_by: String,
    finalists: i64,
}

fn stored(s: &ContestSettings) -> Stored {
    Stored {
        title: s.title.clone(),
        description: s.description.clone(),
        question_set: question_set_to_string(&s.question_set),
        time_limit_secs: s.time_limit_secs,
        attempt_policy: s.policy.to_string(),
        ranking_rules: s.rules.to_string(),
        prediction: PredictionSetting::of(s.prediction),
        min_age: s.min_age,
        localities: s
            .localities
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(","),
        required_fields: s.required.to_string(),
        round_quotas: quotas_to_string(&s.round_quotas),
        overall_quotas: quotas_to_string(&s.overall_quotas),
        collective_count: s.collective_count,
        consent_text: s.consent_text.clone(),
        retention_days: s.retention_days,
        counted_attempt: s.counted.to_string(),
        tie_policy: s.ties.to_string(),
        min_prize_score: s.min_prize_score,
        qualify_by: s.qualify.to_string(),
        finalists: s.finalists,
    }
}

/// A fresh lottery seed: a positive 53-bit number, so that it reads the
/// same in a spreadsheet as in the program.
fn lottery_seed() -> i64 {
    (rand::random::<u64>() >> 11) as i64
}

/// Creates (id None) or updates a contest.
pub async fn save_contest(
    db: &Db,
    actor: i64,
    id: Option<i64>,
    s: &ContestSettings,
) -> Result<i64, sqlx::Error> {
    let v = stored(s);
    let action = if id.is_none() { "create" } else { "update" };
    let mut tx = db.begin().await?;
    // The same twenty settings in both statements; only the tail differs.
    let (sql, tail) = match id {
        None => (
            "INSERT INTO contests (title, description, question_set, time_limit_secs, attempt_policy, \
             ranking_rules, prediction, min_age, localities, required_fields, round_quotas, overall_quotas, \
             collective_count, consent_text, retention_days, counted_attempt, tie_policy, min_prize_score, \
             qualify_by, finalists, status, created_by, created_at, tie_seed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24) RETURNING id",
            None,
        ),
        Some(id) => (
            "UPDATE contests SET title = $1, description = $2, question_set = $3, time_limit_secs = $4, \
             attempt_policy = $5, ranking_rules = $6, prediction = $7, min_age = $8, localities = $9, \
             required_fields = $10, round_quotas = $11, overall_quotas = $12, collective_count = $13, \
             consent_text = $14, retention_days = $15, counted_attempt = $16, tie_policy = $17, \
             min_prize_score = $18, qualify_by = $19, finalists = $20 WHERE id = $21 RETURNING id",
            Some(id),
        ),
    };
    let query = sqlx::query_scalar::<_, i64>(sql)
        .bind(&v.title)
        .bind(&v.description)
        .bind(&v.question_set)
        .bind(v.time_limit_secs)
        .bind(&v.attempt_policy)
        .bind(&v.ranking_rules)
        .bind(v.prediction)
        .bind(v.min_age)
        .bind(&v.localities)
        .bind(&v.required_fields)
        .bind(&v.round_quotas)
        .bind(&v.overall_quotas)
        .bind(v.collective_count)
        .bind(&v.consent_text)
        .bind(v.retention_days)
        .bind(&v.counted_attempt)
        .bind(&v.tie_policy)
        .bind(v.min_prize_score)
        .bind(&v.qualify_by)
        .bind(v.finalists);
    let query = match tail {
        // The lottery seed is drawn once and never edited, so nobody can
        // redraw a lottery after seeing who is tied.
        None => query
            .bind(ContestStatus::Draft)
            .bind(actor)
            .bind(crate::clock::now())
            .bind(lottery_seed()),
        Some(id) => query.bind(id),
    };
    let id = query.fetch_one(&mut *tx).await?;
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, action, "contest", id),
        None,
        Some(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_status(
    db: &Db,
    actor: i64,
    id: i64,
    status: ContestStatus,
) -> Result<(), sqlx::Error> {
    let entry = Entry::new(actor, "status", "contest", id);
    update_audited(
        db,
        entry,
        "UPDATE contests SET status = $1 WHERE id = $2",
        status,
    )
    .await
}

/// Runs `sql`, which sets one value (`$1`) of the entry's record (`$2`),
/// and records the new value in the same transaction.
async fn update_audited<T>(
    db: &Db,
    entry: Entry<'_>,
    sql: &'static str,
    value: T,
) -> Result<(), sqlx::Error>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any>
        + sqlx::Type<sqlx::Any>
        + Serialize
        + Send
        + Copy
        + 'static,
{
    let mut tx = db.begin().await?;
    sqlx::query(sql)
        .bind(value)
        .bind(entry.entity_id)
        .execute(&mut *tx)
        .await?;
    audit::record::<(), _>(&mut tx, entry, None, Some(&value)).await?;
    tx.commit().await
}

/// A contest's status as stored now: what every server instance compares
/// its cached rounds with.
pub async fn contest_status(db: &Db, id: i64) -> Result<Option<ContestStatus>, sqlx::Error> {
    sqlx::query_scalar("SELECT status FROM contests WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Leaves a notice for every active office account.
pub async fn notify_office(db: &Db, text: &str, link: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let office: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE role IN ($1, $2) AND disabled = 0 ORDER BY id",
    )
    .bind(crate::session::Role::Admin)
    .bind(crate::session::Role::Coordinator)
    .fetch_all(&mut *tx)
    .await?;
    for user in office {
        crate::tracking::repo::insert_notice(&mut tx, user, text, link).await?;
    }
    tx.commit().await
}

/// Opens a contest without a trace in the audit log: for generated
/// benchmark data only.
pub async fn open_unaudited(db: &Db, contest: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE contests SET status = $1 WHERE id = $2")
        .bind(ContestStatus::Open)
        .bind(contest)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The first account, which owns generated benchmark data.
pub async fn first_user(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(id) FROM users")
        .fetch_one(&db.pool)
        .await
}

pub async fn close_round(db: &Db, actor: i64, round: i64, at: i64) -> Result<(), sqlx::Error> {
    let entry = Entry::new(actor, "close", "contest_round", round);
    update_audited(
        db,
        entry,
        "UPDATE contest_rounds SET closes_at = $1 WHERE id = $2",
        at,
    )
    .await
}

/// A unit a participant may name as their locality.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Locality {
    pub id: i64,
    pub name: String,
}

/// Units a participant may pick as their locality: the contest's, or all.
pub async fn localities(db: &Db, only: &[i64]) -> Result<Vec<Locality>, sqlx::Error> {
    Ok(
        sqlx::query_as::<_, Locality>("SELECT id, name FROM units ORDER BY name")
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .filter(|u| only.is_empty() || only.contains(&u.id))
            .collect(),
    )
}

pub async fn unit_exists(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " AS n FROM units WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// How many questions and participants a contest has, for its overview.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Counts {
    pub questions: i64,
    pub participants: i64,
}

pub async fn counts(db: &Db, contest: i64) -> Result<Counts, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT (SELECT ",
        crate::count_i64!("*"),
        " FROM contest_questions WHERE contest_id = $1) AS questions, (SELECT ",
        crate::count_i64!("*"),
        " FROM contest_participants WHERE contest_id = $1) AS participants"
    ))
    .bind(contest)
    .fetch_one(&db.pool)
    .await
}

/// A round with the settings of its contest that the hot path needs.
#[derive(sqlx::FromRow)]
pub struct LiveRoundRow {
    pub id: i64,
    pub contest_id: i64,
    pub contest_title: String,
    pub number: i64,
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub time_limit_secs: i64,
    #[sqlx(try_from = "String")]
    pub attempt_policy: AttemptPolicy,
    pub question_set: String,
    pub prediction: PredictionSetting,
    pub required_fields: String,
    pub status: ContestStatus,
    pub stage: RoundStage,
}

/// A round as the public answers it; a draft contest's rounds do not exist
/// for the public (404, like an unknown id).
pub async fn live_round(db: &Db, round: i64) -> Result<Option<LiveRoundRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.contest_id, c.title AS contest_title, r.number, r.title, r.opens_at, \
         r.closes_at, COALESCE(r.own_time_limit_secs, c.time_limit_secs) AS time_limit_secs, \
         COALESCE(r.own_attempt_policy, c.attempt_policy) AS attempt_policy, \
         COALESCE(r.own_question_set, c.question_set) AS question_set, \
         COALESCE(r.own_prediction, c.prediction) AS prediction, \
         c.required_fields, c.status, r.stage \
         FROM contest_rounds r JOIN contests c ON c.id = r.contest_id \
         WHERE r.id = $1 AND c.status <> $2",
    )
    .bind(round)
    .bind(ContestStatus::Draft.as_str())
    .fetch_optional(&db.pool)
    .await
}
