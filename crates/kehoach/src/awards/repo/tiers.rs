//! The council's record on whole prize tiers: tiers it decided not to
//! award, and changes of the tiers made after a round was sealed.

use super::entries::lock_edition;
use super::{AwardError, audited};
use crate::clock::now;
use crate::db::{Db, Tx};

/// A tier the council decided not to award, and why.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotAwardedRow {
    pub tier: String,
    pub reason: String,
    pub decided_at: i64,
}

/// A change of an edition's tiers after a round was sealed, as the form
/// wrote them before and after.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TierChangeRow {
    pub changed_at: i64,
    pub before_tiers: String,
    pub after_tiers: String,
}

pub async fn not_awarded(db: &Db, edition_id: i64) -> Result<Vec<NotAwardedRow>, sqlx::Error> {
    sqlx::query_as::<_, NotAwardedRow>(
        "SELECT tier, reason, decided_at FROM award_tier_decisions WHERE edition_id = $1 \
         ORDER BY decided_at, tier",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn tier_changes(db: &Db, edition_id: i64) -> Result<Vec<TierChangeRow>, sqlx::Error> {
    sqlx::query_as::<_, TierChangeRow>(
        "SELECT changed_at, before_tiers, after_tiers FROM award_tier_changes \
         WHERE edition_id = $1 ORDER BY id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await
}

/// Records that `tier` is not awarded. Refused while a work still holds
/// it: the council moves those works first, each with its own reason.
pub async fn decide_not_awarded(
    db: &Db,
    actor: i64,
    edition_id: i64,
    tier: &str,
    reason: &str,
) -> Result<(), AwardError> {
    let mut tx = db.begin().await?;
    lock_edition(&mut tx, edition_id).await?;
    let holding: i64 = sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " FROM award_prizes WHERE edition_id = $1 AND tier = $2"
    ))
    .bind(edition_id)
    .bind(tier)
    .fetch_one(&mut *tx)
    .await?;
    if holding > 0 {
        return Err(AwardError::Refused("err-award-tier-held"));
    }
    sqlx::query("DELETE FROM award_tier_decisions WHERE edition_id = $1 AND tier = $2")
        .bind(edition_id)
        .bind(tier)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO award_tier_decisions (edition_id, tier, reason, decided_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(edition_id)
    .bind(tier)
    .bind(reason)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let record = serde_json::json!({ "tier": tier, "reason": reason, "awarded": false });
    audited(&mut tx, actor, "tier", "award_edition", edition_id, &record).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes back a "not awarded" decision.
pub async fn undo_not_awarded(
    db: &Db,
    actor: i64,
    edition_id: i64,
    tier: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM award_tier_decisions WHERE edition_id = $1 AND tier = $2")
        .bind(edition_id)
        .bind(tier)
        .execute(&mut *tx)
        .await?;
    let record = serde_json::json!({ "tier": tier, "awarded": true });
    audited(&mut tx, actor, "tier", "award_edition", edition_id, &record).await?;
    tx.commit().await
}

/// Appends a change of tiers to the edition's record, in the transaction
/// that saves the new settings.
pub(super) async fn record_change(
    tx: &mut Tx,
    actor: i64,
    edition_id: i64,
    before: &str,
    after: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO award_tier_changes (edition_id, changed_at, actor, before_tiers, after_tiers) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(edition_id)
    .bind(now())
    .bind(actor)
    .bind(before)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
