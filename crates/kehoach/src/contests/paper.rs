//! Papers that cannot be empty: the paper specification is checked against
//! the bank when the office saves the settings and when it opens the
//! contest, and a start the bank cannot serve is refused with the office
//! told once (an in-app notice to every office account).

use std::sync::atomic::Ordering;

use kehoach_contest::{Bank, QuestionSet};

use super::Services;
use super::live::{Round, draw};
use super::repo;
use crate::db::Db;

/// Why the bank of `contest` cannot give a full paper of `set`, if so.
pub async fn problem(
    db: &Db,
    contest: i64,
    set: &QuestionSet,
) -> Result<Option<String>, sqlx::Error> {
    let rows = repo::bank(db, contest).await?;
    let pairs: Vec<(i64, &str)> = rows.iter().map(|q| (q.id, q.topic.as_str())).collect();
    Ok(draw(&Bank::new(&pairs), pairs.is_empty(), set, 0).err())
}

/// Why the contest's paper, or a round's own paper, cannot be drawn in
/// full from the bank, naming the round.
pub async fn contest_problem(
    db: &Db,
    contest: &super::ContestRow,
    rounds: &[repo::RoundRow],
) -> Result<Option<String>, sqlx::Error> {
    if let Some(p) = problem(db, contest.id, &contest.question_set).await? {
        return Ok(Some(p));
    }
    for r in rounds {
        if let Some(set) = &r.own.question_set
            && let Some(p) = problem(db, contest.id, set).await?
        {
            return Ok(Some(format!("vòng {}: {p}", r.number)));
        }
    }
    Ok(None)
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

/// One question of a sample paper: topic, text, options, the correct one.
pub struct Sample {
    pub topic: String,
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
}

#[derive(askama::Template)]
#[template(path = "contests/templates/preview.html")]
struct PreviewPage {
    ctx: crate::web::Ctx,
    contest: super::ContestRow,
    questions: Vec<Sample>,
    problem: Option<String>,
}

/// A sample paper drawn as a participant would get one (a fresh seed each
/// time), with the answers marked, for the office to read before opening.
pub async fn preview(
    state: Services,
    ctx: crate::web::Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> crate::error::AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    ctx.office()?;
    let contest = super::find_contest(&state, id).await?;
    let rows = repo::bank(&state.db, id).await?;
    let pairs: Vec<(i64, &str)> = rows.iter().map(|q| (q.id, q.topic.as_str())).collect();
    let set = &contest.settings.question_set;
    let drawn = draw(&Bank::new(&pairs), pairs.is_empty(), set, rand::random());
    let (questions, problem) = match drawn {
        Ok(ids) => {
            let mut out = Vec::with_capacity(ids.len());
            for qid in ids {
                if let Some(q) = rows.iter().find(|q| q.id == qid) {
                    out.push(Sample {
                        topic: q.topic.clone(),
                        text: q.text.clone(),
                        options: q.option_texts()?,
                        correct: q.correct as usize,
                    });
                }
            }
            (out, None)
        }
        Err(problem) => (Vec::new(), Some(problem)),
    };
    let page = PreviewPage {
        ctx,
        contest,
        questions,
        problem,
    };
    Ok(crate::web::render(&page)?.into_response())
}
