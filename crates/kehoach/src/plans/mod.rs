//! Plans: import a plan document, review and correct its structure, publish
//! it, and hand its duties to units; units follow their own duties.

mod edit;
pub mod forms;
mod history;
mod import;
mod matrix;
mod my_duties;
pub mod repo;
mod review;
pub mod states;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
pub use import::{ImportError, import_as, import_bytes};
mod services;
pub use my_duties::MyDutiesData;
use repo::PlanRow;
pub use review::ReviewData;
pub use services::Services;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Services: FromRef<S>,
{
    Router::new()
        .route("/plans", get(import::list))
        .route("/plans/import", post(import::upload))
        .route("/plans/{id}", get(review::page))
        .route("/plans/{id}/source", get(review::source))
        .route("/plans/{id}/publish", post(edit::publish))
        .route(
            "/plans/{id}/themes/{item}",
            get(edit::theme_form).post(edit::theme),
        )
        .route("/plans/{id}/themes/{item}/merge", post(edit::merge_theme))
        .route("/plans/{id}/themes/{item}/split", post(edit::split_theme))
        .route(
            "/plans/{id}/duties/{item}",
            get(edit::duty_form).post(edit::duty),
        )
        .route("/plans/{id}/duties/{item}/merge", post(edit::merge_duty))
        .route("/plans/{id}/duties/{item}/split", post(edit::split_duty))
        .route("/plans/{id}/unknown-units", post(edit::resolve_unit))
        .route("/plans/{id}/history", get(history::page))
        .route("/plans/{id}/matrix", get(matrix::page))
        .route("/duties", get(my_duties::page))
        .route("/assignments/{id}/status", post(my_duties::update_status))
}

async fn load(state: &AppState, id: i64) -> AppResult<PlanRow> {
    repo::plan(&state.db, id).await?.ok_or(AppError::NotFound)
}
