//! The sealed score log: a keyed hash chain over everything that changed a
//! round's set of score sheets.
//!
//! Award results are contested; the office must be able to show that no
//! mark was changed, added, removed or reordered after the round closed.
//! Every change to the round's sheets is a row of its log — a sheet saved,
//! a sheet withdrawn (its judge taken off the entry), and, when the round
//! closes, the settings its outcome depends on — and replaying the log
//! yields exactly the sheets that must be stored ([`check_round`]). Every
//! row is hashed together with the previous row's hash, and the last hash —
//! the *seal* — is printed in the council's minutes.
//!
//! The chain is keyed: `hash(n) = HMAC-SHA-256(key, DOMAIN ‖ prev ‖ seq ‖
//! kind ‖ entry ‖ judge ‖ at_ms ‖ payload)`, the key kept outside the
//! database. Whoever can write the database but does not hold the key
//! cannot rewrite a row and recompute the hashes after it. Every field is
//! written as an 8-byte big-endian length followed by its bytes: `DOMAIN`
//! is `kehoach-award/seal/v2`, `prev` the previous hash's 32 raw bytes (32
//! zero bytes for the first row, [`GENESIS`]), `seq` a `u64`, `kind` its
//! ASCII name, `entry`, `judge` and `at_ms` 8-byte big-endian `i64`s and
//! `payload` its UTF-8 bytes. Length prefixes make the encoding injective.
//! Hashes are shown as 64 lowercase hex digits; a key is named by its
//! [`SealKey::id`], printed beside the seal.
//!
//! Rounds sealed before keys existed used plain SHA-256 with the domain
//! `kehoach-award/seal/v1` and no kind ([`SealKey::unkeyed`]); they can still
//! be checked, but anyone who can write the database could have rebuilt
//! them, and verification says so.

mod replay;

pub use replay::{KeptScore, SealError, Settled, check_round};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN_V1: &[u8] = b"kehoach-award/seal/v1";
const DOMAIN_V2: &[u8] = b"kehoach-award/seal/v2";

/// The shortest secret accepted as a seal key.
pub const MIN_KEY_BYTES: usize = 32;

/// The secret that keys a score log's chain.
#[derive(Clone)]
pub struct SealKey {
    secret: Option<Vec<u8>>,
    id: String,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKey({})", self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("khóa niêm phong phải dài ít nhất {MIN_KEY_BYTES} byte")]
pub struct ShortKey;

impl SealKey {
    /// A key from its secret bytes (at least [`MIN_KEY_BYTES`]).
    pub fn new(secret: &[u8]) -> Result<Self, ShortKey> {
        if secret.len() < MIN_KEY_BYTES {
            return Err(ShortKey);
        }
        let mut h = Sha256::new();
        put(&mut h, b"kehoach-award/key-id/v1");
        put(&mut h, secret);
        let digest: [u8; 32] = h.finalize().into();
        Ok(Self {
            secret: Some(secret.to_vec()),
            id: to_hex(&digest)[..16].to_owned(),
        })
    }

    /// The chain of rounds sealed before keys existed (plain SHA-256).
    pub fn unkeyed() -> Self {
        Self {
            secret: None,
            id: String::new(),
        }
    }

    /// 16 hex digits naming the key without revealing it; empty for the
    /// unkeyed chain.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn is_keyed(&self) -> bool {
        self.secret.is_some()
    }
}

/// What a row of the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LogKind {
    /// A judge's sheet saved (or saved again); the payload is
    /// [`canonical_payload`].
    Score,
    /// A judge's sheet withdrawn: the judge was taken off the entry.
    Withdraw,
    /// The settings the round's outcome depends on, logged as it closes.
    Settings,
}

impl LogKind {
    pub const ALL: [LogKind; 3] = [LogKind::Score, LogKind::Withdraw, LogKind::Settings];

    /// The name hashed into the row and stored.
    pub fn key(self) -> &'static str {
        match self {
            LogKind::Score => "score",
            LogKind::Withdraw => "withdraw",
            LogKind::Settings => "settings",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// One row of a round's score log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// 1-based, consecutive.
    pub seq: u64,
    pub kind: LogKind,
    pub entry: i64,
    pub judge: i64,
    /// Canonical JSON of the marks and comment ([`canonical_payload`]), or
    /// of the settings; empty for a withdrawal.
    pub payload: String,
    /// When it was written, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// Why verification failed, at the first broken row.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum VerifyReason {
    /// The row's recomputed hash differs from the stored one: this row, or
    /// one before it whose stored hash was also rewritten, was changed (or
    /// the log was written with another key).
    #[error("mã băm không khớp (lưu: {expected}, tính lại: {computed})")]
    HashMismatch { expected: String, computed: String },
    /// The row's number is not the next one (a row was deleted, inserted or
    /// moved).
    #[error("số thứ tự dòng không liền mạch (gặp dòng số {found})")]
    OutOfSequence { found: u64 },
    /// There are stored hashes for rows that are no longer in the log.
    #[error("thiếu dòng so với các mã băm đã lưu")]
    MissingRow,
    /// The log has a row with no stored hash.
    #[error("có dòng không có mã băm đã lưu")]
    ExtraRow,
}

/// The first broken link of a score log.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("Nhật ký chấm điểm bị sai lệch tại dòng số {seq}: {reason}")]
pub struct VerifyError {
    /// The row number where the chain breaks (the expected `seq`).
    pub seq: u64,
    pub reason: VerifyReason,
}

fn put(h: &mut impl Digest, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn put_mac(h: &mut Hmac<Sha256>, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// Hashes one row onto the previous hash (raw bytes); returns lowercase hex.
pub fn chain(key: &SealKey, prev: &[u8; 32], row: &LogEntry) -> String {
    to_hex(&chain_raw(key, prev, row))
}

fn chain_raw(key: &SealKey, prev: &[u8; 32], row: &LogEntry) -> [u8; 32] {
    let Some(secret) = &key.secret else {
        let mut h = Sha256::new();
        for field in [
            DOMAIN_V1,
            prev,
            &row.seq.to_be_bytes(),
            &row.entry.to_be_bytes(),
            &row.judge.to_be_bytes(),
            &row.at_ms.to_be_bytes(),
            row.payload.as_bytes(),
        ] {
            put(&mut h, field);
        }
        return h.finalize().into();
    };
    let mut h = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    for field in [
        DOMAIN_V2,
        prev,
        &row.seq.to_be_bytes(),
        row.kind.key().as_bytes(),
        &row.entry.to_be_bytes(),
        &row.judge.to_be_bytes(),
        &row.at_ms.to_be_bytes(),
        row.payload.as_bytes(),
    ] {
        put_mac(&mut h, field);
    }
    h.finalize().into_bytes().into()
}

/// Like [`chain`] with the previous hash in hex; `None` if it is not 64 hex
/// digits.
pub fn chain_hex(key: &SealKey, prev: &str, row: &LogEntry) -> Option<String> {
    Some(chain(key, &from_hex(prev)?, row))
}

/// The running hash after each row, from the genesis hash.
pub fn hashes(key: &SealKey, log: &[LogEntry]) -> Vec<String> {
    let mut prev = [0u8; 32];
    log.iter()
        .map(|row| {
            prev = chain_raw(key, &prev, row);
            to_hex(&prev)
        })
        .collect()
}

/// The seal of a log: the hash after its last row (the genesis hash for an
/// empty log).
pub fn seal(key: &SealKey, log: &[LogEntry]) -> String {
    hashes(key, log)
        .pop()
        .unwrap_or_else(|| GENESIS.to_string())
}

/// Checks a log against its stored per-row hashes, reporting the first
/// broken link: a row out of sequence, a hash mismatch, or a row count that
/// differs from the stored hashes.
pub fn verify(
    key: &SealKey,
    log: &[LogEntry],
    expected_hashes: &[String],
) -> Result<(), VerifyError> {
    let mut prev = [0u8; 32];
    for (i, row) in log.iter().enumerate() {
        let seq = i as u64 + 1;
        if row.seq != seq {
            return Err(VerifyError {
                seq,
                reason: VerifyReason::OutOfSequence { found: row.seq },
            });
        }
        let Some(expected) = expected_hashes.get(i) else {
            return Err(VerifyError {
                seq,
                reason: VerifyReason::ExtraRow,
            });
        };
        prev = chain_raw(key, &prev, row);
        let computed = to_hex(&prev);
        if !computed.eq_ignore_ascii_case(expected) {
            return Err(VerifyError {
                seq,
                reason: VerifyReason::HashMismatch {
                    expected: expected.clone(),
                    computed,
                },
            });
        }
    }
    if expected_hashes.len() > log.len() {
        return Err(VerifyError {
            seq: log.len() as u64 + 1,
            reason: VerifyReason::MissingRow,
        });
    }
    Ok(())
}

/// Checks a log against its seal alone (e.g. the hash printed in the
/// minutes). Only says whether the log is intact; a mismatch is reported at
/// the last row.
pub fn verify_seal(key: &SealKey, log: &[LogEntry], sealed: &str) -> Result<(), VerifyError> {
    for (i, row) in log.iter().enumerate() {
        if row.seq != i as u64 + 1 {
            return Err(VerifyError {
                seq: i as u64 + 1,
                reason: VerifyReason::OutOfSequence { found: row.seq },
            });
        }
    }
    let computed = seal(key, log);
    if computed.eq_ignore_ascii_case(sealed.trim()) {
        Ok(())
    } else {
        Err(VerifyError {
            seq: log.len() as u64,
            reason: VerifyReason::HashMismatch {
                expected: sealed.to_string(),
                computed,
            },
        })
    }
}

/// Canonical JSON of a sheet's marks and comment:
/// `{"comment":"…","marks":{"key":7,…}}` with marks sorted by key (bytewise),
/// no whitespace, and strings escaped minimally (`"`, `\`, and control
/// characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`); other characters,
/// Vietnamese included, are written as UTF-8. The caller should
/// NFC-normalise text first, so that the same visible comment always hashes
/// the same. A key marked twice keeps both, in input order.
pub fn canonical_payload(marks: &[(String, u32)], comment: &str) -> String {
    let mut sorted: Vec<&(String, u32)> = marks.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::from("{\"comment\":");
    json_str(&mut out, comment);
    out.push_str(",\"marks\":{");
    for (i, (k, m)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(&mut out, k);
        out.push(':');
        out.push_str(&m.to_string());
    }
    out.push_str("}}");
    out
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A stored row of a round's score log with the hash stored beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRow {
    pub row: LogEntry,
    pub hash: String,
}

fn to_hex(bytes: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

fn from_hex(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in s.chunks(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}
