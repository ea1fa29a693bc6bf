//! Prize allocation, the overall ranking and collective prizes.

use kehoach_contest::{
    Allocation, Attempt, AwardRules, Counted, Decision, Qualify, Quota, Ranked, RankingRules,
    RoundLines, Settled, TiePolicy, UnitTally, allocate, combine, counted_attempts, highest_rate,
    lottery, most_participants, rank,
};

fn line(position: u32, participant: i64, tie: bool) -> Ranked {
    Ranked {
        attempt: Attempt {
            id: i64::from(position),
            participant,
            score: 0,
            prediction: None,
            duration_ms: 0,
            submitted_at_ms: 0,
        },
        position,
        place: position,
        exact_tie_with_previous: tie,
    }
}

/// Gives tied lines their shared place, as `rank` does.
fn placed(ranked: &[Ranked]) -> Vec<Ranked> {
    let mut out = ranked.to_vec();
    for i in 1..out.len() {
        if out[i].exact_tie_with_previous {
            out[i].place = out[i - 1].place;
        }
    }
    out
}

fn decide(quotas: &[Quota]) -> AwardRules<'_> {
    AwardRules {
        quotas,
        min_score: 0,
        ties: TiePolicy::Decide,
        seed: 0,
        decisions: &[],
    }
}

fn allocate_by(ranked: &[Ranked], quotas: &[Quota]) -> Allocation {
    allocate(&placed(ranked), &decide(quotas))
}

fn quotas(counts: &[(&str, u32)]) -> Vec<Quota> {
    counts
        .iter()
        .map(|&(tier, count)| Quota {
            tier: tier.to_owned(),
            count,
        })
        .collect()
}

fn standard() -> Vec<Quota> {
    quotas(&[("Nhất", 1), ("Nhì", 2), ("Ba", 3), ("Khuyến khích", 5)])
}

/// Winners as (tier, line) and ties as (place, tier at stake, slots, candidates).
type Ties = Vec<(u32, String, u32, usize)>;

fn summary(ranked: &[Ranked], q: &[Quota]) -> (Vec<(String, u32)>, Ties) {
    let a = allocate_by(ranked, q);
    (
        a.winners
            .iter()
            .map(|w| (w.tier.clone(), w.position))
            .collect(),
        a.ties
            .iter()
            .map(|t| (t.place, t.tier.clone(), t.slots, t.candidates.len()))
            .collect(),
    )
}

fn tie(place: u32, tier: &str, slots: u32, candidates: usize) -> (u32, String, u32, usize) {
    (place, tier.to_owned(), slots, candidates)
}

fn tiers(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter().map(|&(t, p)| (t.to_owned(), p)).collect()
}

#[test]
fn tiers_fill_in_order() {
    let ranked: Vec<Ranked> = (1..=15).map(|p| line(p, i64::from(p), false)).collect();
    let (winners, ties) = summary(&ranked, &standard());
    let expected: Vec<(&str, u32)> = vec![
        ("Nhất", 1),
        ("Nhì", 2),
        ("Nhì", 3),
        ("Ba", 4),
        ("Ba", 5),
        ("Ba", 6),
        ("Khuyến khích", 7),
        ("Khuyến khích", 8),
        ("Khuyến khích", 9),
        ("Khuyến khích", 10),
        ("Khuyến khích", 11),
    ];
    assert_eq!(winners, tiers(&expected));
    assert!(ties.is_empty());
}

#[test]
fn fewer_people_than_prizes() {
    let ranked: Vec<Ranked> = (1..=4).map(|p| line(p, i64::from(p), false)).collect();
    let (winners, _) = summary(&ranked, &standard());
    assert_eq!(
        winners,
        tiers(&[("Nhất", 1), ("Nhì", 2), ("Nhì", 3), ("Ba", 4)])
    );
    assert!(allocate_by(&[], &standard()).winners.is_empty());
}

#[test]
fn zero_quota_tiers_are_skipped() {
    let ranked: Vec<Ranked> = (1..=4).map(|p| line(p, i64::from(p), false)).collect();
    let q = quotas(&[("Nhất", 0), ("Nhì", 1), ("Ba", 0), ("KK", 1)]);
    let (winners, _) = summary(&ranked, &q);
    assert_eq!(winners, tiers(&[("Nhì", 1), ("KK", 2)]));
    assert!(allocate_by(&ranked, &[]).winners.is_empty());
}

#[test]
fn ties_straddling_a_tier_boundary_are_reported() {
    // Positions 1 and 2 are exactly tied, but there is one first prize.
    // Positions 3, 4 are tied inside the second tier (no report).
    let ranked = vec![
        line(1, 11, false),
        line(2, 12, true),
        line(3, 13, false),
        line(4, 14, true),
    ];
    let q = quotas(&[("Nhất", 1), ("Nhì", 3)]);
    let (winners, ties) = summary(&ranked, &q);
    assert_eq!(
        winners,
        tiers(&[("Nhất", 1), ("Nhì", 2), ("Nhì", 3), ("Nhì", 4)])
    );
    assert_eq!(ties, vec![tie(1, "Nhất", 1, 2)]);
}

#[test]
fn a_tie_group_across_two_boundaries_and_the_end() {
    // Lines 1..=5 are one exact tie; tiers 1 / 2 / 1, so it crosses the
    // Nhất→Nhì boundary, the Nhì→Ba boundary and the end of the prizes.
    let ranked = vec![
        line(1, 1, false),
        line(2, 2, true),
        line(3, 3, true),
        line(4, 4, true),
        line(5, 5, true),
        line(6, 6, false),
    ];
    let q = quotas(&[("Nhất", 1), ("Nhì", 2), ("Ba", 1)]);
    let (winners, ties) = summary(&ranked, &q);
    assert_eq!(
        winners,
        tiers(&[("Nhất", 1), ("Nhì", 2), ("Nhì", 3), ("Ba", 4)])
    );
    assert_eq!(
        ties,
        vec![
            tie(1, "Nhất", 1, 5),
            tie(1, "Nhì", 2, 4),
            tie(1, "Ba", 1, 2)
        ]
    );
}

#[test]
fn no_report_when_the_tie_ends_with_the_prizes() {
    let ranked = vec![line(1, 1, false), line(2, 2, true), line(3, 3, false)];
    let (_, ties) = summary(&ranked, &quotas(&[("Nhất", 2)]));
    assert!(ties.is_empty());
}

#[test]
fn a_participant_wins_at_most_once() {
    // Participant 7 appears twice (an uncounted list); their second line is
    // skipped and the prize goes on to the next person.
    let ranked = vec![line(1, 7, false), line(2, 7, false), line(3, 8, false)];
    let (winners, _) = summary(&ranked, &quotas(&[("Nhất", 1), ("Nhì", 1)]));
    assert_eq!(winners, tiers(&[("Nhất", 1), ("Nhì", 3)]));
}

#[test]
fn a_tie_across_a_skipped_duplicate_is_still_seen() {
    // Lines 1-3 are tied; line 2 repeats participant 1 and is skipped, so
    // line 3 is the next eligible line and misses out on the only prize.
    let ranked = vec![line(1, 1, false), line(2, 1, true), line(3, 3, true)];
    let (winners, ties) = summary(&ranked, &quotas(&[("Nhất", 1)]));
    assert_eq!(winners, tiers(&[("Nhất", 1)]));
    assert_eq!(ties, vec![tie(1, "Nhất", 1, 2)]);
}

#[test]
fn allocation_from_a_real_ranking() {
    let a = |id, participant, score| Attempt {
        id,
        participant,
        score,
        prediction: None,
        duration_ms: 100,
        submitted_at_ms: 5,
    };
    let ranked = rank(
        &[a(1, 1, 20), a(2, 2, 19), a(3, 3, 19), a(4, 4, 10)],
        &RankingRules::default(),
        None,
    );
    let q = quotas(&[("Nhất", 1), ("Nhì", 1)]);
    let allocation = allocate(&ranked, &decide(&q));
    let won: Vec<i64> = allocation
        .winners
        .iter()
        .map(|w| w.attempt.participant)
        .collect();
    assert_eq!(won, vec![1, 2]);
    // 2 and 3 are exactly tied: 2 is only provisional, the office decides.
    assert_eq!(allocation.ties.len(), 1);
    assert_eq!(allocation.ties[0].key(), vec![2, 3]);
    assert!(allocation.undecided());
}

fn round_attempt(id: i64, participant: i64, score: u32, duration_ms: u64, at: i64) -> Attempt {
    Attempt {
        id,
        participant,
        score,
        prediction: Some(42),
        duration_ms,
        submitted_at_ms: at,
    }
}

fn lines(rounds: &[Vec<Attempt>]) -> Vec<Vec<Attempt>> {
    rounds
        .iter()
        .map(|r| counted_attempts(r, Counted::BestThenEarliest))
        .collect()
}

#[test]
fn rounds_combine_by_the_declared_rule() {
    let rounds = vec![
        vec![
            round_attempt(1, 10, 15, 100, 1_000),
            round_attempt(2, 10, 20, 300, 2_000), // counts: a perfect 20
            round_attempt(3, 20, 18, 50, 1_500),
        ],
        vec![
            round_attempt(4, 10, 19, 200, 9_000),
            round_attempt(5, 30, 20, 10, 8_000),
        ],
        vec![],
    ];
    let truths = [Some(40), Some(45), None];
    let counted = lines(&rounds);
    let views: Vec<RoundLines> = counted
        .iter()
        .zip(truths)
        .map(|(c, truth)| RoundLines {
            counted: c,
            truth,
            max_score: 20,
        })
        .collect();
    let rules: RankingRules = "score,duration,prediction".parse().unwrap();
    let sum = combine(&views, Qualify::Sum, &rules);
    // Every prediction is 42: distances 2 and 3 add up to 5.
    assert_eq!(
        sum.iter()
            .map(|a| (a.participant, a.score, a.duration_ms, a.prediction))
            .collect::<Vec<_>>(),
        vec![
            (10, 39, 500, Some(5)),
            (20, 18, 50, Some(2)),
            (30, 20, 10, Some(3))
        ]
    );
    assert_eq!(sum[0].submitted_at_ms, 9_000);
    let best = combine(&views, Qualify::BestRound, &rules);
    assert_eq!(
        best.iter()
            .map(|a| (a.participant, a.score, a.duration_ms))
            .collect::<Vec<_>>(),
        vec![(10, 20, 300), (20, 18, 50), (30, 20, 10)]
    );
    let perfect = combine(&views, Qualify::PerfectRounds, &rules);
    assert_eq!(
        perfect
            .iter()
            .map(|a| (a.participant, a.score))
            .collect::<Vec<_>>(),
        vec![(10, 1), (20, 0), (30, 1)]
    );
    // Ranked against a true value of 0, the distance is the prediction criterion.
    let ranked = rank(&perfect, &rules, Some(0));
    let order: Vec<i64> = ranked.iter().map(|r| r.attempt.participant).collect();
    assert_eq!(order, vec![30, 10, 20]);
    assert!(combine(&[], Qualify::Sum, &rules).is_empty());
}

#[test]
fn a_missing_guess_makes_the_sum_of_distances_missing() {
    let mut no_guess = round_attempt(2, 10, 5, 100, 1);
    no_guess.prediction = None;
    let a = [round_attempt(1, 10, 5, 100, 1)];
    let b = [no_guess];
    let views = [
        RoundLines {
            counted: &a,
            truth: Some(40),
            max_score: 20,
        },
        RoundLines {
            counted: &b,
            truth: Some(40),
            max_score: 20,
        },
    ];
    let rules = RankingRules::default();
    assert_eq!(combine(&views, Qualify::Sum, &rules)[0].prediction, None);
}

fn unit(unit: i64, participants: u64, population: Option<u64>) -> UnitTally {
    UnitTally {
        unit,
        participants,
        population,
    }
}

#[test]
fn most_participants_ties_by_unit_id() {
    let tallies = [
        unit(5, 100, None),
        unit(3, 250, Some(1000)),
        unit(9, 100, Some(10)),
        unit(1, 100, None),
        unit(2, 7, None),
    ];
    let top: Vec<i64> = most_participants(&tallies, 4)
        .iter()
        .map(|t| t.unit)
        .collect();
    assert_eq!(top, vec![3, 1, 5, 9]);
    assert!(most_participants(&tallies, 0).is_empty());
    assert_eq!(most_participants(&tallies, 99).len(), 5);
}

#[test]
fn highest_rate_compares_exactly() {
    let tallies = [
        unit(1, 1, Some(3)),     // 1/3
        unit(2, 2, Some(6)),     // 1/3, more participants
        unit(3, 200, Some(600)), // 1/3, most participants
        unit(4, 1, Some(2)),     // 1/2
        unit(5, 90, None),       // no population: excluded
        unit(6, 90, Some(0)),    // zero population: excluded
        unit(7, 0, Some(5)),     // 0
        unit(8, 2, Some(6)),     // 1/3, same participants as unit 2
    ];
    let top = highest_rate(&tallies, 10);
    let order: Vec<i64> = top.iter().map(|(t, _)| t.unit).collect();
    assert_eq!(order, vec![4, 3, 2, 8, 1, 7]);
    assert_eq!(top[0].1, 0.5);
    assert!((top[1].1 - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(highest_rate(&tallies, 2).len(), 2);
}

#[test]
fn highest_rate_does_not_overflow_or_round() {
    // Rates that differ in the 19th significant digit: as f64 they are the
    // same number, exactly compared they are not.
    let big = u64::MAX;
    let tallies = [unit(1, big - 1, Some(big)), unit(2, big - 2, Some(big - 1))];
    let order: Vec<i64> = highest_rate(&tallies, 2)
        .iter()
        .map(|(t, _)| t.unit)
        .collect();
    // (big-1)/big > (big-2)/(big-1)
    assert_eq!(order, vec![1, 2]);
}

#[test]
fn a_tie_across_a_winners_skipped_second_attempt_is_still_reported() {
    // Participant 1's two attempts and participant 2's are exact ties; the
    // prize goes to line 1, line 2 is skipped as 1's second attempt, and
    // line 3 lost the prize to the id fallback alone.
    let ranked = [line(1, 1, false), line(2, 1, true), line(3, 2, true)];
    let allocation = allocate_by(&ranked, &quotas(&[("Giải Nhất", 1)]));
    assert_eq!(allocation.winners.len(), 1);
    assert_eq!(allocation.ties[0].key(), vec![1, 2]);
}

fn scored(id: i64, score: u32) -> Attempt {
    Attempt {
        id,
        participant: id,
        score,
        prediction: None,
        duration_ms: 0,
        submitted_at_ms: 0,
    }
}

/// Ten prizes, with lines 9 to 12 tied: two places left for four people.
fn tie_at_tenth() -> (Vec<Ranked>, Vec<Quota>) {
    let scores = [20, 19, 18, 17, 16, 15, 14, 13, 12, 12, 12, 12, 5];
    let attempts: Vec<Attempt> = scores
        .iter()
        .enumerate()
        .map(|(i, &s)| scored(i as i64 + 1, s))
        .collect();
    let ranked = rank(&attempts, &RankingRules::default(), None);
    (ranked, quotas(&[("Giải", 10)]))
}

#[test]
fn the_office_decides_a_tie_at_the_last_prize() {
    let (ranked, q) = tie_at_tenth();
    let open = allocate(&ranked, &decide(&q));
    assert!(open.undecided());
    let t = &open.ties[0];
    assert_eq!((t.place, t.slots, t.key()), (9, 2, vec![9, 10, 11, 12]));
    assert_eq!(t.next, None);
    let decisions = [Decision {
        candidates: vec![9, 10, 11, 12],
        chosen: vec![12, 10],
    }];
    let rules = AwardRules {
        decisions: &decisions,
        ..decide(&q)
    };
    let decided = allocate(&ranked, &rules);
    assert!(!decided.undecided());
    assert_eq!(decided.ties[0].settled, Settled::Office);
    let won: Vec<i64> = decided
        .winners
        .iter()
        .map(|w| w.attempt.participant)
        .collect();
    assert_eq!(won, vec![1, 2, 3, 4, 5, 6, 7, 8, 10, 12]);
    // A decision for another set of candidates, or the wrong count, is ignored.
    for wrong in [
        Decision {
            candidates: vec![9, 10, 11],
            chosen: vec![9, 10],
        },
        Decision {
            candidates: vec![9, 10, 11, 12],
            chosen: vec![9],
        },
        Decision {
            candidates: vec![9, 10, 11, 12],
            chosen: vec![9, 13],
        },
    ] {
        let d = [wrong];
        let rules = AwardRules {
            decisions: &d,
            ..decide(&q)
        };
        assert!(allocate(&ranked, &rules).undecided());
    }
}

#[test]
fn a_lottery_replays_from_its_seed_and_all_includes_everyone() {
    let (ranked, q) = tie_at_tenth();
    let rules = AwardRules {
        ties: TiePolicy::Lottery,
        seed: 2021,
        ..decide(&q)
    };
    let drawn = allocate(&ranked, &rules);
    assert_eq!(drawn.ties[0].settled, Settled::Lottery);
    assert_eq!(drawn.ties[0].chosen, lottery(&[9, 10, 11, 12], 2021, 9, 2));
    assert_eq!(drawn.winners.len(), 10);
    let all = allocate(
        &ranked,
        &AwardRules {
            ties: TiePolicy::All,
            ..rules
        },
    );
    assert_eq!(all.winners.len(), 12);
    assert_eq!(all.ties[0].settled, Settled::All);
}

#[test]
fn nobody_below_the_minimum_score_gets_a_prize() {
    let (ranked, q) = tie_at_tenth();
    let rules = AwardRules {
        min_score: 13,
        ..decide(&q)
    };
    let a = allocate(&ranked, &rules);
    assert_eq!(a.winners.len(), 8);
    assert!(a.ties.is_empty());
}
