//! The key of the award score logs' chain, kept outside the database so
//! that whoever can write the database alone cannot forge a seal.
//!
//! In order: the `award_key` setting (64 hex digits, usually from the
//! `KEHOACH_AWARD_KEY` environment variable), or the file named by
//! `award_key_file`, or `award-seal.key` in the data folder. The default
//! file is created on first use with a random key, readable by its owner
//! only; servers that share one database must share the key (the variable
//! or a file path on each).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use kehoach_award::SealKey;

use crate::config::Settings;

const FILE_NAME: &str = "award-seal.key";

/// Where the key file is, when the key does not come from the setting.
pub fn key_path(settings: &Settings) -> PathBuf {
    settings
        .award_key_file
        .clone()
        .unwrap_or_else(|| settings.data_dir.join(FILE_NAME))
}

/// The configured key; the default file is created when missing.
pub fn load(settings: &Settings) -> anyhow::Result<SealKey> {
    if let Some(hex) = &settings.award_key {
        return parse(hex).context("award_key");
    }
    let path = key_path(settings);
    if !path.exists() && settings.award_key_file.is_none() {
        create(&path)?;
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("không đọc được khóa niêm phong {}", path.display()))?;
    parse(&text).with_context(|| format!("khóa niêm phong {}", path.display()))
}

fn parse(text: &str) -> anyhow::Result<SealKey> {
    let text = text.trim();
    let bytes = (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .filter(|b| b.len() * 2 == text.len())
        .ok_or_else(|| anyhow::anyhow!("khóa phải là chuỗi hex (64 chữ số)"))?;
    Ok(SealKey::new(&bytes)?)
}

/// Writes a new random key beside, then links it into place (a link never
/// replaces a file), so that two processes starting at once agree on one key
/// and nobody reads half a file.
fn create(path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let secret: [u8; 32] = rand::random();
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = dir.join(format!(".{FILE_NAME}.{:016x}", rand::random::<u64>()));
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let written = open.open(&tmp).and_then(|mut f| {
        f.write_all(format!("{hex}\n").as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "award seal key created");
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(anyhow::Error::new(e)
            .context(format!("không tạo được khóa niêm phong {}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_key_is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
        let a = load(&settings).unwrap();
        let b = load(&settings).unwrap();
        assert_eq!(a.id(), b.id());
        assert!(a.is_keyed());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key file is the owner's only");
        }
    }

    #[test]
    fn a_key_from_the_setting_wins_and_a_bad_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings {
            data_dir: dir.path().to_owned(),
            award_key: Some("ab".repeat(32)),
            ..Settings::default()
        };
        let key = load(&settings).unwrap();
        assert!(!dir.path().join(FILE_NAME).exists());
        assert_eq!(key.id(), SealKey::new(&[0xab; 32]).unwrap().id());
        settings.award_key = Some("xyz".into());
        assert!(load(&settings).is_err());
        settings.award_key = Some("ab".repeat(8));
        assert!(load(&settings).is_err());
        // A named file that is missing is an error, not a new key.
        settings.award_key = None;
        settings.award_key_file = Some(dir.path().join("missing.key"));
        assert!(load(&settings).is_err());
    }
}
