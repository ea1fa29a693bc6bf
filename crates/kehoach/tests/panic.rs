//! A handler that panics answers with the standard error page and a 500,
//! through the same layer and function the application's router uses.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use http_body_util::BodyExt;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;

async fn boom() -> &'static str {
    panic!("decode failed")
}

#[tokio::test]
async fn a_panicking_handler_gets_the_error_page() {
    let app = Router::new()
        .route("/boom", get(boom))
        .layer(CatchPanicLayer::custom(kehoach::error::panic_response));
    let res = app
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(body.contains("Đã có lỗi hệ thống"), "{body}");
    assert!(!body.contains("decode failed"), "internals stay in the log");
}

#[test]
fn the_application_router_catches_panics() {
    let app = include_str!("../src/app.rs");
    assert!(app.contains("CatchPanicLayer::custom(crate::error::panic_response)"));
}
