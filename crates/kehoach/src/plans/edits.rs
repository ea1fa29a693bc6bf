//! Corrections to an imported plan: edit, merge and split themes and duties,
//! hand duties to units, set deadlines. Each is one transaction with its
//! audit row, which after publication is the plan's version history.

use serde::Serialize;
use sqlx::Row;

use super::forms::{Assignment, DutyEdit, ThemeEdit};
use super::repo::{assign, plan_entry};
use crate::audit;
use crate::db::{Db, Tx};
use crate::error::{AppError, AppResult};

/// Themes and duties are both ordered, numbered text items of a plan; merge
/// and split treat them alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Theme,
    Duty,
}

impl Item {
    fn table(self) -> &'static str {
        match self {
            Self::Theme => "themes",
            Self::Duty => "duties",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Self::Theme => "theme",
            Self::Duty => "duty",
        }
    }
}

#[derive(Debug, Serialize)]
struct Snapshot {
    id: i64,
    position: i64,
    text: String,
}

async fn snapshot(tx: &mut Tx, item: Item, plan_id: i64, id: i64) -> AppResult<Snapshot> {
    let sql = format!(
        "SELECT id, position, text FROM {} WHERE id = $1 AND plan_id = $2",
        item.table()
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(plan_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Snapshot {
        id: r.get(0),
        position: r.get(1),
        text: r.get(2),
    })
}

pub async fn edit_theme(
    db: &Db,
    actor: i64,
    plan_id: i64,
    id: i64,
    edit: &ThemeEdit,
) -> AppResult<()> {
    let before = super::repo::themes(db, plan_id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE themes SET number = $1, kind = $2, text = $3 WHERE id = $4 AND plan_id = $5",
    )
    .bind(&edit.number)
    .bind(edit.kind.as_str())
    .bind(&edit.text)
    .bind(id)
    .bind(plan_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        plan_entry(actor, "update", "theme", id, plan_id),
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
    let mut tx = db.begin().await?;
    let first = snapshot(&mut tx, item, plan_id, id).await?;
    let next_sql = format!(
        "SELECT id FROM {} WHERE plan_id = $1 AND position > $2 ORDER BY position LIMIT 1",
        item.table()
    );
    let next_id: i64 = sqlx::query(sqlx::AssertSqlSafe(next_sql))
        .bind(plan_id)
        .bind(first.position)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| AppError::BadRequest("Không có mục nào phía sau để gộp.".into()))?;
    let second = snapshot(&mut tx, item, plan_id, next_id).await?;
    let merged = format!("{} {}", first.text.trim_end(), second.text.trim_start());
    let update = format!("UPDATE {} SET text = $1 WHERE id = $2", item.table());
    sqlx::query(sqlx::AssertSqlSafe(update))
        .bind(&merged)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if item == Item::Duty {
        let moved = sqlx::query("SELECT unit_id, role FROM assignments WHERE duty_id = $1")
            .bind(next_id)
            .fetch_all(&mut *tx)
            .await?;
        for r in moved {
            assign(&mut tx, id, r.get(0), r.get::<String, _>(1).as_str()).await?;
        }
    }
    let delete = format!("DELETE FROM {} WHERE id = $1", item.table());
    sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(next_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        plan_entry(actor, "merge", item.entity(), id, plan_id),
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
    let mut tx = db.begin().await?;
    let before = snapshot(&mut tx, item, plan_id, id).await?;
    let shift = format!(
        "UPDATE {} SET position = position + 1 WHERE plan_id = $1 AND position > $2",
        item.table()
    );
    sqlx::query(sqlx::AssertSqlSafe(shift))
        .bind(plan_id)
        .bind(before.position)
        .execute(&mut *tx)
        .await?;
    let update = format!("UPDATE {} SET text = $1 WHERE id = $2", item.table());
    sqlx::query(sqlx::AssertSqlSafe(update))
        .bind(first)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let copy = match item {
        Item::Theme => {
            "INSERT INTO themes (plan_id, position, number, kind, text, line) \
             SELECT plan_id, position + 1, number, kind, $1, line FROM themes WHERE id = $2 RETURNING id"
        }
        Item::Duty => {
            "INSERT INTO duties (plan_id, position, text, source_unit, deadline, deadline_text, line) \
             SELECT plan_id, position + 1, $1, source_unit, deadline, deadline_text, line \
             FROM duties WHERE id = $2 RETURNING id"
        }
    };
    let new_id: i64 = sqlx::query(copy)
        .bind(second)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    if item == Item::Duty {
        let units = sqlx::query("SELECT unit_id, role FROM assignments WHERE duty_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        for r in units {
            assign(&mut tx, new_id, r.get(0), r.get::<String, _>(1).as_str()).await?;
        }
    }
    audit::record(
        &mut tx,
        plan_entry(actor, "split", item.entity(), id, plan_id),
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
    let before = super::repo::duties(db, plan_id)
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
            sqlx::query("DELETE FROM assignments WHERE id = $1")
                .bind(a.id)
                .execute(&mut *tx)
                .await?;
        }
    }
    for a in units {
        sqlx::query(
            "INSERT INTO assignments (duty_id, unit_id, role, status, updated_at) \
             VALUES ($1, $2, $3, 'not_started', $4) \
             ON CONFLICT (duty_id, unit_id) DO UPDATE SET role = excluded.role",
        )
        .bind(id)
        .bind(a.unit_id)
        .bind(a.role.as_str())
        .bind(crate::db::now())
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        plan_entry(actor, "update", "duty", id, plan_id),
        Some(&before),
        Some(&serde_json::json!({"edit": edit, "units": units})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Hands every duty written for `source_unit` that has no unit yet to the
/// given units: how a coordinator resolves a name the directory did not know.
pub async fn assign_unmatched(
    tx: &mut Tx,
    plan_id: i64,
    source_unit: &str,
    unit_ids: &[i64],
) -> Result<usize, sqlx::Error> {
    let duties = sqlx::query(
        "SELECT d.id FROM duties d WHERE d.plan_id = $1 AND d.source_unit = $2 \
         AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.duty_id = d.id)",
    )
    .bind(plan_id)
    .bind(source_unit)
    .fetch_all(&mut **tx)
    .await?;
    for r in &duties {
        for unit_id in unit_ids {
            assign(tx, r.get(0), *unit_id, "lead").await?;
        }
    }
    Ok(duties.len())
}
