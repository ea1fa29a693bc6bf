//! News feeds against a local test server: registration checks the feed
//! first, articles become offers with suggested themes, confirming one makes
//! an article activity, and every kind of bad feed gets its own message
//! with nothing stored.

mod common;

use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use common::TestApp;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Báo Phú Yên điện tử</title>
<item><title>Phú Yên sẵn sàng cho bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp</title>
<link>https://baophuyen.vn/bau-cu.html</link><guid>bp-1</guid>
<pubDate>Tue, 18 May 2021 08:00:00 +0700</pubDate><description>Công tác chuẩn bị đã hoàn tất.</description></item>
<item><title>Xử lý nghiêm tham nhũng, lãng phí</title><link>https://baophuyen.vn/pctn.html</link><guid>bp-2</guid>
<pubDate>Wed, 19 May 2021 08:00:00 +0700</pubDate></item>
</channel></rss>"#;

/// A feed server with every way a feed can go wrong; returns its base URL.
async fn feed_server() -> String {
    let app = Router::new()
        .route(
            "/rss",
            get(|| async { ([(header::CONTENT_TYPE, "application/rss+xml")], RSS) }),
        )
        .route(
            "/page",
            get(|| async { "<!doctype html><html><body>Trang chủ</body></html>" }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                RSS
            }),
        )
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route(
            "/to-file",
            get(|| async { Redirect::temporary("file:///etc/passwd") }),
        )
        .route(
            "/big",
            get(|| async { format!("<rss>{}</rss>", " ".repeat(3 << 20)) }),
        )
        .route(
            "/gone",
            get(|| async { StatusCode::NOT_FOUND.into_response() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn bao_phu_yen(app: &TestApp) -> String {
    app.scalar("SELECT id FROM units WHERE name = 'Báo Phú Yên'")
        .await
        .to_string()
}

async fn register(app: &TestApp, cookie: &str, unit: &str, url: &str) -> common::Resp {
    app.post(
        "/feeds",
        Some(cookie),
        &[("unit_id", unit), ("plan_id", "1"), ("url", url)],
    )
    .await
}

async fn suggested(app: &TestApp, guid: &str) -> String {
    sqlx::query_scalar("SELECT suggested_themes FROM feed_items WHERE guid = $1")
        .bind(guid)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn theme(app: &TestApp, number: &str) -> i64 {
    app.scalar_bind(
        "SELECT id FROM themes WHERE plan_id = 1 AND number = $1",
        number,
    )
    .await
}

#[tokio::test]
async fn articles_from_a_feed_become_activities_once_confirmed() {
    let app = TestApp::demo().await;
    let base = feed_server().await;
    let member = app.member().await;
    let unit = bao_phu_yen(&app).await;
    let url = format!("{base}/rss");
    let resp = register(&app, &member, &unit, &url).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let list = app.get("/feeds", Some(&member)).await.body;
    assert!(list.contains("Báo Phú Yên điện tử"), "{list}");

    let feed = app.scalar("SELECT id FROM feeds").await;
    let page = app.get(&format!("/feeds/{feed}"), Some(&member)).await.body;
    assert!(page.contains("2 bài chờ xác nhận"), "{page}");
    assert!(page.contains("18/05/2021"));
    assert_eq!(
        suggested(&app, "bp-1").await,
        theme(&app, "1.2").await.to_string()
    );
    assert_eq!(
        suggested(&app, "bp-2").await,
        theme(&app, "1.5").await.to_string()
    );

    let item = app
        .scalar("SELECT id FROM feed_items WHERE guid = 'bp-1'")
        .await;
    let theme_id = theme(&app, "1.2").await.to_string();
    let confirm = format!("/feeds/items/{item}/confirm");
    let form = [
        ("title", "Phú Yên sẵn sàng cho bầu cử"),
        ("date_from", "18/05/2021"),
        ("theme_ids", theme_id.as_str()),
        // Ignored: the unit, plan and kind come from the feed.
        ("unit_id", "1"),
        ("kind", "seminar"),
    ];
    let resp = app.post(&confirm, Some(&member), &form).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let activity = app
        .scalar("SELECT COUNT(*) FROM activities WHERE kind = 'article' AND link = 'https://baophuyen.vn/bau-cu.html' AND title = 'Phú Yên sẵn sàng cho bầu cử'")
        .await;
    assert_eq!(activity, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM activity_themes t JOIN activities a ON a.id = t.activity_id WHERE a.link = 'https://baophuyen.vn/bau-cu.html'").await,
        1
    );
    assert_eq!(
        app.post(&confirm, Some(&member), &form).await.status,
        StatusCode::NOT_FOUND,
        "an item is confirmed once"
    );

    let other = app
        .scalar("SELECT id FROM feed_items WHERE guid = 'bp-2'")
        .await;
    let bad_date = app
        .post(
            &format!("/feeds/items/{other}/confirm"),
            Some(&member),
            &[("title", "X"), ("date_from", "31/02/2021")],
        )
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_date.body.contains("Xử lý nghiêm tham nhũng"));
    app.post(&format!("/feeds/items/{other}/dismiss"), Some(&member), &[])
        .await;
    let page = app.get(&format!("/feeds/{feed}"), Some(&member)).await.body;
    assert!(page.contains("Không có bài nào chờ xác nhận"), "{page}");

    // A later fetch of the same articles adds nothing.
    sqlx::query("UPDATE feeds SET last_fetched_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.post(&format!("/feeds/{feed}/fetch"), Some(&member), &[])
        .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM feed_items").await, 2);
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity IN ('feed', 'feed_item')")
            .await
            >= 2
    );
}

#[tokio::test]
async fn a_bad_feed_gets_its_own_message_and_is_not_registered() {
    let app = TestApp::demo().await;
    let base = feed_server().await;
    let member = app.member().await;
    let unit = bao_phu_yen(&app).await;
    let cases = [
        (format!("{base}/page"), "không phải nguồn tin RSS hoặc Atom"),
        (format!("{base}/slow"), "quá chậm"),
        (format!("{base}/loop"), "chuyển hướng quá nhiều lần"),
        (format!("{base}/to-file"), "http:// hoặc https://"),
        (format!("{base}/big"), "quá lớn"),
        (format!("{base}/gone"), "mã lỗi 404"),
        ("ftp://example.vn/rss".to_owned(), "http:// hoặc https://"),
        ("khong phai dia chi".to_owned(), "không hợp lệ"),
        ("http://127.0.0.1:1/rss".to_owned(), "Không kết nối được"),
    ];
    for (url, message) in cases {
        let resp = register(&app, &member, &unit, &url).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(resp.body.contains(message), "{url}: {}", resp.body);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM feeds").await, 0);
}

#[tokio::test]
async fn scheduled_fetches_record_a_failing_feed_without_losing_it() {
    let app = TestApp::demo().await;
    let base = feed_server().await;
    let member = app.member().await;
    let unit = bao_phu_yen(&app).await;
    let url = format!("{base}/rss");
    register(&app, &member, &unit, &url).await;
    sqlx::query("UPDATE feeds SET url = $1")
        .bind(format!("{base}/gone"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    let feeds = kehoach::tracking::Services::new(&app.state.settings);
    let added = kehoach::tracking::feeds::fetch_all(&app.db, &feeds)
        .await
        .unwrap();
    assert_eq!(added, 0);
    let list = app.get("/feeds", Some(&member)).await.body;
    assert!(list.contains("Máy chủ trả mã lỗi 404"), "{list}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM feed_items").await, 2);
}

#[tokio::test]
async fn feeds_belong_to_their_unit() {
    let app = TestApp::demo().await;
    let base = feed_server().await;
    let member = app.member().await;
    let unit = bao_phu_yen(&app).await;
    let url = format!("{base}/rss");
    register(&app, &member, &unit, &url).await;
    kehoach::demo::add_user(
        &app.db,
        "songhinh",
        "Cán bộ Sông Hinh",
        "bai-xep-0123",
        "member",
        &["Huyện ủy Sông Hinh"],
        "",
    )
    .await
    .unwrap();
    let outsider = app.login("songhinh", "bai-xep-0123").await;
    let feed = app.scalar("SELECT id FROM feeds").await;
    let item = app.scalar("SELECT MIN(id) FROM feed_items").await;
    assert_eq!(
        app.get(&format!("/feeds/{feed}"), Some(&outsider))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for path in [
        format!("/feeds/{feed}/fetch"),
        format!("/feeds/{feed}/delete"),
        format!("/feeds/items/{item}/confirm"),
        format!("/feeds/items/{item}/dismiss"),
    ] {
        assert_eq!(
            app.post(
                &path,
                Some(&outsider),
                &[("title", "x"), ("date_from", "01/05/2021")]
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let refused = register(&app, &outsider, &unit, &url).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        !app.get("/feeds", Some(&outsider))
            .await
            .body
            .contains("Báo Phú Yên điện tử")
    );
    assert_eq!(app.get("/feeds", None).await.status, StatusCode::SEE_OTHER);
    // The office sees every unit's feeds.
    let coordinator = app.coordinator().await;
    assert!(
        app.get("/feeds", Some(&coordinator))
            .await
            .body
            .contains("Báo Phú Yên điện tử")
    );
}

#[tokio::test]
async fn an_installation_refuses_internal_addresses_by_default() {
    let base = feed_server().await;
    let fetcher = kehoach::tracking::feeds::Fetcher::new(Duration::from_secs(2), false);
    let url = kehoach::tracking::feeds::FeedUrl::parse(&format!("{base}/rss")).unwrap();
    assert_eq!(
        fetcher.fetch(&url).await,
        Err(kehoach::tracking::feeds::FetchError::Private)
    );
    let named = kehoach::tracking::feeds::FeedUrl::parse("http://localhost:9/rss").unwrap();
    assert_eq!(
        fetcher.fetch(&named).await,
        Err(kehoach::tracking::feeds::FetchError::Network)
    );
}
