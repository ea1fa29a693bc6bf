//! A secretariat's bulk work through the real router: importing the entry
//! list a lower committee forwards (all or nothing, every bad row named),
//! and accepting the selected or all submitted entries at once.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::awards::*;
use kehoach_office::{Cell, Sheet};

/// An entry list in the template's shape.
fn list(rows: &[[&str; 10]]) -> Vec<u8> {
    let sheet = Sheet {
        name: "Tac pham".into(),
        header: kehoach::awards::bulk::COLUMNS.map(String::from).to_vec(),
        rows: rows
            .iter()
            .map(|r| r.map(|c| Cell::Text(c.to_owned())).to_vec())
            .collect(),
        column_widths: Vec::new(),
    };
    kehoach_office::workbook_xlsx(&[sheet]).unwrap()
}

fn row<'a>(title: &'a str, authors: &'a str, date: &'a str) -> [&'a str; 10] {
    [
        "Báo điện tử",
        title,
        authors,
        "Báo Phú Yên điện tử",
        date,
        "https://baophuyen.vn/bai",
        "1",
        "Tuy Hòa",
        "Ban Tuyên giáo Thị ủy Sông Cầu",
        "",
    ]
}

const IMPORT: &str = "/awards/1/entries/import";

#[tokio::test]
async fn an_entry_list_is_imported_whole_or_not_at_all() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let date = days_ago(5);
    let bad = list(&[
        row("Bài một", "Lê Văn An", &date),
        row("Bài hai", "Phạm Thị Bình", "31/02/2026"),
        [
            "Truyện ngắn",
            "Bài ba",
            "Võ Minh Châu",
            "Báo X",
            &date,
            "",
            "1",
            "",
            "",
            "",
        ],
        row("Bài bốn", "Lê Văn An", &date),
        row("Bài năm", "Lê Văn An", &date),
    ]);
    let res = app.upload(IMPORT, &office, "danh-sach.xlsx", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    for line in ["Dòng 3", "Dòng 4", "Dòng 6"] {
        assert!(res.body.contains(line), "{line}: {}", res.body);
    }
    assert!(!res.body.contains("Dòng 2:"), "{}", res.body);
    assert!(
        res.body.contains("Lê Văn An"),
        "the third entry of one author is named"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_entries").await, 0);

    let good = list(&[
        row("Bài một", "Lê Văn An | An Lê", &date),
        row("Bài hai", "Phạm Thị Bình; Lê Văn An", &date),
        row("Bài ba", "Võ Minh Châu", &date),
    ]);
    let res = app.upload(IMPORT, &office, "danh-sach.xlsx", &good).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Đã nhập 3 tác phẩm"), "{}", res.body);
    assert_eq!(
        app.scalar_bind(
            "SELECT COUNT(*) FROM award_entries WHERE forwarded_by = $1",
            "Ban Tuyên giáo Thị ủy Sông Cầu"
        )
        .await,
        3
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_authors").await, 4);

    // Others may not import.
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    let res = app.upload(IMPORT, &entrant, "danh-sach.xlsx", &good).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let template = app
        .get("/awards/1/entries/template.xlsx", Some(&office))
        .await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.bytes.starts_with(b"PK"));
}

#[tokio::test]
async fn the_secretariat_accepts_the_selected_or_all_submitted_entries() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let date = days_ago(5);
    let good = list(&[
        row("Bài một", "Lê Văn An", &date),
        row("Bài hai", "Phạm Thị Bình", &date),
        row("Bài ba", "Võ Minh Châu", &date),
    ]);
    app.upload(IMPORT, &office, "danh-sach.xlsx", &good).await;
    let first = app
        .scalar("SELECT MIN(id) FROM award_entries")
        .await
        .to_string();
    let res = app
        .post(
            "/awards/1/entries/accept",
            Some(&office),
            &[("scope", "selected"), ("entry", &first)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let accepted = "SELECT COUNT(*) FROM award_entries WHERE status = $1";
    assert_eq!(app.scalar_bind(accepted, "accepted").await, 1);
    let none = app
        .post(
            "/awards/1/entries/accept",
            Some(&office),
            &[("scope", "selected")],
        )
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    app.post(
        "/awards/1/entries/accept",
        Some(&office),
        &[("scope", "all")],
    )
    .await;
    assert_eq!(app.scalar_bind(accepted, "accepted").await, 3);
    let judge = app.login("giamkhao", "nui-da-bia-2021").await;
    let res = app
        .post(
            "/awards/1/entries/accept",
            Some(&judge),
            &[("scope", "all")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
