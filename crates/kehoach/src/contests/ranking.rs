//! After a round closes: the ranking batch (the prediction's true value is
//! known only then) and the prizes proposed by quota, for a round or for
//! the contest overall.

use std::collections::HashMap;
use std::time::Instant;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_contest::{
    Allocation, Attempt, AwardRules, Decision, Quota, Ranked, RankingRules, RoundLines, UnitTally,
    allocate, attempt_numbers, combine, counted_attempts, highest_rate, most_participants, rank,
    true_value,
};

use super::repo::{self, NewResult, RankingOutput, RoundRow, Standing};
use super::results::contest_and_round;
use super::states::{ResultKind, RoundStage};
use super::{ContestRow, find_contest};
use crate::contests::Services;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

/// The detail of a prize line given through a tie at a quota's boundary.
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

/// The rules of [`allocate`] for one list of prizes.
pub(super) fn award_rules<'a>(
    contest: &ContestRow,
    quotas: &'a [Quota],
    decisions: &'a [Decision],
) -> AwardRules<'a> {
    AwardRules {
        quotas,
        min_score: u32::try_from(contest.min_prize_score).unwrap_or(0),
        ties: contest.ties,
        seed: contest.tie_seed as u64,
        decisions,
    }
}

/// Prize lines and the whole ranking from one ranked list. `numbers`
/// gives each line's attempt number and the participant's attempt count.
pub(super) fn placed(
    ranked: &[Ranked],
    alloc: &Allocation,
    numbers: impl Fn(&Attempt) -> (i64, i64),
) -> (Vec<NewResult>, Vec<Standing>) {
    let tiers: HashMap<i64, &str> = alloc
        .winners
        .iter()
        .map(|w| (w.attempt.id, w.tier.as_str()))
        .collect();
    let results = alloc
        .winners
        .iter()
        .map(|w| NewResult {
            kind: ResultKind::Individual,
            position: i64::from(w.place),
            tier: w.tier.clone(),
            participant: Some(w.attempt.participant),
            unit: None,
            score: i64::from(w.attempt.score),
            duration_ms: w.attempt.duration_ms as i64,
            prediction: w.attempt.prediction,
            submitted_ms: Some(w.attempt.submitted_at_ms),
            detail: if w.tie { TIE.into() } else { String::new() },
        })
        .collect();
    let standings = ranked
        .iter()
        .map(|r| {
            let a = &r.attempt;
            let (attempt_no, attempts) = numbers(a);
            Standing {
                line: i64::from(r.position),
                place: i64::from(r.place),
                tied: r.exact_tie_with_previous
                    || ranked
                        .get(r.position as usize)
                        .is_some_and(|next| next.exact_tie_with_previous),
                participant: a.participant,
                score: i64::from(a.score),
                duration_ms: a.duration_ms as i64,
                prediction: a.prediction,
                submitted_ms: a.submitted_at_ms,
                attempt_no,
                attempts,
                tier: tiers.get(&a.id).copied().unwrap_or_default().to_owned(),
            }
        })
        .collect();
    (results, standings)
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
        prediction: None,
        submitted_ms: None,
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

/// A round's lines to rank: its submissions, or for a jury final the
/// jury's scores (one line per finalist, no time or prediction).
pub(super) async fn round_attempts(db: &Db, round: &RoundRow) -> Result<Vec<Attempt>, sqlx::Error> {
    if round.stage != RoundStage::FinalJury {
        return repo::round_submissions(db, round.id).await;
    }
    Ok(repo::jury_scores(db, round.id)
        .await?
        .into_iter()
        .map(|(participant, score, at)| Attempt {
            id: participant,
            participant,
            score: u32::try_from(score).unwrap_or(0),
            prediction: None,
            duration_ms: 0,
            submitted_at_ms: at * 1000,
        })
        .collect())
}

/// The true value of a round's prediction question, from all its hand-ins
/// (none for a jury final, which asks no prediction).
fn round_truth(contest: &ContestRow, round: &RoundRow, all: &[Attempt]) -> Option<i64> {
    let rules = round.rules(contest);
    rules
        .prediction
        .filter(|_| round.stage != RoundStage::FinalJury)
        .map(|kind| true_value(kind, all, rules.paper_size()))
}

/// How a round's lines rank: a jury final by its score alone (ties then go
/// to the tie policy); every other round by the declared criteria.
fn round_rules(contest: &ContestRow, round: &RoundRow) -> RankingRules {
    if round.stage == RoundStage::FinalJury {
        RankingRules::default()
    } else {
        contest.rules
    }
}

/// Ranks a closed round and stores the proposed winners and the whole
/// ranking (replacing an earlier run); refused once the round's results
/// are published. A final has no prizes of its own: the overall results
/// follow it.
pub async fn rank_round_batch(
    db: &Db,
    actor: Option<i64>,
    contest: &ContestRow,
    round: &RoundRow,
) -> Result<RankRun, sqlx::Error> {
    let t0 = Instant::now();
    // The tallies' query runs in the database while the submissions decode.
    let (all, tallies, decisions) = tokio::join!(
        round_attempts(db, round),
        tallies(db, contest.id, Some(round.id)),
        repo::tie_decisions(db, contest.id, round.id)
    );
    let (all, tallies, decisions) = (all?, tallies?, decisions?);
    let load_ms = t0.elapsed().as_millis();
    let t1 = Instant::now();
    let truth = round_truth(contest, round, &all);
    let counted = counted_attempts(&all, contest.counted);
    let ranked = rank(&counted, &round_rules(contest, round), truth);
    let quotas: &[Quota] = if round.stage.is_final() {
        &[]
    } else {
        &contest.round_quotas
    };
    let alloc = allocate(&ranked, &award_rules(contest, quotas, &decisions));
    let numbers = attempt_numbers(&all, &counted);
    let (mut rows, standings) = placed(&ranked, &alloc, |a| {
        let (number, total) = numbers.get(&a.id).copied().unwrap_or((0, 0));
        (i64::from(number), i64::from(total))
    });
    rows.extend(collective(&tallies, contest.collective_count as usize));
    let rank_ms = t1.elapsed().as_millis();
    let t2 = Instant::now();
    let out = RankingOutput {
        results: &rows,
        standings: &standings,
        ties: &alloc.ties,
        truth,
    };
    repo::store_results(db, actor, contest.id, Some(round.id), &out).await?;
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

/// The weekly rounds combined by the contest's declared rule: one line per
/// participant, to rank against a true value of 0 (see
/// `kehoach_contest::combine`). A round not ranked yet has no true value,
/// so its predictions count as equal.
pub(super) async fn combined(db: &Db, contest: &ContestRow) -> Result<Vec<Attempt>, sqlx::Error> {
    // Each weekly round's true value and perfect score.
    type Judged = (Option<i64>, u32);
    let weekly: HashMap<i64, Judged> = repo::rounds(db, contest.id)
        .await?
        .into_iter()
        .filter(|r| !r.stage.is_final())
        .map(|r| (r.id, (r.truth, r.rules(contest).paper_size())))
        .collect();
    let mut by_round: HashMap<i64, Vec<Attempt>> = HashMap::new();
    for (round, a) in repo::contest_submissions(db, contest.id).await? {
        if weekly.contains_key(&round) {
            by_round.entry(round).or_default().push(a);
        }
    }
    let counted: Vec<(Judged, Vec<Attempt>)> = by_round
        .into_iter()
        .map(|(round, v)| (weekly[&round], counted_attempts(&v, contest.counted)))
        .collect();
    let lines: Vec<RoundLines> = counted
        .iter()
        .map(|((truth, max_score), c)| RoundLines {
            counted: c,
            truth: *truth,
            max_score: *max_score,
        })
        .collect();
    Ok(combine(&lines, contest.qualify, &contest.rules))
}

/// The overall ranking: the final's when the contest has one (its prizes
/// are the overall prizes), otherwise the weekly rounds combined by the
/// declared rule.
pub async fn rank_overall_batch(
    db: &Db,
    actor: i64,
    contest: &ContestRow,
) -> Result<(), sqlx::Error> {
    let id = contest.id;
    let rounds = repo::rounds(db, id).await?;
    let (lines, rules, truth, min_score) = match rounds.iter().find(|r| r.stage.is_final()) {
        Some(final_round) => {
            let all = round_attempts(db, final_round).await?;
            let truth = round_truth(contest, final_round, &all);
            let lines = counted_attempts(&all, contest.counted);
            (lines, round_rules(contest, final_round), truth, 0)
        }
        None => (
            combined(db, contest).await?,
            contest.rules,
            Some(0),
            contest.min_prize_score,
        ),
    };
    let mut taken: HashMap<i64, i64> = HashMap::new();
    for (_, a) in repo::contest_submissions(db, id).await? {
        *taken.entry(a.participant).or_default() += 1;
    }
    let ranked = rank(&lines, &rules, truth);
    let decisions = repo::tie_decisions(db, id, 0).await?;
    let award = AwardRules {
        min_score: u32::try_from(min_score).unwrap_or(0),
        ..award_rules(contest, &contest.overall_quotas, &decisions)
    };
    let alloc = allocate(&ranked, &award);
    let (mut rows, standings) = placed(&ranked, &alloc, |a| {
        (0, taken.get(&a.participant).copied().unwrap_or(0))
    });
    let tallies = tallies(db, id, None).await?;
    rows.extend(collective(&tallies, contest.collective_count as usize));
    let out = RankingOutput {
        results: &rows,
        standings: &standings,
        ties: &alloc.ties,
        truth: None,
    };
    repo::store_results(db, Some(actor), id, None, &out).await
}

pub async fn rank_overall(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    if repo::is_published(&state.db, id, None).await? {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    rank_overall_batch(&state.db, user, &contest).await?;
    Ok(Redirect::to(&format!("/contests/{id}/overall")).into_response())
}
