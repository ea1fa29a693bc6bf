//! Activities, bulk import, reporting periods and the report workflow.

mod common;

use axum::http::StatusCode;
use common::TestApp;

const HEADER: &str =
    "unit,kind,title,date_from,date_to,link,items,participants,reach,themes,channel";

async fn unit_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar::<_, i64>("SELECT id FROM units WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .to_string()
}

async fn record(
    app: &TestApp,
    cookie: &str,
    unit: &str,
    title: &str,
    date: &str,
) -> axum::http::StatusCode {
    let unit = unit_id(app, unit).await;
    app.post(
        "/activities",
        Some(cookie),
        &[
            ("plan_id", "1"),
            ("unit_id", &unit),
            ("kind", "article"),
            ("title", title),
            ("date_from", date),
            ("items", "1"),
            ("reach", "5.000"),
        ],
    )
    .await
    .status
}

#[tokio::test]
async fn a_member_records_activities_for_own_units_only() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    assert_eq!(
        record(
            &app,
            &member,
            "Báo Phú Yên",
            "Chuyên mục Xây dựng Đảng",
            "05/03/2021"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        record(
            &app,
            &member,
            "Sở Thông tin và Truyền thông",
            "Không phải của tôi",
            "05/03/2021"
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let list = app.get("/activities?plan=1", Some(&member)).await;
    assert!(list.body.contains("Chuyên mục Xây dựng Đảng"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activities").await, 1);
    assert_eq!(app.scalar("SELECT reach FROM activities").await, 5000);

    let bad = app
        .post(
            "/activities",
            Some(&member),
            &[
                ("plan_id", "1"),
                ("unit_id", &unit_id(&app, "Báo Phú Yên").await),
                ("kind", "article"),
                ("title", "x"),
                ("date_from", "31/02/2021"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Ngày không hợp lệ"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activities").await, 1);
}

#[tokio::test]
async fn only_the_owning_unit_changes_an_activity() {
    let app = TestApp::demo().await;
    let coordinator = app.coordinator().await;
    record(
        &app,
        &coordinator,
        "Sở Thông tin và Truyền thông",
        "Lớp tập huấn phóng viên",
        "10/04/2021",
    )
    .await;
    let id = app.scalar("SELECT id FROM activities").await;
    let member = app.member().await;
    assert_eq!(
        app.get(&format!("/activities/{id}"), Some(&member))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .post(&format!("/activities/{id}/delete"), Some(&member), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(
        !app.get("/activities", Some(&member))
            .await
            .body
            .contains("Lớp tập huấn phóng viên")
    );
    let csv = app.get("/activities/export.csv", Some(&member)).await;
    assert!(!csv.body.contains("Lớp tập huấn phóng viên"));
    let csv = app.get("/activities/export.csv", Some(&coordinator)).await;
    assert!(csv.body.starts_with('\u{feff}') && csv.body.contains("Lớp tập huấn phóng viên"));
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'activity'")
            .await
            >= 1
    );
}

#[tokio::test]
async fn the_template_imports_and_bad_files_import_nothing() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let template = app.get("/activities/template.csv", Some(&member)).await;
    assert!(template.body.contains(HEADER));
    let ok = app
        .upload(
            "/activities/import?plan=1",
            &member,
            "mau.csv",
            template.body.as_bytes(),
        )
        .await;
    assert!(ok.body.contains("Đã nhập 1 hoạt động."), "{}", ok.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activity_themes").await, 2);

    let bad = format!(
        "{HEADER}\n\
         Đài PT-TH tỉnh,Chương trình phát thanh truyền hình,Phóng sự,06/03/2021,,,1,,,1.2,1.1\n\
         Báo Phú Yên,tin bai,Bài A,31/02/2021,,,,,,,\n\
         Sở TT&TT,article,Không phải đơn vị mình,06/03/2021,,,,,,,\n\
         Báo Phú Yên,article,Bài B,07/03/2021,,,,,,9.9,\n\
         Báo Phú Yên,viet bai,Bài C,07/03/2021,,,,,,,\n\
         Báo Phú Yên,article,=HYPERLINK(\"x\"),07/03/2021,,,,,,,\n\
         Báo Phú Yên,article,Chuyên mục Xây dựng Đảng số 1,05/03/2021,,,,,,,\n"
    );
    let res = app
        .upload(
            "/activities/import?plan=1",
            &member,
            "sai.csv",
            bad.as_bytes(),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for line in ["Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6", "Dòng 7", "Dòng 8"] {
        assert!(res.body.contains(line), "missing {line}: {}", res.body);
    }
    assert!(!res.body.contains("Dòng 2:"), "row 2 is valid");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM activities").await,
        1,
        "nothing half-imported"
    );

    let wrong = app
        .upload(
            "/activities/import?plan=1",
            &member,
            "x.csv",
            b"ten,ngay\nA,1\n",
        )
        .await;
    assert!(wrong.body.contains("các cột phải là"));
    let binary = app
        .upload(
            "/activities/import?plan=1",
            &member,
            "x.csv",
            &[0xff, 0xfe, 0, 1, 2],
        )
        .await;
    assert!(
        binary.body.contains("không phải bảng tính") || binary.body.contains("UTF-8"),
        "{}",
        binary.body
    );

    // The same columns from Excel (.xlsx) import the same way.
    use kehoach_office::{Cell, Sheet};
    let text = |s: &str| Cell::Text(s.to_owned());
    let sheet = Sheet {
        name: "Hoạt động".into(),
        header: HEADER.split(',').map(str::to_owned).collect(),
        rows: vec![vec![
            text("Huyện ủy Tuy An"),
            text("Hội nghị báo cáo viên"),
            text("Hội nghị quý I"),
            Cell::Date {
                year: 2021,
                month: 3,
                day: 20,
            },
            Cell::Empty,
            Cell::Empty,
            Cell::Integer(1),
            Cell::Integer(120),
            Cell::Empty,
            text("1.1"),
            Cell::Empty,
        ]],
        column_widths: vec![],
    };
    let xlsx = kehoach_office::workbook_xlsx(&[sheet]).unwrap();
    let res = app
        .upload(
            "/activities/import?plan=1",
            &member,
            "hoat-dong.xlsx",
            &xlsx,
        )
        .await;
    assert!(res.body.contains("Đã nhập 1 hoạt động."), "{}", res.body);
    assert_eq!(
        app.scalar("SELECT participants FROM activities WHERE title = 'Hội nghị quý I'")
            .await,
        120
    );
}

#[tokio::test]
async fn periods_are_set_by_the_office() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let form = [
        ("kind", "quarterly"),
        ("name", "Quý I năm 2021"),
        ("starts_on", "01/01/2021"),
        ("ends_on", "31/03/2021"),
        ("due_on", "05/04/2021"),
    ];
    assert_eq!(
        app.post("/plans/1/periods", Some(&member), &form)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let coordinator = app.coordinator().await;
    assert_eq!(
        app.post("/plans/1/periods", Some(&coordinator), &form)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let bad = app
        .post(
            "/plans/1/periods",
            Some(&coordinator),
            &[
                ("kind", "quarterly"),
                ("name", "Quý II"),
                ("starts_on", "01/04/2021"),
                ("ends_on", "31/03/2021"),
                ("due_on", "05/07/2021"),
            ],
        )
        .await;
    assert!(
        bad.body
            .contains("Ngày kết thúc không được trước ngày bắt đầu.")
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM periods").await, 1);
}

#[tokio::test]
async fn a_report_is_submitted_returned_resubmitted_and_accepted() {
    let app = TestApp::demo().await;
    let coordinator = app.coordinator().await;
    app.first_quarter(&coordinator).await;
    let period = app.scalar("SELECT id FROM periods").await;
    let member = app.member().await;
    record(&app, &member, "Báo Phú Yên", "Bài trong quý", "15/02/2021").await;
    record(&app, &member, "Báo Phú Yên", "Bài ngoài quý", "15/05/2021").await;
    let unit = unit_id(&app, "Báo Phú Yên").await;
    let path = format!("/reports/{period}/{unit}");

    let page = app.get(&path, Some(&member)).await;
    assert!(
        page.body.contains("1 hoạt động"),
        "pre-filled from the period's activities only"
    );
    assert!(
        app.get("/reports", Some(&member))
            .await
            .body
            .contains("Quý I năm 2021")
    );

    let empty = app
        .post(&path, Some(&member), &[("action", "submit")])
        .await;
    assert!(empty.body.contains("Hãy nêu kết quả"));
    app.post(
        &path,
        Some(&member),
        &[("results", "Đăng 1 bài."), ("action", "submit")],
    )
    .await;
    assert!(app.get(&path, Some(&member)).await.body.contains("Đã nộp"));
    let locked = app
        .post(
            &path,
            Some(&member),
            &[("results", "Sửa sau khi nộp"), ("action", "save")],
        )
        .await;
    assert!(locked.body.contains("Báo cáo đã nộp"));

    let other = unit_id(&app, "Sở Thông tin và Truyền thông").await;
    assert_eq!(
        app.get(&format!("/reports/{period}/{other}"), Some(&member))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("{path}/decision"),
            Some(&member),
            &[("action", "accept")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let no_comment = app
        .post(
            &format!("{path}/decision"),
            Some(&coordinator),
            &[("action", "return")],
        )
        .await;
    assert!(no_comment.body.contains("Hãy ghi ý kiến"));
    app.post(
        &format!("{path}/decision"),
        Some(&coordinator),
        &[
            ("action", "return"),
            ("comment", "Bổ sung số liệu tiếp cận."),
        ],
    )
    .await;
    let returned = app.get(&path, Some(&member)).await;
    assert!(
        returned.body.contains("Bị trả lại") && returned.body.contains("Bổ sung số liệu tiếp cận.")
    );
    app.post(
        &path,
        Some(&member),
        &[
            ("results", "Đăng 1 bài, 5.000 lượt đọc."),
            ("action", "submit"),
        ],
    )
    .await;
    app.post(
        &format!("{path}/decision"),
        Some(&coordinator),
        &[("action", "accept")],
    )
    .await;
    assert!(
        app.get(&path, Some(&coordinator))
            .await
            .body
            .contains("Đã tiếp nhận")
    );
    let status = app
        .get(&format!("/periods/{period}"), Some(&coordinator))
        .await;
    assert!(status.body.contains("Đã tiếp nhận") && status.body.contains("Chưa nộp"));
    assert!(
        status.body.contains("Quá hạn"),
        "units without a report after the due date are late"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'report'")
            .await,
        4
    );
}

#[tokio::test]
async fn search_ignores_diacritics_and_respects_units() {
    let app = TestApp::demo().await;
    let coordinator = app.coordinator().await;
    record(
        &app,
        &coordinator,
        "Sở Thông tin và Truyền thông",
        "Hội nghị Đảng ủy khối",
        "10/04/2021",
    )
    .await;
    let member = app.member().await;
    record(
        &app,
        &member,
        "Báo Phú Yên",
        "Phóng sự về Sơn Hoà",
        "11/04/2021",
    )
    .await;

    let office = app.get("/search?q=dang+uy", Some(&coordinator)).await.body;
    assert!(office.contains("Hội nghị Đảng ủy khối"));
    assert!(
        office.contains("Các huyện, thị, thành ủy, đảng ủy trực thuộc Tỉnh ủy"),
        "duties match too"
    );
    assert!(
        app.get("/search?q=s%C6%A1n+h%C3%B2a", Some(&coordinator))
            .await
            .body
            .contains("Phóng sự về Sơn Hoà")
    );
    let mine = app.get("/search?q=dang+uy", Some(&member)).await.body;
    assert!(
        !mine.contains("Hội nghị Đảng ủy khối"),
        "another unit's activity"
    );
    assert!(
        app.get("/search?q=%25", Some(&member))
            .await
            .status
            .is_success()
    );
}

#[tokio::test]
async fn the_dashboard_counts_coverage_and_drills_down() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let template = app.get("/activities/template.csv", Some(&member)).await;
    app.upload(
        "/activities/import?plan=1",
        &member,
        "mau.csv",
        template.body.as_bytes(),
    )
    .await;
    record(
        &app,
        &member,
        "Báo Phú Yên",
        "Không gắn nội dung",
        "06/03/2021",
    )
    .await;
    assert_eq!(
        app.get("/plans/1/dashboard", Some(&member)).await.status,
        StatusCode::FORBIDDEN
    );

    let coordinator = app.coordinator().await;
    let dash = app.get("/plans/1/dashboard", Some(&coordinator)).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.body.contains("2 hoạt động"));
    assert!(dash.body.contains("role=\"img\"") && dash.body.contains("2021-03: 2"));
    assert!(
        dash.body
            .contains("Nội dung trọng tâm đơn vị chưa tuyên truyền")
    );
    assert!(
        dash.body
            .contains("Đài Phát thanh - Truyền hình tỉnh: 1.1, 1.2"),
        "a unit with no activity misses every key theme"
    );
    let theme = app
        .scalar("SELECT id FROM themes WHERE number = '1.1' AND plan_id = 1")
        .await;
    let channel = app
        .scalar("SELECT id FROM channels WHERE number = '1.1' AND plan_id = 1")
        .await;
    let link = format!("/activities?plan=1&amp;theme={theme}&amp;channel={channel}");
    assert!(dash.body.contains(&link), "cells link to their activities");
    let press = app
        .scalar("SELECT id FROM unit_groups WHERE name = 'Các cơ quan báo chí của tỉnh'")
        .await;
    let districts = app
        .scalar("SELECT id FROM unit_groups WHERE name = 'Các huyện ủy, thị ủy, thành ủy'")
        .await;
    let by_group =
        |g: i64| app.get_owned(format!("/plans/1/dashboard?group={g}"), coordinator.clone());
    assert!(by_group(press).await.contains("2 hoạt động"));
    let none = by_group(districts).await;
    assert!(
        none.contains("0 hoạt động") && !none.contains("Đài Phát thanh - Truyền hình tỉnh: 1.1")
    );
    let by_theme = app
        .get(
            &format!("/plans/1/dashboard?theme={theme}"),
            Some(&coordinator),
        )
        .await
        .body;
    assert!(
        by_theme.contains("1 hoạt động"),
        "only the activity tagged with theme 1.1"
    );
    let drilled = app
        .get(&link.replace("&amp;", "&"), Some(&coordinator))
        .await
        .body;
    assert!(
        drilled.contains("Chuyên mục Xây dựng Đảng số 1")
            && !drilled.contains("Không gắn nội dung")
    );
}

#[tokio::test]
async fn reminders_go_out_once_as_notices_and_emails() {
    let app = TestApp::demo().await;
    let coordinator = app.coordinator().await;
    app.first_quarter(&coordinator).await;
    kehoach::demo::add_user(
        &app.db,
        "baophuyen",
        "Thư ký tòa soạn",
        "bai-xep-0123",
        "member",
        &["Báo Phú Yên"],
        "tks@baophuyen.vn",
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let settings = kehoach::config::Settings {
        data_dir: data.path().to_owned(),
        ..Default::default()
    };
    let mailer = kehoach::mail::Mailer::from_settings(&settings).unwrap();
    let outbox = settings.outbox();
    let run = |today: &'static str| kehoach::tracking::reminders::run(&app.db, &mailer, today, 3);
    assert_eq!(run("2021-03-20").await.unwrap().notices, 0, "too early");
    let first = run("2021-04-03").await.unwrap();
    assert!(first.notices > 0 && first.emails == 1, "{first:?}");
    assert_eq!(run("2021-04-04").await.unwrap().notices, 0, "sent once");
    assert!(
        run("2021-04-06").await.unwrap().notices > 0,
        "overdue is a second reminder"
    );

    let mail = std::fs::read_dir(&outbox)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mail = std::fs::read_to_string(mail).unwrap();
    assert!(mail.contains("<tks@baophuyen.vn>"), "{mail}");
    assert!(mail.contains("Subject: =?utf-8?b?"), "{mail}");
    assert!(mail.contains("/reports/"), "{mail}");
    let member = app.member().await;
    let notices = app.get("/notices", Some(&member)).await.body;
    assert!(notices.contains("Nhắc hạn: báo cáo Quý I năm 2021 của Báo Phú Yên"));
    assert!(notices.contains("Quá hạn"));
}

#[tokio::test]
async fn a_unit_subscribes_to_its_deadlines() {
    let app = TestApp::demo().await;
    let coordinator = app.coordinator().await;
    let duty = app.scalar("SELECT id FROM duties WHERE source_unit = 'Các cơ quan báo chí của tỉnh' ORDER BY position LIMIT 1").await;
    let text: String = sqlx::query_scalar("SELECT text FROM duties WHERE id = $1")
        .bind(duty)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let bao = unit_id(&app, "Báo Phú Yên").await;
    app.post(
        &format!("/plans/1/duties/{duty}"),
        Some(&coordinator),
        &[
            ("text", text.as_str()),
            ("deadline", "15/12/2021"),
            ("lead", bao.as_str()),
        ],
    )
    .await;

    let member = app.member().await;
    let other = unit_id(&app, "Sở Thông tin và Truyền thông").await;
    assert_eq!(
        app.get(&format!("/units/{other}/calendar"), Some(&member))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.post(&format!("/units/{bao}/calendar"), Some(&member), &[])
        .await;
    let page = app
        .get(&format!("/units/{bao}/calendar"), Some(&member))
        .await
        .body;
    let start = page.find("/calendar/").unwrap();
    let url = &page[start..start + "/calendar/".len() + 64 + 4];
    let feed = app.get(url, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("DTSTART;VALUE=DATE:20211215"));
    assert_eq!(
        feed.body.matches("BEGIN:VEVENT").count(),
        feed.body.matches("END:VEVENT").count()
    );
    assert_eq!(
        app.get(&format!("/calendar/{}.ics", "0".repeat(64)), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn units_attach_their_own_plans_and_the_office_sees_coverage() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let bao = unit_id(&app, "Báo Phú Yên").await;
    let sub = "KẾ HOẠCH\nthông tin, tuyên truyền về công tác xây dựng Đảng năm 2021 của Báo Phú Yên\n\
               I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Tuyên truyền sâu rộng.\n\
               II. NỘI DUNG\n1. Công tác chuẩn bị, tổ chức bầu cử đại biểu Quốc hội khóa XV và bầu cử đại biểu HĐND các cấp nhiệm kỳ 2021-2026.\n\
               2. Phòng, chống tham nhũng, lãng phí, tiêu cực, chạy chức, chạy quyền, lợi ích nhóm.\n\
               III. TỔ CHỨC THỰC HIỆN\n1. Ban Biên tập: chỉ đạo thực hiện.\n";
    let res = app
        .upload(
            &format!("/subplans/import?plan=1&unit={bao}"),
            &member,
            "bao.txt",
            sub.as_bytes(),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let again = app
        .upload(
            &format!("/subplans/import?plan=1&unit={bao}"),
            &member,
            "bao.txt",
            sub.as_bytes(),
        )
        .await;
    assert!(again.body.contains("đã gửi kế hoạch thực hiện"));
    let other = unit_id(&app, "Sở Thông tin và Truyền thông").await;
    let res = app
        .upload(
            &format!("/subplans/import?plan=1&unit={other}"),
            &member,
            "x.txt",
            sub.as_bytes(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        app.get("/subplans", Some(&member))
            .await
            .body
            .contains("Nội dung đã có: 2 / 14")
    );

    let coordinator = app.coordinator().await;
    let page = app.get("/plans/1/subplans", Some(&coordinator)).await.body;
    assert!(page.contains("Báo Phú Yên") && page.contains("2 / 14"));
    assert!(page.contains("1.1, 1.3, 1.4"), "missed themes are listed");
    assert!(page.contains("Đơn vị chưa có kế hoạch thực hiện"));
    assert!(
        !app.get("/plans", Some(&coordinator))
            .await
            .body
            .contains("của Báo Phú Yên"),
        "sub-plans sit under their plan"
    );
    assert_eq!(
        app.get("/plans/1/subplans", Some(&member)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn evidence_files_are_checked_by_content_and_kept_to_the_unit() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    record(&app, &member, "Báo Phú Yên", "Phóng sự ảnh", "05/03/2021").await;
    let id = app.scalar("SELECT id FROM activities").await;
    let path = format!("/activities/{id}/files");
    let res = app
        .upload(&path, &member, "anh \"đẹp\".pdf", b"%PDF-1.7 minh chung")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let exe = app
        .upload(&path, &member, "anh.pdf", b"MZ\x90\x00not a pdf")
        .await;
    assert_eq!(exe.status, StatusCode::BAD_REQUEST);
    assert!(exe.body.contains("Loại tệp không được chấp nhận"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activity_files").await, 1);

    let page = app
        .get(&format!("/activities/{id}"), Some(&member))
        .await
        .body;
    assert!(page.contains("Tệp minh chứng") && page.contains("/files/"));
    let file = app.scalar("SELECT id FROM activity_files").await;
    let got = app.get(&format!("/files/{file}"), Some(&member)).await;
    assert_eq!(got.bytes, b"%PDF-1.7 minh chung");
    assert_eq!(got.headers["content-type"], "application/pdf");
    assert!(
        got.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );

    let coordinator = app.coordinator().await;
    record(
        &app,
        &coordinator,
        "Sở Thông tin và Truyền thông",
        "Hội nghị",
        "06/03/2021",
    )
    .await;
    let other = app.scalar("SELECT MAX(id) FROM activities").await;
    let res = app
        .upload(
            &format!("/activities/{other}/files"),
            &member,
            "x.pdf",
            b"%PDF-1.7",
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    app.upload(
        &format!("/activities/{other}/files"),
        &coordinator,
        "y.pdf",
        b"%PDF-1.7 so",
    )
    .await;
    let theirs = app.scalar("SELECT MAX(id) FROM activity_files").await;
    assert_eq!(
        app.get(&format!("/files/{theirs}"), Some(&member))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
