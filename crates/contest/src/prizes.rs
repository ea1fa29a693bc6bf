//! Handing out individual prizes (or places in a final) from a ranking.
//!
//! A regulation fixes how many prizes of each tier exist ("1 giải Nhất,
//! 2 giải Nhì, 3 giải Ba, 5 giải Khuyến khích") and, often, a minimum score
//! below which no prize is given. When participants tied on every declared
//! criterion fall across a boundary, the regulation's tie policy settles it:
//! the office decides, a lottery with a recorded seed draws, or all of them
//! are included. Nothing else (no hidden criterion, no database order) ever
//! decides who gets a prize.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ranking::{Attempt, Ranked};
use crate::rng::{SplitMix64, mix, shuffle};

/// How many prizes of one tier exist.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quota {
    /// The tier's name as printed on the decision ("Giải Nhất", ...).
    pub tier: String,
    /// Prizes of this tier; zero is allowed and skips the tier.
    pub count: u32,
}

/// How a tie across a boundary is settled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TiePolicy {
    /// The office (its jury) chooses; results wait for the decision.
    #[default]
    Decide,
    /// A lottery drawn from the contest's recorded seed.
    Lottery,
    /// Every tied participant gets the better place, beyond the quota.
    All,
}

impl TiePolicy {
    /// Every policy, in the order the settings form lists them.
    pub const ALL: [TiePolicy; 3] = [Self::Decide, Self::Lottery, Self::All];

    /// The short name used in settings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decide => "decide",
            Self::Lottery => "lottery",
            Self::All => "all",
        }
    }
}

impl fmt::Display for TiePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tie policy that is not one of [`TiePolicy::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Cách xử lý đồng hạng không hợp lệ: “{0}” (dùng decide, lottery, all)")]
pub struct TiePolicyError(pub String);

impl FromStr for TiePolicy {
    type Err = TiePolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| TiePolicyError(t.to_owned()))
    }
}

impl TryFrom<String> for TiePolicy {
    type Error = TiePolicyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TiePolicy> for String {
    fn from(p: TiePolicy) -> Self {
        p.as_str().to_owned()
    }
}

/// The office's choice for one tie: of `candidates` (participant ids), the
/// `chosen` take the better place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub candidates: Vec<i64>,
    pub chosen: Vec<i64>,
}

/// Everything the regulation says about handing out places.
#[derive(Clone, Copy, Debug)]
pub struct AwardRules<'a> {
    /// The tiers, best first.
    pub quotas: &'a [Quota],
    /// Lines scoring less get nothing (0: no minimum).
    pub min_score: u32,
    pub ties: TiePolicy,
    /// The recorded lottery seed (used by [`TiePolicy::Lottery`] only).
    pub seed: u64,
    /// The office's decisions so far (used by [`TiePolicy::Decide`] only).
    pub decisions: &'a [Decision],
}

/// How a boundary tie was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Settled {
    /// Waiting for the office: the winners listed are provisional.
    Undecided,
    Office,
    Lottery,
    All,
}

/// Participants tied on every criterion across a boundary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundaryTie {
    /// The shared place of the tied lines.
    pub place: u32,
    /// The tier at stake.
    pub tier: String,
    /// What the others get: the next tier, or nothing.
    pub next: Option<String>,
    /// How many of the candidates fit in `tier`.
    pub slots: u32,
    /// The tied attempts, in ranking order.
    pub candidates: Vec<Attempt>,
    /// Participants given `tier` (all of them under [`Settled::All`]).
    pub chosen: Vec<i64>,
    pub settled: Settled,
}

impl BoundaryTie {
    /// The candidates' participant ids, sorted: the key of a [`Decision`].
    #[must_use]
    pub fn key(&self) -> Vec<i64> {
        let mut k: Vec<i64> = self.candidates.iter().map(|a| a.participant).collect();
        k.sort_unstable();
        k
    }
}

/// One prize awarded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Winner {
    /// The tier's name, copied from its [`Quota`].
    pub tier: String,
    /// The winning attempt.
    pub attempt: Attempt,
    /// Its line in the ranking.
    pub position: u32,
    /// Its place (shared with those it is tied with).
    pub place: u32,
    /// Given through a boundary tie (see [`Allocation::ties`]).
    pub tie: bool,
}

/// The result of [`allocate`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Winners, tiers in quota order.
    pub winners: Vec<Winner>,
    /// Ties across a boundary and how each was settled.
    pub ties: Vec<BoundaryTie>,
}

impl Allocation {
    /// Whether a tie still waits for the office: until it is decided the
    /// results must not be published.
    #[must_use]
    pub fn undecided(&self) -> bool {
        self.ties.iter().any(|t| t.settled == Settled::Undecided)
    }
}

/// The tier being filled and how many of its places are left.
struct Tiers<'a> {
    rest: std::slice::Iter<'a, Quota>,
    current: Option<(&'a Quota, u32)>,
}

impl<'a> Tiers<'a> {
    fn new(quotas: &'a [Quota]) -> Self {
        let mut t = Self {
            rest: quotas.iter(),
            current: None,
        };
        t.advance();
        t
    }

    fn advance(&mut self) {
        self.current = self.rest.find(|q| q.count > 0).map(|q| (q, q.count));
    }

    fn next_name(&self) -> Option<String> {
        self.rest
            .clone()
            .find(|q| q.count > 0)
            .map(|q| q.tier.clone())
    }
}

/// Awards places down the ranking, best tier first.
///
/// `ranked` is the output of [`crate::rank`], best first. Each tier is
/// filled before the next one starts. A quota is exceeded only when the
/// declared tie policy is [`TiePolicy::All`]; a participant appearing twice
/// gets one place (their lower line is skipped).
#[must_use]
pub fn allocate(ranked: &[Ranked], rules: &AwardRules<'_>) -> Allocation {
    let mut out = Allocation::default();
    let mut tiers = Tiers::new(rules.quotas);
    let mut seen: HashSet<i64> = HashSet::new();
    let mut start = 0;
    while start < ranked.len() && tiers.current.is_some() {
        let end = start
            + 1
            + ranked[start + 1..]
                .iter()
                .take_while(|l| l.exact_tie_with_previous)
                .count();
        let group: Vec<&Ranked> = ranked[start..end]
            .iter()
            .filter(|l| l.attempt.score >= rules.min_score && seen.insert(l.attempt.participant))
            .collect();
        place_group(&group, rules, &mut tiers, &mut out);
        start = end;
    }
    out
}

/// Places one group of lines tied with each other.
fn place_group(
    group: &[&Ranked],
    rules: &AwardRules<'_>,
    tiers: &mut Tiers<'_>,
    out: &mut Allocation,
) {
    let mut members: Vec<&Ranked> = group.to_vec();
    let mut tied = false;
    while !members.is_empty() {
        let Some((quota, left)) = tiers.current else {
            return;
        };
        let fits = u32::try_from(members.len()).is_ok_and(|n| n <= left);
        if fits {
            let n = members.len() as u32;
            award(out, quota, &members, tied);
            members.clear();
            tiers.current = Some((quota, left - n));
            if left == n {
                tiers.advance();
            }
            return;
        }
        let tie = settle(&members, quota, left, tiers.next_name(), rules);
        let chosen: HashSet<i64> = tie.chosen.iter().copied().collect();
        let (better, rest): (Vec<&Ranked>, Vec<&Ranked>) = members
            .iter()
            .partition(|l| chosen.contains(&l.attempt.participant));
        award(out, quota, &better, true);
        let all = tie.settled == Settled::All;
        out.ties.push(tie);
        tiers.advance();
        members = if all { Vec::new() } else { rest };
        tied = true;
    }
}

fn award(out: &mut Allocation, quota: &Quota, lines: &[&Ranked], tie: bool) {
    out.winners.extend(lines.iter().map(|l| Winner {
        tier: quota.tier.clone(),
        attempt: l.attempt,
        position: l.position,
        place: l.place,
        tie,
    }));
}

/// Chooses, among tied `members`, the `slots` who take `quota`.
fn settle(
    members: &[&Ranked],
    quota: &Quota,
    slots: u32,
    next: Option<String>,
    rules: &AwardRules<'_>,
) -> BoundaryTie {
    let candidates: Vec<Attempt> = members.iter().map(|l| l.attempt).collect();
    let place = members[0].place;
    let mut tie = BoundaryTie {
        place,
        tier: quota.tier.clone(),
        next,
        slots,
        candidates,
        chosen: Vec::new(),
        settled: Settled::Undecided,
    };
    let take = slots as usize;
    match rules.ties {
        TiePolicy::All => {
            tie.chosen = tie.candidates.iter().map(|a| a.participant).collect();
            tie.settled = Settled::All;
        }
        TiePolicy::Lottery => {
            tie.chosen = lottery(&tie.key(), rules.seed, place, take);
            tie.settled = Settled::Lottery;
        }
        TiePolicy::Decide => {
            let key = tie.key();
            let decided = rules.decisions.iter().find(|d| {
                d.candidates == key
                    && d.chosen.len() == take
                    && d.chosen.iter().all(|c| key.binary_search(c).is_ok())
            });
            if let Some(d) = decided {
                tie.chosen.clone_from(&d.chosen);
                tie.settled = Settled::Office;
            } else {
                // Provisional, so the page can show the shape of the
                // results; publication waits for the decision.
                tie.chosen = tie.candidates[..take]
                    .iter()
                    .map(|a| a.participant)
                    .collect();
            }
        }
    }
    tie
}

/// The lottery: the candidates (participant ids, ascending) shuffled by
/// SplitMix64 seeded with `mix(seed ^ place ^ (candidates << 32))`; the
/// first `take` win. Anyone holding the published seed can replay it.
#[must_use]
pub fn lottery(sorted_candidates: &[i64], seed: u64, place: u32, take: usize) -> Vec<i64> {
    let mut order = sorted_candidates.to_vec();
    let n = order.len() as u64;
    let mut rng = SplitMix64::new(mix(seed ^ u64::from(place) ^ (n << 32)));
    shuffle(&mut order, &mut rng);
    order.truncate(take);
    order
}
