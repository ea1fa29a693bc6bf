//! The participants' side: public, no password, phone-width first.
//!
//! Every action answers HTML to a browser form and JSON to a script that
//! asks for it (`Accept: application/json`): the attempt page works without
//! JavaScript, and with it gains autosave and retry with backoff. The hot
//! actions (start, save, submit) read no table: they check a signed token
//! and the in-memory round, then hand the write to the group-commit writer.

use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use tokio::sync::oneshot;

use super::domain::{Eligibility, RegistrationForm};
use super::refusal::Refused;
use super::repo::{self, Locality, RoundRow};
use super::states::{RegistrationField, RoundStage, RoundStatus};
use super::token::ParticipantToken;
use super::writer::Job;
use super::{ContestRow, view};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::state::ClientIp;
use crate::web::{Ctx, HtmlForm, render, render_form};

pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Hands a job to the writer and waits for its commit.
pub(super) async fn through_writer<T>(
    state: &Services,
    job: impl FnOnce(oneshot::Sender<Result<T, Refused>>) -> Job,
) -> Result<T, Refused> {
    let (tx, rx) = oneshot::channel();
    if !state.contest_writer.submit(job(tx)) {
        return Err(Refused::Busy);
    }
    match tokio::time::timeout(std::time::Duration::from_secs(15), rx).await {
        Ok(Ok(result)) => result,
        _ => Err(Refused::Busy),
    }
}

pub(super) async fn signer(state: &Services) -> Result<&super::token::Signer, Refused> {
    state.signer().await.map_err(|_| Refused::Busy)
}

pub(super) fn limit(state: &Services, ip: &str, participant: Option<i64>) -> Result<(), Refused> {
    if !state.contest_ip_limiter.hit(&ip.to_owned()) {
        return Err(Refused::RateLimited);
    }
    if let Some(p) = participant
        && !state.participant_limiter.hit(&p)
    {
        return Err(Refused::RateLimited);
    }
    Ok(())
}

pub fn cookie_name(contest: i64) -> String {
    format!("kc{contest}")
}

/// The response with the participant's token set as the contest's cookie.
pub(super) fn with_participant(
    state: &Services,
    mut res: Response,
    contest: i64,
    token: &str,
) -> Response {
    let cookie = format!(
        "{}={token}; Path=/thi; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
        cookie_name(contest),
        if state.settings.cookies_secure() {
            "; Secure"
        } else {
            ""
        }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// The participant token from the contest's cookie or the `X-Participant` header.
pub(super) async fn participant(
    state: &Services,
    headers: &HeaderMap,
    contest: i64,
) -> Option<ParticipantToken> {
    let raw = headers
        .get("x-participant")
        .and_then(|v| v.to_str().ok())
        .or_else(|| crate::web::cookie(headers, &cookie_name(contest)))?;
    state
        .signer()
        .await
        .ok()?
        .open_participant(raw)
        .filter(|p| p.contest == contest)
}

// ---------------------------------------------------------------- pages

#[derive(Template)]
#[template(path = "contests/templates/public_list.html")]
struct ListPage {
    ctx: Ctx,
    contests: Vec<ContestRow>,
}

pub async fn list(state: Services, ctx: Ctx) -> AppResult<Response> {
    let contests = repo::contests(&state.db)
        .await?
        .into_iter()
        .filter(|c| c.status.is_open())
        .collect();
    Ok(render(&ListPage { ctx, contests })?.into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/public_contest.html")]
struct ContestPage {
    ctx: Ctx,
    contest: ContestRow,
    rounds: Vec<RoundRow>,
    units: Vec<Locality>,
    me: Option<Me>,
    form: RegistrationForm,
    error: Option<String>,
    now: i64,
    /// The rules that decide the ranking, stated to every participant.
    rules: Vec<(String, String)>,
}

impl ContestPage {
    fn own(&self, r: &RoundRow) -> String {
        view::round_own(&self.ctx, &r.own)
    }

    fn required(&self, field: &RegistrationField) -> bool {
        self.contest.required.has(*field)
    }

    fn instant(&self, at: &i64) -> String {
        view::instant(*at)
    }
}

/// A participant as their own page shows them.
struct Me {
    full_name: String,
    phone_masked: String,
    /// To continue on another device.
    code: String,
    entries: Vec<MyEntry>,
}

struct MyEntry {
    round_number: i64,
    receipt: String,
    submitted_ms: i64,
    /// Shown only once the round's results are published.
    score: Option<i64>,
}

impl MyEntry {
    fn submitted_vn(&self) -> String {
        view::instant(self.submitted_ms / 1000)
    }
}

async fn me(state: &Services, contest: i64, participant: i64) -> AppResult<Option<Me>> {
    let Some(p) = repo::participant(&state.db, participant).await? else {
        return Ok(None);
    };
    let entries = repo::entries(&state.db, participant)
        .await?
        .into_iter()
        .map(|e| MyEntry {
            round_number: e.round_number,
            receipt: e.receipt,
            submitted_ms: e.submitted_ms,
            score: (e.round_status == RoundStatus::Published).then_some(e.score),
        })
        .collect();
    Ok(Some(Me {
        full_name: p.full_name,
        phone_masked: view::masked(p.phone.as_deref()),
        code: state.signer().await?.personal_code(contest, participant),
        entries,
    }))
}

async fn contest_page(
    state: &Services,
    ctx: Ctx,
    headers: &HeaderMap,
    id: i64,
    form: RegistrationForm,
    error: Option<String>,
) -> AppResult<Response> {
    let contest = repo::contest(&state.db, id)
        .await?
        .filter(|c| !c.status.is_draft())
        .ok_or(AppError::NotFound)?;
    let rounds = repo::rounds(&state.db, id).await?;
    let units = repo::localities(&state.db, &contest.localities).await?;
    let me = match participant(state, headers, id).await {
        Some(p) => me(state, id, p.participant).await?,
        None => None,
    };
    let has_error = error.is_some();
    let rules = public_rules(&ctx, &contest);
    render_form(
        &ContestPage {
            ctx,
            contest,
            rounds,
            units,
            me,
            form,
            error,
            now: crate::clock::now(),
            rules,
        },
        has_error,
    )
}

pub async fn contest(
    state: Services,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    contest_page(&state, ctx, &headers, id, RegistrationForm::default(), None).await
}

// ---------------------------------------------------------------- register

#[derive(Serialize)]
struct Registered {
    participant_token: String,
}

pub async fn register(
    state: Services,
    ctx: Ctx,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<RegistrationForm>,
) -> AppResult<Response> {
    let json = wants_json(&headers);
    let outcome = try_register(&state, &ip, id, &form).await?;
    match outcome {
        Registering::Done(token) => {
            let res = if json {
                axum::Json(Registered {
                    participant_token: token.clone(),
                })
                .into_response()
            } else {
                Redirect::to(&format!("/thi/{id}")).into_response()
            };
            Ok(with_participant(&state, res, id, &token))
        }
        Registering::Refused(refused) if json => Ok(refused.json()),
        Registering::Refused(refused) => {
            let msg = ctx.t(refused.key());
            let mut res = contest_page(&state, ctx, &headers, id, form, Some(msg)).await?;
            *res.status_mut() = refused.status();
            Ok(res)
        }
    }
}

/// How a registration ended, when the store answered: with the
/// participant's token, or refused.
enum Registering {
    Done(String),
    Refused(Refused),
}

async fn try_register(
    state: &Services,
    ip: &str,
    id: i64,
    form: &RegistrationForm,
) -> AppResult<Registering> {
    if let Err(r) = limit(state, ip, None) {
        return Ok(Registering::Refused(r));
    }
    let contest = state
        .contest_settings(id)
        .await?
        .filter(|c| c.status.is_open())
        .ok_or(AppError::NotFound)?;
    let rules = Eligibility {
        required: contest.required,
        min_age: contest.min_age,
        localities: &contest.localities,
        this_year: crate::web::dates::today_iso()[..4].parse().unwrap_or(2026),
    };
    let reg = match form.parse(&rules) {
        Ok(r) => r,
        Err(key) => return Ok(Registering::Refused(Refused::Invalid(key))),
    };
    if let Some(unit) = reg.unit_id
        && !state.unit_exists(unit).await?
    {
        return Ok(Registering::Refused(Refused::Invalid(
            "err-contest-locality",
        )));
    }
    let now = crate::clock::now();
    let signer = state.signer().await?;
    let result = through_writer(state, |reply| Job::Register {
        contest: id,
        reg,
        now,
        reply,
    })
    .await;
    Ok(match result {
        Ok(participant) => Registering::Done(signer.participant(ParticipantToken {
            contest: id,
            participant,
        })),
        Err(r) => Registering::Refused(r),
    })
}

/// The rules as a participant reads them: time, attempts, paper, ranking.
fn public_rules(ctx: &Ctx, contest: &ContestRow) -> Vec<(String, String)> {
    let mut out = vec![
        (
            ctx.t("contest-time-limit"),
            format!("{} {}", contest.time_limit_secs / 60, ctx.t("minutes")),
        ),
        (
            ctx.t("contest-questions-per-paper"),
            repo::paper_size(&contest.question_set).to_string(),
        ),
        (
            ctx.t("contest-policy"),
            view::policy_text(ctx, contest.policy),
        ),
    ];
    out.extend(view::rules(ctx, contest));
    if contest.finalists > 0 {
        out.push((
            ctx.t("contest-final"),
            ctx.t1("contest-finalists-rule", "count", contest.finalists),
        ));
    }
    out
}
