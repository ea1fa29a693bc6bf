//! The award seal holds: every way of changing a sealed round behind the
//! application (a sheet deleted, added or changed, a derived total changed,
//! the log rewritten and rehashed without the key, a locked setting
//! changed) makes verification fail and computing results refuse, with a
//! message naming the round.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::awards::*;
use kehoach::awards::domain::EditionForm;
use kehoach::awards::repo::AwardError;
use kehoach_award::{LogEntry, LoggedRow, SealKey, hashes};

/// One entry through both rounds, each closed and sealed:
/// (office cookie, preliminary round, final round).
async fn sealed_final(app: &TestApp) -> (String, i64, i64) {
    let office = app.coordinator().await;
    let (_, entry, prelim) = one_scored_entry(app, &office).await;
    close_sealed(app, &office, prelim).await;
    let final_round = round_id(app, "final").await;
    open_round(app, &office, final_round).await;
    let judge = app.login("giamkhao", "nui-da-bia-2021").await;
    let res = score(app, &judge, final_round, entry, "9").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    close_sealed(app, &office, final_round).await;
    (office, prelim, final_round)
}

async fn exec(app: &TestApp, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&app.db.pool)
        .await
        .unwrap();
}

/// Rewrites the final round's log as someone with the database but not the
/// key would: a mark raised in the payload and in the stored sheet, every
/// hash and the seal recomputed with a key of their own.
async fn rehash_without_the_key(app: &TestApp, round: i64) {
    let log = kehoach::awards::repo::score_log(&app.db, round)
        .await
        .unwrap();
    let mut rows: Vec<LogEntry> = log.into_iter().map(|r: LoggedRow| r.row).collect();
    rows[0].payload = rows[0].payload.replace(":9", ":10");
    let forged_key = SealKey::new(&[42u8; 32]).unwrap();
    let forged = hashes(&forged_key, &rows);
    for (row, hash) in rows.iter().zip(&forged) {
        sqlx::query(
            "UPDATE award_score_log SET payload = $1, hash = $2 WHERE round_id = $3 AND seq = $4",
        )
        .bind(&row.payload)
        .bind(hash)
        .bind(round)
        .bind(row.seq as i64)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    exec(app, format!("UPDATE award_scores SET marks_json = REPLACE(marks_json, ',9]', ',10]'), total_milli = 10000 WHERE round_id = {round}")).await;
    exec(
        app,
        format!(
            "UPDATE award_rounds SET seal = '{}' WHERE id = {round}",
            forged.last().unwrap()
        ),
    )
    .await;
}

#[tokio::test]
async fn every_tampering_fails_verification_and_stops_the_results() {
    type Tamper = fn(i64) -> String;
    let cases: Vec<(&str, Tamper)> = vec![
        ("a sheet deleted", |r| {
            format!("DELETE FROM award_scores WHERE round_id = {r}")
        }),
        ("a sheet added", |r| {
            format!(
                "INSERT INTO award_scores (round_id, entry_id, judge_id, marks_json, comment, total_milli, submitted_at) \
                 SELECT round_id, entry_id, (SELECT id FROM users WHERE username = 'dieuphoi'), marks_json, comment, total_milli, submitted_at \
                 FROM award_scores WHERE round_id = {r}"
            )
        }),
        ("a mark changed", |r| {
            format!(
                "UPDATE award_scores SET marks_json = REPLACE(marks_json, ',9]', ',10]') WHERE round_id = {r}"
            )
        }),
        ("a derived total changed", |r| {
            format!("UPDATE award_scores SET total_milli = total_milli + 1000 WHERE round_id = {r}")
        }),
        ("the recorded seal changed", |r| {
            format!("UPDATE award_rounds SET seal = REPLACE(seal, 'a', 'b') WHERE id = {r}")
        }),
        ("a locked setting changed", |_| {
            "UPDATE award_editions SET settings_json = REPLACE(settings_json, '\"weight\":4', '\"weight\":5')"
                .to_owned()
        }),
    ];
    for (name, tamper) in cases {
        let app = TestApp::demo().await;
        let (office, _, final_round) = sealed_final(&app).await;
        exec(&app, tamper(final_round)).await;
        assert_refused(&app, &office, final_round, name).await;
    }
    let app = TestApp::demo().await;
    let (office, _, final_round) = sealed_final(&app).await;
    rehash_without_the_key(&app, final_round).await;
    assert_refused(
        &app,
        &office,
        final_round,
        "the log rehashed without the key",
    )
    .await;
}

async fn assert_refused(app: &TestApp, office: &str, round: i64, name: &str) {
    let verified = kehoach::awards::rounds::verify_round(&app.db, &app.state.settings, round).await;
    assert!(verified.is_err(), "{name}: verification passed");
    let res = compute(app, office).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{name}: {}", res.body);
    assert!(
        res.body.contains("không qua kiểm tra niêm phong") && res.body.contains("Vòng chung khảo"),
        "{name}: {}",
        res.body
    );
    let minutes = app
        .get(
            &format!("/awards/{EDITION}/export/minutes.docx"),
            Some(office),
        )
        .await;
    assert_ne!(minutes.status, StatusCode::OK, "{name}: minutes exported");
}

#[tokio::test]
async fn a_sealed_rounds_settings_are_locked_but_its_tiers_are_not() {
    let app = TestApp::demo().await;
    let (office, _, _) = sealed_final(&app).await;
    let form = app
        .get(&format!("/awards/{EDITION}/edit"), Some(&office))
        .await;
    assert!(
        form.body.contains("Đã có vòng chấm được niêm phong"),
        "{}",
        form.body
    );
    let edition = kehoach::awards::repo::edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let mut form = EditionForm::from_settings(&edition);
    form.tie_rules = "max-single".into();
    let res = save_edition(&app, &office, &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains("không sửa được thang điểm"),
        "{}",
        res.body
    );
    form.tie_rules = "median, max-single".into();
    form.tiers = "Giải A: 2\nGiải B: 2".into();
    let res = save_edition(&app, &office, &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let compute = compute(&app, &office).await;
    assert_eq!(compute.status, StatusCode::SEE_OTHER, "{}", compute.body);
}
#[tokio::test]
async fn a_tampered_score_log_fails_verification() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (_, _, prelim) = one_scored_entry(&app, &office).await;
    close_sealed(&app, &office, prelim).await;
    sqlx::query("UPDATE award_score_log SET payload = REPLACE(payload, '6', '9') WHERE seq = 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let verified =
        kehoach::awards::rounds::verify_round(&app.db, &app.state.settings, prelim).await;
    assert!(
        matches!(verified, Err(AwardError::Broken(_))),
        "{verified:?}"
    );
}

#[tokio::test]
async fn a_score_changed_behind_the_seal_is_detected_and_a_judged_entry_is_frozen() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (entrant, entry, prelim) = one_scored_entry(&app, &office).await;
    // Entries in a round no longer change, by the entrant or at intake.
    set_status(&app, &office, "open").await;
    let fields = entry_fields(&days_ago(3));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let edit = app
        .multipart(
            &format!("/giai/bai/{entry}/sua"),
            &entrant,
            &pairs,
            "files",
            &[],
        )
        .await;
    assert_eq!(edit.status, StatusCode::BAD_REQUEST);
    let reject = app
        .post(
            &format!("/awards/{EDITION}/entries/{entry}/intake"),
            Some(&office),
            &[("decision", "rejected"), ("reason", "muộn")],
        )
        .await;
    assert_eq!(reject.status, StatusCode::BAD_REQUEST);
    close_sealed(&app, &office, prelim).await;
    sqlx::query("UPDATE award_scores SET marks_json = REPLACE(marks_json, '6', '10')")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let verified =
        kehoach::awards::rounds::verify_round(&app.db, &app.state.settings, prelim).await;
    let Err(AwardError::Broken(err)) = verified else {
        panic!("a changed score passed the seal: {verified:?}");
    };
    let err = err.to_string();
    assert!(err.contains("khác với nhật ký"), "{err}");
}
