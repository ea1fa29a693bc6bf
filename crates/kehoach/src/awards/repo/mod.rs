//! Queries of the awards module, one file per aggregate. Every write is
//! audited in its transaction; callers use the re-exports below.

mod editions;
mod entries;
mod import;
mod judges;
mod prizes;
mod rounds;
mod scores;
pub mod synthetic;
mod tiers;
mod topics;

pub use editions::{edition, editions, save_edition, set_status};
pub use entries::{
    Breakdown, EntryKey, EntryRow, FileRow, GroupCount, author_counts, counts_by, duplicates,
    entries, entries_of, entry, entry_keys, file, file_in_use, save_entry, set_intake,
};
pub use import::{Imported, accept_submitted, import_entries};
pub use judges::{JudgeRow, Seat, add_judge, judges, remind_judge, update_seat};
pub use prizes::{PrizeRow, decide, notices, prizes, save_prizes};
pub use rounds::{
    AssignmentRow, RoundRow, WorkRow, assignments, change_assignment, in_a_round, is_assigned,
    judge_work, open_round, round, round_entries, rounds, sealed_rounds,
};
pub use scores::{ScoreRow, Sheet, close_round, save_score, score_log, scores};
pub use tiers::{
    NotAwardedRow, TierChangeRow, decide_not_awarded, not_awarded, tier_changes, undo_not_awarded,
};
pub use topics::{TopicAwardRow, give_topic, topic_awards, withdraw_topic};

use serde::Serialize;

use crate::audit::{self, Entry};
use crate::db::{Db, Tx};

/// Why a write of the awards module did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AwardError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// An author (by identity key) would go over the per-author limit.
    #[error("{0}: quá số tác phẩm cho phép")]
    OverLimit(String),
    /// The round is not in the state the action needs.
    #[error("vòng chấm không ở trạng thái phù hợp")]
    RoundState,
    /// The score log does not check out; nothing was changed.
    #[error(transparent)]
    Broken(#[from] kehoach_award::SealError),
    /// The round's log is chained with a key other than the one configured.
    #[error("vòng chấm được niêm phong bằng khóa {0}, khác khóa niêm phong đang cấu hình")]
    OtherKey(String),
    /// The seal key could not be read.
    #[error("không đọc được khóa niêm phong: {0}")]
    NoKey(String),
    /// The log checks out but gives another seal than the one recorded.
    #[error("dấu niêm phong đã lưu {stored} khác dấu tính lại {computed}")]
    SealDiffers { stored: String, computed: String },
    /// Entries or tiers the edition's categories do not cover.
    #[error(transparent)]
    Category(#[from] kehoach_award::CategoryError),
    /// A round this action rests on fails its seal check.
    #[error("vòng {round}: {why}")]
    Unsealed { round: i64, why: Box<AwardError> },
    /// A refusal the user can act on: the Fluent key of its message.
    #[error("{0}")]
    Refused(&'static str),
}

impl From<AwardError> for crate::error::AppError {
    fn from(e: AwardError) -> Self {
        match e {
            AwardError::Db(e) => Self::Db(e),
            e => Self::Internal(anyhow::anyhow!(e)),
        }
    }
}

/// A JSON column decoded, a malformed one being a decode error.
fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Records a write of the awards module in its transaction.
async fn audited<A: Serialize>(
    tx: &mut Tx,
    actor: i64,
    action: &str,
    entity: &str,
    id: i64,
    after: A,
) -> Result<(), sqlx::Error> {
    audit::record::<(), _>(
        tx,
        Entry::new(actor, action, entity, id),
        None,
        Some(&after),
    )
    .await
}

/// Exports carry authors' names: each one is recorded.
pub async fn log_export(
    db: &Db,
    actor: i64,
    edition_id: i64,
    what: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    audited(&mut tx, actor, "export", "award_edition", edition_id, what).await?;
    tx.commit().await
}
