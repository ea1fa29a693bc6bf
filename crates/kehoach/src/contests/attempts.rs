//! An attempt: starting it, its page, saving and handing it in. These
//! actions read no table: they check a signed token and the in-memory
//! round, then hand the write to the group-commit writer.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::live::{self, GRACE_MS, Round};
use super::public::{limit, participant, signer, through_writer, wants_json};
use super::refusal::Refused;
use super::repo;
use super::states::RoundStage;
use super::token::AttemptToken;
use super::writer::{Job, NewSubmission, Started};
use crate::clock::now_ms;
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::state::ClientIp;
use crate::web::{Ctx, render};

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
    if !round.in_play() {
        return Err(Refused::NotInPlay);
    }
    if !round.is_open(now_ms) {
        return Err(Refused::NotOpen);
    }
    if round.stage == RoundStage::FinalJury {
        return Err(Refused::NotOnline);
    }
    if round
        .finalists
        .as_ref()
        .is_some_and(|f| !f.contains(&p.participant))
    {
        return Err(Refused::NotFinalist);
    }
    // Never a short or empty paper: the start is refused and the office told.
    if let Some(problem) = &round.paper_problem {
        super::paper::alert_office(state, round, problem).await;
        return Err(Refused::NoPaper);
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
        Some(draft) => (
            round.to_shown(t.seed, &live::parse_answers(&draft.answers)),
            draft.prediction.map(|p| p.to_string()).unwrap_or_default(),
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
    if !round.in_play() {
        return Err(Refused::NotInPlay);
    }
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
