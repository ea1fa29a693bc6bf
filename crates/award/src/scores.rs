//! Score sheets: validation, weighted scores, aggregation and normalisation.
//!
//! A judge fills one sheet per entry with an integer mark per criterion on
//! the contest's scale (say 0–10 for "topic", "craft", "impact"), and the
//! criteria carry integer weights. Everything the council sees derives from
//! these integers, so this module keeps the arithmetic exact for as long as
//! it can:
//!
//! * a sheet's weighted score is the rational `Σ wᵢ·mᵢ / Σ wᵢ`, computed as
//!   two exact integers and divided once ([`weighted_parts`], [`weighted`]);
//! * an entry's mean and median over sheets that share a denominator (the
//!   normal case: validated sheets against one set of criteria) are again one
//!   exact integer ratio divided once, so two entries whose true means are
//!   equal get bit-identical `f64`s, whatever the number or order of sheets;
//! * only when sheets have different denominators (incomplete sheets) are
//!   `f64` values summed, in (entry, judge) order so the result does not
//!   depend on input order.
//!
//! Every division rounds to the nearest `f64` (IEEE 754, ties to even).
//! Comparisons that matter to people (disagreement flags, ranking,
//! thresholds) are made on values rounded to thousandths by [`to_milli`].

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A marking criterion and its integer weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub key: String,
    pub weight: u32,
}

/// The inclusive range of marks, e.g. 0–10 or 1–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub min: u32,
    pub max: u32,
}

/// One judge's marks for one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreSheet {
    pub entry: i64,
    pub judge: i64,
    /// `(criterion key, mark)`.
    pub marks: Vec<(String, u32)>,
}

/// Why a sheet (or the criteria / scale it is checked against) is invalid.
/// Messages are in Vietnamese: they are shown to the office and judges.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum SheetError {
    #[error("Thang điểm không hợp lệ: điểm tối thiểu {min} lớn hơn điểm tối đa {max}")]
    InvalidScale { min: u32, max: u32 },
    #[error("Bộ tiêu chí không hợp lệ: tổng trọng số bằng 0")]
    ZeroWeight,
    #[error("Bộ tiêu chí không hợp lệ: tiêu chí \"{criterion}\" bị khai báo nhiều lần")]
    DuplicateCriterionDefinition { criterion: String },
    #[error(
        "Phiếu chấm của giám khảo {judge} cho tác phẩm {entry} thiếu điểm tiêu chí \"{criterion}\""
    )]
    MissingCriterion {
        entry: i64,
        judge: i64,
        criterion: String,
    },
    #[error(
        "Phiếu chấm của giám khảo {judge} cho tác phẩm {entry}: điểm {mark} của tiêu chí \"{criterion}\" nằm ngoài thang điểm {min}–{max}"
    )]
    OutOfRange {
        entry: i64,
        judge: i64,
        criterion: String,
        mark: u32,
        min: u32,
        max: u32,
    },
    #[error(
        "Phiếu chấm của giám khảo {judge} cho tác phẩm {entry} có tiêu chí \"{criterion}\" không thuộc bộ tiêu chí"
    )]
    UnknownCriterion {
        entry: i64,
        judge: i64,
        criterion: String,
    },
    #[error(
        "Phiếu chấm của giám khảo {judge} cho tác phẩm {entry} chấm tiêu chí \"{criterion}\" nhiều lần"
    )]
    DuplicateMark {
        entry: i64,
        judge: i64,
        criterion: String,
    },
}

/// Rounds to thousandths (half away from zero) as an integer.
///
/// Means of integer marks are rationals such as 22/3; two routes to the same
/// rational can differ in the last bit of an `f64`. Comparing thousandths
/// removes such spurious differences while keeping every difference a person
/// would notice on a score sheet. `NaN` maps to 0 and infinities saturate.
pub fn to_milli(x: f64) -> i64 {
    (x * 1000.0).round() as i64
}

/// Every problem of `sheet` against `criteria` and `scale`, in a stable
/// order: scale and criteria first, then the sheet's marks in their order,
/// then missing criteria in the criteria's order. Empty when valid.
pub fn problems(sheet: &ScoreSheet, criteria: &[Criterion], scale: Scale) -> Vec<SheetError> {
    let mut out = Vec::new();
    if scale.min > scale.max {
        out.push(SheetError::InvalidScale {
            min: scale.min,
            max: scale.max,
        });
    }
    if criteria.iter().map(|c| u64::from(c.weight)).sum::<u64>() == 0 {
        out.push(SheetError::ZeroWeight);
    }
    for (i, c) in criteria.iter().enumerate() {
        if criteria[..i].iter().any(|d| d.key == c.key) {
            out.push(SheetError::DuplicateCriterionDefinition {
                criterion: c.key.clone(),
            });
        }
    }
    let (entry, judge) = (sheet.entry, sheet.judge);
    for (i, (key, mark)) in sheet.marks.iter().enumerate() {
        if !criteria.iter().any(|c| &c.key == key) {
            out.push(SheetError::UnknownCriterion {
                entry,
                judge,
                criterion: key.clone(),
            });
        } else if sheet.marks[..i].iter().any(|(k, _)| k == key) {
            out.push(SheetError::DuplicateMark {
                entry,
                judge,
                criterion: key.clone(),
            });
        } else if *mark < scale.min || *mark > scale.max {
            out.push(SheetError::OutOfRange {
                entry,
                judge,
                criterion: key.clone(),
                mark: *mark,
                min: scale.min,
                max: scale.max,
            });
        }
    }
    for c in criteria {
        if !sheet.marks.iter().any(|(k, _)| k == &c.key) {
            out.push(SheetError::MissingCriterion {
                entry,
                judge,
                criterion: c.key.clone(),
            });
        }
    }
    out
}

/// Checks a sheet; returns the first of [`problems`].
pub fn validate(
    sheet: &ScoreSheet,
    criteria: &[Criterion],
    scale: Scale,
) -> Result<(), SheetError> {
    match problems(sheet, criteria, scale).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The exact weighted score `(Σ wᵢ·mᵢ, Σ wᵢ)` over the criteria that the sheet
/// marks (the first mark of each key counts). A validated sheet marks every
/// criterion, so its denominator is the criteria's total weight.
pub fn weighted_parts(sheet: &ScoreSheet, criteria: &[Criterion]) -> (u64, u64) {
    let mut num = 0u64;
    let mut den = 0u64;
    for c in criteria {
        if let Some((_, m)) = sheet.marks.iter().find(|(k, _)| k == &c.key) {
            num += u64::from(c.weight) * u64::from(*m);
            den += u64::from(c.weight);
        }
    }
    (num, den)
}

/// The weighted mean of a sheet's marks, on the contest's scale. Validate
/// the sheet first: unmarked criteria are left out of both sums, and a sheet
/// with no weighted mark scores 0.
pub fn weighted(sheet: &ScoreSheet, criteria: &[Criterion]) -> f64 {
    let (num, den) = weighted_parts(sheet, criteria);
    ratio(u128::from(num), u128::from(den))
}

fn ratio(num: u128, den: u128) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// An entry's aggregated result over its judges' sheets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryScore {
    pub entry: i64,
    /// Mean of the judges' weighted scores.
    pub mean: f64,
    /// Median of the judges' weighted scores (mean of the middle two for an
    /// even count); a tie rule.
    pub median: f64,
    /// Best single judge's weighted score; a tie rule.
    pub max_single: f64,
    /// Worst single judge's weighted score.
    pub min_single: f64,
    /// Number of sheets (one per judge).
    pub judges: usize,
    /// `max_single − min_single`.
    pub spread: f64,
    /// Judges disagree: at least two sheets and `spread` ≥ the threshold
    /// (compared in thousandths). The council should look at it again.
    pub flagged: bool,
}

/// Aggregates sheets per entry, sorted by entry id. Expects one sheet per
/// (entry, judge), validated; an entry whose judges' weighted scores differ
/// by `disagreement_threshold` or more is flagged.
pub fn aggregate(
    sheets: &[ScoreSheet],
    criteria: &[Criterion],
    disagreement_threshold: f64,
) -> Vec<EntryScore> {
    let mut per_entry: BTreeMap<i64, Vec<(i64, u64, u64)>> = BTreeMap::new();
    for s in sheets {
        let (n, d) = weighted_parts(s, criteria);
        per_entry.entry(s.entry).or_default().push((s.judge, n, d));
    }
    let threshold = to_milli(disagreement_threshold);
    per_entry
        .into_iter()
        .map(|(entry, mut v)| {
            v.sort_unstable();
            let parts: Vec<(u64, u64)> = v.iter().map(|&(_, n, d)| (n, d)).collect();
            let stats = Stats::of(&parts);
            let spread = stats.max - stats.min;
            EntryScore {
                entry,
                mean: stats.mean,
                median: stats.median,
                max_single: stats.max,
                min_single: stats.min,
                judges: parts.len(),
                spread,
                flagged: parts.len() >= 2 && to_milli(spread) >= threshold,
            }
        })
        .collect()
}

struct Stats {
    mean: f64,
    median: f64,
    max: f64,
    min: f64,
}

impl Stats {
    /// Statistics of non-empty exact scores `(num, den)`.
    fn of(parts: &[(u64, u64)]) -> Stats {
        let n = parts.len();
        let den = parts[0].1;
        if parts.iter().all(|&(_, d)| d == den) {
            // Exact: order the numerators, divide once.
            let mut nums: Vec<u64> = parts.iter().map(|&(x, _)| x).collect();
            nums.sort_unstable();
            let sum: u128 = nums.iter().map(|&x| u128::from(x)).sum();
            let den = u128::from(den);
            let median = if n % 2 == 1 {
                ratio(u128::from(nums[n / 2]), den)
            } else {
                ratio(
                    u128::from(nums[n / 2 - 1]) + u128::from(nums[n / 2]),
                    2 * den,
                )
            };
            Stats {
                mean: ratio(sum, den * n as u128),
                median,
                max: ratio(u128::from(nums[n - 1]), den),
                min: ratio(u128::from(nums[0]), den),
            }
        } else {
            let vals: Vec<f64> = parts
                .iter()
                .map(|&(x, d)| ratio(u128::from(x), u128::from(d)))
                .collect();
            let mut sorted = vals.clone();
            sorted.sort_by(f64::total_cmp);
            let median = if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            };
            Stats {
                mean: vals.iter().sum::<f64>() / n as f64,
                median,
                max: sorted[n - 1],
                min: sorted[0],
            }
        }
    }
}

/// Scores corrected for lenient and harsh judges, per entry.
///
/// Each judge's weighted scores are turned into z-scores (subtract the
/// judge's mean, divide by the judge's population standard deviation); a
/// judge with a single sheet, or who gave every entry the same score,
/// contributes a deviation of 0. An entry's z-scores are averaged and mapped
/// back onto the scale as `overall_mean + mean_z × overall_std`, where the
/// overall statistics are over all sheets. The result may fall slightly
/// outside the scale.
///
/// This is advisory: it is shown beside the raw means so the council can see
/// when a sub-council's judges marked very differently, and never replaces
/// the raw means in ranking or prizes.
///
/// A judge with all-equal scores is detected by exact equality of their
/// sheets' rational scores, not by a floating-point tolerance. Sums run in
/// (judge, entry) order, so the result does not depend on input order.
pub fn normalised(sheets: &[ScoreSheet], criteria: &[Criterion]) -> HashMap<i64, f64> {
    let mut rows: Vec<(i64, i64, u64, u64)> = sheets
        .iter()
        .map(|s| {
            let (n, d) = weighted_parts(s, criteria);
            (s.judge, s.entry, n, d)
        })
        .collect();
    rows.sort_unstable();
    if rows.is_empty() {
        return HashMap::new();
    }
    let all: Vec<(u64, u64)> = rows.iter().map(|&(_, _, n, d)| (n, d)).collect();
    let (overall_mean, overall_std) = mean_std(&all);

    let mut z_sum: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    let mut start = 0;
    while start < rows.len() {
        let judge = rows[start].0;
        let end = start + rows[start..].iter().take_while(|r| r.0 == judge).count();
        let group = &rows[start..end];
        let parts: Vec<(u64, u64)> = group.iter().map(|&(_, _, n, d)| (n, d)).collect();
        let all_equal = parts.iter().all(|&(n, d)| {
            u128::from(n) * u128::from(parts[0].1) == u128::from(parts[0].0) * u128::from(d)
        });
        let (mean, std) = mean_std(&parts);
        for &(_, entry, n, d) in group {
            let z = if group.len() < 2 || all_equal || std == 0.0 {
                0.0
            } else {
                (ratio(u128::from(n), u128::from(d)) - mean) / std
            };
            let slot = z_sum.entry(entry).or_insert((0.0, 0));
            slot.0 += z;
            slot.1 += 1;
        }
        start = end;
    }
    z_sum
        .into_iter()
        .map(|(entry, (sum, count))| (entry, overall_mean + sum / count as f64 * overall_std))
        .collect()
}

/// Mean and population standard deviation of non-empty exact scores.
fn mean_std(parts: &[(u64, u64)]) -> (f64, f64) {
    let mean = Stats::of(parts).mean;
    let var = parts
        .iter()
        .map(|&(n, d)| {
            let x = ratio(u128::from(n), u128::from(d)) - mean;
            x * x
        })
        .sum::<f64>()
        / parts.len() as f64;
    (mean, var.sqrt())
}
