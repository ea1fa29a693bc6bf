//! Timing of a provincial-award-sized round: 2,500 entries in 5 categories,
//! 60 judges (12 per sub-council), ~40 outlets, declared conflicts and
//! co-authorships, k = 3; then results from 3 sheets per entry (aggregate,
//! rank per category, allocate per category and overall).
//!
//! `cargo bench` runs it; no external harness, only `std::time::Instant`.
//! Inputs come from a fixed xorshift generator so every run is the same.

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::time::Instant;

use kehoach_award::{
    Criterion, EntryInfo, JudgeInfo, Overflow, RankInput, ScoreSheet, TiePolicy, TieRule, Tier,
    aggregate, allocate, allocate_per_category, assign, is_conflict, load_spread, rank,
    rank_per_category,
};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CATEGORIES: [&str; 5] = ["bao-in", "phat-thanh", "truyen-hinh", "bao-dien-tu", "anh"];

fn build(rng: &mut XorShift) -> (Vec<EntryInfo>, Vec<JudgeInfo>) {
    let outlet = |i: u64| format!("Báo số {i}");
    let mut judges = Vec::new();
    for j in 0..60i64 {
        let cat = CATEGORIES[(j / 12) as usize];
        judges.push(JudgeInfo {
            id: 1000 + j,
            categories: vec![cat.to_string()],
            outlet: if j % 4 == 0 {
                None
            } else {
                Some(outlet(rng.below(40)))
            },
            person: Some(50_000 + j),
            declared_conflicts: Vec::new(),
        });
    }
    let mut entries = Vec::new();
    for e in 0..2500i64 {
        let mut authors = vec![10_000 + e, 10_000 + (e * 7) % 2500];
        if rng.below(50) == 0 {
            // A judge co-authored this entry.
            authors.push(50_000 + rng.below(60) as i64);
        }
        entries.push(EntryInfo {
            id: e + 1,
            category: CATEGORIES[(e % 5) as usize].to_string(),
            // Mixed case and spaces, as typed by hand.
            outlet: Some(if e % 3 == 0 {
                format!("  {} ", outlet(rng.below(40)).to_uppercase())
            } else {
                outlet(rng.below(40))
            }),
            authors,
        });
    }
    for j in &mut judges {
        for _ in 0..8 {
            j.declared_conflicts.push(1 + rng.below(2500) as i64);
        }
    }
    (entries, judges)
}

fn main() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let (entries, judges) = build(&mut rng);
    let conflicted = entries
        .iter()
        .flat_map(|e| judges.iter().map(move |j| (e, j)))
        .filter(|(e, j)| j.categories.contains(&e.category) && is_conflict(e, j))
        .count();
    println!("setup: {conflicted} conflicted (entry, sub-council judge) pairs of 30000");

    // Warm-up, then best of 5.
    let assignment = assign(&entries, &judges, 3, &[]);
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let a = assign(black_box(&entries), black_box(&judges), 3, &[]);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(a, assignment, "assignment is deterministic");
    }
    println!(
        "assign: 2500 entries x 60 judges, k=3: {best:.2} ms (best of 5); {} pairs, {} shortfalls, spread {:?}",
        assignment.pairs.len(),
        assignment.shortfalls.len(),
        load_spread(&assignment)
    );

    // Sheets: 4 criteria, marks 0-10.
    let criteria: Vec<Criterion> = [
        ("chu-de", 3),
        ("noi-dung", 4),
        ("hinh-thuc", 2),
        ("tac-dong", 1),
    ]
    .iter()
    .map(|&(k, w)| Criterion {
        key: k.to_string(),
        weight: w,
    })
    .collect();
    let sheets: Vec<ScoreSheet> = assignment
        .pairs
        .iter()
        .map(|&(entry, judge)| ScoreSheet {
            entry,
            judge,
            marks: criteria
                .iter()
                .map(|c| (c.key.clone(), 3 + rng.below(8) as u32))
                .collect(),
        })
        .collect();
    let categories: HashMap<i64, String> =
        entries.iter().map(|e| (e.id, e.category.clone())).collect();
    let submitted: HashMap<i64, i64> = entries
        .iter()
        .map(|e| (e.id, 1_700_000_000_000 + rng.below(86_400_000) as i64))
        .collect();
    let tiers: Vec<Tier> = [
        ("Đặc biệt", 1),
        ("A", 6),
        ("B", 12),
        ("C", 18),
        ("Khuyến khích", 30),
    ]
    .iter()
    .map(|&(n, q)| Tier {
        name: n.to_string(),
        quota: q,
        min_milli: None,
    })
    .collect();
    let per_cat: BTreeMap<String, Vec<Tier>> = CATEGORIES
        .iter()
        .map(|c| (c.to_string(), tiers.clone()))
        .collect();
    let rules = [
        TieRule::Median,
        TieRule::MaxSingle,
        TieRule::EarlierSubmission,
    ];

    let results = || {
        let scores = aggregate(black_box(&sheets), &criteria, 3.0);
        let inputs: Vec<RankInput> = scores
            .iter()
            .map(|s| RankInput::from_score(s, submitted[&s.entry]))
            .collect();
        let ranked = rank(&inputs, &rules);
        let overall = allocate(
            &ranked,
            &tiers,
            Overflow::CascadeDown,
            TiePolicy::CouncilDecides,
        );
        let by_cat = rank_per_category(&inputs, &categories, &rules).expect("categories");
        let flat: Vec<_> = by_cat.into_values().flatten().collect();
        let per = allocate_per_category(
            &flat,
            &categories,
            &per_cat,
            Overflow::CascadeDown,
            TiePolicy::CouncilDecides,
        )
        .expect("tiers");
        (scores.iter().filter(|s| s.flagged).count(), overall, per)
    };
    let first = results();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let r = results();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(r.1, first.1);
    }
    println!(
        "results: {} sheets -> aggregate, rank, allocate (overall + per category): {best:.2} ms (best of 5); {} flagged, {} overall awards, {} council ties",
        sheets.len(),
        first.0,
        first.1.awards.len(),
        first.1.ties_for_council.len()
    );
}
