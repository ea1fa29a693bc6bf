//! Property tests of judge assignment.

use std::collections::{BTreeMap, BTreeSet};

use kehoach_award::{EntryInfo, JudgeInfo, assign, is_conflict, load_spread};
use proptest::prelude::*;

const CATS: [&str; 3] = ["bao-in", "truyen-hinh", "anh"];
const OUTLETS: [&str; 6] = [
    "Báo Tỉnh",
    "báo tỉnh ",
    "Đài PT-TH",
    " ĐÀI PT-TH",
    "Tạp chí",
    "",
];

fn judges_strategy(conflicts: bool) -> impl Strategy<Value = Vec<JudgeInfo>> {
    prop::collection::vec(
        (
            prop::collection::btree_set(0..CATS.len(), 1..=2),
            prop::option::of(0..OUTLETS.len()),
            prop::collection::vec(1i64..=30, 0..4),
        ),
        0..10,
    )
    .prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (cats, outlet, declared))| JudgeInfo {
                id: 100 + i as i64,
                categories: cats.into_iter().map(|c| CATS[c].to_string()).collect(),
                outlet: if conflicts {
                    outlet.map(|o| OUTLETS[o].to_string())
                } else {
                    None
                },
                person: Some(500 + i as i64),
                declared_conflicts: if conflicts { declared } else { Vec::new() },
            })
            .collect()
    })
}

fn entries_strategy(conflicts: bool) -> impl Strategy<Value = Vec<EntryInfo>> {
    prop::collection::vec(
        (
            0..CATS.len(),
            prop::option::of(0..OUTLETS.len()),
            prop::collection::vec(495i64..=512, 0..3),
        ),
        0..30,
    )
    .prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (cat, outlet, authors))| EntryInfo {
                id: 1 + i as i64,
                category: CATS[cat].to_string(),
                outlet: if conflicts {
                    outlet.map(|o| OUTLETS[o].to_string())
                } else {
                    None
                },
                // Persons 500.. are judges: co-authorship only with conflicts.
                authors: if conflicts {
                    authors
                } else {
                    authors.into_iter().map(|a| a - 100).collect()
                },
            })
            .collect()
    })
}

/// Unconflicted judges of the entry's pool.
fn eligible(e: &EntryInfo, judges: &[JudgeInfo]) -> BTreeSet<i64> {
    judges
        .iter()
        .filter(|j| j.categories.contains(&e.category) && !is_conflict(e, j))
        .map(|j| j.id)
        .collect()
}

fn judges_of(pairs: &[(i64, i64)], entry: i64) -> Vec<i64> {
    pairs.iter().filter(|p| p.0 == entry).map(|p| p.1).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_conflicts_right_count_no_duplicates_deterministic(
        entries in entries_strategy(true),
        judges in judges_strategy(true),
        k in 0usize..5,
    ) {
        let a = assign(&entries, &judges, k, &[]);
        // Deterministic, and independent of input order.
        prop_assert_eq!(&a, &assign(&entries, &judges, k, &[]));
        let mut rev_e = entries.clone();
        rev_e.reverse();
        let mut rev_j = judges.clone();
        rev_j.reverse();
        prop_assert_eq!(&a, &assign(&rev_e, &rev_j, k, &[]));

        // No duplicates.
        let set: BTreeSet<_> = a.pairs.iter().copied().collect();
        prop_assert_eq!(set.len(), a.pairs.len());
        prop_assert!(a.conflicting_overrides.is_empty());

        let shortfalls: BTreeMap<i64, _> = a.shortfalls.iter().map(|s| (s.entry, s)).collect();
        for e in &entries {
            let elig = eligible(e, &judges);
            let got = judges_of(&a.pairs, e.id);
            // Never a conflict, never outside the pool.
            for j in &got {
                prop_assert!(elig.contains(j), "entry {} judge {}", e.id, j);
            }
            prop_assert_eq!(got.len(), k.min(elig.len()));
            // Shortfall exactly when fewer than k eligible judges.
            match shortfalls.get(&e.id) {
                Some(s) => {
                    prop_assert!(elig.len() < k);
                    prop_assert_eq!(s.needed, k);
                    prop_assert_eq!(s.eligible, elig.len());
                }
                None => prop_assert!(elig.len() >= k),
            }
        }
        prop_assert_eq!(shortfalls.len(), a.shortfalls.len());

        // Loads agree with the pairs.
        for (cat, loads) in &a.loads {
            for (j, l) in loads {
                let n = a
                    .pairs
                    .iter()
                    .filter(|(e, jj)| jj == j && entries.iter().any(|x| x.id == *e && &x.category == cat))
                    .count();
                prop_assert_eq!(*l, n);
            }
        }
    }

    #[test]
    fn balanced_without_conflicts(
        entries in entries_strategy(false),
        judges in judges_strategy(false),
        k in 0usize..5,
    ) {
        let a = assign(&entries, &judges, k, &[]);
        for e in &entries {
            prop_assert!(eligible(e, &judges).len() == judges.iter().filter(|j| j.categories.contains(&e.category)).count());
        }
        for (cat, (min, max)) in load_spread(&a) {
            prop_assert!(max - min <= 1, "{}: {}..{}", cat, min, max);
        }
    }

    #[test]
    fn overrides_are_kept_and_reported(
        entries in entries_strategy(true),
        judges in judges_strategy(true),
        k in 0usize..5,
        raw in prop::collection::vec((1i64..=30, 100i64..=109), 0..8),
    ) {
        let a = assign(&entries, &judges, k, &raw);
        let existing: BTreeSet<(i64, i64)> = raw.iter().copied().collect();
        let pairs: BTreeSet<(i64, i64)> = a.pairs.iter().copied().collect();
        prop_assert!(existing.is_subset(&pairs));
        prop_assert_eq!(pairs.len(), a.pairs.len());

        let mut expected_conflicting = Vec::new();
        for &(e, j) in &existing {
            if let (Some(ei), Some(ji)) = (
                entries.iter().find(|x| x.id == e),
                judges.iter().find(|x| x.id == j),
            ) && is_conflict(ei, ji)
            {
                expected_conflicting.push((e, j));
            }
        }
        let got: Vec<(i64, i64)> = a.conflicting_overrides.iter().map(|c| (c.entry, c.judge)).collect();
        prop_assert_eq!(got, expected_conflicting);

        for e in &entries {
            let manual: BTreeSet<i64> = existing.iter().filter(|p| p.0 == e.id).map(|p| p.1).collect();
            let elig = eligible(e, &judges);
            let got = judges_of(&a.pairs, e.id);
            for j in &got {
                prop_assert!(manual.contains(j) || elig.contains(j));
            }
            let possible = manual.union(&elig).count();
            prop_assert_eq!(got.len(), manual.len().max(k.min(possible)));
            prop_assert_eq!(
                a.shortfalls.iter().any(|s| s.entry == e.id),
                got.len() < k
            );
        }
    }
}
