//! Juried competitions: the provincial press award, poster and writing
//! contests. The secretariat configures an edition; entrants submit works
//! with files; judges in sub-councils score what they are assigned; rounds
//! close sealed; the council decides prizes and the office exports the
//! decision, the minutes, certificates and the national forwarding list.
//!
//! The rules (eligibility, file sniffing, assignment, scores, ranking,
//! prizes, the sealed log) are the pure `kehoach_award` crate; this folder
//! holds the pages, queries and files around them.

pub mod access;
pub mod bulk;
mod bulk_files;
pub mod domain;
mod entrant;
mod exports;
mod files;
mod judging;
pub mod loadgen;
mod minutes;
pub mod notices;
mod office;
pub mod people;
mod problems;
mod progress;
mod public;
pub mod repo;
pub mod rounds;
pub mod seal_key;
mod services;
pub mod states;
pub mod store;
mod tiers;
mod topics;
pub mod view;

pub use services::Services;

use std::ops::Deref;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::routing::{get, post};

use crate::state::AppState;
use domain::EditionSettings;
use states::EditionStatus;

/// An edition with its status: draft, open (taking entries), judging,
/// published.
#[derive(Debug, Clone)]
pub struct EditionRow {
    pub id: i64,
    pub status: EditionStatus,
    pub settings: EditionSettings,
}

impl Deref for EditionRow {
    type Target = EditionSettings;
    fn deref(&self) -> &EditionSettings {
        &self.settings
    }
}

impl EditionRow {
    /// The most bytes of files any category lets one entry carry.
    pub fn max_entry_bytes(&self) -> u64 {
        self.categories
            .iter()
            .map(|c| c.max_total_bytes())
            .max()
            .unwrap_or(0)
    }

    pub fn is_open(&self) -> bool {
        self.status == EditionStatus::Open
    }

    pub fn is_published(&self) -> bool {
        self.status == EditionStatus::Published
    }
}

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Services: FromRef<S>,
{
    Router::new()
        .route("/awards", get(office::list).post(office::create))
        .route("/awards/new", get(office::new_form))
        .route("/awards/{id}", get(office::overview))
        .route(
            "/awards/{id}/edit",
            get(office::edit_form).post(office::update),
        )
        .route("/awards/{id}/status", post(office::status))
        .route("/awards/{id}/entries", get(office::entries))
        .route("/awards/{id}/entries/template.xlsx", get(bulk::template))
        .route("/awards/{id}/entries/accept", post(bulk::accept))
        .route("/awards/{id}/entries/{entry}/intake", post(office::intake))
        .route(
            "/awards/{id}/judges",
            get(office::judges).post(office::add_judge),
        )
        .route("/awards/{id}/judges/{judge}", post(office::update_judge))
        .route("/awards/{id}/rounds/{round}", get(rounds::page))
        .route("/awards/{id}/rounds/{round}/open", post(rounds::open))
        .route("/awards/{id}/rounds/{round}/assign", post(rounds::reassign))
        .route("/awards/{id}/rounds/{round}/close", post(rounds::close))
        .route("/awards/{id}/rounds/{round}/remind", post(progress::remind))
        .route("/awards/{id}/results", get(rounds::results))
        .route("/awards/{id}/results/compute", post(rounds::compute))
        .route("/awards/{id}/results/{entry}", post(rounds::decide))
        .route("/awards/{id}/topics", post(topics::decide))
        .route("/awards/{id}/tiers", post(tiers::decide))
        .route("/awards/{id}/export/{doc}", get(exports::export))
        .route(
            "/awards/{id}/certificates/{entry}",
            get(exports::certificate),
        )
        .route("/giai", get(public::list))
        .route(
            "/giai/dang-ky",
            get(entrant::register_form).post(entrant::register),
        )
        .route("/giai/cua-toi", get(entrant::mine))
        .route("/giai/{id}/du-thi", get(entrant::new_form))
        .route("/giai/bai/{entry}", get(entrant::show))
        .route("/giai/bai/{entry}/sua", get(entrant::edit_form))
        .route("/giai/cham", get(judging::list))
        .route(
            "/giai/cham/{round}/{entry}",
            get(judging::sheet).post(judging::score),
        )
        .route("/giai/tep/{file}", get(files::serve))
        .route("/giai/{id}/ket-qua", get(public::results))
        .route("/giai/{id}/trien-lam", get(public::gallery))
}

/// Entry submissions carry media files far larger than other uploads; each
/// category's own cap is enforced while the file streams in.
pub fn upload_router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Services: FromRef<S>,
{
    Router::new()
        .route("/giai/{id}/du-thi", post(entrant::create))
        .route("/giai/bai/{entry}/sua", post(entrant::update))
        .route("/awards/{id}/entries/import", post(bulk::import))
        .layer(DefaultBodyLimit::max(entrant::MAX_REQUEST_BYTES))
}
