//! The province's 2021 weekly round, ranked exactly as its rules read:
//! correct answers, then the shortest time, then the closest prediction of
//! the number of participants; the best result (best score, then fastest)
//! counts; ten prizes. 120 participants register, start and hand in through
//! the public pages; their measured values are then set to a designed table
//! with ties on every criterion, so that the expected order is known.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::contests::*;

const PEOPLE: usize = 120;

/// The province's rules, through the office's form.
fn province_form() -> Vec<(&'static str, &'static str)> {
    let mut form = contest_form("unlimited", "random:Bầu cử=3;Lịch sử Đảng=3");
    let set = |form: &mut Vec<(&'static str, &'static str)>, k, v| {
        form.retain(|(key, _)| *key != k);
        form.push((k, v));
    };
    set(&mut form, "counted_attempt", "best-fastest");
    set(&mut form, "ranking_rules", "score,duration,prediction");
    set(&mut form, "tie_policy", "decide");
    set(
        &mut form,
        "round_quotas",
        "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3\nGiải Khuyến khích: 4",
    );
    form
}

/// (score, duration in seconds, prediction, submitted minute) per person;
/// the minute only orders hand-ins and must decide nothing.
fn designed(i: usize) -> (i64, i64, i64, i64) {
    match i {
        0 => (35, 300, 90, 50),
        // Equal score and time: the closer prediction (110) ranks first.
        1 => (34, 200, 100, 1),
        2 => (34, 200, 110, 40),
        3 => (34, 250, 120, 2),
        4..=8 => (33, 100 * (i as i64 - 3), 120, 60 - i as i64),
        // Equal on every declared criterion, handed in at different times:
        // a tie at 10th place, with one prize left for three people.
        9 => (32, 400, 125, 30),
        10 => (32, 400, 115, 20),
        11 => (32, 400, 125, 10),
        // Everyone else below, with more ties among them.
        _ => (i as i64 % 31, 600 + (i as i64 % 7) * 10, 100, i as i64),
    }
}

fn name(i: usize) -> String {
    format!("Người dự thi {i:03}")
}

#[tokio::test]
async fn the_provinces_round_ranks_as_its_rules_read() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let res = app.post("/contests", Some(&office), &province_form()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let contest = app.scalar("SELECT MAX(id) FROM contests").await;
    let (contest_check, round) = {
        let path = format!("/contests/{contest}/questions/import");
        let res = app.upload(&path, &office, "cau-hoi.csv", BANK).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        add_round_now(&app, &office, contest).await
    };
    assert_eq!(contest_check, contest);
    let open = app
        .post(
            &format!("/contests/{contest}/status"),
            Some(&office),
            &[("status", "open")],
        )
        .await;
    assert_eq!(open.status, StatusCode::SEE_OTHER, "{}", open.body);

    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    let mut ids = Vec::new();
    for i in 0..PEOPLE {
        let phone = format!("0912{i:06}");
        let res = register(&app, contest, &name(i), &phone, &tuy_an).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let cookie = cookie_of(&res);
        // Person 0 makes a second, faster attempt with the same score; person
        // 5 a second, worse one: the best, then fastest, counts.
        let tries = if i == 0 || i == 5 { 2 } else { 1 };
        for _ in 0..tries {
            let token = token_of(&start(&app, round, &cookie).await);
            let res = app
                .post(
                    "/thi/bai/nop",
                    None,
                    &[("token", token.as_str()), ("prediction", "1")],
                )
                .await;
            assert!(res.status.is_success() || res.status.is_redirection());
        }
        ids.push(
            app.scalar_bind(
                "SELECT id FROM contest_participants WHERE phone = $1",
                &phone,
            )
            .await,
        );
    }
    let base = 1_700_000_000_000_i64;
    for (i, &p) in ids.iter().enumerate() {
        let (score, secs, prediction, minute) = designed(i);
        sqlx::query(
            "UPDATE contest_submissions SET score = $1, duration_ms = $2, prediction = $3, \
             submitted_ms = $4 WHERE participant_id = $5",
        )
        .bind(score)
        .bind(secs * 1000)
        .bind(prediction)
        .bind(base + minute * 60_000)
        .bind(p)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    // The second attempts: person 0's is faster (counts), person 5's worse.
    for (p, score, secs) in [(ids[0], 35, 280), (ids[5], 20, 50)] {
        sqlx::query(
            "UPDATE contest_submissions SET score = $1, duration_ms = $2 WHERE attempt_id = \
             (SELECT MAX(attempt_id) FROM contest_submissions WHERE participant_id = $3)",
        )
        .bind(score)
        .bind(secs * 1000)
        .bind(p)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    close_and_rank(&app, &office, contest, round).await;

    // The truth of "how many take part" is 120: person 2 (110) is closer
    // than person 1 (100).
    let winners: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT participant_id, tier, position FROM contest_results \
         WHERE round_id = $1 AND kind = 'individual' ORDER BY id",
    )
    .bind(round)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let order: Vec<i64> = winners.iter().map(|w| w.0).collect();
    let expected: Vec<i64> = [0, 2, 1, 3, 4, 5, 6, 7, 8, 9].map(|i| ids[i]).to_vec();
    assert_eq!(order, expected, "the declared order, nothing else");
    assert_eq!(winners[9].2, 10, "shared place 10");
    let counted_duration: i64 = sqlx::query_scalar(
        "SELECT duration_ms FROM contest_standings WHERE line = 1 AND round_key = $1",
    )
    .bind(round)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(counted_duration, 280_000, "the faster of two equal scores");

    // The tie at 10th is flagged, not settled by the hand-in time.
    let results_url = format!("/contests/{contest}/rounds/{round}/results");
    let page = app.get(&results_url, Some(&office)).await.body;
    assert!(
        page.contains("Đồng hạng tại hạng 10: 1 suất Giải Khuyến khích cho 3 người"),
        "{page}"
    );
    assert!(page.contains("Chờ Ban Tổ chức quyết định"));
    let publish = format!("/contests/{contest}/rounds/{round}/publish");
    let refused = app.post(&publish, Some(&office), &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("chưa thể công bố"));

    // The full ranking shows everyone, with the tie marks.
    let ranking = app
        .get(
            &format!("/contests/{contest}/rounds/{round}/ranking"),
            Some(&office),
        )
        .await
        .body;
    assert_eq!(ranking.matches("<td>=10</td>").count(), 3, "{ranking}");
    assert!(ranking.contains("2/2"), "attempt numbers");
    let second = app
        .get(
            &format!("/contests/{contest}/rounds/{round}/ranking?page=2"),
            Some(&office),
        )
        .await
        .body;
    assert_eq!(
        second.matches("<tr").count(),
        1 + 20,
        "page 2 holds lines 101-120"
    );
    assert!(second.contains("Trang 2 / 2"));
    let xlsx = app
        .get(
            &format!("/contests/{contest}/rounds/{round}/ranking.xlsx"),
            Some(&office),
        )
        .await;
    assert_eq!(workbook_rows(&xlsx.bytes), PEOPLE + 1);

    // A decision needs exactly one of the three and a reason.
    let ties = format!("/contests/{contest}/rounds/{round}/ties");
    let (p9, p11) = (ids[9].to_string(), ids[11].to_string());
    let tier = "Giải Khuyến khích";
    let two = [
        ("place", "10"),
        ("tier", tier),
        ("chosen", &p9),
        ("chosen", &p11),
        ("reason", "x"),
    ];
    let bad = app.post(&ties, Some(&office), &two).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Phải chọn đúng 1 người"));
    let no_reason = [
        ("place", "10"),
        ("tier", tier),
        ("chosen", &p11),
        ("reason", " "),
    ];
    assert_eq!(
        app.post(&ties, Some(&office), &no_reason).await.status,
        StatusCode::BAD_REQUEST
    );
    let member = app.member().await;
    let ok = [
        ("place", "10"),
        ("tier", tier),
        ("chosen", p11.as_str()),
        ("reason", "Biên bản họp Ban Giám khảo ngày 20/5/2021"),
    ];
    assert_eq!(
        app.post(&ties, Some(&member), &ok).await.status,
        StatusCode::FORBIDDEN
    );
    let res = app.post(&ties, Some(&office), &ok).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let tenth: i64 = sqlx::query_scalar(
        "SELECT participant_id FROM contest_results WHERE kind = 'individual' AND position = 10 \
         AND round_id = $1",
    )
    .bind(round)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(tenth, ids[11]);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'decide_tie'")
            .await,
        1
    );
    let page = app.get(&results_url, Some(&office)).await.body;
    assert!(page.contains("Ban Tổ chức đã quyết định"));
    assert_eq!(
        app.post(&publish, Some(&office), &[]).await.status,
        StatusCode::SEE_OTHER
    );
}

/// A round open from an hour ago; returns (contest, round).
async fn add_round_now(app: &TestApp, office: &str, contest: i64) -> (i64, i64) {
    let now = chrono::Utc::now() + chrono::Duration::hours(7);
    let at = |h: i64| {
        (now + chrono::Duration::hours(h))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let res = app
        .post(
            &format!("/contests/{contest}/rounds"),
            Some(office),
            &[("title", "Tuần 1"), ("opens", &at(-1)), ("closes", &at(2))],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    (
        contest,
        app.scalar("SELECT MAX(id) FROM contest_rounds").await,
    )
}

/// Closes the round, lets the grace period pass and ranks it.
async fn close_and_rank(app: &TestApp, office: &str, contest: i64, round: i64) {
    let close = format!("/contests/{contest}/rounds/{round}/close");
    assert_eq!(
        app.post(&close, Some(office), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    sqlx::query("UPDATE contest_rounds SET closes_at = closes_at - 31 WHERE id = $1")
        .bind(round)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let rank = format!("/contests/{contest}/rounds/{round}/rank");
    let res = app.post(&rank, Some(office), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

fn workbook_rows(bytes: &[u8]) -> usize {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    book.worksheet_range_at(0).unwrap().unwrap().rows().count()
}
