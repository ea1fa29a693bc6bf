//! Timing of the batch that runs when a round closes: a large provincial
//! contest sees about a million attempts from a few hundred thousand
//! people. Plain `Instant` timing keeps the dev-dependencies small; run with
//! `cargo bench -p kehoach-contest`.

use std::hint::black_box;
use std::time::Instant;

use kehoach_contest::{Attempt, Counted, RankingRules, counted_attempts, rank};

const ATTEMPTS: usize = 1_000_000;
const PARTICIPANTS: u64 = 300_000;
const RUNS: usize = 5;

/// SplitMix64, so the data is the same on every run without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn attempts(participants: u64, seed: u64) -> Vec<Attempt> {
    let mut rng = Rng(seed);
    (0..ATTEMPTS)
        .map(|i| {
            let r = rng.next();
            Attempt {
                id: i as i64 + 1,
                participant: (r % participants) as i64,
                // 20 questions: many exact score ties, as in real rounds.
                score: (rng.next() % 21) as u32,
                prediction: (r >> 60 != 0).then(|| (rng.next() % 400_000) as i64),
                duration_ms: 30_000 + rng.next() % 570_000,
                submitted_at_ms: 1_750_000_000_000 + (rng.next() % 604_800_000) as i64,
            }
        })
        .collect()
}

fn time<T>(label: &str, mut f: impl FnMut() -> T) {
    let mut ms: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "{label}: min {:.1} ms, median {:.1} ms, max {:.1} ms ({RUNS} runs)",
        ms[0],
        ms[RUNS / 2],
        ms[RUNS - 1]
    );
}

fn main() {
    let all = attempts(PARTICIPANTS, 1);
    let one_each = attempts(u64::MAX, 2);
    let rules: RankingRules = "score,prediction,duration,submitted".parse().unwrap();
    let truth = Some(200_000);

    time(
        "counted_attempts, 1,000,000 attempts / 300,000 participants",
        || counted_attempts(black_box(&all), Counted::BestThenFastest),
    );
    let counted = counted_attempts(&all, Counted::BestThenFastest);
    println!("  -> {} counted attempts", counted.len());
    time(&format!("rank {} counted attempts", counted.len()), || {
        rank(black_box(&counted), &rules, truth)
    });
    time("rank 1,000,000 attempts", || {
        rank(black_box(&one_each), &rules, truth)
    });
    time("counted_attempts + rank, 1,000,000 attempts", || {
        rank(
            &counted_attempts(black_box(&all), Counted::BestThenFastest),
            &rules,
            truth,
        )
    });
}
