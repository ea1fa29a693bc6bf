//! The office's side of a contest: settings, rounds, publication and the
//! population figures behind the participation-rate prize. Office roles only.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::domain::ContestForm;
use super::repo::{self, Locality, Population, RoundRow};
pub use super::rounds::{RoundForm, add_round, close_round};
use super::states::{
    ContestStatus, PolicyChoice, PredictionSetting, RegistrationField, RoundStage,
};
use super::view;
use super::{ContestRow, find_contest, paper};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, HtmlForm, render, render_form};
use kehoach_contest::{Counted, Qualify, TieBreak, TiePolicy};

#[derive(Template)]
#[template(path = "contests/templates/office_list.html")]
struct ListPage {
    ctx: Ctx,
    contests: Vec<ContestRow>,
}

pub async fn list(state: Services, ctx: Ctx) -> AppResult<Response> {
    ctx.office()?;
    let contests = repo::contests(&state.db).await?;
    Ok(render(&ListPage { ctx, contests })?.into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/contest_form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<i64>,
    form: ContestForm,
    units: Vec<Locality>,
    error: Option<String>,
}

impl FormPage {
    /// Whether the form, as typed, names this policy.
    fn policy_is(&self, p: &PolicyChoice) -> bool {
        self.form.attempt_policy.parse() == Ok(*p)
    }

    /// Whether the form, as typed, names this prediction question.
    fn prediction_is(&self, p: &PredictionSetting) -> bool {
        self.form.prediction.parse() == Ok(*p)
    }

    fn requires(&self, field: &RegistrationField) -> bool {
        self.form.required.iter().any(|r| r.parse() == Ok(*field))
    }

    fn locality(&self, id: &i64) -> bool {
        self.form.localities.contains(id)
    }

    fn fields(&self) -> &'static [RegistrationField] {
        RegistrationField::ALL
    }

    /// Every declared order: the score, then none, some or all of the
    /// other criteria in any order (regulations differ: some rank time
    /// before the prediction, some after, some stop at time), as value and
    /// label. Only the listed criteria rank; equal on all of them is a tie.
    fn rule_orders(&self) -> Vec<(String, String)> {
        const REST: [TieBreak; 3] = [
            TieBreak::Prediction,
            TieBreak::Duration,
            TieBreak::SubmittedAt,
        ];
        let mut lists: Vec<Vec<TieBreak>> = vec![vec![TieBreak::Score]];
        let mut frontier = lists.clone();
        for _ in REST {
            frontier = frontier
                .iter()
                .flat_map(|l| {
                    REST.into_iter()
                        .filter(|k| !l.contains(k))
                        .map(|k| [l.as_slice(), &[k]].concat())
                })
                .collect();
            lists.extend(frontier.iter().cloned());
        }
        lists
            .iter()
            .map(|keys| {
                let names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
                let label: Vec<String> = keys
                    .iter()
                    .map(|k| self.ctx.t(&format!("contest-tie-{k}")))
                    .collect();
                (names.join(","), label.join(" → "))
            })
            .collect()
    }

    fn counted_choices(&self) -> Vec<(&'static str, String)> {
        Counted::ALL
            .iter()
            .map(|c| (c.as_str(), self.ctx.t(&format!("contest-counted-{c}"))))
            .collect()
    }

    fn qualify_choices(&self) -> Vec<(&'static str, String)> {
        Qualify::ALL
            .iter()
            .map(|q| (q.as_str(), self.ctx.t(&format!("contest-qualify-{q}"))))
            .collect()
    }

    fn tie_choices(&self) -> Vec<(&'static str, String)> {
        TiePolicy::ALL
            .iter()
            .map(|p| (p.as_str(), self.ctx.t(&format!("contest-ties-{p}"))))
            .collect()
    }
}

async fn form_page(
    state: &Services,
    ctx: Ctx,
    id: Option<i64>,
    form: ContestForm,
    error: Option<String>,
) -> AppResult<Response> {
    let units = repo::localities(&state.db, &[]).await?;
    let has_error = error.is_some();
    render_form(
        &FormPage {
            ctx,
            id,
            form,
            units,
            error,
        },
        has_error,
    )
}

/// Defaults a communications office would start from.
fn default_form() -> ContestForm {
    ContestForm {
        question_set: "random:Chung=10".into(),
        time_limit_minutes: "15".into(),
        attempt_policy: PolicyChoice::AtMost.as_str().into(),
        max_attempts: "10".into(),
        counted_attempt: Counted::BestThenFastest.as_str().into(),
        ranking_rules: "score,duration,prediction".into(),
        tie_policy: TiePolicy::Decide.as_str().into(),
        min_prize_score: "0".into(),
        qualify_by: Qualify::Sum.as_str().into(),
        finalists: "0".into(),
        prediction: PredictionSetting::Participants.as_str().into(),
        min_age: "0".into(),
        required: vec!["birth_year".into(), "phone".into(), "locality".into()],
        round_quotas: "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3\nGiải Khuyến khích: 5".into(),
        overall_quotas: String::new(),
        collective_count: "3".into(),
        consent_text: "Ban Tổ chức xử lý họ tên, năm sinh, số điện thoại và địa phương của bạn \
             chỉ để xác định người dự thi, chấm và trao giải, và công bố kết quả (số điện thoại \
             được che). Dữ liệu được lưu đến hết thời hạn nêu dưới đây rồi xóa; bạn có quyền \
             đề nghị xem, sửa hoặc xóa dữ liệu của mình (Nghị định 13/2023/NĐ-CP)."
            .into(),
        retention_days: "365".into(),
        ..Default::default()
    }
}

pub async fn new_form(state: Services, ctx: Ctx) -> AppResult<Response> {
    ctx.office()?;
    form_page(&state, ctx, None, default_form(), None).await
}

pub async fn create(
    state: Services,
    ctx: Ctx,
    HtmlForm(form): HtmlForm<ContestForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    match form.parse() {
        Ok(settings) => {
            let id = repo::save_contest(&state.db, user, None, &settings).await?;
            Ok(Redirect::to(&format!("/contests/{id}")).into_response())
        }
        Err(key) => {
            let msg = ctx.t(key);
            form_page(&state, ctx, None, form, Some(msg)).await
        }
    }
}

pub async fn edit_form(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let c = find_contest(&state, id).await?;
    form_page(&state, ctx, Some(id), ContestForm::from_settings(&c), None).await
}

pub async fn update(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ContestForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let current = find_contest(&state, id).await?;
    match form.parse() {
        Ok(settings) => {
            // A paper the bank cannot fill is refused while the bank has
            // questions (a new contest's bank comes after its settings).
            let has_bank = repo::counts(&state.db, id).await?.questions > 0;
            if has_bank || current.status.is_open() {
                let problem = paper::problem(&state.db, id, &settings.question_set).await?;
                if let Some(problem) = problem {
                    let msg = ctx.t1("err-contest-paper", "problem", problem);
                    return form_page(&state, ctx, Some(id), form, Some(msg)).await;
                }
            }
            repo::save_contest(&state.db, user, Some(id), &settings).await?;
            state.contest_live.forget_contest(id);
            Ok(Redirect::to(&format!("/contests/{id}")).into_response())
        }
        Err(key) => {
            let msg = ctx.t(key);
            form_page(&state, ctx, Some(id), form, Some(msg)).await
        }
    }
}

#[derive(Template)]
#[template(path = "contests/templates/overview.html")]
struct Overview {
    ctx: Ctx,
    contest: ContestRow,
    rounds: Vec<RoundRow>,
    question_count: i64,
    participant_count: i64,
    now: i64,
    error: Option<String>,
    round_form: RoundForm,
    /// Why the bank cannot give a full paper, shown until it can.
    paper_problem: Option<String>,
}

impl Overview {
    fn status_key(&self) -> String {
        format!("contest-status-{}", self.contest.status)
    }

    fn instant(&self, at: &i64) -> String {
        view::instant(*at)
    }

    fn stages(&self) -> &'static [RoundStage] {
        RoundStage::ALL
    }

    fn own(&self, r: &RoundRow) -> String {
        view::round_own(&self.ctx, &r.own)
    }

    fn policies(&self) -> Vec<(&'static str, String)> {
        PolicyChoice::ALL
            .iter()
            .map(|p| (p.as_str(), self.ctx.t(&format!("contest-policy-{p}"))))
            .collect()
    }

    fn predictions(&self) -> Vec<(&'static str, String)> {
        PredictionSetting::ALL
            .iter()
            .map(|p| (p.as_str(), self.ctx.t(&format!("contest-prediction-{p}"))))
            .collect()
    }
}

pub(super) async fn overview_page(
    state: &Services,
    ctx: Ctx,
    id: i64,
    round_form: RoundForm,
    error: Option<String>,
) -> AppResult<Response> {
    let contest = find_contest(state, id).await?;
    let rounds = repo::rounds(&state.db, id).await?;
    let counts = repo::counts(&state.db, id).await?;
    let paper_problem = paper::contest_problem(&state.db, &contest, &rounds).await?;
    let has_error = error.is_some();
    render_form(
        &Overview {
            ctx,
            contest,
            rounds,
            question_count: counts.questions,
            participant_count: counts.participants,
            now: crate::clock::now(),
            error,
            round_form,
            paper_problem,
        },
        has_error,
    )
}

pub async fn overview(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    overview_page(&state, ctx, id, RoundForm::default(), None).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn status(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<StatusForm>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    let Ok(status) = form.status.parse::<ContestStatus>() else {
        return Err(AppError::BadRequest(ctx.t("err-contest-status")));
    };
    if status.is_open() {
        let rounds = repo::rounds(&state.db, id).await?;
        let problem = paper::contest_problem(&state.db, &contest, &rounds).await?;
        if let Some(problem) = problem {
            let msg = ctx.t1("err-contest-paper", "problem", problem);
            return overview_page(&state, ctx, id, RoundForm::default(), Some(msg)).await;
        }
    }
    repo::set_status(&state.db, user, id, status).await?;
    state.contest_live.forget_contest(id);
    Ok(Redirect::to(&format!("/contests/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/populations.html")]
struct PopulationsPage {
    ctx: Ctx,
    contest: ContestRow,
    rows: Vec<(i64, String, String)>,
    error: Option<String>,
}

async fn populations_page(
    state: &Services,
    ctx: Ctx,
    id: i64,
    typed: Option<&[(String, String)]>,
    error: Option<String>,
) -> AppResult<Response> {
    let contest = find_contest(state, id).await?;
    let stored = repo::populations(&state.db, id).await?;
    let rows = repo::localities(&state.db, &contest.localities)
        .await?
        .into_iter()
        .map(|Locality { id: unit, name }| {
            let key = format!("p{unit}");
            let value = match typed {
                Some(t) => t
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
                None => stored
                    .iter()
                    .find(|p| p.unit_id == unit)
                    .map(|p| p.population.to_string())
                    .unwrap_or_default(),
            };
            (unit, name, value)
        })
        .collect();
    let has_error = error.is_some();
    render_form(
        &PopulationsPage {
            ctx,
            contest,
            rows,
            error,
        },
        has_error,
    )
}

pub async fn populations(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    populations_page(&state, ctx, id, None, None).await
}

/// One `p{unit}` field per unit; empty means no figure for that unit.
pub async fn save_populations(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let contest = find_contest(&state, id).await?;
    let allowed = repo::localities(&state.db, &contest.localities).await?;
    let mut rows = Vec::new();
    for (k, v) in &fields {
        let Some(unit) = k.strip_prefix('p').and_then(|u| u.parse::<i64>().ok()) else {
            continue;
        };
        let v = v.trim().replace(['.', ',', ' '], "");
        if v.is_empty() || !allowed.iter().any(|u| u.id == unit) {
            continue;
        }
        match v.parse::<i64>() {
            Ok(n) if (1..=100_000_000).contains(&n) => rows.push(Population {
                unit_id: unit,
                population: n,
            }),
            _ => {
                let msg = ctx.t("err-quantity");
                return populations_page(&state, ctx, id, Some(&fields), Some(msg)).await;
            }
        }
    }
    repo::save_populations(&state.db, user, id, &rows).await?;
    Ok(Redirect::to(&format!("/contests/{id}")).into_response())
}
