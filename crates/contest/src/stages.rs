//! Combining a participant's rounds into one line, for the qualification to
//! a final and for an overall ranking without a final.
//!
//! The regulation declares how rounds combine (the best round, the sum of
//! rounds, or the number of perfect rounds) and ranks the result by its
//! usual declared criteria. The prediction stays a criterion: each round's
//! guess is measured against that round's own true value first, so the
//! combined line carries a distance, and is ranked with a true value of 0.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ranking::{Attempt, RankingRules};

/// How rounds combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Qualify {
    /// Each participant's best round, by the declared criteria.
    BestRound,
    /// Scores, times and prediction distances added over the rounds.
    #[default]
    Sum,
    /// The number of rounds answered without a mistake, then the sums.
    PerfectRounds,
}

impl Qualify {
    /// Every rule, in the order the settings form lists them.
    pub const ALL: [Qualify; 3] = [Self::BestRound, Self::Sum, Self::PerfectRounds];

    /// The short name used in settings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BestRound => "best-round",
            Self::Sum => "sum",
            Self::PerfectRounds => "perfect-rounds",
        }
    }
}

impl fmt::Display for Qualify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A combination rule that is not one of [`Qualify::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Cách xét qua các vòng không hợp lệ: “{0}” (dùng best-round, sum, perfect-rounds)")]
pub struct QualifyError(pub String);

impl FromStr for Qualify {
    type Err = QualifyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Self::ALL
            .into_iter()
            .find(|q| q.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| QualifyError(t.to_owned()))
    }
}

impl TryFrom<String> for Qualify {
    type Error = QualifyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Qualify> for String {
    fn from(q: Qualify) -> Self {
        q.as_str().to_owned()
    }
}

/// One round's counted attempts (one per participant) with what is needed
/// to judge them on their own: the true value and a perfect score.
#[derive(Clone, Copy, Debug)]
pub struct RoundLines<'a> {
    pub counted: &'a [Attempt],
    pub truth: Option<i64>,
    pub max_score: u32,
}

/// The prediction as a distance from the round's true value (ranked
/// against a true value of 0); unknown truth makes everyone equal.
fn as_distance(a: &Attempt, truth: Option<i64>) -> Attempt {
    let prediction = match truth {
        None => Some(0),
        Some(t) => a
            .prediction
            .map(|p| p.abs_diff(t).min(i64::MAX as u64) as i64),
    };
    Attempt { prediction, ..*a }
}

/// One line per participant, to rank with `rank(&lines, rules, Some(0))`.
///
/// The line's id is the participant id; `submitted_at_ms` is the latest of
/// the rounds used, so "submitted" as a declared criterion means "finished
/// first". A missing prediction in a round with a true value makes the sum's
/// prediction missing (ranked below every distance). Ordered by participant.
#[must_use]
pub fn combine(rounds: &[RoundLines<'_>], rule: Qualify, rules: &RankingRules) -> Vec<Attempt> {
    let mut best: HashMap<i64, Attempt> = HashMap::new();
    let mut sums: HashMap<i64, (Attempt, u32)> = HashMap::new();
    for round in rounds {
        for a in round.counted {
            let d = as_distance(a, round.truth);
            match rule {
                Qualify::BestRound => {
                    best.entry(a.participant)
                        .and_modify(|b| {
                            if rules.compare(&d, b, Some(0)).is_lt() {
                                *b = d;
                            }
                        })
                        .or_insert(d);
                }
                Qualify::Sum | Qualify::PerfectRounds => {
                    let perfect = u32::from(a.score == round.max_score && round.max_score > 0);
                    sums.entry(a.participant)
                        .and_modify(|(t, p)| {
                            t.score = t.score.saturating_add(d.score);
                            t.duration_ms = t.duration_ms.saturating_add(d.duration_ms);
                            t.submitted_at_ms = t.submitted_at_ms.max(d.submitted_at_ms);
                            t.prediction = t
                                .prediction
                                .zip(d.prediction)
                                .map(|(x, y)| x.saturating_add(y));
                            *p += perfect;
                        })
                        .or_insert((d, perfect));
                }
            }
        }
    }
    let mut out: Vec<Attempt> = match rule {
        Qualify::BestRound => best.into_values().collect(),
        Qualify::Sum => sums.into_values().map(|(a, _)| a).collect(),
        Qualify::PerfectRounds => sums
            .into_values()
            .map(|(a, perfect)| Attempt {
                score: perfect,
                ..a
            })
            .collect(),
    };
    for a in &mut out {
        a.id = a.participant;
    }
    out.sort_unstable_by_key(|a| a.participant);
    out
}
