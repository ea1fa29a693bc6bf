//! Rows of the benchmark edition, written directly: the load generator
//! measures assignment and results, not the forms that usually fill these.

use crate::awards::states::EntryStatus;
use crate::clock::now;
use crate::db::Tx;

/// An account that cannot log in (its password hash matches nothing).
pub async fn bench_account(
    tx: &mut Tx,
    username: &str,
    display_name: &str,
    role: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, created_at) \
         VALUES ($1, $2, '!', $3, $4) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
}

/// A benchmark entry, accepted.
pub struct BenchEntry<'a> {
    pub code: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub outlet: &'a str,
    pub published_on: &'a str,
    pub created_at: i64,
    pub authors: &'a [String],
}

/// An accepted entry with its authors.
pub async fn bench_entry(
    tx: &mut Tx,
    edition: i64,
    entrant: i64,
    e: &BenchEntry<'_>,
) -> Result<i64, sqlx::Error> {
    let BenchEntry {
        code,
        category,
        title,
        outlet,
        published_on,
        created_at,
        authors,
    } = *e;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_entries (edition_id, code, entrant_id, category, title, outlet, \
         folded_outlet, folded_title, published_on, link, summary, series_parts, locality, \
         status, reason, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', '', 1, '', $10, '', $11, $11) \
         RETURNING id",
    )
    .bind(edition)
    .bind(code)
    .bind(entrant)
    .bind(category)
    .bind(title)
    .bind(outlet)
    .bind(kehoach_plan::fold(outlet))
    .bind(kehoach_plan::fold(title))
    .bind(published_on)
    .bind(EntryStatus::Accepted)
    .bind(created_at)
    .fetch_one(&mut **tx)
    .await?;
    for (position, name) in authors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO award_authors (entry_id, position, real_name, pen_name, person_key) \
             VALUES ($1, $2, $3, '', $4)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name)
        .bind(kehoach_award::person_key(name))
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// A preliminary-council seat in one category.
pub async fn bench_seat(
    tx: &mut Tx,
    edition: i64,
    judge: i64,
    category: &str,
    outlet: &str,
    declared: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO award_judges (edition_id, user_id, categories, outlet, final_council, declared) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(edition)
    .bind(judge)
    .bind(category)
    .bind(outlet)
    .bind(declared)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A sheet stored without the score log.
pub async fn bench_score(
    tx: &mut Tx,
    round: i64,
    entry: i64,
    judge: i64,
    marks: &[(String, u32)],
    total_milli: i64,
) -> Result<(), sqlx::Error> {
    let marks_json = serde_json::to_string(marks).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO award_scores (round_id, entry_id, judge_id, marks_json, comment, total_milli, submitted_at) \
         VALUES ($1, $2, $3, $4, '', $5, $6)",
    )
    .bind(round)
    .bind(entry)
    .bind(judge)
    .bind(marks_json)
    .bind(total_milli)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
