//! The round page: each entry with its judges, conflicts, scores,
//! disagreement flags and position, the judges' loads and the shortlist.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use kehoach_award::{EntryScore, Ranked, conflicts};
use serde::Deserialize;

use super::{council, entry_info, judge_info, round_of, shortlisted, tally};
use crate::awards::EditionRow;
use crate::awards::office::office_edition;
use crate::awards::progress::{JudgeProgress, progress};
use crate::awards::repo::{self, EntryKey, EntryRow, JudgeRow, RoundRow};
use crate::awards::states::RoundStatus;
use crate::awards::view;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, render};

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
    /// Each judge's sheets in, the furthest behind first.
    progress: Vec<JudgeProgress>,
    /// The judge just reminded, to confirm it.
    reminded: Option<String>,
    scored: usize,
    expected: usize,
    shortlist: Vec<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// The judge a reminder was just sent to.
    nhac: Option<i64>,
}

pub async fn page(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<PageQuery>,
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
    // Positions as the round decides: within each sub-council where the
    // shortlist (or the prizes) are per category, overall otherwise.
    let per_category = !round.is_final() || edition.per_category_prizes;
    let categories: HashMap<i64, String> =
        entries.iter().map(|e| (e.id, e.category.clone())).collect();
    let regrouped: Vec<Ranked> = match kehoach_award::group_by_category(&t.ranked, &categories) {
        Ok(groups) if per_category => groups.into_values().flatten().collect(),
        _ => t.ranked.clone(),
    };
    let rank_of: HashMap<i64, &Ranked> = regrouped.iter().map(|r| (r.entry, r)).collect();
    let mut lines = Vec::new();
    let outlets = edition.outlet_directory();
    for e in &entries {
        let info = entry_info(e, &outlets);
        let mut js = Vec::new();
        for (judge, manual) in by_entry.get(&e.id).into_iter().flatten() {
            let score = sheet_total.get(&(e.id, *judge)).cloned();
            let (name, reasons) = match names.get(judge) {
                Some(j) => (
                    j.name.clone(),
                    conflicts(&info, &judge_info(j, &edition, &outlets, round.is_final()))
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
    let progress = progress(&judges, &assignments, &scores);
    let reminded = q
        .nhac
        .and_then(|j| progress.iter().find(|p| p.judge_id == j))
        .map(|p| p.name.clone());
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
        progress,
        reminded,
        shortlist,
        edition,
        round,
        ctx,
    };
    Ok(render(&page)?.into_response())
}
