//! Evidence files of an activity. The type is decided by the content, not
//! the name or the browser's claim; files are stored outside any web root
//! under their SHA-256 and served only to those who may see the activity.

use axum::extract::{Multipart, Path};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::require_unit;
use crate::audit;
use crate::db::now;
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

pub struct EvidenceFile {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

impl EvidenceFile {
    pub fn size_kb(&self) -> i64 {
        (self.size + 1023) / 1024
    }
}

pub async fn list(db: &crate::db::Db, activity_id: i64) -> Result<Vec<EvidenceFile>, sqlx::Error> {
    Ok(
        sqlx::query("SELECT id, name, size FROM activity_files WHERE activity_id = $1 ORDER BY id")
            .bind(activity_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| EvidenceFile {
                id: r.get(0),
                name: r.get(1),
                size: r.get(2),
            })
            .collect(),
    )
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
    let activity = super::repo::activity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_unit(&user, activity.unit_id)?;
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
    let mut tx = state.db.begin().await?;
    let file_id: i64 = sqlx::query(
        "INSERT INTO activity_files (activity_id, name, mime, size, sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(&name)
    .bind(mime)
    .bind(bytes.len() as i64)
    .bind(&hash)
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    audit::record::<(), _>(
        &mut tx,
        audit::Entry {
            user_id: Some(user.id),
            action: "upload",
            entity: "activity_file",
            entity_id: Some(file_id),
            plan_id: Some(activity.plan_id),
        },
        None,
        Some(&serde_json::json!({"activity_id": id, "name": name, "mime": mime, "sha256": hash})),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/activities/{id}")).into_response())
}

pub async fn download(state: AppState, ctx: Ctx, Path(file_id): Path<i64>) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let row = sqlx::query(
        "SELECT f.name, f.mime, f.sha256, a.unit_id FROM activity_files f \
         JOIN activities a ON a.id = f.activity_id WHERE f.id = $1",
    )
    .bind(file_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    require_unit(&user, row.get(3))?;
    let hash: String = row.get(2);
    let bytes = tokio::fs::read(store_dir(&state).join(&hash))
        .await
        .map_err(|_| AppError::NotFound)?;
    let name: String = row.get(0);
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
            (header::CONTENT_TYPE, row.get::<String, _>(1)),
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
