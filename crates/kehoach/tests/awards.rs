//! Juried competitions through the real router: an entrant submits a work
//! with a PDF, the secretariat takes it in, judges score it in two rounds,
//! rounds close sealed, the council decides and the office exports and
//! publishes. Also: who may see what, blind judging, refused uploads.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::awards::*;
use common::{TestApp, document_xml};
use kehoach::awards::repo::AwardError;

/// Every cell of a sheet as text, a line a row. The publication date is
/// the test's "a few days ago", so it is redacted.
fn cells(range: &calamine::Range<calamine::Data>) -> String {
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    let date = header.iter().position(|h| h == "Ngày đăng, phát");
    let mut out = vec![header.join(" | ")];
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if Some(i) == date {
                    "[ngày đăng]".to_owned()
                } else {
                    c.to_string()
                }
            })
            .collect();
        out.push(line.join(" | "));
    }
    out.join("\n")
}

#[tokio::test]
async fn an_entry_goes_from_submission_to_a_published_prize() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    add_judge(&app, &office, "gk-baophuyen", "Báo Phú Yên").await;
    add_judge(&app, &office, "gk-doclap", "").await;

    // The entrant submits with a PDF and gets an entry code.
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    let res = submit(&app, &entrant, &days_ago(10), &[("bai-bao.pdf", PDF)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let entry = app.scalar("SELECT MAX(id) FROM award_entries").await;
    assert_eq!(res.location(), format!("/giai/bai/{entry}"));
    let page = app.get(res.location(), Some(&entrant)).await;
    assert!(page.body.contains("BI-0001"), "{}", page.body);
    assert!(page.body.contains("Đã nộp, chờ tiếp nhận"));

    // Intake, then the preliminary round: the judge from the entry's own
    // outlet is never assigned.
    accept(&app, &office, entry).await;
    let prelim = round_id(&app, "preliminary").await;
    let open_prelim = format!("/awards/{EDITION}/rounds/{prelim}/open");
    let early = app.post(&open_prelim, Some(&office), &[]).await;
    assert!(early.body.contains("Đang chấm"), "{}", early.body);
    set_status(&app, &office, "judging").await;
    let res = app.post(&open_prelim, Some(&office), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // A second click finds the round open and changes nothing.
    let again = app.post(&open_prelim, Some(&office), &[]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    let conflicted = app
        .scalar(
            "SELECT COUNT(*) FROM award_assignments a JOIN users u ON u.id = a.judge_id \
             WHERE u.username = 'gk-baophuyen'",
        )
        .await;
    assert_eq!(conflicted, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM award_assignments").await,
        2
    );

    // The independent judge scores first; the demo judge does not see that
    // score until submitting their own.
    let independent = app.login("gk-doclap", "matkhau-giamkhao").await;
    let judge = app.login("giamkhao", "nui-da-bia-2021").await;
    assert_eq!(
        score(&app, &independent, prelim, entry, "7").await.status,
        StatusCode::SEE_OTHER
    );
    let sheet = app
        .get(&format!("/giai/cham/{prelim}/{entry}"), Some(&judge))
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(
        sheet.body.contains("Trần Thị Hoa"),
        "not blind: authors shown"
    );
    assert!(sheet.body.contains("type=\"application/pdf\""));
    assert!(!sheet.body.contains("7.00"), "another judge's score leaked");
    assert!(!sheet.body.contains("Đề tài tốt"));
    let bad = score(&app, &judge, prelim, entry, "11").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Điểm mỗi tiêu chí từ 0 đến 10"),
        "{}",
        bad.body
    );
    assert_eq!(
        score(&app, &judge, prelim, entry, "9").await.status,
        StatusCode::SEE_OTHER
    );
    let sheet = app
        .get(&format!("/giai/cham/{prelim}/{entry}"), Some(&judge))
        .await;
    assert!(sheet.body.contains("9.00") && sheet.body.contains("7.00"));

    // The judge streams the file with a range request, named by code.
    let file = app.scalar("SELECT MAX(id) FROM award_files").await;
    let req = Request::get(format!("/giai/tep/{file}"))
        .header(header::COOKIE, &judge)
        .header(header::RANGE, "bytes=0-3")
        .body(Body::empty())
        .unwrap();
    let part = app.send(req).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, b"%PDF");
    assert_eq!(
        part.headers[header::CONTENT_RANGE],
        format!("bytes 0-3/{}", PDF.len()).as_str()
    );
    let disposition = part.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("BI-0001-1.pdf"), "{disposition}");
    // Framed by the judging page (the inline PDF viewer), and only by ours.
    let csp = part.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    assert_eq!(part.headers[header::X_FRAME_OPTIONS], "SAMEORIGIN");
    assert_eq!(part.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    // A judge taken off an entry no longer counts.
    reassign_independent(&app, &office, prelim, "remove").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM award_scores WHERE entry_id = 1")
            .await,
        1
    );
    reassign_independent(&app, &office, prelim, "add").await;

    // Closing seals the round; the final round takes the shortlist.
    let res = app
        .post(
            &format!("/awards/{EDITION}/rounds/{prelim}/close"),
            Some(&office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let late = score(&app, &judge, prelim, entry, "10").await;
    assert_eq!(
        late.status,
        StatusCode::BAD_REQUEST,
        "a sealed round took a score"
    );
    let final_round = round_id(&app, "final").await;
    open_round(&app, &office, final_round).await;
    score(&app, &judge, final_round, entry, "9").await;
    score(&app, &independent, final_round, entry, "8").await;
    app.post(
        &format!("/awards/{EDITION}/rounds/{final_round}/close"),
        Some(&office),
        &[],
    )
    .await;
    for round in [prelim, final_round] {
        let verified =
            kehoach::awards::rounds::verify_round(&app.db, &app.state.settings, round).await;
        assert!(verified.is_ok(), "{verified:?}");
    }

    // Results: the single entry takes the top tier; an override needs a reason.
    let res = compute(&app, &office).await;
    // Computing answers with the results page by GET, so a reload is harmless.
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("/awards/{EDITION}/results"));
    assert_eq!(
        app.scalar_bind(
            "SELECT COUNT(*) FROM award_prizes WHERE computed_tier = $1",
            "Giải A"
        )
        .await,
        1
    );
    let res = app
        .post(
            &format!("/awards/{EDITION}/results/{entry}"),
            Some(&office),
            &[("tier", "Giải B"), ("reason", "")],
        )
        .await;
    assert!(res.body.contains("cần ghi rõ lý do"), "{}", res.body);
    let res = app
        .post(
            &format!("/awards/{EDITION}/results/{entry}"),
            Some(&office),
            &[("tier", "Giải A"), ("reason", ""), ("forwarded", "on")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // Exports, read back.
    let decision = app
        .get(
            &format!("/awards/{EDITION}/export/decision.docx"),
            Some(&office),
        )
        .await;
    let xml = document_xml(&decision.bytes);
    assert!(xml.contains("QUYẾT ĐỊNH") && xml.contains("Đảng viên trẻ nơi biên giới biển"));
    assert!(xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && xml.contains("Times New Roman"));
    let minutes = app
        .get(
            &format!("/awards/{EDITION}/export/minutes.docx"),
            Some(&office),
        )
        .await;
    let seal: String = sqlx::query_scalar("SELECT seal FROM award_rounds WHERE id = $1")
        .bind(final_round)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let xml = document_xml(&minutes.bytes);
    assert!(xml.contains("BIÊN BẢN") && xml.contains(&seal));
    let cert = app
        .get(
            &format!("/awards/{EDITION}/certificates/{entry}"),
            Some(&office),
        )
        .await;
    let xml = document_xml(&cert.bytes);
    assert!(xml.contains("GIẤY CHỨNG NHẬN") && xml.contains("Trần Thị Hoa"));
    for (doc, sheet) in [
        ("results.xlsx", "Kết quả"),
        ("forwarding.xlsx", "Gửi giải toàn quốc"),
    ] {
        use calamine::Reader;
        let res = app
            .get(&format!("/awards/{EDITION}/export/{doc}"), Some(&office))
            .await;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(res.bytes)).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        let text: Vec<String> = range
            .rows()
            .nth(1)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert!(text.iter().any(|c| c.contains("Đảng viên trẻ")), "{text:?}");
        assert!(text.iter().any(|c| c == "Giải A"), "{text:?}");
        insta::assert_snapshot!(format!("export_{}", doc.replace('.', "_")), cells(&range));
    }

    // Before publication the public sees nothing; after, the results and
    // the gallery with the winning file.
    assert_eq!(
        app.get(&format!("/giai/{EDITION}/ket-qua"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/giai/tep/{file}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    app.post(
        &format!("/awards/{EDITION}/status"),
        Some(&office),
        &[("status", "published")],
    )
    .await;
    let recompute = compute(&app, &office).await;
    assert_eq!(
        recompute.status,
        StatusCode::BAD_REQUEST,
        "published results changed"
    );
    let public = app.get(&format!("/giai/{EDITION}/ket-qua"), None).await;
    assert!(public.body.contains("Đảng viên trẻ nơi biên giới biển"));
    let gallery = app.get(&format!("/giai/{EDITION}/trien-lam"), None).await;
    assert!(gallery.body.contains(&format!("/giai/tep/{file}")));
    let mine = app.get("/giai/cua-toi", Some(&entrant)).await;
    assert!(
        mine.body.contains("<strong>Giải A</strong>"),
        "{}",
        mine.body
    );
    let public_file = app.get(&format!("/giai/tep/{file}"), None).await;
    assert_eq!(public_file.status, StatusCode::OK);
    assert_eq!(public_file.bytes, PDF);

    // Every score change is in the audit log.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'award_entry' AND action = 'score'"
        )
        .await,
        4
    );
}

#[tokio::test]
async fn refused_uploads_and_ineligible_entries_leave_nothing_behind() {
    let app = TestApp::demo().await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    let res = submit(&app, &entrant, &days_ago(10), &[("bai-bao.pdf", EXE)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("loại tệp không được nhận"),
        "{}",
        res.body
    );
    let res = submit(&app, &entrant, &days_ago(400), &[("bai-bao.pdf", PDF)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("ngoài thời gian xét giải"),
        "{}",
        res.body
    );
    let res = submit(&app, &entrant, &days_ago(10), &[]).await;
    assert!(res.body.contains("Thiếu tệp tác phẩm"), "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_entries").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_files").await, 0);
    assert_eq!(blob_count(&app), 0, "a refused upload stayed in the store");

    // At most two entries per author (the demo edition's rule).
    for _ in 0..2 {
        let res = submit(&app, &entrant, &days_ago(10), &[("a.pdf", PDF)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let res = submit(&app, &entrant, &days_ago(10), &[("a.pdf", PDF)]).await;
    assert!(res.body.contains("đã có đủ 2 tác phẩm"), "{}", res.body);
    // A third entry stored at the same moment as the check (bypassing it, as
    // a concurrent request would) is still refused inside the transaction.
    let entry = kehoach::awards::repo::entry(&app.db, 1)
        .await
        .unwrap()
        .unwrap();
    let entrant_id = entry.entrant_id;
    let raced = kehoach::awards::repo::save_entry(
        &app.db,
        entrant_id,
        EDITION,
        None,
        &entry.new_entry(),
        &[],
        &[],
        2,
    )
    .await;
    assert!(matches!(raced, Err(AwardError::OverLimit(_))), "{raced:?}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_entries").await, 2);
    // Identical files are stored once.
    assert_eq!(blob_count(&app), 1);
}

#[tokio::test]
async fn each_account_sees_only_what_the_rules_allow() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    submit(&app, &entrant, &days_ago(5), &[("bai.pdf", PDF)]).await;
    let entry = app.scalar("SELECT MAX(id) FROM award_entries").await;
    let file = app.scalar("SELECT MAX(id) FROM award_files").await;

    // Another entrant registers and finds nothing of the first one's.
    let res = app
        .post(
            "/giai/dang-ky",
            None,
            &[
                ("username", "tacgia2"),
                ("display_name", "Lê Thị Mai"),
                ("password", "hoa-phuong-do-1975"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let other = app.login("tacgia2", "hoa-phuong-do-1975").await;
    let judge = app.login("giamkhao", "nui-da-bia-2021").await;
    let member = app.member().await;
    for cookie in [&other, &judge, &member] {
        for path in [format!("/giai/bai/{entry}"), format!("/giai/tep/{file}")] {
            let res = app.get(&path, Some(cookie)).await;
            assert!(
                matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{path}: {}",
                res.status
            );
        }
    }
    assert_eq!(
        app.get(&format!("/giai/tep/{file}"), Some(&entrant))
            .await
            .status,
        StatusCode::OK
    );
    // Before assignment the judge has no sheet for the entry.
    let prelim = round_id(&app, "preliminary").await;
    assert_eq!(
        app.get(&format!("/giai/cham/{prelim}/{entry}"), Some(&judge))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Judges and entrants never reach plan pages or the office's award pages.
    let office_gets = [
        "/awards".to_owned(),
        "/awards/new".into(),
        format!("/awards/{EDITION}"),
        format!("/awards/{EDITION}/edit"),
        format!("/awards/{EDITION}/entries"),
        format!("/awards/{EDITION}/judges"),
        format!("/awards/{EDITION}/rounds/{prelim}"),
        format!("/awards/{EDITION}/results"),
        format!("/awards/{EDITION}/export/results.xlsx"),
        format!("/awards/{EDITION}/certificates/{entry}"),
    ];
    let office_posts = [
        format!("/awards/{EDITION}/status"),
        format!("/awards/{EDITION}/entries/{entry}/intake"),
        format!("/awards/{EDITION}/judges"),
        format!("/awards/{EDITION}/rounds/{prelim}/open"),
        format!("/awards/{EDITION}/rounds/{prelim}/close"),
        format!("/awards/{EDITION}/rounds/{prelim}/assign"),
        format!("/awards/{EDITION}/results/compute"),
        format!("/awards/{EDITION}/results/{entry}"),
        format!("/awards/{EDITION}/rounds/{prelim}/remind"),
        format!("/awards/{EDITION}/tiers"),
        format!("/awards/{EDITION}/topics"),
        format!("/awards/{EDITION}/entries/accept"),
    ];
    for cookie in [&entrant, &judge, &member] {
        for path in &office_gets {
            assert_eq!(
                app.get(path, Some(cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        for path in &office_posts {
            // A form every handler accepts, so the refusal is the handler's.
            let form = [
                ("status", "open"),
                ("decision", "accepted"),
                ("code", "BI-0001"),
                ("judge", "1"),
                ("action", "add"),
                ("tier", ""),
                ("topic", "x"),
                ("scope", "all"),
                ("username", "x"),
                ("display_name", "x"),
                ("password", "x"),
            ];
            let res = app.post(path, Some(cookie), &form).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    for path in &office_gets {
        assert_eq!(app.get(path, None).await.location(), "/login", "{path}");
    }
    for cookie in [&entrant, &judge] {
        for path in ["/plans", "/duties", "/activities", "/reports", "/contests"] {
            assert_eq!(
                app.get(path, Some(cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    // Only entrants submit; only judges open the judging list.
    assert_eq!(
        app.get("/giai/cham", Some(&entrant)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/giai/cua-toi", Some(&judge)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/giai/{EDITION}/du-thi"), Some(&office))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Home sends each to their own start page.
    assert_eq!(app.get("/", Some(&judge)).await.location(), "/giai/cham");
    assert_eq!(
        app.get("/", Some(&entrant)).await.location(),
        "/giai/cua-toi"
    );
}

#[tokio::test]
async fn blind_judging_reveals_no_author_anywhere() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    // Turn the demo edition blind.
    let form = app
        .get(&format!("/awards/{EDITION}/edit"), Some(&office))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let settings = kehoach::awards::repo::edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let mut typed = kehoach::awards::domain::EditionForm::from_settings(&settings);
    typed.blind = Some("on".into());
    let res = save_edition(&app, &office, &typed).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    submit(
        &app,
        &entrant,
        &days_ago(5),
        &[("Tran-Thi-Hoa-bai-du-thi.pdf", PDF)],
    )
    .await;
    let entry = app.scalar("SELECT MAX(id) FROM award_entries").await;
    let file = app.scalar("SELECT MAX(id) FROM award_files").await;
    let prelim = accept_and_open(&app, &office, entry).await;
    let judge = app.login("giamkhao", "nui-da-bia-2021").await;
    let secrets = [
        "Trần Thị Hoa",
        "Hoa Biển",
        "Nguyễn Văn Nam",
        "Báo Phú Yên",
        "Tran-Thi-Hoa",
    ];
    let list = app.get("/giai/cham", Some(&judge)).await;
    let sheet = app
        .get(&format!("/giai/cham/{prelim}/{entry}"), Some(&judge))
        .await;
    assert!(sheet.body.contains("Đảng viên trẻ nơi biên giới biển"));
    let download = app.get(&format!("/giai/tep/{file}"), Some(&judge)).await;
    assert_eq!(download.status, StatusCode::OK);
    let disposition = download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    for page in [&list.body, &sheet.body, &disposition] {
        for secret in secrets {
            assert!(!page.contains(secret), "{secret} shown to a blind judge");
        }
    }
    // The secretariat still sees who wrote it.
    let intake = app
        .get(&format!("/awards/{EDITION}/entries"), Some(&office))
        .await;
    assert!(intake.body.contains("Trần Thị Hoa"));
}

/// Entry files in S3-compatible storage: `.ci/run` starts a local S3 server
/// and runs this test with KEHOACH_TEST_S3_URL, AWS_ENDPOINT,
/// AWS_ALLOW_HTTP and credentials set.
#[tokio::test]
#[ignore = "needs an S3-compatible server; .ci/run starts one"]
async fn entry_files_live_in_s3_storage_when_configured() {
    let url = std::env::var("KEHOACH_TEST_S3_URL").expect("KEHOACH_TEST_S3_URL");
    let (db, dir) = common::fresh_db().await;
    kehoach::demo::load(&db).await.unwrap();
    let app = TestApp::with_settings(db, dir, |s| s.files_url = Some(url));
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    let res = submit(&app, &entrant, &days_ago(10), &[("a.pdf", EXE)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = submit(&app, &entrant, &days_ago(10), &[("bai-bao.pdf", PDF)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let file = app.scalar("SELECT MAX(id) FROM award_files").await;
    let whole = app.get(&format!("/giai/tep/{file}"), Some(&entrant)).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.bytes, PDF);
    let req = Request::get(format!("/giai/tep/{file}"))
        .header(header::COOKIE, &entrant)
        .header(header::RANGE, "bytes=-6")
        .body(Body::empty())
        .unwrap();
    let tail = app.send(req).await;
    assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes, b"%%EOF\n");
    assert_eq!(blob_count(&app), 0, "nothing goes to the local folder");
}
