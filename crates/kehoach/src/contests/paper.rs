//! Papers that cannot be empty: the paper specification is checked against
//! the bank when the office saves the settings and when it opens the
//! contest, and a start the bank cannot serve is refused with the office
//! told once (an in-app notice to every office account).

use std::sync::atomic::Ordering;

use kehoach_contest::{Bank, QuestionSet};

use super::Services;
use super::live::Round;
use super::repo;
use crate::db::Db;

/// Why the bank of `contest` cannot give a full paper of `set`, if so.
pub async fn problem(
    db: &Db,
    contest: i64,
    set: &QuestionSet,
) -> Result<Option<String>, sqlx::Error> {
    let rows = repo::bank(db, contest).await?;
    if rows.is_empty() {
        return Ok(Some("Ngân hàng câu hỏi chưa có câu hỏi nào".to_owned()));
    }
    let pairs: Vec<(i64, &str)> = rows.iter().map(|q| (q.id, q.topic.as_str())).collect();
    Ok(Bank::new(&pairs).draw(set, 0).err().map(|e| e.to_string()))
}

/// Tells every office account that a start was refused, once per loaded
/// round (a change by the office reloads it, and a new failure tells again).
pub async fn alert_office(state: &Services, round: &Round, problem: &str) {
    if round.alerted.swap(true, Ordering::Relaxed) {
        return;
    }
    let text = format!(
        "Cuộc thi “{}”, tuần {}: người dự thi không bắt đầu được vì không rút đủ đề ({problem}).",
        round.contest_title, round.number
    );
    let link = format!("/contests/{}", round.contest_id);
    if let Err(e) = repo::notify_office(&state.db, &text, &link).await {
        tracing::error!(error = ?e, "alerting the office failed");
    }
}
