//! Table tests of judge assignment.

use kehoach_award::{
    ConflictReason, EntryInfo, JudgeInfo, Shortfall, assign, conflicts, is_conflict, load_spread,
};

fn entry(id: i64, cat: &str, outlet: Option<&str>, authors: &[i64]) -> EntryInfo {
    EntryInfo {
        id,
        category: cat.to_string(),
        outlet: outlet.map(str::to_string),
        authors: authors.to_vec(),
    }
}

fn judge(
    id: i64,
    cats: &[&str],
    outlet: Option<&str>,
    person: Option<i64>,
    declared: &[i64],
) -> JudgeInfo {
    JudgeInfo {
        id,
        categories: cats.iter().map(|c| c.to_string()).collect(),
        outlet: outlet.map(str::to_string),
        person,
        declared_conflicts: declared.to_vec(),
    }
}

#[test]
fn conflict_rules() {
    let e = entry(1, "bao-in", Some("  Báo Quảng Ninh "), &[10, 11]);
    let cases: Vec<(JudgeInfo, Vec<ConflictReason>)> = vec![
        (
            judge(1, &["bao-in"], Some("BÁO QUẢNG NINH"), None, &[]),
            vec![ConflictReason::SameOutlet],
        ),
        (
            judge(2, &["bao-in"], Some("Báo Hải Phòng"), None, &[]),
            vec![],
        ),
        (
            judge(3, &["bao-in"], None, None, &[1]),
            vec![ConflictReason::Declared],
        ),
        (
            judge(4, &["bao-in"], None, Some(11), &[]),
            vec![ConflictReason::CoAuthor],
        ),
        (judge(5, &["bao-in"], None, Some(12), &[2, 3]), vec![]),
        (
            judge(6, &["bao-in"], Some("báo quảng ninh"), Some(10), &[1]),
            vec![
                ConflictReason::SameOutlet,
                ConflictReason::Declared,
                ConflictReason::CoAuthor,
            ],
        ),
        // Blank outlets are "no outlet", never a match.
        (judge(7, &["bao-in"], Some("  "), None, &[]), vec![]),
    ];
    for (j, want) in cases {
        assert_eq!(conflicts(&e, &j), want, "judge {}", j.id);
        assert_eq!(is_conflict(&e, &j), !want.is_empty());
    }
    let blank = entry(2, "bao-in", Some(""), &[]);
    assert!(!is_conflict(
        &blank,
        &judge(8, &["bao-in"], Some(""), None, &[])
    ));
}

#[test]
fn only_pool_judges_and_no_conflicts() {
    let entries = vec![
        entry(1, "bao-in", Some("Báo A"), &[]),
        entry(2, "bao-in", Some("Báo B"), &[]),
        entry(3, "anh", None, &[]),
    ];
    let judges = vec![
        judge(10, &["bao-in"], Some("báo a"), None, &[]),
        judge(11, &["bao-in"], Some("Báo B"), None, &[]),
        judge(12, &["bao-in", "anh"], None, None, &[]),
        judge(13, &["anh"], None, None, &[]),
    ];
    let a = assign(&entries, &judges, 2, &[]);
    assert_eq!(
        a.pairs,
        vec![(1, 11), (1, 12), (2, 10), (2, 12), (3, 12), (3, 13)]
    );
    assert!(a.shortfalls.is_empty());
}

#[test]
fn shortfall_when_too_few_eligible() {
    let entries = vec![
        entry(1, "bao-in", Some("Báo A"), &[]),
        entry(2, "bao-in", None, &[]),
        entry(3, "phat-thanh", None, &[]),
    ];
    let judges = vec![
        judge(10, &["bao-in"], Some("Báo A"), None, &[]),
        judge(11, &["bao-in"], None, None, &[]),
        judge(12, &["bao-in"], None, None, &[]),
    ];
    let a = assign(&entries, &judges, 3, &[]);
    assert_eq!(
        a.shortfalls,
        vec![
            Shortfall {
                entry: 1,
                needed: 3,
                eligible: 2
            },
            Shortfall {
                entry: 3,
                needed: 3,
                eligible: 0
            },
        ]
    );
    assert_eq!(a.pairs, vec![(1, 11), (1, 12), (2, 10), (2, 11), (2, 12)]);
}

#[test]
fn overrides_kept_counted_and_conflicts_reported() {
    let entries = vec![
        entry(1, "bao-in", Some("Báo A"), &[7]),
        entry(2, "bao-in", None, &[]),
    ];
    let judges = vec![
        judge(10, &["bao-in"], Some("Báo A"), Some(7), &[]),
        judge(11, &["bao-in"], None, None, &[]),
        judge(12, &["bao-in"], None, None, &[]),
        judge(13, &["anh"], None, None, &[]),
    ];
    // Office put judge 10 (conflicted) and 13 (other sub-council) on entry 1.
    let a = assign(&entries, &judges, 2, &[(1, 10), (1, 13)]);
    assert_eq!(a.pairs, vec![(1, 10), (1, 13), (2, 11), (2, 12)]);
    assert_eq!(a.conflicting_overrides.len(), 1);
    let c = &a.conflicting_overrides[0];
    assert_eq!((c.entry, c.judge), (1, 10));
    assert_eq!(
        c.reasons,
        vec![ConflictReason::SameOutlet, ConflictReason::CoAuthor]
    );
    // Judge 10's override counts in the bao-in pool; 13 is outside it.
    assert_eq!(a.loads["bao-in"][&10], 1);
    assert!(!a.loads["bao-in"].contains_key(&13));
    assert!(a.shortfalls.is_empty());
}

#[test]
fn fewest_eligible_first_and_least_loaded() {
    // Entry 3 can only go to judge 12; served first so the others spread.
    let entries = vec![
        entry(1, "c", None, &[]),
        entry(2, "c", None, &[]),
        entry(3, "c", Some("X"), &[]),
        entry(4, "c", None, &[]),
    ];
    let judges = vec![
        judge(10, &["c"], Some("x"), None, &[]),
        judge(11, &["c"], None, None, &[3]),
        judge(12, &["c"], None, None, &[]),
    ];
    let a = assign(&entries, &judges, 1, &[]);
    assert_eq!(a.pairs, vec![(1, 10), (2, 11), (3, 12), (4, 10)]);
    assert_eq!(load_spread(&a)["c"], (1, 2));
}

#[test]
fn balanced_despite_declared_conflicts() {
    // Entries 1..=6, k = 1. Judges 10 and 11 may mark everything, judge 12
    // only entries 1 and 2. Balanced is 2/2/2.
    let entries: Vec<EntryInfo> = (1..=6).map(|i| entry(i, "c", None, &[])).collect();
    let judges = vec![
        judge(10, &["c"], None, None, &[]),
        judge(11, &["c"], None, None, &[]),
        judge(12, &["c"], None, None, &[3, 4, 5, 6]),
    ];
    let a = assign(&entries, &judges, 1, &[]);
    assert_eq!(load_spread(&a)["c"], (2, 2));
    for (e, j) in &a.pairs {
        assert!(!(*j == 12 && *e > 2));
    }
}

#[test]
fn multi_pool_judge_balanced_in_each_pool() {
    let entries: Vec<EntryInfo> = (1..=9)
        .map(|i| entry(i, if i <= 6 { "a" } else { "b" }, None, &[]))
        .collect();
    let judges = vec![
        judge(1, &["a", "b"], None, None, &[]),
        judge(2, &["a"], None, None, &[]),
        judge(3, &["b"], None, None, &[]),
    ];
    let a = assign(&entries, &judges, 1, &[]);
    let spread = load_spread(&a);
    assert_eq!(spread["a"], (3, 3));
    assert_eq!(spread["b"], (1, 2));
    assert_eq!(a.pairs.len(), 9);
}

#[test]
fn empty_inputs() {
    let a = assign(&[], &[], 3, &[]);
    assert!(a.pairs.is_empty() && a.shortfalls.is_empty());
    let a = assign(
        &[entry(1, "c", None, &[])],
        &[judge(1, &["c"], None, None, &[])],
        0,
        &[],
    );
    assert!(a.pairs.is_empty() && a.shortfalls.is_empty());
    assert_eq!(load_spread(&a)["c"], (0, 0));
}

#[test]
fn repair_pass_evens_out_greedy_loads() {
    // Greedy alone gives judge 10 two entries and judge 12 none (it is
    // served last-eligible); the repair pass moves entry 1 to judge 12.
    let entries: Vec<EntryInfo> = (1..=4).map(|i| entry(i, "c", None, &[])).collect();
    let judges = vec![
        judge(10, &["c"], None, None, &[3]),
        judge(11, &["c"], None, None, &[1, 3]),
        judge(12, &["c"], None, None, &[2, 3, 4]),
    ];
    let a = assign(&entries, &judges, 1, &[]);
    assert_eq!(a.pairs, vec![(1, 12), (2, 11), (4, 10)]);
    assert_eq!(load_spread(&a)["c"], (1, 1));
    assert_eq!(
        a.shortfalls,
        vec![Shortfall {
            entry: 3,
            needed: 1,
            eligible: 0
        }]
    );

    let judges = vec![
        judge(10, &["c"], None, None, &[1, 3]),
        judge(11, &["c"], None, None, &[]),
        judge(12, &["c"], None, None, &[2]),
        judge(13, &["c"], None, None, &[2, 4]),
    ];
    let a = assign(&entries, &judges, 2, &[]);
    assert_eq!(load_spread(&a)["c"], (2, 2));
    assert_eq!(a.pairs.len(), 8);
}
