//! After a round closes: the ranking batch (the prediction's true value is
//! known only then), prizes proposed by quota, the office's review and
//! publication, statistics, exports, and the public results page.

use std::collections::HashMap;
use std::time::Instant;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_contest::{
    Attempt, Quota, UnitTally, allocate, counted_attempts, highest_rate, most_participants,
    overall, rank, true_value,
};
use kehoach_office::{Cell, Sheet};
use serde::Deserialize;
use sqlx::Row;

use super::ContestRow;
use super::Services;
use super::repo::{self, RoundRow, entry};
use crate::audit;
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, render};

/// What a ranking run did, for the page and the command line.
#[derive(Debug, Clone, Copy)]
pub struct RankRun {
    pub submissions: usize,
    pub participants: usize,
    pub truth: Option<i64>,
    /// Reading the round's submissions (with the locality tallies alongside).
    pub load_ms: u128,
    /// Counted attempts, the true value, ranking and prize allocation.
    pub rank_ms: u128,
    pub store_ms: u128,
    pub total_ms: u128,
}

/// Every submission of a contest with its round, for the overall ranking.
async fn submissions(db: &Db, contest: i64) -> Result<Vec<(i64, Attempt)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.attempt_id, s.participant_id, s.score, s.prediction, s.duration_ms, s.submitted_ms, s.round_id \
         FROM contest_submissions s JOIN contest_rounds r ON r.id = s.round_id WHERE r.contest_id = $1",
    )
    .bind(contest)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(|r| (r.get(6), attempt_row(r))).collect())
}

/// Units' participant counts and populations for the collective prizes.
async fn tallies(db: &Db, contest: i64, round: Option<i64>) -> Result<Vec<UnitTally>, sqlx::Error> {
    let populations: HashMap<i64, i64> =
        repo::populations(db, contest).await?.into_iter().collect();
    Ok(locality_stats(db, contest, round)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(UnitTally {
                unit: s.unit_id?,
                participants: s.participants as u64,
                population: populations.get(&s.unit_id?).map(|p| *p as u64),
            })
        })
        .collect())
}

struct Stored {
    kind: &'static str,
    position: i64,
    tier: String,
    participant: Option<i64>,
    unit: Option<i64>,
    score: i64,
    duration_ms: i64,
    detail: String,
}

fn individual(ranked: &[kehoach_contest::Ranked], quotas: &[Quota]) -> Vec<Stored> {
    let alloc = allocate(ranked, quotas);
    alloc
        .winners
        .iter()
        .map(|w| Stored {
            kind: "individual",
            position: i64::from(w.position),
            tier: w.tier.clone(),
            participant: Some(w.attempt.participant),
            unit: None,
            score: i64::from(w.attempt.score),
            duration_ms: w.attempt.duration_ms as i64,
            detail: if alloc.boundary_ties.contains(&w.position) {
                "tie".into()
            } else {
                String::new()
            },
        })
        .collect()
}

fn collective(tallies: &[UnitTally], n: usize) -> Vec<Stored> {
    let most = most_participants(tallies, n)
        .into_iter()
        .enumerate()
        .map(|(i, t)| Stored {
            kind: "most",
            position: i as i64 + 1,
            tier: String::new(),
            participant: None,
            unit: Some(t.unit),
            score: t.participants as i64,
            duration_ms: 0,
            detail: String::new(),
        });
    let rate = highest_rate(tallies, n)
        .into_iter()
        .enumerate()
        .map(|(i, (t, r))| Stored {
            kind: "rate",
            position: i as i64 + 1,
            tier: String::new(),
            participant: None,
            unit: Some(t.unit),
            score: t.participants as i64,
            duration_ms: 0,
            detail: format!("{:.2}", r * 100.0),
        });
    most.chain(rate).collect()
}

async fn store(
    db: &Db,
    actor: Option<i64>,
    contest: i64,
    round: Option<i64>,
    rows: &[Stored],
    truth: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM contest_results WHERE contest_id = $1 AND COALESCE(round_id, 0) = $2")
        .bind(contest)
        .bind(round.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO contest_results (contest_id, round_id, kind, position, tier, participant_id, unit_id, score, duration_ms, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
        .execute(&mut *tx)
        .await?;
    }
    if let Some(round) = round {
        sqlx::query(
            "UPDATE contest_rounds SET status = 'ranked', truth = $1, ranked_at = $2 WHERE id = $3",
        )
        .bind(truth)
        .bind(now())
        .bind(round)
        .execute(&mut *tx)
        .await?;
    }
    let audit_entry = audit::Entry {
        user_id: actor,
        action: "rank",
        entity: if round.is_some() {
            "contest_round"
        } else {
            "contest"
        },
        entity_id: Some(round.unwrap_or(contest)),
        plan_id: None,
    };
    audit::record::<(), _>(&mut tx, audit_entry, None, Some(&rows.len())).await?;
    tx.commit().await
}

/// The submissions of one round, decoded as they stream in rather than
/// collected as rows first (a million rows of the `Any` driver would be a
/// second copy of the round in memory).
async fn round_submissions(db: &Db, round: i64) -> Result<Vec<Attempt>, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT attempt_id, participant_id, score, prediction, duration_ms, submitted_ms \
         FROM contest_submissions WHERE round_id = $1",
    )
    .bind(round)
    .fetch(&db.pool);
    let mut all = Vec::new();
    while let Some(row) = rows.try_next().await? {
        all.push(attempt_row(&row));
    }
    Ok(all)
}

fn attempt_row(r: &sqlx::any::AnyRow) -> Attempt {
    Attempt {
        id: r.get(0),
        participant: r.get(1),
        score: r.get::<i64, _>(2) as u32,
        prediction: r.get(3),
        duration_ms: r.get::<i64, _>(4) as u64,
        submitted_at_ms: r.get(5),
    }
}

/// Ranks a closed round and stores the proposed winners (replacing an
/// earlier proposal); refused once the round's results are published.
pub async fn rank_round_batch(
    db: &Db,
    actor: Option<i64>,
    contest: &ContestRow,
    round: &RoundRow,
) -> Result<RankRun, sqlx::Error> {
    let t0 = Instant::now();
    // The tallies' query runs in the database while the submissions decode.
    let (all, tallies) = tokio::join!(
        round_submissions(db, round.id),
        tallies(db, contest.id, Some(round.id))
    );
    let (all, tallies) = (all?, tallies?);
    let load_ms = t0.elapsed().as_millis();
    let t1 = Instant::now();
    let paper_size = match &contest.question_set {
        kehoach_contest::QuestionSet::Fixed(ids) => ids.len() as u32,
        kehoach_contest::QuestionSet::Random { per_topic } => per_topic.iter().map(|t| t.1).sum(),
    };
    let truth = contest
        .prediction
        .map(|kind| true_value(kind, &all, paper_size));
    let counted = counted_attempts(&all);
    let ranked = rank(&counted, &contest.rules, truth);
    let mut rows = individual(&ranked, &contest.round_quotas);
    rows.extend(collective(&tallies, contest.collective_count as usize));
    let rank_ms = t1.elapsed().as_millis();
    let t2 = Instant::now();
    store(db, actor, contest.id, Some(round.id), &rows, truth).await?;
    Ok(RankRun {
        submissions: all.len(),
        participants: counted.len(),
        truth,
        load_ms,
        rank_ms,
        store_ms: t2.elapsed().as_millis(),
        total_ms: t0.elapsed().as_millis(),
    })
}

async fn contest_and_round(
    state: &Services,
    id: i64,
    round: i64,
) -> AppResult<(ContestRow, RoundRow)> {
    let contest = repo::contest(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = repo::round(&state.db, id, round)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((contest, round))
}

pub async fn rank_round(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    if !round.is_rankable(&now()) {
        return Err(AppError::BadRequest(ctx.t("err-contest-round-not-closed")));
    }
    if round.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    let run = rank_round_batch(&state.db, Some(user), &contest, &round).await?;
    tracing::info!(?run, round = round.id, "round ranked");
    Ok(Redirect::to(&format!("/contests/{id}/rounds/{}/results", round.id)).into_response())
}

/// A result line as the office and the public see it.
pub struct ResultLine {
    pub kind: String,
    pub position: i64,
    pub tier: String,
    pub name: String,
    pub locality: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub birth_year: Option<i64>,
    pub score: i64,
    pub duration_ms: i64,
    pub detail: String,
}

impl ResultLine {
    pub fn phone_masked(&self) -> String {
        self.phone
            .as_deref()
            .and_then(|p| kehoach_contest::normalise_phone(p).ok())
            .map(|p| p.masked())
            .unwrap_or_default()
    }

    pub fn duration(&self) -> String {
        let s = self.duration_ms / 1000;
        format!("{}:{:02}.{:03}", s / 60, s % 60, self.duration_ms % 1000)
    }

    pub fn is_tie(&self) -> bool {
        self.detail == "tie"
    }
}

async fn result_lines(
    db: &Db,
    contest: i64,
    round: Option<i64>,
) -> Result<Vec<ResultLine>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT r.kind, r.position, r.tier, COALESCE(p.full_name, u.name, ''), COALESCE(pu.name, ''), \
         p.phone, p.id_number, p.birth_year, r.score, r.duration_ms, r.detail \
         FROM contest_results r LEFT JOIN contest_participants p ON p.id = r.participant_id \
         LEFT JOIN units pu ON pu.id = p.unit_id LEFT JOIN units u ON u.id = r.unit_id \
         WHERE r.contest_id = $1 AND COALESCE(r.round_id, 0) = $2 ORDER BY r.kind, r.position",
    )
    .bind(contest)
    .bind(round.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| ResultLine {
        kind: r.get(0),
        position: r.get(1),
        tier: r.get(2),
        name: r.get(3),
        locality: r.get(4),
        phone: r.get(5),
        id_number: r.get(6),
        birth_year: r.get(7),
        score: r.get(8),
        duration_ms: r.get(9),
        detail: r.get(10),
    })
    .collect())
}

pub struct LocalityStat {
    pub unit_id: Option<i64>,
    pub name: String,
    pub participants: i64,
    pub attempts: i64,
    pub population: Option<i64>,
}

impl LocalityStat {
    /// Participants per hundred of the population, when it is known.
    pub fn rate(&self) -> String {
        match self.population {
            Some(p) if p > 0 => format!("{:.2}%", self.participants as f64 * 100.0 / p as f64),
            _ => "—".into(),
        }
    }
}

/// Participants and attempts per locality. Submissions are first reduced to
/// one row per participant, so the join to the people is a third the size.
async fn locality_stats(
    db: &Db,
    contest: i64,
    round: Option<i64>,
) -> Result<Vec<LocalityStat>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT p.unit_id, COALESCE(u.name, ''), COUNT(*), CAST(SUM(s.n) AS BIGINT), MAX(cp.population) \
         FROM (SELECT participant_id, COUNT(*) AS n FROM contest_submissions \
               WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = $1 AND ($2 = 0 OR id = $2)) \
               GROUP BY participant_id) s \
         JOIN contest_participants p ON p.id = s.participant_id LEFT JOIN units u ON u.id = p.unit_id \
         LEFT JOIN contest_populations cp ON cp.contest_id = $1 AND cp.unit_id = p.unit_id \
         GROUP BY p.unit_id, u.name ORDER BY COUNT(*) DESC",
    )
    .bind(contest)
    .bind(round.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| LocalityStat {
        unit_id: r.get(0),
        name: r.get(1),
        participants: r.get(2),
        attempts: r.get(3),
        population: r.get(4),
    })
    .collect())
}

#[derive(Template)]
#[template(path = "contests/templates/results.html")]
struct ResultsPage {
    ctx: Ctx,
    contest: ContestRow,
    round: Option<RoundRow>,
    lines: Vec<ResultLine>,
    stats: Vec<LocalityStat>,
    published: bool,
}

impl ResultsPage {
    fn of_kind<'a>(&'a self, kind: &str) -> Vec<&'a ResultLine> {
        self.lines.iter().filter(|l| l.kind == kind).collect()
    }

    fn base(&self) -> String {
        match &self.round {
            Some(r) => format!("/contests/{}/rounds/{}", self.contest.id, r.id),
            None => format!("/contests/{}/overall", self.contest.id),
        }
    }

    fn publish_url(&self) -> String {
        match &self.round {
            Some(_) => format!("{}/publish", self.base()),
            None => format!("/contests/{}/overall/publish", self.contest.id),
        }
    }
}

async fn is_published(db: &Db, contest: i64, round: Option<i64>) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contest_results WHERE contest_id = $1 AND COALESCE(round_id, 0) = $2 AND published_at IS NOT NULL",
    )
    .bind(contest)
    .bind(round.unwrap_or(0))
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

pub async fn round_results(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    let lines = result_lines(&state.db, id, Some(round.id)).await?;
    let stats = locality_stats(&state.db, id, Some(round.id)).await?;
    let published = round.is_published();
    Ok(render(&ResultsPage {
        ctx,
        contest,
        round: Some(round),
        lines,
        stats,
        published,
    })?
    .into_response())
}

async fn publish(db: &Db, actor: i64, contest: i64, round: Option<i64>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE contest_results SET published_at = $1 WHERE contest_id = $2 AND COALESCE(round_id, 0) = $3",
    )
    .bind(now())
    .bind(contest)
    .bind(round.unwrap_or(0))
    .execute(&mut *tx)
    .await?;
    if let Some(round) = round {
        sqlx::query("UPDATE contest_rounds SET status = 'published' WHERE id = $1")
            .bind(round)
            .execute(&mut *tx)
            .await?;
    }
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "publish", "contest", contest),
        None,
        Some(&round),
    )
    .await?;
    tx.commit().await
}

pub async fn publish_round(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let (_, round) = contest_and_round(&state, id, round).await?;
    if round.status != "ranked" {
        return Err(AppError::BadRequest(ctx.t("err-contest-not-ranked")));
    }
    publish(&state.db, user, id, Some(round.id)).await?;
    Ok(Redirect::to(&format!("/contests/{id}/rounds/{}/results", round.id)).into_response())
}

/// The overall ranking: each participant's counted attempt in every round,
/// summed (see `kehoach_contest::overall`).
pub async fn rank_overall(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = repo::contest(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if is_published(&state.db, id, None).await? {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    let mut by_round: HashMap<i64, Vec<Attempt>> = HashMap::new();
    for (round, a) in submissions(&state.db, id).await? {
        by_round.entry(round).or_default().push(a);
    }
    let rounds: Vec<Vec<Attempt>> = by_round
        .into_values()
        .map(|v| counted_attempts(&v))
        .collect();
    let totals = overall(&rounds);
    let ranked = rank(&totals, &contest.rules, None);
    let mut rows = individual(&ranked, &contest.overall_quotas);
    let tallies = tallies(&state.db, id, None).await?;
    rows.extend(collective(&tallies, contest.collective_count as usize));
    store(&state.db, Some(user), id, None, &rows, None).await?;
    Ok(Redirect::to(&format!("/contests/{id}/overall")).into_response())
}

pub async fn overall_results(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.office()?;
    let contest = repo::contest(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = result_lines(&state.db, id, None).await?;
    let stats = locality_stats(&state.db, id, None).await?;
    let published = is_published(&state.db, id, None).await?;
    Ok(render(&ResultsPage {
        ctx,
        contest,
        round: None,
        lines,
        stats,
        published,
    })?
    .into_response())
}

pub async fn publish_overall(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    repo::contest(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if result_lines(&state.db, id, None).await?.is_empty() {
        return Err(AppError::BadRequest(ctx.t("err-contest-not-ranked")));
    }
    publish(&state.db, user, id, None).await?;
    Ok(Redirect::to(&format!("/contests/{id}/overall")).into_response())
}

#[derive(Deserialize)]
pub struct XlsxQuery {
    #[serde(default)]
    full: Option<String>,
}

/// Winners and statistics: masked for publication, or with full personal
/// data for the office's own records.
pub async fn round_xlsx(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<XlsxQuery>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let full = q.full.is_some();
    let (contest, round) = contest_and_round(&state, id, round).await?;
    let lines = result_lines(&state.db, id, Some(round.id)).await?;
    let stats = locality_stats(&state.db, id, Some(round.id)).await?;
    let mut header: Vec<String> = ["Hạng", "Giải", "Họ và tên", "Địa phương", "Số điện thoại"]
        .map(String::from)
        .to_vec();
    if full {
        header.extend(["Số định danh", "Năm sinh"].map(String::from));
    }
    header.extend(["Số câu đúng", "Thời gian làm bài"].map(String::from));
    let winners = lines
        .iter()
        .filter(|l| l.kind == "individual")
        .map(|l| {
            let mut row = vec![
                Cell::Integer(l.position),
                Cell::Text(l.tier.clone()),
                Cell::Text(l.name.clone()),
                Cell::Text(l.locality.clone()),
                Cell::Text(if full {
                    l.phone.clone().unwrap_or_default()
                } else {
                    l.phone_masked()
                }),
            ];
            if full {
                row.push(Cell::Text(l.id_number.clone().unwrap_or_default()));
                row.push(l.birth_year.map(Cell::Integer).unwrap_or(Cell::Empty));
            }
            row.extend([Cell::Integer(l.score), Cell::Text(l.duration())]);
            row
        })
        .collect();
    let stats_rows = stats
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.name.clone()),
                Cell::Integer(s.participants),
                Cell::Integer(s.attempts),
                s.population.map(Cell::Integer).unwrap_or(Cell::Empty),
                Cell::Text(s.rate()),
            ]
        })
        .collect();
    let sheets = [
        Sheet {
            name: "Người đoạt giải".into(),
            header,
            rows: winners,
            column_widths: Vec::new(),
        },
        Sheet {
            name: "Thống kê".into(),
            header: ["Địa phương", "Người dự thi", "Lượt thi", "Dân số", "Tỷ lệ"]
                .map(String::from)
                .to_vec(),
            rows: stats_rows,
            column_widths: Vec::new(),
        },
    ];
    let bytes = kehoach_office::workbook_xlsx(&sheets).map_err(|e| anyhow::anyhow!("{e}"))?;
    if full {
        // Who took personal data out of the system is itself on record.
        let mut tx = state.db.begin().await?;
        audit::record::<(), _>(
            &mut tx,
            entry(user, "export_full", "contest_round", round.id),
            None,
            Some(&contest.id),
        )
        .await?;
        tx.commit().await?;
    }
    let file = format!(
        "attachment; filename=\"ket-qua-vong-{}{}.xlsx\"",
        round.number,
        if full { "-day-du" } else { "" }
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/duplicates.html")]
struct DuplicatesPage {
    ctx: Ctx,
    contest: ContestRow,
    groups: Vec<(String, String, i64)>,
}

/// People registered more than once under different phone numbers: the
/// same folded name, birth year and locality. Listed for a human to judge.
pub async fn duplicates(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let contest = repo::contest(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = sqlx::query(
        "SELECT p.full_name, p.birth_year, COALESCE(u.name, '') FROM contest_participants p \
         LEFT JOIN units u ON u.id = p.unit_id WHERE p.contest_id = $1",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut groups: HashMap<(String, Option<i64>, String), (String, i64)> = HashMap::new();
    for r in &rows {
        let name: String = r.get(0);
        let key = (
            kehoach_plan::fold(&name),
            r.get::<Option<i64>, _>(1),
            r.get::<String, _>(2),
        );
        groups.entry(key).or_insert((name, 0)).1 += 1;
    }
    let mut groups: Vec<(String, String, i64)> = groups
        .into_iter()
        .filter(|(_, (_, n))| *n > 1)
        .map(|((_, year, unit), (name, n))| {
            let year = year.map(|y| y.to_string()).unwrap_or_default();
            (format!("{name} ({year})"), unit, n)
        })
        .collect();
    groups.sort();
    Ok(render(&DuplicatesPage {
        ctx,
        contest,
        groups,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/public_results.html")]
struct PublicResults {
    ctx: Ctx,
    contest: ContestRow,
    rounds: Vec<(RoundRow, Vec<ResultLine>)>,
    overall: Vec<ResultLine>,
    stats: Vec<LocalityStat>,
}

/// Published results only: name, locality and a masked phone number.
pub async fn public_results(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let contest = repo::contest(&state.db, id)
        .await?
        .filter(|c| c.status != "draft")
        .ok_or(AppError::NotFound)?;
    let mut rounds = Vec::new();
    for round in repo::rounds(&state.db, id).await? {
        if round.is_published() {
            let lines = result_lines(&state.db, id, Some(round.id)).await?;
            rounds.push((round, lines));
        }
    }
    let overall = if is_published(&state.db, id, None).await? {
        result_lines(&state.db, id, None).await?
    } else {
        Vec::new()
    };
    let stats = if rounds.is_empty() {
        Vec::new()
    } else {
        locality_stats(&state.db, id, None).await?
    };
    Ok(render(&PublicResults {
        ctx,
        contest,
        rounds,
        overall,
        stats,
    })?
    .into_response())
}
