//! A contest plays only as its office says: a paper the bank cannot fill
//! never opens nor reaches a participant, and pause, close or draft stop
//! start, autosave and hand-in at once, also when another server instance
//! made the change.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::contests::*;

async fn set_status(app: &TestApp, office: &str, contest: i64, status: &str) -> common::Resp {
    app.post(
        &format!("/contests/{contest}/status"),
        Some(office),
        &[("status", status)],
    )
    .await
}

#[tokio::test]
async fn a_paper_naming_a_missing_topic_cannot_open() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, _) =
        draft_contest(&app, &office, "unlimited", "random:Bầu cử=3;Lich su Dang=3").await;
    let page = app
        .get(&format!("/contests/{contest}"), Some(&office))
        .await;
    assert!(
        page.body.contains("Chưa rút được đề đầy đủ"),
        "{}",
        page.body
    );
    let res = set_status(&app, &office, contest, "open").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("Lich su Dang"), "{}", res.body);
    let preview = app
        .get(&format!("/contests/{contest}/preview"), Some(&office))
        .await;
    assert!(preview.body.contains("Lich su Dang"), "{}", preview.body);
    let draft = "SELECT COUNT(*) FROM contests WHERE status = $1";
    assert_eq!(app.scalar_bind(draft, "draft").await, 1);

    // With the bank in place, saving a paper it cannot fill is refused too.
    let mut form = contest_form("unlimited", "random:Bầu cử=90");
    form.retain(|(k, _)| *k != "title");
    form.push(("title", "Tìm hiểu Nghị quyết"));
    let res = app
        .post(&format!("/contests/{contest}/edit"), Some(&office), &form)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("không đủ 90 câu"), "{}", res.body);
}

#[tokio::test]
async fn a_draw_that_fails_at_run_time_refuses_the_start_and_tells_the_office() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) =
        draft_contest(&app, &office, "unlimited", "random:Bầu cử=3;Lịch sử Đảng=3").await;
    let res = set_status(&app, &office, contest, "open").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The office reads a sample paper first: six questions, answers marked;
    // nobody else may.
    let preview = app
        .get(&format!("/contests/{contest}/preview"), Some(&office))
        .await;
    assert_eq!(preview.body.matches("✓").count(), 6, "{}", preview.body);
    let member = app.member().await;
    let path = format!("/contests/{contest}/preview");
    assert_eq!(
        app.get(&path, Some(&member)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get(&path, None).await.location(), "/login");
    // The bank changes behind the office pages before anyone plays.
    sqlx::query("UPDATE contest_questions SET topic = 'Khác' WHERE topic = 'Bầu cử'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    let me = cookie_of(&register(&app, contest, "Lê A", "0905111222", &tuy_an).await);
    let res = start(&app, round, &me).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert!(res.body.contains("chưa có đủ câu hỏi"), "{}", res.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM contest_attempts WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = (SELECT MAX(id) FROM contests))").await, 0);
    start(&app, round, &me).await;
    let told = "SELECT COUNT(*) FROM notices WHERE text LIKE '%không rút đủ đề%' AND user_id = \
                (SELECT id FROM users WHERE username = $1)";
    assert_eq!(app.scalar_bind(told, "dieuphoi").await, 1, "told once");
}

#[tokio::test]
async fn pause_and_close_stop_play_at_once() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    let me = cookie_of(&register(&app, contest, "Lê B", "0905333444", &tuy_an).await);
    let token = token_of(&start(&app, round, &me).await);
    let hand_in = async || {
        app.post("/thi/bai/nop", None, &[("token", token.as_str())])
            .await
    };
    let save = async || {
        app.post("/thi/bai/luu", None, &[("token", token.as_str())])
            .await
    };

    let res = set_status(&app, &office, contest, "paused").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = start(&app, round, &me).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("đang tạm dừng"), "{}", res.body);
    assert_eq!(save().await.status, StatusCode::CONFLICT);
    assert_eq!(hand_in().await.status, StatusCode::CONFLICT);

    set_status(&app, &office, contest, "open").await;
    assert_eq!(save().await.status, StatusCode::NO_CONTENT);

    // Closed by another server instance: this one follows within a second.
    sqlx::query("UPDATE contests SET status = 'closed' WHERE id = $1")
        .bind(contest)
        .execute(&app.db.pool)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(hand_in().await.status, StatusCode::CONFLICT);
    assert_eq!(start(&app, round, &me).await.status, StatusCode::CONFLICT);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_submissions WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = (SELECT MAX(id) FROM contests))").await,
        0
    );
}
