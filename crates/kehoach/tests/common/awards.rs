//! Steps of the award journey shared by the award tests: submit, take in,
//! open, score and close rounds through the real router.

use axum::http::StatusCode;

use super::{Resp, TestApp};

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
pub const EXE: &[u8] =
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 not a pdf at all, a program";
pub const EDITION: i64 = 1;

pub fn days_ago(n: i64) -> String {
    let d = chrono::Utc::now() + chrono::Duration::hours(7) - chrono::Duration::days(n);
    d.format("%d/%m/%Y").to_string()
}

pub fn entry_fields(published: &str) -> Vec<(&'static str, String)> {
    vec![
        ("category", "bao-in".into()),
        ("title", "Đảng viên trẻ nơi biên giới biển".into()),
        ("authors", "Trần Thị Hoa | Hoa Biển\nNguyễn Văn Nam".into()),
        ("outlet", "Báo Phú Yên".into()),
        ("published_on", published.into()),
        ("series_parts", "1".into()),
        ("locality", "Tuy Hòa".into()),
        ("summary", "Phóng sự về chi bộ trên đảo.".into()),
    ]
}

pub async fn submit(app: &TestApp, cookie: &str, published: &str, files: &[(&str, &[u8])]) -> Resp {
    submit_as(app, cookie, published, None, files).await
}

/// [`submit`] with other authors (`Real name | Pen name` a line).
pub async fn submit_as(
    app: &TestApp,
    cookie: &str,
    published: &str,
    authors: Option<&str>,
    files: &[(&str, &[u8])],
) -> Resp {
    let mut fields = entry_fields(published);
    if let Some(authors) = authors {
        for f in fields.iter_mut().filter(|f| f.0 == "authors") {
            f.1 = authors.to_owned();
        }
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.multipart(
        &format!("/giai/{EDITION}/du-thi"),
        cookie,
        &pairs,
        "files",
        files,
    )
    .await
}

pub async fn add_judge(app: &TestApp, office: &str, username: &str, outlet: &str) {
    let res = app
        .post(
            &format!("/awards/{EDITION}/judges"),
            Some(office),
            &[
                ("username", username),
                ("display_name", &format!("Giám khảo {username}")),
                ("password", "matkhau-giamkhao"),
                ("categories", "bao-in"),
                ("final_council", "on"),
                ("outlet", outlet),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The secretariat adds the independent judge to BI-0001, or removes them.
pub async fn reassign_independent(app: &TestApp, office: &str, round: i64, action: &str) {
    let judge = app
        .scalar("SELECT id FROM users WHERE username = 'gk-doclap'")
        .await
        .to_string();
    let res = app
        .post(
            &format!("/awards/{EDITION}/rounds/{round}/assign"),
            Some(office),
            &[("code", "BI-0001"), ("judge", &judge), ("action", action)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

pub async fn round_id(app: &TestApp, stage: &str) -> i64 {
    app.scalar_bind(
        "SELECT id FROM award_rounds WHERE edition_id = 1 AND stage = $1",
        stage,
    )
    .await
}

pub async fn score(app: &TestApp, judge: &str, round: i64, entry: i64, mark: &str) -> Resp {
    app.post(
        &format!("/giai/cham/{round}/{entry}"),
        Some(judge),
        &[
            ("mark-noi-dung", mark),
            ("mark-hinh-thuc", mark),
            ("mark-tac-dong", mark),
            ("comment", "Đề tài tốt"),
        ],
    )
    .await
}

pub async fn set_status(app: &TestApp, office: &str, status: &str) {
    let res = app
        .post(
            &format!("/awards/{EDITION}/status"),
            Some(office),
            &[("status", status)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The secretariat takes the entry in.
pub async fn accept(app: &TestApp, office: &str, entry: i64) {
    let res = app
        .post(
            &format!("/awards/{EDITION}/entries/{entry}/intake"),
            Some(office),
            &[("decision", "accepted")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The secretariat accepts the entry, closes entries and opens the
/// preliminary round.
pub async fn accept_and_open(app: &TestApp, office: &str, entry: i64) -> i64 {
    accept(app, office, entry).await;
    set_status(app, office, "judging").await;
    let prelim = round_id(app, "preliminary").await;
    let res = app
        .post(
            &format!("/awards/{EDITION}/rounds/{prelim}/open"),
            Some(office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    prelim
}

pub fn blob_count(app: &TestApp) -> usize {
    let root = app.state.settings.data_dir.join("files/awards");
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return 0;
    };
    dirs.flatten()
        .filter(|d| d.file_name() != "tmp")
        .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
        .sum()
}

/// One entry in an open preliminary round, scored 6 on every criterion by
/// the demo judge: (entrant cookie, entry, round).
pub async fn one_scored_entry(app: &TestApp, office: &str) -> (String, i64, i64) {
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    submit(app, &entrant, &days_ago(3), &[("a.pdf", PDF)]).await;
    let entry = app.scalar("SELECT MAX(id) FROM award_entries").await;
    let prelim = accept_and_open(app, office, entry).await;
    let judge = app.login("giamkhao", "nui-da-bia-2021").await;
    score(app, &judge, prelim, entry, "6").await;
    (entrant, entry, prelim)
}

/// Closes the round and checks that its seal verifies.
pub async fn close_sealed(app: &TestApp, office: &str, round: i64) {
    let res = app
        .post(
            &format!("/awards/{EDITION}/rounds/{round}/close"),
            Some(office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let verified = kehoach::awards::rounds::verify_round(&app.db, &app.state.settings, round).await;
    assert!(verified.is_ok(), "{verified:?}");
}

/// The secretariat opens a pending round of the demo edition.
pub async fn open_round(app: &TestApp, office: &str, round: i64) {
    let res = app
        .post(
            &format!("/awards/{EDITION}/rounds/{round}/open"),
            Some(office),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// Saves the demo edition's form as typed.
pub async fn save_edition(
    app: &TestApp,
    office: &str,
    form: &kehoach::awards::domain::EditionForm,
) -> Resp {
    let typed: Vec<(String, String)> =
        serde_html_form::from_str(&serde_html_form::to_string(form).unwrap()).unwrap();
    let pairs: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(&format!("/awards/{EDITION}/edit"), Some(office), &pairs)
        .await
}

/// The secretariat computes the results of the closed final round.
pub async fn compute(app: &TestApp, office: &str) -> Resp {
    app.post(
        &format!("/awards/{EDITION}/results/compute"),
        Some(office),
        &[],
    )
    .await
}
