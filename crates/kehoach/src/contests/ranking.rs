//! After a round closes: the ranking batch (the prediction's true value is
//! known only then) and the prizes proposed by quota, for a round or for
//! the contest overall.

use std::collections::HashMap;
use std::time::Instant;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_contest::{
    Attempt, Quota, UnitTally, allocate, counted_attempts, highest_rate, most_participants,
    overall, rank, true_value,
};

use super::repo::{self, NewResult, RoundRow};
use super::results::contest_and_round;
use super::states::ResultKind;
use super::{ContestRow, find_contest};
use crate::contests::Services;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

/// The detail of a prize line whose place is shared at a quota's boundary.
pub const TIE: &str = "tie";

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

/// Units' participant counts and populations for the collective prizes.
async fn tallies(db: &Db, contest: i64, round: Option<i64>) -> Result<Vec<UnitTally>, sqlx::Error> {
    let populations: HashMap<i64, i64> = repo::populations(db, contest)
        .await?
        .into_iter()
        .map(|p| (p.unit_id, p.population))
        .collect();
    Ok(repo::locality_stats(db, contest, round)
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

fn individual(ranked: &[kehoach_contest::Ranked], quotas: &[Quota]) -> Vec<NewResult> {
    let alloc = allocate(ranked, quotas);
    alloc
        .winners
        .iter()
        .map(|w| NewResult {
            kind: ResultKind::Individual,
            position: i64::from(w.position),
            tier: w.tier.clone(),
            participant: Some(w.attempt.participant),
            unit: None,
            score: i64::from(w.attempt.score),
            duration_ms: w.attempt.duration_ms as i64,
            detail: if alloc.boundary_ties.contains(&w.position) {
                TIE.into()
            } else {
                String::new()
            },
        })
        .collect()
}

/// A collective prize line: the unit, its place and its participants.
fn unit_line(kind: ResultKind, place: usize, t: &UnitTally, detail: String) -> NewResult {
    NewResult {
        kind,
        position: place as i64 + 1,
        tier: String::new(),
        participant: None,
        unit: Some(t.unit),
        score: t.participants as i64,
        duration_ms: 0,
        detail,
    }
}

fn collective(tallies: &[UnitTally], n: usize) -> Vec<NewResult> {
    let most = most_participants(tallies, n)
        .into_iter()
        .enumerate()
        .map(|(i, t)| unit_line(ResultKind::Most, i, &t, String::new()));
    let rate = highest_rate(tallies, n)
        .into_iter()
        .enumerate()
        .map(|(i, (t, r))| unit_line(ResultKind::Rate, i, &t, format!("{:.2}", r * 100.0)));
    most.chain(rate).collect()
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
        repo::round_submissions(db, round.id),
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
    repo::store_results(db, actor, contest.id, Some(round.id), &rows, truth).await?;
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

pub async fn rank_round(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    if !round.is_rankable(&crate::clock::now()) {
        return Err(AppError::BadRequest(ctx.t("err-contest-round-not-closed")));
    }
    if round.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    let run = rank_round_batch(&state.db, Some(user), &contest, &round).await?;
    tracing::info!(?run, round = round.id, "round ranked");
    Ok(Redirect::to(&format!("/contests/{id}/rounds/{}/results", round.id)).into_response())
}

/// The overall ranking: each participant's counted attempt in every round,
/// summed (see `kehoach_contest::overall`).
pub async fn rank_overall(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    if repo::is_published(&state.db, id, None).await? {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    let mut by_round: HashMap<i64, Vec<Attempt>> = HashMap::new();
    for (round, a) in repo::contest_submissions(&state.db, id).await? {
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
    repo::store_results(&state.db, Some(user), id, None, &rows, None).await?;
    Ok(Redirect::to(&format!("/contests/{id}/overall")).into_response())
}
