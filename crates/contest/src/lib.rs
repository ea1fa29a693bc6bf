//! Rules of a knowledge contest ("cuộc thi tìm hiểu / trắc nghiệm") as run
//! by a provincial communications office: who may make another attempt,
//! which questions an attempt gets, how it is scored, how a closed round is
//! ranked under the regulation's ordered tie-breaks, how prizes are handed
//! out within their quotas, and how participants' phone and identity
//! numbers are normalised.
//!
//! Pure: values in, values out. No I/O, no clock, no global random state:
//! every random choice is a function of a seed the caller stores, so that
//! any result can be recomputed and defended when a participant disputes it.
//!
//! ```
//! use kehoach_contest::{
//!     Attempt, AwardRules, Counted, Quota, RankingRules, TiePolicy, allocate, counted_attempts, rank,
//! };
//!
//! let a = |id, participant, score, submitted_at_ms| Attempt {
//!     id, participant, score, prediction: None, duration_ms: 60_000, submitted_at_ms,
//! };
//! let attempts = [a(1, 10, 18, 5), a(2, 10, 20, 9), a(3, 11, 20, 7)];
//! let rules: RankingRules = "score,submitted".parse().unwrap();
//! let counted = counted_attempts(&attempts, Counted::BestThenFastest);
//! let ranked = rank(&counted, &rules, None);
//! assert_eq!(ranked[0].attempt.id, 3); // same score as attempt 2, submitted earlier
//!
//! let quotas = [Quota { tier: "Giải Nhất".into(), count: 1 }];
//! let award = AwardRules { quotas: &quotas, min_score: 0, ties: TiePolicy::Decide, seed: 0, decisions: &[] };
//! let prizes = allocate(&ranked, &award);
//! assert_eq!(prizes.winners[0].attempt.participant, 11);
//! ```

mod bank;
mod collective;
mod counted;
mod draw;
mod person;
mod policy;
mod prizes;
mod ranking;
mod rng;
mod score;
mod stages;

pub use bank::{
    BankError, MAX_OPTION_CHARS, MAX_QUESTION_CHARS, MAX_QUESTIONS, QuestionDraft, TEMPLATE_HEADER,
    parse_rows, parse_text,
};
pub use collective::{UnitTally, highest_rate, most_participants};
pub use counted::{Counted, CountedError, attempt_numbers, counted_attempts};
pub use draw::{Bank, DrawError, QuestionSet, derive_seed, draw, original_option, permutation};
pub use person::{IdNumber, PersonError, Phone, normalise_id_number, normalise_phone};
pub use policy::{AttemptPolicy, PolicyError};
pub use prizes::{
    Allocation, AwardRules, BoundaryTie, Decision, Quota, Settled, TiePolicy, TiePolicyError,
    Winner, allocate, lottery,
};
pub use ranking::{
    Attempt, Prediction, Ranked, RankingRules, RankingRulesError, TieBreak, rank, true_value,
};
pub use score::{AnswerKey, score};
pub use stages::{Qualify, QualifyError, RoundLines, combine};
