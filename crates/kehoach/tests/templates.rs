//! The spreadsheet templates offered for download: UTF-8 with a BOM, the
//! import's own header row, one example row, and a fixed file name.

mod common;

use axum::http::{StatusCode, header};
use common::TestApp;

fn lines(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM")).unwrap();
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn activity_and_question_templates_download_as_csv() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let res = app.get("/activities/template.csv", Some(&member)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"mau-hoat-dong.csv\""
    );
    let rows = lines(&res.bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].contains("Báo Phú Yên"));

    let office = app.coordinator().await;
    let res = app
        .get("/contests/1/questions/template.csv", Some(&office))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let rows = lines(&res.bytes);
    assert_eq!(rows[0], kehoach_contest::TEMPLATE_HEADER.join(","));
    assert!(rows[1].starts_with("Đảng Cộng sản Việt Nam được thành lập năm nào?"));
}
