//! Serving entry files to those who may see them, under names built from
//! the entry code (never the uploaded name, which may carry an author's).

use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;

use super::access;
use super::repo;
use super::store::Blobs;
use crate::app::{AppState, ClientIp};
use crate::error::{AppError, AppResult};
use crate::web::Ctx;

pub async fn serve(
    state: AppState,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(file_id): Path<i64>,
) -> AppResult<Response> {
    if ctx.user.is_none() && !state.award_public_limiter.hit(&ip) {
        return Err(AppError::RateLimited);
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
    state
        .blobs()?
        .serve(&file.sha256, &file.media_type, &name, &headers)
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// Deletes blobs of a refused submission that no stored file refers to.
pub async fn forget_unreferenced<'a>(state: &AppState, shas: impl Iterator<Item = &'a str>) {
    let Ok(blobs) = state.blobs() else { return };
    for sha in shas {
        if matches!(repo::file_in_use(&state.db, sha).await, Ok(false))
            && let Err(e) = blobs.delete(sha).await
        {
            tracing::warn!(%sha, error = %e, "could not delete an unused upload");
        }
    }
}

impl AppState {
    /// The entry file store, opened on first use from the settings.
    pub fn blobs(&self) -> AppResult<&Blobs> {
        if let Some(b) = self.award_blobs.get() {
            return Ok(b);
        }
        let blobs = Blobs::from_settings(&self.settings).map_err(AppError::Internal)?;
        Ok(self.award_blobs.get_or_init(|| blobs))
    }
}
