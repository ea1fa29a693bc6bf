//! Corrections to an imported plan: edit, merge and split themes and duties,
//! hand duties to units, set deadlines. Each is one transaction with its
//! audit row, which after publication is the plan's version history.

use serde::Serialize;

use super::duties::{assign, duty_units, set_assignment, unassign};
use crate::audit::{self, Entry};
use crate::db::{Db, Tx};
use crate::error::{AppError, AppResult};
use crate::plans::forms::{Assignment, DutyEdit, ThemeEdit};
use crate::units::repo::{self as units, NewUnit};

/// Themes and duties are both ordered, numbered text items of a plan; merge
/// and split treat them alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Theme,
    Duty,
}

/// The statements merge and split run on one kind of item; each is a fixed
/// string, so the table name is never spliced into SQL.
struct ItemSql {
    snapshot: &'static str,
    next: &'static str,
    set_text: &'static str,
    delete: &'static str,
    shift: &'static str,
    copy: &'static str,
}

const THEMES: ItemSql = ItemSql {
    snapshot: "SELECT id, position, text FROM themes WHERE id = $1 AND plan_id = $2",
    next: "SELECT id FROM themes WHERE plan_id = $1 AND position > $2 ORDER BY position LIMIT 1",
    set_text: "UPDATE themes SET text = $1 WHERE id = $2",
    delete: "DELETE FROM themes WHERE id = $1",
    shift: "UPDATE themes SET position = position + 1 WHERE plan_id = $1 AND position > $2",
    copy: "INSERT INTO themes (plan_id, position, number, kind, text, line) \
           SELECT plan_id, position + 1, number, kind, $1, line FROM themes WHERE id = $2 RETURNING id",
};

const DUTIES: ItemSql = ItemSql {
    snapshot: "SELECT id, position, text FROM duties WHERE id = $1 AND plan_id = $2",
    next: "SELECT id FROM duties WHERE plan_id = $1 AND position > $2 ORDER BY position LIMIT 1",
    set_text: "UPDATE duties SET text = $1 WHERE id = $2",
    delete: "DELETE FROM duties WHERE id = $1",
    shift: "UPDATE duties SET position = position + 1 WHERE plan_id = $1 AND position > $2",
    copy: "INSERT INTO duties (plan_id, position, text, source_unit, deadline, deadline_text, line) \
           SELECT plan_id, position + 1, $1, source_unit, deadline, deadline_text, line \
           FROM duties WHERE id = $2 RETURNING id",
};

impl Item {
    fn sql(self) -> &'static ItemSql {
        match self {
            Self::Theme => &THEMES,
            Self::Duty => &DUTIES,
        }
    }

    pub fn entity(self) -> &'static str {
        match self {
            Self::Theme => "theme",
            Self::Duty => "duty",
        }
    }
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Snapshot {
    id: i64,
    position: i64,
    text: String,
}

async fn snapshot(tx: &mut Tx, item: Item, plan_id: i64, id: i64) -> AppResult<Snapshot> {
    sqlx::query_as::<_, Snapshot>(item.sql().snapshot)
        .bind(id)
        .bind(plan_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// Gives `to` every unit `from` has, with the same roles.
async fn copy_units(tx: &mut Tx, from: i64, to: i64) -> Result<(), sqlx::Error> {
    for u in duty_units(tx, from).await? {
        assign(tx, to, u.unit_id, u.role).await?;
    }
    Ok(())
}

pub async fn edit_theme(
    db: &Db,
    actor: i64,
    plan_id: i64,
    id: i64,
    edit: &ThemeEdit,
) -> AppResult<()> {
    let before = super::themes(db, plan_id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE themes SET number = $1, kind = $2, text = $3 WHERE id = $4 AND plan_id = $5",
    )
    .bind(&edit.number)
    .bind(edit.kind)
    .bind(&edit.text)
    .bind(id)
    .bind(plan_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry::new(actor, "update", "theme", id).in_plan(plan_id),
        Some(&before),
        Some(edit),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Joins an item with the one after it; the later one disappears (a duty's
/// units move to the merged duty).
pub async fn merge_with_next(
    db: &Db,
    actor: i64,
    item: Item,
    plan_id: i64,
    id: i64,
) -> AppResult<()> {
    let sql = item.sql();
    let mut tx = db.begin().await?;
    let first = snapshot(&mut tx, item, plan_id, id).await?;
    let next_id: i64 = sqlx::query_scalar(sql.next)
        .bind(plan_id)
        .bind(first.position)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::BadRequest("Không có mục nào phía sau để gộp.".into()))?;
    let second = snapshot(&mut tx, item, plan_id, next_id).await?;
    let merged = format!("{} {}", first.text.trim_end(), second.text.trim_start());
    sqlx::query(sql.set_text)
        .bind(&merged)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if item == Item::Duty {
        copy_units(&mut tx, next_id, id).await?;
    }
    sqlx::query(sql.delete)
        .bind(next_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry::new(actor, "merge", item.entity(), id).in_plan(plan_id),
        Some(&[&first, &second]),
        Some(&merged),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Cuts an item in two: it keeps the first text, a copy placed right after it
/// takes the second (a duty's copy keeps the same units and deadline).
pub async fn split(
    db: &Db,
    actor: i64,
    item: Item,
    plan_id: i64,
    id: i64,
    first: &str,
    second: &str,
) -> AppResult<i64> {
    let sql = item.sql();
    let mut tx = db.begin().await?;
    let before = snapshot(&mut tx, item, plan_id, id).await?;
    sqlx::query(sql.shift)
        .bind(plan_id)
        .bind(before.position)
        .execute(&mut *tx)
        .await?;
    sqlx::query(sql.set_text)
        .bind(first)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let new_id: i64 = sqlx::query_scalar(sql.copy)
        .bind(second)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if item == Item::Duty {
        copy_units(&mut tx, id, new_id).await?;
    }
    audit::record(
        &mut tx,
        Entry::new(actor, "split", item.entity(), id).in_plan(plan_id),
        Some(&before),
        Some(&[first, second]),
    )
    .await?;
    tx.commit().await?;
    Ok(new_id)
}

/// Rewrites a duty's text, deadline and units. Units that keep the duty keep
/// their status; units added start as "not started".
pub async fn edit_duty(
    db: &Db,
    actor: i64,
    plan_id: i64,
    id: i64,
    edit: &DutyEdit,
    units: &[Assignment],
) -> AppResult<()> {
    let before = super::duties(db, plan_id)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE duties SET text = $1, deadline = $2, deadline_text = $3 WHERE id = $4 AND plan_id = $5",
    )
    .bind(&edit.text)
    .bind(&edit.deadline)
    .bind(&edit.deadline_text)
    .bind(id)
    .bind(plan_id)
    .execute(&mut *tx)
    .await?;
    let keep: Vec<i64> = units.iter().map(|a| a.unit_id).collect();
    for a in &before.assignments {
        if !keep.contains(&a.unit_id) {
            unassign(&mut tx, a.id).await?;
        }
    }
    for a in units {
        set_assignment(&mut tx, id, a.unit_id, a.role).await?;
    }
    audit::record(
        &mut tx,
        Entry::new(actor, "update", "duty", id).in_plan(plan_id),
        Some(&before),
        Some(&serde_json::json!({"edit": edit, "units": units})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a coordinator decided about a unit name the directory did not know.
#[derive(Debug, Clone, Copy)]
pub enum Resolution {
    /// The name is a new unit.
    Create,
    /// The name is another way of writing this unit.
    AliasOf(i64),
}

/// Resolves a unit name the directory did not know, in one transaction:
/// the unit is created or the alias recorded, the name's duties without a
/// unit go to it, and the decision is audited under the plan.
pub async fn resolve_unit_name(
    db: &Db,
    actor: i64,
    plan_id: i64,
    name: &str,
    resolution: Resolution,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let unit_ids = match resolution {
        Resolution::Create => {
            let unit = NewUnit {
                name: name.trim().to_owned(),
                short_name: None,
                parent_id: None,
                aliases: Vec::new(),
            };
            vec![units::upsert_unit(&mut tx, Some(actor), &unit).await?]
        }
        Resolution::AliasOf(unit_id) => {
            units::add_alias(&mut tx, unit_id, name).await?;
            vec![unit_id]
        }
    };
    let n = super::assign_unmatched(&mut tx, plan_id, name, &unit_ids).await?;
    audit::record(
        &mut tx,
        Entry::new(actor, "assign", "unit_name", plan_id).in_plan(plan_id),
        Some(&name),
        Some(&serde_json::json!({"unit_ids": unit_ids, "duties": n})),
    )
    .await?;
    tx.commit().await
}
