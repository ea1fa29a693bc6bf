//! Serving entry files to those who may see them, under names built from
//! the entry code (never the uploaded name, which may carry an author's).

use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;

use super::Services;
use super::access;
use super::repo;
use crate::error::{AppError, AppResult};
use crate::state::{AppState, ClientIp};
use crate::web::Ctx;

pub async fn serve(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(file_id): Path<i64>,
) -> AppResult<Response> {
    if ctx.user.is_none() {
        svc.public_download_allowed(&ip)
            .map_err(AppError::RateLimited)?;
    }
    let file = repo::file(&state.db, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (entry, _, _) = access::entry(&state, &ctx, file.entry_id).await?;
    let position = entry
        .files
        .iter()
        .position(|f| f.id == file.id)
        .unwrap_or(0)
        + 1;
    let extension = file.media_type.rsplit('/').next().unwrap_or("bin");
    let extension = match extension {
        "mpeg" => "mp3",
        "jpeg" => "jpg",
        "vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        other => other,
    };
    let name = format!("{}-{position}.{extension}", entry.code);
    svc.blobs()?
        .serve(&file.sha256, &file.media_type, &name, &headers)
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// Deletes blobs of a refused submission that no stored file refers to.
pub async fn forget_unreferenced<'a>(
    state: &AppState,
    svc: &Services,
    shas: impl Iterator<Item = &'a str>,
) {
    let Ok(blobs) = svc.blobs() else { return };
    for sha in shas {
        if matches!(repo::file_in_use(&state.db, sha).await, Ok(false))
            && let Err(e) = blobs.delete(sha).await
        {
            tracing::warn!(%sha, error = %e, "could not delete an unused upload");
        }
    }
}
