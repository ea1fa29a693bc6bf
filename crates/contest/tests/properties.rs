//! Properties of ranking and prize allocation over generated rounds.
//!
//! Values are drawn from small ranges on purpose, so that ties on every
//! criterion are frequent and the tie-breaking paths are exercised.

use std::cmp::Ordering;
use std::collections::HashSet;

use kehoach_contest::{
    Attempt, AwardRules, Counted, Quota, Ranked, RankingRules, Settled, TieBreak, TiePolicy,
    allocate, counted_attempts, rank,
};
use proptest::prelude::*;

fn attempt_fields() -> impl Strategy<Value = (i64, u32, Option<i64>, u64, i64)> {
    (
        0i64..40,
        0u32..5,
        prop::option::weighted(0.8, -3i64..6),
        0u64..4,
        -2i64..3,
    )
}

/// A round with unique attempt ids (as the database guarantees).
fn round() -> impl Strategy<Value = Vec<Attempt>> {
    prop::collection::vec(attempt_fields(), 0..60).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(i, (participant, score, prediction, duration_ms, submitted_at_ms))| Attempt {
                    id: i as i64 * 7 - 100,
                    participant,
                    score,
                    prediction,
                    duration_ms,
                    submitted_at_ms,
                },
            )
            .collect()
    })
}

/// A round whose ids may repeat, to check the last-resort fallback.
fn round_with_duplicate_ids() -> impl Strategy<Value = Vec<Attempt>> {
    prop::collection::vec((0i64..4, attempt_fields()), 0..40).prop_map(|rows| {
        rows.into_iter()
            .map(
                |(id, (participant, score, prediction, duration_ms, submitted_at_ms))| Attempt {
                    id,
                    participant,
                    score,
                    prediction,
                    duration_ms,
                    submitted_at_ms,
                },
            )
            .collect()
    })
}

fn rules() -> impl Strategy<Value = RankingRules> {
    Just(TieBreak::CANONICAL.to_vec())
        .prop_shuffle()
        .prop_flat_map(|order| (Just(order), 1usize..=4))
        .prop_map(|(order, keep)| {
            let mut keys: Vec<TieBreak> = order[..keep].to_vec();
            if !keys.contains(&TieBreak::Score) {
                keys.push(TieBreak::Score);
            }
            RankingRules::new(&keys).unwrap()
        })
}

fn truth() -> impl Strategy<Value = Option<i64>> {
    prop::option::of(-3i64..6)
}

/// An independent statement of the regulation, one criterion at a time,
/// written without the precomputed keys that `rank` uses.
fn reference(rules: &RankingRules, truth: Option<i64>, a: &Attempt, b: &Attempt) -> Ordering {
    criteria(rules, truth, a, b).then(a.id.cmp(&b.id))
}

fn criteria(rules: &RankingRules, truth: Option<i64>, a: &Attempt, b: &Attempt) -> Ordering {
    for k in rules.order() {
        let o = match k {
            TieBreak::Score => b.score.cmp(&a.score),
            TieBreak::Prediction => match truth {
                None => Ordering::Equal,
                Some(t) => {
                    let d = |p: Option<i64>| p.map(|p| (i128::from(p) - i128::from(t)).abs());
                    match (d(a.prediction), d(b.prediction)) {
                        (None, None) => Ordering::Equal,
                        (None, Some(_)) => Ordering::Greater,
                        (Some(_), None) => Ordering::Less,
                        (Some(x), Some(y)) => x.cmp(&y),
                    }
                }
            },
            TieBreak::Duration => a.duration_ms.cmp(&b.duration_ms),
            TieBreak::SubmittedAt => a.submitted_at_ms.cmp(&b.submitted_at_ms),
        };
        if o.is_ne() {
            return o;
        }
    }
    Ordering::Equal
}

fn sorted_ids(attempts: &[Attempt]) -> Vec<i64> {
    let mut ids: Vec<i64> = attempts.iter().map(|a| a.id).collect();
    ids.sort_unstable();
    ids
}

proptest! {
    #[test]
    fn rank_is_a_permutation_of_its_input(round in round(), rules in rules(), truth in truth()) {
        let ranked = rank(&round, &rules, truth);
        let out: Vec<Attempt> = ranked.iter().map(|r| r.attempt).collect();
        prop_assert_eq!(sorted_ids(&out), sorted_ids(&round));
        let positions: Vec<u32> = ranked.iter().map(|r| r.position).collect();
        prop_assert_eq!(positions, (1..=round.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn rank_is_deterministic(round in round(), rules in rules(), truth in truth()) {
        prop_assert_eq!(rank(&round, &rules, truth), rank(&round, &rules, truth));
    }

    #[test]
    fn rank_ignores_input_order(
        (round, shuffled) in round().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        rules in rules(),
        truth in truth(),
    ) {
        prop_assert_eq!(rank(&round, &rules, truth), rank(&shuffled, &rules, truth));
    }

    #[test]
    fn rank_ignores_input_order_even_with_duplicate_ids(
        (round, shuffled) in round_with_duplicate_ids()
            .prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        rules in rules(),
        truth in truth(),
    ) {
        prop_assert_eq!(rank(&round, &rules, truth), rank(&shuffled, &rules, truth));
    }

    #[test]
    fn consecutive_lines_are_ordered(round in round(), rules in rules(), truth in truth()) {
        let ranked = rank(&round, &rules, truth);
        prop_assert!(!ranked.first().is_some_and(|r| r.exact_tie_with_previous));
        for w in ranked.windows(2) {
            let (a, b) = (&w[0].attempt, &w[1].attempt);
            // Strictly ordered: ids are unique, so the order is total.
            prop_assert_eq!(reference(&rules, truth, a, b), Ordering::Less);
            prop_assert_eq!(rules.compare(a, b, truth), Ordering::Less);
            prop_assert_eq!(
                w[1].exact_tie_with_previous,
                criteria(&rules, truth, a, b).is_eq()
            );
        }
    }

    #[test]
    fn rank_matches_a_naive_sort(round in round(), rules in rules(), truth in truth()) {
        let mut expected = round.clone();
        expected.sort_by(|a, b| reference(&rules, truth, a, b));
        let got: Vec<Attempt> = rank(&round, &rules, truth).into_iter().map(|r| r.attempt).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn counted_attempts_keep_one_per_participant_by_the_rule(
        (round, shuffled) in round().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        rule in prop::sample::select(Counted::ALL.to_vec()),
    ) {
        let counted = counted_attempts(&round, rule);
        prop_assert_eq!(&counted, &counted_attempts(&shuffled, rule));
        let people: HashSet<i64> = round.iter().map(|a| a.participant).collect();
        prop_assert_eq!(counted.len(), people.len());
        for c in &counted {
            for a in round.iter().filter(|a| a.participant == c.participant) {
                let better = match rule {
                    Counted::BestThenFastest => a.score > c.score
                        || (a.score == c.score && (a.duration_ms, a.id) < (c.duration_ms, c.id)),
                    Counted::BestThenEarliest => a.score > c.score
                        || (a.score == c.score
                            && (a.submitted_at_ms, a.id) < (c.submitted_at_ms, c.id)),
                    Counted::First => a.id < c.id,
                    Counted::Last => a.id > c.id,
                };
                prop_assert!(!better, "{a:?} should count instead of {c:?} under {rule}");
            }
        }
    }

    #[test]
    fn tied_lines_share_a_place(round in round(), rules in rules(), truth in truth()) {
        let ranked = rank(&round, &rules, truth);
        for w in ranked.windows(2) {
            if w[1].exact_tie_with_previous {
                prop_assert_eq!(w[1].place, w[0].place);
            } else {
                prop_assert_eq!(w[1].place, w[1].position);
            }
        }
    }

    #[test]
    fn allocation_respects_quotas_and_order(
        round in round(),
        rules in rules(),
        truth in truth(),
        counts in prop::collection::vec(0u32..5, 0..5),
    ) {
        let quotas: Vec<Quota> = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Quota { tier: format!("tier {i}"), count })
            .collect();
        // Not reduced to counted attempts: allocation must cope with a
        // participant appearing twice.
        let ranked = rank(&round, &rules, truth);
        let award = AwardRules { quotas: &quotas, min_score: 0, ties: TiePolicy::Decide, seed: 0, decisions: &[] };
        let allocation = allocate(&ranked, &award);
        check_allocation(&ranked, &quotas, &allocation.winners)?;
        // Every reported tie is a group tied on every criterion, straddling
        // its tier's last places; without decisions each waits for one.
        prop_assert_eq!(allocation.undecided(), !allocation.ties.is_empty());
        for tie in &allocation.ties {
            prop_assert!(tie.candidates.len() > tie.slots as usize);
            prop_assert_eq!(tie.chosen.len(), tie.slots as usize);
            for pair in tie.candidates.windows(2) {
                prop_assert!(criteria(&rules, truth, &pair[0], &pair[1]).is_eq());
            }
            prop_assert_eq!(tie.settled, Settled::Undecided);
        }
    }

    #[test]
    fn lottery_and_all_settle_every_tie(
        round in round(),
        rules in rules(),
        counts in prop::collection::vec(0u32..5, 0..5),
        seed in any::<u64>(),
    ) {
        let quotas: Vec<Quota> = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Quota { tier: format!("tier {i}"), count })
            .collect();
        let ranked = rank(&counted_attempts(&round, Counted::First), &rules, None);
        let lottery = AwardRules { quotas: &quotas, min_score: 0, ties: TiePolicy::Lottery, seed, decisions: &[] };
        let drawn = allocate(&ranked, &lottery);
        prop_assert!(!drawn.undecided());
        prop_assert_eq!(&drawn, &allocate(&ranked, &lottery));
        let total: usize = quotas.iter().map(|q| q.count as usize).sum();
        prop_assert_eq!(drawn.winners.len(), total.min(ranked.len()));
        let all = AwardRules { ties: TiePolicy::All, ..lottery };
        let included = allocate(&ranked, &all);
        prop_assert!(included.winners.len() >= drawn.winners.len());
        // Nobody tied with a winner goes without a prize.
        let won: HashSet<i64> = included.winners.iter().map(|w| w.attempt.participant).collect();
        for w in ranked.windows(2) {
            if w[1].exact_tie_with_previous && won.contains(&w[0].attempt.participant) {
                prop_assert!(won.contains(&w[1].attempt.participant));
            }
        }
    }
}

fn check_allocation(
    ranked: &[Ranked],
    quotas: &[Quota],
    winners: &[kehoach_contest::Winner],
) -> Result<(), TestCaseError> {
    let tier_index = |name: &str| quotas.iter().position(|q| q.tier == name).unwrap();
    // No quota exceeded.
    for (i, q) in quotas.iter().enumerate() {
        let n = winners.iter().filter(|w| tier_index(&w.tier) == i).count();
        prop_assert!(n <= q.count as usize, "tier {i}: {n} > {}", q.count);
    }
    // No participant twice.
    let people: HashSet<i64> = winners.iter().map(|w| w.attempt.participant).collect();
    prop_assert_eq!(people.len(), winners.len());
    // Tiers in order along increasing positions, and a tier is full before
    // a later one gets anyone.
    for w in winners.windows(2) {
        prop_assert!(w[0].position < w[1].position);
        let (a, b) = (tier_index(&w[0].tier), tier_index(&w[1].tier));
        prop_assert!(a <= b);
        for skipped in &quotas[a..b] {
            let given = winners.iter().filter(|x| x.tier == skipped.tier).count();
            prop_assert_eq!(given, skipped.count as usize);
        }
    }
    // Winners are the top lines: anyone above the last winner without a
    // prize already has one from a better line.
    let last = winners.last().map_or(0, |w| w.position);
    for line in ranked.iter().filter(|r| r.position <= last) {
        let won = winners.iter().any(|w| w.position == line.position);
        prop_assert!(won || people.contains(&line.attempt.participant));
        if won {
            let w = winners
                .iter()
                .find(|w| w.position == line.position)
                .unwrap();
            prop_assert_eq!(w.attempt, line.attempt);
        }
    }
    // Prizes run out only when people do.
    let total: usize = quotas.iter().map(|q| q.count as usize).sum();
    let everyone: HashSet<i64> = ranked.iter().map(|r| r.attempt.participant).collect();
    prop_assert_eq!(winners.len(), total.min(everyone.len()));
    Ok(())
}
