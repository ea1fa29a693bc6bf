//! Argon2id password hashes. Each check costs 19 MiB and tens of
//! milliseconds of one core, so every hash and check in the process goes
//! through one bounded pool of threads: a few run at once, the rest wait briefly, and
//! beyond that wait the caller is told the server is busy. Fifty log-ins at
//! once then cost a few checks' memory, not fifty.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use tokio::sync::Semaphore;

/// Minimum length users are told about in the UI.
pub const MIN_LEN: usize = 10;
/// Longer passwords are refused before any work (a pass phrase fits).
pub const MAX_LEN: usize = 256;

/// OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, Some(32)).expect("valid argon2 params")
}

/// The pool was full for longer than the configured wait.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("password checks are busy")]
pub struct Busy;

type Job = Box<dyn FnOnce() + Send>;

/// A few threads of its own, each reusing its allocator's memory for the
/// next check; on tokio's blocking pool every check could land on a fresh
/// thread and leave another 19 MiB behind until the allocator returns it.
struct Pool {
    permits: Semaphore,
    wait: Duration,
    jobs: Mutex<mpsc::Sender<Job>>,
}

impl Pool {
    fn new(threads: usize, wait: Duration) -> Self {
        let threads = threads.max(1);
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = Arc::clone(&rx);
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "password thread not started");
            }
        }
        Self {
            permits: Semaphore::new(threads),
            wait,
            jobs: Mutex::new(tx),
        }
    }
}

static POOL: OnceLock<Pool> = OnceLock::new();

/// Sets the pool's size and wait; the first call wins (the server calls
/// it once at start; tools and tests use the defaults).
pub fn configure(concurrent: usize, wait: Duration) {
    let _ = POOL.set(Pool::new(concurrent, wait));
}

fn pool() -> &'static Pool {
    POOL.get_or_init(|| Pool::new(2, Duration::from_secs(2)))
}

/// Runs one Argon2 job in the pool, off the async workers.
async fn in_pool<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let pool = pool();
    let permit = tokio::time::timeout(pool.wait, pool.permits.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let sent = pool.jobs.lock().map_err(|_| Busy)?.send(Box::new(move || {
        // Held until the check ends, even if the client has gone, so
        // the queue never holds more than the pool's size.
        let _permit = permit;
        let _ = tx.send(job());
    }));
    sent.map_err(|_| Busy)?;
    rx.await.map_err(|_| Busy)
}

/// A new PHC hash string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; Salt::RECOMMENDED_LENGTH];
    rand::rng().fill_bytes(&mut salt);
    let params = params();
    let mut out = [0u8; 32];
    with_memory(&params, |memory| {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
            .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
    })
    .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("argon2: {e}"))?,
        salt: Some(Salt::new(&salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("argon2: {e}"))?),
    };
    Ok(phc.to_string())
}

pub async fn hash(password: String) -> Result<String, crate::error::AppError> {
    match in_pool(move || hash_blocking(&password)).await {
        Ok(hashed) => Ok(hashed?),
        Err(Busy) => Err(crate::error::AppError::Busy),
    }
}

/// Checks a password; with no stored hash it still does the work, so a
/// wrong user name takes as long as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Busy> {
    if password.len() > MAX_LEN {
        return Ok(false);
    }
    in_pool(move || {
        let stored = stored.unwrap_or_else(|| DUMMY.clone());
        check(password.as_bytes(), &stored).unwrap_or(false)
    })
    .await
}

thread_local! {
    /// Argon2's working memory, kept by each password thread for its next
    /// check: a flood of log-ins costs the pool's size times 19 MiB, once,
    /// instead of a fresh 19 MiB per check for the allocator to hold on to.
    static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's working memory, grown to what `params` need.
fn with_memory<T>(params: &Params, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let blocks = params.block_count();
    BLOCKS.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::new());
        }
        f(&mut memory[..blocks])
    })
}

/// Recomputes a stored PHC hash with the thread's working memory and
/// compares in constant time; `None` for a stored hash it cannot read.
fn check(password: &[u8], stored: &str) -> Option<bool> {
    let phc = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(phc.algorithm.as_str()).ok()?;
    let version = match phc.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&phc).ok()?;
    let salt = phc.salt.as_ref()?;
    let expected = phc.hash.as_ref()?;
    let mut out = vec![0u8; expected.len()];
    with_memory(&params, |memory| {
        Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
            password,
            salt.as_ref(),
            &mut out,
            memory,
        )
    })
    .ok()?;
    let computed = Output::new(&out).ok()?;
    // Output's equality is constant-time.
    Some(computed == *expected)
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
        assert!(
            verify("mật khẩu dài đủ".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("sai".into(), Some(h)).await.unwrap());
        assert!(!verify("x".into(), None).await.unwrap());
    }
}
