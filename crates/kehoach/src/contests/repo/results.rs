//! Ranking input (submissions, localities' tallies) and output (results),
//! the populations behind the participation rate, and publication.

use kehoach_contest::Attempt;
use serde::Serialize;

use crate::audit::{self, Entry};
use crate::contests::states::{ResultKind, RoundStatus};
use crate::db::Db;

/// A unit's population, for the participation-rate prize.
#[derive(Debug, Clone, Copy, Serialize, sqlx::FromRow)]
pub struct Population {
    pub unit_id: i64,
    pub population: i64,
}

pub async fn populations(db: &Db, contest: i64) -> Result<Vec<Population>, sqlx::Error> {
    sqlx::query_as("SELECT unit_id, population FROM contest_populations WHERE contest_id = $1")
        .bind(contest)
        .fetch_all(&db.pool)
        .await
}

pub async fn save_populations(
    db: &Db,
    actor: i64,
    contest: i64,
    rows: &[Population],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM contest_populations WHERE contest_id = $1")
        .bind(contest)
        .execute(&mut *tx)
        .await?;
    for p in rows {
        sqlx::query(
            "INSERT INTO contest_populations (contest_id, unit_id, population) VALUES ($1, $2, $3)",
        )
        .bind(contest)
        .bind(p.unit_id)
        .bind(p.population)
        .execute(&mut *tx)
        .await?;
    }
    // The log keeps the pairs as before: [unit, population].
    let logged: Vec<(i64, i64)> = rows.iter().map(|p| (p.unit_id, p.population)).collect();
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, "populations", "contest", contest),
        None,
        Some(&logged),
    )
    .await?;
    tx.commit().await
}

/// A submission as the ranking reads it.
#[derive(sqlx::FromRow)]
struct SubmissionRecord {
    attempt_id: i64,
    participant_id: i64,
    score: i64,
    prediction: Option<i64>,
    duration_ms: i64,
    submitted_ms: i64,
}

impl From<SubmissionRecord> for Attempt {
    fn from(r: SubmissionRecord) -> Self {
        Attempt {
            id: r.attempt_id,
            participant: r.participant_id,
            score: r.score as u32,
            prediction: r.prediction,
            duration_ms: r.duration_ms as u64,
            submitted_at_ms: r.submitted_ms,
        }
    }
}

/// Every submission of a contest with its round, for the overall ranking.
pub async fn contest_submissions(
    db: &Db,
    contest: i64,
) -> Result<Vec<(i64, Attempt)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct InRound {
        round_id: i64,
        #[sqlx(flatten)]
        submission: SubmissionRecord,
    }
    let rows: Vec<InRound> = sqlx::query_as(
        "SELECT s.attempt_id, s.participant_id, s.score, s.prediction, s.duration_ms, s.submitted_ms, s.round_id \
         FROM contest_submissions s JOIN contest_rounds r ON r.id = s.round_id WHERE r.contest_id = $1",
    )
    .bind(contest)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.round_id, r.submission.into()))
        .collect())
}

/// The submissions of one round, decoded as they stream in rather than
/// collected as rows first (a million rows of the `Any` driver would be a
/// second copy of the round in memory).
pub async fn round_submissions(db: &Db, round: i64) -> Result<Vec<Attempt>, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, SubmissionRecord>(
        "SELECT attempt_id, participant_id, score, prediction, duration_ms, submitted_ms \
         FROM contest_submissions WHERE round_id = $1",
    )
    .bind(round)
    .fetch(&db.pool);
    let mut all = Vec::new();
    while let Some(row) = rows.try_next().await? {
        all.push(row.into());
    }
    Ok(all)
}

/// A proposed prize, as the ranking stores it.
pub struct NewResult {
    pub kind: ResultKind,
    pub position: i64,
    pub tier: String,
    pub participant: Option<i64>,
    pub unit: Option<i64>,
    pub score: i64,
    pub duration_ms: i64,
    pub prediction: Option<i64>,
    pub submitted_ms: Option<i64>,
    pub detail: String,
}

/// Everything one ranking run stores.
pub struct RankingOutput<'a> {
    pub results: &'a [NewResult],
    pub standings: &'a [super::Standing],
    pub ties: &'a [kehoach_contest::BoundaryTie],
    pub truth: Option<i64>,
}

/// Replaces the proposed results, the whole ranking and its ties of a
/// round (or, without one, of the contest overall) and marks the round
/// ranked with its true value.
pub async fn store_results(
    db: &Db,
    actor: Option<i64>,
    contest: i64,
    round: Option<i64>,
    out: &RankingOutput<'_>,
) -> Result<(), sqlx::Error> {
    let (rows, truth) = (out.results, out.truth);
    let mut tx = db.begin().await?;
    super::standings::replace(
        &mut tx,
        db,
        contest,
        super::round_key(round),
        out.standings,
        out.ties,
    )
    .await?;
    sqlx::query("DELETE FROM contest_results WHERE contest_id = $1 AND COALESCE(round_id, 0) = $2")
        .bind(contest)
        .bind(round.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO contest_results (contest_id, round_id, kind, position, tier, participant_id, \
             unit_id, score, duration_ms, detail, prediction, submitted_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(contest)
        .bind(round)
        .bind(r.kind)
        .bind(r.position)
        .bind(&r.tier)
        .bind(r.participant)
        .bind(r.unit)
        .bind(r.score)
        .bind(r.duration_ms)
        .bind(&r.detail)
        .bind(r.prediction)
        .bind(r.submitted_ms)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(round) = round {
        sqlx::query(
            "UPDATE contest_rounds SET status = $1, truth = $2, ranked_at = $3 WHERE id = $4",
        )
        .bind(RoundStatus::Ranked)
        .bind(truth)
        .bind(crate::clock::now())
        .bind(round)
        .execute(&mut *tx)
        .await?;
    }
    let entity = if round.is_some() {
        "contest_round"
    } else {
        "contest"
    };
    let entry = Entry::new(actor, "rank", entity, round.unwrap_or(contest));
    audit::record::<(), _>(&mut tx, entry, None, Some(&rows.len())).await?;
    tx.commit().await
}

/// A result line with the person's or unit's details.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRecord {
    pub kind: ResultKind,
    pub position: i64,
    pub tier: String,
    pub name: String,
    pub locality: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub birth_year: Option<i64>,
    pub score: i64,
    pub duration_ms: i64,
    pub prediction: Option<i64>,
    pub submitted_ms: Option<i64>,
    pub detail: String,
}

pub async fn result_lines(
    db: &Db,
    contest: i64,
    round: Option<i64>,
) -> Result<Vec<ResultRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.kind, r.position, r.tier, COALESCE(p.full_name, u.name, '') AS name, \
         COALESCE(pu.name, '') AS locality, p.phone, p.id_number, p.birth_year, r.score, \
         r.duration_ms, r.prediction, r.submitted_ms, r.detail \
         FROM contest_results r LEFT JOIN contest_participants p ON p.id = r.participant_id \
         LEFT JOIN units pu ON pu.id = p.unit_id LEFT JOIN units u ON u.id = r.unit_id \
         WHERE r.contest_id = $1 AND COALESCE(r.round_id, 0) = $2 ORDER BY r.kind, r.position, r.id",
    )
    .bind(contest)
    .bind(round.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
}

/// Participants and attempts of one locality.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LocalityStat {
    pub unit_id: Option<i64>,
    pub name: String,
    pub participants: i64,
    pub attempts: i64,
    pub population: Option<i64>,
}

/// Participants and attempts per locality. Submissions are first reduced to
/// one row per participant, so the join to the people is a third the size.
pub async fn locality_stats(
    db: &Db,
    contest: i64,
    round: Option<i64>,
) -> Result<Vec<LocalityStat>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT p.unit_id, COALESCE(u.name, '') AS name, ",
        crate::count_i64!("*"),
        " AS participants, ",
        crate::sum_i64!("s.n"),
        " AS attempts, MAX(cp.population) AS population \
         FROM (SELECT participant_id, COUNT(*) AS n FROM contest_submissions \
               WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = $1 AND ($2 = 0 OR id = $2)) \
               GROUP BY participant_id) s \
         JOIN contest_participants p ON p.id = s.participant_id LEFT JOIN units u ON u.id = p.unit_id \
         LEFT JOIN contest_populations cp ON cp.contest_id = $1 AND cp.unit_id = p.unit_id \
         GROUP BY p.unit_id, u.name ORDER BY COUNT(*) DESC"
    ))
    .bind(contest)
    .bind(round.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
}

pub async fn is_published(db: &Db, contest: i64, round: Option<i64>) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " AS n FROM contest_results WHERE contest_id = $1 AND COALESCE(round_id, 0) = $2 \
         AND published_at IS NOT NULL"
    ))
    .bind(contest)
    .bind(round.unwrap_or(0))
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

pub async fn publish(
    db: &Db,
    actor: i64,
    contest: i64,
    round: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE contest_results SET published_at = $1 WHERE contest_id = $2 AND COALESCE(round_id, 0) = $3",
    )
    .bind(crate::clock::now())
    .bind(contest)
    .bind(round.unwrap_or(0))
    .execute(&mut *tx)
    .await?;
    if let Some(round) = round {
        sqlx::query("UPDATE contest_rounds SET status = $1 WHERE id = $2")
            .bind(RoundStatus::Published)
            .bind(round)
            .execute(&mut *tx)
            .await?;
    }
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, "publish", "contest", contest),
        None,
        Some(&round),
    )
    .await?;
    tx.commit().await
}

/// Who took personal data out of the system is itself on record.
pub async fn record_full_export(
    db: &Db,
    actor: i64,
    contest: i64,
    round: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, "export_full", "contest_round", round),
        None,
        Some(&contest),
    )
    .await?;
    tx.commit().await
}

/// Calls `f` with every answer sheet handed in for a round (`question:option`
/// pairs), streamed: a round of a million hand-ins is never all in memory.
pub async fn each_answer_sheet(
    db: &Db,
    round: i64,
    mut f: impl FnMut(&str),
) -> Result<(), sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_scalar::<_, String>(
        "SELECT answers FROM contest_submissions WHERE round_id = $1",
    )
    .bind(round)
    .fetch(&db.pool);
    while let Some(answers) = rows.try_next().await? {
        f(&answers);
    }
    Ok(())
}
