//! Attempt policy, question drawing, option permutations and scoring.

use std::collections::{HashMap, HashSet};

use kehoach_contest::{
    AnswerKey, AttemptPolicy, DrawError, PolicyError, QuestionSet, derive_seed, draw,
    original_option, permutation, score,
};

#[test]
fn policy_allows() {
    let table: &[(AttemptPolicy, u32, bool)] = &[
        (AttemptPolicy::Unlimited, 0, true),
        (AttemptPolicy::Unlimited, u32::MAX, true),
        (AttemptPolicy::Once, 0, true),
        (AttemptPolicy::Once, 1, false),
        (AttemptPolicy::AtMost(3), 0, true),
        (AttemptPolicy::AtMost(3), 2, true),
        (AttemptPolicy::AtMost(3), 3, false),
        (AttemptPolicy::AtMost(3), 4, false),
    ];
    for &(policy, so_far, allowed) in table {
        assert_eq!(policy.allows(so_far), allowed, "{policy} after {so_far}");
    }
}

#[test]
fn policy_parses_and_prints() {
    let table: &[(&str, AttemptPolicy, &str)] = &[
        ("unlimited", AttemptPolicy::Unlimited, "unlimited"),
        ("once", AttemptPolicy::Once, "once"),
        ("at-most:3", AttemptPolicy::AtMost(3), "at-most:3"),
        (" At-Most: 12 ", AttemptPolicy::AtMost(12), "at-most:12"),
        ("ONCE", AttemptPolicy::Once, "once"),
    ];
    for &(text, policy, shown) in table {
        assert_eq!(text.parse::<AttemptPolicy>().unwrap(), policy, "{text}");
        assert_eq!(policy.to_string(), shown);
        assert_eq!(shown.parse::<AttemptPolicy>().unwrap(), policy);
    }
}

#[test]
fn policy_rejects_nonsense() {
    let table: &[(&str, PolicyError)] = &[
        ("", PolicyError::Unknown(String::new())),
        ("twice", PolicyError::Unknown("twice".into())),
        ("at-most", PolicyError::Unknown("at-most".into())),
        ("at-most:0", PolicyError::BadCount("0".into())),
        ("at-most:-1", PolicyError::BadCount("-1".into())),
        ("at-most:ba", PolicyError::BadCount("ba".into())),
        ("at-most:", PolicyError::BadCount(String::new())),
    ];
    for (text, error) in table {
        assert_eq!(text.parse::<AttemptPolicy>().unwrap_err(), *error, "{text}");
    }
    assert!(
        PolicyError::Unknown("x".into())
            .to_string()
            .starts_with("Quy định số lượt thi không hợp lệ")
    );
}

fn bank() -> Vec<(i64, &'static str)> {
    let mut bank = Vec::new();
    for id in 1..=10 {
        bank.push((id, "lịch sử"));
    }
    for id in 11..=15 {
        bank.push((id, "pháp luật"));
    }
    for id in 16..=17 {
        bank.push((id, "địa lý"));
    }
    bank
}

fn random(per_topic: &[(&str, u32)]) -> QuestionSet {
    QuestionSet::Random {
        per_topic: per_topic.iter().map(|&(t, n)| (t.to_owned(), n)).collect(),
    }
}

#[test]
fn random_draw_honours_topics() {
    let bank = bank();
    let topic_of: HashMap<i64, &str> = bank.iter().copied().collect();
    let set = random(&[("lịch sử", 4), ("pháp luật", 5), ("địa lý", 0)]);
    for seed in 0..50 {
        let paper = draw(&bank, &set, seed).unwrap();
        assert_eq!(paper.len(), 9);
        assert_eq!(paper.iter().collect::<HashSet<_>>().len(), 9, "no repeats");
        let count = |t| paper.iter().filter(|id| topic_of[id] == t).count();
        assert_eq!(count("lịch sử"), 4);
        assert_eq!(count("pháp luật"), 5);
        assert_eq!(count("địa lý"), 0);
    }
}

#[test]
fn random_draw_varies_with_the_seed_and_reaches_every_question() {
    let bank = bank();
    let set = random(&[("lịch sử", 2)]);
    let papers: HashSet<Vec<i64>> = (0..200).map(|s| draw(&bank, &set, s).unwrap()).collect();
    assert!(papers.len() > 50, "only {} distinct papers", papers.len());
    let seen: HashSet<i64> = papers.into_iter().flatten().collect();
    assert_eq!(seen, (1..=10).collect());
}

#[test]
fn draw_is_deterministic_and_ignores_bank_order() {
    let bank = bank();
    let mut reversed = bank.clone();
    reversed.reverse();
    let set = random(&[("lịch sử", 3), ("địa lý", 2)]);
    for seed in [0, 1, 42, u64::MAX] {
        let paper = draw(&bank, &set, seed).unwrap();
        assert_eq!(draw(&bank, &set, seed).unwrap(), paper);
        assert_eq!(draw(&reversed, &set, seed).unwrap(), paper);
    }
}

#[test]
fn fixed_set_is_shuffled_but_complete() {
    let bank = bank();
    let fixed = vec![3, 14, 16, 1, 7];
    let set = QuestionSet::Fixed(fixed.clone());
    let mut orders = HashSet::new();
    for seed in 0..30 {
        let paper = draw(&bank, &set, seed).unwrap();
        let mut sorted = paper.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![1, 3, 7, 14, 16]);
        assert_eq!(draw(&bank, &set, seed).unwrap(), paper);
        orders.insert(paper);
    }
    assert!(orders.len() > 1, "the order must depend on the seed");
    assert_eq!(
        draw(&bank, &QuestionSet::Fixed(vec![]), 1).unwrap(),
        Vec::<i64>::new()
    );
}

#[test]
fn draw_errors() {
    let bank = bank();
    let table: Vec<(QuestionSet, DrawError)> = vec![
        (
            random(&[("địa lý", 3)]),
            DrawError::NotEnoughQuestions {
                topic: "địa lý".into(),
                available: 2,
                requested: 3,
            },
        ),
        (
            random(&[("tin học", 1)]),
            DrawError::NotEnoughQuestions {
                topic: "tin học".into(),
                available: 0,
                requested: 1,
            },
        ),
        (
            random(&[("lịch sử", 1), ("lịch sử", 2)]),
            DrawError::DuplicateTopic("lịch sử".into()),
        ),
        (
            QuestionSet::Fixed(vec![1, 99]),
            DrawError::UnknownQuestion(99),
        ),
        (
            QuestionSet::Fixed(vec![1, 2, 1]),
            DrawError::DuplicateQuestion(1),
        ),
    ];
    for (set, error) in table {
        assert_eq!(draw(&bank, &set, 7).unwrap_err(), error, "{set:?}");
    }
    assert_eq!(
        DrawError::NotEnoughQuestions {
            topic: "địa lý".into(),
            available: 2,
            requested: 3
        }
        .to_string(),
        "Chủ đề “địa lý” chỉ có 2 câu hỏi, không đủ 3 câu cần rút"
    );
}

#[test]
fn permutations_are_permutations() {
    for n in 0..12 {
        for seed in 0..20 {
            let mut p = permutation(n, seed);
            assert_eq!(permutation(n, seed), p);
            p.sort_unstable();
            assert_eq!(p, (0..n).collect::<Vec<_>>());
        }
    }
    // All 24 orders of four options turn up.
    let orders: HashSet<Vec<usize>> = (0..500).map(|s| permutation(4, s)).collect();
    assert_eq!(orders.len(), 24);
}

#[test]
fn permutation_is_pinned() {
    // The stream is part of the contract: past attempts are replayed from
    // their seed. If this fails, what people were shown can no longer be
    // rebuilt. (Checked against an independent SplitMix64 + Fisher–Yates.)
    assert_eq!(permutation(6, 2024), vec![2, 5, 4, 1, 0, 3]);
}

#[test]
fn shown_options_map_back_to_the_original_order() {
    let perm = vec![2, 0, 3, 1];
    assert_eq!(original_option(&perm, 0), Some(2));
    assert_eq!(original_option(&perm, 3), Some(1));
    assert_eq!(original_option(&perm, 4), None);
    // Different labels give different streams.
    assert_ne!(derive_seed(1, 1), derive_seed(1, 2));
    assert_ne!(derive_seed(1, 1), derive_seed(2, 1));
    assert_eq!(derive_seed(9, 9), derive_seed(9, 9));
}

#[test]
fn scoring() {
    let key = AnswerKey::new(HashMap::from([(1, 0), (2, 3), (3, 1), (4, 2)]));
    assert_eq!(key.max_score(), 4);
    type Answers = &'static [(i64, Option<u8>)];
    let table: &[(Answers, u32)] = &[
        (&[], 0),
        (&[(1, Some(0)), (2, Some(3)), (3, Some(1)), (4, Some(2))], 4),
        (&[(1, Some(0)), (2, Some(2)), (3, None), (4, Some(2))], 2),
        // Not in the key: wrong, even if "option 0".
        (&[(99, Some(0)), (1, Some(0))], 1),
        // A repeated question counts once, by its first answer.
        (&[(1, Some(0)), (1, Some(0)), (1, Some(0))], 1),
        (&[(1, Some(1)), (1, Some(0))], 0),
    ];
    for &(answers, expected) in table {
        assert_eq!(score(&key, answers), expected, "{answers:?}");
    }
}

#[test]
fn scoring_through_a_shuffled_paper() {
    // The participant sees the options of question 7 in the order `perm`
    // and clicks the slot showing the correct original option.
    let key = AnswerKey::new(HashMap::from([(7, 2)]));
    let perm = permutation(4, derive_seed(12345, 7));
    let slot = perm.iter().position(|&o| o == 2).unwrap() as u8;
    let chosen = original_option(&perm, slot);
    assert_eq!(score(&key, &[(7, chosen)]), 1);
}
