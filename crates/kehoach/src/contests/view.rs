//! How the contests' pages show stored values: masked phone numbers,
//! durations, rates and instants.

use super::ContestRow;
use crate::web::{Ctx, dates};

/// A phone number with its middle hidden; empty when there is none.
pub fn masked(phone: Option<&str>) -> String {
    phone
        .and_then(|p| kehoach_contest::normalise_phone(p).ok())
        .map(|p| p.masked())
        .unwrap_or_default()
}

/// Minutes, seconds and milliseconds: `m:ss.mmm`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}.{:03}", s / 60, s % 60, ms % 1000)
}

/// Participants per hundred of the population, when it is known.
pub fn rate(participants: i64, population: Option<i64>) -> String {
    match population {
        Some(p) if p > 0 => format!("{:.2}%", participants as f64 * 100.0 / p as f64),
        _ => "—".into(),
    }
}

/// An instant stored in seconds, as dd/mm/yyyy hh:mm.
pub fn instant(at: i64) -> String {
    dates::instant_vn(at)
}

/// A hand-in instant (milliseconds), to the second.
pub fn submitted(ms: i64) -> String {
    dates::instant_ms_vn(ms)
}

/// A prediction and its distance from the true value, once known.
pub fn prediction(p: Option<i64>, truth: Option<i64>) -> (String, String) {
    match (p, truth) {
        (None, _) => ("—".into(), "—".into()),
        (Some(p), None) => (p.to_string(), "—".into()),
        (Some(p), Some(t)) => (p.to_string(), p.abs_diff(t).to_string()),
    }
}

/// The declared rules that decide a ranking, as label and value, so that
/// every page showing a ranking says how it was made.
pub fn rules(ctx: &Ctx, contest: &ContestRow) -> Vec<(String, String)> {
    let order: Vec<String> = contest
        .rules
        .order()
        .iter()
        .map(|k| ctx.t(&format!("contest-tie-{k}")))
        .collect();
    let mut out = vec![
        (ctx.t("contest-ranking"), order.join(" → ")),
        (
            ctx.t("contest-counted"),
            ctx.t(&format!("contest-counted-{}", contest.counted)),
        ),
        (
            ctx.t("contest-ties"),
            ctx.t(&format!("contest-ties-{}", contest.ties)),
        ),
    ];
    if contest.ties == kehoach_contest::TiePolicy::Lottery {
        out.push((ctx.t("contest-tie-seed"), contest.tie_seed.to_string()));
    }
    if contest.min_prize_score > 0 {
        out.push((
            ctx.t("contest-min-prize-score"),
            contest.min_prize_score.to_string(),
        ));
    }
    out
}

/// What a round sets itself, in a line ("20 phút · 10 câu · Một lượt"),
/// empty when it follows the contest.
pub fn round_own(ctx: &Ctx, own: &super::repo::RoundOwn) -> String {
    let mut parts = Vec::new();
    if let Some(secs) = own.time_limit_secs {
        parts.push(format!("{} {}", secs / 60, ctx.t("minutes")));
    }
    if let Some(set) = &own.question_set {
        parts.push(format!(
            "{} {}",
            super::repo::paper_size(set),
            ctx.t("contest-questions-short")
        ));
    }
    if let Some(policy) = own.policy {
        parts.push(policy_text(ctx, policy));
    }
    match own.prediction {
        Some(None) => parts.push(ctx.t("contest-prediction-none")),
        Some(Some(kehoach_contest::Prediction::Participants)) => {
            parts.push(ctx.t("contest-prediction-participants"));
        }
        Some(Some(kehoach_contest::Prediction::PerfectAttempts)) => {
            parts.push(ctx.t("contest-prediction-perfect"));
        }
        None => {}
    }
    parts.join(" · ")
}

/// An attempt policy as the rules state it.
pub fn policy_text(ctx: &Ctx, policy: kehoach_contest::AttemptPolicy) -> String {
    match policy {
        kehoach_contest::AttemptPolicy::Unlimited => ctx.t("contest-policy-unlimited"),
        kehoach_contest::AttemptPolicy::Once => ctx.t("contest-policy-once"),
        kehoach_contest::AttemptPolicy::AtMost(n) => {
            format!("{} {n}", ctx.t("contest-policy-at-most"))
        }
    }
}
