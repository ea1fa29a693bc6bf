//! Property tests of prize allocation.

use std::collections::HashMap;

use kehoach_award::{Overflow, RankInput, TiePolicy, Tier, allocate, rank};
use proptest::prelude::*;

fn policy() -> impl Strategy<Value = TiePolicy> {
    prop_oneof![
        Just(TiePolicy::Exclude),
        Just(TiePolicy::Include),
        Just(TiePolicy::CouncilDecides)
    ]
}

fn overflow() -> impl Strategy<Value = Overflow> {
    prop_oneof![Just(Overflow::Drop), Just(Overflow::CascadeDown)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn quotas_and_rank_order(
        // Few distinct means, so ties are common.
        means in prop::collection::vec(0u32..6, 0..25),
        quotas in prop::collection::vec(0u32..5, 0..5),
        overflow in overflow(),
        policy in policy(),
    ) {
        let inputs: Vec<RankInput> = means
            .iter()
            .enumerate()
            .map(|(i, &m)| RankInput {
                entry: i as i64 + 1,
                mean: f64::from(m),
                median: f64::from(m),
                max_single: f64::from(m),
                submitted_at_ms: 0,
            })
            .collect();
        let ranked = rank(&inputs, &[]);
        let tiers: Vec<Tier> = quotas
            .iter()
            .enumerate()
            .map(|(i, &q)| Tier { name: format!("T{i}"), quota: q, min_milli: None })
            .collect();
        let a = allocate(&ranked, &tiers, overflow, policy);
        prop_assert_eq!(&a, &allocate(&ranked, &tiers, overflow, policy));

        let tier_idx = |name: &str| tiers.iter().position(|t| t.name == name).unwrap();
        let got: HashMap<i64, usize> = a.awards.iter().map(|(e, t)| (*e, tier_idx(t))).collect();
        // One award per entry at most.
        prop_assert_eq!(got.len(), a.awards.len());

        let count = |i: usize| a.awards.iter().filter(|(_, t)| tier_idx(t) == i).count() as u32;
        let exceeded = |i: usize| a.exceeded.iter().filter(|(t, _)| tier_idx(t) == i).map(|x| x.1).sum::<u32>();
        if policy != TiePolicy::Include {
            prop_assert!(a.exceeded.is_empty());
        }
        if policy != TiePolicy::CouncilDecides {
            prop_assert!(a.ties_for_council.is_empty());
        }
        // Quotas hold, except for what Include reports as exceeded.
        let (mut cum_count, mut cum_quota) = (0u32, 0u32);
        for (i, t) in tiers.iter().enumerate() {
            cum_count += count(i);
            cum_quota += t.quota + exceeded(i);
            match overflow {
                Overflow::Drop => prop_assert!(count(i) <= t.quota + exceeded(i)),
                // Carried slots are the tiers above's quota.
                Overflow::CascadeDown => prop_assert!(cum_count <= cum_quota),
            }
        }
        // Every slot is awarded, reported unfilled, or exceeded.
        let unfilled: u32 = a.unfilled.iter().map(|x| x.1).sum();
        let exceeded_all: u32 = a.exceeded.iter().map(|x| x.1).sum();
        let quota_all: u32 = quotas.iter().sum();
        prop_assert_eq!(a.awards.len() as u32 + unfilled, quota_all + exceeded_all);

        // Rank order: a better position never gets a worse tier or nothing
        // while a worse position gets something.
        let pos: HashMap<i64, usize> = ranked.iter().map(|r| (r.entry, r.position)).collect();
        for x in &ranked {
            for y in &ranked {
                if x.position < y.position && let Some(&ty) = got.get(&y.entry) {
                    let tx = got.get(&x.entry);
                    prop_assert!(tx.is_some_and(|&tx| tx <= ty), "{} before {}", x.entry, y.entry);
                }
            }
        }
        // The awards list runs in tier order, then rank order.
        for w in a.awards.windows(2) {
            let (ta, tb) = (tier_idx(&w[0].1), tier_idx(&w[1].1));
            prop_assert!(ta < tb || (ta == tb && pos[&w[0].0] <= pos[&w[1].0]));
        }
        // Exact ties are never split, except for the council to decide.
        for x in &ranked {
            for y in &ranked {
                if x.position == y.position && got.get(&x.entry) != got.get(&y.entry) {
                    prop_assert_eq!(policy, TiePolicy::CouncilDecides);
                    prop_assert!(a.ties_for_council.iter().any(|g| g.contains(&x.entry) && g.contains(&y.entry)));
                }
            }
        }
    }
}
