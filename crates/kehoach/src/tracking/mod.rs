//! Implementation tracking: units record activities (one by one or from a
//! spreadsheet), the office sets reporting periods, units submit reports
//! pre-filled from their activities, and the office accepts or returns them.

mod activities;
mod calendar;
mod charts;
mod columns;
mod coverage;
pub mod dashboard;
pub mod domain;
mod evidence;
pub mod export;
pub mod feeds;
pub mod import;
mod notices;
mod periods;
pub mod reminders;
pub mod repo;
mod reports;
mod services;
mod subplans;
mod summary;
mod view;

pub use services::Services;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::SessionUser;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Services: FromRef<S>,
{
    Router::new()
        .route(
            "/activities",
            get(activities::list).post(activities::create),
        )
        .route("/activities/new", get(activities::new_form))
        .route("/activities/template.csv", get(import::template))
        .route("/activities/import", post(import::upload))
        .route("/activities/export.csv", get(activities::export_csv))
        .route(
            "/activities/{id}",
            get(activities::edit_form).post(activities::update),
        )
        .route("/activities/{id}/delete", post(activities::delete))
        .route("/activities/{id}/files", post(evidence::upload))
        .route("/files/{id}", get(evidence::download))
        .route("/feeds", get(feeds::list).post(feeds::register))
        .route("/feeds/{id}", get(feeds::items))
        .route("/feeds/{id}/fetch", post(feeds::fetch_now))
        .route("/feeds/{id}/delete", post(feeds::delete))
        .route("/feeds/items/{id}/confirm", post(feeds::confirm))
        .route("/feeds/items/{id}/dismiss", post(feeds::dismiss))
        .route(
            "/plans/{id}/periods",
            get(periods::list).post(periods::create),
        )
        .route("/plans/{id}/dashboard", get(dashboard::page))
        .route("/plans/{id}/subplans", get(subplans::for_plan))
        .route("/subplans", get(subplans::mine))
        .route("/subplans/import", post(subplans::upload))
        .route("/periods/{id}", get(periods::status))
        .route("/periods/{id}/export", get(export::form))
        .route("/periods/{id}/export.docx", post(export::download_docx))
        .route("/periods/{id}/export.xlsx", get(export::download_xlsx))
        .route("/reports", get(reports::mine))
        .route("/notices", get(notices::page))
        .route(
            "/units/{id}/calendar",
            get(calendar::page).post(calendar::renew),
        )
        .route("/calendar/{file}", get(calendar::feed))
        .route(
            "/reports/{period}/{unit}",
            get(reports::page).post(reports::save),
        )
        .route("/reports/{period}/{unit}/decision", post(reports::decide))
}

/// The user's own units, by name, for pages that list something per unit.
pub async fn own_units(
    db: &crate::db::Db,
    user: &SessionUser,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(crate::units::repo::list(db)
        .await?
        .into_iter()
        .filter(|u| user.belongs_to(u.id))
        .map(|u| (u.id, u.name))
        .collect())
}

/// Published plans, newest first (sub-plans excluded).
pub async fn published_plans(
    db: &crate::db::Db,
) -> Result<Vec<crate::plans::repo::PlanRow>, sqlx::Error> {
    Ok(crate::plans::repo::plans(db)
        .await?
        .into_iter()
        .filter(crate::plans::repo::PlanRow::is_published)
        .collect())
}

/// A unit member acts for their own units; the office for any unit.
pub fn may_act_for(user: &SessionUser, unit_id: i64) -> bool {
    user.is_office() || user.belongs_to(unit_id)
}

/// A unit picked in a form: another unit's is refused (403).
pub fn require_unit(user: &SessionUser, unit_id: i64) -> AppResult<()> {
    if may_act_for(user, unit_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A record reached by its id: another unit's answers exactly like one that
/// does not exist (404), so ids reveal nothing.
pub fn require_unit_record(user: &SessionUser, unit_id: i64) -> AppResult<()> {
    if may_act_for(user, unit_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
