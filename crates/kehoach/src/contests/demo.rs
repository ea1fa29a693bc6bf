//! The demo's staged contest: two weekly rounds already played and ranked,
//! the five best chosen for an online final that is open now, so that a
//! newcomer sees qualification, finalists and the final at work.

use rand::Rng;

use super::domain::ContestForm;
use super::finals::qualify_batch;
use super::loadgen::{attempts, insert_all, participants, round, sample_bank};
use super::ranking::rank_round_batch;
use super::repo::{self, Bulk, NewRound};
use super::states::{ContestStatus, RoundStage};
use crate::clock::now;
use crate::db::Db;
use crate::db::batch::Value;

/// Participants of the demo's weekly rounds; "Người dự thi 1" to "5"
/// (phones 0300000000 to 0300000004, born 1960 to 1964) reach the final.
const PEOPLE: usize = 20;

pub async fn demo_final_contest(db: &Db, admin: i64) -> anyhow::Result<i64> {
    let form = ContestForm {
        title: "Hội thi tìm hiểu lịch sử Đảng bộ tỉnh (có vòng chung kết)".into(),
        description: "Hai tuần thi trắc nghiệm; năm người có tổng kết quả tốt nhất vào chung kết \
             trực tuyến."
            .into(),
        question_set: "random:Lịch sử Đảng=3;Nghị quyết Đại hội XIII=4;Bầu cử=3".into(),
        time_limit_minutes: "15".into(),
        attempt_policy: "at-most".into(),
        max_attempts: "2".into(),
        counted_attempt: "best-fastest".into(),
        ranking_rules: "score,duration,prediction".into(),
        tie_policy: "decide".into(),
        min_prize_score: "0".into(),
        qualify_by: "sum".into(),
        finalists: "5".into(),
        prediction: "participants".into(),
        min_age: "0".into(),
        required: vec!["birth_year".into(), "phone".into(), "locality".into()],
        round_quotas: "Giải Nhất: 1\nGiải Nhì: 1".into(),
        overall_quotas: "Giải Nhất: 1\nGiải Nhì: 1\nGiải Ba: 1".into(),
        collective_count: "3".into(),
        consent_text: "Ban Tổ chức xử lý họ tên, năm sinh, số điện thoại và địa phương của bạn \
             chỉ để xác định người dự thi, chấm và trao giải (Nghị định 13/2023/NĐ-CP)."
            .into(),
        retention_days: "365".into(),
        ..Default::default()
    };
    let settings = form.parse().map_err(|k| anyhow::anyhow!("{k}"))?;
    let contest = repo::save_contest(db, admin, None, &settings).await?;
    sample_bank(db, contest).await?;
    let day = 86_400;
    let people = participants(db, contest, PEOPLE).await?;
    let mut rng = rand::rng();
    for (number, start) in [(1, now() - 15 * day), (2, now() - 8 * day)] {
        let id = round(db, contest, number, start, start + 7 * day).await?;
        let list = attempts(db, id, &people, PEOPLE, start * 1000 + 3_600_000).await?;
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, &(attempt, p, _, at))| {
                // The first five lead clearly; the rest spread below.
                let score = if i < 5 {
                    10 - i as i64 / 2
                } else {
                    rng.random_range(2..8)
                };
                let duration = 120_000 + i as i64 * 7_000;
                vec![
                    Value::Int(attempt),
                    Value::Int(id),
                    Value::Int(p),
                    Value::Int(score),
                    Value::OptInt(Some(rng.random_range(10..40))),
                    Value::Int(duration),
                    Value::Int(at + duration),
                    Value::Text(String::new()),
                    Value::Text(format!("DEMO-{number}{i:03}")),
                ]
            })
            .collect();
        insert_all(db, Bulk::Submissions, rows).await?;
    }
    let row = repo::contest(db, contest)
        .await?
        .ok_or_else(|| anyhow::anyhow!("contest"))?;
    for r in repo::rounds(db, contest).await? {
        rank_round_batch(db, Some(admin), &row, &r).await?;
    }
    qualify_batch(db, admin, &row).await?;
    let final_round = NewRound {
        title: "Chung kết".into(),
        opens_at: now() - 3600,
        closes_at: now() + 7 * day,
        stage: RoundStage::FinalOnline,
        own: Default::default(),
    };
    repo::add_rounds(db, admin, contest, &[final_round]).await?;
    repo::set_status(db, admin, contest, ContestStatus::Open).await?;
    Ok(contest)
}
