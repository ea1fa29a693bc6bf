//! Settings: compiled-in defaults, then a TOML file, then environment
//! variables, then command-line flags (each layer overrides the one before).

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub data_dir: PathBuf,
    /// `sqlite:` or `postgres:` URL; `None` means the embedded SQLite file.
    pub database_url: Option<String>,
    /// Set when served over HTTPS so the session cookie is never sent in clear.
    pub secure_cookies: bool,
    pub session_hours: i64,
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
            contest_ip_per_minute: 600,
            contest_queue: 8192,
            files_url: None,
        }
    }
}

/// The file layer: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLayer {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    secure_cookies: Option<bool>,
    session_hours: Option<i64>,
    reminder_days: Option<i64>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    feed_interval_minutes: Option<u64>,
    feed_timeout_secs: Option<u64>,
    feeds_allow_private: Option<bool>,
    contest_ip_per_minute: Option<u32>,
    contest_queue: Option<usize>,
    files_url: Option<String>,
}

impl Settings {
    /// Builds settings from the optional file and the process environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut s = Self::default();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                anyhow::anyhow!("không đọc được tệp cấu hình {}: {e}", path.display())
            })?;
            s.apply_file(&text)?;
        }
        s.apply_env(|k| std::env::var(k).ok())?;
        Ok(s)
    }

    fn apply_file(&mut self, text: &str) -> anyhow::Result<()> {
        let f: FileLayer = toml::from_str(text)?;
        if let Some(v) = f.bind {
            self.bind = v;
        }
        if let Some(v) = f.data_dir {
            self.data_dir = v;
        }
        if let Some(v) = f.database_url {
            self.database_url = Some(v);
        }
        if let Some(v) = f.secure_cookies {
            self.secure_cookies = v;
        }
        if let Some(v) = f.session_hours {
            self.session_hours = v;
        }
        if let Some(v) = f.reminder_days {
            self.reminder_days = v;
        }
        if let Some(v) = f.smtp_url {
            self.smtp_url = Some(v);
        }
        if let Some(v) = f.mail_from {
            self.mail_from = v;
        }
        if let Some(v) = f.feed_interval_minutes {
            self.feed_interval_minutes = v.max(1);
        }
        if let Some(v) = f.feed_timeout_secs {
            self.feed_timeout_secs = v.max(1);
        }
        if let Some(v) = f.feeds_allow_private {
            self.feeds_allow_private = v;
        }
        if let Some(v) = f.contest_ip_per_minute {
            self.contest_ip_per_minute = v;
        }
        if let Some(v) = f.contest_queue {
            self.contest_queue = v.max(16);
        }
        if let Some(v) = f.files_url {
            self.files_url = Some(v);
        }
        Ok(())
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = var("KEHOACH_BIND") {
            self.bind = v;
        }
        if let Some(v) = var("KEHOACH_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = var("DATABASE_URL").filter(|v| !v.is_empty()) {
            self.database_url = Some(v);
        }
        if let Some(v) = var("KEHOACH_SECURE_COOKIES") {
            self.secure_cookies = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some(v) = var("KEHOACH_SESSION_HOURS") {
            self.session_hours = v.parse()?;
        }
        if let Some(v) = var("KEHOACH_SMTP_URL").filter(|v| !v.is_empty()) {
            self.smtp_url = Some(v);
        }
        if let Some(v) = var("KEHOACH_CONTEST_IP_PER_MINUTE") {
            self.contest_ip_per_minute = v.parse()?;
        }
        if let Some(v) = var("KEHOACH_FILES_URL").filter(|v| !v.is_empty()) {
            self.files_url = Some(v);
        }
        if let Some(v) = var("KEHOACH_MAIL_FROM") {
            self.mail_from = v;
        }
        Ok(())
    }

    /// Where reminder e-mails are written, one .eml file each.
    pub fn outbox(&self) -> std::path::PathBuf {
        self.data_dir.join("outbox")
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("kehoach.db").display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_which_overrides_defaults() {
        let mut s = Settings::default();
        s.apply_file("bind = \"0.0.0.0:9000\"\nsession_hours = 4\n")
            .unwrap();
        s.apply_env(|k| (k == "KEHOACH_BIND").then(|| "127.0.0.1:1".to_owned()))
            .unwrap();
        assert_eq!(s.bind, "127.0.0.1:1");
        assert_eq!(s.session_hours, 4);
        assert!(s.database_url().ends_with("data/kehoach.db"));
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let mut s = Settings::default();
        assert!(s.apply_file("bnid = \"x\"").is_err());
    }
}
