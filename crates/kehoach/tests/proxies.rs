//! Behind a trusted reverse proxy, per-address limits count the client the
//! proxy names; from anyone else the forwarding headers are ignored.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::TestApp;

/// A failed log-in (each with another user name, so only the per-address
/// limit can refuse) from `peer`, forwarded for `client`.
async fn login_from(app: &TestApp, peer: &str, client: &str, n: usize) -> StatusCode {
    let mut req = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("x-forwarded-for", client)
        .body(Body::from(format!(
            "username=khach{n}&password=sai-mat-khau-roi"
        )))
        .unwrap();
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    app.send(req).await.status
}

#[tokio::test]
async fn limits_count_the_client_behind_a_trusted_proxy() {
    let (db, dir) = common::fresh_db().await;
    kehoach::demo::load(&db).await.unwrap();
    let app = TestApp::with_settings(db, dir, |s| s.trusted_proxies = "10.0.0.1".into());
    // One client through the proxy runs into the per-address limit...
    let mut limited = false;
    for n in 0..40 {
        if login_from(&app, "10.0.0.1", "203.0.113.9", n).await == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "the client behind the proxy is limited");
    // ...while another client through the same proxy is not.
    assert_ne!(
        login_from(&app, "10.0.0.1", "203.0.113.10", 100).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A peer that is not a proxy cannot choose its address by the header.
    let mut limited = false;
    for i in 0..40usize {
        let forged = format!("198.51.100.{i}");
        if login_from(&app, "192.0.2.50", &forged, 200 + i).await == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(
        limited,
        "a forged header does not spread one peer over many addresses"
    );
}
