//! The secretariat sees each judge's progress in a round and reminds one who
//! is behind; the judge finds the reminder in their notices and their list
//! shows their own progress, open rounds first.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::awards::*;

#[tokio::test]
async fn a_judge_behind_is_reminded() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    add_judge(&app, &office, "gk-cham", "Báo Thanh Niên").await;
    let (entrant, _entry, prelim) = one_scored_entry(&app, &office).await;
    let late = app
        .scalar_bind("SELECT id FROM users WHERE username = $1", "gk-cham")
        .await;
    let done = app
        .scalar_bind("SELECT id FROM users WHERE username = $1", "giamkhao")
        .await;
    let round_page = format!("/awards/{EDITION}/rounds/{prelim}");
    let page = app.get(&round_page, Some(&office)).await;
    assert!(page.body.contains("Tiến độ chấm"), "{}", page.body);
    assert!(
        page.body.contains("0/1") && page.body.contains("1/1"),
        "{}",
        page.body
    );

    let remind = async |cookie: &str, judge: i64| {
        app.post(
            &format!("{round_page}/remind"),
            Some(cookie),
            &[("judge", &judge.to_string())],
        )
        .await
    };
    assert_eq!(remind(&entrant, late).await.status, StatusCode::FORBIDDEN);
    let res = remind(&office, done).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "nothing left to score");
    let res = remind(&office, late).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let back = app.get(res.location(), Some(&office)).await;
    assert!(
        back.body.contains("Đã gửi nhắc cho Giám khảo gk-cham"),
        "{}",
        back.body
    );
    assert_eq!(
        app.scalar_bind("SELECT COUNT(*) FROM audit_log WHERE action = $1", "remind")
            .await,
        1
    );

    let judge = app.login("gk-cham", "matkhau-giamkhao").await;
    let notices = app.get("/notices", Some(&judge)).await;
    assert_eq!(notices.status, StatusCode::OK);
    assert!(notices.body.contains("Nhắc chấm"), "{}", notices.body);
    let list = app.get("/giai/cham", Some(&judge)).await;
    assert!(
        list.body.contains("Bạn đã chấm 0/1 tác phẩm"),
        "{}",
        list.body
    );

    close_sealed(&app, &office, prelim).await;
    let res = remind(&office, late).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "the round is closed");
}
