//! Stages: weekly rounds created as a weekly series qualify the best for a
//! final by the declared rule (a tie for the last seat waits for the
//! office); only finalists play the online final, and the overall results
//! follow it. A final scored by a jury takes its scores from the office.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::contests::*;

fn form(finalists: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut form = contest_form("unlimited", "random:Bầu cử=3;Lịch sử Đảng=3");
    for (k, v) in [
        ("counted_attempt", "best-fastest"),
        ("ranking_rules", "score,duration,prediction"),
        ("qualify_by", "sum"),
        ("finalists", finalists),
        ("overall_quotas", "Giải Nhất: 1\nGiải Nhì: 2"),
    ] {
        form.retain(|(key, _)| *key != k);
        form.push((k, v));
    }
    form
}

async fn sql(app: &TestApp, q: &'static str, a: i64, b: i64) {
    sqlx::query(q)
        .bind(a)
        .bind(b)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

/// Moves a round's window so that it is open now.
async fn open_now(app: &TestApp, round: i64) {
    let now = chrono::Utc::now().timestamp();
    sql(
        app,
        "UPDATE contest_rounds SET opens_at = $1 - 3600, closes_at = $1 + 7200 WHERE id = $2",
        now,
        round,
    )
    .await;
}

/// Ends a round past its grace period and ranks it.
async fn close_and_rank(app: &TestApp, office: &str, contest: i64, round: i64) {
    let now = chrono::Utc::now().timestamp();
    sql(
        app,
        "UPDATE contest_rounds SET closes_at = $1 - 60 WHERE id = $2",
        now,
        round,
    )
    .await;
    let res = app
        .post(
            &format!("/contests/{contest}/rounds/{round}/rank"),
            Some(office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// Starts and hands in, then sets the attempt's score and time.
async fn play(app: &TestApp, round: i64, cookie: &str, score: i64, secs: i64) -> StatusCode {
    let res = start(app, round, cookie).await;
    if res.status != StatusCode::SEE_OTHER {
        return res.status;
    }
    let token = token_of(&res);
    app.post(
        "/thi/bai/nop",
        None,
        &[("token", token.as_str()), ("prediction", "12")],
    )
    .await;
    let attempt = app
        .scalar("SELECT MAX(attempt_id) FROM contest_submissions")
        .await;
    sql(
        app,
        "UPDATE contest_submissions SET score = $1 WHERE attempt_id = $2",
        score,
        attempt,
    )
    .await;
    sql(
        app,
        "UPDATE contest_submissions SET duration_ms = $1 WHERE attempt_id = $2",
        secs * 1000,
        attempt,
    )
    .await;
    StatusCode::SEE_OTHER
}

/// A contest with two weekly rounds made as a series and a final of
/// `stage`; returns (contest, weekly rounds, final).
async fn staged(app: &TestApp, office: &str, stage: &str) -> (i64, Vec<i64>, i64) {
    let res = app.post("/contests", Some(office), &form("10")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let contest = app.scalar("SELECT MAX(id) FROM contests").await;
    let path = format!("/contests/{contest}/questions/import");
    let res = app.upload(&path, office, "cau-hoi.csv", BANK).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let rounds = format!("/contests/{contest}/rounds");
    let series = [
        ("title", "Tuần"),
        ("opens", "03/05/2021 08:00"),
        ("closes", "09/05/2021 20:00"),
        ("stage", "weekly"),
        ("repeat", "2"),
    ];
    let res = app.post(&rounds, Some(office), &series).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let final_round = [
        ("title", "Chung kết"),
        ("opens", "24/05/2021 08:00"),
        ("closes", "24/05/2021 20:00"),
        ("stage", stage),
    ];
    let res = app.post(&rounds, Some(office), &final_round).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let second = app.post(&rounds, Some(office), &final_round).await;
    assert!(
        second.body.contains("chỉ có một vòng chung kết"),
        "one final"
    );
    let weekly: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, title, opens_at FROM contest_rounds WHERE contest_id = $1 AND stage = 'weekly' \
         ORDER BY number",
    )
    .bind(contest)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(weekly.len(), 2);
    assert_eq!(
        (weekly[0].1.as_str(), weekly[1].1.as_str()),
        ("Tuần 1", "Tuần 2")
    );
    assert_eq!(weekly[1].2 - weekly[0].2, 7 * 86_400, "a week apart");
    let last = app.scalar("SELECT MAX(id) FROM contest_rounds").await;
    let open = app
        .post(
            &format!("/contests/{contest}/status"),
            Some(office),
            &[("status", "open")],
        )
        .await;
    assert_eq!(open.status, StatusCode::SEE_OTHER, "{}", open.body);
    (contest, weekly.iter().map(|w| w.0).collect(), last)
}

/// Twelve people play both weekly rounds: person i scores 20 - i each week,
/// except 9, 10 and 11, equal on everything (a tie for the tenth seat).
async fn weekly_play(app: &TestApp, office: &str, contest: i64, weekly: &[i64]) -> Vec<String> {
    let unit = unit(app, "Huyện ủy Tuy An").await;
    let mut cookies = Vec::new();
    for i in 0..12 {
        let res = register(
            app,
            contest,
            &format!("Thí sinh {i:02}"),
            &format!("0933{i:06}"),
            &unit,
        )
        .await;
        cookies.push(cookie_of(&res));
    }
    for &round in weekly {
        open_now(app, round).await;
        for (i, cookie) in cookies.iter().enumerate() {
            let score = if i >= 9 { 11 } else { 20 - i as i64 };
            assert_eq!(
                play(app, round, cookie, score, 100).await,
                StatusCode::SEE_OTHER
            );
        }
        close_and_rank(app, office, contest, round).await;
    }
    cookies
}

#[tokio::test]
async fn the_best_of_the_weekly_rounds_play_the_final_and_the_overall_follows_it() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, weekly, final_round) = staged(&app, &office, "final-online").await;
    let cookies = weekly_play(&app, &office, contest, &weekly).await;

    let finalists = format!("/contests/{contest}/finalists");
    let res = app.post(&finalists, Some(&office), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(&finalists, Some(&office)).await.body;
    assert!(
        page.contains("Đồng hạng tại hạng 10: 1 suất Vào chung kết cho 3 người"),
        "{page}"
    );
    assert!(
        page.contains("Chưa có danh sách vào chung kết"),
        "no list while a seat is in doubt"
    );
    let p10 = app
        .scalar_bind(
            "SELECT id FROM contest_participants WHERE phone = $1",
            "0933000010",
        )
        .await
        .to_string();
    let choice = [
        ("place", "10"),
        ("tier", "Vào chung kết"),
        ("chosen", p10.as_str()),
        ("reason", "Bốc thăm trực tiếp tại cuộc họp Ban Tổ chức"),
    ];
    let res = app
        .post(&format!("{finalists}/ties"), Some(&office), &choice)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(finalist_count(&app, contest).await, 10);

    // Only finalists play the final.
    open_now(&app, final_round).await;
    let refused = start(&app, final_round, &cookies[9]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .body
            .contains("chỉ dành cho người được vào chung kết")
    );
    // In the final, person 10 does best and person 0 second.
    for (i, score) in [(10, 30), (0, 29), (1, 28), (2, 5)] {
        assert_eq!(
            play(&app, final_round, &cookies[i], score, 100).await,
            StatusCode::SEE_OTHER
        );
    }
    close_and_rank(&app, &office, contest, final_round).await;
    let res = app
        .post(
            &format!("/contests/{contest}/overall/rank"),
            Some(&office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let overall: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.full_name, r.tier FROM contest_results r \
         JOIN contest_participants p ON p.id = r.participant_id \
         WHERE r.round_id IS NULL AND r.kind = 'individual' AND r.contest_id = $1 ORDER BY r.id",
    )
    .bind(contest)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let names: Vec<&str> = overall.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Thí sinh 10", "Thí sinh 00", "Thí sinh 01"]);
    assert_eq!(overall[0].1, "Giải Nhất");
}

#[tokio::test]
async fn a_jury_scores_the_final_and_the_overall_follows_its_scores() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, weekly, final_round) = staged(&app, &office, "final-jury").await;
    let cookies = weekly_play(&app, &office, contest, &weekly).await;
    // The organisers declared "all included": the three tied all go through.
    sqlx::query("UPDATE contests SET tie_policy = 'all' WHERE id = $1")
        .bind(contest)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let finalists = format!("/contests/{contest}/finalists");
    app.post(&finalists, Some(&office), &[]).await;
    assert_eq!(finalist_count(&app, contest).await, 12);
    open_now(&app, final_round).await;
    let refused = start(&app, final_round, &cookies[0]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "not played online");

    let jury = format!("/contests/{contest}/rounds/{final_round}/jury");
    let page = app.get(&jury, Some(&office)).await.body;
    assert_eq!(page.matches("name=\"score_").count(), 12);
    let (a, b) = (
        app_id(&app, "0933000003").await,
        app_id(&app, "0933000011").await,
    );
    let bad = app
        .post(
            &jury,
            Some(&office),
            &[(format!("score_{a}").as_str(), "mười")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .post(
            &jury,
            Some(&office),
            &[
                (format!("score_{a}").as_str(), "95"),
                (format!("score_{b}").as_str(), "97"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let res = app
        .post(
            &format!("/contests/{contest}/overall/rank"),
            Some(&office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let first: String = sqlx::query_scalar(
        "SELECT p.full_name FROM contest_results r JOIN contest_participants p ON p.id = r.participant_id \
         WHERE r.round_id IS NULL AND r.kind = 'individual' AND r.position = 1 AND r.contest_id = $1",
    )
    .bind(contest)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(first, "Thí sinh 11");
}

async fn finalist_count(app: &TestApp, contest: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM contest_finalists WHERE contest_id = $1")
        .bind(contest)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn app_id(app: &TestApp, phone: &str) -> i64 {
    app.scalar_bind(
        "SELECT id FROM contest_participants WHERE phone = $1",
        phone,
    )
    .await
}
