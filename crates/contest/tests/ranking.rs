//! Table tests for the ranking: ties at every level, both common
//! tie-break orders, the tie flags, and the prediction edge cases.

use kehoach_contest::{
    Attempt, Counted, Prediction, RankingRules, RankingRulesError, TieBreak, counted_attempts,
    rank, true_value,
};

fn at(id: i64, score: u32, prediction: Option<i64>, duration_ms: u64, submitted: i64) -> Attempt {
    Attempt {
        id,
        participant: 1000 + id,
        score,
        prediction,
        duration_ms,
        submitted_at_ms: submitted,
    }
}

fn ids(ranked: &[kehoach_contest::Ranked]) -> Vec<i64> {
    ranked.iter().map(|r| r.attempt.id).collect()
}

fn ties(ranked: &[kehoach_contest::Ranked]) -> Vec<bool> {
    ranked.iter().map(|r| r.exact_tie_with_previous).collect()
}

const TRUTH: Option<i64> = Some(100);

/// Every criterion, in the settings form's order.
fn full() -> RankingRules {
    "score,prediction,duration,submitted".parse().unwrap()
}

/// One pair of attempts separated at each level of the canonical order.
fn every_level() -> Vec<Attempt> {
    vec![
        // Score decides: 9 is last.
        at(1, 9, Some(100), 10, 1),
        // Prediction decides: distance 2 beats distance 3.
        at(2, 10, Some(103), 50, 1),
        at(3, 10, Some(98), 900, 9),
        // Same distance (1) on both sides of the truth: duration decides.
        at(4, 10, Some(101), 300, 1),
        at(5, 10, Some(99), 200, 9),
        // Same prediction and duration: the earlier submission wins.
        at(6, 10, Some(100), 100, 5),
        at(7, 10, Some(100), 100, 3),
        // Equal on everything: the id decides and the tie is flagged.
        at(9, 10, Some(100), 100, 7),
        at(8, 10, Some(100), 100, 7),
    ]
}

#[test]
fn canonical_order_breaks_ties_at_every_level() {
    let rules = full();
    let ranked = rank(&every_level(), &rules, TRUTH);
    assert_eq!(ids(&ranked), vec![7, 6, 8, 9, 5, 4, 3, 2, 1]);
    assert_eq!(
        ties(&ranked),
        vec![false, false, false, true, false, false, false, false, false]
    );
    let positions: Vec<u32> = ranked.iter().map(|r| r.position).collect();
    assert_eq!(positions, (1..=9).collect::<Vec<u32>>());
}

#[test]
fn duration_before_prediction_reorders_the_same_input() {
    let rules: RankingRules = "score,duration,prediction,submitted".parse().unwrap();
    let ranked = rank(&every_level(), &rules, TRUTH);
    // Durations: 7,6,8,9 = 100; 5 = 200; 4 = 300; 2 = 50; 3 = 900.
    assert_eq!(ids(&ranked), vec![2, 7, 6, 8, 9, 5, 4, 3, 1]);
    assert_eq!(
        ties(&ranked),
        vec![false, false, false, false, true, false, false, false, false]
    );
}

#[test]
fn the_two_orders_disagree_on_a_crafted_pair() {
    // A predicts better, B is faster.
    let a = at(1, 10, Some(101), 500, 1);
    let b = at(2, 10, Some(105), 100, 1);
    let by_prediction: RankingRules = "score,prediction,duration,submitted".parse().unwrap();
    let by_duration: RankingRules = "score,duration,prediction,submitted".parse().unwrap();
    assert_eq!(ids(&rank(&[a, b], &by_prediction, TRUTH)), vec![1, 2]);
    assert_eq!(ids(&rank(&[a, b], &by_duration, TRUTH)), vec![2, 1]);
}

#[test]
fn higher_score_beats_every_other_criterion() {
    let good = at(1, 11, None, 999_999, 999);
    let fast = at(2, 10, Some(100), 1, 0);
    for rules in ["score", "score,duration", "score,submitted,prediction"] {
        let rules: RankingRules = rules.parse().unwrap();
        assert_eq!(ids(&rank(&[fast, good], &rules, TRUTH)), vec![1, 2]);
    }
}

#[test]
fn score_need_not_come_first() {
    // A regulation may, oddly, rank by speed first; it is allowed.
    let rules: RankingRules = "duration,score".parse().unwrap();
    let slow_good = at(1, 20, None, 500, 1);
    let fast_poor = at(2, 5, None, 100, 1);
    assert_eq!(
        ids(&rank(&[slow_good, fast_poor], &rules, None)),
        vec![2, 1]
    );
}

#[test]
fn no_prediction_is_worst() {
    let none = at(1, 10, None, 1, 1);
    let far = at(2, 10, Some(i64::MIN), 999, 999);
    let near = at(3, 10, Some(150), 999, 999);
    let ranked = rank(&[none, far, near], &full(), TRUTH);
    assert_eq!(ids(&ranked), vec![3, 2, 1]);
}

#[test]
fn extreme_predictions_do_not_overflow() {
    let low = at(1, 10, Some(i64::MIN), 1, 1);
    let high = at(2, 10, Some(i64::MAX), 1, 1);
    // The lowest id, so that a tie with the largest distance would put it
    // first.
    let none = at(0, 10, None, 1, 1);
    // Truth at i64::MAX: the distance of i64::MIN is 2^64 - 1, still better
    // than no prediction.
    let ranked = rank(&[none, low, high], &full(), Some(i64::MAX));
    assert_eq!(ids(&ranked), vec![2, 1, 0]);
    assert_eq!(ties(&ranked), vec![false, false, false]);
    let ranked = rank(&[none, high, low], &full(), Some(i64::MIN));
    assert_eq!(ids(&ranked), vec![1, 2, 0]);
}

#[test]
fn unknown_truth_ignores_predictions() {
    let none = at(1, 10, None, 100, 1);
    let exact = at(2, 10, Some(100), 100, 1);
    let far = at(3, 10, Some(-5), 100, 1);
    let ranked = rank(&[far, exact, none], &full(), None);
    // Equal on every criterion: ids decide and every later line is a tie.
    assert_eq!(ids(&ranked), vec![1, 2, 3]);
    assert_eq!(ties(&ranked), vec![false, true, true]);
}

#[test]
fn negative_times_and_ids_sort_correctly() {
    let a = at(-5, 10, None, 1, -100);
    let b = at(3, 10, None, 1, 50);
    let c = at(-7, 10, None, 1, 50);
    let ranked = rank(&[b, c, a], &full(), None);
    assert_eq!(ids(&ranked), vec![-5, -7, 3]);
    assert_eq!(ties(&ranked), vec![false, false, true]);
}

#[test]
fn empty_input_ranks_to_nothing() {
    assert!(rank(&[], &full(), TRUTH).is_empty());
    assert!(counted_attempts(&[], Counted::BestThenFastest).is_empty());
}

#[test]
fn rules_parse_to_exactly_the_declared_order() {
    use TieBreak::*;
    let table: &[(&str, &[TieBreak])] = &[
        ("score", &[Score]),
        (
            "score,prediction,duration,submitted",
            &[Score, Prediction, Duration, SubmittedAt],
        ),
        (
            "score,duration,prediction,submitted",
            &[Score, Duration, Prediction, SubmittedAt],
        ),
        ("submitted, SCORE", &[SubmittedAt, Score]),
        ("score,duration", &[Score, Duration]),
    ];
    for (text, order) in table {
        let rules: RankingRules = text.parse().unwrap();
        assert_eq!(rules.order(), *order, "{text}");
        // Display writes the declared order, and reads back to the same rules.
        assert_eq!(rules.to_string().parse::<RankingRules>().unwrap(), rules);
    }
    assert_eq!(RankingRules::default().to_string(), "score");
}

#[test]
fn rules_reject_bad_lists() {
    let table: &[(&str, RankingRulesError)] = &[
        ("", RankingRulesError::UnknownKey(String::new())),
        ("score,", RankingRulesError::UnknownKey(String::new())),
        ("score,speed", RankingRulesError::UnknownKey("speed".into())),
        ("prediction,duration", RankingRulesError::MissingScore),
        (
            "score,duration,duration",
            RankingRulesError::DuplicateKey(TieBreak::Duration),
        ),
    ];
    for (text, error) in table {
        assert_eq!(text.parse::<RankingRules>().unwrap_err(), *error, "{text}");
    }
    assert!(
        RankingRulesError::MissingScore
            .to_string()
            .contains("điểm số")
    );
}

#[test]
fn tie_break_names_round_trip() {
    for k in TieBreak::CANONICAL {
        assert_eq!(k.to_string().parse::<TieBreak>().unwrap(), k);
    }
    assert_eq!(TieBreak::SubmittedAt.to_string(), "submitted");
}

#[test]
fn compare_and_exact_tie_agree_with_rank() {
    let rules = full();
    let all = every_level();
    let ranked = rank(&all, &rules, TRUTH);
    for w in ranked.windows(2) {
        assert!(rules.compare(&w[0].attempt, &w[1].attempt, TRUTH).is_lt());
        assert_eq!(
            rules.exact_tie(&w[0].attempt, &w[1].attempt, TRUTH),
            w[1].exact_tie_with_previous
        );
    }
}

fn by(id: i64, participant: i64, score: u32, submitted: i64) -> Attempt {
    Attempt {
        id,
        participant,
        score,
        prediction: Some(id),
        duration_ms: 1000 - id as u64,
        submitted_at_ms: submitted,
    }
}

#[test]
fn counted_attempt_is_the_best_score() {
    let attempts = [by(1, 7, 12, 10), by(2, 7, 15, 30), by(3, 7, 14, 20)];
    for rule in [Counted::BestThenFastest, Counted::BestThenEarliest] {
        assert_eq!(counted_attempts(&attempts, rule), vec![by(2, 7, 15, 30)]);
    }
    assert_eq!(
        counted_attempts(&attempts, Counted::First),
        vec![by(1, 7, 12, 10)]
    );
    assert_eq!(
        counted_attempts(&attempts, Counted::Last),
        vec![by(3, 7, 14, 20)]
    );
}

#[test]
fn counted_attempt_ties_go_to_the_earliest_then_lowest_id() {
    let attempts = [
        // Participant 1: same best score twice; the earlier one counts even
        // though it was slower and has a higher id.
        by(5, 1, 20, 100),
        by(4, 1, 20, 200),
        by(6, 1, 19, 50),
        // Participant 2: same score and same time; the lower id counts.
        by(9, 2, 10, 300),
        by(8, 2, 10, 300),
        // Participant 3: a single attempt.
        by(10, 3, 0, 1),
    ];
    let counted = counted_attempts(&attempts, Counted::BestThenEarliest);
    assert_eq!(
        counted.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![5, 8, 10]
    );
    let mut reversed = attempts;
    reversed.reverse();
    assert_eq!(
        counted_attempts(&reversed, Counted::BestThenEarliest),
        counted
    );
    // "Best then fastest" keeps participant 1's faster attempt (higher id
    // means shorter duration in `by`).
    let fastest = counted_attempts(&attempts, Counted::BestThenFastest);
    assert_eq!(
        fastest.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![5, 9, 10]
    );
}

fn with_score(participant: i64, score: u32) -> Attempt {
    Attempt {
        id: participant * 10 + i64::from(score),
        participant,
        score,
        prediction: None,
        duration_ms: 1,
        submitted_at_ms: 1,
    }
}

#[test]
fn true_values() {
    let all = [
        with_score(1, 20),
        with_score(1, 18),
        with_score(2, 20),
        with_score(3, 5),
    ];
    assert_eq!(true_value(Prediction::Participants, &all, 20), 3);
    // Every perfect attempt counts, even two by the same person.
    let twice = [with_score(1, 20), with_score(1, 20), with_score(2, 19)];
    assert_eq!(true_value(Prediction::PerfectAttempts, &all, 20), 2);
    assert_eq!(true_value(Prediction::PerfectAttempts, &twice, 20), 2);
    assert_eq!(true_value(Prediction::Participants, &[], 20), 0);
}
