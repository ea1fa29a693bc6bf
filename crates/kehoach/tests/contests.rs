//! Knowledge contests through the real router: the office sets a contest
//! up, the public registers, attempts, autosaves and submits, and after the
//! round closes the office ranks, reviews and publishes.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::contests::*;
use common::{Resp, TestApp};

#[tokio::test]
async fn a_participant_registers_answers_reloads_and_submits() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "at-most").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;

    let list = app.get("/thi", None).await.body;
    assert!(list.contains("Tìm hiểu Nghị quyết Đại hội XIII"));
    let page = app.get(&format!("/thi/{contest}"), None).await.body;
    assert!(page.contains("Nghị định 13/2023"), "consent text shown");

    let res = register(&app, contest, "Nguyễn Văn An", "0912 345 678", &tuy_an).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let me = cookie_of(&res);
    let again = register(&app, contest, "Nguyễn Văn An", "+84912345678", &tuy_an).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Số điện thoại này đã đăng ký"));
    let stored: String =
        sqlx::query_scalar("SELECT phone FROM contest_participants WHERE contest_id = $1")
            .bind(contest)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, "0912345678", "normalised once, at the edge");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_participants WHERE contest_id = (SELECT MAX(id) FROM contests)")
            .await,
        1
    );

    let res = start(&app, round, &me).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let token = token_of(&res);
    let paper = app.get(&format!("/thi/bai/{token}"), None).await.body;
    assert_eq!(paper.matches("<fieldset class=\"question\">").count(), 6);
    assert!(!paper.contains('✓'), "no answer key in the page");

    // Autosave, then a reload shows the saved choice.
    let answers = answers_from_page(&paper);
    let first = answers[0].0.trim_start_matches('q').to_owned();
    let saved = app
        .post(
            "/thi/bai/luu",
            None,
            &[
                ("token", token.as_str()),
                ("answers", &format!("{first}:2")),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    let reloaded = app.get(&format!("/thi/bai/{token}"), None).await.body;
    assert!(
        reloaded.contains(&format!("name=\"q{first}\" value=\"2\" checked")),
        "{reloaded}"
    );

    let mut form: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("token", &token));
    form.push(("prediction", "1.500"));
    let res = app.post("/thi/bai/nop", None, &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let receipt: String =
        sqlx::query_scalar("SELECT receipt FROM contest_submissions WHERE round_id = $1")
            .bind(round)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let done = app.get(&format!("/thi/bai/{token}"), None).await.body;
    assert!(done.contains(&receipt), "the receipt is shown");
    assert_eq!(
        app.scalar("SELECT prediction FROM contest_submissions WHERE attempt_id = (SELECT MAX(attempt_id) FROM contest_submissions)")
            .await,
        1500
    );
    let replay = app.post("/thi/bai/nop", None, &form).await;
    assert_eq!(replay.status, StatusCode::CONFLICT, "a token submits once");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_submissions WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = (SELECT MAX(id) FROM contests))").await,
        1
    );
    let mine = app.get(&format!("/thi/{contest}"), Some(&me)).await.body;
    assert!(mine.contains(&receipt) && mine.contains("091****678"));
}

async fn post_json(app: &TestApp, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.send(req.body(Body::from(body.to_owned())).unwrap())
        .await
}

#[tokio::test]
async fn the_script_interface_never_sees_answers_and_tokens_cannot_be_forged() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "at-most").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    let body = format!("full_name=Tr%E1%BA%A7n+B&phone=0987654321&unit_id={tuy_an}&consent=yes");
    let res = post_json(&app, &format!("/thi/{contest}/dang-ky"), &[], &body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let json: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let participant = json["participant_token"].as_str().unwrap().to_owned();

    let path = format!("/thi/vong/{round}/bat-dau");
    let res = post_json(&app, &path, &[("x-participant", &participant)], "").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let paper: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let questions = paper["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 6);
    assert!(!res.body.contains("correct"), "{}", res.body);
    for q in questions {
        assert_eq!(q["options"].as_array().unwrap().len(), 4);
    }
    let token = paper["attempt_token"].as_str().unwrap();

    // A forged or altered token is refused.
    let forged = token.replacen('1', "2", 1);
    let res = post_json(&app, "/thi/bai/nop", &[], &format!("token={forged}")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        post_json(&app, &path, &[("x-participant", "1-1.00")], "")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The honeypot.
    let res = post_json(
        &app,
        "/thi/bai/nop",
        &[],
        &format!("token={token}&website=x"),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The policy: at most two attempts in the round.
    assert_eq!(
        post_json(&app, &path, &[("x-participant", &participant)], "")
            .await
            .status,
        StatusCode::OK
    );
    let third = post_json(&app, &path, &[("x-participant", &participant)], "").await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert!(third.body.contains("contest-err-no-attempts"));

    let res = post_json(
        &app,
        "/thi/bai/nop",
        &[],
        &format!("token={token}&answers="),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let receipt: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(receipt["receipt"].as_str().unwrap().len(), 9);
    assert!(
        app.get(&format!("/thi/{contest}"), None)
            .await
            .status
            .is_success()
    );
}

#[tokio::test]
async fn the_time_limit_is_the_servers() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let res = register(&app, contest, "Lê C", "0977000111", "").await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "locality required"
    );
    let res = register(
        &app,
        contest,
        "Lê C",
        "0977000111",
        &unit(&app, "Huyện ủy Tuy An").await,
    )
    .await;
    let me = cookie_of(&res);
    let token = token_of(&start(&app, round, &me).await);
    let signer = kehoach::contests::stored_signer(&app.db).await.unwrap();
    let mut t = signer.open_attempt(&token).unwrap();
    t.started_ms -= 21 * 60 * 1000;
    let late = signer.attempt(t);
    let res = app
        .post("/thi/bai/nop", None, &[("token", late.as_str())])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Đã hết thời gian làm bài"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_submissions WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = (SELECT MAX(id) FROM contests))").await,
        0
    );
}

#[tokio::test]
async fn after_the_round_closes_the_office_ranks_reviews_and_publishes() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    let song_hinh = unit(&app, "Huyện ủy Sông Hinh").await;
    let mut cookies = Vec::new();
    for (i, (name, u)) in [("Phạm D", &tuy_an), ("Võ E", &tuy_an), ("Đỗ G", &song_hinh)]
        .into_iter()
        .enumerate()
    {
        let res = register(&app, contest, name, &format!("090000000{i}"), u).await;
        cookies.push(cookie_of(&res));
    }
    for (i, cookie) in cookies.iter().enumerate() {
        let token = token_of(&start(&app, round, cookie).await);
        let prediction = (3 + i).to_string();
        app.post(
            "/thi/bai/nop",
            None,
            &[
                ("token", token.as_str()),
                ("prediction", prediction.as_str()),
            ],
        )
        .await;
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_submissions WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = (SELECT MAX(id) FROM contests))").await,
        3
    );
    let rank = format!("/contests/{contest}/rounds/{round}/rank");
    let early = app.post(&rank, Some(&office), &[]).await;
    assert_eq!(
        early.status,
        StatusCode::BAD_REQUEST,
        "not before the close"
    );

    let close = format!("/contests/{contest}/rounds/{round}/close");
    assert_eq!(
        app.post(&close, Some(&office), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let late = start(&app, round, &cookies[0]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "closed to new attempts");
    let in_grace = app.post(&rank, Some(&office), &[]).await;
    assert_eq!(
        in_grace.status,
        StatusCode::BAD_REQUEST,
        "late hand-ins still allowed"
    );
    // Half a minute later, the grace period is over.
    sqlx::query("UPDATE contest_rounds SET closes_at = closes_at - 31 WHERE id = $1")
        .bind(round)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let res = app.post(&rank, Some(&office), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // All scored 0 (no answers): the closest prediction of 3 participants wins.
    let results = app
        .get(
            &format!("/contests/{contest}/rounds/{round}/results"),
            Some(&office),
        )
        .await
        .body;
    let first = results.find("Phạm D").unwrap();
    let second = results.find("Võ E").unwrap();
    assert!(first < second, "prediction 3 beats 4");
    assert!(!results.contains("Đỗ G</td><td>Huyện"), "two prizes only");
    assert!(results.contains("090****000"));
    assert_eq!(
        app.scalar("SELECT truth FROM contest_rounds WHERE truth IS NOT NULL AND contest_id = (SELECT MAX(id) FROM contests)")
            .await,
        3
    );

    let public = app.get(&format!("/thi/{contest}/ket-qua"), None).await.body;
    assert!(
        !public.contains("Phạm D"),
        "nothing public before publication"
    );
    app.post(
        &format!("/contests/{contest}/rounds/{round}/publish"),
        Some(&office),
        &[],
    )
    .await;
    let public = app.get(&format!("/thi/{contest}/ket-qua"), None).await.body;
    assert!(public.contains("Phạm D") && public.contains("090****000"));
    assert!(!public.contains("0900000000"), "phones are masked");
    assert_eq!(
        app.post(&rank, Some(&office), &[]).await.status,
        StatusCode::BAD_REQUEST,
        "published results stay"
    );

    let masked = app
        .get(
            &format!("/contests/{contest}/rounds/{round}/results.xlsx"),
            Some(&office),
        )
        .await;
    let full = app
        .get(
            &format!("/contests/{contest}/rounds/{round}/results.xlsx?full=1"),
            Some(&office),
        )
        .await;
    let text = |bytes: &[u8]| -> String {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        range.rows().map(|r| format!("{r:?}")).collect()
    };
    assert!(
        text(&masked.bytes).contains("090****000") && !text(&masked.bytes).contains("0900000000")
    );
    assert!(text(&full.bytes).contains("0900000000"));
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'export_full'")
            .await
            == 1,
        "taking personal data out is on record"
    );

    let overall = app
        .post(
            &format!("/contests/{contest}/overall/rank"),
            Some(&office),
            &[],
        )
        .await;
    assert_eq!(overall.status, StatusCode::SEE_OTHER);
    let page = app
        .get(&format!("/contests/{contest}/overall"), Some(&office))
        .await
        .body;
    assert!(page.contains("Giải chung cuộc"));
}

#[tokio::test]
async fn the_question_bank_imports_all_or_nothing_and_locks_when_used() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, _) = open_contest(&app, &office, "once").await;
    assert_eq!(app.scalar(QUESTIONS).await, 16);
    let bad = "Câu hỏi,Phương án A,Phương án B,Đáp án,Chủ đề\nHỏi 1?,Có,Không,A,Chung\n,Có,Không,A,Chung\nHỏi 3?,Có,Không,E,Chung\n";
    let res = app
        .upload(
            &format!("/contests/{contest}/questions/import"),
            &office,
            "x.csv",
            bad.as_bytes(),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Dòng 3") && res.body.contains("Dòng 4"),
        "{}",
        res.body
    );
    assert_eq!(app.scalar(QUESTIONS).await, 16);
    // The office's Word file, as .docx.
    let word = common::docx(include_str!("../../../fixtures/contests/cau-hoi-mau.txt"));
    let res = app
        .upload(
            &format!("/contests/{contest}/questions/import"),
            &office,
            "cau-hoi.docx",
            &word,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.scalar(QUESTIONS).await, 18);

    // The round has opened: its topics are locked, others are not.
    let locked = app
        .scalar("SELECT MAX(id) FROM contest_questions WHERE topic = 'Bầu cử'")
        .await;
    let free = app
        .scalar("SELECT MAX(id) FROM contest_questions WHERE topic = 'Nghị quyết Đại hội XIII'")
        .await;
    let edit = |q: i64| format!("/contests/{contest}/questions/{q}");
    let form = [
        ("text", "Sửa?"),
        ("options", "Có\nKhông"),
        ("correct", "A"),
        ("topic", "Chung"),
        ("difficulty", "1"),
    ];
    assert_eq!(
        app.post(&edit(locked), Some(&office), &form).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post(&edit(free), Some(&office), &form).await.status,
        StatusCode::SEE_OTHER
    );
    let list = app
        .get(&format!("/contests/{contest}/questions"), Some(&office))
        .await
        .body;
    assert!(list.contains("Đã khóa"));
}

#[tokio::test]
async fn the_office_chooses_any_tie_break_order_after_the_score() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let form = app.get("/contests/new", Some(&office)).await.body;
    // The score alone, then 3 + 6 + 6 ordered choices of the other criteria.
    assert_eq!(form.matches("<option value=\"score").count(), 16, "{form}");
    assert!(
        form.contains(
            "Điểm → nộp bài sớm nhất → thời gian làm bài ngắn nhất → dự đoán gần đúng nhất"
        )
    );
    let mut fields = contest_form("once", "random:Bầu cử=3");
    fields.retain(|(k, _)| *k != "ranking_rules");
    fields.push(("ranking_rules", "score,submitted,duration,prediction"));
    let res = app.post("/contests", Some(&office), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let stored: String =
        sqlx::query_scalar("SELECT ranking_rules FROM contests ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, "score,submitted,duration,prediction");
    fields.retain(|(k, _)| *k != "ranking_rules");
    fields.push(("ranking_rules", "duration,duration"));
    let bad = app.post("/contests", Some(&office), &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_office_side_is_for_the_office_only() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "once").await;
    let member = app.member().await;
    for path in [
        "/contests".to_owned(),
        "/contests/new".to_owned(),
        format!("/contests/{contest}"),
        format!("/contests/{contest}/edit"),
        format!("/contests/{contest}/questions"),
        format!("/contests/{contest}/populations"),
        format!("/contests/{contest}/rounds/{round}/results"),
        format!("/contests/{contest}/rounds/{round}/results.xlsx?full=1"),
        format!("/contests/{contest}/overall"),
        format!("/contests/{contest}/duplicates"),
        format!("/contests/{contest}/rounds/{round}/ranking"),
        format!("/contests/{contest}/rounds/{round}/ranking.xlsx"),
        format!("/contests/{contest}/overall/ranking"),
        format!("/contests/{contest}/overall/ranking.xlsx"),
        format!("/contests/{contest}/finalists"),
        format!("/contests/{contest}/rounds/{round}/jury"),
        format!("/contests/{contest}/rounds/{round}/questions"),
    ] {
        assert_eq!(
            app.get(&path, Some(&member)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            app.get(&path, None).await.status,
            StatusCode::SEE_OTHER,
            "{path}"
        );
    }
    for path in [
        format!("/contests/{contest}/status"),
        format!("/contests/{contest}/rounds"),
        format!("/contests/{contest}/rounds/{round}/rank"),
        format!("/contests/{contest}/rounds/{round}/close"),
        format!("/contests/{contest}/rounds/{round}/publish"),
        format!("/contests/{contest}/overall/rank"),
        format!("/contests/{contest}/populations"),
        format!("/contests/{contest}/rounds/{round}/ties"),
        format!("/contests/{contest}/overall/ties"),
        format!("/contests/{contest}/finalists"),
        format!("/contests/{contest}/finalists/ties"),
        format!("/contests/{contest}/rounds/{round}/jury"),
    ] {
        assert_eq!(
            app.post(&path, Some(&member), &[("status", "closed")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // A draft contest is not public.
    app.post(
        &format!("/contests/{contest}/status"),
        Some(&office),
        &[("status", "draft")],
    )
    .await;
    assert_eq!(
        app.get(&format!("/thi/{contest}"), None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn suspected_duplicates_and_collective_figures_are_listed() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, _) = open_contest(&app, &office, "once").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    register(&app, contest, "Nguyễn Thị Hoà", "0911111111", &tuy_an).await;
    register(&app, contest, "Nguyễn Thị Hòa", "0922222222", &tuy_an).await;
    let page = app
        .get(&format!("/contests/{contest}/duplicates"), Some(&office))
        .await
        .body;
    assert!(page.contains("<td>2</td>"), "{page}");
    let res = app
        .post(
            &format!("/contests/{contest}/populations"),
            Some(&office),
            &[(format!("p{tuy_an}").as_str(), "12.000")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        app.scalar("SELECT population FROM contest_populations")
            .await,
        12000
    );
}

#[tokio::test]
async fn past_capacity_the_server_answers_busy_at_once_with_retry_after() {
    let (db, dir) = common::fresh_db().await;
    kehoach::demo::load(&db).await.unwrap();
    let app = TestApp::with_settings(db, dir, |s| s.contest_queue = 1);
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let res = register(
        &app,
        contest,
        "Hồ K",
        "0911222333",
        &unit(&app, "Huyện ủy Tuy An").await,
    )
    .await;
    let me = cookie_of(&res);
    let path = format!("/thi/vong/{round}/bat-dau");
    // A burst larger than the writer's queue: the overflow is refused at
    // once, not left to time out; the rest are served.
    let headers = [(header::COOKIE.as_str(), me.as_str())];
    let burst = (0..20).map(|_| post_json(&app, &path, &headers, ""));
    let answers = futures_util::future::join_all(burst).await;
    let busy: Vec<&Resp> = answers
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "some requests shed");
    assert!(
        answers.iter().any(|r| r.status == StatusCode::OK),
        "some served"
    );
    for r in busy {
        assert_eq!(r.headers[header::RETRY_AFTER], "2");
        assert!(r.body.contains("contest-err-busy"));
    }
}

#[tokio::test]
async fn a_participant_is_erased_on_request_and_every_one_after_the_retention_period() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    let res = register(&app, contest, "Trần Thị M", "0933444555", &tuy_an).await;
    let token = token_of(&start(&app, round, &cookie_of(&res)).await);
    app.post("/thi/bai/nop", None, &[("token", token.as_str())])
        .await;
    register(&app, contest, "Lý Văn N", "0933444556", &tuy_an).await;

    let page = app
        .get(
            &format!("/contests/{contest}/participants?phone=%2B84933444555"),
            Some(&office),
        )
        .await
        .body;
    assert!(
        page.contains("Trần Thị M") && page.contains("093****555"),
        "{page}"
    );
    let who = app
        .scalar("SELECT id FROM contest_participants WHERE phone = '0933444555'")
        .await;
    let erase = format!("/contests/{contest}/participants/{who}/erase");
    assert_eq!(
        app.post(&erase, Some(&app.member().await), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&erase, Some(&office), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let left: (String, Option<String>) =
        sqlx::query_as("SELECT full_name, phone FROM contest_participants WHERE id = $1")
            .bind(who)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(left, ("(đã xóa)".to_owned(), None));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_submissions WHERE round_id IN (SELECT id FROM contest_rounds WHERE contest_id = (SELECT MAX(id) FROM contests))").await,
        1,
        "the score stays"
    );
    // The same phone may register again once erased.
    let again = register(&app, contest, "Trần Thị M", "0933444555", &tuy_an).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);

    // Past the retention period (365 days after the last round), all go.
    assert_eq!(
        kehoach::contests::privacy::purge_expired(&app.db)
            .await
            .unwrap(),
        0
    );
    sqlx::query("UPDATE contest_rounds SET opens_at = opens_at - 400 * 86400, closes_at = closes_at - 400 * 86400 WHERE contest_id = $1")
        .bind(contest)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        kehoach::contests::privacy::purge_expired(&app.db)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM contest_participants WHERE phone IS NOT NULL AND contest_id = (SELECT MAX(id) FROM contests)").await,
        0
    );
}

#[tokio::test]
async fn a_draft_contests_round_answers_like_an_unknown_one() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "once").await;
    sqlx::query("UPDATE contests SET status = $1 WHERE id = $2")
        .bind("draft")
        .bind(contest)
        .execute(&app.db.pool)
        .await
        .unwrap();
    for id in [round, 999_999] {
        let res = app
            .post(&format!("/thi/vong/{id}/bat-dau"), None, &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "round {id}");
    }
}
