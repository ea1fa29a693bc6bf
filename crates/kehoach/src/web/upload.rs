//! Reading one uploaded file from a multipart form with a size cap, so a
//! huge upload is refused without being held in memory.

use axum::extract::Multipart;

use crate::error::AppError;

/// The first file field: its name and bytes. Errors name the limit.
pub async fn first_file(
    mut multipart: Multipart,
    max_bytes: usize,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let too_large = || {
        AppError::BadRequest(format!(
            "Tệp quá lớn: giới hạn {} MB.",
            max_bytes / (1024 * 1024)
        ))
    };
    while let Some(mut field) = multipart.next_field().await.map_err(|_| too_large())? {
        let Some(name) = field.file_name().map(str::to_owned) else {
            continue;
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| too_large())? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if name.is_empty() && bytes.is_empty() {
            return Ok(None);
        }
        return Ok(Some((name, bytes)));
    }
    Ok(None)
}
