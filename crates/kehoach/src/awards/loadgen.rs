//! A national-scale edition for benchmarks: thousands of accepted entries
//! in five categories from a few dozen outlets, judges seated by category
//! who work at those same outlets (so assignment must avoid conflicts),
//! then timing of the preliminary round's opening (the assignment) and of
//! computing its results, through the same functions the pages call.

use kehoach_award::{Scale, ScoreSheet, to_milli, weighted};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::domain::default_form;
use super::repo::{self, synthetic};
use super::rounds::{ComputeRun, OpenRun, compute_results, open_round};
use super::states::EditionStatus;
use crate::clock::{now, now_ms};
use crate::db::Db;

pub struct SyntheticRun {
    pub open: OpenRun,
    pub open_ms: f64,
    pub results: ComputeRun,
    pub results_ms: f64,
}

const OUTLETS: usize = 40;

pub async fn synthetic(
    db: &Db,
    key: &kehoach_award::SealKey,
    entries: usize,
    judges: usize,
) -> anyhow::Result<SyntheticRun> {
    let mut rng = StdRng::seed_from_u64(2026);
    let mut tx = db.begin().await?;
    let admin = synthetic::bench_account(
        &mut tx,
        &format!("bench-{}", now_ms()),
        "Benchmark",
        "admin",
    )
    .await?;
    tx.commit().await?;
    let mut form = default_form(crate::web::dates::today());
    form.title = format!("Giải thử tải {entries} tác phẩm");
    form.per_author = "100".into();
    form.shortlist = "top:40".into();
    form.tiers =
        "Giải Đặc biệt: 1\nGiải A: 6\nGiải B: 12\nGiải C: 18\nGiải Khuyến khích: 30".into();
    let settings = form.parse().map_err(|k| anyhow::anyhow!(k))?;
    let edition = repo::save_edition(db, admin, None, &settings, None).await?;
    repo::set_status(db, admin, edition, EditionStatus::Judging).await?;
    let categories: Vec<String> = settings.categories.iter().map(|c| c.key.clone()).collect();

    // Entries, accepted, with one or two authors from a pool of journalists.
    let mut tx = db.begin().await?;
    for i in 0..entries {
        let category = &categories[i % categories.len()];
        let outlet = format!("Cơ quan báo chí số {}", rng.random_range(0..OUTLETS));
        let authors: Vec<String> = (0..rng.random_range(1..=2))
            .map(|_| format!("Phóng viên {}", rng.random_range(0..entries)))
            .collect();
        let entry = synthetic::BenchEntry {
            code: &format!("T-{i:05}"),
            category,
            title: &format!("Tác phẩm thử số {i}"),
            outlet: &outlet,
            published_on: &settings.rules.window_from,
            created_at: now() + i as i64,
            authors: &authors,
        };
        synthetic::bench_entry(&mut tx, edition, admin, &entry).await?;
    }
    // Judges: an equal share of each category, most working at one of the
    // entries' outlets, a few declaring conflicts with specific entries.
    for j in 0..judges {
        let name = format!("Phóng viên {}", rng.random_range(0..entries));
        let id = synthetic::bench_account(
            &mut tx,
            &format!("bench-judge-{edition}-{j}"),
            &name,
            "judge",
        )
        .await?;
        let outlet = if j % 5 == 4 {
            String::new()
        } else {
            format!("Cơ quan báo chí số {}", rng.random_range(0..OUTLETS))
        };
        let declared = if j % 3 == 0 { "1,2,3" } else { "" };
        synthetic::bench_seat(
            &mut tx,
            edition,
            id,
            &categories[j % categories.len()],
            &outlet,
            declared,
        )
        .await?;
    }
    tx.commit().await?;

    let edition_row = repo::edition(db, edition)
        .await?
        .ok_or_else(|| anyhow::anyhow!("edition vanished"))?;
    let round = repo::rounds(db, edition)
        .await?
        .into_iter()
        .find(|r| !r.is_final())
        .ok_or_else(|| anyhow::anyhow!("no preliminary round"))?;
    let started = std::time::Instant::now();
    let open = open_round(db, key, admin, &edition_row, &round)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;

    // Every judge scores every assigned entry (written directly: the
    // benchmark is about assignment and results, not about typing).
    let criteria = settings.criteria();
    let scale = Scale {
        min: 0,
        max: settings.scale_max,
    };
    let mut tx = db.begin().await?;
    for a in repo::assignments(db, round.id).await? {
        let (entry, judge) = (a.entry_id, a.judge_id);
        let marks: Vec<(String, u32)> = criteria
            .iter()
            .map(|c| (c.key.clone(), rng.random_range(scale.min..=scale.max)))
            .collect();
        let sheet = ScoreSheet {
            entry,
            judge,
            marks: marks.clone(),
        };
        let total = to_milli(weighted(&sheet, &criteria));
        synthetic::bench_score(&mut tx, round.id, entry, judge, &marks, total).await?;
    }
    tx.commit().await?;

    let started = std::time::Instant::now();
    let (_, results) = compute_results(db, admin, &edition_row, &round)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let results_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(SyntheticRun {
        open,
        open_ms,
        results,
        results_ms,
    })
}
