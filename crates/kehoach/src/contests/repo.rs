//! Queries of the contests module outside the hot path (which goes through
//! the writer). Every office write is audited in its transaction.

use kehoach_contest::Quota;
use serde::Serialize;
use sqlx::Row;

use super::ContestRow;
use super::domain::{
    ContestSettings, RequiredFields, prediction_from_str, prediction_to_str, question_set_from_str,
    question_set_to_string, quotas_from_str, quotas_to_string,
};
use crate::audit::{self, Entry};
use crate::db::{Db, now};
use crate::web::dates;

const CONTEST_COLUMNS: &str = "SELECT id, status, title, description, question_set, time_limit_secs, \
     attempt_policy, ranking_rules, prediction, min_age, localities, required_fields, round_quotas, \
     overall_quotas, collective_count, consent_text, retention_days FROM contests";

fn contest_row(r: &sqlx::any::AnyRow) -> ContestRow {
    let text = |i: usize| r.get::<String, _>(i);
    ContestRow {
        id: r.get(0),
        status: text(1),
        settings: ContestSettings {
            title: text(2),
            description: text(3),
            question_set: question_set_from_str(&text(4))
                .unwrap_or(kehoach_contest::QuestionSet::Fixed(Vec::new())),
            time_limit_secs: r.get(5),
            policy: text(6)
                .parse()
                .unwrap_or(kehoach_contest::AttemptPolicy::Once),
            rules: text(7).parse().unwrap_or_default(),
            prediction: prediction_from_str(&text(8)).flatten(),
            min_age: r.get(9),
            localities: text(10).split(',').filter_map(|s| s.parse().ok()).collect(),
            required: RequiredFields::parse(&text(11)),
            round_quotas: quotas_from_str(&text(12)).unwrap_or_default(),
            overall_quotas: quotas_from_str(&text(13)).unwrap_or_default(),
            collective_count: r.get(14),
            consent_text: text(15),
            retention_days: r.get(16),
        },
    }
}

pub async fn contests(db: &Db) -> Result<Vec<ContestRow>, sqlx::Error> {
    let sql = format!("{CONTEST_COLUMNS} ORDER BY id DESC");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(contest_row)
        .collect())
}

pub async fn contest(db: &Db, id: i64) -> Result<Option<ContestRow>, sqlx::Error> {
    let sql = format!("{CONTEST_COLUMNS} WHERE id = $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(contest_row))
}

/// The settings as stored, and as the audit log records them.
#[derive(Serialize)]
struct Stored {
    title: String,
    description: String,
    question_set: String,
    time_limit_secs: i64,
    attempt_policy: String,
    ranking_rules: String,
    prediction: &'static str,
    min_age: i64,
    localities: String,
    required_fields: String,
    round_quotas: String,
    overall_quotas: String,
    collective_count: i64,
    consent_text: String,
    retention_days: i64,
}

fn stored(s: &ContestSettings) -> Stored {
    Stored {
        title: s.title.clone(),
        description: s.description.clone(),
        question_set: question_set_to_string(&s.question_set),
        time_limit_secs: s.time_limit_secs,
        attempt_policy: s.policy.to_string(),
        ranking_rules: s.rules.to_string(),
        prediction: prediction_to_str(s.prediction),
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
    }
}

pub fn entry<'a>(actor: i64, action: &'a str, entity: &'a str, id: i64) -> Entry<'a> {
    Entry {
        user_id: Some(actor),
        action,
        entity,
        entity_id: Some(id),
        plan_id: None,
    }
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
    // The same fifteen settings in both statements; only the tail differs.
    let (sql, tail) = match id {
        None => (
            "INSERT INTO contests (title, description, question_set, time_limit_secs, attempt_policy, \
             ranking_rules, prediction, min_age, localities, required_fields, round_quotas, overall_quotas, \
             collective_count, consent_text, retention_days, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16, $17) RETURNING id",
            [actor, now()].to_vec(),
        ),
        Some(id) => (
            "UPDATE contests SET title = $1, description = $2, question_set = $3, time_limit_secs = $4, \
             attempt_policy = $5, ranking_rules = $6, prediction = $7, min_age = $8, localities = $9, \
             required_fields = $10, round_quotas = $11, overall_quotas = $12, collective_count = $13, \
             consent_text = $14, retention_days = $15 WHERE id = $16 RETURNING id",
            vec![id],
        ),
    };
    let mut query = sqlx::query(sql)
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
        .bind(v.retention_days);
    for value in tail {
        query = query.bind(value);
    }
    let id: i64 = query.fetch_one(&mut *tx).await?.get(0);
    audit::record::<(), _>(&mut tx, entry(actor, action, "contest", id), None, Some(&v)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_status(db: &Db, actor: i64, id: i64, status: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE contests SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "status", "contest", id),
        None,
        Some(&status),
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone)]
pub struct RoundRow {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub status: String,
    pub truth: Option<i64>,
}

impl RoundRow {
    pub fn opens_vn(&self) -> String {
        dates::instant_vn(self.opens_at)
    }

    pub fn closes_vn(&self) -> String {
        dates::instant_vn(self.closes_at)
    }

    pub fn is_open(&self, now: &i64) -> bool {
        (self.opens_at..self.closes_at).contains(now)
    }

    pub fn is_closed(&self, now: &i64) -> bool {
        *now >= self.closes_at
    }

    pub fn is_published(&self) -> bool {
        self.status == "published"
    }

    /// Ranking waits until the grace period after the close is over: until
    /// then an attempt started before the close may still be handed in, and
    /// a ranking that left it out would be wrong.
    pub fn is_rankable(&self, now: &i64) -> bool {
        *now >= self.closes_at + super::live::GRACE_MS / 1000
    }
}

const ROUND_COLUMNS: &str =
    "SELECT id, number, title, opens_at, closes_at, status, truth FROM contest_rounds";

fn round_row(r: &sqlx::any::AnyRow) -> RoundRow {
    RoundRow {
        id: r.get(0),
        number: r.get(1),
        title: r.get(2),
        opens_at: r.get(3),
        closes_at: r.get(4),
        status: r.get(5),
        truth: r.get(6),
    }
}

pub async fn rounds(db: &Db, contest: i64) -> Result<Vec<RoundRow>, sqlx::Error> {
    let sql = format!("{ROUND_COLUMNS} WHERE contest_id = $1 ORDER BY number");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(contest)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(round_row)
        .collect())
}

/// One round of a contest (None if the round belongs to another contest).
pub async fn round(db: &Db, contest: i64, round: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    let sql = format!("{ROUND_COLUMNS} WHERE contest_id = $1 AND id = $2");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(contest)
        .bind(round)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(round_row))
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
}

pub async fn add_round(
    db: &Db,
    actor: i64,
    contest: i64,
    r: &NewRound,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM contest_rounds WHERE contest_id = $1",
    )
    .bind(contest)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query(
        "INSERT INTO contest_rounds (contest_id, number, title, opens_at, closes_at, status) \
         VALUES ($1, $2, $3, $4, $5, 'scheduled') RETURNING id",
    )
    .bind(contest)
    .bind(number)
    .bind(&r.title)
    .bind(r.opens_at)
    .bind(r.closes_at)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "create", "contest_round", id),
        None,
        Some(r),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn close_round(db: &Db, actor: i64, round: i64, at: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE contest_rounds SET closes_at = $1 WHERE id = $2")
        .bind(at)
        .bind(round)
        .execute(&mut *tx)
        .await?;
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "close", "contest_round", round),
        None,
        Some(&at),
    )
    .await?;
    tx.commit().await
}

/// Units a participant may pick as their locality: the contest's, or all.
pub async fn localities(db: &Db, only: &[i64]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(sqlx::query("SELECT id, name FROM units ORDER BY name")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        .filter(|(id, _)| only.is_empty() || only.contains(id))
        .collect())
}

/// A participant as their own page shows them.
pub struct Me {
    pub full_name: String,
    pub phone_masked: String,
    pub entries: Vec<MyEntry>,
}

pub struct MyEntry {
    pub round_number: i64,
    pub receipt: String,
    pub submitted_ms: i64,
    /// Shown only once the round's results are published.
    pub score: Option<i64>,
}

impl MyEntry {
    pub fn submitted_vn(&self) -> String {
        dates::instant_vn(self.submitted_ms / 1000)
    }
}

pub async fn me(db: &Db, participant: i64) -> Result<Option<Me>, sqlx::Error> {
    let Some(p) = sqlx::query("SELECT full_name, phone FROM contest_participants WHERE id = $1")
        .bind(participant)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let entries = sqlx::query(
        "SELECT r.number, s.receipt, s.submitted_ms, s.score, r.status FROM contest_submissions s \
         JOIN contest_rounds r ON r.id = s.round_id WHERE s.participant_id = $1 ORDER BY s.submitted_ms",
    )
    .bind(participant)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| MyEntry {
        round_number: r.get(0),
        receipt: r.get(1),
        submitted_ms: r.get(2),
        score: (r.get::<String, _>(4) == "published").then(|| r.get(3)),
    })
    .collect();
    let phone: Option<String> = p.get(1);
    Ok(Some(Me {
        full_name: p.get(0),
        phone_masked: phone
            .and_then(|p| kehoach_contest::normalise_phone(&p).ok())
            .map(|p| p.masked())
            .unwrap_or_default(),
        entries,
    }))
}

pub async fn receipt(db: &Db, attempt: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT receipt FROM contest_submissions WHERE attempt_id = $1")
        .bind(attempt)
        .fetch_optional(&db.pool)
        .await
}

pub async fn draft(db: &Db, attempt: i64) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    Ok(
        sqlx::query("SELECT answers, prediction FROM contest_drafts WHERE attempt_id = $1")
            .bind(attempt)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| (r.get(0), r.get(1))),
    )
}

pub async fn populations(db: &Db, contest: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    Ok(
        sqlx::query("SELECT unit_id, population FROM contest_populations WHERE contest_id = $1")
            .bind(contest)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect(),
    )
}

pub async fn save_populations(
    db: &Db,
    actor: i64,
    contest: i64,
    rows: &[(i64, i64)],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM contest_populations WHERE contest_id = $1")
        .bind(contest)
        .execute(&mut *tx)
        .await?;
    for (unit, population) in rows {
        sqlx::query(
            "INSERT INTO contest_populations (contest_id, unit_id, population) VALUES ($1, $2, $3)",
        )
        .bind(contest)
        .bind(unit)
        .bind(population)
        .execute(&mut *tx)
        .await?;
    }
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "populations", "contest", contest),
        None,
        Some(&rows),
    )
    .await?;
    tx.commit().await
}

pub fn quota_total(q: &[Quota]) -> u32 {
    q.iter().map(|q| q.count).sum()
}
