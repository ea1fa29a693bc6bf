//! Steps of the contest journey shared by the contest tests: the office
//! sets a contest up with the sample bank, the public registers and starts.

use axum::http::{StatusCode, header};

use super::{Resp, TestApp};

pub const QUESTIONS: &str =
    "SELECT COUNT(*) FROM contest_questions WHERE contest_id = (SELECT MAX(id) FROM contests)";
pub const BANK: &[u8] = include_bytes!("../../../../fixtures/contests/cau-hoi-mau.csv");

pub fn contest_form<'a>(policy: &'a str, set: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", "Tìm hiểu Nghị quyết Đại hội XIII"),
        ("question_set", set),
        ("time_limit_minutes", "20"),
        ("attempt_policy", policy),
        ("max_attempts", "2"),
        ("counted_attempt", "best-earliest"),
        ("ranking_rules", "score,prediction,duration,submitted"),
        ("tie_policy", "decide"),
        ("min_prize_score", "0"),
        ("qualify_by", "sum"),
        ("finalists", "0"),
        ("prediction", "participants"),
        ("min_age", "0"),
        ("required", "phone"),
        ("required", "locality"),
        ("round_quotas", "Giải Nhất: 1\nGiải Nhì: 1"),
        ("overall_quotas", "Giải chung cuộc: 1"),
        ("collective_count", "2"),
        (
            "consent_text",
            "Ban Tổ chức xử lý dữ liệu để chấm giải (Nghị định 13/2023).",
        ),
        ("retention_days", "365"),
    ]
}

/// An open contest with the sample bank and one round open now; returns
/// (contest, round).
pub async fn open_contest(app: &TestApp, office: &str, policy: &str) -> (i64, i64) {
    let set = "random:Bầu cử=3;Lịch sử Đảng=3";
    let (id, round) = draft_contest(app, office, policy, set).await;
    let res = app
        .post(
            &format!("/contests/{id}/status"),
            Some(office),
            &[("status", "open")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    (id, round)
}

/// A draft contest with paper `set`, the sample bank and one round open
/// now; returns (contest, round).
pub async fn draft_contest(app: &TestApp, office: &str, policy: &str, set: &str) -> (i64, i64) {
    let res = app
        .post("/contests", Some(office), &contest_form(policy, set))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = app.scalar("SELECT MAX(id) FROM contests").await;
    let path = format!("/contests/{id}/questions/import");
    let res = app.upload(&path, office, "cau-hoi.csv", BANK).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let now = chrono::Utc::now() + chrono::Duration::hours(7);
    let at = |h: i64| {
        (now + chrono::Duration::hours(h))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let (opens, closes) = (at(-1), at(2));
    let res = app
        .post(
            &format!("/contests/{id}/rounds"),
            Some(office),
            &[("title", "Tuần 1"), ("opens", &opens), ("closes", &closes)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    (id, app.scalar("SELECT MAX(id) FROM contest_rounds").await)
}

pub async fn unit(app: &TestApp, name: &str) -> String {
    app.scalar_bind("SELECT id FROM units WHERE name = $1", name)
        .await
        .to_string()
}

/// Registers and returns the participant cookie.
pub async fn register(app: &TestApp, contest: i64, name: &str, phone: &str, unit: &str) -> Resp {
    app.post(
        &format!("/thi/{contest}/dang-ky"),
        None,
        &[
            ("full_name", name),
            ("phone", phone),
            ("unit_id", unit),
            ("consent", "yes"),
            ("website", ""),
        ],
    )
    .await
}

pub fn cookie_of(res: &Resp) -> String {
    res.headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("participant cookie")
        .to_owned()
}

pub async fn start(app: &TestApp, round: i64, cookie: &str) -> Resp {
    app.post(&format!("/thi/vong/{round}/bat-dau"), Some(cookie), &[])
        .await
}

pub fn token_of(res: &Resp) -> String {
    let loc = res.headers[header::LOCATION].to_str().unwrap();
    loc.strip_prefix("/thi/bai/")
        .expect("attempt page")
        .to_owned()
}

/// Answers every question of the attempt page with its first option.
pub fn answers_from_page(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in page.split("name=\"q").skip(1) {
        let q: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !out
            .iter()
            .any(|(k, _): &(String, String)| *k == format!("q{q}"))
        {
            out.push((format!("q{q}"), "0".to_owned()));
        }
    }
    out
}
