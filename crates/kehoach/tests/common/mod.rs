//! The test harness: the real router, in process, on a fresh database with
//! the demo data. SQLite by default; PostgreSQL when KEHOACH_TEST_DATABASE_URL
//! is set (each test then gets its own schema).

#![allow(dead_code)]

pub mod awards;
pub mod contests;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use kehoach::app::router;
use kehoach::config::Settings;
use kehoach::db::Db;
use kehoach::state::AppState;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub db: Db,
    _dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The raw body, for binary downloads.
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The `name=value` of the cookie a log-in set.
    pub fn session_cookie(&self) -> String {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a cookie was set")
            .to_owned()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// A fresh, empty store on the engine under test.
pub async fn fresh_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = match std::env::var("KEHOACH_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => pg_schema_url(&base).await,
        _ => format!("sqlite://{}", dir.path().join("test.db").display()),
    };
    (Db::open(&url, 4).await.expect("open db"), dir)
}

async fn pg_schema_url(base: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let schema = format!("t_{}", rand_suffix());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(base)
        .await
        .expect("connect to PostgreSQL");
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .expect("create schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}{:x}", nanos, std::process::id())
}

impl TestApp {
    /// The app with the demo directory, accounts and the published seed plan.
    pub async fn demo() -> Self {
        let (db, dir) = fresh_db().await;
        kehoach::demo::load(&db).await.expect("demo data");
        Self::with_db(db, dir)
    }

    pub fn with_db(db: Db, dir: tempfile::TempDir) -> Self {
        Self::with_settings(db, dir, |_| {})
    }

    /// An app whose settings a test adjusts first.
    pub fn with_settings(
        db: Db,
        dir: tempfile::TempDir,
        adjust: impl FnOnce(&mut Settings),
    ) -> Self {
        let mut settings = Settings {
            data_dir: dir.path().to_owned(),
            // The feed tests serve their feeds on loopback.
            feeds_allow_private: true,
            feed_timeout_secs: 1,
            ..Settings::default()
        };
        adjust(&mut settings);
        let state = AppState::new(db.clone(), settings);
        Self {
            router: router(state.clone()),
            state,
            db,
            _dir: dir,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// GET with owned arguments, returning the body (for closures in tests).
    pub async fn get_owned(&self, path: String, cookie: String) -> String {
        self.get(&path, Some(&cookie)).await.body
    }

    pub async fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Resp {
        let body = serde_html_form::to_string(form).unwrap();
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn upload(&self, path: &str, cookie: &str, file_name: &str, bytes: &[u8]) -> Resp {
        self.multipart(path, cookie, &[], "file", &[(file_name, bytes)])
            .await
    }

    /// A multipart form post: text fields, then files under one field name.
    pub async fn multipart(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        files: &[(&str, &[u8])],
    ) -> Resp {
        let parts: Vec<(&str, &str, &[u8])> = files
            .iter()
            .map(|(name, bytes)| (file_field, *name, *bytes))
            .collect();
        self.multipart_parts(path, cookie, fields, &parts).await
    }

    /// A multipart form post: text fields, then files as (field, file name,
    /// bytes).
    pub async fn multipart_parts(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let boundary = "XkehoachBoundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (file_field, name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; \
                     filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// The office sets the seed plan's first quarter as a reporting period
    /// (due 05/04/2021) and returns its id.
    pub async fn first_quarter(&self, office_cookie: &str) -> i64 {
        let res = self
            .post(
                "/plans/1/periods",
                Some(office_cookie),
                &[
                    ("kind", "quarterly"),
                    ("name", "Quý I năm 2021"),
                    ("starts_on", "01/01/2021"),
                    ("ends_on", "31/03/2021"),
                    ("due_on", "05/04/2021"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        self.scalar("SELECT MAX(id) FROM periods").await
    }

    /// Logs in and returns the Cookie header value for later requests.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let res = self
            .post(
                "/login",
                None,
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "log-in of {username} failed: {}",
            res.body
        );
        res.session_cookie()
    }

    pub async fn admin(&self) -> String {
        self.login("quantri", "hoa-mai-2021").await
    }

    pub async fn coordinator(&self) -> String {
        self.login("dieuphoi", "song-da-rang-2021").await
    }

    pub async fn member(&self) -> String {
        self.login("donvi", "ganh-da-dia-2021").await
    }

    pub async fn scalar(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    pub async fn scalar_bind(&self, sql: &'static str, arg: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(arg)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

/// A minimal Word document: one paragraph per line of `text`.
pub fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let paragraphs: String = text
        .lines()
        .map(|l| {
            let escaped = l
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!("<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>")
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{paragraphs}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

/// The text body (word/document.xml) of a .docx.
pub fn document_xml(docx: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}
