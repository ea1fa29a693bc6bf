//! The participants' side: public, no password, phone-width first.
//!
//! Every action answers HTML to a browser form and JSON to a script that
//! asks for it (`Accept: application/json`): the attempt page works without
//! JavaScript, and with it gains autosave and retry with backoff. The hot
//! actions (start, save, submit) read no table: they check a signed token
//! and the in-memory round, then hand the write to the group-commit writer.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use tokio::sync::oneshot;

use super::Services;
use super::domain::{Eligibility, RegistrationForm};
use super::live::{self, GRACE_MS, Round};
use super::token::{AttemptToken, ParticipantToken};
use super::writer::{Job, NewSubmission, Refusal, Started};
use super::{ContestRow, repo};
use crate::error::{AppError, AppResult};
use crate::state::ClientIp;
use crate::web::{Ctx, HtmlForm, render, render_form};

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Why a public request was refused; each has a message key and a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    BadToken,
    NotOpen,
    TimeUp,
    NoAttemptsLeft,
    AlreadySubmitted,
    DuplicatePhone,
    DuplicateId,
    Invalid(&'static str),
    RateLimited,
    Busy,
}

impl Refused {
    pub fn key(self) -> &'static str {
        match self {
            Self::BadToken => "contest-err-token",
            Self::NotOpen => "contest-err-not-open",
            Self::TimeUp => "contest-err-time-up",
            Self::NoAttemptsLeft => "contest-err-no-attempts",
            Self::AlreadySubmitted => "contest-err-already-submitted",
            Self::DuplicatePhone => "contest-err-duplicate-phone",
            Self::DuplicateId => "contest-err-duplicate-id",
            Self::Invalid(key) => key,
            Self::RateLimited => "contest-err-rate-limited",
            Self::Busy => "contest-err-busy",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Self::BadToken => StatusCode::FORBIDDEN,
            Self::NotOpen | Self::TimeUp | Self::NoAttemptsLeft | Self::AlreadySubmitted => {
                StatusCode::CONFLICT
            }
            Self::DuplicatePhone | Self::DuplicateId | Self::Invalid(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The answer to a script: the status, a stable code and the message
    /// in Vietnamese; busy and rate-limited answers say when to retry.
    fn json(self) -> Response {
        let message = crate::web::Tr(crate::web::Lang::Vi).t(self.key());
        let body = serde_json::json!({ "error": self.key(), "message": message });
        let mut res = (self.status(), axum::Json(body)).into_response();
        if matches!(self, Self::Busy | Self::RateLimited) {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        res
    }
}

impl From<Refusal> for Refused {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::DuplicatePhone => Self::DuplicatePhone,
            Refusal::DuplicateId => Self::DuplicateId,
            Refusal::NoAttemptsLeft => Self::NoAttemptsLeft,
            Refusal::AlreadySubmitted => Self::AlreadySubmitted,
            Refusal::Unavailable => Self::Busy,
        }
    }
}

pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Hands a job to the writer and waits for its commit.
async fn through_writer<T>(
    state: &Services,
    job: impl FnOnce(oneshot::Sender<Result<T, Refusal>>) -> Job,
) -> Result<T, Refused> {
    let (tx, rx) = oneshot::channel();
    if !state.contest_writer.submit(job(tx)) {
        return Err(Refused::Busy);
    }
    match tokio::time::timeout(std::time::Duration::from_secs(15), rx).await {
        Ok(Ok(result)) => result.map_err(Refused::from),
        _ => Err(Refused::Busy),
    }
}

async fn signer(state: &Services) -> Result<&super::token::Signer, Refused> {
    state.signer().await.map_err(|_| Refused::Busy)
}

fn limit(state: &Services, ip: &str, participant: Option<i64>) -> Result<(), Refused> {
    if !state.contest_ip_limiter.hit(ip) {
        return Err(Refused::RateLimited);
    }
    if let Some(p) = participant
        && !state.participant_limiter.hit(&p.to_string())
    {
        return Err(Refused::RateLimited);
    }
    Ok(())
}

pub fn cookie_name(contest: i64) -> String {
    format!("kc{contest}")
}

/// The participant token from the contest's cookie or the `X-Participant` header.
async fn participant(
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
        .filter(|c| c.status == "open")
        .collect();
    Ok(render(&ListPage { ctx, contests })?.into_response())
}

#[derive(Template)]
#[template(path = "contests/templates/public_contest.html")]
struct ContestPage {
    ctx: Ctx,
    contest: ContestRow,
    rounds: Vec<repo::RoundRow>,
    units: Vec<(i64, String)>,
    me: Option<repo::Me>,
    form: RegistrationForm,
    error: Option<String>,
    now: i64,
}

impl ContestPage {
    fn required(&self, field: &str) -> bool {
        self.contest.required.has(field)
    }
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
        .filter(|c| c.status != "draft")
        .ok_or(AppError::NotFound)?;
    let rounds = repo::rounds(&state.db, id).await?;
    let units = repo::localities(&state.db, &contest.localities).await?;
    let me = match participant(state, headers, id).await {
        Some(p) => repo::me(&state.db, p.participant).await?,
        None => None,
    };
    let has_error = error.is_some();
    render_form(
        &ContestPage {
            ctx,
            contest,
            rounds,
            units,
            me,
            form,
            error,
            now: crate::db::now(),
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
        Ok(token) => {
            let cookie = format!(
                "{}={token}; Path=/thi; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
                cookie_name(id),
                if state.settings.secure_cookies {
                    "; Secure"
                } else {
                    ""
                }
            );
            let mut res = if json {
                axum::Json(Registered {
                    participant_token: token,
                })
                .into_response()
            } else {
                Redirect::to(&format!("/thi/{id}")).into_response()
            };
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(refused) if json => Ok(refused.json()),
        Err(refused) => {
            let msg = ctx.t(refused.key());
            let mut res = contest_page(&state, ctx, &headers, id, form, Some(msg)).await?;
            *res.status_mut() = refused.status();
            Ok(res)
        }
    }
}

async fn try_register(
    state: &Services,
    ip: &str,
    id: i64,
    form: &RegistrationForm,
) -> AppResult<Result<String, Refused>> {
    if let Err(r) = limit(state, ip, None) {
        return Ok(Err(r));
    }
    let contest = state
        .contest_settings(id)
        .await?
        .filter(|c| c.status == "open")
        .ok_or(AppError::NotFound)?;
    let rules = Eligibility {
        required: contest.required,
        min_age: contest.min_age,
        localities: &contest.localities,
        this_year: crate::web::dates::today_iso()[..4].parse().unwrap_or(2026),
    };
    let reg = match form.parse(&rules) {
        Ok(r) => r,
        Err(key) => return Ok(Err(Refused::Invalid(key))),
    };
    if let Some(unit) = reg.unit_id
        && !state.unit_exists(unit).await?
    {
        return Ok(Err(Refused::Invalid("err-contest-locality")));
    }
    let now = crate::db::now();
    let signer = state.signer().await?;
    let result = through_writer(state, |reply| Job::Register {
        contest: id,
        reg,
        now,
        reply,
    })
    .await;
    Ok(result.map(|participant| {
        signer.participant(ParticipantToken {
            contest: id,
            participant,
        })
    }))
}

// ---------------------------------------------------------------- start

#[derive(Serialize)]
struct Paper<'a> {
    attempt_token: String,
    deadline_ms: i64,
    questions: Vec<live::Shown<'a>>,
}

async fn open_round(state: &Services, id: i64) -> AppResult<std::sync::Arc<Round>> {
    state
        .contest_live
        .round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn start(
    state: Services,
    ctx: Ctx,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(round_id): Path<i64>,
) -> AppResult<Response> {
    let round = open_round(&state, round_id).await?;
    let json = wants_json(&headers);
    let started = try_start(&state, &headers, &ip, &round).await;
    match (started, json) {
        (Ok((token, started)), true) => {
            let paper = Paper {
                attempt_token: token,
                deadline_ms: started.started_ms + round.time_limit_ms,
                questions: round.paper(started.seed),
            };
            Ok(axum::Json(paper).into_response())
        }
        (Ok((token, _)), false) => Ok(Redirect::to(&format!("/thi/bai/{token}")).into_response()),
        (Err(r), true) => Ok(r.json()),
        (Err(r), false) => refused_page(ctx, r, Some(round.contest_id)),
    }
}

async fn try_start(
    state: &Services,
    headers: &HeaderMap,
    ip: &str,
    round: &Round,
) -> Result<(String, Started), Refused> {
    let p = participant(state, headers, round.contest_id)
        .await
        .ok_or(Refused::BadToken)?;
    limit(state, ip, Some(p.participant))?;
    let now_ms = now_ms();
    if !round.is_open(now_ms) {
        return Err(Refused::NotOpen);
    }
    let max_attempts = match round.policy {
        kehoach_contest::AttemptPolicy::Unlimited => None,
        kehoach_contest::AttemptPolicy::Once => Some(1),
        kehoach_contest::AttemptPolicy::AtMost(n) => Some(n),
    };
    let seed = rand::random::<u64>();
    let round_id = round.id;
    let started = through_writer(state, |reply| Job::Start {
        round: round_id,
        participant: p.participant,
        max_attempts,
        seed,
        now_ms,
        reply,
    })
    .await?;
    let token = signer(state).await?.attempt(AttemptToken {
        attempt: started.attempt,
        round: round.id,
        participant: p.participant,
        started_ms: started.started_ms,
        seed: started.seed,
    });
    Ok((token, started))
}

// ---------------------------------------------------------------- attempt page

#[derive(Template)]
#[template(path = "contests/templates/attempt.html")]
struct AttemptPage<'a> {
    ctx: Ctx,
    round: &'a Round,
    token: String,
    questions: Vec<live::Shown<'a>>,
    chosen: std::collections::HashMap<i64, u8>,
    prediction: String,
    deadline_ms: i64,
    now_ms: i64,
    receipt: Option<String>,
}

impl AttemptPage<'_> {
    fn is_chosen(&self, q: &i64, option: &usize) -> bool {
        self.chosen.get(q).is_some_and(|&o| o as usize == *option)
    }

    fn prediction_key(&self) -> &'static str {
        match self.round.prediction {
            Some(kehoach_contest::Prediction::Participants) => "contest-prediction-participants",
            Some(kehoach_contest::Prediction::PerfectAttempts) => "contest-prediction-perfect",
            None => "",
        }
    }
}

pub async fn attempt(state: Services, ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let t = state
        .signer()
        .await?
        .open_attempt(&token)
        .ok_or(AppError::NotFound)?;
    let round = open_round(&state, t.round).await?;
    let receipt = repo::receipt(&state.db, t.attempt).await?;
    let (chosen, prediction) = match repo::draft(&state.db, t.attempt).await? {
        Some((answers, prediction)) => (
            round.to_shown(t.seed, &live::parse_answers(&answers)),
            prediction.map(|p| p.to_string()).unwrap_or_default(),
        ),
        None => Default::default(),
    };
    let page = AttemptPage {
        ctx,
        round: &round,
        questions: round.paper(t.seed),
        token,
        chosen,
        prediction,
        deadline_ms: t.started_ms + round.time_limit_ms,
        now_ms: now_ms(),
        receipt,
    };
    Ok(render(&page)?.into_response())
}

// ---------------------------------------------------------------- save and submit

/// An attempt's form: the token, answers either as `answers=q:o,...` (the
/// script) or one `q{id}=o` field per question (the plain form), the
/// prediction, and the honeypot.
struct AnswerForm {
    token: String,
    answers: Vec<(i64, u8)>,
    prediction: Option<i64>,
    honeypot: bool,
}

fn answer_form(fields: Vec<(String, String)>) -> Result<AnswerForm, Refused> {
    let mut form = AnswerForm {
        token: String::new(),
        answers: Vec::new(),
        prediction: None,
        honeypot: false,
    };
    for (k, v) in fields {
        match k.as_str() {
            "token" => form.token = v,
            "answers" => form.answers.extend(live::parse_answers(&v)),
            "prediction" => {
                let digits = v.trim().replace(['.', ',', ' '], "");
                if !digits.is_empty() {
                    form.prediction = Some(
                        digits
                            .parse()
                            .ok()
                            .filter(|n: &i64| (0..=1_000_000_000_000).contains(n))
                            .ok_or(Refused::Invalid("contest-err-prediction"))?,
                    );
                }
            }
            "website" => form.honeypot = !v.is_empty(),
            _ => {
                if let (Some(q), Ok(o)) = (k.strip_prefix('q'), v.parse::<u8>())
                    && let Ok(q) = q.parse::<i64>()
                {
                    form.answers.push((q, o));
                }
            }
        }
    }
    Ok(form)
}

/// The token's attempt and round, if the token is genuine and the attempt
/// may still be handed in.
async fn live_attempt(
    state: &Services,
    form: &AnswerForm,
    now_ms: i64,
) -> Result<(AttemptToken, std::sync::Arc<Round>), Refused> {
    if form.honeypot {
        return Err(Refused::Invalid("err-contest-bot"));
    }
    let t = signer(state)
        .await?
        .open_attempt(&form.token)
        .ok_or(Refused::BadToken)?;
    let round = state
        .contest_live
        .round(&state.db, t.round)
        .await
        .ok()
        .flatten()
        .ok_or(Refused::BadToken)?;
    if now_ms > t.started_ms + round.time_limit_ms + GRACE_MS || now_ms > round.closes_ms + GRACE_MS
    {
        return Err(Refused::TimeUp);
    }
    Ok((t, round))
}

pub async fn save(
    state: Services,
    ClientIp(ip): ClientIp,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let form = answer_form(fields)?;
        let now = now_ms();
        let (t, round) = live_attempt(&state, &form, now).await?;
        limit(&state, &ip, Some(t.participant))?;
        let answers = live::format_answers(&round.to_original(t.seed, &form.answers));
        through_writer(&state, |reply| Job::Draft {
            attempt: t.attempt,
            round: t.round,
            answers,
            prediction: form.prediction,
            now_ms: now,
            reply,
        })
        .await
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(r) => r.json(),
    }
}

#[derive(Serialize)]
struct Receipt {
    receipt: String,
}

pub async fn submit(
    state: Services,
    ctx: Ctx,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let result = try_submit(&state, &ip, fields).await;
    let json = wants_json(&headers);
    match result {
        Ok((receipt, _)) if json => Ok(axum::Json(Receipt { receipt }).into_response()),
        Ok((_, token)) => Ok(Redirect::to(&format!("/thi/bai/{token}")).into_response()),
        Err(r) if json => Ok(r.json()),
        Err(r) => refused_page(ctx, r, None),
    }
}

async fn try_submit(
    state: &Services,
    ip: &str,
    fields: Vec<(String, String)>,
) -> Result<(String, String), Refused> {
    let form = answer_form(fields)?;
    let now = now_ms();
    let (t, round) = live_attempt(state, &form, now).await?;
    limit(state, ip, Some(t.participant))?;
    let original = round.to_original(t.seed, &form.answers);
    let receipt = signer(state).await?.receipt(t.attempt);
    let sub = NewSubmission {
        attempt: t.attempt,
        round: t.round,
        participant: t.participant,
        score: round.score(&original),
        prediction: form.prediction,
        duration_ms: (now - t.started_ms).clamp(0, round.time_limit_ms),
        submitted_ms: now,
        answers: live::format_answers(&original),
        receipt: receipt.clone(),
    };
    through_writer(state, |reply| Job::Submit { sub, reply }).await?;
    Ok((receipt, form.token))
}

#[derive(Template)]
#[template(path = "contests/templates/refused.html")]
struct RefusedPage {
    ctx: Ctx,
    message: String,
    contest: Option<i64>,
}

fn refused_page(ctx: Ctx, r: Refused, contest: Option<i64>) -> AppResult<Response> {
    let message = ctx.t(r.key());
    let mut res = render(&RefusedPage {
        ctx,
        message,
        contest,
    })?
    .into_response();
    *res.status_mut() = r.status();
    if r == Refused::Busy {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    Ok(res)
}
