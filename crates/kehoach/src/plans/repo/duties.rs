//! The duty aggregate: a plan's duties, the units they are handed to, and
//! each unit's progress on them.

use serde::Serialize;

use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::{Db, Tx};
use crate::plans::states::{AssignmentRole, AssignmentStatus, PlanStatus};
use crate::units::matching::Directory;
use crate::units::repo as units;

pub(super) async fn assign_names(
    tx: &mut Tx,
    dir: &Directory,
    duty_id: i64,
    names: &[String],
    role: AssignmentRole,
) -> Result<(), sqlx::Error> {
    for name in names {
        if let Some(target) = dir.find(name) {
            for unit_id in units::expand(tx, target).await? {
                assign(tx, duty_id, unit_id, role).await?;
            }
        }
    }
    Ok(())
}

/// What handing a duty to a unit that already has it does to its role.
#[derive(Clone, Copy)]
enum OnExisting {
    /// The stronger role wins: lead over support.
    KeepLead,
    /// The new role replaces the old.
    Replace,
}

/// Hands a duty to a unit; an existing assignment keeps its status.
async fn put(
    tx: &mut Tx,
    duty_id: i64,
    unit_id: i64,
    role: AssignmentRole,
    on: OnExisting,
) -> Result<(), sqlx::Error> {
    let sql = match on {
        OnExisting::KeepLead => {
            "INSERT INTO assignments (duty_id, unit_id, role, status, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (duty_id, unit_id) DO UPDATE SET role = \
             CASE WHEN assignments.role = $6 THEN assignments.role ELSE excluded.role END"
        }
        OnExisting::Replace => {
            "INSERT INTO assignments (duty_id, unit_id, role, status, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (duty_id, unit_id) DO UPDATE SET role = excluded.role"
        }
    };
    let q = sqlx::query(sql)
        .bind(duty_id)
        .bind(unit_id)
        .bind(role)
        .bind(AssignmentStatus::NotStarted)
        .bind(now());
    let q = match on {
        OnExisting::KeepLead => q.bind(AssignmentRole::Lead),
        OnExisting::Replace => q,
    };
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Hands a duty to a unit; an existing assignment keeps its status and
/// takes the stronger role (lead over support).
pub async fn assign(
    tx: &mut Tx,
    duty_id: i64,
    unit_id: i64,
    role: AssignmentRole,
) -> Result<(), sqlx::Error> {
    put(tx, duty_id, unit_id, role, OnExisting::KeepLead).await
}

/// Hands a duty to a unit with exactly this role (a coordinator's choice
/// replaces the role the document gave).
pub async fn set_assignment(
    tx: &mut Tx,
    duty_id: i64,
    unit_id: i64,
    role: AssignmentRole,
) -> Result<(), sqlx::Error> {
    put(tx, duty_id, unit_id, role, OnExisting::Replace).await
}

pub async fn unassign(tx: &mut Tx, assignment_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM assignments WHERE id = $1")
        .bind(assignment_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: AssignmentRole,
    pub status: AssignmentStatus,
    pub status_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyRow {
    pub id: i64,
    pub position: i64,
    pub text: String,
    pub source_unit: String,
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    pub line: Option<i64>,
    pub assignments: Vec<AssignmentRow>,
}

impl DutyRow {
    pub fn leads(&self) -> Vec<&AssignmentRow> {
        self.assignments
            .iter()
            .filter(|a| a.role.is_lead())
            .collect()
    }

    pub fn supports(&self) -> Vec<&AssignmentRow> {
        self.assignments
            .iter()
            .filter(|a| !a.role.is_lead())
            .collect()
    }

    pub fn has_unit(&self, unit_id: &i64) -> bool {
        self.assignments.iter().any(|a| a.unit_id == *unit_id)
    }

    pub fn role_of(&self, unit_id: &i64) -> Option<AssignmentRole> {
        self.assignments
            .iter()
            .find(|a| a.unit_id == *unit_id)
            .map(|a| a.role)
    }
}

/// A duty joined with one of its assignments (none for an unassigned duty).
#[derive(sqlx::FromRow)]
struct DutyAssignmentRow {
    id: i64,
    position: i64,
    text: String,
    source_unit: String,
    deadline: Option<String>,
    deadline_text: Option<String>,
    line: Option<i64>,
    assignment_id: Option<i64>,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    role: Option<AssignmentRole>,
    status: Option<AssignmentStatus>,
    status_note: Option<String>,
}

pub async fn duties(db: &Db, plan_id: i64) -> Result<Vec<DutyRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, DutyAssignmentRow>(
        "SELECT d.id, d.position, d.text, d.source_unit, d.deadline, d.deadline_text, d.line, \
                a.id AS assignment_id, a.unit_id, u.name AS unit_name, a.role, a.status, a.status_note \
         FROM duties d LEFT JOIN assignments a ON a.duty_id = d.id \
         LEFT JOIN units u ON u.id = a.unit_id \
         WHERE d.plan_id = $1 ORDER BY d.position, a.role, u.name",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<DutyRow> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|d| d.id != r.id) {
            out.push(DutyRow {
                id: r.id,
                position: r.position,
                text: r.text,
                source_unit: r.source_unit,
                deadline: r.deadline,
                deadline_text: r.deadline_text,
                line: r.line,
                assignments: Vec::new(),
            });
        }
        let assignment = match (r.assignment_id, r.unit_id, r.unit_name, r.role, r.status) {
            (Some(id), Some(unit_id), Some(unit_name), Some(role), Some(status)) => {
                Some(AssignmentRow {
                    id,
                    unit_id,
                    unit_name,
                    role,
                    status,
                    status_note: r.status_note,
                })
            }
            _ => None,
        };
        if let (Some(a), Some(duty)) = (assignment, out.last_mut()) {
            duty.assignments.push(a);
        }
    }
    Ok(out)
}

/// The units a duty is handed to and their roles.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct DutyUnit {
    pub unit_id: i64,
    pub role: AssignmentRole,
}

pub async fn duty_units(tx: &mut Tx, duty_id: i64) -> Result<Vec<DutyUnit>, sqlx::Error> {
    sqlx::query_as::<_, DutyUnit>("SELECT unit_id, role FROM assignments WHERE duty_id = $1")
        .bind(duty_id)
        .fetch_all(&mut **tx)
        .await
}

/// Hands every duty written for `source_unit` that has no unit yet to the
/// given units: how a coordinator resolves a name the directory did not know.
pub async fn assign_unmatched(
    tx: &mut Tx,
    plan_id: i64,
    source_unit: &str,
    unit_ids: &[i64],
) -> Result<usize, sqlx::Error> {
    let duties: Vec<i64> = sqlx::query_scalar(
        "SELECT d.id FROM duties d WHERE d.plan_id = $1 AND d.source_unit = $2 \
         AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.duty_id = d.id)",
    )
    .bind(plan_id)
    .bind(source_unit)
    .fetch_all(&mut **tx)
    .await?;
    for duty_id in &duties {
        for unit_id in unit_ids {
            assign(tx, *duty_id, *unit_id, AssignmentRole::Lead).await?;
        }
    }
    Ok(duties.len())
}

/// One of a member's assignments, with the duty and plan it belongs to.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MyDuty {
    pub assignment_id: i64,
    pub plan_id: i64,
    pub plan_title: String,
    pub unit_name: String,
    pub role: AssignmentRole,
    pub text: String,
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    pub status: AssignmentStatus,
    pub status_note: Option<String>,
}

/// A user's assignments in published plans: `$1` the user, `$2` the
/// published status.
macro_rules! my_duty_select {
    () => {
        "SELECT a.id AS assignment_id, p.id AS plan_id, p.title AS plan_title, \
         u.name AS unit_name, a.role, d.text, d.deadline, d.deadline_text, a.status, a.status_note \
         FROM assignments a JOIN duties d ON d.id = a.duty_id JOIN plans p ON p.id = d.plan_id \
         JOIN units u ON u.id = a.unit_id JOIN user_units uu ON uu.unit_id = a.unit_id \
         WHERE uu.user_id = $1 AND p.status = $2"
    };
}

pub const MY_DUTIES_PAGE: i64 = 50;

/// One page of a user's duties, newest plan first, and the total count.
pub async fn my_duties(
    db: &Db,
    user_id: i64,
    page: i64,
) -> Result<(Vec<MyDuty>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar(concat!(
        "SELECT ",
        crate::count_i64!("*"),
        " AS n FROM assignments a JOIN duties d ON d.id = a.duty_id \
         JOIN plans p ON p.id = d.plan_id JOIN user_units uu ON uu.unit_id = a.unit_id \
         WHERE uu.user_id = $1 AND p.status = $2",
    ))
    .bind(user_id)
    .bind(PlanStatus::Published)
    .fetch_one(&db.pool)
    .await?;
    let rows = sqlx::query_as::<_, MyDuty>(concat!(
        my_duty_select!(),
        " ORDER BY p.id DESC, d.position, u.name LIMIT $3 OFFSET $4"
    ))
    .bind(user_id)
    .bind(PlanStatus::Published)
    .bind(MY_DUTIES_PAGE)
    .bind((page - 1) * MY_DUTIES_PAGE)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows, total))
}

/// One assignment, found only through the user's own units.
pub async fn my_duty(
    db: &Db,
    user_id: i64,
    assignment_id: i64,
) -> Result<Option<MyDuty>, sqlx::Error> {
    sqlx::query_as::<_, MyDuty>(concat!(my_duty_select!(), " AND a.id = $3"))
        .bind(user_id)
        .bind(PlanStatus::Published)
        .bind(assignment_id)
        .fetch_optional(&db.pool)
        .await
}

/// A unit's progress report on one of its duties, audited with its plan.
pub async fn set_status(
    db: &Db,
    actor: i64,
    before: &MyDuty,
    status: AssignmentStatus,
    note: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE assignments SET status = $1, status_note = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(crate::text::non_blank(note))
    .bind(now())
    .bind(before.assignment_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry::new(actor, "status", "assignment", before.assignment_id).in_plan(before.plan_id),
        Some(before),
        Some(&serde_json::json!({"status": status, "note": note})),
    )
    .await?;
    tx.commit().await
}
