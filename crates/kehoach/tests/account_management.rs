//! Accounts people can manage: one's own password, and an administrator's
//! reset, disable, enable and log-out-everywhere; each audited, each
//! refused to everyone but an administrator.

mod common;

use axum::http::StatusCode;
use common::TestApp;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    app.scalar_bind("SELECT id FROM users WHERE username = $1", username)
        .await
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    app.scalar_bind("SELECT COUNT(*) FROM audit_log WHERE action = $1", action)
        .await
}

#[tokio::test]
async fn a_user_changes_their_password_and_their_other_sessions_end() {
    let app = TestApp::demo().await;
    let here = app.member().await;
    let elsewhere = app.member().await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let here = here.clone();
        let app = &app;
        async move {
            app.post(
                "/account/password",
                Some(&here),
                &[("current", current), ("new", new), ("confirm", confirm)],
            )
            .await
        }
    };
    let wrong = change("sai-mat-khau", "nui-nhan-2026", "nui-nhan-2026").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Mật khẩu hiện tại không đúng."));
    let common = change("ganh-da-dia-2021", "1234567890", "1234567890").await;
    assert!(common.body.contains("quá phổ biến"), "{}", common.body);
    let mismatch = change("ganh-da-dia-2021", "nui-nhan-2026", "nui-nhan-2027").await;
    assert!(mismatch.body.contains("không khớp"));
    let own_name = change("ganh-da-dia-2021", "donvi-2026-moi", "donvi-2026-moi").await;
    assert!(own_name.body.contains("không được chứa tên đăng nhập"));
    let done = change("ganh-da-dia-2021", "nui-nhan-2026", "nui-nhan-2026").await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Đã đổi mật khẩu"));
    // This session goes on; the other one has ended; the old password is gone.
    assert_eq!(app.get("/duties", Some(&here)).await.status, StatusCode::OK);
    let other = app.get("/duties", Some(&elsewhere)).await;
    assert_eq!(other.location(), "/login");
    let old = app
        .post(
            "/login",
            None,
            &[("username", "donvi"), ("password", "ganh-da-dia-2021")],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.login("donvi", "nui-nhan-2026").await;
    assert_eq!(audited(&app, "change-password").await, 1);
}

#[tokio::test]
async fn a_reset_password_must_be_changed_at_the_next_log_in() {
    let app = TestApp::demo().await;
    let admin = app.admin().await;
    let member_session = app.member().await;
    let id = user_id(&app, "donvi").await;
    let res = app
        .post(
            &format!("/admin/users/{id}/reset-password"),
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let temporary = res
        .body
        .split("class=\"temporary-password\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the temporary password is shown")
        .to_owned();
    assert_eq!(temporary.len(), 14, "{temporary}");
    // The member's session ended with the reset.
    assert_eq!(
        app.get("/duties", Some(&member_session)).await.location(),
        "/login"
    );
    let res = app
        .post(
            "/login",
            None,
            &[("username", "donvi"), ("password", &temporary)],
        )
        .await;
    assert_eq!(res.location(), "/account/password");
    let cookie = res.session_cookie();
    // Until a new password is chosen, every page leads to the change form.
    let page = app.get("/duties", Some(&cookie)).await;
    assert_eq!(page.location(), "/account/password");
    let form = app.get("/account/password", Some(&cookie)).await;
    assert!(form.body.contains("Quản trị viên đã đặt lại mật khẩu"));
    let res = app
        .post(
            "/account/password",
            Some(&cookie),
            &[
                ("current", &temporary),
                ("new", "nui-nhan-2026"),
                ("confirm", "nui-nhan-2026"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        app.get("/duties", Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(audited(&app, "reset-password").await, 1);
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_until_enabled() {
    let app = TestApp::demo().await;
    let admin = app.admin().await;
    let member_session = app.member().await;
    let id = user_id(&app, "donvi").await;
    let res = app
        .post(&format!("/admin/users/{id}/disable"), Some(&admin), &[])
        .await;
    assert!(res.body.contains("Đã khóa tài khoản donvi"));
    assert_eq!(
        app.get("/duties", Some(&member_session)).await.location(),
        "/login"
    );
    let refused = app
        .post(
            "/login",
            None,
            &[("username", "donvi"), ("password", "ganh-da-dia-2021")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    app.post(&format!("/admin/users/{id}/enable"), Some(&admin), &[])
        .await;
    app.member().await;
    // An administrator cannot lock themself out.
    let me = user_id(&app, "quantri").await;
    let res = app
        .post(&format!("/admin/users/{me}/disable"), Some(&admin), &[])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audited(&app, "disable").await, 1);
    assert_eq!(audited(&app, "enable").await, 1);
}

#[tokio::test]
async fn all_sessions_of_a_user_end_at_once() {
    let app = TestApp::demo().await;
    let admin = app.admin().await;
    let first = app.coordinator().await;
    let second = app.coordinator().await;
    let id = user_id(&app, "dieuphoi").await;
    let res = app
        .post(
            &format!("/admin/users/{id}/end-sessions"),
            Some(&admin),
            &[],
        )
        .await;
    assert!(res.body.contains("Đã kết thúc 2 phiên"), "{}", res.body);
    for cookie in [&first, &second] {
        assert_eq!(app.get("/plans", Some(cookie)).await.location(), "/login");
    }
    assert_eq!(audited(&app, "end-sessions").await, 1);
}

#[tokio::test]
async fn only_an_administrator_manages_accounts() {
    let app = TestApp::demo().await;
    let id = user_id(&app, "donvi").await;
    let coordinator = app.coordinator().await;
    let member = app.member().await;
    for action in ["reset-password", "disable", "enable", "end-sessions"] {
        let path = format!("/admin/users/{id}/{action}");
        for cookie in [&coordinator, &member] {
            let res = app.post(&path, Some(cookie), &[]).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.post(&path, None, &[]).await.location(), "/login");
    }
    let admin = app.admin().await;
    let res = app
        .post("/admin/users/999999/disable", Some(&admin), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/account/password", None).await.location(),
        "/login"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE disabled = 1")
            .await,
        0
    );
}
