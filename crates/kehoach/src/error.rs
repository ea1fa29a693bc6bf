//! The HTTP layer's one error type. Users see a short bilingual message;
//! internals go to the log and never into the response.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Not logged in: browsers are sent to the login page.
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// Logged in with a reset password: sent to choose a new one.
    #[error("must change password")]
    MustChangePassword,
    /// A request the user can correct; the message is already localised.
    #[error("{0}")]
    BadRequest(String),
    /// Too many requests from one client; answered 429 with Retry-After.
    #[error("too many requests")]
    RateLimited(std::time::Duration),
    /// The server is at capacity (password checks); 503 with Retry-After.
    #[error("busy")]
    Busy,
    /// A body over the route's limit.
    #[error("payload too large")]
    TooLarge,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, vi, en) = match &self {
            Self::Unauthorized => return Redirect::to("/login").into_response(),
            Self::MustChangePassword => return Redirect::to("/account/password").into_response(),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Không tìm thấy trang này.",
                "Not found.",
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "Bạn không có quyền thực hiện thao tác này.",
                "You are not allowed to do this.",
            ),
            Self::BadRequest(msg) => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    msg,
                    "The request could not be accepted.",
                );
            }
            Self::RateLimited(wait) => {
                return retry_after(
                    error_page(
                        StatusCode::TOO_MANY_REQUESTS,
                        "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
                        "Too many requests. Please try again in a few minutes.",
                    ),
                    *wait,
                );
            }
            Self::Busy => {
                return retry_after(
                    error_page(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Hệ thống đang bận. Vui lòng thử lại sau vài giây.",
                        "The server is busy. Please try again in a few seconds.",
                    ),
                    std::time::Duration::from_secs(5),
                );
            }
            Self::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Dữ liệu gửi lên quá lớn.",
                "The submitted data is too large.",
            ),
            Self::Db(sqlx::Error::RowNotFound) => (
                StatusCode::NOT_FOUND,
                "Không tìm thấy dữ liệu.",
                "Not found.",
            ),
            Self::Db(_) | Self::Template(_) | Self::Internal(_) => {
                tracing::error!(error = ?self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Đã có lỗi hệ thống. Thao tác chưa được lưu; vui lòng thử lại.",
                    "Internal error. Nothing was saved; please try again.",
                )
            }
        };
        error_page(status, vi, en)
    }
}

/// A handler that panicked: the same page as any internal error, and the
/// panic in the log (the connection is answered, not dropped).
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    AppError::Internal(anyhow::anyhow!("handler panicked: {what}")).into_response()
}

/// Adds `Retry-After` in whole seconds (at least one).
pub fn retry_after(mut res: Response, wait: std::time::Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    res.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(secs.max(1)),
    );
    res
}

fn error_page(status: StatusCode, vi: &str, en: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>kehoach: {code}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><main class=\"container\"><h1>{code}</h1><p class=\"error\" role=\"alert\">{vi}</p>\
         <p lang=\"en\">{en}</p><p><a href=\"/\">Về trang chủ</a></p></main></body></html>",
        code = status.as_u16(),
        vi = crate::web::escape(vi),
        en = crate::web::escape(en),
    );
    (status, Html(body)).into_response()
}
