//! Prize allocation by quota.
//!
//! A press award's regulations fix how many prizes of each tier exist —
//! e.g. 1 special, 6 A, 12 B, 18 C, 30 encouragement — overall or per
//! category. Prizes go down the ranking in order. Two things need rules of
//! their own, because they are where appeals come from:
//!
//! * a tier that cannot be filled (too few entries, or a tie the rules
//!   refuse to split): its slots either move to the next tier
//!   ([`Overflow::CascadeDown`]) or lapse ([`Overflow::Drop`]);
//! * an exact tie straddling a quota boundary ([`TiePolicy`]).
//!
//! Whatever the rules give, the council may still override an award, with a
//! written reason that is kept beside the allocation ([`apply_override`]).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ranking::{CategoryError, Ranked, group_by_category};

/// A prize tier and how many prizes it has. Tiers are listed best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    pub quota: u32,
    /// The lowest mean (in thousandths) a work must reach to receive this
    /// tier; a tier no remaining work reaches stays empty, its slots
    /// handled by the overflow rule and reported in
    /// [`Allocation::not_reached`].
    #[serde(default)]
    pub min_milli: Option<i64>,
}

/// What happens to a tier's unused slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Overflow {
    /// Unused slots move to the next tier (while entries remain).
    CascadeDown,
    /// Unused slots lapse.
    Drop,
}

/// What to do with an exact tie that straddles a tier's quota boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TiePolicy {
    /// Nobody in the tied group gets the higher tier; they compete for the
    /// next one. The higher tier's remaining slots are unused.
    Exclude,
    /// All tied entries get the tier, exceeding its quota; the excess is
    /// reported in [`Allocation::exceeded`].
    Include,
    /// Fill the quota by listing order (entry id within the tie), let the
    /// rest of the group continue to the next tier, and list the whole tied
    /// group in [`Allocation::ties_for_council`] to be decided.
    CouncilDecides,
}

/// A council decision that changed an award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub entry: i64,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: String,
}

/// The result of allocating prizes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// `(entry, tier name)`, by tier (best first) and then ranking order;
    /// entries moved by an override come last in their tier.
    pub awards: Vec<(i64, String)>,
    /// Slots nobody received, by tier. Under [`Overflow::CascadeDown`],
    /// slots carried down are reported against the tier where they were
    /// finally left unused (entries ran out, or the last tier).
    pub unfilled: Vec<(String, u32)>,
    /// Exact ties straddling a boundary, under [`TiePolicy::CouncilDecides`].
    pub ties_for_council: Vec<Vec<i64>>,
    /// Prizes given beyond a tier's capacity, under [`TiePolicy::Include`].
    pub exceeded: Vec<(String, u32)>,
    /// Council overrides applied after the rules, in order.
    pub overrides: Vec<Override>,
    /// The tiers allocated, best first.
    pub tiers: Vec<Tier>,
    /// Tiers whose minimum score stopped them: (tier, slots left).
    pub not_reached: Vec<(String, u32)>,
}

impl Allocation {
    /// The tier awarded to `entry`, if any.
    pub fn tier_of(&self, entry: i64) -> Option<&str> {
        self.awards
            .iter()
            .find(|(e, _)| *e == entry)
            .map(|(_, t)| t.as_str())
    }

    /// How many prizes each tier has, in tier order (zeros included).
    pub fn tier_counts(&self) -> Vec<(String, u32)> {
        self.tiers
            .iter()
            .map(|t| {
                let n = self.awards.iter().filter(|(_, a)| *a == t.name).count();
                (t.name.clone(), u32::try_from(n).unwrap_or(u32::MAX))
            })
            .collect()
    }
}

/// Allocates `tiers` (best first) down the ranking.
///
/// Each tier has a capacity: its quota, plus under [`Overflow::CascadeDown`]
/// the slots carried down from the tiers above. Groups of entries sharing a
/// position are taken in position order; a group that fits gets the tier;
/// a group larger than the remaining capacity is handled by `tie_policy`.
/// A tier left with capacity carries it down (`CascadeDown`, while entries
/// remain) or reports it unfilled. Entries below the last prize get nothing
/// and are not listed.
pub fn allocate(
    ranked: &[Ranked],
    tiers: &[Tier],
    overflow: Overflow,
    tie_policy: TiePolicy,
) -> Allocation {
    let mut order: Vec<&Ranked> = ranked.iter().collect();
    order.sort_by_key(|r| (r.position, r.entry));
    // Groups of equal position, as lists of entry ids, with their mean.
    let mut groups: Vec<Vec<i64>> = Vec::new();
    let mut means: Vec<i64> = Vec::new();
    let mut last_pos = None;
    for r in order {
        if last_pos == Some(r.position) {
            groups.last_mut().expect("group").push(r.entry);
        } else {
            groups.push(vec![r.entry]);
            means.push(crate::scores::to_milli(r.mean));
            last_pos = Some(r.position);
        }
    }

    let mut alloc = Allocation {
        tiers: tiers.to_vec(),
        ..Allocation::default()
    };
    let mut gi = 0; // next group
    let mut offset = 0; // members of groups[gi] already awarded (CouncilDecides)
    let mut carry: u32 = 0;
    for tier in tiers {
        let mut remaining = tier.quota.saturating_add(carry);
        carry = 0;
        let reaches = |gi: usize| tier.min_milli.is_none_or(|min| means[gi] >= min);
        while remaining > 0 && gi < groups.len() {
            if !reaches(gi) {
                alloc.not_reached.push((tier.name.clone(), remaining));
                break;
            }
            let group = &groups[gi][offset..];
            let len = u32::try_from(group.len()).unwrap_or(u32::MAX);
            if len <= remaining {
                alloc
                    .awards
                    .extend(group.iter().map(|&e| (e, tier.name.clone())));
                remaining -= len;
                gi += 1;
                offset = 0;
                continue;
            }
            match tie_policy {
                TiePolicy::Include => {
                    alloc
                        .awards
                        .extend(group.iter().map(|&e| (e, tier.name.clone())));
                    alloc.exceeded.push((tier.name.clone(), len - remaining));
                    remaining = 0;
                    gi += 1;
                    offset = 0;
                }
                TiePolicy::Exclude => break,
                TiePolicy::CouncilDecides => {
                    if offset == 0 {
                        alloc.ties_for_council.push(groups[gi].clone());
                    }
                    let take = remaining as usize;
                    alloc
                        .awards
                        .extend(group[..take].iter().map(|&e| (e, tier.name.clone())));
                    offset += take;
                    remaining = 0;
                }
            }
        }
        if remaining > 0 {
            if overflow == Overflow::CascadeDown && gi < groups.len() {
                carry = remaining;
            } else {
                alloc.unfilled.push((tier.name.clone(), remaining));
            }
        }
    }
    if carry > 0
        && let Some(last) = tiers.last()
    {
        alloc.unfilled.push((last.name.clone(), carry));
    }
    alloc
}

/// Allocates each category separately: `categories` maps entry id to
/// category and `tiers` gives each category's tiers. The ranking is split by
/// category with positions renumbered, keeping exact ties together.
pub fn allocate_per_category(
    ranked: &[Ranked],
    categories: &HashMap<i64, String>,
    tiers: &BTreeMap<String, Vec<Tier>>,
    overflow: Overflow,
    tie_policy: TiePolicy,
) -> Result<BTreeMap<String, Allocation>, CategoryError> {
    let groups = group_by_category(ranked, categories)?;
    let mut out = BTreeMap::new();
    for (cat, ranked) in groups {
        let t = tiers.get(&cat).ok_or_else(|| CategoryError::NoTiers {
            category: cat.clone(),
        })?;
        out.insert(cat, allocate(&ranked, t, overflow, tie_policy));
    }
    Ok(out)
}

/// Why a council override was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum OverrideError {
    #[error("Quyết định điều chỉnh giải của Hội đồng phải ghi rõ lý do")]
    EmptyReason,
    #[error("Không có hạng giải \"{tier}\" trong cơ cấu giải")]
    UnknownTier { tier: String },
    #[error("Tác phẩm {entry} đã ở đúng hạng giải này, không cần điều chỉnh")]
    NoChange { entry: i64 },
}

/// Applies a council decision: `entry` gets `tier` (`None` removes its
/// prize). A non-empty reason is required; it is recorded in
/// [`Allocation::overrides`]. Quota bookkeeping (`unfilled`, `exceeded`)
/// stays as the rules left it — compare [`Allocation::tier_counts`] with the
/// quotas to see the override's effect.
pub fn apply_override(
    allocation: &Allocation,
    entry: i64,
    tier: Option<&str>,
    reason: &str,
) -> Result<Allocation, OverrideError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(OverrideError::EmptyReason);
    }
    let to_idx = match tier {
        None => None,
        Some(t) => Some(
            allocation
                .tiers
                .iter()
                .position(|x| x.name == t)
                .ok_or_else(|| OverrideError::UnknownTier {
                    tier: t.to_string(),
                })?,
        ),
    };
    let from = allocation.tier_of(entry).map(str::to_string);
    if from.as_deref() == tier {
        return Err(OverrideError::NoChange { entry });
    }
    let mut out = allocation.clone();
    out.awards.retain(|(e, _)| *e != entry);
    if let Some(idx) = to_idx {
        // Insert after the last award of this tier or a better one.
        let rank_of = |name: &str| out.tiers.iter().position(|t| t.name == name);
        let at = out
            .awards
            .iter()
            .rposition(|(_, t)| rank_of(t).is_some_and(|r| r <= idx))
            .map_or(0, |p| p + 1);
        out.awards.insert(at, (entry, out.tiers[idx].name.clone()));
    }
    out.overrides.push(Override {
        entry,
        from,
        to: tier.map(str::to_string),
        reason: reason.to_string(),
    });
    Ok(out)
}
