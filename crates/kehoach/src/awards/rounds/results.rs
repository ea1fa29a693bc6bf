//! Results: ranking the final round, allocating prizes by quota, and the
//! council's decisions on them.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{Allocation, allocate, allocate_per_category};
use serde::Deserialize;

use super::{Tally, tally};
use crate::awards::office::office_edition;
use crate::awards::repo::{self, EntryKey, EntryRow, PrizeRow, RoundRow};
use crate::awards::states::RoundStatus;
use crate::awards::{EditionRow, Services};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm, render};

/// A work holding a topic prize: code, title, the council's reason.
type TopicWork = (String, String, String);

#[derive(Template)]
#[template(path = "awards/templates/results.html")]
struct ResultsPage {
    ctx: Ctx,
    edition: EditionRow,
    rows: Vec<(PrizeRow, EntryRow)>,
    final_round: Option<RoundRow>,
    /// The stored notices of the last computation, as sentences.
    notices: Vec<String>,
    /// Each topic prize with the works holding it.
    topics: Vec<(String, u32, Vec<TopicWork>)>,
    /// Each tier with how many works hold it and, when the council decided
    /// not to award it, the reason.
    tiers: Vec<(String, usize, Option<String>)>,
    error: Option<String>,
}

impl ResultsPage {
    fn tier_names(&self) -> Vec<String> {
        self.edition.tiers.iter().map(|t| t.name.clone()).collect()
    }
}

pub async fn results(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    results_page(&state, ctx, edition, None).await
}

async fn results_page(
    state: &AppState,
    ctx: Ctx,
    edition: EditionRow,
    error: Option<String>,
) -> AppResult<Response> {
    let entries: HashMap<i64, EntryRow> = repo::entries(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let rows: Vec<(PrizeRow, EntryRow)> = repo::prizes(&state.db, edition.id)
        .await?
        .into_iter()
        .filter_map(|p| entries.get(&p.entry_id).cloned().map(|e| (p, e)))
        .collect();
    let not_awarded = repo::not_awarded(&state.db, edition.id).await?;
    let tiers = edition
        .tiers
        .iter()
        .map(|t| {
            let holding = rows.iter().filter(|(p, _)| p.tier == t.name).count();
            let decided = not_awarded.iter().find(|n| n.tier == t.name);
            (t.name.clone(), holding, decided.map(|n| n.reason.clone()))
        })
        .collect();
    let final_round = repo::rounds(&state.db, edition.id)
        .await?
        .into_iter()
        .find(RoundRow::is_final);
    let codes: HashMap<i64, String> = entries.values().map(|e| (e.id, e.code.clone())).collect();
    let notices = repo::notices(&state.db, edition.id)
        .await?
        .iter()
        .map(|n| n.text(&ctx.tr, &codes))
        .collect();
    let held = repo::topic_awards(&state.db, edition.id).await?;
    let topics = edition
        .topic_prizes
        .iter()
        .map(|t| {
            let works = held
                .iter()
                .filter(|h| h.topic == t.name)
                .filter_map(|h| {
                    let e = entries.get(&h.entry_id)?;
                    Some((e.code.clone(), e.title.clone(), h.reason.clone()))
                })
                .collect();
            (t.name.clone(), t.quota, works)
        })
        .collect();
    let page = ResultsPage {
        ctx,
        edition,
        rows,
        final_round,
        notices,
        topics,
        tiers,
        error,
    };
    Ok(render(&page)?.into_response())
}

/// Ranks the closed final round and allocates prizes by the edition's
/// quotas and tie policy; the council's later decisions start from this.
pub async fn compute(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let round = repo::rounds(&state.db, id)
        .await?
        .into_iter()
        .find(|r| r.is_final() && r.status == RoundStatus::Closed)
        .ok_or_else(|| AppError::BadRequest(ctx.t("err-award-final-open")))?;
    if edition.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-award-published-results")));
    }
    // The results rest on the final round's seal (and so do exports).
    super::require_seal(&state.db, svc.seal_key()?, &ctx, &edition, &round).await?;
    compute_results(&state.db, user, &edition, &round).await?;
    // Back to the page by GET, so that reloading it does not compute again.
    Ok(Redirect::to(&format!("/awards/{id}/results")).into_response())
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
    // Recomputing keeps what the council has already decided, except a
    // change the new computation made moot (its tier is now the computed
    // one): its reason would otherwise stand in the papers for nothing.
    let decided: HashMap<i64, PrizeRow> = repo::prizes(db, edition.id)
        .await?
        .into_iter()
        .filter(|p| p.overridden() || p.forwarded)
        .map(|p| (p.entry_id, p))
        .collect();
    // A tier the council decided not to award stays empty: a work the
    // computation places there is left without it, the decision as reason.
    let not_awarded: HashMap<String, String> = repo::not_awarded(db, edition.id)
        .await?
        .into_iter()
        .map(|n| (n.tier, n.reason))
        .collect();
    let rows: Vec<PrizeRow> = rows
        .into_iter()
        .map(|mut r| {
            if let Some(d) = decided.get(&r.entry_id) {
                if d.tier != r.computed_tier {
                    r.tier = d.tier.clone();
                    r.reason = d.reason.clone();
                }
                r.forwarded = d.forwarded;
            }
            if let Some(why) = not_awarded.get(&r.tier) {
                r.reason = crate::awards::tiers::not_awarded_line(&r.tier, why);
                r.tier = String::new();
            }
            r
        })
        .collect();
    let notices = crate::awards::notices::from_allocations(&allocations);
    repo::save_prizes(db, user, edition.id, &rows, &notices).await?;
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
    if repo::not_awarded(&state.db, id)
        .await?
        .iter()
        .any(|n| n.tier == tier)
    {
        return Err(AppError::BadRequest(ctx.t("err-award-tier-not-awarded")));
    }
    let reason = form.reason.trim();
    if tier != current.computed_tier && reason.is_empty() {
        let msg = ctx.t("err-award-override-reason");
        return results_page(&state, ctx, edition, Some(msg)).await;
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
