//! Serving: open the store, load the demo when asked, start the background
//! work (reminders, retention erasure, news feeds) and answer HTTP until
//! interrupted.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::app::router;
use crate::config::Settings;
use crate::db::Db;
use crate::demo::{DEMO_USERS, load};
use crate::state::AppState;

/// Every hour while the server runs: due reminders, and erasure of contest
/// participants' data past its retention period.
fn spawn_reminders(db: Db, settings: Settings) -> anyhow::Result<()> {
    let mailer = crate::mail::Mailer::from_settings(&settings)?;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let today = crate::web::dates::today_iso();
            match crate::tracking::reminders::run(&db, &mailer, &today, settings.reminder_days)
                .await
            {
                Ok(sent) if sent.notices > 0 => tracing::info!(?sent, "reminders sent"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "reminders failed"),
            }
            match crate::contests::privacy::purge_expired(&db).await {
                Ok(n) if n > 0 => tracing::info!(erased = n, "contest data past retention erased"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "retention erasure failed"),
            }
        }
    });
    Ok(())
}

/// Fetches the registered news feeds on the configured interval.
fn spawn_feeds(state: AppState) {
    let feeds = crate::tracking::Services::new(&state.settings);
    let every = std::time::Duration::from_secs(state.settings.feed_interval_minutes * 60);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match crate::tracking::feeds::fetch_all(&state.db, &feeds).await {
                Ok(n) if n > 0 => tracing::info!(new_items = n, "feeds fetched"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "feed fetching failed"),
            }
        }
    });
}

pub async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    crate::session::password::configure(
        settings.password_checks,
        Duration::from_millis(settings.password_wait_ms),
    );
    let db = Db::open(&settings.database_url(), 16).await?;
    if demo && load(&db).await? {
        tracing::info!("demo data loaded");
    }
    let listener = TcpListener::bind(&settings.bind).await?;
    let addr = listener.local_addr()?;
    println!("kehoach đang chạy: http://{addr}/");
    println!("Trang dự thi công khai (public contests): http://{addr}/thi");
    println!("Giải báo chí, cuộc thi sáng tác (awards): http://{addr}/giai");
    if demo {
        println!("Tài khoản dùng thử (demo log-ins):");
        for (username, pass, _, role, units) in DEMO_USERS {
            let units = if units.is_empty() {
                String::new()
            } else {
                format!(" — {}", units.join(", "))
            };
            println!("  {role:<12} {username} / {pass}{units}");
        }
    }
    spawn_reminders(db.clone(), settings.clone())?;
    let state = AppState::new(db, settings);
    spawn_feeds(state.clone());
    let header_timeout = Duration::from_secs(state.settings.header_read_timeout_secs);
    let app = router(state);
    answer(listener, app, header_timeout, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

/// Answers HTTP/1.1 on every accepted connection until `shutdown`, then
/// lets requests in flight finish (at most ten seconds).
///
/// Hyper's own connection builder rather than `axum::serve`, which has no
/// header timeout: a client gets `header_timeout` to send a request's
/// headers, counted from the connection's start or the end of the previous
/// answer, so a slow-header client and an idle keep-alive connection are both
/// closed. Body and whole-request timeouts are layers of the router.
async fn answer(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: axum::extract::Request<_>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            });
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A timeout or a client that went away ends its connection only.
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
}
