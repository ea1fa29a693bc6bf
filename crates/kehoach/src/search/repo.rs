//! Search queries: the plans and duties folded in memory, and the walk down
//! the activities' word index.

use crate::db::Db;
use crate::plans::states::PlanStatus;
use crate::web::SessionUser;

#[derive(sqlx::FromRow)]
pub struct PlanText {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub status: PlanStatus,
}

pub async fn plans(db: &Db) -> Result<Vec<PlanText>, sqlx::Error> {
    sqlx::query_as::<_, PlanText>("SELECT id, kind, title, status FROM plans")
        .fetch_all(&db.pool)
        .await
}

/// A duty with one unit it is handed to (none while unassigned).
#[derive(sqlx::FromRow)]
pub struct DutyText {
    pub id: i64,
    pub plan_id: i64,
    pub text: String,
    pub source_unit: String,
    pub plan_title: String,
    pub unit_id: Option<i64>,
    pub plan_status: PlanStatus,
}

pub async fn duties(db: &Db) -> Result<Vec<DutyText>, sqlx::Error> {
    sqlx::query_as::<_, DutyText>(
        "SELECT d.id, d.plan_id, d.text, d.source_unit, p.title AS plan_title, a.unit_id, \
                p.status AS plan_status FROM duties d \
         JOIN plans p ON p.id = d.plan_id LEFT JOIN assignments a ON a.duty_id = d.id",
    )
    .fetch_all(&db.pool)
    .await
}

#[derive(sqlx::FromRow)]
pub struct ActivityHit {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub date_from: String,
}

/// How many further terms one search checks besides the first (`terms`
/// keeps at most eight).
const MORE_TERMS: usize = 7;

/// Activities whose title has every term as a word, newest recorded first;
/// a member sees only their units' activities. The first term drives a walk
/// down the word index; the others are counted per candidate, so a common
/// word stops as soon as a page is found. The statement is fixed: unused
/// term slots repeat the first term, which every candidate has.
pub async fn activities(
    db: &Db,
    user: &SessionUser,
    terms: &[String],
    limit: i64,
) -> Result<Vec<ActivityHit>, sqlx::Error> {
    let Some((first, rest)) = terms.split_first() else {
        return Ok(Vec::new());
    };
    let mut slots: Vec<&str> = rest.iter().take(MORE_TERMS).map(String::as_str).collect();
    slots.resize(MORE_TERMS, first.as_str());
    let mut wanted = slots.clone();
    wanted.sort_unstable();
    wanted.dedup();
    sqlx::query_as::<_, ActivityHit>(
        "SELECT a.id, a.title, u.name AS unit_name, a.date_from FROM activity_words w \
         JOIN activities a ON a.id = w.activity_id JOIN units u ON u.id = a.unit_id \
         WHERE w.word = $1 \
         AND (SELECT COUNT(DISTINCT w2.word) FROM activity_words w2 \
              WHERE w2.activity_id = w.activity_id \
              AND w2.word IN ($2, $3, $4, $5, $6, $7, $8)) = $9 \
         AND ($10 = 1 OR a.unit_id IN (SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = $11)) \
         ORDER BY w.activity_id DESC LIMIT $12",
    )
    .bind(first.as_str())
    .bind(slots[0])
    .bind(slots[1])
    .bind(slots[2])
    .bind(slots[3])
    .bind(slots[4])
    .bind(slots[5])
    .bind(slots[6])
    .bind(wanted.len() as i64)
    .bind(i64::from(user.is_office()))
    .bind(user.id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}
