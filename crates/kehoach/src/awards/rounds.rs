//! Rounds and results: assignment (automatic, then manual changes), the
//! round's scores with disagreement flags and normalisation, sealing at
//! close, the shortlist into the final round, and the prize decision.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{
    Allocation, EntryInfo, EntryScore, JudgeInfo, RankInput, Ranked, ScoreSheet, aggregate,
    allocate, allocate_per_category, assign, conflicts, normalised, rank, shortlist_per_category,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::EditionRow;
use super::domain::TIE_RULES;
use super::office::office_edition;
use super::repo::{self, AwardError, EntryKey, EntryRow, JudgeRow, PrizeRow, RoundRow, ScoreRow};
use super::states::{EditionStatus, EntryStatus, RoundStatus};
use super::view;
use crate::app::AppState;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, HtmlForm, render};

/// A stable number for a person, from their folded real name, so that a
/// judge who co-authored an entry is caught as a conflict.
fn person(name: &str) -> i64 {
    let d = Sha256::digest(kehoach_plan::fold(name).as_bytes());
    i64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

fn fold_opt(s: &str) -> Option<String> {
    Some(kehoach_plan::fold(s)).filter(|s| !s.is_empty())
}

pub fn entry_info(e: &EntryRow) -> EntryInfo {
    EntryInfo {
        id: e.id,
        category: e.category.clone(),
        outlet: fold_opt(&e.outlet),
        authors: e.authors.iter().map(|a| person(&a.real_name)).collect(),
    }
}

/// A judge as the assignment rules see them; in the final round every
/// member of the final council judges every category.
pub fn judge_info(j: &JudgeRow, edition: &EditionRow, final_round: bool) -> JudgeInfo {
    JudgeInfo {
        id: j.user_id,
        categories: if final_round {
            edition.categories.iter().map(|c| c.key.clone()).collect()
        } else {
            j.categories.clone()
        },
        outlet: fold_opt(&j.outlet),
        person: Some(person(&j.name)),
        declared_conflicts: j.declared.clone(),
    }
}

fn council(judges: &[JudgeRow], round: &RoundRow) -> Vec<JudgeRow> {
    judges
        .iter()
        .filter(|j| !round.is_final() || j.final_council)
        .cloned()
        .collect()
}

/// Scores of a round turned into the rules' sheets.
fn sheets(scores: &[ScoreRow]) -> Vec<ScoreSheet> {
    scores
        .iter()
        .map(|s| ScoreSheet {
            entry: s.entry_id,
            judge: s.judge_id,
            marks: s.marks.clone(),
        })
        .collect()
}

/// Everything computed from a round's scores.
pub struct Tally {
    pub scores: Vec<EntryScore>,
    pub normalised: HashMap<i64, f64>,
    pub ranked: Vec<Ranked>,
}

pub fn tally(edition: &EditionRow, scores: &[ScoreRow], entries: &[EntryKey]) -> Tally {
    let sheets = sheets(scores);
    let criteria = edition.criteria();
    let agg = aggregate(&sheets, &criteria, edition.disagreement);
    let created: HashMap<i64, i64> = entries.iter().map(|e| (e.id, e.created_at)).collect();
    let inputs: Vec<RankInput> = agg
        .iter()
        .map(|s| RankInput::from_score(s, created.get(&s.entry).copied().unwrap_or(0) * 1000))
        .collect();
    Tally {
        ranked: rank(&inputs, &TIE_RULES),
        normalised: normalised(&sheets, &criteria),
        scores: agg,
    }
}

async fn round_of(state: &AppState, edition: i64, round: i64) -> AppResult<RoundRow> {
    repo::round(&state.db, round)
        .await?
        .filter(|r| r.edition_id == edition)
        .ok_or(AppError::NotFound)
}

/// One entry's line on the round page.
pub struct Line {
    pub entry: EntryRow,
    pub judges: Vec<(String, bool, Vec<String>, Option<String>)>,
    pub mean: String,
    pub normalised: String,
    pub flagged: bool,
    pub shortfall: bool,
    pub position: String,
}

#[derive(Template)]
#[template(path = "awards/templates/round.html")]
struct RoundPage {
    ctx: Ctx,
    edition: EditionRow,
    round: RoundRow,
    lines: Vec<Line>,
    judges: Vec<JudgeRow>,
    loads: Vec<(String, usize)>,
    scored: usize,
    expected: usize,
    shortlist: Vec<String>,
}

pub async fn page(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    let all = repo::entries(&state.db, id).await?;
    let in_round: HashSet<i64> = repo::round_entries(&state.db, round.id)
        .await?
        .into_iter()
        .collect();
    let entries: Vec<EntryRow> = all
        .into_iter()
        .filter(|e| in_round.contains(&e.id))
        .collect();
    let judges = council(&repo::judges(&state.db, id).await?, &round);
    let assignments = repo::assignments(&state.db, round.id).await?;
    let scores = repo::scores(&state.db, round.id).await?;
    let keys: Vec<EntryKey> = entries.iter().map(EntryKey::from).collect();
    let t = tally(&edition, &scores, &keys);
    let names: HashMap<i64, &JudgeRow> = judges.iter().map(|j| (j.user_id, j)).collect();
    let mut by_entry: HashMap<i64, Vec<(i64, bool)>> = HashMap::new();
    for a in &assignments {
        by_entry
            .entry(a.entry_id)
            .or_default()
            .push((a.judge_id, a.is_manual()));
    }
    let sheet_total: HashMap<(i64, i64), String> = scores
        .iter()
        .map(|s| ((s.entry_id, s.judge_id), view::milli(s.total_milli)))
        .collect();
    let score_of: HashMap<i64, &EntryScore> = t.scores.iter().map(|s| (s.entry, s)).collect();
    let rank_of: HashMap<i64, &Ranked> = t.ranked.iter().map(|r| (r.entry, r)).collect();
    let mut lines = Vec::new();
    for e in &entries {
        let info = entry_info(e);
        let mut js = Vec::new();
        for (judge, manual) in by_entry.get(&e.id).into_iter().flatten() {
            let score = sheet_total.get(&(e.id, *judge)).cloned();
            let (name, reasons) = match names.get(judge) {
                Some(j) => (
                    j.name.clone(),
                    conflicts(&info, &judge_info(j, &edition, round.is_final()))
                        .iter()
                        .map(|r| format!("{r:?}"))
                        .collect(),
                ),
                None => (format!("#{judge}"), vec![]),
            };
            js.push((name, *manual, reasons, score));
        }
        let score = score_of.get(&e.id);
        let ranked = rank_of.get(&e.id);
        lines.push(Line {
            shortfall: js.len() < edition.judges_per_entry,
            judges: js,
            mean: score.map(|s| format!("{:.2}", s.mean)).unwrap_or_default(),
            normalised: t
                .normalised
                .get(&e.id)
                .map(|n| format!("{n:.2}"))
                .unwrap_or_default(),
            flagged: score.is_some_and(|s| s.flagged),
            position: ranked
                .map(|r| format!("{}{}", r.position, if r.tied { "=" } else { "" }))
                .unwrap_or_default(),
            entry: e.clone(),
        });
    }
    let mut loads: BTreeMap<i64, usize> = BTreeMap::new();
    for a in &assignments {
        *loads.entry(a.judge_id).or_default() += 1;
    }
    let loads = loads
        .into_iter()
        .map(|(j, n)| (names.get(&j).map(|j| j.name.clone()).unwrap_or_default(), n))
        .collect();
    let shortlist = if round.is_final() {
        vec![]
    } else {
        let codes: HashMap<i64, &str> = entries.iter().map(|e| (e.id, e.code.as_str())).collect();
        shortlisted(&edition, &t, &keys)?
            .iter()
            .filter_map(|id| codes.get(id).map(|c| (*c).to_owned()))
            .collect()
    };
    let page = RoundPage {
        expected: assignments.len(),
        scored: scores.len(),
        lines,
        judges,
        loads,
        shortlist,
        edition,
        round,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

fn shortlisted(
    edition: &EditionRow,
    t: &Tally,
    entries: &[EntryKey],
) -> Result<Vec<i64>, AwardError> {
    let categories: HashMap<i64, String> =
        entries.iter().map(|e| (e.id, e.category.clone())).collect();
    let per = shortlist_per_category(&t.ranked, &categories, edition.shortlist)?;
    Ok(per.into_values().flatten().collect())
}

/// Opens a round: the preliminary round takes every accepted entry, the
/// final round the preliminary shortlist; judges are assigned automatically.
pub async fn open(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    match open_round(&state.db, user, &edition, &round).await {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response()),
        Err(AwardError::Refused(key)) => Err(AppError::BadRequest(ctx.t(key))),
        Err(e) => Err(e.into()),
    }
}

/// What opening a round did, and how long the assignment itself took.
#[derive(Debug, Clone)]
pub struct OpenRun {
    pub entries: usize,
    pub judges: usize,
    pub pairs: usize,
    pub shortfalls: usize,
    pub assign_ms: f64,
}

/// Opens `round`; a refusal is [`AwardError::Refused`] with the Fluent key
/// of its message.
pub async fn open_round(
    db: &Db,
    user: i64,
    edition: &EditionRow,
    round: &RoundRow,
) -> Result<OpenRun, AwardError> {
    if round.status != RoundStatus::Pending {
        return Err(AwardError::Refused("err-award-round-state"));
    }
    // Entries stop changing before anyone judges them.
    if edition.status != EditionStatus::Judging {
        return Err(AwardError::Refused("err-award-not-judging"));
    }
    let all = repo::entries(db, edition.id).await?;
    let entries: Vec<EntryRow> = if round.is_final() {
        let rounds = repo::rounds(db, edition.id).await?;
        let Some(prelim) = rounds
            .iter()
            .find(|r| !r.is_final())
            .filter(|r| r.status == RoundStatus::Closed)
        else {
            return Err(AwardError::Refused("err-award-prelim-open"));
        };
        let in_prelim: HashSet<i64> = repo::round_entries(db, prelim.id)
            .await?
            .into_iter()
            .collect();
        let prelim_entries: Vec<EntryKey> = all
            .iter()
            .filter(|e| in_prelim.contains(&e.id))
            .map(EntryKey::from)
            .collect();
        let scores = repo::scores(db, prelim.id).await?;
        let chosen: HashSet<i64> = shortlisted(
            edition,
            &tally(edition, &scores, &prelim_entries),
            &prelim_entries,
        )?
        .into_iter()
        .collect();
        all.into_iter().filter(|e| chosen.contains(&e.id)).collect()
    } else {
        all.into_iter()
            .filter(|e| e.status == EntryStatus::Accepted)
            .collect()
    };
    if entries.is_empty() {
        return Err(AwardError::Refused("err-award-no-entries"));
    }
    let judges = council(&repo::judges(db, edition.id).await?, round);
    let infos: Vec<EntryInfo> = entries.iter().map(entry_info).collect();
    let judge_infos: Vec<JudgeInfo> = judges
        .iter()
        .map(|j| judge_info(j, edition, round.is_final()))
        .collect();
    let started = std::time::Instant::now();
    let assignment = assign(&infos, &judge_infos, edition.judges_per_entry, &[]);
    let assign_ms = started.elapsed().as_secs_f64() * 1000.0;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    match repo::open_round(db, user, round.id, &ids, &assignment.pairs).await {
        Err(AwardError::RoundState) => return Err(AwardError::Refused("err-award-round-state")),
        other => other?,
    }
    Ok(OpenRun {
        entries: ids.len(),
        judges: judges.len(),
        pairs: assignment.pairs.len(),
        shortfalls: assignment.shortfalls.len(),
        assign_ms,
    })
}

#[derive(Deserialize)]
pub struct AssignForm {
    code: String,
    judge: i64,
    action: String,
}

/// A manual change; it is kept even when it conflicts, and the round page
/// shows the conflict beside the judge's name.
pub async fn reassign(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<AssignForm>,
) -> AppResult<Response> {
    let (user, _) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    if round.status != RoundStatus::Open {
        return Err(AppError::BadRequest(ctx.t("err-award-round-state")));
    }
    let in_round = repo::round_entries(&state.db, round.id).await?;
    let entry = repo::entries(&state.db, id)
        .await?
        .into_iter()
        .find(|e| e.code.eq_ignore_ascii_case(form.code.trim()) && in_round.contains(&e.id))
        .ok_or_else(|| AppError::BadRequest(ctx.t("err-award-code")))?;
    let council = council(&repo::judges(&state.db, id).await?, &round);
    if !council.iter().any(|j| j.user_id == form.judge) {
        return Err(AppError::NotFound);
    }
    let add = form.action == "add";
    repo::change_assignment(&state.db, user, round.id, entry.id, form.judge, add).await?;
    Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response())
}

/// Closes a round and seals its score log; a log that does not check out
/// is never sealed.
pub async fn close(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (user, _) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    match repo::close_round(&state.db, user, round.id).await {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response()),
        Err(AwardError::RoundState) => Err(AppError::BadRequest(ctx.t("err-award-round-state"))),
        Err(AwardError::Broken(why)) => Err(AppError::Internal(anyhow::anyhow!(
            "score log of round {} fails: {why}",
            round.id
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The seal check of `kehoach_award` on what is stored now: the seal when
/// the round checks out, [`AwardError::Broken`] when it does not.
pub async fn verified_seal(db: &Db, round: i64) -> Result<String, AwardError> {
    let log = repo::score_log(db, round).await?;
    let scores = repo::scores(db, round).await?;
    Ok(kehoach_award::check_round(
        &log,
        scores.iter().map(ScoreRow::kept),
    )?)
}

// ----------------------------------------------------------------- results

#[derive(Template)]
#[template(path = "awards/templates/results.html")]
struct ResultsPage {
    ctx: Ctx,
    edition: EditionRow,
    rows: Vec<(PrizeRow, EntryRow)>,
    final_round: Option<RoundRow>,
    ties: Vec<String>,
    unfilled: Vec<(String, u32)>,
    error: Option<String>,
}

impl ResultsPage {
    fn tier_names(&self) -> Vec<String> {
        self.edition.tiers.iter().map(|t| t.name.clone()).collect()
    }
}

pub async fn results(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    results_page(&state, ctx, edition, None, None).await
}

async fn results_page(
    state: &AppState,
    ctx: Ctx,
    edition: EditionRow,
    alloc: Option<Vec<Allocation>>,
    error: Option<String>,
) -> AppResult<Response> {
    let entries: HashMap<i64, EntryRow> = repo::entries(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let rows = repo::prizes(&state.db, edition.id)
        .await?
        .into_iter()
        .filter_map(|p| entries.get(&p.entry_id).cloned().map(|e| (p, e)))
        .collect();
    let final_round = repo::rounds(&state.db, edition.id)
        .await?
        .into_iter()
        .find(RoundRow::is_final);
    let (ties, unfilled) = match alloc {
        Some(a) => (
            a.iter()
                .flat_map(|x| x.ties_for_council.iter())
                .map(|g| {
                    g.iter()
                        .filter_map(|id| entries.get(id).map(|e| e.code.clone()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect(),
            a.iter().flat_map(|x| x.unfilled.clone()).collect(),
        ),
        None => (vec![], vec![]),
    };
    let page = ResultsPage {
        ctx,
        edition,
        rows,
        final_round,
        ties,
        unfilled,
        error,
    };
    Ok(render(&page)?.into_response())
}

/// Ranks the closed final round and allocates prizes by the edition's
/// quotas and tie policy; the council's later decisions start from this.
pub async fn compute(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let round = repo::rounds(&state.db, id)
        .await?
        .into_iter()
        .find(|r| r.is_final() && r.status == RoundStatus::Closed)
        .ok_or_else(|| AppError::BadRequest(ctx.t("err-award-final-open")))?;
    if edition.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-award-published-results")));
    }
    let (allocations, _) = compute_results(&state.db, user, &edition, &round).await?;
    results_page(&state, ctx, edition, Some(allocations), None).await
}

/// How long computing a round's results took: loading its scores and
/// entries, ranking and allocating, storing the result rows.
#[derive(Debug, Clone)]
pub struct ComputeRun {
    pub sheets: usize,
    pub ranked: usize,
    pub load_ms: f64,
    pub compute_ms: f64,
    pub store_ms: f64,
}

/// Ranks `round` and stores the edition's computed prizes.
pub async fn compute_results(
    db: &Db,
    user: i64,
    edition: &EditionRow,
    round: &RoundRow,
) -> AppResult<(Vec<Allocation>, ComputeRun)> {
    let ms = |t: std::time::Instant| t.elapsed().as_secs_f64() * 1000.0;
    let started = std::time::Instant::now();
    let in_round: HashSet<i64> = repo::round_entries(db, round.id)
        .await?
        .into_iter()
        .collect();
    let entries: Vec<EntryKey> = repo::entry_keys(db, edition.id)
        .await?
        .into_iter()
        .filter(|e| in_round.contains(&e.id))
        .collect();
    let scores = repo::scores(db, round.id).await?;
    let load_ms = ms(started);
    let started = std::time::Instant::now();
    let t = tally(edition, &scores, &entries);
    let allocations = allocations(edition, &t, &entries)?;
    let tiers: HashMap<i64, &str> = allocations
        .iter()
        .flat_map(|a| a.awards.iter().map(|(e, t)| (*e, t.as_str())))
        .collect();
    let means: HashMap<i64, f64> = t.scores.iter().map(|s| (s.entry, s.mean)).collect();
    let rows: Vec<PrizeRow> = t
        .ranked
        .iter()
        .map(|r| {
            let tier = tiers.get(&r.entry).copied().unwrap_or_default().to_owned();
            PrizeRow {
                entry_id: r.entry,
                position: r.position as i64,
                mean_milli: kehoach_award::to_milli(means.get(&r.entry).copied().unwrap_or(0.0)),
                computed_tier: tier.clone(),
                forwarded: false,
                tier,
                reason: String::new(),
            }
        })
        .collect();
    let compute_ms = ms(started);
    let started = std::time::Instant::now();
    // Recomputing keeps what the council has already decided.
    let decided: HashMap<i64, PrizeRow> = repo::prizes(db, edition.id)
        .await?
        .into_iter()
        .filter(|p| p.overridden() || p.forwarded)
        .map(|p| (p.entry_id, p))
        .collect();
    let rows: Vec<PrizeRow> = rows
        .into_iter()
        .map(|mut r| {
            if let Some(d) = decided.get(&r.entry_id) {
                r.tier = d.tier.clone();
                r.reason = d.reason.clone();
                r.forwarded = d.forwarded;
            }
            r
        })
        .collect();
    repo::save_prizes(db, user, edition.id, &rows).await?;
    let run = ComputeRun {
        sheets: scores.len(),
        ranked: rows.len(),
        load_ms,
        compute_ms,
        store_ms: ms(started),
    };
    Ok((allocations, run))
}

fn allocations(
    edition: &EditionRow,
    t: &Tally,
    entries: &[EntryKey],
) -> AppResult<Vec<Allocation>> {
    if !edition.per_category_prizes {
        return Ok(vec![allocate(
            &t.ranked,
            &edition.tiers,
            edition.overflow,
            edition.tie_policy,
        )]);
    }
    let categories: HashMap<i64, String> =
        entries.iter().map(|e| (e.id, e.category.clone())).collect();
    let tiers = edition
        .categories
        .iter()
        .map(|c| (c.key.clone(), edition.tiers.clone()))
        .collect();
    Ok(allocate_per_category(
        &t.ranked,
        &categories,
        &tiers,
        edition.overflow,
        edition.tie_policy,
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e:?}")))?
    .into_values()
    .collect())
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    tier: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    forwarded: Option<String>,
}

/// A council decision on one entry; changing the computed tier needs a
/// written reason, which the minutes then record.
pub async fn decide(
    state: AppState,
    ctx: Ctx,
    Path((id, entry)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<DecideForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let current = repo::prizes(&state.db, id)
        .await?
        .into_iter()
        .find(|p| p.entry_id == entry)
        .ok_or(AppError::NotFound)?;
    let tier = form.tier.trim();
    if !tier.is_empty() && !edition.tiers.iter().any(|t| t.name == tier) {
        return Err(AppError::BadRequest(ctx.t("err-award-tier")));
    }
    let reason = form.reason.trim();
    if tier != current.computed_tier && reason.is_empty() {
        let msg = ctx.t("err-award-override-reason");
        return results_page(&state, ctx, edition, None, Some(msg)).await;
    }
    repo::decide(
        &state.db,
        user,
        id,
        entry,
        tier,
        reason,
        form.forwarded.is_some(),
    )
    .await?;
    Ok(Redirect::to(&format!("/awards/{id}/results")).into_response())
}
