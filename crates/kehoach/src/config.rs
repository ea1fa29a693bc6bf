//! Settings, layered by figment: compiled-in defaults, then a TOML file, then
//! environment variables (`KEHOACH_` + the key in capitals, for every key;
//! `DATABASE_URL` too), then command-line flags. The layers are merged first
//! and validated once, so every layer obeys the same rules and the rest of
//! the program holds only a checked `Settings`.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub bind: String,
    pub data_dir: PathBuf,
    /// `sqlite:` or `postgres:` URL; `None` means the embedded SQLite file.
    pub database_url: Option<String>,
    /// The address people open, e.g. `https://kehoach.tinh.gov.vn`. When
    /// set, requests for any other host are refused and the CSRF check
    /// compares scheme, host and port with it; when it is https, cookies
    /// are Secure and browsers are told to use https only (HSTS).
    pub public_url: Option<String>,
    /// Marks cookies Secure even without an https `public_url`.
    pub secure_cookies: bool,
    pub session_hours: i64,
    /// The largest plan document or request body (award entry files have
    /// their own per-category caps).
    pub max_upload_bytes: usize,
    /// How many days before a report's due date units are reminded.
    pub reminder_days: i64,
    /// `smtp://…` or `smtps://…`; without it e-mail goes to the outbox folder.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// How often registered news feeds are fetched.
    pub feed_interval_minutes: u64,
    pub feed_timeout_secs: u64,
    /// Lets feeds live on loopback or private addresses (tests, intranets);
    /// off by default so a typed-in address cannot reach internal services.
    pub feeds_allow_private: bool,
    /// Contest requests per minute from one address.
    pub contest_ip_per_minute: u32,
    /// Contest writes waiting for the writer; beyond it requests get 503.
    pub contest_queue: usize,
    /// Award entry files: `s3://bucket/…` for S3-compatible storage;
    /// without it, the `files` folder under data_dir.
    pub files_url: Option<String>,
    /// Seconds a client has to send a request's headers; it also bounds
    /// how long an idle keep-alive connection waits for the next request.
    pub header_read_timeout_secs: u64,
    /// Seconds a request body may pause between two pieces before the
    /// request is dropped (slow uploads that keep moving are fine).
    pub body_timeout_secs: u64,
    /// Seconds a whole request may take (reading, work, answer), except
    /// award entry file uploads, which have `upload_timeout_secs`.
    pub request_timeout_secs: u64,
    pub upload_timeout_secs: u64,
    /// Password checks (Argon2, 19 MiB each) run at once; the rest wait.
    pub password_checks: usize,
    /// How long a log-in waits for a password check before 503.
    pub password_wait_ms: u64,
    /// The key of the award score logs' seals, 64 hex digits (usually
    /// `KEHOACH_AWARD_KEY`); without it, `award_key_file`.
    pub award_key: Option<String>,
    /// A file holding that key; without it, `award-seal.key` in data_dir,
    /// created on first use.
    pub award_key_file: Option<PathBuf>,
    /// Reverse proxies (addresses or networks, comma-separated) whose
    /// `Forwarded` / `X-Forwarded-For` headers give the client's address;
    /// empty: the connecting address is the client's.
    pub trusted_proxies: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            secure_cookies: false,
            session_hours: 12,
            max_upload_bytes: kehoach_plan::MAX_INPUT_BYTES,
            reminder_days: 3,
            smtp_url: None,
            mail_from: "kehoach <no-reply@kehoach.invalid>".into(),
            feed_interval_minutes: 60,
            feed_timeout_secs: 15,
            feeds_allow_private: false,
            contest_ip_per_minute: 3000,
            contest_queue: 8192,
            files_url: None,
            public_url: None,
            header_read_timeout_secs: 10,
            body_timeout_secs: 30,
            request_timeout_secs: 120,
            upload_timeout_secs: 3600,
            password_checks: 2,
            password_wait_ms: 2000,
            award_key: None,
            award_key_file: None,
            trusted_proxies: String::new(),
        }
    }
}

/// Command-line flags: the last layer; only the flags given take part.
#[derive(Debug, Default, Serialize)]
pub struct Flags {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

impl Settings {
    /// Builds settings from the optional file and the process environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        Self::load_with(file, &Flags::default())
    }

    /// All four layers, then one validation.
    pub fn load_with(file: Option<&Path>, flags: &Flags) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            if !path.is_file() {
                anyhow::bail!("không đọc được tệp cấu hình {}", path.display());
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        // Only the settings' own keys: other KEHOACH_ variables belong to
        // scripts and tests (KEHOACH_BIN, KEHOACH_TEST_DATABASE_URL).
        let keys = Self::keys();
        let figment = figment
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(
                Env::prefixed("KEHOACH_").filter(move |key| keys.iter().any(|k| key == k.as_str())),
            )
            .merge(Serialized::globals(flags));
        Self::extract(figment)
    }

    /// Every key's name, read from the type itself so no list can drift.
    fn keys() -> Vec<String> {
        match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    fn extract(figment: Figment) -> anyhow::Result<Self> {
        let settings: Settings = figment
            .extract()
            .map_err(|e| anyhow::anyhow!("cấu hình không hợp lệ: {e}"))?;
        settings.validated()
    }

    /// The rules every layer obeys; an empty URL means "not set".
    fn validated(mut self) -> anyhow::Result<Self> {
        for url in [
            &mut self.database_url,
            &mut self.smtp_url,
            &mut self.files_url,
            &mut self.public_url,
            &mut self.award_key,
        ] {
            if url.as_deref().is_some_and(|u| u.trim().is_empty()) {
                *url = None;
            }
        }
        if let Err(bad) = crate::web::client::parse_proxies(&self.trusted_proxies) {
            anyhow::bail!(
                "cấu hình không hợp lệ: trusted_proxies: “{bad}” không phải địa chỉ hay dải IP"
            );
        }
        if let Some(raw) = &self.public_url {
            self.public_url = Some(PublicUrl::parse(raw)?.origin());
        }
        let minimums: [(&str, i128, i128); 12] = [
            ("session_hours", self.session_hours.into(), 1),
            ("reminder_days", self.reminder_days.into(), 0),
            (
                "feed_interval_minutes",
                self.feed_interval_minutes.into(),
                1,
            ),
            ("feed_timeout_secs", self.feed_timeout_secs.into(), 1),
            ("contest_queue", self.contest_queue as i128, 16),
            ("max_upload_bytes", self.max_upload_bytes as i128, 1024),
            (
                "header_read_timeout_secs",
                self.header_read_timeout_secs.into(),
                1,
            ),
            ("body_timeout_secs", self.body_timeout_secs.into(), 1),
            ("request_timeout_secs", self.request_timeout_secs.into(), 1),
            ("upload_timeout_secs", self.upload_timeout_secs.into(), 1),
            ("password_checks", self.password_checks as i128, 1),
            ("password_wait_ms", self.password_wait_ms.into(), 0),
        ];
        for (name, value, min) in minimums {
            if value < min {
                anyhow::bail!(
                    "cấu hình không hợp lệ: {name} phải từ {min} trở lên (đang là {value})"
                );
            }
        }
        Ok(self)
    }

    /// The effective settings as TOML, with passwords in URLs masked.
    pub fn show(&self) -> String {
        let mut shown = self.clone();
        for url in [
            &mut shown.database_url,
            &mut shown.smtp_url,
            &mut shown.files_url,
        ] {
            *url = url.as_deref().map(mask_password);
        }
        if shown.award_key.is_some() {
            shown.award_key = Some("***".into());
        }
        let mut out = toml::to_string(&shown).unwrap_or_default();
        // TOML has no null: unset keys are listed as comments, so the
        // output still names every key.
        for (key, value) in [
            ("database_url", &shown.database_url),
            ("smtp_url", &shown.smtp_url),
            ("files_url", &shown.files_url),
            ("public_url", &shown.public_url),
            ("award_key", &shown.award_key),
        ] {
            if value.is_none() {
                out.push_str(&format!("# {key} (unset)\n"));
            }
        }
        if shown.award_key_file.is_none() {
            out.push_str("# award_key_file (unset)\n");
        }
        out
    }

    /// Where reminder e-mails are written, one .eml file each.
    pub fn outbox(&self) -> std::path::PathBuf {
        self.data_dir.join("outbox")
    }

    /// The checked public address, if one is set.
    pub fn public(&self) -> Option<PublicUrl> {
        self.public_url
            .as_deref()
            .and_then(|u| PublicUrl::parse(u).ok())
    }

    /// Whether cookies carry `Secure`: an https public address, or asked.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.public().is_some_and(|p| p.https)
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("kehoach.db").display()),
        }
    }
}

/// Where people reach the server: scheme, host and port, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    pub https: bool,
    /// `host` or `host:port` as a browser sends it in `Host` (the default
    /// port left out).
    pub host: String,
}

impl PublicUrl {
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        let bad = || {
            anyhow::anyhow!(
                "cấu hình không hợp lệ: public_url phải là http(s)://tên-miền[:cổng] (đang là {raw})"
            )
        };
        let url = url::Url::parse(raw.trim()).map_err(|_| bad())?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(bad()),
        };
        let host = url.host_str().ok_or_else(bad)?.to_ascii_lowercase();
        if url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
            return Err(bad());
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        Ok(Self { https, host })
    }

    /// `https://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> String {
        format!(
            "{}://{}",
            if self.https { "https" } else { "http" },
            self.host
        )
    }
}

/// `scheme://user:secret@host` → `scheme://user:***@host`.
fn mask_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
// figment's `Jail` closures return its (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn flags_override_env_which_overrides_file_which_overrides_defaults() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "k.toml",
                "bind = \"0.0.0.0:9000\"\nsession_hours = 4\nreminder_days = 5\n",
            )?;
            jail.set_env("KEHOACH_BIND", "127.0.0.1:1");
            jail.set_env("KEHOACH_REMINDER_DAYS", "2");
            jail.set_env("KEHOACH_MAX_UPLOAD_BYTES", "2048");
            let s = Settings::load(Some(Path::new("k.toml"))).unwrap();
            assert_eq!(s.bind, "127.0.0.1:1");
            assert_eq!(s.session_hours, 4);
            assert_eq!(s.reminder_days, 2);
            assert_eq!(s.max_upload_bytes, 2048);
            assert!(s.database_url().ends_with("data/kehoach.db"));
            let flags = Flags {
                bind: Some("127.0.0.1:2".into()),
                data_dir: None,
            };
            let s = Settings::load_with(Some(Path::new("k.toml")), &flags).unwrap();
            assert_eq!(s.bind, "127.0.0.1:2");
            Ok(())
        });
    }

    #[test]
    fn every_key_has_an_environment_variable() {
        Jail::expect_with(|jail| {
            jail.set_env("KEHOACH_FEEDS_ALLOW_PRIVATE", "true");
            jail.set_env("KEHOACH_CONTEST_QUEUE", "64");
            jail.set_env("KEHOACH_FEED_TIMEOUT_SECS", "3");
            jail.set_env("DATABASE_URL", "postgres://u:pw@127.0.0.1/k");
            let s = Settings::load(None).unwrap();
            assert!(s.feeds_allow_private);
            assert_eq!(s.contest_queue, 64);
            assert_eq!(s.feed_timeout_secs, 3);
            assert!(s.show().contains("postgres://u:***@127.0.0.1/k"));
            assert!(!s.show().contains("pw"));
            Ok(())
        });
    }

    #[test]
    fn bad_values_are_refused_from_every_layer() {
        Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "bnid = \"x\"")?;
            assert!(Settings::load(Some(Path::new("bad.toml"))).is_err());
            jail.create_file("zero.toml", "feed_interval_minutes = 0")?;
            let e = Settings::load(Some(Path::new("zero.toml"))).unwrap_err();
            assert!(e.to_string().contains("feed_interval_minutes"), "{e}");
            jail.set_env("KEHOACH_CONTEST_QUEUE", "3");
            assert!(Settings::load(None).is_err());
            jail.set_env("KEHOACH_CONTEST_QUEUE", "many");
            assert!(Settings::load(None).is_err());
            assert!(Settings::load(Some(Path::new("missing.toml"))).is_err());
            Ok(())
        });
    }

    #[test]
    fn empty_urls_mean_unset() {
        Jail::expect_with(|jail| {
            jail.set_env("KEHOACH_SMTP_URL", "");
            jail.set_env("DATABASE_URL", "");
            let s = Settings::load(None).unwrap();
            assert_eq!(s.smtp_url, None);
            assert_eq!(s.database_url, None);
            Ok(())
        });
    }
}
