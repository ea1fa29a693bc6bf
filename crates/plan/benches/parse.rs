//! Times `parse_bytes` on the seed plan. Run with `cargo bench -p kehoach-plan`.

use std::time::{Duration, Instant};

const SEED: &[u8] = include_bytes!("../../../fixtures/plans/plan-2021.txt");
const WARMUP: usize = 200;
const ITERATIONS: usize = 2000;

fn main() {
    for _ in 0..WARMUP {
        std::hint::black_box(kehoach_plan::parse_bytes(std::hint::black_box(SEED)).ok());
    }
    let mut times: Vec<Duration> = (0..ITERATIONS)
        .map(|_| {
            let start = Instant::now();
            let plan = kehoach_plan::parse_bytes(std::hint::black_box(SEED));
            let elapsed = start.elapsed();
            std::hint::black_box(plan.ok());
            elapsed
        })
        .collect();
    times.sort_unstable();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let median = micros(times[ITERATIONS / 2]);
    let p95 = micros(times[ITERATIONS * 95 / 100]);
    println!(
        "parse_bytes(plan-2021.txt, {} bytes) over {ITERATIONS} runs: median {median:.1} µs, p95 {p95:.1} µs",
        SEED.len()
    );
}
