//! What the server knows about the address people use (`public_url`): the
//! Host check, HSTS and the response headers every page carries.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::{PublicUrl, Settings};

#[derive(Clone, Debug)]
pub struct Site {
    pub public: Option<PublicUrl>,
}

impl Site {
    pub fn new(settings: &Settings) -> Self {
        Self {
            public: settings.public(),
        }
    }
}

/// With a public address set, a request naming another host is refused
/// (DNS rebinding, poisoned links); the health check answers any host so a
/// load balancer can probe by address.
pub async fn check_host(State(site): State<Site>, req: Request, next: Next) -> Response {
    if let Some(public) = &site.public
        && req.uri().path() != "/healthz"
    {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        if host.as_deref() != Some(public.host.as_str()) {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                "Địa chỉ máy chủ không đúng. / Wrong host.",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Headers that keep pages from being framed, sniffed or fed foreign
/// scripts and styles; HSTS when the public address is https.
pub async fn security_headers(State(site): State<Site>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler may set its own policy (entry files are framed by our own
    // judging page); every other response gets the strict one. No inline
    // style or script anywhere: htmx's indicator styles live in app.css.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if site.public.as_ref().is_some_and(|p| p.https) {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}
