//! Activities: recording, changing and removing them (with their themes,
//! search words and audit entries), and listing them through a filter.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Arguments;
use sqlx::any::AnyArguments;
use sqlx::error::BoxDynError;

use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::{Db, Tx};
use crate::tracking::domain::{ActivityKind, NewActivity};

/// Binds what a form or a spreadsheet sets on an activity, as `$1`–`$11`
/// of both the insert and the update.
macro_rules! bind_fields {
    ($query:expr, $a:expr) => {
        $query
            .bind($a.duty_id)
            .bind($a.channel_id)
            .bind($a.kind)
            .bind(&$a.title)
            .bind(kehoach_plan::fold(&$a.title))
            .bind(&$a.date_from)
            .bind(&$a.date_to)
            .bind(&$a.link)
            .bind($a.items)
            .bind($a.participants)
            .bind($a.reach)
    };
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
    let insert = sqlx::query_scalar(
        "INSERT INTO activities (duty_id, channel_id, kind, title, folded_title, date_from, date_to, \
         link, items, participants, reach, plan_id, unit_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    );
    let id: i64 = bind_fields!(insert, a)
        .bind(a.plan_id)
        .bind(a.unit_id)
        .bind(actor)
        .bind(now())
        .fetch_one(&mut **tx)
        .await?;
    set_themes(tx, id, &a.theme_ids).await?;
    set_words(tx, id, &a.title).await?;
    let entry = Entry::new(actor, "create", "activity", id).in_plan(a.plan_id);
    audit::record::<(), _>(tx, entry, None, Some(a)).await?;
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
    let update = sqlx::query(
        "UPDATE activities SET duty_id = $1, channel_id = $2, kind = $3, title = $4, folded_title = $5, \
         date_from = $6, date_to = $7, link = $8, items = $9, participants = $10, reach = $11, updated_at = $12 \
         WHERE id = $13",
    );
    bind_fields!(update, a)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    set_themes(&mut tx, id, &a.theme_ids).await?;
    set_words(&mut tx, id, &a.title).await?;
    let entry = Entry::new(actor, "update", "activity", id).in_plan(before.plan_id);
    audit::record(&mut tx, entry, Some(before), Some(a)).await?;
    tx.commit().await
}

pub async fn delete_activity(db: &Db, actor: i64, before: &ActivityRow) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM activities WHERE id = $1")
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    let entry = Entry::new(actor, "delete", "activity", before.id).in_plan(before.plan_id);
    audit::record::<_, ()>(&mut tx, entry, Some(before), None).await?;
    tx.commit().await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub plan_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub duty_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub kind: ActivityKind,
    pub title: String,
    pub date_from: String,
    pub date_to: Option<String>,
    pub link: Option<String>,
    pub items: i64,
    pub participants: i64,
    pub reach: i64,
    /// Read separately from activity_themes.
    #[sqlx(skip)]
    pub theme_ids: Vec<i64>,
}

impl ActivityRow {
    pub fn has_theme(&self, id: &i64) -> bool {
        self.theme_ids.contains(id)
    }
}

/// The columns of an [`ActivityRow`], as a literal so queries stay static.
macro_rules! activity_select {
    () => {
        "SELECT a.id, a.plan_id, a.unit_id, u.name AS unit_name, a.duty_id, a.channel_id, a.kind, \
         a.title, a.date_from, a.date_to, a.link, a.items, a.participants, a.reach \
         FROM activities a JOIN units u ON u.id = a.unit_id"
    };
}

pub async fn activity(db: &Db, id: i64) -> Result<Option<ActivityRow>, sqlx::Error> {
    let Some(mut row) =
        sqlx::query_as::<_, ActivityRow>(concat!(activity_select!(), " WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
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

/// Which activities a list or a figure covers: a unit's, a member's units'
/// or a unit group's (or everything), optionally one plan, theme, channel
/// and a date range (a period). Unset parts filter nothing.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub unit_id: Option<i64>,
    /// The user whose units' activities are shown (a member's view).
    pub member_id: Option<i64>,
    pub group_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub theme_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The WHERE clause on `activities a` for an [`ActivityFilter`]: one static
/// text whose `$1`–`$8` are the filter's parts in field order, a part left
/// NULL letting every row through. Queries go on from `$9`.
macro_rules! activity_where {
    () => {
        " WHERE ($1 IS NULL OR a.unit_id = $1) \
         AND ($2 IS NULL OR a.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = $2)) \
         AND ($3 IS NULL OR a.unit_id IN (SELECT unit_id FROM unit_group_members WHERE group_id = $3)) \
         AND ($4 IS NULL OR a.plan_id = $4) \
         AND ($5 IS NULL OR a.id IN (SELECT activity_id FROM activity_themes WHERE theme_id = $5)) \
         AND ($6 IS NULL OR a.channel_id = $6) \
         AND ($7 IS NULL OR a.date_from >= $7) \
         AND ($8 IS NULL OR a.date_from <= $8)"
    };
}
pub(super) use activity_where;

impl ActivityFilter {
    /// The values of `activity_where!`'s `$1`–`$8`, then `more`.
    pub(super) fn arguments(&self, more: &[i64]) -> Result<AnyArguments, sqlx::Error> {
        let mut args = AnyArguments::default();
        let mut add = || -> Result<(), BoxDynError> {
            args.add(self.unit_id)?;
            args.add(self.member_id)?;
            args.add(self.group_id)?;
            args.add(self.plan_id)?;
            args.add(self.theme_id)?;
            args.add(self.channel_id)?;
            args.add(self.from.clone())?;
            args.add(self.to.clone())?;
            for n in more {
                args.add(*n)?;
            }
            Ok(())
        };
        add().map_err(sqlx::Error::Encode)?;
        Ok(args)
    }
}

/// One page of activities, newest first, and how many there are in all.
pub async fn activities(
    db: &Db,
    filter: &ActivityFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ActivityRow>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar_with(
        concat!("SELECT COUNT(*) AS n FROM activities a", activity_where!()),
        filter.arguments(&[])?,
    )
    .fetch_one(&db.pool)
    .await?;
    let rows = sqlx::query_as_with(
        concat!(
            activity_select!(),
            activity_where!(),
            " ORDER BY a.date_from DESC, a.id DESC LIMIT $9 OFFSET $10"
        ),
        filter.arguments(&[limit, offset])?,
    )
    .fetch_all(&db.pool)
    .await?;
    Ok((rows, total))
}

/// What an import checks a spreadsheet against: an activity is already
/// recorded when its unit, kind, folded title and first day match.
#[derive(Debug, Clone, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct ActivityKey {
    pub unit_id: i64,
    pub kind: ActivityKind,
    pub folded_title: String,
    pub date_from: String,
}

pub async fn activity_keys(db: &Db, plan_id: i64) -> Result<Vec<ActivityKey>, sqlx::Error> {
    sqlx::query_as(
        "SELECT unit_id, kind, folded_title, date_from FROM activities WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}

#[derive(sqlx::FromRow)]
struct Numbered {
    number: String,
    id: i64,
}

fn by_number(rows: Vec<Numbered>) -> HashMap<String, i64> {
    rows.into_iter().map(|r| (r.number, r.id)).collect()
}

/// A plan's theme ids by number ("1.1"), as a spreadsheet names them.
pub async fn theme_numbers(db: &Db, plan_id: i64) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = sqlx::query_as("SELECT number, id FROM themes WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(by_number(rows))
}

/// A plan's channel ids by number.
pub async fn channel_numbers(db: &Db, plan_id: i64) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = sqlx::query_as("SELECT number, id FROM channels WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(by_number(rows))
}
