//! Rules for juried competitions run by a provincial communications office:
//! the provincial press award, poster and writing contests.
//!
//! Entries are marked by judges sitting in sub-councils (one per category);
//! a preliminary round shortlists entries into a final round, and prizes are
//! allocated by quota (e.g. 1 special, 6 A, 12 B, 18 C, 30 encouragement),
//! overall or per category. This crate holds the rules only — pure,
//! deterministic functions with no I/O, no clock and no randomness — so the
//! same inputs always give the same, explainable result:
//!
//! * [`assign`](mod@assign): judges to entries, without conflicts of
//!   interest, loads balanced within each sub-council;
//! * [`scores`]: sheet validation, weighted scores, per-entry aggregation
//!   with a disagreement flag, and advisory normalisation of lenient and
//!   harsh judges;
//! * [`ranking`]: ordering with tie rules, exact ties left to the council,
//!   and shortlisting;
//! * [`prizes`]: allocation by quota with overflow and tie policies, and
//!   council overrides with reasons;
//! * [`seal`](mod@seal): the keyed hash chain that seals a round's score log,
//!   replayed to prove the stored sheets.
//!
//! A typical round: [`assign()`] → judges fill [`ScoreSheet`]s, each
//! [`validate`]d and logged ([`LogEntry`], [`seal()`]) → [`aggregate`] →
//! [`rank`] (or [`rank_per_category`]) → [`shortlist`] for the final round,
//! or [`allocate`] / [`allocate_per_category`] → [`apply_override`] for the
//! council's decisions.
//!
//! ```
//! use kehoach_award::*;
//!
//! let entries: Vec<EntryInfo> = (1..=4)
//!     .map(|id| EntryInfo { id, category: "bao-in".into(), outlet: None, authors: vec![] })
//!     .collect();
//! let judges: Vec<JudgeInfo> = (10..=12)
//!     .map(|id| JudgeInfo {
//!         id,
//!         categories: vec!["bao-in".into()],
//!         outlet: None,
//!         person: None,
//!         declared_conflicts: vec![],
//!     })
//!     .collect();
//! let assignment = assign(&entries, &judges, 2, &[]);
//! assert_eq!(assignment.pairs.len(), 8);
//! assert!(assignment.shortfalls.is_empty());
//!
//! let criteria = vec![Criterion { key: "noi-dung".into(), weight: 1 }];
//! let sheets: Vec<ScoreSheet> = assignment
//!     .pairs
//!     .iter()
//!     .map(|&(entry, judge)| ScoreSheet {
//!         entry,
//!         judge,
//!         marks: vec![("noi-dung".into(), 10 - entry as u32)],
//!     })
//!     .collect();
//! for s in &sheets {
//!     validate(s, &criteria, Scale { min: 0, max: 10 }).unwrap();
//! }
//! let scores = aggregate(&sheets, &criteria, 3.0);
//! let inputs: Vec<RankInput> = scores.iter().map(|s| RankInput::from_score(s, 0)).collect();
//! let ranked = rank(&inputs, &[TieRule::Median, TieRule::EarlierSubmission]);
//! let tiers = vec![
//!     Tier { name: "A".into(), quota: 1, min_milli: None },
//!     Tier { name: "B".into(), quota: 2, min_milli: None },
//! ];
//! let prizes = allocate(&ranked, &tiers, Overflow::CascadeDown, TiePolicy::CouncilDecides);
//! assert_eq!(prizes.awards, vec![(1, "A".into()), (2, "B".into()), (3, "B".into())]);
//! ```

pub mod assign;
pub mod eligibility;
pub mod identity;
pub mod media;
pub mod prizes;
pub mod ranking;
pub mod scores;
pub mod seal;

pub use assign::{
    Assignment, ConflictReason, ConflictingOverride, EntryInfo, JudgeInfo, Shortfall, assign,
    conflicts, is_conflict, load_spread,
};
pub use eligibility::{Candidate, CategoryRule, EntryRules, Need, Problem, check};
pub use identity::{clean_name, person_key};
pub use media::{Format, Kind, SNIFF_LEN, sniff};
pub use prizes::{
    Allocation, Overflow, Override, OverrideError, TiePolicy, Tier, allocate,
    allocate_per_category, apply_override,
};
pub use ranking::{
    CategoryError, KeyPart, RankInput, Ranked, Shortlist, TieRule, group_by_category, rank,
    rank_per_category, shortlist, shortlist_per_category,
};
pub use scores::{
    Criterion, EntryScore, Scale, ScoreSheet, SheetError, aggregate, normalised, problems,
    to_milli, validate, weighted, weighted_parts,
};
pub use seal::{
    GENESIS, KeptScore, LogEntry, LogKind, LoggedRow, MIN_KEY_BYTES, SealError, SealKey, Settled,
    ShortKey, VerifyError, VerifyReason, canonical_payload, chain, chain_hex, check_round, hashes,
    seal, verify, verify_seal,
};
