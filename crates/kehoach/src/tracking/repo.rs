//! Tracking queries: activities, periods, reports and the counts a report
//! is pre-filled with.

use serde::Serialize;
use sqlx::Row;

use super::domain::{NewActivity, NewPeriod, ReportStatus};
use crate::audit::{self, Entry};
use crate::db::{Db, Tx, now};

fn entry(
    actor: impl Into<Option<i64>>,
    action: &'static str,
    entity: &'static str,
    id: i64,
    plan_id: i64,
) -> Entry<'static> {
    Entry {
        user_id: actor.into(),
        action,
        entity,
        entity_id: Some(id),
        plan_id: Some(plan_id),
    }
}

/// Stores activities in one transaction (a form submits one, an import many).
pub async fn insert_activities(
    db: &Db,
    actor: i64,
    activities: &[NewActivity],
) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut ids = Vec::with_capacity(activities.len());
    for a in activities {
        ids.push(insert_activity_in(&mut tx, actor, a).await?);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Stores one activity inside the caller's transaction, with its themes,
/// search words and audit entry.
pub async fn insert_activity_in(
    tx: &mut Tx,
    actor: i64,
    a: &NewActivity,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO activities (plan_id, unit_id, duty_id, channel_id, kind, title, folded_title, \
         date_from, date_to, link, items, participants, reach, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(a.plan_id)
    .bind(a.unit_id)
    .bind(a.duty_id)
    .bind(a.channel_id)
    .bind(a.kind.as_str())
    .bind(&a.title)
    .bind(kehoach_plan::fold(&a.title))
    .bind(&a.date_from)
    .bind(&a.date_to)
    .bind(&a.link)
    .bind(a.items)
    .bind(a.participants)
    .bind(a.reach)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .get(0);
    set_themes(tx, id, &a.theme_ids).await?;
    set_words(tx, id, &a.title).await?;
    audit::record::<(), _>(
        tx,
        entry(actor, "create", "activity", id, a.plan_id),
        None,
        Some(a),
    )
    .await?;
    Ok(id)
}

async fn set_themes(tx: &mut Tx, activity_id: i64, theme_ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM activity_themes WHERE activity_id = $1")
        .bind(activity_id)
        .execute(&mut **tx)
        .await?;
    for theme_id in theme_ids {
        sqlx::query(
            "INSERT INTO activity_themes (activity_id, theme_id) SELECT $1, t.id FROM themes t \
             JOIN activities a ON a.plan_id = t.plan_id WHERE a.id = $1 AND t.id = $2 \
             ON CONFLICT (activity_id, theme_id) DO NOTHING",
        )
        .bind(activity_id)
        .bind(theme_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces an activity's search words (see the activity_words table).
pub async fn set_words(tx: &mut Tx, activity_id: i64, title: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM activity_words WHERE activity_id = $1")
        .bind(activity_id)
        .execute(&mut **tx)
        .await?;
    for word in crate::search::words(title) {
        sqlx::query("INSERT INTO activity_words (word, activity_id) VALUES ($1, $2)")
            .bind(word)
            .bind(activity_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn update_activity(
    db: &Db,
    actor: i64,
    id: i64,
    before: &ActivityRow,
    a: &NewActivity,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE activities SET duty_id = $1, channel_id = $2, kind = $3, title = $4, folded_title = $5, \
         date_from = $6, date_to = $7, link = $8, items = $9, participants = $10, reach = $11, updated_at = $12 \
         WHERE id = $13",
    )
    .bind(a.duty_id)
    .bind(a.channel_id)
    .bind(a.kind.as_str())
    .bind(&a.title)
    .bind(kehoach_plan::fold(&a.title))
    .bind(&a.date_from)
    .bind(&a.date_to)
    .bind(&a.link)
    .bind(a.items)
    .bind(a.participants)
    .bind(a.reach)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_themes(&mut tx, id, &a.theme_ids).await?;
    set_words(&mut tx, id, &a.title).await?;
    audit::record(
        &mut tx,
        entry(actor, "update", "activity", id, before.plan_id),
        Some(before),
        Some(a),
    )
    .await?;
    tx.commit().await
}

pub async fn delete_activity(db: &Db, actor: i64, before: &ActivityRow) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM activities WHERE id = $1")
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    audit::record::<_, ()>(
        &mut tx,
        entry(actor, "delete", "activity", before.id, before.plan_id),
        Some(before),
        None,
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub plan_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub duty_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub date_from: String,
    pub date_to: Option<String>,
    pub link: Option<String>,
    pub items: i64,
    pub participants: i64,
    pub reach: i64,
    pub theme_ids: Vec<i64>,
}

impl ActivityRow {
    pub fn dates_vn(&self) -> String {
        let from = crate::web::dates::iso_to_vn(&self.date_from);
        match &self.date_to {
            Some(to) if *to != self.date_from => {
                format!("{from} – {}", crate::web::dates::iso_to_vn(to))
            }
            _ => from,
        }
    }

    pub fn has_theme(&self, id: &i64) -> bool {
        self.theme_ids.contains(id)
    }
}

const ACTIVITY_SELECT: &str = "SELECT a.id, a.plan_id, a.unit_id, u.name, a.duty_id, a.channel_id, a.kind, a.title, \
     a.date_from, a.date_to, a.link, a.items, a.participants, a.reach FROM activities a JOIN units u ON u.id = a.unit_id";

fn activity_row(r: &sqlx::any::AnyRow) -> ActivityRow {
    ActivityRow {
        id: r.get(0),
        plan_id: r.get(1),
        unit_id: r.get(2),
        unit_name: r.get(3),
        duty_id: r.get(4),
        channel_id: r.get(5),
        kind: r.get(6),
        title: r.get(7),
        date_from: r.get(8),
        date_to: r.get(9),
        link: r.get(10),
        items: r.get(11),
        participants: r.get(12),
        reach: r.get(13),
        theme_ids: Vec::new(),
    }
}

pub async fn activity(db: &Db, id: i64) -> Result<Option<ActivityRow>, sqlx::Error> {
    let sql = format!("{ACTIVITY_SELECT} WHERE a.id = $1");
    let Some(mut row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(activity_row)
    else {
        return Ok(None);
    };
    row.theme_ids =
        sqlx::query_scalar("SELECT theme_id FROM activity_themes WHERE activity_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    Ok(Some(row))
}

/// Which activities a list shows: a unit member's units, or everything for
/// the office; optionally one plan and one date range (a period).
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub unit_ids: Option<Vec<i64>>,
    pub plan_id: Option<i64>,
    pub theme_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl ActivityFilter {
    /// The WHERE clause and its text arguments, after `first` positional ones.
    fn clause(&self, first: usize) -> (String, Vec<String>) {
        let mut conds = vec!["1 = 1".to_owned()];
        let mut args = Vec::new();
        if let Some(units) = &self.unit_ids {
            // Ids are numbers we produced, not user text: safe to inline.
            let list = units
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            conds.push(format!(
                "a.unit_id IN ({})",
                if list.is_empty() { "-1".into() } else { list }
            ));
        }
        if let Some(plan) = self.plan_id {
            conds.push(format!("a.plan_id = {plan}"));
        }
        if let Some(theme) = self.theme_id {
            conds.push(format!(
                "a.id IN (SELECT activity_id FROM activity_themes WHERE theme_id = {theme})"
            ));
        }
        if let Some(channel) = self.channel_id {
            conds.push(format!("a.channel_id = {channel}"));
        }
        for (value, op) in [(&self.from, ">="), (&self.to, "<=")] {
            if let Some(v) = value {
                args.push(v.clone());
                conds.push(format!("a.date_from {op} ${}", first + args.len()));
            }
        }
        (conds.join(" AND "), args)
    }
}

pub async fn activities(
    db: &Db,
    filter: &ActivityFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ActivityRow>, i64), sqlx::Error> {
    let (clause, args) = filter.clause(0);
    let count_sql = format!("SELECT COUNT(*) FROM activities a WHERE {clause}");
    let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
    for a in &args {
        count = count.bind(a.clone());
    }
    let total = count.fetch_one(&db.pool).await?;
    let n = args.len();
    let sql = format!(
        "{ACTIVITY_SELECT} WHERE {clause} ORDER BY a.date_from DESC, a.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in &args {
        q = q.bind(a.clone());
    }
    let rows = q.bind(limit).bind(offset).fetch_all(&db.pool).await?;
    Ok((rows.iter().map(activity_row).collect(), total))
}

#[derive(Debug, Clone, Serialize)]
pub struct Option2 {
    pub id: i64,
    pub label: String,
}

/// Published plans a unit can record activities under.
pub async fn published_plans(db: &Db) -> Result<Vec<Option2>, sqlx::Error> {
    options(
        db,
        "SELECT id, kind || ' ' || title FROM plans WHERE status = 'published' ORDER BY id DESC",
        None,
    )
    .await
}

pub async fn themes(db: &Db, plan_id: i64) -> Result<Vec<Option2>, sqlx::Error> {
    options(
        db,
        "SELECT id, number || '. ' || text FROM themes WHERE plan_id = $1 ORDER BY position",
        Some(plan_id),
    )
    .await
}

pub async fn channels(db: &Db, plan_id: i64) -> Result<Vec<Option2>, sqlx::Error> {
    options(
        db,
        "SELECT id, number || '. ' || text FROM channels WHERE plan_id = $1 ORDER BY position",
        Some(plan_id),
    )
    .await
}

async fn options(
    db: &Db,
    sql: &'static str,
    arg: Option<i64>,
) -> Result<Vec<Option2>, sqlx::Error> {
    let mut q = sqlx::query(sql);
    if let Some(a) = arg {
        q = q.bind(a);
    }
    Ok(q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Option2 {
            id: r.get(0),
            label: r.get(1),
        })
        .collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    pub id: i64,
    pub plan_id: i64,
    pub kind: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub due_on: String,
}

impl PeriodRow {
    pub fn range_vn(&self) -> String {
        format!(
            "{} – {}",
            crate::web::dates::iso_to_vn(&self.starts_on),
            crate::web::dates::iso_to_vn(&self.ends_on)
        )
    }

    pub fn due_vn(&self) -> String {
        crate::web::dates::iso_to_vn(&self.due_on)
    }
}

fn period_row(r: &sqlx::any::AnyRow) -> PeriodRow {
    PeriodRow {
        id: r.get(0),
        plan_id: r.get(1),
        kind: r.get(2),
        name: r.get(3),
        starts_on: r.get(4),
        ends_on: r.get(5),
        due_on: r.get(6),
    }
}

const PERIOD_SELECT: &str =
    "SELECT id, plan_id, kind, name, starts_on, ends_on, due_on FROM periods";

pub async fn periods(db: &Db, plan_id: i64) -> Result<Vec<PeriodRow>, sqlx::Error> {
    let sql = format!("{PERIOD_SELECT} WHERE plan_id = $1 ORDER BY starts_on, id");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(period_row)
        .collect())
}

pub async fn period(db: &Db, id: i64) -> Result<Option<PeriodRow>, sqlx::Error> {
    let sql = format!("{PERIOD_SELECT} WHERE id = $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(period_row))
}

pub async fn insert_period(
    db: &Db,
    actor: Option<i64>,
    plan_id: i64,
    p: &NewPeriod,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO periods (plan_id, kind, name, starts_on, ends_on, due_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(plan_id)
    .bind(p.kind.as_str())
    .bind(&p.name)
    .bind(&p.starts_on)
    .bind(&p.ends_on)
    .bind(&p.due_on)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "create", "period", id, plan_id),
        None,
        Some(p),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub id: i64,
    pub status: ReportStatus,
    pub results: String,
    pub shortcomings: String,
    pub proposals: String,
    pub office_comment: Option<String>,
    pub submitted_at: Option<i64>,
}

pub async fn report(
    db: &Db,
    period_id: i64,
    unit_id: i64,
) -> Result<Option<ReportRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, status, results, shortcomings, proposals, office_comment, submitted_at \
         FROM reports WHERE period_id = $1 AND unit_id = $2",
    )
    .bind(period_id)
    .bind(unit_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| ReportRow {
        id: r.get(0),
        status: ReportStatus::parse(&r.get::<String, _>(1)).unwrap_or(ReportStatus::Draft),
        results: r.get(2),
        shortcomings: r.get(3),
        proposals: r.get(4),
        office_comment: r.get(5),
        submitted_at: r.get(6),
    }))
}

/// Writes a report's text and status (creating the row on first save).
pub async fn save_report(
    db: &Db,
    actor: i64,
    period: &PeriodRow,
    unit_id: i64,
    before: Option<&ReportRow>,
    after: &ReportRow,
    action: &'static str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO reports (period_id, unit_id, status, results, shortcomings, proposals, office_comment, \
         submitted_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (period_id, unit_id) DO UPDATE SET status = excluded.status, results = excluded.results, \
         shortcomings = excluded.shortcomings, proposals = excluded.proposals, \
         office_comment = excluded.office_comment, submitted_at = excluded.submitted_at, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING id",
    )
    .bind(period.id)
    .bind(unit_id)
    .bind(after.status.as_str())
    .bind(&after.results)
    .bind(&after.shortcomings)
    .bind(&after.proposals)
    .bind(&after.office_comment)
    .bind(after.submitted_at)
    .bind(now())
    .bind(actor)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    audit::record(
        &mut tx,
        entry(actor, action, "report", id, period.plan_id),
        before,
        Some(after),
    )
    .await?;
    tx.commit().await
}

/// Counts of a unit's activities in a period: by kind, by theme, by channel.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub by_kind: Vec<(String, i64, i64, i64, i64)>,
    pub by_theme: Vec<(String, i64)>,
    pub by_channel: Vec<(String, i64)>,
    pub total: i64,
}

pub async fn counts(
    db: &Db,
    period: &PeriodRow,
    unit_id: Option<i64>,
) -> Result<Counts, sqlx::Error> {
    let unit_cond = if unit_id.is_some() {
        "AND a.unit_id = $4"
    } else {
        "AND $4 = 0"
    };
    let by = |select: &str, group: &str| {
        format!(
            "SELECT {select} FROM activities a {group} WHERE a.plan_id = $1 AND a.date_from >= $2 \
             AND a.date_from <= $3 {unit_cond}"
        )
    };
    let kind_sql = by(
        "a.kind, COUNT(*), CAST(COALESCE(SUM(a.items), 0) AS BIGINT), \
         CAST(COALESCE(SUM(a.participants), 0) AS BIGINT), CAST(COALESCE(SUM(a.reach), 0) AS BIGINT)",
        "",
    ) + " GROUP BY a.kind ORDER BY a.kind";
    let theme_sql = by(
        "t.number || '. ' || t.text, COUNT(*)",
        "JOIN activity_themes at ON at.activity_id = a.id JOIN themes t ON t.id = at.theme_id",
    ) + " GROUP BY t.number, t.text, t.position ORDER BY t.position";
    let channel_sql = by(
        "c.number || '. ' || c.text, COUNT(*)",
        "JOIN channels c ON c.id = a.channel_id",
    ) + " GROUP BY c.number, c.text, c.position ORDER BY c.position";
    let unit = unit_id.unwrap_or(0);
    let run = |sql: String| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(period.plan_id)
            .bind(period.starts_on.clone())
            .bind(period.ends_on.clone())
            .bind(unit)
            .fetch_all(&db.pool)
    };
    // SUM is NUMERIC on PostgreSQL, which `Any` cannot read: the SQL casts it.
    let num = |r: &sqlx::any::AnyRow, i: usize| -> i64 { r.get(i) };
    let by_kind: Vec<_> = run(kind_sql)
        .await?
        .iter()
        .map(|r| {
            (
                r.get::<String, _>(0),
                num(r, 1),
                num(r, 2),
                num(r, 3),
                num(r, 4),
            )
        })
        .collect();
    let pairs = |rows: Vec<sqlx::any::AnyRow>| {
        rows.iter()
            .map(|r| (r.get::<String, _>(0), num(r, 1)))
            .collect()
    };
    Ok(Counts {
        total: by_kind.iter().map(|k| k.1).sum(),
        by_theme: pairs(run(theme_sql).await?),
        by_channel: pairs(run(channel_sql).await?),
        by_kind,
    })
}

/// The units a period expects a report from (every unit with a duty in the
/// plan) with their report's status, if any.
pub async fn period_reports(
    db: &Db,
    period: &PeriodRow,
) -> Result<Vec<(i64, String, Option<ReportStatus>, Option<i64>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, r.status, r.submitted_at FROM units u \
         LEFT JOIN reports r ON r.unit_id = u.id AND r.period_id = $1 \
         WHERE u.id IN (SELECT a.unit_id FROM assignments a JOIN duties d ON d.id = a.duty_id WHERE d.plan_id = $2)",
    )
    .bind(period.id)
    .bind(period.plan_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.get::<i64, _>(0),
                r.get::<String, _>(1),
                r.get::<Option<String>, _>(2)
                    .as_deref()
                    .and_then(ReportStatus::parse),
                r.get::<Option<i64>, _>(3),
            )
        })
        .collect();
    out.sort_by_cached_key(|(_, n, _, _)| kehoach_plan::fold(n));
    Ok(out)
}

/// Per unit in a period: activities, items, participants, reach.
pub async fn unit_totals(
    db: &Db,
    period: &PeriodRow,
) -> Result<Vec<(i64, i64, i64, i64, i64)>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT a.unit_id, COUNT(*), CAST(COALESCE(SUM(a.items), 0) AS BIGINT), \
         CAST(COALESCE(SUM(a.participants), 0) AS BIGINT), CAST(COALESCE(SUM(a.reach), 0) AS BIGINT) \
         FROM activities a WHERE a.plan_id = $1 AND a.date_from >= $2 AND a.date_from <= $3 GROUP BY a.unit_id",
    )
    .bind(period.plan_id)
    .bind(&period.starts_on)
    .bind(&period.ends_on)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
    .collect())
}
