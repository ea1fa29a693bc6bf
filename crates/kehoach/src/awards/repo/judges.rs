//! The councils: judges seated per edition, the categories they judge,
//! their outlet and the entries they declared a conflict with.

use serde::Serialize;

use super::audited;
use crate::db::{Db, Tx, flag};

#[derive(Debug, Clone, Serialize)]
pub struct JudgeRow {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub categories: Vec<String>,
    pub outlet: String,
    pub final_council: bool,
    pub declared: Vec<i64>,
}

/// A seat as stored: lists are comma-separated, the flag is 0 or 1.
#[derive(sqlx::FromRow)]
struct SeatRecord {
    user_id: i64,
    username: String,
    display_name: String,
    categories: String,
    outlet: String,
    final_council: i64,
    declared: String,
}

impl From<SeatRecord> for JudgeRow {
    fn from(r: SeatRecord) -> Self {
        JudgeRow {
            user_id: r.user_id,
            username: r.username,
            name: r.display_name,
            categories: split(&r.categories),
            outlet: r.outlet,
            final_council: r.final_council != 0,
            declared: split(&r.declared)
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect(),
        }
    }
}

pub async fn judges(db: &Db, edition_id: i64) -> Result<Vec<JudgeRow>, sqlx::Error> {
    Ok(sqlx::query_as::<_, SeatRecord>(
        "SELECT j.user_id, u.username, u.display_name, j.categories, j.outlet, j.final_council, j.declared \
         FROM award_judges j JOIN users u ON u.id = j.user_id WHERE j.edition_id = $1 ORDER BY u.display_name",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(JudgeRow::from)
    .collect())
}

fn split(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A council seat for an existing or a new judge account.
pub struct Seat<'a> {
    pub categories: &'a [String],
    pub outlet: &'a str,
    pub final_council: bool,
    pub declared: &'a [i64],
}

pub async fn add_judge(
    db: &Db,
    actor: i64,
    edition_id: i64,
    user: &crate::accounts::domain::NewUser,
    password_hash: &str,
    seat: &Seat<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = crate::accounts::repo::insert_tx(&mut tx, Some(actor), user, password_hash).await?;
    write_seat(&mut tx, actor, edition_id, id, seat, false).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_seat(
    db: &Db,
    actor: i64,
    edition_id: i64,
    judge: i64,
    seat: &Seat<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    write_seat(&mut tx, actor, edition_id, judge, seat, true).await?;
    tx.commit().await
}

async fn write_seat(
    tx: &mut Tx,
    actor: i64,
    edition_id: i64,
    judge: i64,
    seat: &Seat<'_>,
    replace: bool,
) -> Result<(), sqlx::Error> {
    if replace {
        sqlx::query("DELETE FROM award_judges WHERE edition_id = $1 AND user_id = $2")
            .bind(edition_id)
            .bind(judge)
            .execute(&mut **tx)
            .await?;
    }
    let declared: Vec<String> = seat.declared.iter().map(i64::to_string).collect();
    sqlx::query(
        "INSERT INTO award_judges (edition_id, user_id, categories, outlet, final_council, declared) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(edition_id)
    .bind(judge)
    .bind(seat.categories.join(","))
    .bind(seat.outlet)
    .bind(flag(seat.final_council))
    .bind(declared.join(","))
    .execute(&mut **tx)
    .await?;
    audited(
        tx,
        actor,
        "seat",
        "award_judge",
        judge,
        &serde_json::json!({
            "edition": edition_id, "categories": seat.categories, "outlet": seat.outlet,
            "final_council": seat.final_council, "declared": seat.declared,
        }),
    )
    .await
}

/// Leaves a reminder notice for a judge and records it; the judge's e-mail
/// address, when they have one, for the message.
pub async fn remind_judge(
    db: &Db,
    actor: i64,
    edition_id: i64,
    round_id: i64,
    judge_id: i64,
    text: &str,
    link: &str,
) -> Result<Option<String>, sqlx::Error> {
    let mut tx = db.begin().await?;
    crate::tracking::repo::insert_notice(&mut tx, judge_id, text, link).await?;
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(judge_id)
        .fetch_one(&mut *tx)
        .await?;
    let record = serde_json::json!({ "round": round_id, "judge": judge_id });
    audited(
        &mut tx,
        actor,
        "remind",
        "award_edition",
        edition_id,
        &record,
    )
    .await?;
    tx.commit().await?;
    Ok(email.filter(|e| e.contains('@')))
}
