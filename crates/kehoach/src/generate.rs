//! `kehoach demo generate`: a province-scale dataset for load tests and
//! demonstrations — units, published plans, quarterly periods, and a large
//! number of activities with their themes, channels and search words.
//! Deterministic: the same counts always give the same data.

use std::time::Instant;

use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::batch::{self, Value};
use crate::db::{Db, Engine, Tx};
use crate::tracking::domain::ActivityKind;
use crate::units::repo::{self as units, NewUnit};

pub struct Scale {
    pub units: i64,
    pub plans: i64,
    pub activities: i64,
    pub periods: i64,
}

/// xorshift64*: small, fast and reproducible; not for secrets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TITLES: [&str; 8] = [
    "Tuyên truyền Nghị quyết Đại hội XIII của Đảng",
    "Chuyên mục xây dựng Đảng, xây dựng hệ thống chính trị",
    "Bảo vệ nền tảng tư tưởng của Đảng",
    "Gương cán bộ, đảng viên tiêu biểu",
    "Bầu cử đại biểu Quốc hội và Hội đồng nhân dân",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Phòng, chống tham nhũng, tiêu cực",
    "Nâng cao chất lượng tổ chức cơ sở đảng",
];

pub async fn run(db: &Db, scale: &Scale) -> anyhow::Result<()> {
    let started = Instant::now();
    crate::demo::load(db).await?;
    grow_units(db, scale.units).await?;
    let plan_ids = grow_plans(db, scale.plans).await?;
    for &plan in &plan_ids {
        grow_periods(db, plan, scale.periods).await?;
    }
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) AS n FROM activities")
        .fetch_one(&db.pool)
        .await?;
    let per_plan = (scale.activities - have).max(0) / plan_ids.len().max(1) as i64;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for &plan in &plan_ids {
        activities(db, plan, per_plan, &mut rng).await?;
    }
    let mut tx = db.begin().await?;
    audit::record::<(), _>(
        &mut tx,
        Entry::new(None::<i64>, "generate", "demo", None::<i64>),
        None,
        Some(&serde_json::json!({"units": scale.units, "plans": scale.plans, "activities": scale.activities})),
    )
    .await?;
    tx.commit().await?;
    println!(
        "Đã tạo dữ liệu thử trong {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn grow_units(db: &Db, target: i64) -> anyhow::Result<()> {
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) AS n FROM units")
        .fetch_one(&db.pool)
        .await?;
    let mut tx = db.begin().await?;
    let group = units::upsert_group(&mut tx, None, "Các đảng ủy xã, phường, thị trấn").await?;
    for i in have..target {
        let unit = NewUnit {
            name: format!("Đảng ủy xã thử nghiệm số {}", i + 1),
            short_name: None,
            parent_id: None,
            aliases: vec![],
        };
        let id = units::upsert_unit(&mut tx, None, &unit).await?;
        units::add_group_member(&mut tx, group, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn grow_plans(db: &Db, target: i64) -> anyhow::Result<Vec<i64>> {
    loop {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM plans ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
        if ids.len() as i64 >= target {
            return Ok(ids.into_iter().take(target as usize).collect());
        }
        let id =
            crate::plans::import_bytes(db, None, "plan-2021.txt", crate::demo::SEED_PLAN).await?;
        crate::plans::repo::publish(db, None, id).await?;
    }
}

async fn grow_periods(db: &Db, plan: i64, target: i64) -> anyhow::Result<()> {
    let have = crate::tracking::repo::periods(db, plan).await?.len() as i64;
    let quarters = [
        ("Quý I năm 2021", "01/01/2021", "31/03/2021", "05/04/2021"),
        ("Quý II năm 2021", "01/04/2021", "30/06/2021", "05/07/2021"),
        ("Quý III năm 2021", "01/07/2021", "30/09/2021", "05/10/2021"),
        ("Quý IV năm 2021", "01/10/2021", "31/12/2021", "05/01/2022"),
    ];
    for (name, from, to, due) in quarters
        .iter()
        .skip(have as usize)
        .take((target - have).max(0) as usize)
    {
        let p = crate::tracking::domain::NewPeriod::parse("quarterly", name, from, to, due)
            .map_err(|k| anyhow::anyhow!(k))?;
        crate::tracking::repo::insert_period(db, None, plan, &p).await?;
    }
    Ok(())
}

async fn ids(db: &Db, sql: &'static str, plan: i64) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar(sql)
        .bind(plan)
        .fetch_all(&db.pool)
        .await?)
}

const BATCH: usize = 400;

async fn activities(db: &Db, plan: i64, n: i64, rng: &mut Rng) -> anyhow::Result<()> {
    let unit_ids = ids(
        db,
        "SELECT DISTINCT a.unit_id FROM assignments a JOIN duties d ON d.id = a.duty_id WHERE d.plan_id = $1",
        plan,
    )
    .await?;
    let themes = ids(db, "SELECT id FROM themes WHERE plan_id = $1", plan).await?;
    let channels = ids(db, "SELECT id FROM channels WHERE plan_id = $1", plan).await?;
    let mut done = 0;
    while done < n {
        let count = (n - done).min(BATCH as i64 * 25) as usize;
        let mut tx = db.begin().await?;
        let mut left = count;
        while left > 0 {
            let size = left.min(BATCH);
            write_rows(
                &mut tx,
                db.engine,
                plan,
                size,
                &unit_ids,
                &themes,
                &channels,
                rng,
                done as usize + count - left,
            )
            .await?;
            left -= size;
        }
        tx.commit().await?;
        done += count as i64;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn write_rows(
    tx: &mut Tx,
    engine: Engine,
    plan: i64,
    size: usize,
    unit_ids: &[i64],
    themes: &[i64],
    channels: &[i64],
    rng: &mut Rng,
    offset: usize,
) -> anyhow::Result<()> {
    struct Row {
        unit: i64,
        kind: &'static str,
        title: String,
        date: String,
        channel: Option<i64>,
        n: [i64; 3],
        themes: Vec<i64>,
    }
    let rows: Vec<Row> = (0..size)
        .map(|i| {
            let day = rng.below(365) as i64;
            let date = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid")
                + chrono::Days::new(day as u64);
            let mut ts = vec![themes[rng.below(themes.len())]];
            if rng.below(2) == 0 {
                ts.push(themes[rng.below(themes.len())]);
            }
            ts.dedup();
            Row {
                unit: unit_ids[rng.below(unit_ids.len())],
                kind: ActivityKind::ALL[rng.below(ActivityKind::ALL.len())].as_str(),
                title: format!(
                    "{} (số {})",
                    TITLES[rng.below(TITLES.len())],
                    offset + i + 1
                ),
                date: date.format("%Y-%m-%d").to_string(),
                channel: (rng.below(4) != 0).then(|| channels[rng.below(channels.len())]),
                n: [
                    1 + rng.below(5) as i64,
                    rng.below(200) as i64,
                    rng.below(50_000) as i64,
                ],
                themes: ts,
            }
        })
        .collect();
    let at = now();
    let values = rows
        .iter()
        .map(|r| {
            vec![
                Value::Int(plan),
                Value::Int(r.unit),
                Value::OptInt(r.channel),
                Value::Text(r.kind.to_owned()),
                Value::Text(r.title.clone()),
                Value::Text(kehoach_plan::fold(&r.title)),
                Value::Text(r.date.clone()),
                Value::Int(r.n[0]),
                Value::Int(r.n[1]),
                Value::Int(r.n[2]),
                Value::Int(at),
                Value::Int(at),
                Value::OptInt(None),
                Value::OptText(None),
            ]
        })
        .collect();
    let ids = batch::insert_returning_ids(
        tx,
        engine,
        "INSERT INTO activities (plan_id, unit_id, channel_id, kind, title, folded_title, \
         date_from, items, participants, reach, created_at, updated_at, duty_id, link) VALUES ",
        values,
    )
    .await?;
    let mut themes = Vec::new();
    let mut words = Vec::new();
    for (&id, r) in ids.iter().zip(&rows) {
        themes.extend(
            r.themes
                .iter()
                .map(|&t| vec![Value::Int(id), Value::Int(t)]),
        );
        words.extend(
            crate::search::words(&r.title)
                .into_iter()
                .map(|w| vec![Value::Text(w), Value::Int(id)]),
        );
    }
    batch::insert(
        tx,
        engine,
        "INSERT INTO activity_themes (activity_id, theme_id) VALUES ",
        "",
        themes,
    )
    .await?;
    batch::insert(
        tx,
        engine,
        "INSERT INTO activity_words (word, activity_id) VALUES ",
        "",
        words,
    )
    .await?;
    Ok(())
}
