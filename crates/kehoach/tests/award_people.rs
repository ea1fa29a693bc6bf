//! Authors are who their names say, as written: "Tô Anh Hoa" and "Tô Anh
//! Hòa" are two people, each with their own per-author limit, while a
//! zero-width space or a Cyrillic letter inside a name does not make a new
//! person. Names that differ only in diacritics at one outlet are listed
//! for the secretariat to review.

mod common;

use axum::http::StatusCode;
use common::awards::*;
use common::{Resp, TestApp};

async fn submit_by(app: &TestApp, cookie: &str, author: &str) -> Resp {
    submit_as(app, cookie, &days_ago(3), Some(author), &[("a.pdf", PDF)]).await
}

#[tokio::test]
async fn names_are_compared_as_written() {
    let app = TestApp::demo().await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    // The demo edition allows two entries per author.
    for _ in 0..2 {
        let res = submit_by(&app, &entrant, "Tô Anh Hòa").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let other = submit_by(&app, &entrant, "Tô Anh Hoa").await;
    assert_eq!(
        other.status,
        StatusCode::SEE_OTHER,
        "Hoa is not Hòa: {}",
        other.body
    );
    for disguised in [
        "Tô Anh Hò\u{200b}a",
        "T\u{43e}\u{302} Anh Hòa",
        "Tô  Anh Hòa",
    ] {
        let res = submit_by(&app, &entrant, disguised).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{disguised:?}"
        );
        assert!(
            res.body.contains("đã có đủ 2 tác phẩm"),
            "{disguised:?}: {}",
            res.body
        );
    }
    // Stored as written, without the invisible character.
    let names: Vec<String> = sqlx::query_scalar("SELECT real_name FROM award_authors")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(names.iter().all(|n| !n.contains('\u{200b}')), "{names:?}");

    let office = app.coordinator().await;
    let overview = app.get(&format!("/awards/{EDITION}"), Some(&office)).await;
    assert!(
        overview.body.contains("Tác giả cần xem lại"),
        "{}",
        overview.body
    );
    assert!(
        overview.body.contains("<strong>Tô Anh Hoa</strong>")
            && overview.body.contains("<strong>Tô Anh Hòa</strong>"),
        "{}",
        overview.body
    );
}

/// An agency's other names are one outlet: a judge of "Phú Yên" is not
/// given works of "Báo Phú Yên" or of its weekend edition, and the
/// statistics count them under one name.
#[tokio::test]
async fn outlets_compare_through_the_directory() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let edition = kehoach::awards::repo::edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let mut form = kehoach::awards::domain::EditionForm::from_settings(&edition);
    form.outlets = "Báo Phú Yên | Phú Yên | Báo Phú Yên cuối tuần\nphú yên | Khác".into();
    let res = save_edition(&app, &office, &form).await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a name in two agencies"
    );
    assert!(
        res.body.contains("mỗi tên chỉ thuộc một cơ quan"),
        "{}",
        res.body
    );
    form.outlets = "Báo Phú Yên | Phú Yên | Báo Phú Yên cuối tuần".into();
    form.judges_per_entry = "2".into();
    let res = save_edition(&app, &office, &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    add_judge(&app, &office, "gk-py", "Phú Yên").await;
    add_judge(&app, &office, "gk-tn", "Báo Thanh Niên").await;
    add_judge(&app, &office, "gk-vtv", "VTV").await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    for author in ["Lê An", "Lê Bình"] {
        let res = submit_by(&app, &entrant, author).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    sqlx::query("UPDATE award_entries SET outlet = 'Báo Phú Yên cuối tuần' WHERE id = (SELECT MAX(id) FROM award_entries)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let page = app.get(&format!("/awards/{EDITION}"), Some(&office)).await;
    assert!(
        !page.body.contains("Báo Phú Yên cuối tuần"),
        "merged: {}",
        page.body
    );
    for id in [
        app.scalar("SELECT MIN(id) FROM award_entries").await,
        app.scalar("SELECT MAX(id) FROM award_entries").await,
    ] {
        accept(&app, &office, id).await;
    }
    set_status(&app, &office, "judging").await;
    open_round(&app, &office, round_id(&app, "preliminary").await).await;
    let given = app
        .scalar_bind(
            "SELECT COUNT(*) FROM award_assignments a JOIN users u ON u.id = a.judge_id \
             WHERE u.username = $1",
            "gk-py",
        )
        .await;
    assert_eq!(given, 0, "the judge's own agency under another name");
    assert!(app.scalar("SELECT COUNT(*) FROM award_assignments").await >= 4);
}
