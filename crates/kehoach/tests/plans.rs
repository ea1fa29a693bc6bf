//! Importing, reviewing, correcting and publishing plans; units and their
//! duties; the units × duties matrix.

mod common;

use axum::http::StatusCode;
use common::TestApp;

const SEED: &[u8] = include_bytes!("../../../fixtures/plans/plan-2021.txt");

#[tokio::test]
async fn the_demo_plan_shows_its_whole_structure_with_source_lines() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let page = app.get("/plans/1", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    for expected in [
        "KẾ HOẠCH",
        "thông tin, tuyên truyền về công tác xây dựng Đảng",
        "Đã ban hành",
        "04-KH/BTCTW",
        "22/03/2021",
        "1945",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Cao Thị Hòa An",
        "Lưu Văn phòng Tỉnh ủy",
        "Để báo cáo",
        "1.5.",
        "2.9.",
        "Chủ trì: Sở Thông tin và Truyền thông",
        "Phối hợp: Hội Nhà báo tỉnh",
        "dòng 17",
    ] {
        assert!(b.contains(expected), "review page lacks {expected}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM themes").await, 14);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM duties").await, 15);
}

#[tokio::test]
async fn a_unit_group_hands_a_duty_to_every_member() {
    let app = TestApp::demo().await;
    // Seed IV.3 is written for "Các huyện, thị, thành ủy, đảng ủy trực thuộc Tỉnh ủy":
    // nine district-level committees and five Party committees under the province.
    let n: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM assignments a JOIN duties d ON d.id = a.duty_id \
             WHERE d.source_unit LIKE 'Các huyện%' AND d.position = 4",
        )
        .await;
    assert_eq!(n, 14);
    let unassigned: i64 = app
        .scalar("SELECT COUNT(*) FROM duties d WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.duty_id = d.id)")
        .await;
    assert_eq!(unassigned, 0, "every seed unit is in the demo directory");
}

#[tokio::test]
async fn importing_through_the_form_lands_on_the_review_screen() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let res = app
        .upload("/plans/import", &cookie, "ke-hoach.txt", SEED)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/plans/2");
    let page = app.get("/plans/2", Some(&cookie)).await;
    assert!(page.body.contains("Bản nháp"));
    assert!(page.body.contains("Ban hành và giao nhiệm vụ"));
}

#[tokio::test]
async fn bad_files_get_a_clear_message_and_store_nothing() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let before = app.scalar("SELECT COUNT(*) FROM plans").await;
    let cases: [(&str, Vec<u8>); 4] = [
        ("rong.txt", Vec::new()),
        (
            "anh.png",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0, 1, 2, 3, 0, 0],
        ),
        ("hong.docx", b"PK\x03\x04 not really a zip".to_vec()),
        (
            "thu.txt",
            "Kính gửi các đồng chí, hẹn gặp lại.".as_bytes().to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let res = app.upload("/plans/import", &cookie, name, &bytes).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(res.body.contains("role=\"alert\""), "{name}: {}", res.body);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM plans").await, before);
    let huge = vec![b'a'; 11 * 1024 * 1024];
    let res = app.upload("/plans/import", &cookie, "lon.txt", &huge).await;
    assert!(res.body.contains("Tệp quá lớn"), "{}", res.status);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM plans").await, before);
}

#[tokio::test]
async fn corrections_after_publishing_are_versioned() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let theme: i64 = app
        .scalar("SELECT id FROM themes WHERE number = '1.3'")
        .await;
    let path = format!("/plans/1/themes/{theme}");
    // The review page is cached; the edit must still show on the next view.
    assert!(
        app.get("/plans/1", Some(&cookie))
            .await
            .body
            .contains("tầm nhìn đến năm 1945")
    );
    assert!(
        app.get(&path, Some(&cookie))
            .await
            .body
            .contains("Sửa nội dung tuyên truyền")
    );
    let text = "Việc cụ thể hóa Nghị quyết Đại hội XIII, tầm nhìn đến năm 2045.";
    let res = app
        .post(
            &path,
            Some(&cookie),
            &[("number", "1.3"), ("kind", "key"), ("text", text)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let review = app.get("/plans/1", Some(&cookie)).await.body;
    assert!(review.contains("tầm nhìn đến năm 2045") && !review.contains("tầm nhìn đến năm 1945"));
    let history = app.get("/plans/1/history", Some(&cookie)).await;
    assert!(history.body.contains("update theme"));
    assert!(history.body.contains("2045"));
    assert!(history.body.contains("1945"), "the before state is kept");
    assert!(history.body.contains("dieuphoi"));

    let bad = app
        .post(
            &path,
            Some(&cookie),
            &[("number", "1.3"), ("kind", "key"), ("text", "   ")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Nội dung không được để trống."));
}

#[tokio::test]
async fn themes_merge_and_split() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let first: i64 = app
        .scalar("SELECT id FROM themes WHERE number = '2.8'")
        .await;
    app.post(
        &format!("/plans/1/themes/{first}/merge"),
        Some(&cookie),
        &[],
    )
    .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM themes").await, 13);
    let res = app
        .post(
            &format!("/plans/1/themes/{first}/split"),
            Some(&cookie),
            &[("first", "Phần một."), ("second", "Phần hai.")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM themes").await, 14);
    let texts: Vec<String> = sqlx::query_scalar("SELECT text FROM themes ORDER BY position")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let i = texts.iter().position(|t| t == "Phần một.").unwrap();
    assert_eq!(texts[i + 1], "Phần hai.");
}

#[tokio::test]
async fn a_coordinator_corrects_a_duty_and_the_member_sees_it() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let duty: i64 = app
        .scalar("SELECT id FROM duties WHERE source_unit = 'Sở Thông tin và Truyền thông'")
        .await;
    let bao: i64 = app
        .scalar("SELECT id FROM units WHERE name = 'Báo Phú Yên'")
        .await;
    let hnb: i64 = app
        .scalar("SELECT id FROM units WHERE name = 'Hội Nhà báo tỉnh'")
        .await;
    let form = app
        .get(&format!("/plans/1/duties/{duty}"), Some(&cookie))
        .await;
    assert!(form.body.contains("Sửa nhiệm vụ"));
    let (bao, hnb) = (bao.to_string(), hnb.to_string());
    let res = app
        .post(
            &format!("/plans/1/duties/{duty}"),
            Some(&cookie),
            &[
                ("text", "Mở lớp tập huấn cho phóng viên, biên tập viên."),
                ("deadline", "15/12/2021"),
                ("lead", &bao),
                ("support", &hnb),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let bad_date = app
        .post(
            &format!("/plans/1/duties/{duty}"),
            Some(&cookie),
            &[("text", "x"), ("deadline", "31/02/2021")],
        )
        .await;
    assert!(bad_date.body.contains("Ngày không hợp lệ"));

    let member = app.member().await;
    let mine = app.get("/duties", Some(&member)).await;
    assert!(mine.body.contains("Mở lớp tập huấn cho phóng viên"));
    assert!(mine.body.contains("15/12/2021"));
    assert!(
        !mine
            .body
            .contains("Tổ chức các hoạt động tuyên truyền cổ động trực quan"),
        "another unit's duty"
    );
}

#[tokio::test]
async fn members_change_only_their_own_units_status() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let own: i64 = app
        .scalar("SELECT a.id FROM assignments a JOIN units u ON u.id = a.unit_id WHERE u.name = 'Báo Phú Yên' ORDER BY a.id LIMIT 1")
        .await;
    let other: i64 = app
        .scalar("SELECT a.id FROM assignments a JOIN units u ON u.id = a.unit_id WHERE u.name = 'Sở Thông tin và Truyền thông' LIMIT 1")
        .await;
    let res = app
        .post(
            &format!("/assignments/{other}/status"),
            Some(&member),
            &[("status", "done")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let untouched: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM assignments WHERE id = $1 AND status = 'not_started'",
    )
    .bind(other)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(untouched, 1);

    let res = app
        .post(
            &format!("/assignments/{own}/status"),
            Some(&member),
            &[("status", "in_progress"), ("note", "Đã mở chuyên mục")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'status' AND entity = 'assignment'")
        .await;
    assert_eq!(audited, 1);
    let bad = app
        .post(
            &format!("/assignments/{own}/status"),
            Some(&member),
            &[("status", "xong")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let page = app.get("/duties", Some(&member)).await;
    assert!(page.body.contains("Đã mở chuyên mục"));
}

#[tokio::test]
async fn drafts_are_not_handed_out_until_published() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    app.upload("/plans/import", &cookie, "ban-sao.txt", SEED)
        .await;
    let member = app.member().await;
    let count = |body: &str| body.matches("<tr id=\"a-").count();
    let before = count(&app.get("/duties", Some(&member)).await.body);
    app.post("/plans/2/publish", Some(&cookie), &[]).await;
    let after = count(&app.get("/duties", Some(&member)).await.body);
    assert!(after > before, "{before} -> {after}");
}

#[tokio::test]
async fn the_matrix_filters_by_group_and_status() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let all = app.get("/plans/1/matrix", Some(&cookie)).await;
    assert!(all.body.contains("Huyện ủy Tuy An"));
    assert!(all.body.contains("Báo Phú Yên"));
    let group: i64 = app
        .scalar("SELECT id FROM unit_groups WHERE name = 'Các cơ quan báo chí của tỉnh'")
        .await;
    let filtered = app
        .get(&format!("/plans/1/matrix?group={group}"), Some(&cookie))
        .await;
    assert!(filtered.body.contains("Báo Phú Yên"));
    assert!(!filtered.body.contains("Huyện ủy Tuy An"));
    let done = app.get("/plans/1/matrix?status=done", Some(&cookie)).await;
    assert!(done.body.contains("Không có đơn vị nào khớp bộ lọc."));
}

#[tokio::test]
async fn unknown_unit_names_are_proposed_and_resolved() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let doc = "KẾ HOẠCH\nthử nghiệm năm 2022\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Tuyên truyền.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp: Phổ biến pháp luật.\n2. Sở TT&TT: Hướng dẫn báo chí.\n";
    let res = app
        .upload("/plans/import", &cookie, "tu-phap.txt", doc.as_bytes())
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(res.location(), Some(&cookie)).await;
    assert!(page.body.contains("Đơn vị chưa có trong danh mục"));
    assert!(page.body.contains("Sở Tư pháp"));
    let id = res.location().trim_start_matches("/plans/").to_owned();
    let r = app
        .post(
            &format!("/plans/{id}/unknown-units"),
            Some(&cookie),
            &[("name", "Sở Tư pháp"), ("action", "create")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(res.location(), Some(&cookie)).await;
    assert!(!page.body.contains("Đơn vị chưa có trong danh mục"));
    assert!(page.body.contains("Chủ trì: Sở Tư pháp"));
    assert!(
        page.body.contains("Chủ trì: Sở Thông tin và Truyền thông"),
        "abbreviation matched"
    );
}

#[tokio::test]
async fn a_word_document_imports_like_the_text_file() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let bytes = common::docx(std::str::from_utf8(SEED).unwrap());
    let res = app
        .upload("/plans/import", &cookie, "ke-hoach.docx", &bytes)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let themes: i64 = app
        .scalar("SELECT COUNT(*) FROM themes WHERE plan_id = 2")
        .await;
    let duties: i64 = app
        .scalar("SELECT COUNT(*) FROM duties WHERE plan_id = 2")
        .await;
    assert_eq!((themes, duties), (14, 15));
}

/// Replaces the number after each of `prefixes` with `[id]`: ids depend on
/// the engine's sequences, not on what the page says.
fn redact_ids(html: &str, prefixes: &[&str]) -> String {
    let mut out = html.to_owned();
    for prefix in prefixes {
        let mut done = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(prefix) {
            let after = &rest[i + prefix.len()..];
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            done.push_str(&rest[..i + prefix.len()]);
            if digits > 0 {
                done.push_str("[id]");
            }
            rest = &after[digits..];
        }
        done.push_str(rest);
        out = done;
    }
    out
}

#[tokio::test]
async fn the_seed_plan_review_page_renders_as_before() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let page = app.get("/plans/1", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = redact_ids(
        &page.body,
        &[
            "/plans/", "theme-", "duty-", "/themes/", "/duties/", "value=\"",
        ],
    );
    insta::assert_snapshot!("review_seed_plan", html);
}
