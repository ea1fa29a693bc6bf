//! The final: who goes through, and the scores a jury enters for an essay
//! or on-site final.

use crate::audit::{self, Entry};
use crate::db::Db;

/// The key under which the qualification ranking and its ties are stored
/// beside the rounds' (their ids) and the overall ranking's (0).
pub const QUALIFY_KEY: i64 = -1;

/// Stores a qualification run: its whole ranking and ties, and the
/// finalists (participant, place), replacing the last run's, audited.
pub async fn store_qualification(
    db: &Db,
    actor: i64,
    contest: i64,
    standings: &[super::Standing],
    ties: &[kehoach_contest::BoundaryTie],
    finalists: &[(i64, i64)],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    super::standings::replace(&mut tx, db, contest, QUALIFY_KEY, standings, ties).await?;
    sqlx::query("DELETE FROM contest_finalists WHERE contest_id = $1")
        .bind(contest)
        .execute(&mut *tx)
        .await?;
    for (participant, place) in finalists {
        sqlx::query(
            "INSERT INTO contest_finalists (contest_id, participant_id, place) VALUES ($1, $2, $3)",
        )
        .bind(contest)
        .bind(participant)
        .bind(place)
        .execute(&mut *tx)
        .await?;
    }
    let entry = Entry::new(actor, "finalists", "contest", contest);
    audit::record::<(), _>(&mut tx, entry, None, Some(&finalists)).await?;
    tx.commit().await
}

/// A finalist with what the office needs to invite them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Finalist {
    pub participant_id: i64,
    pub place: i64,
    pub name: String,
    pub locality: String,
    pub phone: Option<String>,
    /// The jury's score in the given round, once entered.
    pub jury_score: Option<i64>,
}

/// The finalists in qualification order, with their jury scores in
/// `round` (0: none).
pub async fn finalists(db: &Db, contest: i64, round: i64) -> Result<Vec<Finalist>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.participant_id, f.place, p.full_name AS name, COALESCE(u.name, '') AS locality, \
         p.phone, j.score AS jury_score FROM contest_finalists f \
         JOIN contest_participants p ON p.id = f.participant_id \
         LEFT JOIN units u ON u.id = p.unit_id \
         LEFT JOIN contest_jury_scores j ON j.round_id = $2 AND j.participant_id = f.participant_id \
         WHERE f.contest_id = $1 ORDER BY f.place, f.participant_id",
    )
    .bind(contest)
    .bind(round)
    .fetch_all(&db.pool)
    .await
}

/// The jury's scores of a round: (participant, score, entered at).
pub async fn jury_scores(db: &Db, round: i64) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT participant_id, score, entered_at FROM contest_jury_scores WHERE round_id = $1 \
         ORDER BY participant_id",
    )
    .bind(round)
    .fetch_all(&db.pool)
    .await
}

/// Records the jury's scores (participant, score) of a round, replacing
/// earlier entries of the same people, audited.
pub async fn save_jury_scores(
    db: &Db,
    actor: i64,
    round: i64,
    scores: &[(i64, i64)],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let now = crate::clock::now();
    for (participant, score) in scores {
        sqlx::query("DELETE FROM contest_jury_scores WHERE round_id = $1 AND participant_id = $2")
            .bind(round)
            .bind(participant)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO contest_jury_scores (round_id, participant_id, score, entered_by, \
             entered_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(round)
        .bind(participant)
        .bind(score)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let entry = Entry::new(actor, "jury_scores", "contest_round", round);
    audit::record::<(), _>(&mut tx, entry, None, Some(&scores)).await?;
    tx.commit().await
}
