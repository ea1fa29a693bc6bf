//! Which questions an attempt gets, and in which order its options appear.
//!
//! Everything here is a pure function of a seed so that the server need
//! only store the seed with the attempt: the exact paper a participant saw
//! can be rebuilt when they dispute a result, and a reload of the page shows
//! the same paper instead of a fresh, easier draw.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::rng::{SplitMix64, mix, shuffle};

/// How a round's paper is made up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionSet {
    /// The same questions for everyone (in a per-attempt order), as in a
    /// printed contest where the jury picked the questions.
    Fixed(Vec<i64>),
    /// A fresh sample per attempt: `count` questions from each topic, so that
    /// every paper covers the topics the plan requires in the same weight.
    Random {
        /// `(topic, count)`; topics are matched exactly against the bank.
        per_topic: Vec<(String, u32)>,
    },
}

/// Why a paper could not be drawn. These are configuration mistakes the
/// office must fix before the round opens, so they are reported, never
/// papered over with a shorter paper.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    /// A topic has fewer questions in the bank than the paper asks for.
    #[error("Chủ đề “{topic}” chỉ có {available} câu hỏi, không đủ {requested} câu cần rút")]
    NotEnoughQuestions {
        /// The topic as written in the paper's settings.
        topic: String,
        /// Distinct questions of that topic in the bank.
        available: usize,
        /// Questions the paper asks for.
        requested: u32,
    },
    /// The same topic is listed twice; which count was meant is unclear.
    #[error("Chủ đề “{0}” được khai báo nhiều lần trong cơ cấu đề thi")]
    DuplicateTopic(String),
    /// A fixed paper names a question that is not (or no longer) in the bank.
    #[error("Câu hỏi số {0} không có trong ngân hàng câu hỏi")]
    UnknownQuestion(i64),
    /// A fixed paper names a question twice, which would let it score twice.
    #[error("Câu hỏi số {0} xuất hiện nhiều lần trong đề thi cố định")]
    DuplicateQuestion(i64),
}

/// Draws the question ids of one attempt.
///
/// `bank` is every question of the contest as `(question id, topic)`; ids
/// are expected to be unique (they are the database key). The result does
/// not depend on the order of `bank`: each topic's pool is sorted before
/// sampling, so re-exporting the bank in another order does not change past
/// or future draws. The paper is shuffled as a whole, topics interleaved,
/// so that the position of a question does not give its topic away.
///
/// # Errors
/// See [`DrawError`].
pub fn draw(bank: &[(i64, &str)], set: &QuestionSet, seed: u64) -> Result<Vec<i64>, DrawError> {
    Bank::new(bank).draw(set, seed)
}

/// A question bank grouped by topic and sorted once, for a server that
/// draws a paper per attempt: [`draw`] on the same bank gives the same
/// papers, without regrouping the bank every time.
#[derive(Clone, Debug, Default)]
pub struct Bank {
    known: HashSet<i64>,
    /// Each topic's question ids, sorted and without duplicates.
    pools: HashMap<String, Vec<i64>>,
}

impl Bank {
    /// `bank` is every question of the contest as `(question id, topic)`.
    #[must_use]
    pub fn new(bank: &[(i64, &str)]) -> Self {
        let mut pools: HashMap<String, Vec<i64>> = HashMap::new();
        for &(id, topic) in bank {
            pools.entry(topic.to_owned()).or_default().push(id);
        }
        for pool in pools.values_mut() {
            pool.sort_unstable();
            pool.dedup();
        }
        Self {
            known: bank.iter().map(|&(id, _)| id).collect(),
            pools,
        }
    }

    /// Draws the question ids of one attempt; see [`draw`].
    ///
    /// # Errors
    /// See [`DrawError`].
    pub fn draw(&self, set: &QuestionSet, seed: u64) -> Result<Vec<i64>, DrawError> {
        let mut rng = SplitMix64::new(seed);
        let mut paper = match set {
            QuestionSet::Fixed(ids) => {
                let mut seen = HashSet::with_capacity(ids.len());
                for &id in ids {
                    if !self.known.contains(&id) {
                        return Err(DrawError::UnknownQuestion(id));
                    }
                    if !seen.insert(id) {
                        return Err(DrawError::DuplicateQuestion(id));
                    }
                }
                ids.clone()
            }
            QuestionSet::Random { per_topic } => {
                let mut seen_topics = HashSet::with_capacity(per_topic.len());
                let mut paper = Vec::new();
                for (topic, count) in per_topic {
                    if !seen_topics.insert(topic.as_str()) {
                        return Err(DrawError::DuplicateTopic(topic.clone()));
                    }
                    let mut pool = self.pools.get(topic.as_str()).cloned().unwrap_or_default();
                    let want = *count as usize;
                    if pool.len() < want {
                        return Err(DrawError::NotEnoughQuestions {
                            topic: topic.clone(),
                            available: pool.len(),
                            requested: *count,
                        });
                    }
                    // Partial Fisher–Yates: only the first `want` slots are needed.
                    for i in 0..want {
                        let j = i + rng.below(pool.len() - i);
                        pool.swap(i, j);
                    }
                    paper.extend_from_slice(&pool[..want]);
                }
                paper
            }
        };
        shuffle(&mut paper, &mut rng);
        Ok(paper)
    }
}

/// A uniformly random permutation of `0..n` (Fisher–Yates), used to show a
/// question's options in a per-attempt order so that neighbours cannot copy
/// "the third option".
///
/// Read it as `perm[shown] == original`: the option displayed in slot
/// `shown` is the option stored at index `perm[shown]`. Answers must be
/// mapped back with [`original_option`] before scoring, because the answer
/// key is kept in the original order.
#[must_use]
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut perm: Vec<usize> = (0..n).collect();
    shuffle(&mut perm, &mut SplitMix64::new(seed));
    perm
}

/// Maps the option a participant clicked (its displayed slot) back to the
/// option's index in the original order; `None` if the slot does not exist,
/// which scoring then treats as unanswered.
#[must_use]
pub fn original_option(perm: &[usize], shown: u8) -> Option<u8> {
    perm.get(usize::from(shown))
        .and_then(|&original| u8::try_from(original).ok())
}

/// Derives an independent seed from an attempt's seed and a label (for
/// example a question id), so that one stored seed yields both the paper
/// and every question's option order without the streams overlapping.
#[must_use]
pub fn derive_seed(seed: u64, label: u64) -> u64 {
    mix(seed ^ mix(label.wrapping_add(0xD1B5_4A32_D192_ED03)))
}
