//! Judges' progress in a round: how many of their sheets are in, and a
//! reminder the secretariat sends to a judge who is behind (an in-app notice
//! and, when the judge has an address, an e-mail), each one audited.

use std::collections::HashMap;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::office::office_edition;
use super::repo::{self, AssignmentRow, JudgeRow, ScoreRow};
use super::states::RoundStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm};

/// One judge's sheets in a round.
pub struct JudgeProgress {
    pub judge_id: i64,
    pub name: String,
    pub scored: usize,
    pub assigned: usize,
}

impl JudgeProgress {
    pub fn behind(&self) -> bool {
        self.scored < self.assigned
    }
}

/// Each judge with assigned entries, the furthest behind first.
pub fn progress(
    judges: &[JudgeRow],
    assignments: &[AssignmentRow],
    scores: &[ScoreRow],
) -> Vec<JudgeProgress> {
    let mut assigned: HashMap<i64, usize> = HashMap::new();
    for a in assignments {
        *assigned.entry(a.judge_id).or_default() += 1;
    }
    let mut scored: HashMap<i64, usize> = HashMap::new();
    for s in scores {
        *scored.entry(s.judge_id).or_default() += 1;
    }
    let mut out: Vec<JudgeProgress> = judges
        .iter()
        .filter_map(|j| {
            let assigned = *assigned.get(&j.user_id)?;
            Some(JudgeProgress {
                judge_id: j.user_id,
                name: j.name.clone(),
                scored: scored.get(&j.user_id).copied().unwrap_or(0),
                assigned,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (b.assigned - b.scored.min(b.assigned))
            .cmp(&(a.assigned - a.scored.min(a.assigned)))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

#[derive(Deserialize)]
pub struct RemindForm {
    judge: i64,
}

pub async fn remind(
    state: AppState,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<RemindForm>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let round = repo::round(&state.db, round)
        .await?
        .filter(|r| r.edition_id == id)
        .ok_or(AppError::NotFound)?;
    if round.status != RoundStatus::Open {
        return Err(AppError::BadRequest(ctx.t("err-award-remind-closed")));
    }
    let judges = repo::judges(&state.db, id).await?;
    let line = progress(
        &judges,
        &repo::assignments(&state.db, round.id).await?,
        &repo::scores(&state.db, round.id).await?,
    )
    .into_iter()
    .find(|p| p.judge_id == form.judge)
    .ok_or(AppError::NotFound)?;
    if !line.behind() {
        return Err(AppError::BadRequest(ctx.t("err-award-remind-done")));
    }
    let stage = if round.is_final() {
        "Chung khảo"
    } else {
        "Sơ khảo"
    };
    let text = format!(
        "Nhắc chấm: {} – vòng {stage}: anh/chị đã chấm {}/{} tác phẩm.",
        edition.title, line.scored, line.assigned
    );
    let link = "/giai/cham";
    let email =
        repo::remind_judge(&state.db, user, id, round.id, line.judge_id, &text, link).await?;
    if let Some(address) = email {
        // The notice is stored; a mail server that refuses is logged, not
        // the secretariat's problem at this moment.
        match crate::mail::Mailer::from_settings(&state.settings) {
            Ok(mailer) => {
                let body = format!("{text}\r\n\r\n{link}\r\n");
                if let Err(e) = mailer.send(&address, &line.name, &text, &body).await {
                    tracing::warn!(error = ?e, "judge reminder e-mail failed");
                }
            }
            Err(e) => tracing::warn!(error = ?e, "mail settings"),
        }
    }
    Ok(Redirect::to(&format!(
        "/awards/{id}/rounds/{}?nhac={}#progress",
        round.id, line.judge_id
    ))
    .into_response())
}
