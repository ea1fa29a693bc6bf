//! Ranking entries and shortlisting them for the final round.
//!
//! Entries are ordered by mean score, best first. Equal means are separated
//! by the contest's tie rules, applied in the order its regulations list
//! them. Entries still equal after every rule are an *exact tie*: they share
//! a position (competition ranking: 1, 2, 2, 4) and it is the council, not
//! this code, that decides between them — hence no hidden tiebreak on entry
//! id (entry id only orders the listing of a tied group).
//!
//! Scores are compared in thousandths ([`to_milli`]): judges' marks are
//! integers, so means and medians are rationals like 22/3, and rounding to
//! three decimals into `i64` keeps the comparison exact and free of
//! floating-point noise while far finer than any difference a council would
//! argue about.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::scores::{EntryScore, to_milli};

/// A rule that separates entries with equal means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TieRule {
    /// Higher median of the judges' scores (less swayed by one judge).
    Median,
    /// Higher best single judge's score.
    MaxSingle,
    /// Submitted earlier.
    EarlierSubmission,
}

/// What ranking needs to know about an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankInput {
    pub entry: i64,
    pub mean: f64,
    pub median: f64,
    pub max_single: f64,
    /// Submission time, milliseconds since the Unix epoch.
    pub submitted_at_ms: i64,
}

impl RankInput {
    /// From an aggregated score and the entry's submission time.
    pub fn from_score(score: &EntryScore, submitted_at_ms: i64) -> RankInput {
        RankInput {
            entry: score.entry,
            mean: score.mean,
            median: score.median,
            max_single: score.max_single,
            submitted_at_ms,
        }
    }
}

/// One component of a ranking key: which rule produced it (`None` for the
/// mean) and its value, larger is better.
pub type KeyPart = (Option<TieRule>, i128);

/// An entry's place in a ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub entry: i64,
    /// 1-based competition position: tied entries share it and the next
    /// position skips (1, 2, 2, 4).
    pub position: usize,
    pub mean: f64,
    /// Shares its position with another entry: an exact tie after all
    /// rules, for the council to decide.
    pub tied: bool,
    /// The tie rule that placed it below the entry directly above it;
    /// `None` when the mean did, when it is first, or when it is tied.
    pub decided_by: Option<TieRule>,
    /// The compared values: mean in thousandths, then one per tie rule
    /// (thousandths, or the negated submission time so larger is better).
    pub key: Vec<KeyPart>,
}

/// Entries whose category is unknown, or a category without prize tiers.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum CategoryError {
    #[error("Tác phẩm {entry} chưa được xếp vào tiểu ban (thể loại) nào")]
    UnknownCategory { entry: i64 },
    #[error("Tiểu ban \"{category}\" chưa có cơ cấu giải thưởng")]
    NoTiers { category: String },
}

fn key_of(input: &RankInput, rules: &[TieRule]) -> Vec<KeyPart> {
    let mut key = Vec::with_capacity(1 + rules.len());
    key.push((None, i128::from(to_milli(input.mean))));
    for &r in rules {
        let v = match r {
            TieRule::Median => i128::from(to_milli(input.median)),
            TieRule::MaxSingle => i128::from(to_milli(input.max_single)),
            TieRule::EarlierSubmission => -i128::from(input.submitted_at_ms),
        };
        key.push((Some(r), v));
    }
    key
}

/// Compares keys by value, larger first.
fn cmp_keys(a: &[KeyPart], b: &[KeyPart]) -> Ordering {
    let av = a.iter().map(|p| p.1);
    let bv = b.iter().map(|p| p.1);
    bv.cmp(av)
}

/// Ranks entries: mean descending, then `tie_rules` in order; exact ties
/// share a position. Listing order within a tie is by entry id.
pub fn rank(inputs: &[RankInput], tie_rules: &[TieRule]) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = inputs
        .iter()
        .map(|i| Ranked {
            entry: i.entry,
            position: 0,
            mean: i.mean,
            tied: false,
            decided_by: None,
            key: key_of(i, tie_rules),
        })
        .collect();
    out.sort_by(|a, b| cmp_keys(&a.key, &b.key).then(a.entry.cmp(&b.entry)));
    renumber(&mut out);
    out
}

/// Recomputes positions, ties and deciding rules of an ordered ranking.
fn renumber(ranked: &mut [Ranked]) {
    for i in 0..ranked.len() {
        let (position, decided_by, tied_above) = if i == 0 {
            (1, None, false)
        } else {
            let prev = &ranked[i - 1];
            match prev
                .key
                .iter()
                .zip(&ranked[i].key)
                .find(|(a, b)| a.1 != b.1)
            {
                None => (prev.position, None, true),
                Some((_, b)) => (i + 1, b.0, false),
            }
        };
        ranked[i].position = position;
        ranked[i].decided_by = decided_by;
        ranked[i].tied = tied_above;
        if tied_above {
            ranked[i - 1].tied = true;
        }
    }
}

/// Splits a ranking by category (`categories`: entry id → category),
/// keeping the order and renumbering positions within each category.
pub fn group_by_category(
    ranked: &[Ranked],
    categories: &HashMap<i64, String>,
) -> Result<BTreeMap<String, Vec<Ranked>>, CategoryError> {
    let mut out: BTreeMap<String, Vec<Ranked>> = BTreeMap::new();
    for r in ranked {
        let cat = categories
            .get(&r.entry)
            .ok_or(CategoryError::UnknownCategory { entry: r.entry })?;
        out.entry(cat.clone()).or_default().push(r.clone());
    }
    for v in out.values_mut() {
        renumber(v);
    }
    Ok(out)
}

/// Ranks each category (sub-council) separately.
pub fn rank_per_category(
    inputs: &[RankInput],
    categories: &HashMap<i64, String>,
    tie_rules: &[TieRule],
) -> Result<BTreeMap<String, Vec<Ranked>>, CategoryError> {
    group_by_category(&rank(inputs, tie_rules), categories)
}

/// How the preliminary round's shortlist is cut.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Shortlist {
    /// The best `n` positions; every entry tied at the cut is included, so
    /// the list may be longer than `n` (nobody is cut by a coin toss).
    TopN(usize),
    /// Every entry whose mean is at least the threshold (in points).
    Threshold(f64),
    /// The best `n` positions (ties at the cut included), but only entries
    /// whose mean reaches the threshold.
    TopNAbove(usize, f64),
}

/// The shortlisted entry ids, in ranking order.
pub fn shortlist(ranked: &[Ranked], rule: Shortlist) -> Vec<i64> {
    let mut sorted: Vec<&Ranked> = ranked.iter().collect();
    sorted.sort_by_key(|r| r.position);
    match rule {
        Shortlist::TopN(n) => sorted
            .into_iter()
            .filter(|r| r.position <= n)
            .map(|r| r.entry)
            .collect(),
        Shortlist::Threshold(t) => {
            let t = to_milli(t);
            sorted
                .into_iter()
                .filter(|r| to_milli(r.mean) >= t)
                .map(|r| r.entry)
                .collect()
        }
        Shortlist::TopNAbove(n, t) => {
            let t = to_milli(t);
            sorted
                .into_iter()
                .filter(|r| r.position <= n && to_milli(r.mean) >= t)
                .map(|r| r.entry)
                .collect()
        }
    }
}

/// Shortlists each category (sub-council) separately, with positions
/// renumbered within the category: by the category's own rule in `quotas`
/// (the national award shortlists 15 printed works but 32 online ones), or
/// else by `rule`.
pub fn shortlist_per_category(
    ranked: &[Ranked],
    categories: &HashMap<i64, String>,
    rule: Shortlist,
    quotas: &BTreeMap<String, Shortlist>,
) -> Result<BTreeMap<String, Vec<i64>>, CategoryError> {
    Ok(group_by_category(ranked, categories)?
        .into_iter()
        .map(|(c, v)| {
            let rule = quotas.get(&c).copied().unwrap_or(rule);
            (c, shortlist(&v, rule))
        })
        .collect())
}
