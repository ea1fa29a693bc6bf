//! Table tests of ranking, tie rules and shortlisting.

use std::collections::HashMap;

use kehoach_award::{
    CategoryError, RankInput, Ranked, Shortlist, TieRule, rank, rank_per_category, shortlist,
    shortlist_per_category,
};

fn input(entry: i64, mean: f64, median: f64, max_single: f64, at: i64) -> RankInput {
    RankInput {
        entry,
        mean,
        median,
        max_single,
        submitted_at_ms: at,
    }
}

fn positions(r: &[Ranked]) -> Vec<(i64, usize)> {
    r.iter().map(|x| (x.entry, x.position)).collect()
}

#[test]
fn exact_ties_share_a_position() {
    let inputs = vec![
        input(4, 7.0, 7.0, 8.0, 4),
        input(3, 8.0, 8.0, 9.0, 3),
        input(2, 8.0, 8.0, 9.0, 2),
        input(1, 9.0, 9.0, 9.0, 1),
    ];
    // Without rules, 2 and 3 tie: 1, 2, 2, 4.
    let r = rank(&inputs, &[]);
    assert_eq!(positions(&r), vec![(1, 1), (2, 2), (3, 2), (4, 4)]);
    assert_eq!(
        r.iter().map(|x| x.tied).collect::<Vec<_>>(),
        vec![false, true, true, false]
    );
    // Median and best single score are equal too: still tied.
    let r = rank(&inputs, &[TieRule::Median, TieRule::MaxSingle]);
    assert_eq!(positions(&r), vec![(1, 1), (2, 2), (3, 2), (4, 4)]);
    // Earlier submission separates them.
    let r = rank(
        &inputs,
        &[
            TieRule::Median,
            TieRule::MaxSingle,
            TieRule::EarlierSubmission,
        ],
    );
    assert_eq!(positions(&r), vec![(1, 1), (2, 2), (3, 3), (4, 4)]);
    assert_eq!(r[2].decided_by, Some(TieRule::EarlierSubmission));
    assert!(r.iter().all(|x| !x.tied));
}

#[test]
fn three_way_tie_then_gap() {
    let inputs: Vec<RankInput> = [(1, 9.0), (2, 8.5), (3, 8.5), (4, 8.5), (5, 8.0), (6, 8.0)]
        .iter()
        .map(|&(e, m)| input(e, m, m, m, 0))
        .collect();
    let r = rank(
        &inputs,
        &[
            TieRule::Median,
            TieRule::MaxSingle,
            TieRule::EarlierSubmission,
        ],
    );
    assert_eq!(
        r.iter().map(|x| x.position).collect::<Vec<_>>(),
        vec![1, 2, 2, 2, 5, 5]
    );
}

#[test]
fn each_tie_rule_breaks_ties() {
    // Entries 1 and 2 have equal means; each rule favours a different one.
    // Entry 1: better median; entry 2: better single score, earlier.
    let inputs = vec![
        input(1, 8.0, 8.5, 9.0, 2_000),
        input(2, 8.0, 8.0, 10.0, 1_000),
    ];
    let cases: Vec<(Vec<TieRule>, Vec<i64>, Option<TieRule>)> = vec![
        (vec![TieRule::Median], vec![1, 2], Some(TieRule::Median)),
        (
            vec![TieRule::MaxSingle],
            vec![2, 1],
            Some(TieRule::MaxSingle),
        ),
        (
            vec![TieRule::EarlierSubmission],
            vec![2, 1],
            Some(TieRule::EarlierSubmission),
        ),
        (
            vec![TieRule::Median, TieRule::MaxSingle],
            vec![1, 2],
            Some(TieRule::Median),
        ),
        (
            vec![TieRule::MaxSingle, TieRule::Median],
            vec![2, 1],
            Some(TieRule::MaxSingle),
        ),
    ];
    for (rules, order, decided) in cases {
        let r = rank(&inputs, &rules);
        assert_eq!(
            r.iter().map(|x| x.entry).collect::<Vec<_>>(),
            order,
            "{rules:?}"
        );
        assert_eq!(
            positions(&r).iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(r[0].decided_by, None);
        assert_eq!(r[1].decided_by, decided, "{rules:?}");
    }
    // A different mean is decided by the mean, whatever the rules.
    let r = rank(
        &[input(1, 7.0, 9.0, 10.0, 0), input(2, 8.0, 1.0, 1.0, 9)],
        &[TieRule::Median],
    );
    assert_eq!(r[0].entry, 2);
    assert_eq!(r[1].decided_by, None);
}

#[test]
fn means_compared_in_thousandths() {
    // 22/3 from different routes: equal to three decimals, so tied.
    let a = 22.0 / 3.0;
    let b = (7.0 + 7.0 + 8.0) / 3.0 + 1e-12;
    let r = rank(
        &[input(1, a, 7.0, 8.0, 0), input(2, b, 7.0, 8.0, 0)],
        &[TieRule::Median],
    );
    assert_eq!(positions(&r), vec![(1, 1), (2, 1)]);
    // A difference of 0.001 counts.
    let r = rank(
        &[input(1, 7.333, 7.0, 8.0, 0), input(2, 7.334, 7.0, 8.0, 0)],
        &[],
    );
    assert_eq!(positions(&r), vec![(2, 1), (1, 2)]);
}

#[test]
fn shortlist_includes_ties_at_the_cut() {
    let inputs: Vec<RankInput> = [(1, 9.0), (2, 8.0), (3, 8.0), (4, 7.0), (5, 6.5)]
        .iter()
        .map(|&(e, m)| input(e, m, m, m, 0))
        .collect();
    let r = rank(&inputs, &[]);
    assert_eq!(shortlist(&r, Shortlist::TopN(0)), Vec::<i64>::new());
    assert_eq!(shortlist(&r, Shortlist::TopN(1)), vec![1]);
    assert_eq!(shortlist(&r, Shortlist::TopN(2)), vec![1, 2, 3]);
    assert_eq!(shortlist(&r, Shortlist::TopN(3)), vec![1, 2, 3]);
    assert_eq!(shortlist(&r, Shortlist::TopN(4)), vec![1, 2, 3, 4]);
    assert_eq!(shortlist(&r, Shortlist::TopN(99)).len(), 5);
    assert_eq!(shortlist(&r, Shortlist::Threshold(7.0)), vec![1, 2, 3, 4]);
    // Compared in thousandths: 7.0004 rounds to 7.000.
    assert_eq!(
        shortlist(&r, Shortlist::Threshold(7.0004)),
        vec![1, 2, 3, 4]
    );
    assert_eq!(shortlist(&r, Shortlist::Threshold(7.001)), vec![1, 2, 3]);
    assert_eq!(shortlist(&r, Shortlist::Threshold(10.0)), Vec::<i64>::new());
}

#[test]
fn per_category_ranking_and_shortlist() {
    let inputs: Vec<RankInput> = [(1, 9.0), (2, 8.8), (3, 8.5), (4, 8.5), (5, 8.0), (6, 7.0)]
        .iter()
        .map(|&(e, m)| input(e, m, m, m, 0))
        .collect();
    let cats: HashMap<i64, String> = [(1, "a"), (2, "b"), (3, "a"), (4, "a"), (5, "b"), (6, "b")]
        .iter()
        .map(|&(e, c)| (e, c.to_string()))
        .collect();
    let by = rank_per_category(&inputs, &cats, &[]).unwrap();
    assert_eq!(positions(&by["a"]), vec![(1, 1), (3, 2), (4, 2)]);
    assert_eq!(positions(&by["b"]), vec![(2, 1), (5, 2), (6, 3)]);

    let overall = rank(&inputs, &[]);
    let none = std::collections::BTreeMap::new();
    let sl = shortlist_per_category(&overall, &cats, Shortlist::TopN(2), &none).unwrap();
    assert_eq!(sl["a"], vec![1, 3, 4]);
    assert_eq!(sl["b"], vec![2, 5]);
    // Each sub-council its own quota: one in "a", the top three above 7.5 in "b".
    let quotas = [
        ("a".to_owned(), Shortlist::TopN(1)),
        ("b".to_owned(), Shortlist::TopNAbove(3, 7.5)),
    ]
    .into_iter()
    .collect();
    let sl = shortlist_per_category(&overall, &cats, Shortlist::TopN(2), &quotas).unwrap();
    assert_eq!(sl["a"], vec![1]);
    assert_eq!(sl["b"], vec![2, 5]);

    let mut missing = cats.clone();
    missing.remove(&6);
    assert_eq!(
        rank_per_category(&inputs, &missing, &[]).unwrap_err(),
        CategoryError::UnknownCategory { entry: 6 }
    );
}
