//! What an entrant (or a secretariat importing a list) is told when an
//! entry cannot be stored: upload refusals and eligibility problems.

use std::collections::HashMap;

use kehoach_award::Problem;

use super::domain::NewEntry;
use super::store::UploadError;
use crate::web::Ctx;

pub fn upload_message(ctx: &Ctx, e: &UploadError, name: &str) -> String {
    let reason = match e {
        UploadError::TooLarge { max_mb } => ctx.t1("err-award-file-large", "max", max_mb),
        UploadError::WrongKind => ctx.t("err-award-file-kind"),
        UploadError::Empty => ctx.t("err-award-file-empty"),
        _ => ctx.t("err-award-upload"),
    };
    format!("{name}: {reason}")
}

/// The messages of an entry's problems; an author over the limit is named
/// as typed, not by identity key.
pub fn problem_messages(ctx: &Ctx, e: &NewEntry, problems: Vec<Problem>) -> Vec<String> {
    let typed: HashMap<String, String> = e
        .author_keys()
        .into_iter()
        .zip(e.authors.iter().map(|a| a.real_name.clone()))
        .collect();
    problems
        .into_iter()
        .map(|p| match p {
            Problem::TooManyEntries { author, max } => problem_message(
                ctx,
                &Problem::TooManyEntries {
                    author: typed.get(&author).cloned().unwrap_or(author),
                    max,
                },
            ),
            p => problem_message(ctx, &p),
        })
        .collect()
}

pub fn problem_message(ctx: &Ctx, p: &Problem) -> String {
    match p {
        Problem::DeadlinePassed => ctx.t("award-problem-deadline"),
        Problem::OutsideWindow => ctx.t("award-problem-window"),
        Problem::NoAuthor => ctx.t("err-award-authors"),
        Problem::TeamTooLarge { max } => ctx.t1("award-problem-team", "max", max),
        Problem::SeriesTooLong { max } => ctx.t1("award-problem-series", "max", max),
        Problem::TooManyEntries { author, max } => {
            format!(
                "{author}: {}",
                ctx.t1("award-problem-per-author", "max", max)
            )
        }
        Problem::MissingFile => ctx.t("award-problem-file"),
        Problem::MissingLink => ctx.t("award-problem-link"),
        Problem::WrongKind { kind } => ctx.t1(
            "award-problem-kind",
            "kind",
            ctx.t(&format!("award-kind-{}", kind.key())),
        ),
        Problem::TooLarge { max_mb } => ctx.t1("award-problem-large", "max", max_mb),
        Problem::TooManyFiles { max } => ctx.t1("award-problem-files", "max", max),
        Problem::TotalTooLarge { max_mb } => ctx.t1("award-problem-total", "max", max_mb),
    }
}
