//! Sample data: the demo's contest, and data for the contest benchmarks: a contest with an open round, many
//! registered participants and started attempts, and the files a load
//! generator replays (participant tokens, submission bodies); and a closed
//! round filled with synthetic submissions for the ranking benchmark.
//! Rows go in with the same multi-row inserts the writer uses.

use std::io::Write;
use std::path::Path;

use rand::Rng;
use sqlx::Row;

use super::domain::ContestForm;
use super::token::{AttemptToken, ParticipantToken, Signer};
use super::writer::{Value, insert};
use crate::db::{Db, now};

const CHUNK: usize = 5_000;

async fn insert_all(db: &Db, head: &str, rows: Vec<Vec<Value>>) -> anyhow::Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(CHUNK * 4).collect();
        let mut tx = db.begin().await?;
        insert(&mut tx, db.engine, head, "", chunk).await?;
        tx.commit().await?;
    }
    Ok(())
}

async fn next_id(db: &Db, table: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&db.pool)
        .await?)
}

async fn insert_questions(
    db: &Db,
    contest: i64,
    drafts: &[kehoach_contest::QuestionDraft],
) -> anyhow::Result<()> {
    let rows = drafts
        .iter()
        .map(|q| {
            vec![
                Value::Int(contest),
                Value::Text(q.text.clone()),
                Value::Text(serde_json::to_string(&q.options).unwrap_or_default()),
                Value::Int(i64::from(q.correct)),
                Value::Text(q.topic.clone()),
                Value::Int(i64::from(q.difficulty)),
                Value::Int(now()),
            ]
        })
        .collect();
    insert_all(
        db,
        "INSERT INTO contest_questions (contest_id, text, options, correct, topic, difficulty, created_at) VALUES ",
        rows,
    )
    .await
}

/// An open contest with `questions` questions in one topic, ten per paper,
/// unlimited attempts, and one round open from an hour ago for a day.
pub async fn bench_contest(db: &Db, questions: usize) -> anyhow::Result<(i64, i64)> {
    let admin: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM users")
        .fetch_one(&db.pool)
        .await?;
    let form = ContestForm {
        title: "Cuộc thi đo tải".into(),
        question_set: "random:Chung=10".into(),
        time_limit_minutes: "60".into(),
        attempt_policy: "unlimited".into(),
        ranking_rules: "score,prediction,duration,submitted".into(),
        prediction: "participants".into(),
        min_age: "0".into(),
        required: vec!["phone".into()],
        round_quotas: "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3\nGiải Khuyến khích: 5".into(),
        collective_count: "3".into(),
        consent_text: "Đồng ý xử lý dữ liệu cá nhân để dự thi.".into(),
        retention_days: "365".into(),
        ..Default::default()
    };
    let settings = form.parse().map_err(|k| anyhow::anyhow!("{k}"))?;
    let contest = super::repo::save_contest(db, admin.unwrap_or(0), None, &settings).await?;
    sqlx::query("UPDATE contests SET status = 'open' WHERE id = $1")
        .bind(contest)
        .execute(&db.pool)
        .await?;
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
    let round: i64 = sqlx::query(
        "INSERT INTO contest_rounds (contest_id, number, title, opens_at, closes_at, status) \
         VALUES ($1, 1, '', $2, $3, 'scheduled') RETURNING id",
    )
    .bind(contest)
    .bind(now() - 3600)
    .bind(now() + 86_400)
    .fetch_one(&db.pool)
    .await?
    .get(0);
    Ok((contest, round))
}

/// Registers `count` participants; returns their ids.
async fn participants(db: &Db, contest: i64, count: usize) -> anyhow::Result<Vec<i64>> {
    let units: Vec<i64> = sqlx::query_scalar("SELECT id FROM units")
        .fetch_all(&db.pool)
        .await?;
    let first = next_id(db, "contest_participants").await?;
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
    insert_all(
        db,
        "INSERT INTO contest_participants (id, contest_id, full_name, birth_year, phone, id_number, unit_id, workplace, consent_at, created_at) VALUES ",
        rows,
    )
    .await?;
    Ok((first..first + count as i64).collect())
}

/// Started attempts as (id, participant, seed, started_ms).
async fn attempts(
    db: &Db,
    round: i64,
    people: &[i64],
    count: usize,
    started_ms: i64,
) -> anyhow::Result<Vec<(i64, i64, u64, i64)>> {
    let first = next_id(db, "contest_attempts").await?;
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
    insert_all(
        db,
        "INSERT INTO contest_attempts (id, round_id, participant_id, seed, started_ms) VALUES ",
        rows,
    )
    .await?;
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
    let list = attempts(db, round_id, &ids, started, super::now_ms()).await?;
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
    let round: i64 = sqlx::query(
        "INSERT INTO contest_rounds (contest_id, number, title, opens_at, closes_at, status) \
         VALUES ($1, 2, '', $2, $3, 'scheduled') RETURNING id",
    )
    .bind(contest)
    .bind(now() - 8 * 86_400)
    .bind(now() - 86_400)
    .fetch_one(&db.pool)
    .await?
    .get(0);
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
    insert_all(
        db,
        "INSERT INTO contest_submissions (attempt_id, round_id, participant_id, score, prediction, duration_ms, submitted_ms, answers, receipt) VALUES ",
        rows,
    )
    .await?;
    Ok((contest, round))
}

/// The demo's contest: the sample question bank, a first round that closed
/// yesterday and a second one open for a week, published to the public.
pub async fn demo_contest(db: &Db, admin: i64) -> anyhow::Result<i64> {
    const BANK: &[u8] = include_bytes!("../../../../fixtures/contests/cau-hoi-mau.csv");
    let form = ContestForm {
        title: "Cuộc thi trắc nghiệm tìm hiểu Nghị quyết Đại hội XIII của Đảng và cuộc bầu cử năm 2021".into(),
        description: "Mỗi tuần một vòng thi, 10 câu hỏi rút ngẫu nhiên, làm trong 15 phút.".into(),
        question_set: "random:Lịch sử Đảng=3;Nghị quyết Đại hội XIII=4;Bầu cử=3".into(),
        time_limit_minutes: "15".into(),
        attempt_policy: "at-most".into(),
        max_attempts: "3".into(),
        ranking_rules: "score,prediction,duration,submitted".into(),
        prediction: "participants".into(),
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
    let contest = super::repo::save_contest(db, admin, None, &settings).await?;
    let table = kehoach_office::read_table(BANK, 1 << 20, 1000)?;
    let mut rows = vec![table.header];
    rows.extend(table.rows.into_iter().map(|r| r.cells));
    let drafts =
        kehoach_contest::parse_rows(&rows).map_err(|e| anyhow::anyhow!("{}", e[0].message))?;
    insert_questions(db, contest, &drafts).await?;
    let day = 86_400;
    for (title, opens, closes) in [
        ("Tuần 1", now() - 8 * day, now() - day),
        ("Tuần 2", now() - day, now() + 6 * day),
    ] {
        let round = super::repo::NewRound {
            title: title.into(),
            opens_at: opens,
            closes_at: closes,
        };
        super::repo::add_round(db, admin, contest, &round).await?;
    }
    super::repo::set_status(db, admin, contest, "open").await?;
    Ok(contest)
}
