//! The overall ranking of a contest held over several rounds ("tuần thi").

use std::collections::HashMap;

use crate::counted::{Counted, counted_attempts};
use crate::ranking::Attempt;

/// Combines each participant's counted attempt of every round into one
/// synthetic attempt, to be ranked with [`crate::rank`] like a round.
///
/// Regulations for the overall prize reward steady participation, so:
/// - `score` is the sum of the counted scores (a skipped round adds 0);
/// - `duration_ms` is the sum of their durations;
/// - `submitted_at_ms` is the latest of their submissions, so "earlier is
///   better" means "finished the whole contest first";
/// - `prediction` is `None`: guesses of different rounds measure different
///   things and cannot be added up, so the prediction criterion treats all
///   participants as equal;
/// - `id` is the participant id, which keeps the final fallback stable.
///
/// Each round is reduced with [`counted_attempts`] under `rule` first, so `rounds` may
/// hold every attempt. The result is ordered by participant id.
#[must_use]
pub fn overall(rounds: &[Vec<Attempt>], rule: Counted) -> Vec<Attempt> {
    let mut totals: HashMap<i64, Attempt> = HashMap::new();
    for round in rounds {
        for a in counted_attempts(round, rule) {
            totals
                .entry(a.participant)
                .and_modify(|t| {
                    t.score = t.score.saturating_add(a.score);
                    t.duration_ms = t.duration_ms.saturating_add(a.duration_ms);
                    t.submitted_at_ms = t.submitted_at_ms.max(a.submitted_at_ms);
                })
                .or_insert(Attempt {
                    id: a.participant,
                    participant: a.participant,
                    score: a.score,
                    prediction: None,
                    duration_ms: a.duration_ms,
                    submitted_at_ms: a.submitted_at_ms,
                });
        }
    }
    let mut out: Vec<Attempt> = totals.into_values().collect();
    out.sort_unstable_by_key(|a| a.participant);
    out
}
