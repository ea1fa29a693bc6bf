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

/// A .zip of members named as `name`, each with its bytes.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A row of the printed-press category, which takes files only.
fn printed<'a>(title: &'a str, author: &'a str, date: &'a str) -> [&'a str; 10] {
    [
        "Báo in",
        title,
        author,
        "Báo Phú Yên",
        date,
        "",
        "1",
        "Tuy Hòa",
        "",
        "",
    ]
}

/// Files come beside the list as a .zip whose names begin with the row's
/// line number; every file is checked like an upload, and a bad one stores
/// nothing, neither entries nor files.
#[tokio::test]
async fn files_come_in_a_zip_named_by_row() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let date = days_ago(5);
    let sheet = list(&[
        printed("Bài in một", "Lê Văn An", &date),
        printed("Bài in hai", "Phạm Thị Bình", &date),
        printed("Bài in ba", "Võ Minh Châu", &date),
    ]);
    let second: Vec<u8> = [PDF, b"% trang 2\n"].concat();
    let send = async |zip: &[u8]| {
        app.multipart_parts(
            IMPORT,
            &office,
            &[],
            &[
                ("file", "danh-sach.xlsx", &sheet),
                ("files", "tep.zip", zip),
            ],
        )
        .await
    };

    // Line 4 has no file, line 9 is not in the list, and an .exe is no work.
    let res = send(&zip_of(&[("2.pdf", PDF), ("3-a.exe", EXE), ("9.pdf", PDF)])).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    for said in ["Dòng 3:", "Dòng 4:", "dòng 9"] {
        assert!(res.body.contains(said), "{said}: {}", res.body);
    }
    let res = send(b"not a zip at all").await;
    assert!(res.body.contains("không đọc được"), "{}", res.body);
    let res = send(&zip_of(&[("danh-sach.pdf", PDF)])).await;
    assert!(
        res.body.contains("phải bắt đầu bằng số dòng"),
        "{}",
        res.body
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_entries").await, 0);
    assert_eq!(blob_count(&app), 0, "nothing left in the store");

    let res = send(&zip_of(&[
        ("2.pdf", PDF),
        ("3/trang-1.pdf", PDF),
        ("3/trang-2.pdf", &second),
        ("4-ban-in.pdf", PDF),
        ("__MACOSX/3/._trang-1.pdf", b"junk"),
    ]))
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Đã nhập 3 tác phẩm"), "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_files").await, 4);
    assert_eq!(blob_count(&app), 2, "one copy per content");
    let names = app
        .scalar_bind(
            "SELECT COUNT(*) FROM award_files WHERE original_name = $1",
            "trang-2.pdf",
        )
        .await;
    assert_eq!(names, 1);
}
