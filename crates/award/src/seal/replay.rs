//! Replaying a round's log into the sheets it must have left, and comparing
//! them with what is stored both ways.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{LogEntry, LogKind, LoggedRow, SealKey, VerifyError, canonical_payload, seal, verify};
use crate::scores::{Criterion, ScoreSheet, to_milli, weighted};

/// A judge's sheet as the results use it: what is stored for that judge and
/// entry now, with the total derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptScore<'a> {
    pub entry: i64,
    pub judge: i64,
    pub marks: &'a [(String, u32)],
    pub comment: &'a str,
    /// The weighted total stored beside the marks, in thousandths.
    pub total_milli: i64,
}

/// The settings a sealed round was closed with, as canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled<'a>(pub &'a str);

/// Why a round cannot be sealed, or why its seal no longer holds. Each
/// names the first difference found.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum SealError {
    /// The log's chain is broken.
    #[error(transparent)]
    Chain(#[from] VerifyError),
    /// A stored sheet differs from the last one the log holds for that
    /// judge and entry.
    #[error("phiếu chấm của giám khảo {judge} cho tác phẩm {entry} khác với nhật ký chấm")]
    ScoreMismatch { judge: i64, entry: i64 },
    /// A stored sheet the log never recorded (or recorded as withdrawn).
    #[error("phiếu chấm của giám khảo {judge} cho tác phẩm {entry} không có trong nhật ký chấm")]
    ScoreNotLogged { judge: i64, entry: i64 },
    /// The log holds a sheet that is no longer stored.
    #[error("thiếu phiếu chấm của giám khảo {judge} cho tác phẩm {entry} (nhật ký chấm vẫn ghi)")]
    ScoreMissing { judge: i64, entry: i64 },
    /// A stored total does not follow from the stored marks and criteria.
    #[error("tổng điểm của giám khảo {judge} cho tác phẩm {entry} không khớp các điểm thành phần")]
    TotalMismatch { judge: i64, entry: i64 },
    /// The settings the outcome depends on differ from those sealed.
    #[error(
        "cấu hình xét giải (thang điểm, tiêu chí, trọng số, quy tắc) đã đổi sau khi niêm phong"
    )]
    SettingsChanged,
    /// A sealed round's log does not end with the settings it closed with.
    #[error("nhật ký chấm không ghi cấu hình lúc niêm phong")]
    SettingsNotLogged,
}

/// The seal of a round, after checking that nothing was changed behind it:
///
/// * the chain recomputed with `key` equals the stored hashes;
/// * replaying the log (sheets saved, sheets withdrawn) gives exactly the
///   stored sheets — none missing, none extra, none changed, byte for byte
///   (a comment stored in another Unicode normal form is a change);
/// * every stored total follows from its marks and `criteria`;
/// * for a sealed round (`settled`), the log ends with the settings it was
///   closed with, and they equal the current ones.
pub fn check_round<'a>(
    key: &SealKey,
    log: &[LoggedRow],
    scores: impl IntoIterator<Item = KeptScore<'a>>,
    criteria: &[Criterion],
    settled: Option<Settled<'_>>,
) -> Result<String, SealError> {
    let rows: Vec<LogEntry> = log.iter().map(|r| r.row.clone()).collect();
    let stored: Vec<String> = log.iter().map(|r| r.hash.clone()).collect();
    verify(key, &rows, &stored)?;
    let mut expected: BTreeMap<(i64, i64), &str> = BTreeMap::new();
    for r in &rows {
        match r.kind {
            LogKind::Score => {
                expected.insert((r.entry, r.judge), r.payload.as_str());
            }
            LogKind::Withdraw => {
                expected.remove(&(r.entry, r.judge));
            }
            LogKind::Settings => {}
        }
    }
    let mut kept: BTreeMap<(i64, i64), KeptScore<'a>> = BTreeMap::new();
    for s in scores {
        kept.insert((s.entry, s.judge), s);
    }
    for (&(entry, judge), s) in &kept {
        let Some(logged) = expected.get(&(entry, judge)) else {
            return Err(SealError::ScoreNotLogged { judge, entry });
        };
        if *logged != canonical_payload(s.marks, s.comment) {
            return Err(SealError::ScoreMismatch { judge, entry });
        }
        let sheet = ScoreSheet {
            entry,
            judge,
            marks: s.marks.to_vec(),
        };
        if to_milli(weighted(&sheet, criteria)) != s.total_milli {
            return Err(SealError::TotalMismatch { judge, entry });
        }
    }
    if let Some(&(entry, judge)) = expected.keys().find(|k| !kept.contains_key(k)) {
        return Err(SealError::ScoreMissing { judge, entry });
    }
    if let Some(Settled(now)) = settled {
        match rows.last() {
            Some(last) if last.kind == LogKind::Settings => {
                if last.payload != now {
                    return Err(SealError::SettingsChanged);
                }
            }
            _ => return Err(SealError::SettingsNotLogged),
        }
    }
    Ok(seal(key, &rows))
}
