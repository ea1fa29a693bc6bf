//! Who may see an entry, decided in one place for every page and file:
//! the secretariat sees all; an entrant their own entries; a judge the
//! entries assigned to them (without authors in a blind edition); the
//! public only the winning works of a published edition.

use super::EditionRow;
use super::repo::{self, EntryRow};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Office,
    Owner,
    /// `blind`: the edition hides authors from judges.
    Judge {
        blind: bool,
    },
    Public,
}

impl Access {
    /// Whether authors, outlet and link may be shown.
    pub fn shows_identity(self) -> bool {
        !matches!(self, Access::Judge { blind: true })
    }
}

/// The entry, its edition and how the requester may see it; anyone else
/// gets "not found", so entry numbers reveal nothing.
pub async fn entry(
    state: &AppState,
    ctx: &Ctx,
    entry_id: i64,
) -> AppResult<(EntryRow, EditionRow, Access)> {
    let entry = repo::entry(&state.db, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let edition = repo::edition(&state.db, entry.edition_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = match &ctx.user {
        Some(u) if u.is_office() => Some(Access::Office),
        Some(u) if u.role == Role::Entrant && u.id == entry.entrant_id => Some(Access::Owner),
        Some(u)
            if u.role == Role::Judge && repo::is_assigned(&state.db, u.id, entry.id).await? =>
        {
            Some(Access::Judge {
                blind: edition.blind,
            })
        }
        _ => None,
    };
    let access = match access {
        Some(a) => a,
        None if is_public_winner(state, &edition, entry.id).await? => Access::Public,
        None => return Err(AppError::NotFound),
    };
    Ok((entry, edition, access))
}

async fn is_public_winner(
    state: &AppState,
    edition: &EditionRow,
    entry_id: i64,
) -> AppResult<bool> {
    if !edition.is_published() {
        return Ok(false);
    }
    Ok(repo::prizes(&state.db, edition.id)
        .await?
        .iter()
        .any(|p| p.entry_id == entry_id && !p.tier.is_empty()))
}
