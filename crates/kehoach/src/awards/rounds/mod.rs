//! Rounds and results: assignment (automatic, then manual changes), the
//! round's scores with disagreement flags and normalisation, sealing at
//! close, the shortlist into the final round, and the prize decision.

mod closing;
mod opening;
mod page;
mod results;
mod verify;
pub use closing::{close, require_seal, verified_seal, verify_round};
pub use opening::{AssignForm, OpenRun, open, open_round, reassign};
pub use page::{Line, page};
pub use results::{ComputeRun, DecideForm, compute, compute_results, decide, results};
pub use verify::verify_all;

use std::collections::HashMap;

use kehoach_award::{
    EntryInfo, EntryScore, JudgeInfo, RankInput, Ranked, ScoreSheet, aggregate, normalised, rank,
    shortlist_per_category,
};
use sha2::{Digest, Sha256};

use super::EditionRow;
use super::domain::Outlets;
use super::repo::{self, AwardError, EntryKey, EntryRow, JudgeRow, RoundRow, ScoreRow};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A stable number for a person, from their name's identity key, so that a
/// judge who co-authored an entry is caught as a conflict.
fn person(name: &str) -> i64 {
    let d = Sha256::digest(kehoach_award::person_key(name).as_bytes());
    i64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// An entry as the assignment rules see it; outlets compare through the
/// edition's directory, so one agency's names are one outlet.
pub fn entry_info(e: &EntryRow, outlets: &Outlets) -> EntryInfo {
    EntryInfo {
        id: e.id,
        category: e.category.clone(),
        outlet: outlets.key(&e.outlet),
        authors: e.authors.iter().map(|a| person(&a.real_name)).collect(),
    }
}

/// A judge as the assignment rules see them; in the final round every
/// member of the final council judges every category.
pub fn judge_info(
    j: &JudgeRow,
    edition: &EditionRow,
    outlets: &Outlets,
    final_round: bool,
) -> JudgeInfo {
    JudgeInfo {
        id: j.user_id,
        categories: if final_round {
            edition.categories.iter().map(|c| c.key.clone()).collect()
        } else {
            j.categories.clone()
        },
        outlet: outlets.key(&j.outlet),
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
        ranked: rank(&inputs, &edition.tie_rules),
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

fn shortlisted(
    edition: &EditionRow,
    t: &Tally,
    entries: &[EntryKey],
) -> Result<Vec<i64>, AwardError> {
    let categories: HashMap<i64, String> =
        entries.iter().map(|e| (e.id, e.category.clone())).collect();
    let per = shortlist_per_category(
        &t.ranked,
        &categories,
        edition.shortlist,
        &edition.shortlist_quotas,
    )?;
    Ok(per.into_values().flatten().collect())
}
