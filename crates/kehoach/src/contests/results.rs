//! Results after ranking: the office's review and publication, the search
//! for people registered twice, and the public results page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};

use super::repo::{self, LocalityStat, ResultRecord, RoundRow, StandingLine};
use super::states::{ResultKind, RoundStatus};
use super::view;
use super::{ContestRow, find_contest};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, render};

/// Kept where the command line looks for it.
pub use super::ranking::{RankRun, rank_round_batch};

pub(super) async fn contest_and_round(
    state: &Services,
    id: i64,
    round: i64,
) -> AppResult<(ContestRow, RoundRow)> {
    let contest = find_contest(state, id).await?;
    let round = repo::round(&state.db, id, round)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((contest, round))
}

/// A result line as the office and the public see it.
pub struct ResultLine(ResultRecord);

impl std::ops::Deref for ResultLine {
    type Target = ResultRecord;
    fn deref(&self) -> &ResultRecord {
        &self.0
    }
}

impl ResultLine {
    pub fn phone_masked(&self) -> String {
        view::masked(self.phone.as_deref())
    }

    pub fn duration(&self) -> String {
        view::duration(self.duration_ms)
    }

    pub fn is_tie(&self) -> bool {
        self.detail == super::ranking::TIE
    }

    pub fn submitted(&self) -> String {
        self.submitted_ms.map(view::submitted).unwrap_or_default()
    }
}

/// A boundary tie with its people, for the office's decision.
pub struct TieView {
    pub tie: kehoach_contest::BoundaryTie,
    pub lines: Vec<StandingLine>,
}

impl TieView {
    pub fn undecided(&self) -> bool {
        self.tie.settled == kehoach_contest::Settled::Undecided
    }

    pub fn chosen(&self, participant: &i64) -> bool {
        self.tie.chosen.contains(participant)
    }

    pub fn settled_key(&self) -> &'static str {
        match self.tie.settled {
            kehoach_contest::Settled::Undecided => "contest-tie-undecided",
            kehoach_contest::Settled::Office => "contest-tie-office",
            kehoach_contest::Settled::Lottery => "contest-tie-lottery",
            kehoach_contest::Settled::All => "contest-tie-all",
        }
    }
}

/// The ties of a ranking with the lines of the people in them.
pub(super) async fn tie_views(state: &Services, contest: i64, key: i64) -> AppResult<Vec<TieView>> {
    let mut out = Vec::new();
    for tie in repo::ties(&state.db, contest, key).await? {
        let people = tie.key();
        let lines = repo::standings_at(&state.db, contest, key, i64::from(tie.place))
            .await?
            .into_iter()
            .filter(|l| people.binary_search(&l.participant_id).is_ok())
            .collect();
        out.push(TieView { tie, lines });
    }
    Ok(out)
}

/// The lines of a round's (or the overall) results.
pub(super) async fn lines(
    state: &Services,
    contest: i64,
    round: Option<i64>,
) -> AppResult<Vec<ResultLine>> {
    Ok(repo::result_lines(&state.db, contest, round)
        .await?
        .into_iter()
        .map(ResultLine)
        .collect())
}

/// A locality's row of the statistics.
pub struct StatLine {
    pub name: String,
    pub participants: i64,
    pub attempts: i64,
    pub population: Option<i64>,
}

impl StatLine {
    /// Participants per hundred of the population, when it is known.
    pub fn rate(&self) -> String {
        view::rate(self.participants, self.population)
    }
}

pub(super) async fn stats(
    state: &Services,
    contest: i64,
    round: Option<i64>,
) -> AppResult<Vec<StatLine>> {
    Ok(repo::locality_stats(&state.db, contest, round)
        .await?
        .into_iter()
        .map(|s: LocalityStat| StatLine {
            name: s.name,
            participants: s.participants,
            attempts: s.attempts,
            population: s.population,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "contests/templates/results.html")]
struct ResultsPage {
    ctx: Ctx,
    contest: ContestRow,
    round: Option<RoundRow>,
    lines: Vec<ResultLine>,
    stats: Vec<StatLine>,
    published: bool,
    ties: Vec<TieView>,
    rules: Vec<(String, String)>,
}

impl ResultsPage {
    fn truth(&self) -> Option<i64> {
        self.round.as_ref().and_then(|r| r.truth)
    }

    /// A prediction with its distance from the true value.
    fn prediction(&self, p: &Option<i64>) -> String {
        match view::prediction(*p, self.truth()) {
            (p, d) if d == "—" => p,
            (p, d) => format!("{p} (±{d})"),
        }
    }

    fn duration(&self, ms: &i64) -> String {
        view::duration(*ms)
    }

    fn submitted(&self, ms: &i64) -> String {
        view::submitted(*ms)
    }

    fn undecided(&self) -> bool {
        self.ties.iter().any(TieView::undecided)
    }

    fn of_kind(&self, kind: ResultKind) -> Vec<&ResultLine> {
        self.lines.iter().filter(|l| l.kind == kind).collect()
    }

    fn base(&self) -> String {
        match &self.round {
            Some(r) => format!("/contests/{}/rounds/{}", self.contest.id, r.id),
            None => format!("/contests/{}/overall", self.contest.id),
        }
    }

    fn publish_url(&self) -> String {
        match &self.round {
            Some(_) => format!("{}/publish", self.base()),
            None => format!("/contests/{}/overall/publish", self.contest.id),
        }
    }

    fn ties_url(&self) -> String {
        format!("{}/ties", self.base())
    }
}

/// The results page of a round (or, without one, the overall results).
async fn results_page(
    state: &Services,
    ctx: Ctx,
    contest: ContestRow,
    round: Option<RoundRow>,
) -> AppResult<Response> {
    let id = contest.id;
    let key = repo::round_key(round.as_ref().map(|r| r.id));
    let lines = lines(state, id, round.as_ref().map(|r| r.id)).await?;
    let stats = stats(state, id, round.as_ref().map(|r| r.id)).await?;
    let published = match &round {
        Some(r) => r.is_published(),
        None => repo::is_published(&state.db, id, None).await?,
    };
    let ties = tie_views(state, id, key).await?;
    let rules = view::rules(&ctx, &contest);
    Ok(render(&ResultsPage {
        ctx,
        contest,
        round,
        lines,
        stats,
        published,
        ties,
        rules,
    })?
    .into_response())
}

/// Publication waits until every tie at a boundary is settled.
async fn check_settled(state: &Services, ctx: &Ctx, contest: i64, key: i64) -> AppResult<()> {
    if repo::has_undecided(&state.db, contest, key).await? {
        return Err(AppError::BadRequest(ctx.t("err-contest-tie-undecided")));
    }
    Ok(())
}

pub async fn round_results(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    results_page(&state, ctx, contest, Some(round)).await
}

pub async fn publish_round(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let (_, round) = contest_and_round(&state, id, round).await?;
    if round.status != RoundStatus::Ranked {
        return Err(AppError::BadRequest(ctx.t("err-contest-not-ranked")));
    }
    check_settled(&state, &ctx, id, round.id).await?;
    repo::publish(&state.db, user, id, Some(round.id)).await?;
    Ok(Redirect::to(&format!("/contests/{id}/rounds/{}/results", round.id)).into_response())
}

pub async fn overall_results(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    results_page(&state, ctx, contest, None).await
}

pub async fn publish_overall(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    find_contest(&state, id).await?;
    if repo::result_lines(&state.db, id, None).await?.is_empty() {
        return Err(AppError::BadRequest(ctx.t("err-contest-not-ranked")));
    }
    check_settled(&state, &ctx, id, 0).await?;
    repo::publish(&state.db, user, id, None).await?;
    Ok(Redirect::to(&format!("/contests/{id}/overall")).into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/duplicates.html")]
struct DuplicatesPage {
    ctx: Ctx,
    contest: ContestRow,
    groups: Vec<(String, String, i64)>,
}

/// People registered more than once under different phone numbers: the
/// same folded name, birth year and locality. Listed for a human to judge.
pub async fn duplicates(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    let mut groups: HashMap<(String, Option<i64>, String), (String, i64)> = HashMap::new();
    for p in repo::people(&state.db, id).await? {
        let key = (kehoach_plan::fold(&p.full_name), p.birth_year, p.locality);
        groups.entry(key).or_insert((p.full_name, 0)).1 += 1;
    }
    let mut groups: Vec<(String, String, i64)> = groups
        .into_iter()
        .filter(|(_, (_, n))| *n > 1)
        .map(|((_, year, unit), (name, n))| {
            let year = year.map(|y| y.to_string()).unwrap_or_default();
            (format!("{name} ({year})"), unit, n)
        })
        .collect();
    groups.sort();
    Ok(render(&DuplicatesPage {
        ctx,
        contest,
        groups,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/public_results.html")]
struct PublicResults {
    ctx: Ctx,
    contest: ContestRow,
    rounds: Vec<(RoundRow, Vec<ResultLine>)>,
    overall: Vec<ResultLine>,
    stats: Vec<StatLine>,
}

/// Published results only: name, locality and a masked phone number.
pub async fn public_results(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let contest = repo::contest(&state.db, id)
        .await?
        .filter(|c| !c.status.is_draft())
        .ok_or(AppError::NotFound)?;
    let mut rounds = Vec::new();
    for round in repo::rounds(&state.db, id).await? {
        if round.is_published() {
            let lines = lines(&state, id, Some(round.id)).await?;
            rounds.push((round, lines));
        }
    }
    let overall = if repo::is_published(&state.db, id, None).await? {
        lines(&state, id, None).await?
    } else {
        Vec::new()
    };
    let stats = if rounds.is_empty() {
        Vec::new()
    } else {
        stats(&state, id, None).await?
    };
    Ok(render(&PublicResults {
        ctx,
        contest,
        rounds,
        overall,
        stats,
    })?
    .into_response())
}
