//! Sample data: the demo's contest, and data for the contest benchmarks: a contest with an open round, many
//! registered participants and started attempts, and the files a load
//! generator replays (participant tokens, submission bodies); and a closed
//! round filled with synthetic submissions for the ranking benchmark.
//! Rows go in with the same multi-row inserts the writer uses.

use std::io::Write;
use std::path::Path;

use rand::Rng;

use super::domain::ContestForm;
use super::repo::{self, Bulk, NewRound};
use super::states::{ContestStatus, PolicyChoice, PredictionSetting};
use super::token::{AttemptToken, ParticipantToken, Signer};
use crate::clock::now;
use crate::db::Db;
use crate::db::batch::Value;

const CHUNK: usize = 5_000;

pub(super) async fn insert_all(db: &Db, into: Bulk, rows: Vec<Vec<Value>>) -> anyhow::Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(CHUNK * 4).collect();
        let mut tx = db.begin().await?;
        repo::insert_bulk(&mut tx, db.engine, into, chunk).await?;
        tx.commit().await?;
    }
    Ok(())
}

pub(super) async fn insert_questions(
    db: &Db,
    contest: i64,
    drafts: &[kehoach_contest::QuestionDraft],
) -> anyhow::Result<()> {
    let rows = drafts
        .iter()
        .map(|q| {
            Ok(vec![
                Value::Int(contest),
                Value::Text(q.text.clone()),
                Value::Text(repo::options_json(q)?),
                Value::Int(i64::from(q.correct)),
                Value::Text(q.topic.clone()),
                Value::Int(i64::from(q.difficulty)),
                Value::Int(now()),
            ])
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    insert_all(db, Bulk::Questions, rows).await
}

/// A closed or open round numbered by the caller, unaudited.
pub(super) async fn round(
    db: &Db,
    contest: i64,
    number: i64,
    opens: i64,
    closes: i64,
) -> anyhow::Result<i64> {
    let r = NewRound {
        stage: super::states::RoundStage::Weekly,
        own: Default::default(),
        title: String::new(),
        opens_at: opens,
        closes_at: closes,
    };
    Ok(repo::insert_round(&db.pool, contest, number, &r).await?)
}

/// An open contest with `questions` questions in one topic, ten per paper,
/// unlimited attempts, and one round open from an hour ago for a day.
pub async fn bench_contest(db: &Db, questions: usize) -> anyhow::Result<(i64, i64)> {
    let admin = repo::first_user(db).await?;
    let form = ContestForm {
        title: "Cuộc thi đo tải".into(),
        question_set: "random:Chung=10".into(),
        time_limit_minutes: "60".into(),
        attempt_policy: PolicyChoice::Unlimited.as_str().into(),
        counted_attempt: "best-earliest".into(),
        ranking_rules: "score,prediction,duration,submitted".into(),
        tie_policy: "decide".into(),
        min_prize_score: "0".into(),
        qualify_by: "sum".into(),
        finalists: "0".into(),
        prediction: PredictionSetting::Participants.as_str().into(),
        min_age: "0".into(),
        required: vec!["phone".into()],
        round_quotas: "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3\nGiải Khuyến khích: 5".into(),
        collective_count: "3".into(),
        consent_text: "Đồng ý xử lý dữ liệu cá nhân để dự thi.".into(),
        retention_days: "365".into(),
        ..Default::default()
    };
    let settings = form.parse().map_err(|k| anyhow::anyhow!("{k}"))?;
    let contest = repo::save_contest(db, admin.unwrap_or(0), None, &settings).await?;
    repo::open_unaudited(db, contest).await?;
    let mut rng = rand::rng();
    let drafts: Vec<kehoach_contest::QuestionDraft> = (0..questions)
        .map(|i| kehoach_contest::QuestionDraft {
            text: format!("Câu hỏi đo tải số {}?", i + 1),
            options: ["A", "B", "C", "D"]
                .map(|o| format!("Phương án {o}"))
                .to_vec(),
            correct: rng.random_range(0..4),
            topic: "Chung".into(),
            difficulty: 1,
        })
        .collect();
    insert_questions(db, contest, &drafts).await?;
    let round = round(db, contest, 1, now() - 3600, now() + 86_400).await?;
    Ok((contest, round))
}

/// Registers `count` participants; returns their ids.
pub(super) async fn participants(db: &Db, contest: i64, count: usize) -> anyhow::Result<Vec<i64>> {
    let units: Vec<i64> = repo::localities(db, &[])
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let first = repo::next_participant_id(&mut *db.pool.acquire().await?).await?;
    let mut rng = rand::rng();
    let rows = (0..count)
        .map(|i| {
            let unit = (!units.is_empty()).then(|| units[rng.random_range(0..units.len())]);
            vec![
                Value::Int(first + i as i64),
                Value::Int(contest),
                Value::Text(format!("Người dự thi {}", i + 1)),
                Value::OptInt(Some(1960 + (i % 45) as i64)),
                Value::OptText(Some(format!("03{:08}", i))),
                Value::OptText(None),
                Value::OptInt(unit),
                Value::Text(String::new()),
                Value::Int(now()),
                Value::Int(now()),
            ]
        })
        .collect();
    insert_all(db, Bulk::Participants, rows).await?;
    Ok((first..first + count as i64).collect())
}

/// Started attempts as (id, participant, seed, started_ms).
pub(super) async fn attempts(
    db: &Db,
    round: i64,
    people: &[i64],
    count: usize,
    started_ms: i64,
) -> anyhow::Result<Vec<(i64, i64, u64, i64)>> {
    let first = repo::next_attempt_id(&mut *db.pool.acquire().await?).await?;
    let mut rng = rand::rng();
    let list: Vec<(i64, i64, u64, i64)> = (0..count)
        .map(|i| {
            (
                first + i as i64,
                people[i % people.len()],
                rng.random::<u64>(),
                started_ms,
            )
        })
        .collect();
    let rows = list
        .iter()
        .map(|&(id, p, seed, at)| {
            vec![
                Value::Int(id),
                Value::Int(round),
                Value::Int(p),
                Value::Int(seed as i64),
                Value::Int(at),
            ]
        })
        .collect();
    insert_all(db, Bulk::Attempts, rows).await?;
    Ok(list)
}

pub struct LoadFiles {
    pub contest: i64,
    pub round: i64,
}

/// The benchmark's contest, participants and started attempts, and two
/// files in `out`: `participants.txt` (a token per line) and `submit.txt`
/// (a form body per line, each for a different attempt, with answers).
pub async fn load_test_data(
    db: &Db,
    signer: &Signer,
    people: usize,
    started: usize,
    out: &Path,
) -> anyhow::Result<LoadFiles> {
    let (contest, round_id) = bench_contest(db, 200).await?;
    let ids = participants(db, contest, people.max(1)).await?;
    std::fs::create_dir_all(out)?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("participants.txt"))?);
    for &p in &ids {
        writeln!(
            f,
            "{}",
            signer.participant(ParticipantToken {
                contest,
                participant: p
            })
        )?;
    }
    f.flush()?;
    let live = super::live::Live::default();
    let round = live
        .round(db, round_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("round"))?;
    let list = attempts(db, round_id, &ids, started, crate::clock::now_ms()).await?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("submit.txt"))?);
    let mut rng = rand::rng();
    for (id, p, seed, at) in list {
        let token = signer.attempt(AttemptToken {
            attempt: id,
            round: round_id,
            participant: p,
            started_ms: at,
            seed,
        });
        let answers: Vec<String> = round
            .paper_ids(seed)
            .iter()
            .map(|q| format!("{q}:{}", rng.random_range(0..4)))
            .collect();
        writeln!(
            f,
            "token={token}&answers={}&prediction={}",
            answers.join("%2C").replace(':', "%3A"),
            rng.random_range(1000..100_000)
        )?;
    }
    f.flush()?;
    Ok(LoadFiles {
        contest,
        round: round_id,
    })
}

/// A closed round with `submissions` synthetic submissions from `people`
/// participants (scores 0–10, durations up to 15 minutes); returns the
/// contest and round for `kehoach contest rank`.
pub async fn synthetic_round(
    db: &Db,
    submissions: usize,
    people: usize,
) -> anyhow::Result<(i64, i64)> {
    let (contest, _) = bench_contest(db, 20).await?;
    let round = round(db, contest, 2, now() - 8 * 86_400, now() - 86_400).await?;
    let ids = participants(db, contest, people.max(1)).await?;
    let start = (now() - 7 * 86_400) * 1000;
    let list = attempts(db, round, &ids, submissions, start).await?;
    let mut rng = rand::rng();
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, &(id, p, _, at))| {
            let duration = rng.random_range(30_000..900_000);
            vec![
                Value::Int(id),
                Value::Int(round),
                Value::Int(p),
                Value::Int(rng.random_range(0..=10)),
                Value::OptInt(Some(rng.random_range(1000..1_000_000))),
                Value::Int(duration),
                Value::Int(at + duration + i as i64),
                Value::Text(String::new()),
                Value::Text(String::new()),
            ]
        })
        .collect();
    insert_all(db, Bulk::Submissions, rows).await?;
    Ok((contest, round))
}

/// The sample question bank (the test fixture) into `contest`.
pub(super) async fn sample_bank(db: &Db, contest: i64) -> anyhow::Result<()> {
    const BANK: &[u8] = include_bytes!("../../../../fixtures/contests/cau-hoi-mau.csv");
    let table = kehoach_office::read_table(BANK, 1 << 20, 1000)?;
    let mut rows = vec![table.header];
    rows.extend(table.rows.into_iter().map(|r| r.cells));
    let drafts =
        kehoach_contest::parse_rows(&rows).map_err(|e| anyhow::anyhow!("{}", e[0].message))?;
    insert_questions(db, contest, &drafts).await
}

/// The demo's contest: the sample question bank, a first round that closed
/// yesterday and a second one open for a week, published to the public.
pub async fn demo_contest(db: &Db, admin: i64) -> anyhow::Result<i64> {
    let form = ContestForm {
        title: "Cuộc thi trắc nghiệm tìm hiểu Nghị quyết Đại hội XIII của Đảng và cuộc bầu cử năm 2021".into(),
        description: "Mỗi tuần một vòng thi, 10 câu hỏi rút ngẫu nhiên, làm trong 15 phút.".into(),
        question_set: "random:Lịch sử Đảng=3;Nghị quyết Đại hội XIII=4;Bầu cử=3".into(),
        time_limit_minutes: "15".into(),
        attempt_policy: PolicyChoice::AtMost.as_str().into(),
        max_attempts: "3".into(),
        // The province's 2021 rules: correct answers, then the shortest
        // time, then the closest prediction; the best result counts.
        counted_attempt: "best-fastest".into(),
        ranking_rules: "score,duration,prediction".into(),
        tie_policy: "decide".into(),
        min_prize_score: "0".into(),
        qualify_by: "sum".into(),
        finalists: "0".into(),
        prediction: PredictionSetting::Participants.as_str().into(),
        min_age: "0".into(),
        required: vec!["birth_year".into(), "phone".into(), "locality".into()],
        round_quotas: "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3\nGiải Khuyến khích: 5".into(),
        overall_quotas: "Giải Nhất chung cuộc: 1\nGiải Nhì chung cuộc: 2".into(),
        collective_count: "3".into(),
        consent_text: "Ban Tổ chức xử lý họ tên, năm sinh, số điện thoại và địa phương của bạn chỉ để \
             xác định người dự thi, chấm và trao giải, và công bố kết quả (số điện thoại được che). \
             Dữ liệu được xóa khi hết thời hạn lưu; bạn có quyền đề nghị xem, sửa hoặc xóa dữ liệu \
             của mình (Nghị định 13/2023/NĐ-CP)."
            .into(),
        retention_days: "365".into(),
        ..Default::default()
    };
    let settings = form.parse().map_err(|k| anyhow::anyhow!("{k}"))?;
    let contest = repo::save_contest(db, admin, None, &settings).await?;
    sample_bank(db, contest).await?;
    let day = 86_400;
    let rounds = [
        ("Tuần 1", now() - 8 * day, now() - day),
        ("Tuần 2", now() - day, now() + 6 * day),
    ]
    .map(|(title, opens, closes)| NewRound {
        title: title.into(),
        opens_at: opens,
        closes_at: closes,
        stage: super::states::RoundStage::Weekly,
        own: Default::default(),
    });
    repo::add_rounds(db, admin, contest, &rounds).await?;
    repo::set_status(db, admin, contest, ContestStatus::Open).await?;
    Ok(contest)
}
