//! Which of a participant's attempts in a round counts.
//!
//! Regulations that allow several attempts say which one is kept, and they
//! do not all say the same: "kết quả cao nhất" in one province means the
//! best score and then the shortest time, in another the best score reached
//! first; some count the first attempt only, some the last. The rule is a
//! setting of the round, stored by its short name.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ranking::Attempt;

/// The attempt that counts for each participant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Counted {
    /// The best score; among equal scores, the shortest duration.
    #[default]
    BestThenFastest,
    /// The best score; among equal scores, the earliest submission.
    BestThenEarliest,
    /// The first attempt started, whatever its score.
    First,
    /// The last attempt started, whatever its score.
    Last,
}

impl Counted {
    /// Every rule, in the order the settings form lists them.
    pub const ALL: [Counted; 4] = [
        Self::BestThenFastest,
        Self::BestThenEarliest,
        Self::First,
        Self::Last,
    ];

    /// The short name used in settings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BestThenFastest => "best-fastest",
            Self::BestThenEarliest => "best-earliest",
            Self::First => "first",
            Self::Last => "last",
        }
    }
}

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A counted-attempt rule that is not one of [`Counted::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "Quy định lượt thi được tính không hợp lệ: “{0}” (dùng best-fastest, best-earliest, first, last)"
)]
pub struct CountedError(pub String);

impl FromStr for Counted {
    type Err = CountedError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| CountedError(t.to_owned()))
    }
}

impl TryFrom<String> for Counted {
    type Error = CountedError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Counted> for String {
    fn from(c: Counted) -> Self {
        c.as_str().to_owned()
    }
}

/// Keeps, for each participant, the attempt that counts under `rule`.
///
/// Attempt ids grow in the order attempts start, so "first" and "last" are
/// the lowest and highest id. The result is ordered by participant id,
/// whatever the input order.
#[must_use]
pub fn counted_attempts(attempts: &[Attempt], rule: Counted) -> Vec<Attempt> {
    let mut all = attempts.to_vec();
    // The trailing fields only matter for duplicate ids; they make the
    // choice independent of input order even then.
    match rule {
        Counted::BestThenFastest => all.sort_unstable_by_key(|a| {
            (
                a.participant,
                Reverse(a.score),
                a.duration_ms,
                a.id,
                a.submitted_at_ms,
                a.prediction,
            )
        }),
        Counted::BestThenEarliest => all.sort_unstable_by_key(|a| {
            (
                a.participant,
                Reverse(a.score),
                a.submitted_at_ms,
                a.id,
                a.duration_ms,
                a.prediction,
            )
        }),
        Counted::First => all.sort_unstable_by_key(|a| (a.participant, a.id, Reverse(a.score))),
        Counted::Last => {
            all.sort_unstable_by_key(|a| (a.participant, Reverse(a.id), Reverse(a.score)));
        }
    }
    all.dedup_by_key(|a| a.participant);
    all
}

/// For each counted attempt (by id): which of its participant's attempts
/// it is (1 for the first started) and how many they made in the round.
///
/// One sort of the round's (participant, id) pairs and a walk along it
/// beside the counted list (both in participant order): looking each line
/// up in the sorted million pairs instead cost a cache miss per step.
#[must_use]
pub fn attempt_numbers(all: &[Attempt], counted: &[Attempt]) -> HashMap<i64, (u32, u32)> {
    let mut pairs: Vec<(i64, i64)> = all.iter().map(|a| (a.participant, a.id)).collect();
    pairs.sort_unstable();
    let mut wanted: Vec<(i64, i64)> = counted.iter().map(|a| (a.participant, a.id)).collect();
    wanted.sort_unstable();
    let mut out = HashMap::with_capacity(wanted.len());
    let mut i = 0;
    for (participant, id) in wanted {
        while i < pairs.len() && pairs[i].0 < participant {
            i += 1;
        }
        let end = i + pairs[i..].partition_point(|p| p.0 == participant);
        let mine = &pairs[i..end];
        if let Ok(k) = mine.binary_search(&(participant, id)) {
            out.insert(id, (k as u32 + 1, mine.len() as u32));
        }
        i = end;
    }
    out
}
