//! Plan queries: import, the review data, edits, publication, assignments.

use kehoach_plan::{DutyRole, PlanDocument};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::db::{Db, Tx, now};
use crate::units::matching::Directory;
use crate::units::repo as units;

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub status: String,
    pub kind: String,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub place: Option<String>,
    pub doc_date: Option<String>,
    pub title: String,
    pub year: Option<i64>,
    pub source_name: String,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

impl PlanRow {
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }

    pub fn status_key(&self) -> &'static str {
        if self.is_published() {
            "plan-status-published"
        } else {
            "plan-status-draft"
        }
    }

    pub fn published_vn(&self) -> String {
        self.published_at
            .map(crate::web::dates::instant_vn)
            .unwrap_or_default()
    }

    pub fn doc_date_vn(&self) -> String {
        self.doc_date
            .as_deref()
            .map(crate::web::dates::iso_to_vn)
            .unwrap_or_default()
    }
}

const PLAN_COLUMNS: &str = "id, status, kind, number, issuer, place, doc_date, title, year, \
                            source_name, created_at, published_at";

fn plan_row(r: &sqlx::any::AnyRow) -> PlanRow {
    PlanRow {
        id: r.get(0),
        status: r.get(1),
        kind: r.get(2),
        number: r.get(3),
        issuer: r.get(4),
        place: r.get(5),
        doc_date: r.get(6),
        title: r.get(7),
        year: r.get(8),
        source_name: r.get(9),
        created_at: r.get(10),
        published_at: r.get(11),
    }
}

pub async fn plan(db: &Db, id: i64) -> Result<Option<PlanRow>, sqlx::Error> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(plan_row))
}

pub async fn plans(db: &Db) -> Result<Vec<PlanRow>, sqlx::Error> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM plans WHERE parent_id IS NULL ORDER BY id DESC"
    )))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(plan_row)
    .collect())
}

/// The stored parse: what the review screen shows beyond the editable rows.
pub async fn document(db: &Db, id: i64) -> Result<PlanDocument, sqlx::Error> {
    let json: String = sqlx::query_scalar("SELECT parsed_json FROM plans WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

pub async fn source_text(db: &Db, id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT source_text FROM plans WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
}

/// A unit's own implementing plan: the plan it implements and the unit.
#[derive(Debug, Clone, Copy)]
pub struct SubPlanOf {
    pub parent_id: i64,
    pub unit_id: i64,
}

/// Stores a parsed plan as a draft (or a unit's sub-plan) in one transaction: the plan, its themes,
/// channels and duties, and an assignment for every unit the directory
/// recognises (a unit group hands the duty to each member).
pub async fn import(
    db: &Db,
    actor: Option<i64>,
    source_name: &str,
    source_text: &str,
    doc: &PlanDocument,
    owner: Option<SubPlanOf>,
) -> Result<i64, sqlx::Error> {
    let dir = units::directory(db).await?;
    let mut tx = db.begin().await?;
    let json = serde_json::to_string(doc).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let plan_id: i64 = sqlx::query(
        "INSERT INTO plans (status, kind, number, issuer, place, doc_date, title, year, \
         source_name, source_text, parsed_json, created_by, created_at, parent_id, unit_id) \
         VALUES ($13, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $15) RETURNING id",
    )
    .bind(&doc.kind)
    .bind(&doc.number)
    .bind(&doc.issuer)
    .bind(&doc.place)
    .bind(&doc.date)
    .bind(&doc.title)
    .bind(doc.year.map(i64::from))
    .bind(source_name)
    .bind(source_text)
    .bind(json)
    .bind(actor)
    .bind(now())
    .bind(if owner.is_some() { "subplan" } else { "draft" })
    .bind(owner.map(|o| o.parent_id))
    .bind(owner.map(|o| o.unit_id))
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    for (i, t) in doc.themes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO themes (plan_id, position, number, kind, text, line) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(&t.number)
        .bind(t.kind.as_str())
        .bind(&t.text)
        .bind(t.line as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (i, c) in doc.channels.iter().enumerate() {
        sqlx::query(
            "INSERT INTO channels (plan_id, position, number, parent_number, text, line) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(&c.number)
        .bind(&c.parent)
        .bind(&c.text)
        .bind(c.line as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (i, d) in doc.duties.iter().enumerate() {
        let duty_id: i64 = sqlx::query(
            "INSERT INTO duties (plan_id, position, text, source_unit, deadline, deadline_text, line) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(&d.text)
        .bind(&d.unit)
        .bind(&d.deadline)
        .bind(&d.deadline_text)
        .bind(d.line as i64)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
        // A support duty ("Phối hợp với X ...") names the unit it helps: X leads.
        let others = match d.role {
            DutyRole::Lead => "support",
            DutyRole::Support => "lead",
        };
        assign_names(
            &mut tx,
            &dir,
            duty_id,
            std::slice::from_ref(&d.unit),
            d.role.as_str(),
        )
        .await?;
        assign_names(&mut tx, &dir, duty_id, &d.support, others).await?;
    }
    audit::record::<(), _>(
        &mut tx,
        Entry {
            user_id: actor,
            action: "import",
            entity: "plan",
            entity_id: Some(plan_id),
            plan_id: Some(plan_id),
        },
        None,
        Some(
            &serde_json::json!({"source_name": source_name, "title": doc.title,
            "themes": doc.themes.len(), "duties": doc.duties.len()}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(plan_id)
}

async fn assign_names(
    tx: &mut Tx,
    dir: &Directory,
    duty_id: i64,
    names: &[String],
    role: &str,
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

/// Hands a duty to a unit; an existing assignment keeps its status and
/// takes the stronger role (lead over support).
pub async fn assign(
    tx: &mut Tx,
    duty_id: i64,
    unit_id: i64,
    role: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignments (duty_id, unit_id, role, status, updated_at) \
         VALUES ($1, $2, $3, 'not_started', $4) \
         ON CONFLICT (duty_id, unit_id) DO UPDATE SET role = \
         CASE WHEN assignments.role = 'lead' THEN 'lead' ELSE excluded.role END",
    )
    .bind(duty_id)
    .bind(unit_id)
    .bind(role)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeRow {
    pub id: i64,
    pub position: i64,
    pub number: String,
    pub kind: String,
    pub text: String,
    pub line: Option<i64>,
}

pub async fn themes(db: &Db, plan_id: i64) -> Result<Vec<ThemeRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, position, number, kind, text, line FROM themes WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| ThemeRow {
        id: r.get(0),
        position: r.get(1),
        number: r.get(2),
        kind: r.get(3),
        text: r.get(4),
        line: r.get(5),
    })
    .collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelRow {
    pub number: String,
    pub parent_number: Option<String>,
    pub text: String,
    pub line: Option<i64>,
}

pub async fn channels(db: &Db, plan_id: i64) -> Result<Vec<ChannelRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT number, parent_number, text, line FROM channels WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| ChannelRow {
        number: r.get(0),
        parent_number: r.get(1),
        text: r.get(2),
        line: r.get(3),
    })
    .collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct AssignmentRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
    pub status: String,
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
    pub fn deadline_vn(&self) -> String {
        crate::web::dates::deadline_vn(self.deadline.as_deref(), self.deadline_text.as_deref())
    }

    pub fn leads(&self) -> Vec<&AssignmentRow> {
        self.assignments
            .iter()
            .filter(|a| a.role == "lead")
            .collect()
    }

    pub fn supports(&self) -> Vec<&AssignmentRow> {
        self.assignments
            .iter()
            .filter(|a| a.role != "lead")
            .collect()
    }

    pub fn has_unit(&self, unit_id: &i64) -> bool {
        self.assignments.iter().any(|a| a.unit_id == *unit_id)
    }

    pub fn role_of(&self, unit_id: &i64) -> Option<&str> {
        self.assignments
            .iter()
            .find(|a| a.unit_id == *unit_id)
            .map(|a| a.role.as_str())
    }
}

pub async fn duties(db: &Db, plan_id: i64) -> Result<Vec<DutyRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.id, d.position, d.text, d.source_unit, d.deadline, d.deadline_text, d.line, \
                a.id, a.unit_id, u.name, a.role, a.status, a.status_note \
         FROM duties d LEFT JOIN assignments a ON a.duty_id = d.id \
         LEFT JOIN units u ON u.id = a.unit_id \
         WHERE d.plan_id = $1 ORDER BY d.position, a.role, u.name",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<DutyRow> = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        if out.last().is_none_or(|d| d.id != id) {
            out.push(DutyRow {
                id,
                position: r.get(1),
                text: r.get(2),
                source_unit: r.get(3),
                deadline: r.get(4),
                deadline_text: r.get(5),
                line: r.get(6),
                assignments: Vec::new(),
            });
        }
        if let (Some(aid), Some(duty)) = (r.get::<Option<i64>, _>(7), out.last_mut()) {
            duty.assignments.push(AssignmentRow {
                id: aid,
                unit_id: r.get(8),
                unit_name: r.get(9),
                role: r.get(10),
                status: r.get(11),
                status_note: r.get(12),
            });
        }
    }
    Ok(out)
}

pub fn plan_entry(
    user_id: i64,
    action: &'static str,
    entity: &'static str,
    id: i64,
    plan_id: i64,
) -> Entry<'static> {
    Entry {
        user_id: Some(user_id),
        action,
        entity,
        entity_id: Some(id),
        plan_id: Some(plan_id),
    }
}

pub async fn publish(db: &Db, actor: Option<i64>, plan_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE plans SET status = 'published', published_at = $1 WHERE id = $2 AND status = 'draft'")
        .bind(now())
        .bind(plan_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            user_id: actor,
            action: "publish",
            entity: "plan",
            entity_id: Some(plan_id),
            plan_id: Some(plan_id),
        },
        Some(&"draft"),
        Some(&"published"),
    )
    .await?;
    tx.commit().await
}
