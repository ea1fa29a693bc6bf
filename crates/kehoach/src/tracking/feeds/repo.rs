//! Queries for feeds and their offered items. Every user-initiated write is
//! audited; a scheduled fetch only adds offers, which are not plan data
//! until a member confirms one.

use super::fetch::FeedUrl;
use super::parse::{Feed, FeedItem};
use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::{Db, Tx};
use crate::tracking::coverage;
use crate::tracking::domain::NewActivity;
use crate::tracking::repo::Choice;

crate::db::db_enum! {
    /// An offered article waits as new until a member confirms or dismisses it.
    pub enum ItemStatus { New = "new", Confirmed = "confirmed", Dismissed = "dismissed" }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub plan_id: i64,
    pub plan_title: String,
    pub url: String,
    pub title: String,
    pub last_fetched_at: Option<i64>,
    pub last_error: Option<String>,
    pub new_items: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub feed_id: i64,
    pub title: String,
    pub link: Option<String>,
    pub published_on: Option<String>,
    pub summary: String,
    /// Theme ids, comma-separated, as suggested when the item was fetched.
    pub suggested_themes: String,
}

impl ItemRow {
    pub fn suggests(&self, theme: &i64) -> bool {
        self.suggested_themes
            .split(',')
            .any(|s| s.parse::<i64>().is_ok_and(|id| id == *theme))
    }
}

/// The columns of a [`FeedRow`]; `$1` is [`ItemStatus::New`].
macro_rules! feed_select {
    () => {
        "SELECT f.id, f.unit_id, u.name AS unit_name, f.plan_id, p.title AS plan_title, f.url, f.title, \
         f.last_fetched_at, f.last_error, \
         (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id AND i.status = $1) AS new_items \
         FROM feeds f JOIN units u ON u.id = f.unit_id JOIN plans p ON p.id = f.plan_id"
    };
}

pub async fn feeds(db: &Db) -> Result<Vec<FeedRow>, sqlx::Error> {
    sqlx::query_as(concat!(feed_select!(), " ORDER BY u.name, f.id"))
        .bind(ItemStatus::New)
        .fetch_all(&db.pool)
        .await
}

pub async fn feed(db: &Db, id: i64) -> Result<Option<FeedRow>, sqlx::Error> {
    sqlx::query_as(concat!(feed_select!(), " WHERE f.id = $2"))
        .bind(ItemStatus::New)
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn exists(db: &Db, unit: i64, plan: i64, url: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM feeds WHERE unit_id = $1 AND plan_id = $2 AND url = $3",
    )
    .bind(unit)
    .bind(plan)
    .bind(url)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

#[derive(serde::Serialize)]
struct FeedAudit<'a> {
    unit_id: i64,
    plan_id: i64,
    url: &'a str,
}

/// Stores a new feed and its first items in one transaction.
pub async fn insert(
    db: &Db,
    actor: i64,
    unit_id: i64,
    plan_id: i64,
    url: &FeedUrl,
    feed: &Feed,
    themes: &[Choice],
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let title = if feed.title.is_empty() {
        url.as_str()
    } else {
        feed.title.as_str()
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO feeds (unit_id, plan_id, url, title, last_fetched_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING id",
    )
    .bind(unit_id)
    .bind(plan_id)
    .bind(url.as_str())
    .bind(title)
    .bind(now())
    .bind(actor)
    .fetch_one(&mut *tx)
    .await?;
    insert_items(&mut tx, id, &feed.items, themes).await?;
    let after = FeedAudit {
        unit_id,
        plan_id,
        url: url.as_str(),
    };
    let entry = Entry::new(actor, "create", "feed", id).in_plan(plan_id);
    audit::record::<(), _>(&mut tx, entry, None, Some(&after)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the items not seen before; returns how many were new.
async fn insert_items(
    tx: &mut Tx,
    feed_id: i64,
    items: &[FeedItem],
    themes: &[Choice],
) -> Result<usize, sqlx::Error> {
    let themes: Vec<(i64, String)> = themes.iter().map(|t| (t.id, t.label.clone())).collect();
    let mut added = 0;
    for item in items {
        let text = format!("{} {}", item.title, item.summary);
        let suggested: Vec<String> = coverage::suggested(&themes, &text)
            .iter()
            .map(i64::to_string)
            .collect();
        added += sqlx::query(
            "INSERT INTO feed_items (feed_id, guid, title, link, published_on, summary, suggested_themes, status, fetched_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (feed_id, guid) DO NOTHING",
        )
        .bind(feed_id)
        .bind(&item.guid)
        .bind(&item.title)
        .bind(&item.link)
        .bind(&item.published_on)
        .bind(&item.summary)
        .bind(suggested.join(","))
        .bind(ItemStatus::New)
        .bind(now())
        .execute(&mut **tx)
        .await?
        .rows_affected() as usize;
    }
    Ok(added)
}

pub async fn store_items(
    db: &Db,
    feed_id: i64,
    items: &[FeedItem],
    themes: &[Choice],
) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin().await?;
    let added = insert_items(&mut tx, feed_id, items, themes).await?;
    sqlx::query("UPDATE feeds SET last_fetched_at = $1, last_error = NULL WHERE id = $2")
        .bind(now())
        .bind(feed_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(added)
}

pub async fn record_error(db: &Db, feed_id: i64, code: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE feeds SET last_fetched_at = $1, last_error = $2 WHERE id = $3")
        .bind(now())
        .bind(code)
        .bind(feed_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, actor: i64, feed: &FeedRow) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM feed_items WHERE feed_id = $1")
        .bind(feed.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM feeds WHERE id = $1")
        .bind(feed.id)
        .execute(&mut *tx)
        .await?;
    let before = FeedAudit {
        unit_id: feed.unit_id,
        plan_id: feed.plan_id,
        url: &feed.url,
    };
    let entry = Entry::new(actor, "delete", "feed", feed.id).in_plan(feed.plan_id);
    audit::record::<_, ()>(&mut tx, entry, Some(&before), None).await?;
    tx.commit().await
}

macro_rules! item_select {
    () => {
        "SELECT id, feed_id, title, link, published_on, summary, suggested_themes FROM feed_items"
    };
}

/// Items waiting for a decision, newest article first.
pub async fn new_items(db: &Db, feed_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        item_select!(),
        " WHERE feed_id = $1 AND status = $2 ORDER BY published_on DESC, id DESC LIMIT 100"
    ))
    .bind(feed_id)
    .bind(ItemStatus::New)
    .fetch_all(&db.pool)
    .await
}

/// An item still waiting for a decision.
pub async fn item(db: &Db, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    sqlx::query_as(concat!(item_select!(), " WHERE id = $1 AND status = $2"))
        .bind(id)
        .bind(ItemStatus::New)
        .fetch_optional(&db.pool)
        .await
}

/// Moves a new item to `to`; false when another request decided it first.
async fn decide(tx: &mut Tx, item_id: i64, to: ItemStatus) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query("UPDATE feed_items SET status = $1 WHERE id = $2 AND status = $3")
        .bind(to)
        .bind(item_id)
        .bind(ItemStatus::New)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(claimed > 0)
}

/// Turns the item into an activity, once: false when another request
/// decided it first (nothing is written then).
pub async fn confirm(
    db: &Db,
    actor: i64,
    item_id: i64,
    activity: &NewActivity,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    if !decide(&mut tx, item_id, ItemStatus::Confirmed).await? {
        return Ok(false);
    }
    let activity_id = crate::tracking::repo::insert_activity_in(&mut tx, actor, activity).await?;
    sqlx::query("UPDATE feed_items SET activity_id = $1 WHERE id = $2")
        .bind(activity_id)
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn dismiss(db: &Db, actor: i64, feed: &FeedRow, item_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    decide(&mut tx, item_id, ItemStatus::Dismissed).await?;
    let entry = Entry::new(actor, "dismiss", "feed_item", item_id).in_plan(feed.plan_id);
    audit::record::<(), ()>(&mut tx, entry, None, None).await?;
    tx.commit().await
}
