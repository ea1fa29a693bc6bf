//! Log-in, sessions, roles, CSRF and the log-in rate limit.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;

#[tokio::test]
async fn anonymous_users_are_sent_to_the_login_page() {
    let app = TestApp::demo().await;
    for path in [
        "/",
        "/plans",
        "/plans/1",
        "/duties",
        "/units",
        "/admin/users",
        "/audit",
    ] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.location(), "/login", "{path}");
    }
    let page = app.get("/login", None).await;
    assert!(page.body.contains("Đăng nhập"));
    assert!(page.body.contains("<html lang=\"vi\">"));
}

#[tokio::test]
async fn wrong_password_is_refused_in_vietnamese() {
    let app = TestApp::demo().await;
    let res = app
        .post(
            "/login",
            None,
            &[("username", "dieuphoi"), ("password", "sai-mat-khau")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    assert!(res.headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn login_slows_down_per_user_name_without_locking_the_address_out() {
    let app = TestApp::demo().await;
    for _ in 0..5 {
        let res = app
            .post(
                "/login",
                None,
                &[("username", "quantri"), ("password", "wrong-wrong")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = app
        .post(
            "/login",
            None,
            &[("username", "quantri"), ("password", "hoa-mai-2021")],
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.body.contains("Quá nhiều lần thử đăng nhập"));
    let wait: u64 = res.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    // The same address still reaches the other accounts.
    app.login("dieuphoi", "song-da-rang-2021").await;
    // Every failure is in the audit log, with the name typed.
    let failures: i64 = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login-failed'")
        .await;
    assert_eq!(failures, 5);
}

#[tokio::test]
async fn sessions_are_server_side_and_end_at_logout() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    assert!(cookie.starts_with("kh_session="));
    let stored: i64 = app.scalar("SELECT COUNT(*) FROM sessions").await;
    assert_eq!(stored, 1);
    let token = cookie.trim_start_matches("kh_session=");
    let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(token)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(raw, 0, "the database holds a hash, never the token");
    assert_eq!(
        app.get("/plans", Some(&cookie)).await.status,
        StatusCode::OK
    );
    app.post("/logout", Some(&cookie), &[]).await;
    assert_eq!(
        app.get("/plans", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn roles_gate_every_office_and_admin_route() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let coordinator = app.coordinator().await;
    for path in [
        "/plans",
        "/plans/1",
        "/plans/1/matrix",
        "/plans/1/history",
        "/plans/1/source",
        "/plans/1/themes/1",
        "/plans/1/duties/1",
        "/units",
        "/units/1",
        "/units/groups/1",
    ] {
        assert_eq!(
            app.get(path, Some(&member)).await.status,
            StatusCode::FORBIDDEN,
            "member {path}"
        );
        assert_eq!(
            app.get(path, Some(&coordinator)).await.status,
            StatusCode::OK,
            "coordinator {path}"
        );
    }
    for path in ["/admin/users", "/audit"] {
        assert_eq!(
            app.get(path, Some(&coordinator)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let posts = [
        "/plans/1/publish",
        "/plans/1/themes/1",
        "/plans/1/themes/1/merge",
        "/plans/1/duties/1",
        "/plans/1/unknown-units",
        "/units",
        "/units/groups",
    ];
    for path in posts {
        let res = app
            .post(path, Some(&member), &[("text", "x"), ("name", "x")])
            .await;
        assert!(
            matches!(res.status, StatusCode::FORBIDDEN | StatusCode::BAD_REQUEST),
            "member POST {path}: {}",
            res.status
        );
        assert_ne!(res.status, StatusCode::SEE_OTHER);
    }
    let res = app
        .post(
            "/admin/users",
            Some(&coordinator),
            &[
                ("username", "x"),
                ("display_name", "x"),
                ("password", "bai-xep-0123"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::demo().await;
    let cookie = app.coordinator().await;
    let before: i64 = app.scalar("SELECT COUNT(*) FROM audit_log").await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let req = Request::post("/plans/1/publish")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &cookie)
            .header(name, value)
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, before);
}

#[tokio::test]
async fn the_admin_adds_a_member_bound_to_a_unit() {
    let app = TestApp::demo().await;
    let admin = app.admin().await;
    let unit: i64 = app
        .scalar("SELECT id FROM units WHERE name = 'Báo Phú Yên'")
        .await;
    let unit = unit.to_string();
    let res = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("username", "phongvien"),
                ("display_name", "Phóng viên"),
                ("password", "bai-xep-0123"),
                ("role", "member"),
                ("unit_ids", &unit),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let short = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("username", "khac"),
                ("display_name", "Khác"),
                ("password", "ngan"),
                ("role", "member"),
                ("unit_ids", &unit),
            ],
        )
        .await;
    assert!(short.body.contains("Mật khẩu phải có ít nhất 10 ký tự."));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE username = 'khac'")
            .await,
        0
    );
    app.login("phongvien", "bai-xep-0123").await;
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND action = 'create'")
            .await
            >= 4
    );
}

#[tokio::test]
async fn the_language_switch_keeps_english_second() {
    let app = TestApp::demo().await;
    let page = app.get("/login", Some("lang=en")).await;
    assert!(page.body.contains("Log in"));
    assert!(page.body.contains("<html lang=\"en\">"));
}
