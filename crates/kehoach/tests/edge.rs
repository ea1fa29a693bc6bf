//! The server's edge under abuse. Memory, log growth and timeouts are
//! measured on the real binary (`kehoach serve`), since they depend on the
//! HTTP server and the allocator; the rest calls the router in process.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;

const MIB: u64 = 1024 * 1024;

/// The real binary on a free port, with the demo data, logging to a file.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("server.log");
        let out = std::fs::File::create(&log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["serve", "--demo"])
            .env("KEHOACH_BIND", "127.0.0.1:0")
            .env("KEHOACH_DATA_DIR", dir.path())
            .env_remove("RUST_LOG")
            .envs(env.iter().copied())
            .stdout(Stdio::from(out.try_clone().expect("log file")))
            .stderr(Stdio::from(out))
            .spawn()
            .expect("start kehoach");
        let started = Instant::now();
        let addr = loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(addr) = text
                .lines()
                .find_map(|l| l.split("http://").nth(1))
                .and_then(|rest| rest.trim_end_matches('/').parse().ok())
            {
                break addr;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not start: {text}"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        Self {
            child,
            addr,
            log,
            _dir: dir,
        }
    }

    /// Resident and peak resident memory, in bytes.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .expect("memory field")
                * 1024
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Starts the peak over from now (Linux: "5" to clear_refs), so start-up
    /// work (loading the demo) is not counted as the peak of what follows.
    fn reset_peak(&self) {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("reset the peak resident memory");
    }

    fn log_bytes(&self) -> u64 {
        std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0)
    }

    /// Posts a form body over a fresh connection; the status, or 0 if the
    /// server closed the connection without one.
    fn post(&self, path: &str, body: &[u8]) -> u16 {
        self.request("POST", path, body)
    }

    fn request(&self, method: &str, path: &str, body: &[u8]) -> u16 {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        // The server may answer and close before it has read a huge body;
        // a failed write is then expected.
        let _ = s.write_all(head.as_bytes()).and_then(|_| s.write_all(body));
        let mut answer = [0u8; 12];
        match s.read_exact(&mut answer) {
            Ok(()) => std::str::from_utf8(&answer[9..12])
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0),
            Err(_) => 0,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn login_body(username: &str, password: &str) -> Vec<u8> {
    serde_html_form::to_string([("username", username), ("password", password)])
        .unwrap()
        .into_bytes()
}

#[test]
fn huge_user_names_grow_neither_memory_nor_the_log() {
    let server = Server::start(&[]);
    let huge = "a".repeat(5 * MIB as usize);
    // One of each first, so lazily built state is not counted as growth.
    server.post("/login", &login_body(&huge, "x"));
    server.post("/login", &login_body(&"b".repeat(3000), "x"));
    let (rss_before, _) = server.memory();
    let log_before = server.log_bytes();
    for i in 0..20 {
        let name = format!("{i}{huge}");
        assert_eq!(server.post("/login", &login_body(&name, "x")), 413);
    }
    // Under the form's limit the name reaches the handler: it is refused as
    // a user name and only a short escaped prefix is logged.
    for i in 0..20 {
        let name = format!("{i}\n{}", "c".repeat(3000));
        assert_eq!(server.post("/login", &login_body(&name, "x")), 401);
    }
    let (rss_after, _) = server.memory();
    let log_growth = server.log_bytes() - log_before;
    let rss_growth = rss_after.saturating_sub(rss_before);
    eprintln!("memory growth {rss_growth} bytes, log growth {log_growth} bytes");
    assert!(rss_growth < 16 * MIB, "memory grew by {rss_growth} bytes");
    assert!(log_growth < 64 * 1024, "log grew by {log_growth} bytes");
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(
        !log.contains(&"c".repeat(100)),
        "a long user name reached the log"
    );
}

/// Runs `n` requests at once, each on its own connection; their statuses.
fn at_once(n: usize, one: impl Fn(usize) -> u16 + Sync) -> Vec<u16> {
    std::thread::scope(|scope| {
        let one = &one;
        let handles: Vec<_> = (0..n).map(|i| scope.spawn(move || one(i))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn fifty_concurrent_log_ins_stay_under_128_mib() {
    let server = Server::start(&[]);
    // A server that has been answering for a while holds its database
    // connections open; fifty public page views open them all first.
    at_once(50, |_| server.request("GET", "/giai", b""));
    server.reset_peak();
    let (before, _) = server.memory();
    let answers = at_once(50, |i| {
        server.post("/login", &login_body(&format!("user{i}"), "wrong-password"))
    });
    let (_, peak) = server.memory();
    eprintln!(
        "answers {answers:?}; memory before {} MiB, peak {} MiB",
        before / MIB,
        peak / MIB
    );
    // Each is answered: a refusal, a rate limit or "busy", never a crash.
    assert!(
        answers.iter().all(|a| [401, 429, 503].contains(a)),
        "{answers:?}"
    );
    assert!(peak < 128 * MIB, "peak memory {peak} bytes");
}

#[test]
fn a_slow_or_idle_connection_is_closed_within_the_header_timeout() {
    let server = Server::start(&[("KEHOACH_HEADER_READ_TIMEOUT_SECS", "2")]);
    // Half a request, then silence.
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(5),
        "closed after {waited:?}"
    );
    // A kept-alive connection that goes quiet after an answer is closed too.
    let mut idle = TcpStream::connect(server.addr).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first[9..12], b"200");
    let started = Instant::now();
    let _ = idle.read_to_end(&mut buf);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "idle connection kept open"
    );
}

// ------------------------------------------------------------ in process

async fn unit_id(app: &TestApp, name: &str) -> String {
    app.scalar_bind("SELECT id FROM units WHERE name = $1", name)
        .await
        .to_string()
}

#[tokio::test]
async fn a_duty_or_channel_of_another_plan_is_refused_before_the_write() {
    let app = TestApp::demo().await;
    let coordinator = app.coordinator().await;
    let res = app
        .upload(
            "/plans/import",
            &coordinator,
            "ban-sao.txt",
            kehoach::demo::SEED_PLAN,
        )
        .await;
    assert!(res.status.is_redirection(), "{}", res.body);
    let unit = unit_id(&app, "Báo Phú Yên").await;
    let foreign_duty: i64 = app
        .scalar("SELECT MAX(d.id) FROM duties d JOIN plans p ON p.id = d.plan_id WHERE p.id <> 1")
        .await;
    let foreign_channel: i64 = app
        .scalar("SELECT MAX(c.id) FROM channels c WHERE c.plan_id <> 1")
        .await;
    let member = app.member().await;
    let activity = |extra: (&'static str, String)| {
        let unit = unit.clone();
        let member = member.clone();
        let app = &app;
        async move {
            let (key, value) = extra;
            app.post(
                "/activities",
                Some(&member),
                &[
                    ("plan_id", "1"),
                    ("unit_id", &unit),
                    ("kind", "article"),
                    ("title", "Bài viết"),
                    ("date_from", "05/03/2021"),
                    (key, &value),
                ],
            )
            .await
        }
    };
    for extra in [
        ("duty_id", foreign_duty.to_string()),
        ("channel_id", foreign_channel.to_string()),
        ("duty_id", "999999".to_owned()),
        ("channel_id", "999999".to_owned()),
    ] {
        let res = activity(extra.clone()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{extra:?}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activities").await, 0);
    let nul = app
        .post(
            "/activities",
            Some(&member),
            &[
                ("plan_id", "1"),
                ("unit_id", &unit),
                ("kind", "article"),
                ("title", "Bài\u{0}viết"),
                ("date_from", "05/03/2021"),
            ],
        )
        .await;
    assert_eq!(nul.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activities").await, 0);
}

#[tokio::test]
async fn a_missing_record_and_another_units_record_answer_alike() {
    let app = TestApp::demo().await;
    let member = app.member().await;
    let other = unit_id(&app, "Huyện ủy Sông Hinh").await;
    let coordinator = app.coordinator().await;
    app.post(
        "/activities",
        Some(&coordinator),
        &[
            ("plan_id", "1"),
            ("unit_id", &other),
            ("kind", "article"),
            ("title", "Của đơn vị khác"),
            ("date_from", "05/03/2021"),
        ],
    )
    .await;
    let theirs: i64 = app.scalar("SELECT MAX(id) FROM activities").await;
    // A report exists only for a unit with duties in the period's plan.
    let period = app.first_quarter(&coordinator).await;
    let idle: i64 = app
        .scalar(
            "SELECT MIN(u.id) FROM units u WHERE NOT EXISTS (SELECT 1 FROM assignments a \
             JOIN duties d ON d.id = a.duty_id WHERE a.unit_id = u.id AND d.plan_id = 1)",
        )
        .await;
    let res = app
        .get(&format!("/reports/{period}/{idle}"), Some(&coordinator))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    for path in [
        format!("/activities/{theirs}"),
        "/activities/999999".to_owned(),
        format!("/units/{other}/calendar"),
        "/units/999999/calendar".to_owned(),
        format!("/reports/1/{other}"),
    ] {
        let res = app.get(&path, Some(&member)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_public_https_address_brings_secure_cookies_hsts_and_host_checks() {
    let (db, dir) = common::fresh_db().await;
    kehoach::demo::load(&db).await.unwrap();
    let app = TestApp::with_settings(db, dir, |s| {
        s.public_url = Some("https://kehoach.example.vn".into());
    });
    let get = |host: &'static str| {
        Request::get("/login")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    let res = app.send(get("kehoach.example.vn")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    let csp = res.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let res = app.send(get("evil.example")).await;
    assert_eq!(res.status, StatusCode::MISDIRECTED_REQUEST);
    let login = |origin: &'static str| {
        Request::post("/login")
            .header(header::HOST, "kehoach.example.vn")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("username=quantri&password=hoa-mai-2021"))
            .unwrap()
    };
    let res = app.send(login("http://kehoach.example.vn")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "scheme must match");
    let res = app.send(login("https://kehoach.example.vn")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let cookie = res.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_log_in_form_over_its_limit_is_refused_unread() {
    let app = TestApp::demo().await;
    let name = "a".repeat(64 * 1024);
    let res = app
        .post("/login", None, &[("username", &name), ("password", "x")])
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login-failed'")
            .await,
        0
    );
}

#[tokio::test]
async fn new_accounts_with_one_e_mail_are_limited_but_not_a_newsrooms_address() {
    let app = TestApp::demo().await;
    let register = async |name: &str, email: &str| {
        app.post(
            "/giai/dang-ky",
            None,
            &[
                ("username", name),
                ("display_name", "Tác giả mới"),
                ("password", "hoa-phuong-do-1975"),
                ("email", email),
                ("consent", "yes"),
            ],
        )
        .await
        .status
    };
    let mut statuses = Vec::new();
    for i in 0..4 {
        statuses.push(register(&format!("tacgiamoi{i}"), "phongvien@bao.vn").await);
    }
    assert!(
        statuses[..3].iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    // Colleagues at the same address still register.
    assert_eq!(
        register("dongnghiep", "dongnghiep@bao.vn").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE username LIKE 'tacgiamoi%'")
            .await,
        3
    );
}

#[tokio::test]
async fn repeated_text_fields_of_an_entry_are_bounded_together() {
    let app = TestApp::demo().await;
    let entrant = app.login("tacgia", "vinh-xuan-dai-2021").await;
    let chunk = "x".repeat(60 * 1024);
    let fields: Vec<(&str, &str)> = (0..10).map(|_| ("summary", chunk.as_str())).collect();
    let res = app
        .multipart("/giai/1/du-thi", &entrant, &fields, "files", &[])
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.bytes.len() < 16 * 1024,
        "{} bytes answered",
        res.bytes.len()
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM award_entries").await, 0);
}
