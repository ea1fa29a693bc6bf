//! Handing out individual prizes from a ranking.
//!
//! A regulation fixes how many prizes of each tier exist ("1 giải Nhất,
//! 2 giải Nhì, 3 giải Ba, 5 giải Khuyến khích"); the budget is approved in
//! advance, so a quota is a hard ceiling, never exceeded to accommodate a
//! tie. Ties that fall across a boundary are instead reported for the
//! office's jury to settle.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::ranking::{Attempt, Ranked};

/// How many prizes of one tier exist.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quota {
    /// The tier's name as printed on the decision ("Giải Nhất", ...).
    pub tier: String,
    /// Prizes of this tier; zero is allowed and skips the tier.
    pub count: u32,
}

/// One prize awarded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Winner {
    /// The tier's name, copied from its [`Quota`].
    pub tier: String,
    /// The winning attempt.
    pub attempt: Attempt,
    /// Its place in the ranking.
    pub position: u32,
}

/// The result of [`allocate`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Winners, best first, tiers in quota order.
    pub winners: Vec<Winner>,
    /// Positions of ranked lines that got a lower tier (or no prize) than
    /// the line just above them although the two are exactly tied: the id
    /// fallback, not the regulation, decided who got what. The office's
    /// jury reviews these before publishing.
    pub boundary_ties: Vec<u32>,
}

/// Awards prizes down the ranking, best tier first.
///
/// `ranked` is the output of [`crate::rank`], best first. `quotas` are the
/// tiers, best first. Each tier is filled before the next one starts, no
/// quota is ever exceeded and no participant gets two prizes (if a
/// participant appears twice, their lower line is skipped and the prize
/// goes to the next person).
#[must_use]
pub fn allocate(ranked: &[Ranked], quotas: &[Quota]) -> Allocation {
    let mut allocation = Allocation::default();
    let mut awarded: HashSet<i64> = HashSet::new();
    let mut tiers = quotas.iter().enumerate().filter(|(_, q)| q.count > 0);
    let mut current = tiers.next();
    let mut filled = 0u32;
    // Lines that are exact ties of each other share a group number; tie
    // flags chain, so this also links lines across a skipped duplicate.
    let mut group = 0u64;
    // (group, tier index or None for no prize) of the last eligible line.
    let mut previous: Option<(u64, Option<usize>)> = None;

    for (i, line) in ranked.iter().enumerate() {
        if i > 0 && !line.exact_tie_with_previous {
            group += 1;
        }
        if awarded.contains(&line.attempt.participant) {
            continue;
        }
        let outcome = current.map(|(index, quota)| {
            allocation.winners.push(Winner {
                tier: quota.tier.clone(),
                attempt: line.attempt,
                position: line.position,
            });
            awarded.insert(line.attempt.participant);
            filled += 1;
            if filled == quota.count {
                current = tiers.next();
                filled = 0;
            }
            index
        });
        if let Some((previous_group, previous_outcome)) = previous
            && previous_group == group
            && previous_outcome != outcome
        {
            allocation.boundary_ties.push(line.position);
        }
        if outcome.is_none() {
            // Everything below is without a prize; only the first such
            // line can be tied with a winner.
            break;
        }
        previous = Some((group, outcome));
    }
    allocation
}
