//! Ranking the attempts of a closed round.
//!
//! Contest regulations ("thể lệ") rank by score and then by an ordered list
//! of tie-breaks that differs from one contest to the next, so the order is
//! data ([`RankingRules`]) rather than code. Whatever the regulation says,
//! the result must be a total order that does not depend on the order rows
//! came out of the database: two runs of the ranking over the same attempts
//! must publish the same list, or the office cannot defend its result.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One criterion of the ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TieBreak {
    /// Higher score is better.
    #[serde(rename = "score")]
    Score,
    /// A prediction closer to the true value is better; no prediction is
    /// worst. Ignored (everyone equal) while the true value is unknown.
    #[serde(rename = "prediction")]
    Prediction,
    /// A shorter time spent on the attempt is better.
    #[serde(rename = "duration")]
    Duration,
    /// An earlier submission is better.
    #[serde(rename = "submitted")]
    SubmittedAt,
}

impl TieBreak {
    /// Every criterion, in the order the settings form lists them.
    pub const CANONICAL: [TieBreak; 4] = [
        TieBreak::Score,
        TieBreak::Prediction,
        TieBreak::Duration,
        TieBreak::SubmittedAt,
    ];

    /// The short name used in settings: "score", "prediction", "duration",
    /// "submitted".
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Score => "score",
            Self::Prediction => "prediction",
            Self::Duration => "duration",
            Self::SubmittedAt => "submitted",
        }
    }
}

impl fmt::Display for TieBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TieBreak {
    type Err = RankingRulesError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Self::CANONICAL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| RankingRulesError::UnknownKey(t.to_owned()))
    }
}

/// Why a ranking order was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RankingRulesError {
    /// A name that is not a criterion (an empty item counts as one).
    #[error("Tiêu chí xếp hạng không hợp lệ: “{0}” (dùng score, prediction, duration, submitted)")]
    UnknownKey(String),
    /// A criterion listed twice: its second place would be meaningless and
    /// probably hides a typing mistake for another criterion.
    #[error("Tiêu chí xếp hạng “{0}” bị lặp lại")]
    DuplicateKey(TieBreak),
    /// A ranking that ignores the score is not a knowledge contest.
    #[error("Thứ tự xếp hạng phải có tiêu chí điểm số (score)")]
    MissingScore,
}

/// The ordered criteria of a ranking, exactly as the regulation declares
/// them and nothing more.
///
/// Two attempts equal on every declared criterion are a tie: the ranking
/// still lists them in a reproducible order (attempt id ascending), but
/// flags the tie ([`Ranked::exact_tie_with_previous`]) so that a tie at a
/// prize or qualification boundary is settled by the declared tie policy,
/// never by a criterion the regulation did not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RankingRules {
    order: [TieBreak; 4],
    len: u8,
}

impl Default for RankingRules {
    /// Score alone: every further criterion is the regulation's choice.
    fn default() -> Self {
        Self {
            order: TieBreak::CANONICAL,
            len: 1,
        }
    }
}

/// The sort key of one attempt: five slots for the criteria (the prediction
/// takes two: "has none" and distance) in the configured order, then the id.
/// Smaller is better in every slot, so plain lexicographic comparison of the
/// array is the ranking. Built once per attempt, it keeps a sort of a
/// million attempts to comparisons of fixed-size integer arrays.
type Key = [u64; 6];

/// Slots of [`Key`] that hold configured criteria (everything but the id).
const CRITERIA_SLOTS: usize = 5;

/// Maps an `i64` to a `u64` with the same order, so that negative times and
/// ids sort correctly among unsigned slots.
fn ordered(x: i64) -> u64 {
    (x as u64) ^ (1 << 63)
}

impl RankingRules {
    /// Rules from a list of criteria, in priority order; criteria left out
    /// are not used at all.
    ///
    /// # Errors
    /// [`RankingRulesError::MissingScore`] if the score is absent,
    /// [`RankingRulesError::DuplicateKey`] if a criterion repeats.
    pub fn new(keys: &[TieBreak]) -> Result<Self, RankingRulesError> {
        let mut order = Vec::with_capacity(4);
        for &k in keys {
            if order.contains(&k) {
                return Err(RankingRulesError::DuplicateKey(k));
            }
            order.push(k);
        }
        if !order.contains(&TieBreak::Score) {
            return Err(RankingRulesError::MissingScore);
        }
        let mut out = TieBreak::CANONICAL;
        out[..order.len()].copy_from_slice(&order);
        Ok(Self {
            order: out,
            len: order.len() as u8,
        })
    }

    /// The declared criteria, in priority order.
    #[must_use]
    pub fn order(&self) -> &[TieBreak] {
        &self.order[..usize::from(self.len)]
    }

    /// Compares two attempts exactly as [`rank`] orders them: `Less` means
    /// `a` ranks above `b`. Exposed so that callers (and tests) can check a
    /// single pair without ranking a whole round.
    #[must_use]
    pub fn compare(&self, a: &Attempt, b: &Attempt, truth: Option<i64>) -> Ordering {
        self.key(a, truth)
            .cmp(&self.key(b, truth))
            .then_with(|| residual(a).cmp(&residual(b)))
    }

    /// Whether two attempts are equal on every criterion (the id aside):
    /// the regulation cannot separate them, so a human should look.
    #[must_use]
    pub fn exact_tie(&self, a: &Attempt, b: &Attempt, truth: Option<i64>) -> bool {
        self.key(a, truth)[..CRITERIA_SLOTS] == self.key(b, truth)[..CRITERIA_SLOTS]
    }

    fn key(&self, a: &Attempt, truth: Option<i64>) -> Key {
        let mut key = [0u64; 6];
        let mut i = 0;
        for &criterion in self.order() {
            match criterion {
                TieBreak::Score => {
                    key[i] = u64::from(u32::MAX - a.score);
                    i += 1;
                }
                TieBreak::Prediction => {
                    // |prediction - truth| always fits a u64 (at most
                    // 2^64 - 1), so "no prediction" needs its own slot to
                    // rank below every possible distance.
                    let (missing, distance) = match (truth, a.prediction) {
                        (None, _) => (0, 0),
                        (Some(_), None) => (1, 0),
                        (Some(t), Some(p)) => (0, p.abs_diff(t)),
                    };
                    key[i] = missing;
                    key[i + 1] = distance;
                    i += 2;
                }
                TieBreak::Duration => {
                    key[i] = a.duration_ms;
                    i += 1;
                }
                TieBreak::SubmittedAt => {
                    key[i] = ordered(a.submitted_at_ms);
                    i += 1;
                }
            }
        }
        key[CRITERIA_SLOTS] = ordered(a.id);
        key
    }
}

/// Fields not yet compared once the key is equal. Only reached when two
/// attempts share an id (which the database should never produce); it keeps
/// the output independent of input order even then.
fn residual(a: &Attempt) -> (i64, u32, Option<i64>, u64, i64) {
    (
        a.participant,
        a.score,
        a.prediction,
        a.duration_ms,
        a.submitted_at_ms,
    )
}

impl fmt::Display for RankingRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, k) in self.order().iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(k.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for RankingRules {
    type Err = RankingRulesError;

    /// Parses "score,prediction,duration,submitted" or a shorter list such
    /// as "score,duration"; only the listed criteria rank.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let keys = s
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<TieBreak>, _>>()?;
        Self::new(&keys)
    }
}

impl TryFrom<String> for RankingRules {
    type Error = RankingRulesError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<RankingRules> for String {
    fn from(r: RankingRules) -> Self {
        r.to_string()
    }
}

/// One submitted attempt, reduced to what ranking needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attempt {
    /// Unique attempt id; the last resort of the ranking.
    pub id: i64,
    /// The person who made the attempt.
    pub participant: i64,
    /// Correct answers.
    pub score: u32,
    /// The participant's guess of the round's true value, if they gave one.
    pub prediction: Option<i64>,
    /// Time from start to submission, as measured by the server.
    pub duration_ms: u64,
    /// Submission time (milliseconds since the Unix epoch).
    pub submitted_at_ms: i64,
}

/// One line of a ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// The attempt at this place.
    pub attempt: Attempt,
    /// 1-based line number. Every line has its own, even in a tie: lines
    /// tied on every declared criterion are listed by attempt id so that the
    /// list is reproducible, which decides nothing (see [`Ranked::place`]).
    pub position: u32,
    /// The place as the regulation gives it: tied lines share the place of
    /// the first of them, and the next line's place skips past them
    /// (1, 2, 2, 4).
    pub place: u32,
    /// Equal to the previous line on every criterion (the id fallback
    /// aside), i.e. the regulation alone could not order these two.
    pub exact_tie_with_previous: bool,
}

/// Ranks the counted attempts of a round (one per participant, as returned
/// by [`crate::counted_attempts`] or [`crate::overall`]); passing several attempts
/// of one participant ranks them all, which is rarely what a regulation
/// means.
///
/// `truth` is the true value for the prediction criterion; `None` (not yet
/// known, or the round has no prediction question) makes everyone equal on
/// it. The output is sorted best first and does not depend on the order of
/// `attempts`.
#[must_use]
pub fn rank(attempts: &[Attempt], rules: &RankingRules, truth: Option<i64>) -> Vec<Ranked> {
    let mut keyed: Vec<(Key, usize)> = attempts
        .iter()
        .enumerate()
        .map(|(i, a)| (rules.key(a, truth), i))
        .collect();
    keyed.sort_unstable_by(|(ka, ia), (kb, ib)| {
        ka.cmp(kb)
            .then_with(|| residual(&attempts[*ia]).cmp(&residual(&attempts[*ib])))
    });
    let mut out = Vec::with_capacity(keyed.len());
    let mut previous: Option<&Key> = None;
    let mut place = 0;
    for (line, (key, index)) in keyed.iter().enumerate() {
        let tie = previous.is_some_and(|p| p[..CRITERIA_SLOTS] == key[..CRITERIA_SLOTS]);
        let position = u32::try_from(line + 1).unwrap_or(u32::MAX);
        if !tie {
            place = position;
        }
        out.push(Ranked {
            attempt: attempts[*index],
            position,
            place,
            exact_tie_with_previous: tie,
        });
        previous = Some(key);
    }
    out
}

/// What the prediction question of a round asks participants to guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prediction {
    /// "How many people will take part in this round?"
    Participants,
    /// "How many attempts will answer every question correctly?"
    PerfectAttempts,
}

/// The true value of a round's prediction question, known once it closes.
///
/// `all_attempts` must be every submitted attempt of the round, not only the
/// counted ones: both questions are asked about the whole round, and
/// participants guess with that wording in mind. `max_score` is the score of
/// a perfect attempt (see [`crate::AnswerKey::max_score`]).
#[must_use]
pub fn true_value(kind: Prediction, all_attempts: &[Attempt], max_score: u32) -> i64 {
    let n = match kind {
        Prediction::Participants => {
            let mut people: Vec<i64> = all_attempts.iter().map(|a| a.participant).collect();
            people.sort_unstable();
            people.dedup();
            people.len()
        }
        Prediction::PerfectAttempts => all_attempts.iter().filter(|a| a.score == max_score).count(),
    };
    i64::try_from(n).unwrap_or(i64::MAX)
}
