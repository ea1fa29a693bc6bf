//! Table tests of prize allocation: ties at boundaries under each tie policy
//! and both overflow modes, council overrides, per-category allocation.

use std::collections::{BTreeMap, HashMap};

use kehoach_award::{
    Allocation, CategoryError, Overflow, OverrideError, RankInput, Ranked, TiePolicy, Tier,
    allocate, allocate_per_category, apply_override, rank,
};

fn tiers() -> Vec<Tier> {
    [("Đặc biệt", 1), ("A", 2), ("B", 3)]
        .iter()
        .map(|&(n, q)| Tier {
            name: n.to_string(),
            quota: q,
            min_milli: None,
        })
        .collect()
}

/// Ranks `(entry, mean)` pairs; equal means are exact ties.
fn ranked(means: &[(i64, f64)]) -> Vec<Ranked> {
    let inputs: Vec<RankInput> = means
        .iter()
        .map(|&(e, m)| RankInput {
            entry: e,
            mean: m,
            median: m,
            max_single: m,
            submitted_at_ms: 0,
        })
        .collect();
    rank(&inputs, &[])
}

/// Awards as `tier: entries` lines, for compact comparison.
fn show(a: &Allocation) -> Vec<(String, Vec<i64>)> {
    a.tiers
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                a.awards
                    .iter()
                    .filter(|(_, n)| *n == t.name)
                    .map(|(e, _)| *e)
                    .collect(),
            )
        })
        .collect()
}

fn expect(sp: &[i64], a: &[i64], b: &[i64]) -> Vec<(String, Vec<i64>)> {
    vec![
        ("Đặc biệt".to_string(), sp.to_vec()),
        ("A".to_string(), a.to_vec()),
        ("B".to_string(), b.to_vec()),
    ]
}

fn named(v: &[(&str, u32)]) -> Vec<(String, u32)> {
    v.iter().map(|&(n, q)| (n.to_string(), q)).collect()
}

#[test]
fn no_ties_in_rank_order() {
    let r = ranked(&[
        (1, 9.0),
        (2, 8.9),
        (3, 8.8),
        (4, 8.7),
        (5, 8.6),
        (6, 8.5),
        (7, 8.4),
    ]);
    for overflow in [Overflow::Drop, Overflow::CascadeDown] {
        for policy in [
            TiePolicy::Exclude,
            TiePolicy::Include,
            TiePolicy::CouncilDecides,
        ] {
            let a = allocate(&r, &tiers(), overflow, policy);
            assert_eq!(show(&a), expect(&[1], &[2, 3], &[4, 5, 6]));
            assert!(
                a.unfilled.is_empty() && a.exceeded.is_empty() && a.ties_for_council.is_empty()
            );
            assert_eq!(
                a.awards.iter().map(|x| x.0).collect::<Vec<_>>(),
                vec![1, 2, 3, 4, 5, 6]
            );
        }
    }
}

#[test]
fn too_few_entries_leaves_slots_unfilled() {
    let r = ranked(&[(1, 9.0), (2, 8.9), (3, 8.8), (4, 8.7)]);
    for overflow in [Overflow::Drop, Overflow::CascadeDown] {
        let a = allocate(&r, &tiers(), overflow, TiePolicy::Exclude);
        assert_eq!(show(&a), expect(&[1], &[2, 3], &[4]));
        assert_eq!(a.unfilled, named(&[("B", 2)]));
    }
    let a = allocate(&[], &tiers(), Overflow::CascadeDown, TiePolicy::Exclude);
    assert_eq!(a.unfilled, named(&[("Đặc biệt", 1), ("A", 2), ("B", 3)]));
}

#[test]
fn tie_at_the_top_boundary() {
    // 1 and 2 tie for the single special prize.
    let r = ranked(&[
        (1, 9.0),
        (2, 9.0),
        (3, 8.8),
        (4, 8.7),
        (5, 8.6),
        (6, 8.5),
        (7, 8.4),
    ]);
    type Case = (
        Overflow,
        TiePolicy,
        Vec<(String, Vec<i64>)>,
        Vec<(String, u32)>,
        Vec<(String, u32)>,
        Vec<Vec<i64>>,
    );
    let cases: Vec<Case> = vec![
        (
            Overflow::Drop,
            TiePolicy::Exclude,
            expect(&[], &[1, 2], &[3, 4, 5]),
            named(&[("Đặc biệt", 1)]),
            vec![],
            vec![],
        ),
        (
            Overflow::CascadeDown,
            TiePolicy::Exclude,
            expect(&[], &[1, 2, 3], &[4, 5, 6]),
            vec![],
            vec![],
            vec![],
        ),
        (
            Overflow::Drop,
            TiePolicy::Include,
            expect(&[1, 2], &[3, 4], &[5, 6, 7]),
            vec![],
            named(&[("Đặc biệt", 1)]),
            vec![],
        ),
        (
            Overflow::CascadeDown,
            TiePolicy::Include,
            expect(&[1, 2], &[3, 4], &[5, 6, 7]),
            vec![],
            named(&[("Đặc biệt", 1)]),
            vec![],
        ),
        (
            Overflow::Drop,
            TiePolicy::CouncilDecides,
            expect(&[1], &[2, 3], &[4, 5, 6]),
            vec![],
            vec![],
            vec![vec![1, 2]],
        ),
        (
            Overflow::CascadeDown,
            TiePolicy::CouncilDecides,
            expect(&[1], &[2, 3], &[4, 5, 6]),
            vec![],
            vec![],
            vec![vec![1, 2]],
        ),
    ];
    for (overflow, policy, awards, unfilled, exceeded, ties) in cases {
        let a = allocate(&r, &tiers(), overflow, policy);
        let what = format!("{overflow:?} {policy:?}");
        assert_eq!(show(&a), awards, "{what}");
        assert_eq!(a.unfilled, unfilled, "{what}");
        assert_eq!(a.exceeded, exceeded, "{what}");
        assert_eq!(a.ties_for_council, ties, "{what}");
    }
}

#[test]
fn tie_at_a_middle_boundary() {
    // 3 and 4 tie for the last A prize.
    let r = ranked(&[
        (1, 9.5),
        (2, 9.0),
        (3, 8.8),
        (4, 8.8),
        (5, 8.6),
        (6, 8.5),
        (7, 8.4),
    ]);
    let a = allocate(&r, &tiers(), Overflow::Drop, TiePolicy::Exclude);
    assert_eq!(show(&a), expect(&[1], &[2], &[3, 4, 5]));
    assert_eq!(a.unfilled, named(&[("A", 1)]));

    let a = allocate(&r, &tiers(), Overflow::CascadeDown, TiePolicy::Exclude);
    assert_eq!(show(&a), expect(&[1], &[2], &[3, 4, 5, 6]));
    assert!(a.unfilled.is_empty());

    for overflow in [Overflow::Drop, Overflow::CascadeDown] {
        let a = allocate(&r, &tiers(), overflow, TiePolicy::Include);
        assert_eq!(show(&a), expect(&[1], &[2, 3, 4], &[5, 6, 7]));
        assert_eq!(a.exceeded, named(&[("A", 1)]));

        let a = allocate(&r, &tiers(), overflow, TiePolicy::CouncilDecides);
        assert_eq!(show(&a), expect(&[1], &[2, 3], &[4, 5, 6]));
        assert_eq!(a.ties_for_council, vec![vec![3, 4]]);
    }
}

#[test]
fn tie_at_the_last_boundary() {
    // 6 and 7 tie for the last B prize.
    let r = ranked(&[
        (1, 9.5),
        (2, 9.0),
        (3, 8.8),
        (4, 8.7),
        (5, 8.6),
        (6, 8.5),
        (7, 8.5),
        (8, 8.0),
    ]);
    for overflow in [Overflow::Drop, Overflow::CascadeDown] {
        let a = allocate(&r, &tiers(), overflow, TiePolicy::Exclude);
        assert_eq!(show(&a), expect(&[1], &[2, 3], &[4, 5]));
        assert_eq!(a.unfilled, named(&[("B", 1)]), "{overflow:?}");
        let a = allocate(&r, &tiers(), overflow, TiePolicy::Include);
        assert_eq!(show(&a), expect(&[1], &[2, 3], &[4, 5, 6, 7]));
        assert_eq!(a.exceeded, named(&[("B", 1)]));
        let a = allocate(&r, &tiers(), overflow, TiePolicy::CouncilDecides);
        assert_eq!(show(&a), expect(&[1], &[2, 3], &[4, 5, 6]));
        assert_eq!(a.ties_for_council, vec![vec![6, 7]]);
    }
}

#[test]
fn a_tie_spanning_several_tiers() {
    // Four entries tie at the top.
    let r = ranked(&[(1, 9.0), (2, 9.0), (3, 9.0), (4, 9.0), (5, 8.0), (6, 7.0)]);
    let a = allocate(&r, &tiers(), Overflow::Drop, TiePolicy::CouncilDecides);
    assert_eq!(show(&a), expect(&[1], &[2, 3], &[4, 5, 6]));
    assert_eq!(a.ties_for_council, vec![vec![1, 2, 3, 4]]);

    // Exclude + cascade: special (1) and A (2 + 1 carried) both refuse the
    // group of four; B gets 3 + 3 carried = 6 slots.
    let a = allocate(&r, &tiers(), Overflow::CascadeDown, TiePolicy::Exclude);
    assert_eq!(show(&a), expect(&[], &[], &[1, 2, 3, 4, 5, 6]));
    assert!(a.unfilled.is_empty());
    // Exclude + drop: both higher tiers lapse, B cannot take four either.
    let a = allocate(&r, &tiers(), Overflow::Drop, TiePolicy::Exclude);
    assert_eq!(show(&a), expect(&[], &[], &[]));
    assert_eq!(a.unfilled, named(&[("Đặc biệt", 1), ("A", 2), ("B", 3)]));
}

#[test]
fn council_overrides_need_a_reason_and_are_recorded() {
    let r = ranked(&[
        (1, 9.0),
        (2, 8.9),
        (3, 8.8),
        (4, 8.7),
        (5, 8.6),
        (6, 8.5),
        (7, 8.4),
    ]);
    let a = allocate(&r, &tiers(), Overflow::Drop, TiePolicy::Exclude);

    let err = apply_override(&a, 7, Some("B"), "  ").unwrap_err();
    assert_eq!(err, OverrideError::EmptyReason);
    assert_eq!(
        err.to_string(),
        "Quyết định điều chỉnh giải của Hội đồng phải ghi rõ lý do"
    );
    assert_eq!(
        apply_override(&a, 7, Some("Z"), "x").unwrap_err(),
        OverrideError::UnknownTier { tier: "Z".into() }
    );
    assert_eq!(
        apply_override(&a, 2, Some("A"), "x").unwrap_err(),
        OverrideError::NoChange { entry: 2 }
    );
    assert_eq!(
        apply_override(&a, 7, None, "x").unwrap_err(),
        OverrideError::NoChange { entry: 7 }
    );

    // Entry 6 found to breach the rules: prize withdrawn; entry 7 moves up.
    let b = apply_override(
        &a,
        6,
        None,
        "Vi phạm quy chế: tác phẩm đã đạt giải nơi khác",
    )
    .unwrap();
    let c = apply_override(&b, 7, Some("B"), "Hội đồng bỏ phiếu bổ sung").unwrap();
    assert_eq!(show(&c), expect(&[1], &[2, 3], &[4, 5, 7]));
    assert_eq!(c.tier_of(6), None);
    assert_eq!(c.tier_of(7), Some("B"));
    assert_eq!(c.overrides.len(), 2);
    assert_eq!(c.overrides[0].from.as_deref(), Some("B"));
    assert_eq!(c.overrides[0].to, None);
    assert_eq!(c.overrides[1].from, None);
    assert_eq!(c.overrides[1].reason, "Hội đồng bỏ phiếu bổ sung");
    // The original allocation is untouched.
    assert!(a.overrides.is_empty());

    // Promotion goes to the end of its tier block, keeping tier order.
    let d = apply_override(&c, 5, Some("Đặc biệt"), "Tác phẩm xuất sắc").unwrap();
    assert_eq!(
        d.awards.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![1, 5, 2, 3, 4, 7]
    );
    assert_eq!(
        d.tier_counts(),
        named(&[("Đặc biệt", 2), ("A", 2), ("B", 2)])
    );
}

#[test]
fn per_category_allocation() {
    let r = ranked(&[(1, 9.0), (2, 8.9), (3, 8.8), (4, 8.8), (5, 8.6), (6, 8.5)]);
    let cats: HashMap<i64, String> = [(1, "a"), (2, "b"), (3, "a"), (4, "b"), (5, "a"), (6, "b")]
        .iter()
        .map(|&(e, c)| (e, c.to_string()))
        .collect();
    let t = |v: &[(&str, u32)]| -> Vec<Tier> {
        v.iter()
            .map(|&(n, q)| Tier {
                name: n.to_string(),
                quota: q,
                min_milli: None,
            })
            .collect()
    };
    let mut per: BTreeMap<String, Vec<Tier>> = BTreeMap::new();
    per.insert("a".into(), t(&[("A", 1), ("B", 1)]));
    per.insert("b".into(), t(&[("A", 2)]));
    let out = allocate_per_category(&r, &cats, &per, Overflow::Drop, TiePolicy::Exclude).unwrap();
    assert_eq!(
        out["a"].awards,
        vec![(1, "A".to_string()), (3, "B".to_string())]
    );
    assert_eq!(
        out["b"].awards,
        vec![(2, "A".to_string()), (4, "A".to_string())]
    );

    per.remove("b");
    assert_eq!(
        allocate_per_category(&r, &cats, &per, Overflow::Drop, TiePolicy::Exclude).unwrap_err(),
        CategoryError::NoTiers {
            category: "b".into()
        }
    );
}

#[test]
fn a_tier_no_work_reaches_stays_empty() {
    // The special prize needs 9.5; the best work has 9.2.
    let r = ranked(&[(1, 9.2), (2, 9.0), (3, 8.0)]);
    let mut tiers = tiers();
    tiers[0].min_milli = Some(9_500);
    let out = allocate(&r, &tiers, Overflow::Drop, TiePolicy::Exclude);
    assert_eq!(out.tier_of(1), Some("A"));
    assert_eq!(out.tier_of(2), Some("A"));
    assert_eq!(out.tier_of(3), Some("B"));
    assert_eq!(out.not_reached, vec![("Đặc biệt".to_owned(), 1)]);
    assert_eq!(out.unfilled[0], ("Đặc biệt".to_owned(), 1));
    // A minimum on a lower tier stops it where the scores fall below it.
    let mut tiers = tiers.clone();
    tiers[2].min_milli = Some(8_500);
    let out = allocate(&r, &tiers, Overflow::Drop, TiePolicy::Exclude);
    assert_eq!(out.tier_of(3), None);
    assert_eq!(out.not_reached.last(), Some(&("B".to_owned(), 3)));
}
