//! The question bank of a contest.

use kehoach_contest::QuestionDraft;

use crate::audit::{self, Entry};
use crate::db::Db;

/// A question as stored; `options` is a JSON array of the option texts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRecord {
    pub id: i64,
    pub text: String,
    pub options: String,
    pub correct: i64,
    pub topic: String,
    pub difficulty: i64,
}

impl QuestionRecord {
    /// The option texts; a stored value that is not a list is a decode error.
    pub fn option_texts(&self) -> Result<Vec<String>, sqlx::Error> {
        serde_json::from_str(&self.options).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }
}

/// The questions of a contest, by topic.
pub async fn questions(db: &Db, contest: i64) -> Result<Vec<QuestionRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, text, options, correct, topic, difficulty FROM contest_questions \
         WHERE contest_id = $1 ORDER BY topic, id",
    )
    .bind(contest)
    .fetch_all(&db.pool)
    .await
}

/// The questions of a contest in id order, as the drawing of papers needs.
pub async fn bank(db: &Db, contest: i64) -> Result<Vec<QuestionRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, text, options, correct, topic, difficulty FROM contest_questions \
         WHERE contest_id = $1 ORDER BY id",
    )
    .bind(contest)
    .fetch_all(&db.pool)
    .await
}

/// Whether a round of the contest has opened by `now` (its questions are
/// then locked).
pub async fn any_round_opened(db: &Db, contest: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " AS n FROM contest_rounds WHERE contest_id = $1 AND opens_at <= $2"
    ))
    .bind(contest)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

pub fn options_json(q: &QuestionDraft) -> Result<String, sqlx::Error> {
    serde_json::to_string(&q.options).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Adds imported questions, all or nothing.
pub async fn import_questions(
    db: &Db,
    actor: i64,
    contest: i64,
    drafts: &[QuestionDraft],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for q in drafts {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contest_questions (contest_id, text, options, correct, topic, difficulty, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(contest)
        .bind(&q.text)
        .bind(options_json(q)?)
        .bind(i64::from(q.correct))
        .bind(&q.topic)
        .bind(i64::from(q.difficulty))
        .bind(crate::clock::now())
        .fetch_one(&mut *tx)
        .await?;
        audit::record::<(), _>(
            &mut tx,
            Entry::new(actor, "create", "contest_question", id),
            None,
            Some(q),
        )
        .await?;
    }
    tx.commit().await
}

pub async fn update_question(
    db: &Db,
    actor: i64,
    contest: i64,
    id: i64,
    q: &QuestionDraft,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE contest_questions SET text = $1, options = $2, correct = $3, topic = $4, difficulty = $5 \
         WHERE id = $6 AND contest_id = $7",
    )
    .bind(&q.text)
    .bind(options_json(q)?)
    .bind(i64::from(q.correct))
    .bind(&q.topic)
    .bind(i64::from(q.difficulty))
    .bind(id)
    .bind(contest)
    .execute(&mut *tx)
    .await?;
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, "update", "contest_question", id),
        None,
        Some(q),
    )
    .await?;
    tx.commit().await
}

/// Deletes a question; `text` is what the audit log keeps of it.
pub async fn delete_question(
    db: &Db,
    actor: i64,
    contest: i64,
    id: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM contest_questions WHERE id = $1 AND contest_id = $2")
        .bind(id)
        .bind(contest)
        .execute(&mut *tx)
        .await?;
    audit::record::<_, ()>(
        &mut tx,
        Entry::new(actor, "delete", "contest_question", id),
        Some(&text),
        None,
    )
    .await?;
    tx.commit().await
}
