//! Counting correct answers.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// The correct option of each question, as an index into the options in the
/// order they are stored (not the order an attempt displayed them), so one
/// key serves every shuffled paper.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerKey {
    /// Question id → index of the correct option in the original order.
    pub correct: HashMap<i64, u8>,
}

impl AnswerKey {
    /// Wraps a map of question id → correct original option.
    #[must_use]
    pub fn new(correct: HashMap<i64, u8>) -> Self {
        Self { correct }
    }

    /// The score of an attempt that answers every keyed question correctly,
    /// the "max score" used for the perfect-attempts prediction.
    #[must_use]
    pub fn max_score(&self) -> u32 {
        u32::try_from(self.correct.len()).unwrap_or(u32::MAX)
    }
}

/// The number of correct answers in one attempt.
///
/// `answers` holds `(question id, chosen option in the original order)`.
/// An unanswered question (`None`) and a question missing from the key both
/// count as wrong: a withdrawn question must not hand out free points to
/// whoever happened to be shown it. A question listed more than once counts
/// once, by its first answer, so a replayed request cannot inflate a score.
#[must_use]
pub fn score(key: &AnswerKey, answers: &[(i64, Option<u8>)]) -> u32 {
    let mut seen = HashSet::with_capacity(answers.len());
    let mut total = 0u32;
    for &(question, chosen) in answers {
        if !seen.insert(question) {
            continue;
        }
        if let (Some(chosen), Some(&right)) = (chosen, key.correct.get(&question))
            && chosen == right
        {
            total += 1;
        }
    }
    total
}
