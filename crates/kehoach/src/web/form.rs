//! A form extractor that understands repeated keys (`<select multiple>`,
//! checkbox lists), which axum's own `Form` does not.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct HtmlForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for HtmlForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("Không đọc được dữ liệu biểu mẫu.".into()))?;
        serde_html_form::from_bytes(&bytes)
            .map(HtmlForm)
            .map_err(|e| AppError::BadRequest(format!("Dữ liệu biểu mẫu không hợp lệ: {e}")))
    }
}
