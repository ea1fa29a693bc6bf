//! An entry's files are bounded per entry, not only per file: how many, and
//! how many bytes together, as the category sets; a request declared larger
//! than any entry could need is refused before it is read. Nothing refused
//! stays in the store.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use common::awards::*;

#[tokio::test]
async fn an_entry_carries_at_most_its_categorys_files() {
    let app = TestApp::demo().await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    // The demo categories allow 10 files an entry.
    let files: Vec<(&str, &[u8])> = (0..11).map(|_| ("bai.pdf", PDF)).collect();
    let res = submit(&app, &entrant, &days_ago(3), &files).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.body.contains("tối đa 10 tệp"), "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_entries").await, 0);
    let ten: Vec<(&str, &[u8])> = (0..10).map(|_| ("bai.pdf", PDF)).collect();
    let res = submit(&app, &entrant, &days_ago(3), &ten).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn a_request_declared_too_large_is_refused_unread() {
    let app = TestApp::demo().await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    // The largest demo category allows 10 × 500 MB.
    let declared: u64 = 10 * 500 * 1024 * 1024 + 2 * 1024 * 1024;
    let req = Request::post(format!("/giai/{EDITION}/du-thi"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .header(header::CONTENT_LENGTH, declared.to_string())
        .header(header::COOKIE, &entrant)
        .body(Body::from("--X--\r\n"))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
}
