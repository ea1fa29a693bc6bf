//! The office's rounds: adding a round or a weekly series (each round may
//! set its own time limit, paper, attempt policy and prediction question),
//! and ending an open round early.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_contest::AttemptPolicy;
use serde::Deserialize;

use super::find_contest;
use super::office::overview_page;
use super::paper;
use super::repo::{self, NewRound, RoundOwn};
use super::states::{PolicyChoice, PredictionSetting, RoundStage};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, HtmlForm, dates};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) opens: String,
    #[serde(default)]
    pub(super) closes: String,
    #[serde(default)]
    pub(super) stage: String,
    /// "Repeat weekly N times": N rounds, a week apart.
    #[serde(default)]
    pub(super) repeat: String,
    // The round's own settings; blank is the contest's.
    #[serde(default)]
    pub(super) time_limit_minutes: String,
    #[serde(default)]
    pub(super) question_set: String,
    #[serde(default)]
    pub(super) attempt_policy: String,
    #[serde(default)]
    pub(super) max_attempts: String,
    #[serde(default)]
    pub(super) prediction: String,
}

impl RoundForm {
    /// The round as typed, repeated weekly as asked (a final is one round).
    fn parse(&self) -> Result<Vec<NewRound>, &'static str> {
        let first = self.parse_one()?;
        let repeat = match crate::text::non_blank(&self.repeat) {
            None => 1,
            Some(n) => crate::text::number(n, 1..=52, "err-contest-repeat")?,
        };
        if repeat > 1 && first.stage.is_final() {
            return Err("err-contest-repeat-final");
        }
        const WEEK: i64 = 7 * 86_400;
        Ok((0..repeat)
            .map(|k| NewRound {
                title: if repeat > 1 && !first.title.is_empty() {
                    format!("{} {}", first.title, k + 1)
                } else {
                    first.title.clone()
                },
                opens_at: first.opens_at + k * WEEK,
                closes_at: first.closes_at + k * WEEK,
                stage: first.stage,
                own: first.own.clone(),
            })
            .collect())
    }

    fn parse_one(&self) -> Result<NewRound, &'static str> {
        let opens_at =
            dates::parse_vn_instant(&self.opens).map_err(|_| "err-contest-round-dates")?;
        let closes_at =
            dates::parse_vn_instant(&self.closes).map_err(|_| "err-contest-round-dates")?;
        if closes_at <= opens_at {
            return Err("err-date-order");
        }
        let title = self.title.trim();
        if title.chars().count() > 200 {
            return Err("err-text-long");
        }
        let stage = match self.stage.trim() {
            "" => RoundStage::Weekly,
            s => s.parse().map_err(|_| "err-contest-stage")?,
        };
        Ok(NewRound {
            title: title.to_owned(),
            opens_at,
            closes_at,
            stage,
            own: self.own()?,
        })
    }

    /// The settings the round sets itself; blank fields are the contest's.
    fn own(&self) -> Result<RoundOwn, &'static str> {
        use crate::text::{non_blank, number};
        let time_limit_secs = non_blank(&self.time_limit_minutes)
            .map(|m| number(m, 1..=240, "err-contest-time-limit").map(|m| m * 60))
            .transpose()?;
        let question_set = non_blank(&self.question_set)
            .map(|s| super::domain::question_set_from_str(s).ok_or("err-contest-question-set"))
            .transpose()?;
        let policy = match self.attempt_policy.trim() {
            "" => None,
            p => Some(match p.parse().map_err(|_| "err-contest-policy")? {
                PolicyChoice::Unlimited => AttemptPolicy::Unlimited,
                PolicyChoice::Once => AttemptPolicy::Once,
                PolicyChoice::AtMost => AttemptPolicy::AtMost(number(
                    &self.max_attempts,
                    1..=1000,
                    "err-contest-max-attempts",
                )? as u32),
            }),
        };
        let prediction = match self.prediction.trim() {
            "" => None,
            p => Some(
                p.parse::<PredictionSetting>()
                    .map_err(|_| "err-contest-prediction")?
                    .rules(),
            ),
        };
        Ok(RoundOwn {
            time_limit_secs,
            question_set,
            policy,
            prediction,
        })
    }
}

pub async fn add_round(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<RoundForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    find_contest(&state, id).await?;
    let has_final = repo::rounds(&state.db, id)
        .await?
        .iter()
        .any(|r| r.stage.is_final());
    let parsed = form.parse().and_then(|rounds| {
        if has_final && rounds.iter().any(|r| r.stage.is_final()) {
            Err("err-contest-one-final")
        } else {
            Ok(rounds)
        }
    });
    // A paper of its own is checked against the bank now, like the contest's.
    if let Ok(rounds) = &parsed
        && let Some(set) = rounds.first().and_then(|r| r.own.question_set.as_ref())
        && repo::counts(&state.db, id).await?.questions > 0
        && let Some(problem) = paper::problem(&state.db, id, set).await?
    {
        let msg = ctx.t1("err-contest-paper", "problem", problem);
        return overview_page(&state, ctx, id, form, Some(msg)).await;
    }
    match parsed {
        Ok(rounds) => {
            repo::add_rounds(&state.db, user, id, &rounds).await?;
            state.contest_live.forget_contest(id);
            Ok(Redirect::to(&format!("/contests/{id}")).into_response())
        }
        Err(key) => {
            let msg = ctx.t(key);
            overview_page(&state, ctx, id, form, Some(msg)).await
        }
    }
}

/// Ends an open round now (the regulation changed, or an incident): the
/// attempts already started may still be handed in within their grace.
pub async fn close_round(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let now = crate::clock::now();
    let round = repo::round(&state.db, id, round)
        .await?
        .ok_or(AppError::NotFound)?;
    if !round.is_open(&now) {
        return Err(AppError::BadRequest(ctx.t("contest-err-not-open")));
    }
    repo::close_round(&state.db, user, round.id, now).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}")).into_response())
}
