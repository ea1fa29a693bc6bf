//! Evidence files of an activity. The type is decided by the content, not
//! the name or the browser's claim; files are stored outside any web root
//! under their SHA-256 and served only to those who may see the activity.

use axum::extract::{Multipart, Path};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use super::repo::{self, NewFile};
use super::require_unit_record;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, upload};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Pure: the MIME type of an accepted file, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Some("video/mp4")
    } else if starts(b"ID3") || starts(b"\xFF\xFB") || starts(b"\xFF\xF3") {
        Some("audio/mpeg")
    } else if starts(b"PK\x03\x04") {
        // Office documents are zip packages; the app never opens them.
        Some("application/zip")
    } else {
        None
    }
}

fn store_dir(state: &AppState) -> std::path::PathBuf {
    state.settings.data_dir.join("files")
}

pub async fn upload(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let activity = repo::activity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_unit_record(&user, activity.unit_id)?;
    let (name, bytes) = upload::first_file(multipart, MAX_BYTES)
        .await?
        .ok_or_else(|| AppError::BadRequest(ctx.t("err-no-file")))?;
    let mime = sniff(&bytes).ok_or_else(|| AppError::BadRequest(ctx.t("err-file-type")))?;
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let dir = store_dir(&state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    let path = dir.join(&hash);
    if tokio::fs::metadata(&path).await.is_err() {
        // Write then rename, so a crash never leaves a half file under the hash.
        let tmp = dir.join(format!("{hash}.tmp"));
        tokio::fs::write(&tmp, &bytes)
            .await
            .map_err(anyhow::Error::from)?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(anyhow::Error::from)?;
    }
    let name: String = name
        .chars()
        .filter(|c| !c.is_control() && !"/\\\"".contains(*c))
        .take(150)
        .collect();
    let file = NewFile {
        activity_id: id,
        mime,
        name: &name,
        size: bytes.len() as i64,
        sha256: &hash,
    };
    repo::insert_file(&state.db, user.id, activity.plan_id, &file).await?;
    Ok(Redirect::to(&format!("/activities/{id}")).into_response())
}

pub async fn download(state: AppState, ctx: Ctx, Path(file_id): Path<i64>) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let file = repo::stored_file(&state.db, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_unit_record(&user, file.unit_id)?;
    let bytes = tokio::fs::read(store_dir(&state).join(&file.sha256))
        .await
        .map_err(|_| AppError::NotFound)?;
    let name = file.name;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, file.mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42"), Some("video/mp4"));
        assert_eq!(sniff(b"MZ\x90\0 executable"), None);
        assert_eq!(sniff(b"<script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
    }
}
