//! Knowledge contests: the office sets up a contest, its rounds and its
//! question bank; the public registers and makes attempts; after a round
//! closes, ranking runs as a batch and the office publishes the winners.
//!
//! The public hot path (start, save, submit) lives in `public.rs` and writes
//! only through the group-commit writer (`writer.rs`); the rules themselves
//! (drawing, scoring, ranking, prizes) are the pure `kehoach_contest` crate.

mod attempts;
pub mod demo;
pub mod domain;
mod export;
mod finals;
pub mod live;
pub mod loadgen;
mod office;
mod paper;
pub mod privacy;
mod public;
mod question_stats;
mod questions;
mod ranking;
mod recovery;
mod refusal;
pub mod repo;
pub mod results;
mod rounds;
mod services;
mod standings;
pub mod states;
mod ties;
pub mod token;
mod view;
pub mod writer;

use std::ops::Deref;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};

use crate::state::AppState;
use domain::ContestSettings;
pub use services::{Services, stored_signer};
use states::ContestStatus;

/// A contest with its status and settings.
#[derive(Debug, Clone)]
pub struct ContestRow {
    pub id: i64,
    pub status: ContestStatus,
    /// The lottery's seed for ties, drawn when the contest was created.
    pub tie_seed: i64,
    pub settings: ContestSettings,
}

impl Deref for ContestRow {
    type Target = ContestSettings;
    fn deref(&self) -> &ContestSettings {
        &self.settings
    }
}

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Services: FromRef<S>,
{
    Router::new()
        .route("/thi", get(public::list))
        .route("/thi/{id}", get(public::contest))
        .route("/thi/{id}/dang-ky", post(public::register))
        .route("/thi/{id}/ket-qua", get(results::public_results))
        .route(
            "/thi/{id}/tiep-tuc",
            get(recovery::form).post(recovery::recover),
        )
        .route("/thi/vong/{round}/bat-dau", post(attempts::start))
        .route("/thi/bai/{token}", get(attempts::attempt))
        .route("/thi/bai/luu", post(attempts::save))
        .route("/thi/bai/nop", post(attempts::submit))
        .route("/contests", get(office::list).post(office::create))
        .route("/contests/new", get(office::new_form))
        .route("/contests/{id}", get(office::overview))
        .route(
            "/contests/{id}/edit",
            get(office::edit_form).post(office::update),
        )
        .route("/contests/{id}/status", post(office::status))
        .route("/contests/{id}/preview", get(paper::preview))
        .route("/contests/{id}/rounds", post(office::add_round))
        .route(
            "/contests/{id}/populations",
            get(office::populations).post(office::save_populations),
        )
        .route("/contests/{id}/questions", get(questions::list))
        .route(
            "/contests/{id}/questions/template.csv",
            get(questions::template),
        )
        .route("/contests/{id}/questions/import", post(questions::import))
        .route(
            "/contests/{id}/questions/{q}",
            get(questions::edit_form).post(questions::update),
        )
        .route(
            "/contests/{id}/questions/{q}/delete",
            post(questions::delete),
        )
        .route(
            "/contests/{id}/rounds/{round}/close",
            post(office::close_round),
        )
        .route(
            "/contests/{id}/rounds/{round}/rank",
            post(ranking::rank_round),
        )
        .route(
            "/contests/{id}/rounds/{round}/results",
            get(results::round_results),
        )
        .route(
            "/contests/{id}/rounds/{round}/publish",
            post(results::publish_round),
        )
        .route(
            "/contests/{id}/rounds/{round}/results.xlsx",
            get(export::round_xlsx),
        )
        .route(
            "/contests/{id}/rounds/{round}/questions",
            get(question_stats::page),
        )
        .route(
            "/contests/{id}/rounds/{round}/ranking",
            get(standings::round_page),
        )
        .route(
            "/contests/{id}/rounds/{round}/ranking.xlsx",
            get(standings::round_xlsx),
        )
        .route(
            "/contests/{id}/rounds/{round}/ties",
            post(ties::decide_round),
        )
        .route(
            "/contests/{id}/overall/ranking",
            get(standings::overall_page),
        )
        .route(
            "/contests/{id}/overall/ranking.xlsx",
            get(standings::overall_xlsx),
        )
        .route("/contests/{id}/overall/ties", post(ties::decide_overall))
        .route(
            "/contests/{id}/finalists",
            get(finals::page).post(finals::qualify),
        )
        .route("/contests/{id}/finalists/ties", post(ties::decide_final))
        .route(
            "/contests/{id}/rounds/{round}/jury",
            get(finals::jury_form).post(finals::jury_save),
        )
        .route("/contests/{id}/overall/rank", post(ranking::rank_overall))
        .route("/contests/{id}/overall", get(results::overall_results))
        .route(
            "/contests/{id}/overall/publish",
            post(results::publish_overall),
        )
        .route("/contests/{id}/duplicates", get(results::duplicates))
        .route("/contests/{id}/participants", get(privacy::find))
        .route(
            "/contests/{id}/participants/{participant}/erase",
            post(privacy::erase_one),
        )
}

/// The contest an office page names, or "not found".
async fn find_contest(state: &Services, id: i64) -> crate::error::AppResult<ContestRow> {
    repo::contest(&state.db, id)
        .await?
        .ok_or(crate::error::AppError::NotFound)
}

impl Services {
    pub async fn unit_exists(&self, id: i64) -> Result<bool, sqlx::Error> {
        repo::unit_exists(&self.db, id).await
    }
}
