//! The plan aggregate: the imported document, its themes and channels,
//! publication.

use kehoach_plan::PlanDocument;
use serde::Serialize;

use super::duties::assign_names;
use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::Db;
use crate::plans::states::{AssignmentRole, PlanStatus, ThemeKind};
use crate::units::repo as units;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub status: PlanStatus,
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
        self.status == PlanStatus::Published
    }
}

pub async fn plan(db: &Db, id: i64) -> Result<Option<PlanRow>, sqlx::Error> {
    sqlx::query_as::<_, PlanRow>(
        "SELECT id, status, kind, number, issuer, place, doc_date, title, year, \
         source_name, created_at, published_at FROM plans WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// The office's plans, newest first; units' sub-plans are listed under theirs.
pub async fn plans(db: &Db) -> Result<Vec<PlanRow>, sqlx::Error> {
    sqlx::query_as::<_, PlanRow>(
        "SELECT id, status, kind, number, issuer, place, doc_date, title, year, \
         source_name, created_at, published_at FROM plans WHERE parent_id IS NULL ORDER BY id DESC",
    )
    .fetch_all(&db.pool)
    .await
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
    let status = if owner.is_some() {
        PlanStatus::Subplan
    } else {
        PlanStatus::Draft
    };
    let plan_id: i64 = sqlx::query_scalar(
        "INSERT INTO plans (status, kind, number, issuer, place, doc_date, title, year, \
         source_name, source_text, parsed_json, created_by, created_at, parent_id, unit_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(status)
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
    .bind(owner.map(|o| o.parent_id))
    .bind(owner.map(|o| o.unit_id))
    .fetch_one(&mut *tx)
    .await?;
    for (i, t) in doc.themes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO themes (plan_id, position, number, kind, text, line) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(plan_id)
        .bind(i as i64)
        .bind(&t.number)
        .bind(ThemeKind::from(t.kind))
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
        let duty_id: i64 = sqlx::query_scalar(
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
        .await?;
        let role = AssignmentRole::from(d.role);
        // A support duty ("Phối hợp với X ...") names the unit it helps: X leads.
        let others = match role {
            AssignmentRole::Lead => AssignmentRole::Support,
            AssignmentRole::Support => AssignmentRole::Lead,
        };
        assign_names(&mut tx, &dir, duty_id, std::slice::from_ref(&d.unit), role).await?;
        assign_names(&mut tx, &dir, duty_id, &d.support, others).await?;
    }
    audit::record::<(), _>(
        &mut tx,
        Entry::new(actor, "import", "plan", plan_id).in_plan(plan_id),
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

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ThemeRow {
    pub id: i64,
    pub position: i64,
    pub number: String,
    pub kind: ThemeKind,
    pub text: String,
    pub line: Option<i64>,
}

pub async fn themes(db: &Db, plan_id: i64) -> Result<Vec<ThemeRow>, sqlx::Error> {
    sqlx::query_as::<_, ThemeRow>(
        "SELECT id, position, number, kind, text, line FROM themes WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ChannelRow {
    pub number: String,
    pub parent_number: Option<String>,
    pub text: String,
    pub line: Option<i64>,
}

pub async fn channels(db: &Db, plan_id: i64) -> Result<Vec<ChannelRow>, sqlx::Error> {
    sqlx::query_as::<_, ChannelRow>(
        "SELECT number, parent_number, text, line FROM channels WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn publish(db: &Db, actor: Option<i64>, plan_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE plans SET status = $1, published_at = $2 WHERE id = $3 AND status = $4")
        .bind(PlanStatus::Published)
        .bind(now())
        .bind(plan_id)
        .bind(PlanStatus::Draft)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry::new(actor, "publish", "plan", plan_id).in_plan(plan_id),
        Some(&PlanStatus::Draft),
        Some(&PlanStatus::Published),
    )
    .await?;
    tx.commit().await
}
