//! Participants' personal data (Decree 13/2023): erased on request, and
//! for a whole contest once its retention period after the last round has
//! passed. Erasing keeps the scores and the locality (the statistics and
//! the published results stay true) and removes everything that identifies
//! the person: name, year of birth, phone, ID number, workplace.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::Row;

use super::ContestRow;
use super::Services;
use super::repo::{self, entry};
use crate::audit;
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::web::{Ctx, render};

const ERASED_NAME: &str = "(đã xóa)";

const ERASE: &str = "UPDATE contest_participants SET full_name = $1, birth_year = NULL, phone = NULL, \
     id_number = NULL, workplace = '' WHERE ";

/// Erases one participant; true if there was someone to erase.
pub async fn erase(
    db: &Db,
    actor: i64,
    contest: i64,
    participant: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = format!("{ERASE}id = $2 AND contest_id = $3 AND full_name <> $1");
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ERASED_NAME)
        .bind(participant)
        .bind(contest)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    audit::record::<(), ()>(
        &mut tx,
        entry(actor, "erase", "contest_participant", participant),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(n > 0)
}

/// Erases the participants of every contest whose retention period has run
/// out since its last round closed; returns how many people were erased.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let due: Vec<i64> = sqlx::query(
        "SELECT c.id FROM contests c JOIN contest_rounds r ON r.contest_id = c.id \
         GROUP BY c.id, c.retention_days HAVING MAX(r.closes_at) + c.retention_days * 86400 < $1",
    )
    .bind(now())
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut erased = 0;
    for contest in due {
        let mut tx = db.begin().await?;
        let sql = format!("{ERASE}contest_id = $2 AND full_name <> $1");
        let n = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ERASED_NAME)
            .bind(contest)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            let e = audit::Entry {
                user_id: None,
                action: "retention_erase",
                entity: "contest",
                entity_id: Some(contest),
                plan_id: None,
            };
            audit::record::<(), _>(&mut tx, e, None, Some(&n)).await?;
        }
        tx.commit().await?;
        erased += n;
    }
    Ok(erased)
}

#[derive(Deserialize)]
pub struct Find {
    #[serde(default)]
    phone: String,
}

pub struct Found {
    pub id: i64,
    pub full_name: String,
    pub phone_masked: String,
    pub locality: String,
    pub submissions: i64,
}

#[derive(Template)]
#[template(path = "contests/templates/participants.html")]
struct Page {
    ctx: Ctx,
    contest: ContestRow,
    phone: String,
    found: Vec<Found>,
    searched: bool,
}

/// Finds a participant by the phone number or ID number they give when
/// they ask for their data to be erased.
pub async fn find(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<Find>,
) -> AppResult<Response> {
    ctx.office()?;
    let contest = repo::contest(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = kehoach_contest::normalise_phone(&q.phone)
        .map(|p| p.as_str().to_owned())
        .or_else(|_| kehoach_contest::normalise_id_number(&q.phone).map(|i| i.as_str().to_owned()))
        .ok();
    let found = match &key {
        Some(key) => sqlx::query(
            "SELECT p.id, p.full_name, p.phone, COALESCE(u.name, ''), \
             (SELECT COUNT(*) FROM contest_submissions s WHERE s.participant_id = p.id) \
             FROM contest_participants p LEFT JOIN units u ON u.id = p.unit_id \
             WHERE p.contest_id = $1 AND (p.phone = $2 OR p.id_number = $2)",
        )
        .bind(id)
        .bind(key)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| Found {
            id: r.get(0),
            full_name: r.get(1),
            phone_masked: r
                .get::<Option<String>, _>(2)
                .and_then(|p| kehoach_contest::normalise_phone(&p).ok())
                .map(|p| p.masked())
                .unwrap_or_default(),
            locality: r.get(3),
            submissions: r.get(4),
        })
        .collect(),
        None => Vec::new(),
    };
    Ok(render(&Page {
        ctx,
        contest,
        searched: !q.phone.trim().is_empty(),
        phone: q.phone,
        found,
    })?
    .into_response())
}

pub async fn erase_one(
    state: Services,
    ctx: Ctx,
    Path((id, participant)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    if !erase(&state.db, user, id, participant).await? {
        return Err(AppError::NotFound);
    }
    // The writer forgets the contest's phone numbers and reloads them, so
    // the person may register again.
    state.contest_writer.forget_people(id);
    Ok(Redirect::to(&format!("/contests/{id}/participants")).into_response())
}
