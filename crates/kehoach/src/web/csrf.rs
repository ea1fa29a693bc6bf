//! Cross-site request forgery protection by Fetch Metadata and Origin: a
//! state-changing request must come from our own pages. Together with the
//! SameSite=Lax session cookie this needs no token in every form.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::site::Site;

pub async fn protect(State(site): State<Site>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || same_origin(&site, req.headers())
    {
        return next.run(req).await;
    }
    tracing::warn!(uri = %req.uri().path(), "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        "Yêu cầu bị từ chối: gửi từ trang ngoài hệ thống (CSRF). / Cross-site request refused.",
    )
        .into_response()
}

fn same_origin(site: &Site, h: &HeaderMap) -> bool {
    if let Some(fetch_site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(fetch_site, "same-origin" | "none");
    }
    let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Non-browser clients (the CLI, curl) send neither header; browsers
        // always send one of the two on a cross-site POST.
        return true;
    };
    // Scheme, host and port, all three: http://x is not https://x.
    match &site.public {
        Some(public) => origin.eq_ignore_ascii_case(&public.origin()),
        None => h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|host| origin.eq_ignore_ascii_case(&format!("http://{host}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PublicUrl;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_origin_must_match_scheme_host_and_port() {
        let site = Site {
            public: Some(PublicUrl::parse("https://kehoach.example.vn").unwrap()),
        };
        let ok = headers(&[("origin", "https://kehoach.example.vn")]);
        assert!(same_origin(&site, &ok));
        for bad in [
            "http://kehoach.example.vn",
            "https://kehoach.example.vn:8443",
            "https://evil.example",
            "null",
        ] {
            assert!(!same_origin(&site, &headers(&[("origin", bad)])), "{bad}");
        }
        let plain = Site { public: None };
        let h = headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080"),
        ]);
        assert!(same_origin(&plain, &h));
        let h = headers(&[
            ("origin", "https://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080"),
        ]);
        assert!(!same_origin(&plain, &h));
    }
}
