//! Cross-cutting HTTP pieces shared by every feature: the request context
//! (language, logged-in user), rendering, CSRF, rate limits, dates, assets.

pub mod assets;
pub mod cache;
pub mod client;
pub mod csrf;
pub mod ctx;
pub mod dates;
pub mod download;
pub mod form;
pub mod i18n;
pub mod ratelimit;
pub mod site;
pub mod upload;

use axum::response::Html;

pub use crate::session::{Role, SessionUser};
pub use ctx::Ctx;
pub use form::HtmlForm;
pub use i18n::{Lang, Tr};

use crate::error::AppResult;

/// Renders an askama page; a template error becomes a logged 500.
pub fn render<T: askama::Template>(t: &T) -> AppResult<Html<String>> {
    Ok(Html(t.render()?))
}

/// A page that shows a form again with an error answers 422, so scripts,
/// tests and assistive tools can tell a refused submission from a page view.
pub fn render_form<T: askama::Template>(
    t: &T,
    has_error: bool,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let status = if has_error {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, render(t)?).into_response())
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
