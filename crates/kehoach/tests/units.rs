//! The unit directory: CSV import, matching, groups.

mod common;

use axum::http::StatusCode;
use common::{TestApp, fresh_db};
use kehoach::units::csv_import;

#[tokio::test]
async fn a_bad_csv_writes_nothing() {
    let (db, _dir) = fresh_db().await;
    let text = "name,short_name,parent,aliases,groups\nSở A,,,,\nSở B,,Không có,,\n";
    let rows = csv_import::parse(text.as_bytes()).unwrap();
    let err = csv_import::store(&db, None, &rows).await.unwrap_err();
    assert!(err.to_string().contains("dòng 3"), "{err}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn the_demo_directory_holds_the_seed_province() {
    let app = TestApp::demo().await;
    let districts: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM unit_group_members m JOIN unit_groups g ON g.id = m.group_id \
             WHERE g.name = 'Các huyện ủy, thị ủy, thành ủy'",
        )
        .await;
    assert_eq!(districts, 9);
    let cookie = app.coordinator().await;
    let page = app.get("/units", Some(&cookie)).await;
    assert!(page.body.contains("Sở VH-TT&#38;DL") || page.body.contains("Sở VH-TT&amp;DL"));
    assert!(
        page.body
            .contains("Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh")
    );
}

#[tokio::test]
async fn units_are_created_edited_and_imported_through_the_ui() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let res = app
        .post(
            "/units",
            Some(&cookie),
            &[
                ("name", "Sở Tư pháp"),
                ("short_name", "STP"),
                ("aliases", "Sở TP; Tư pháp tỉnh"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let empty = app.post("/units", Some(&cookie), &[("name", "  ")]).await;
    assert!(empty.body.contains("Tên đơn vị không được để trống"));
    let csv =
        "name,short_name,parent,aliases,groups\nSở Nội vụ,SNV,Ủy ban nhân dân tỉnh,,Các sở ngành\n";
    let res = app
        .upload("/units/import", &cookie, "don-vi.csv", csv.as_bytes())
        .await;
    assert!(res.body.contains("Đã nạp 1 đơn vị."), "{}", res.body);
    let bad = app
        .upload("/units/import", &cookie, "sai.csv", b"ten\nA\n")
        .await;
    assert!(bad.body.contains("Dòng tiêu đề phải là"));
    let id: i64 = app
        .scalar("SELECT id FROM units WHERE name = 'Sở Nội vụ'")
        .await;
    let res = app
        .post(
            &format!("/units/{id}"),
            Some(&cookie),
            &[
                ("name", "Sở Nội vụ tỉnh"),
                ("short_name", "SNV"),
                ("aliases", "Sở Nội vụ"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        app.get("/units", Some(&cookie))
            .await
            .body
            .contains("Sở Nội vụ tỉnh")
    );
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'unit' AND action = 'update'")
            .await
            >= 1
    );
}
