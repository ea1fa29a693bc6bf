//! Opening a round with its automatic assignment, and the secretariat's
//! manual changes to it.

use std::collections::HashSet;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{EntryInfo, JudgeInfo, SealKey, assign};
use serde::Deserialize;

use super::{council, entry_info, judge_info, round_of, shortlisted, tally};
use crate::awards::domain::FinalJudges;
use crate::awards::office::office_edition;
use crate::awards::repo::{self, AwardError, EntryKey, EntryRow, RoundRow};
use crate::awards::states::{EditionStatus, EntryStatus, RoundStatus};
use crate::awards::{EditionRow, Services};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm};

/// Opens a round: the preliminary round takes every accepted entry, the
/// final round the preliminary shortlist; judges are assigned automatically.
pub async fn open(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let round = round_of(&state, id, round).await?;
    let key = svc.seal_key()?;
    match open_round(&state.db, key, user, &edition, &round).await {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response()),
        Err(AwardError::Refused(msg)) => Err(AppError::BadRequest(ctx.t(msg))),
        Err(AwardError::Unsealed { round: prelim, why }) => {
            let prelim = repo::round(&state.db, prelim)
                .await?
                .ok_or(AppError::NotFound)?;
            Err(AppError::BadRequest(super::closing::seal_message(
                &ctx, &prelim, &why,
            )))
        }
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
    key: &SealKey,
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
        // The shortlist rests on the preliminary round's sealed scores.
        if let Err(why) = super::verified_seal(db, key, edition, prelim).await {
            return Err(match why {
                AwardError::Db(e) => AwardError::Db(e),
                why => AwardError::Unsealed {
                    round: prelim.id,
                    why: Box::new(why),
                },
            });
        }
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
    let outlets = edition.outlet_directory();
    let infos: Vec<EntryInfo> = entries.iter().map(|e| entry_info(e, &outlets)).collect();
    let judge_infos: Vec<JudgeInfo> = judges
        .iter()
        .map(|j| judge_info(j, edition, &outlets, round.is_final()))
        .collect();
    let started = std::time::Instant::now();
    let k = match (round.is_final(), edition.final_judges) {
        (true, FinalJudges::WholeCouncil) => judges.len(),
        (true, FinalJudges::Count(n)) => n,
        _ => edition.judges_per_entry,
    };
    let assignment = assign(&infos, &judge_infos, k, &[]);
    let assign_ms = started.elapsed().as_secs_f64() * 1000.0;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    match repo::open_round(db, key, user, round.id, &ids, &assignment.pairs).await {
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
    svc: Services,
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
    let key = svc.seal_key()?;
    repo::change_assignment(&state.db, key, user, round.id, entry.id, form.judge, add).await?;
    Ok(Redirect::to(&format!("/awards/{id}/rounds/{}", round.id)).into_response())
}
