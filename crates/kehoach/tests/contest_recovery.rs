//! A registered participant continues on another device: with the personal
//! code shown after registering, or with the name and the other details
//! given then; tries are limited and on record.

mod common;

use axum::http::{StatusCode, header};
use common::TestApp;
use common::contests::*;

async fn register_with_year(
    app: &TestApp,
    contest: i64,
    name: &str,
    phone: &str,
    year: &str,
) -> String {
    let unit = unit(app, "Huyện ủy Tuy An").await;
    let res = app
        .post(
            &format!("/thi/{contest}/dang-ky"),
            None,
            &[
                ("full_name", name),
                ("birth_year", year),
                ("phone", phone),
                ("unit_id", unit.as_str()),
                ("consent", "yes"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    cookie_of(&res)
}

fn code_on(page: &str) -> String {
    let start = page.find("<strong class=\"code\">").expect("code shown") + 21;
    page[start..start + 9].to_owned()
}

async fn recover(app: &TestApp, contest: i64, form: &[(&str, &str)]) -> common::Resp {
    app.post(&format!("/thi/{contest}/tiep-tuc"), None, form)
        .await
}

#[tokio::test]
async fn a_participant_continues_on_another_device_with_the_code_or_the_details() {
    let app = TestApp::demo().await;
    let office = app.coordinator().await;
    let (contest, round) = open_contest(&app, &office, "unlimited").await;
    let first = register_with_year(&app, contest, "Trần Văn Bình", "0905123456", "1990").await;
    let page = app.get(&format!("/thi/{contest}"), Some(&first)).await.body;
    let code = code_on(&page);
    assert_eq!(code.len(), 9, "ABCD-EFGH");

    // Registering again from a new phone says how to continue.
    let again = register(
        &app,
        contest,
        "Trần Văn Bình",
        "0905123456",
        &unit(&app, "Huyện ủy Tuy An").await,
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Tiếp tục dự thi"));
    assert!(
        app.get(&format!("/thi/{contest}/tiep-tuc"), None)
            .await
            .body
            .contains("Mã cá nhân")
    );

    let wrong = recover(
        &app,
        contest,
        &[("key", "0905123456"), ("code", "AAAA-AAAA")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("không khớp"));
    let unknown = recover(&app, contest, &[("key", "0905999999"), ("code", &code)]).await;
    assert!(
        unknown.body.contains("không khớp"),
        "the same answer for an unknown number"
    );

    // The code, typed loosely, on a second device.
    let typed = code.to_lowercase().replace('-', " ");
    let ok = recover(
        &app,
        contest,
        &[("key", "+84 905 123 456"), ("code", &typed)],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let cookie = ok.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = app
        .get(&format!("/thi/{contest}"), Some(&cookie))
        .await
        .body;
    assert!(page.contains("Trần Văn Bình"));
    assert_eq!(
        start(&app, round, &cookie).await.status,
        StatusCode::SEE_OTHER
    );

    // Without the code: the name and the birth year given at registration.
    let details = [
        ("key", "0905123456"),
        ("full_name", "tran van binh"),
        ("birth_year", "1990"),
    ];
    assert_eq!(
        recover(&app, contest, &details).await.status,
        StatusCode::SEE_OTHER
    );
    let wrong_year = [
        ("key", "0905123456"),
        ("full_name", "Trần Văn Bình"),
        ("birth_year", "1991"),
    ];
    assert_eq!(
        recover(&app, contest, &wrong_year).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A person who gave only a phone can continue only with the code.
    let other = register(
        &app,
        contest,
        "Lê Thị Hoa",
        "0905222333",
        &unit(&app, "Huyện ủy Tuy An").await,
    )
    .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    let name_only = [("key", "0905222333"), ("full_name", "Lê Thị Hoa")];
    assert_eq!(
        recover(&app, contest, &name_only).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Five failures in an hour lock the person out, even with the code.
    for _ in 0..4 {
        recover(
            &app,
            contest,
            &[("key", "0905123456"), ("code", "BBBB-BBBB")],
        )
        .await;
    }
    let locked = recover(&app, contest, &[("key", "0905123456"), ("code", &code)]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("quá nhiều lần"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'recover'")
            .await,
        2
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'recover_failed'")
            .await,
        6
    );
}
