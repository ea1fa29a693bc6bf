//! Stages: the weekly rounds qualify participants for a final by the
//! contest's declared rule; the final is played online by the finalists or
//! scored by a jury, whose scores the office enters here.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_contest::{Allocation, AwardRules, Quota, allocate, rank};

use super::ranking::{award_rules, combined, placed};
use super::repo::{self, Finalist, QUALIFY_KEY, RoundRow};
use super::results::{TieView, contest_and_round, tie_views};
use super::states::RoundStage;
use super::{ContestRow, find_contest, view};
use crate::contests::Services;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, HtmlForm, render};

/// The qualification's one "tier".
const FINAL: &str = "Vào chung kết";

/// Ranks the combined weekly rounds and stores who goes to the final; while
/// a tie at the last place waits for the office, nobody is stored as a
/// finalist (the final cannot start with a seat in doubt).
pub async fn qualify_batch(
    db: &Db,
    actor: i64,
    contest: &ContestRow,
) -> Result<Allocation, sqlx::Error> {
    let lines = combined(db, contest).await?;
    let ranked = rank(&lines, &contest.rules, Some(0));
    let decisions = repo::tie_decisions(db, contest.id, QUALIFY_KEY).await?;
    let quota = [Quota {
        tier: FINAL.into(),
        count: u32::try_from(contest.finalists).unwrap_or(0),
    }];
    // A minimum score is a prize rule; qualification has none.
    let rules = AwardRules {
        min_score: 0,
        ..award_rules(contest, &quota, &decisions)
    };
    let alloc = allocate(&ranked, &rules);
    let (_, standings) = placed(&ranked, &alloc, |_| (0, 0));
    let finalists: Vec<(i64, i64)> = if alloc.undecided() {
        Vec::new()
    } else {
        alloc
            .winners
            .iter()
            .map(|w| (w.attempt.participant, i64::from(w.place)))
            .collect()
    };
    repo::store_qualification(db, actor, contest.id, &standings, &alloc.ties, &finalists).await?;
    Ok(alloc)
}

#[derive(Template)]
#[template(path = "contests/templates/finalists.html")]
struct FinalistsPage {
    ctx: Ctx,
    contest: ContestRow,
    rules: Vec<(String, String)>,
    finalists: Vec<Finalist>,
    ties: Vec<TieView>,
    published: bool,
    error: Option<String>,
}

impl FinalistsPage {
    fn base(&self) -> String {
        format!("/contests/{}/finalists", self.contest.id)
    }

    fn ties_url(&self) -> String {
        format!("{}/ties", self.base())
    }

    fn undecided(&self) -> bool {
        self.ties.iter().any(TieView::undecided)
    }

    fn masked(&self, phone: &Option<String>) -> String {
        view::masked(phone.as_deref())
    }

    fn prediction(&self, p: &Option<i64>) -> String {
        view::prediction(*p, Some(0)).0
    }

    fn duration(&self, ms: &i64) -> String {
        view::duration(*ms)
    }

    fn submitted(&self, ms: &i64) -> String {
        view::submitted(*ms)
    }
}

async fn finalists_page(
    state: &Services,
    ctx: Ctx,
    contest: ContestRow,
    error: Option<String>,
) -> AppResult<Response> {
    let finalists = repo::finalists(&state.db, contest.id, 0).await?;
    let ties = tie_views(state, contest.id, QUALIFY_KEY).await?;
    let mut rules = vec![(
        ctx.t("contest-qualify"),
        ctx.t(&format!("contest-qualify-{}", contest.qualify)),
    )];
    rules.extend(view::rules(&ctx, &contest));
    let has_error = error.is_some();
    let page = FinalistsPage {
        ctx,
        contest,
        rules,
        finalists,
        ties,
        published: false,
        error,
    };
    crate::web::render_form(&page, has_error)
}

pub async fn page(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    finalists_page(&state, ctx, contest, None).await
}

/// Every weekly round must be ranked first: its true value is part of the
/// prediction criterion.
async fn unranked_round(state: &Services, contest: i64) -> AppResult<Option<RoundRow>> {
    Ok(repo::rounds(&state.db, contest)
        .await?
        .into_iter()
        .find(|r| !r.stage.is_final() && r.status.is_scheduled()))
}

pub async fn qualify(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    if contest.finalists == 0 {
        return Err(AppError::BadRequest(ctx.t("err-contest-no-final")));
    }
    if let Some(r) = unranked_round(&state, id).await? {
        let msg = ctx.t1("err-contest-rank-rounds-first", "round", r.number);
        return finalists_page(&state, ctx, contest, Some(msg)).await;
    }
    qualify_batch(&state.db, user, &contest).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}/finalists")).into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/jury.html")]
struct JuryPage {
    ctx: Ctx,
    contest: ContestRow,
    round: RoundRow,
    finalists: Vec<Finalist>,
    error: Option<String>,
}

async fn jury_round(state: &Services, id: i64, round: i64) -> AppResult<(ContestRow, RoundRow)> {
    let (contest, round) = contest_and_round(state, id, round).await?;
    if round.stage != RoundStage::FinalJury {
        return Err(AppError::NotFound);
    }
    Ok((contest, round))
}

pub async fn jury_form(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let (contest, round) = jury_round(&state, id, round).await?;
    let finalists = repo::finalists(&state.db, id, round.id).await?;
    let page = JuryPage {
        ctx,
        contest,
        round,
        finalists,
        error: None,
    };
    Ok(render(&page)?.into_response())
}

/// The jury's scores as typed: `score_<participant>` = a whole number.
pub async fn jury_save(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let (contest, round) = jury_round(&state, id, round).await?;
    if round.is_published() {
        return Err(AppError::BadRequest(ctx.t("err-contest-published")));
    }
    let finalists = repo::finalists(&state.db, id, round.id).await?;
    let mut scores = Vec::new();
    for f in &finalists {
        let typed = form
            .iter()
            .find(|(k, _)| k.strip_prefix("score_") == Some(&f.participant_id.to_string()))
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        if typed.is_empty() {
            continue;
        }
        match typed.parse::<i64>() {
            Ok(n) if (0..=1000).contains(&n) => scores.push((f.participant_id, n)),
            _ => {
                let msg = ctx.t1("err-contest-jury-score", "name", &f.name);
                let page = JuryPage {
                    ctx,
                    contest,
                    round,
                    finalists,
                    error: Some(msg),
                };
                return crate::web::render_form(&page, true);
            }
        }
    }
    repo::save_jury_scores(&state.db, user, round.id, &scores).await?;
    Ok(Redirect::to(&format!("/contests/{id}/rounds/{}/jury", round.id)).into_response())
}
