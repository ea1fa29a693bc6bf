//! Public pages: the editions taking entries, and once the council's
//! decision is published, the results and the gallery of winning works
//! (the online exhibition).

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};

use super::EditionRow;
use super::repo::{self, EntryRow, PrizeRow};
use super::states::EditionStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, render};

#[derive(Template)]
#[template(path = "awards/templates/public_list.html")]
struct ListPage {
    ctx: Ctx,
    editions: Vec<EditionRow>,
}

pub async fn list(state: AppState, ctx: Ctx) -> AppResult<Response> {
    let editions = repo::editions(&state.db)
        .await?
        .into_iter()
        .filter(|e| e.status != EditionStatus::Draft)
        .collect();
    Ok(render(&ListPage { ctx, editions })?.into_response())
}

/// The published winners of an edition, best first.
pub async fn winners(
    state: &AppState,
    id: i64,
) -> AppResult<(EditionRow, Vec<(PrizeRow, EntryRow)>)> {
    let edition = repo::edition(&state.db, id)
        .await?
        .filter(EditionRow::is_published)
        .ok_or(AppError::NotFound)?;
    let entries: HashMap<i64, EntryRow> = repo::entries(&state.db, id)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let tier_rank = |t: &str| {
        edition
            .tiers
            .iter()
            .position(|x| x.name == t)
            .unwrap_or(usize::MAX)
    };
    let mut rows: Vec<(PrizeRow, EntryRow)> = repo::prizes(&state.db, id)
        .await?
        .into_iter()
        .filter(|p| !p.tier.is_empty())
        .filter_map(|p| entries.get(&p.entry_id).cloned().map(|e| (p, e)))
        .collect();
    rows.sort_by_key(|(p, _)| (tier_rank(&p.tier), p.position, p.entry_id));
    Ok((edition, rows))
}

#[derive(Template)]
#[template(path = "awards/templates/public_results.html")]
struct ResultsPage {
    ctx: Ctx,
    edition: EditionRow,
    rows: Vec<(PrizeRow, EntryRow)>,
}

pub async fn results(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (edition, rows) = winners(&state, id).await?;
    Ok(render(&ResultsPage { ctx, edition, rows })?.into_response())
}

#[derive(Template)]
#[template(path = "awards/templates/gallery.html")]
struct GalleryPage {
    ctx: Ctx,
    edition: EditionRow,
    rows: Vec<(PrizeRow, EntryRow)>,
}

pub async fn gallery(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (edition, rows) = winners(&state, id).await?;
    Ok(render(&GalleryPage { ctx, edition, rows })?.into_response())
}
