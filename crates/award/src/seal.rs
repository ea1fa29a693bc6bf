//! The sealed score log: a SHA-256 hash chain over a round's score entries.
//!
//! Award results are contested; the office must be able to show that no
//! mark was changed, added, removed or reordered after the round closed.
//! Every row of the score log is hashed together with the previous row's
//! hash, and the last hash — the *seal* — is recorded in the council's
//! minutes. Changing any row changes every hash after it, so recomputing
//! the chain and comparing it with the stored hashes pinpoints the first
//! broken link, and comparing with the seal alone detects any change.
//!
//! # Encoding
//!
//! `hash(n) = SHA-256(DOMAIN ‖ prev ‖ seq ‖ entry ‖ judge ‖ at_ms ‖ payload)`
//! where every field is written as an 8-byte big-endian length followed by
//! its bytes: `DOMAIN` is the ASCII string `kehoach-award/seal/v1`, `prev`
//! the previous hash's 32 raw bytes (32 zero bytes for the first row, the
//! genesis hash `"0" × 64`), `seq` the `u64` and `entry`, `judge`, `at_ms`
//! the `i64`s as 8-byte big-endian two's complement, and `payload` its UTF-8
//! bytes. Length prefixes make the encoding injective: no two different rows
//! (or a row and a different prefix) produce the same byte string. Hashes are
//! shown as 64 lowercase hex digits.
//!
//! Rows are numbered `seq = 1, 2, 3, …` without gaps.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &[u8] = b"kehoach-award/seal/v1";

/// One row of a round's score log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// 1-based, consecutive.
    pub seq: u64,
    pub entry: i64,
    pub judge: i64,
    /// Canonical JSON of the marks and comment, see [`canonical_payload`].
    pub payload: String,
    /// When the sheet was submitted, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// Why verification failed, at the first broken row.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum VerifyReason {
    /// The row's recomputed hash differs from the stored one: this row, or
    /// one before it whose stored hash was also rewritten, was changed.
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

fn put(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// Hashes one row onto the previous hash (raw bytes); returns lowercase hex.
pub fn chain(prev: &[u8; 32], row: &LogEntry) -> String {
    to_hex(&chain_raw(prev, row))
}

fn chain_raw(prev: &[u8; 32], row: &LogEntry) -> [u8; 32] {
    let mut h = Sha256::new();
    put(&mut h, DOMAIN);
    put(&mut h, prev);
    put(&mut h, &row.seq.to_be_bytes());
    put(&mut h, &row.entry.to_be_bytes());
    put(&mut h, &row.judge.to_be_bytes());
    put(&mut h, &row.at_ms.to_be_bytes());
    put(&mut h, row.payload.as_bytes());
    h.finalize().into()
}

/// Like [`chain`] with the previous hash in hex; `None` if it is not 64 hex
/// digits.
pub fn chain_hex(prev: &str, row: &LogEntry) -> Option<String> {
    Some(chain(&from_hex(prev)?, row))
}

/// The running hash after each row, from the genesis hash.
pub fn hashes(log: &[LogEntry]) -> Vec<String> {
    let mut prev = [0u8; 32];
    log.iter()
        .map(|row| {
            prev = chain_raw(&prev, row);
            to_hex(&prev)
        })
        .collect()
}

/// The seal of a log: the hash after its last row (the genesis hash for an
/// empty log).
pub fn seal(log: &[LogEntry]) -> String {
    hashes(log).pop().unwrap_or_else(|| GENESIS.to_string())
}

/// Checks a log against its stored per-row hashes, reporting the first
/// broken link: a row out of sequence, a hash mismatch, or a row count that
/// differs from the stored hashes.
pub fn verify(log: &[LogEntry], expected_hashes: &[String]) -> Result<(), VerifyError> {
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
        prev = chain_raw(&prev, row);
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
pub fn verify_seal(log: &[LogEntry], sealed: &str) -> Result<(), VerifyError> {
    for (i, row) in log.iter().enumerate() {
        if row.seq != i as u64 + 1 {
            return Err(VerifyError {
                seq: i as u64 + 1,
                reason: VerifyReason::OutOfSequence { found: row.seq },
            });
        }
    }
    let computed = seal(log);
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

/// A judge's sheet as the results use it: the marks and comment stored for
/// that judge and entry now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptScore<'a> {
    pub entry: i64,
    pub judge: i64,
    pub marks: &'a [(String, u32)],
    pub comment: &'a str,
}

/// Why a round cannot be sealed, or why its seal no longer holds.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum SealError {
    /// The log's chain is broken.
    #[error(transparent)]
    Chain(#[from] VerifyError),
    /// A kept score differs from the last sheet the log holds for that
    /// judge and entry (or the log holds none).
    #[error("điểm của giám khảo {judge} cho tác phẩm {entry} không khớp nhật ký chấm")]
    ScoreMismatch { judge: i64, entry: i64 },
}

/// The seal of a round: its chain recomputed and compared with the stored
/// hashes, and every kept score equal to the last sheet the log holds for
/// that judge and entry (so neither the log nor the scores can be changed
/// behind the seal). The payload is compared byte for byte, so a comment
/// stored in another Unicode normal form than the one logged is a change.
pub fn check_round<'a>(
    log: &[LoggedRow],
    scores: impl IntoIterator<Item = KeptScore<'a>>,
) -> Result<String, SealError> {
    let rows: Vec<LogEntry> = log.iter().map(|r| r.row.clone()).collect();
    let stored: Vec<String> = log.iter().map(|r| r.hash.clone()).collect();
    verify(&rows, &stored)?;
    let mut last: HashMap<(i64, i64), &str> = HashMap::new();
    for r in &rows {
        last.insert((r.entry, r.judge), r.payload.as_str());
    }
    for s in scores {
        let logged = last.get(&(s.entry, s.judge)).copied();
        if logged != Some(canonical_payload(s.marks, s.comment).as_str()) {
            return Err(SealError::ScoreMismatch {
                judge: s.judge,
                entry: s.entry,
            });
        }
    }
    Ok(seal(&rows))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept sheet of judge 7: entry, marks, comment.
    type Sheet = (i64, Vec<(String, u32)>, String);

    /// A log of two sheets by judge 7 and the scores kept for them.
    fn round() -> (Vec<LoggedRow>, Vec<Sheet>) {
        let kept: Vec<Sheet> = vec![
            (101, vec![("noi-dung".into(), 8)], "Bài tốt".into()),
            // "Rất hay" with ệ composed, as the judge's form stores it.
            (102, vec![("noi-dung".into(), 6)], "R\u{1ec7}t hay".into()),
        ];
        let rows: Vec<LogEntry> = kept
            .iter()
            .enumerate()
            .map(|(i, (entry, marks, comment))| LogEntry {
                seq: i as u64 + 1,
                entry: *entry,
                judge: 7,
                payload: canonical_payload(marks, comment),
                at_ms: 1_700_000_000_000 + i as i64,
            })
            .collect();
        let log = rows
            .iter()
            .cloned()
            .zip(hashes(&rows))
            .map(|(row, hash)| LoggedRow { row, hash })
            .collect();
        (log, kept)
    }

    fn check(log: &[LoggedRow], kept: &[Sheet]) -> Result<String, SealError> {
        check_round(
            log,
            kept.iter().map(|(entry, marks, comment)| KeptScore {
                entry: *entry,
                judge: 7,
                marks,
                comment,
            }),
        )
    }

    #[test]
    fn an_intact_round_seals_with_its_last_hash() {
        let (log, kept) = round();
        assert_eq!(check(&log, &kept), Ok(log[1].hash.clone()));
        assert_eq!(check(&[], &[]), Ok(GENESIS.to_owned()));
    }

    #[test]
    fn a_score_changed_behind_the_log_is_caught() {
        let (log, mut kept) = round();
        kept[0].1[0].1 = 10;
        let err = check(&log, &kept).unwrap_err();
        assert_eq!(
            err,
            SealError::ScoreMismatch {
                judge: 7,
                entry: 101
            }
        );
        assert!(err.to_string().contains("không khớp"), "{err}");
    }

    #[test]
    fn a_changed_comment_is_caught() {
        let (log, mut kept) = round();
        kept[0].2 = "Bài rất tốt".into();
        assert!(matches!(
            check(&log, &kept),
            Err(SealError::ScoreMismatch { entry: 101, .. })
        ));
    }

    #[test]
    fn a_comment_in_another_normal_form_is_a_change() {
        let (log, mut kept) = round();
        // The same visible text with ệ decomposed (e + dot below + circumflex).
        kept[1].2 = "Re\u{323}\u{302}t hay".into();
        assert!(matches!(
            check(&log, &kept),
            Err(SealError::ScoreMismatch { entry: 102, .. })
        ));
    }

    #[test]
    fn a_tampered_or_shortened_log_is_caught() {
        let (mut log, kept) = round();
        log[0].row.payload = log[0].row.payload.replace('8', "9");
        assert!(matches!(
            check(&log, &kept),
            Err(SealError::Chain(VerifyError {
                seq: 1,
                reason: VerifyReason::HashMismatch { .. }
            }))
        ));
        let (mut log, kept) = round();
        log.remove(0);
        assert!(matches!(check(&log, &kept), Err(SealError::Chain(_))));
        let (mut log, kept) = round();
        log.pop();
        assert!(matches!(
            check(&log, &kept),
            Err(SealError::ScoreMismatch { entry: 102, .. })
        ));
    }
}
