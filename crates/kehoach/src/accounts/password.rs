//! Argon2id password hashes. Hashing is slow on purpose, so it runs off the
//! async workers.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

/// Minimum length users are told about in the UI.
pub const MIN_LEN: usize = 10;

fn hasher() -> Argon2<'static> {
    // OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

pub async fn hash(password: String) -> Result<String, AppError> {
    Ok(
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .map_err(anyhow::Error::from)??,
    )
}

/// Checks a password; with no stored hash it still does the work, so a
/// wrong user name takes as long as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY.clone());
        PasswordHash::new(&stored)
            .map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

static DUMMY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_blocking("not a real password").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let h = hash("mật khẩu dài đủ".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("mật khẩu dài đủ".into(), Some(h.clone())).await);
        assert!(!verify("sai".into(), Some(h)).await);
        assert!(!verify("x".into(), None).await);
    }
}
