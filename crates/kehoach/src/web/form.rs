//! A form extractor that understands repeated keys (`<select multiple>`,
//! checkbox lists), which axum's own `Form` does not. The body is read up to
//! the route's limit (`LIMIT` bytes, 256 KiB unless the route says less),
//! and a form carrying control characters is refused before any handler
//! sees it.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The default cap on a URL-encoded form: a long report's text fits.
pub const FORM_LIMIT: usize = 256 * 1024;

pub struct HtmlForm<T, const LIMIT: usize = FORM_LIMIT>(pub T);

impl<T: DeserializeOwned, S: Send + Sync, const LIMIT: usize> FromRequest<S>
    for HtmlForm<T, LIMIT>
{
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, AppError> {
        let bytes = axum::body::to_bytes(req.into_body(), LIMIT)
            .await
            .map_err(|e| {
                if e.into_inner().is::<http_body_util::LengthLimitError>() {
                    AppError::TooLarge
                } else {
                    AppError::BadRequest("Không đọc được dữ liệu biểu mẫu.".into())
                }
            })?;
        let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(format!("Dữ liệu biểu mẫu không hợp lệ: {e}")))?;
        if pairs
            .iter()
            .any(|(k, v)| crate::text::has_control(k) || crate::text::has_control(v))
        {
            return Err(AppError::BadRequest(
                "Dữ liệu có ký tự điều khiển không hợp lệ (ví dụ NUL). / The form carries control characters."
                    .into(),
            ));
        }
        serde_html_form::from_bytes(&bytes)
            .map(HtmlForm)
            .map_err(|e| AppError::BadRequest(format!("Dữ liệu biểu mẫu không hợp lệ: {e}")))
    }
}
