//! A round may set its own time limit, paper, attempt policy and
//! prediction question; blank follows the contest. The round's rules apply
//! on play and are stated to participants.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::contests::*;

#[tokio::test]
async fn a_round_plays_by_its_own_settings() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    // The contest: 20 minutes, two attempts, six questions, a prediction.
    let (contest, weekly) = open_contest(&app, &office, "at-most").await;
    let now = chrono::Utc::now() + chrono::Duration::hours(7);
    let at = |h: i64| {
        (now + chrono::Duration::hours(h))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let rounds = format!("/contests/{contest}/rounds");
    let (opens, closes) = (at(-1), at(3));
    let mut own = vec![
        ("title", "Tuần đặc biệt"),
        ("opens", opens.as_str()),
        ("closes", closes.as_str()),
        ("stage", "weekly"),
        ("time_limit_minutes", "5"),
        ("question_set", "random:Bầu cử=2"),
        ("attempt_policy", "once"),
        ("prediction", "none"),
    ];
    // A paper of its own is checked against the bank when the round is added.
    own.retain(|(k, _)| *k != "question_set");
    own.push(("question_set", "random:Bau cu=2"));
    let refused = app.post(&rounds, Some(&office), &own).await;
    assert!(refused.body.contains("Bau cu"), "{}", refused.body);
    own.retain(|(k, _)| *k != "question_set");
    own.push(("question_set", "random:Bầu cử=2"));
    let res = app.post(&rounds, Some(&office), &own).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let special = app.scalar("SELECT MAX(id) FROM contest_rounds").await;
    assert_ne!(special, weekly);

    let page = app.get(&format!("/thi/{contest}"), None).await.body;
    assert!(
        page.contains("Riêng vòng này: 5 phút · 2 câu · Một lượt · Không có câu dự đoán"),
        "{page}"
    );
    let me = cookie_of(
        &register(
            &app,
            contest,
            "Hồ Văn Tâm",
            "0988777666",
            &unit(&app, "Huyện ủy Tuy An").await,
        )
        .await,
    );
    let started = start(&app, special, &me).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let token = token_of(&started);
    let paper = app.get(&format!("/thi/bai/{token}"), Some(&me)).await.body;
    assert_eq!(answers_from_page(&paper).len(), 2, "the round's own paper");
    assert!(
        !paper.contains("name=\"prediction\""),
        "no prediction this round"
    );
    // The round's five minutes, not the contest's twenty.
    let signer = kehoach::contests::stored_signer(&app.db).await.unwrap();
    let mut t = signer.open_attempt(&token).unwrap();
    t.started_ms -= 6 * 60 * 1000;
    let late = signer.attempt(t);
    let res = app
        .post("/thi/bai/nop", None, &[("token", late.as_str())])
        .await;
    assert_eq!(
        res.status,
        StatusCode::CONFLICT,
        "time is up after 5 minutes"
    );
    // One attempt in this round, two in the contest's rounds.
    assert_eq!(start(&app, special, &me).await.status, StatusCode::CONFLICT);
    assert_eq!(start(&app, weekly, &me).await.status, StatusCode::SEE_OTHER);
    assert_eq!(start(&app, weekly, &me).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_office_sees_how_each_question_fared() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let tuy_an = unit(&app, "Huyện ủy Tuy An").await;
    for (name, phone) in [
        ("Mai Văn Lộc", "0977123001"),
        ("Đinh Thị Nga", "0977123002"),
    ] {
        let me = cookie_of(&register(&app, contest, name, phone, &tuy_an).await);
        let token = token_of(&start(&app, round, &me).await);
        let page = app.get(&format!("/thi/bai/{token}"), Some(&me)).await.body;
        let answers = answers_from_page(&page);
        let mut form: Vec<(&str, &str)> = answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        form.push(("token", &token));
        let res = app.post("/thi/bai/nop", None, &form).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let path = format!("/contests/{contest}/rounds/{round}/questions");
    assert_eq!(
        app.get(&path, Some(&app.member().await)).await.status,
        StatusCode::FORBIDDEN
    );
    let page = app.get(&path, Some(&office)).await.body;
    // Every question someone answered is listed, with its share right.
    let answered: Vec<String> = sqlx::query_scalar(
        "SELECT q.text FROM contest_questions q WHERE q.contest_id = $1 AND EXISTS \
         (SELECT 1 FROM contest_submissions s WHERE s.round_id = $2 AND \
          (s.answers LIKE q.id || ':%' OR s.answers LIKE '%,' || q.id || ':%'))",
    )
    .bind(contest)
    .bind(round)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!answered.is_empty());
    for text in &answered {
        assert!(page.contains(text.as_str()), "{text} missing");
    }
    assert!(page.contains("Tỷ lệ đúng") && page.contains('%'));
    let rows = page.matches("<tr><td>").count();
    assert_eq!(rows, answered.len());
}
