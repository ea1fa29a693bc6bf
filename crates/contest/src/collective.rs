//! Collective prizes for units (communes, schools, agencies) that mobilised
//! the most participants.
//!
//! Two prizes are common: the most participants in absolute numbers, and
//! the highest participation rate, which lets a small commune beat a large
//! district. Ties are broken by fixed, published rules so that the list
//! can be reproduced.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// Participation of one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitTally {
    /// The unit's id.
    pub unit: i64,
    /// Distinct participants from the unit.
    pub participants: u64,
    /// Headcount the rate is measured against (population, staff, pupils);
    /// `None` when unknown, which excludes the unit from the rate prize.
    pub population: Option<u64>,
}

/// The `n` units with the most participants, ties by unit id ascending.
/// One tally per unit is expected.
#[must_use]
pub fn most_participants(tallies: &[UnitTally], n: usize) -> Vec<UnitTally> {
    let mut all = tallies.to_vec();
    all.sort_unstable_by(|a, b| {
        b.participants
            .cmp(&a.participants)
            .then(a.unit.cmp(&b.unit))
    });
    all.truncate(n);
    all
}

/// The `n` units with the highest participants / population, with the rate
/// (a fraction, 1.0 = everyone). Units without a positive population are
/// left out. Ties: more participants first, then unit id ascending.
///
/// Rates are compared by cross-multiplying in `u128`, never as floats: two
/// rates such as 1/3 and 2/6 must tie exactly, and a rounding error must not
/// decide a prize. The `f64` is only for display.
#[must_use]
pub fn highest_rate(tallies: &[UnitTally], n: usize) -> Vec<(UnitTally, f64)> {
    let mut eligible: Vec<(UnitTally, u64)> = tallies
        .iter()
        .filter_map(|t| match t.population {
            Some(p) if p > 0 => Some((*t, p)),
            _ => None,
        })
        .collect();
    eligible.sort_unstable_by(|(a, pa), (b, pb)| {
        compare_rate(b.participants, *pb, a.participants, *pa)
            .then(b.participants.cmp(&a.participants))
            .then(a.unit.cmp(&b.unit))
    });
    eligible.truncate(n);
    eligible
        .into_iter()
        .map(|(t, p)| (t, t.participants as f64 / p as f64))
        .collect()
}

/// Compares `a / pa` with `b / pb` exactly (`pa`, `pb` > 0).
fn compare_rate(a: u64, pa: u64, b: u64, pb: u64) -> Ordering {
    (u128::from(a) * u128::from(pb)).cmp(&(u128::from(b) * u128::from(pa)))
}
