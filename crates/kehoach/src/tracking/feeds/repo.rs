//! Queries for feeds and their offered items. Every user-initiated write is
//! audited; a scheduled fetch only adds offers, which are not plan data
//! until a member confirms one.

use sqlx::Row;

use super::fetch::FeedUrl;
use super::parse::{Feed, FeedItem};
use crate::audit::{self, Entry};
use crate::db::{Db, Tx, now};
use crate::tracking::coverage;
use crate::tracking::domain::NewActivity;
use crate::web::dates;

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

impl FeedRow {
    pub fn fetched_vn(&self) -> String {
        self.last_fetched_at
            .map(dates::instant_vn)
            .unwrap_or_default()
    }
}

pub struct ItemRow {
    pub id: i64,
    pub feed_id: i64,
    pub title: String,
    pub link: Option<String>,
    pub published_on: Option<String>,
    pub summary: String,
    pub suggested: Vec<i64>,
}

impl ItemRow {
    pub fn suggests(&self, theme: &i64) -> bool {
        self.suggested.contains(theme)
    }

    /// The date the confirm form starts with: the article's, else today.
    pub fn date_vn(&self) -> String {
        dates::iso_to_vn(&self.published_on.clone().unwrap_or_else(dates::today_iso))
    }
}

const FEED_COLUMNS: &str = "SELECT f.id, f.unit_id, u.name, f.plan_id, p.title, f.url, f.title, \
     f.last_fetched_at, f.last_error, \
     (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id AND i.status = 'new') \
     FROM feeds f JOIN units u ON u.id = f.unit_id JOIN plans p ON p.id = f.plan_id";

fn feed_row(r: &sqlx::any::AnyRow) -> FeedRow {
    FeedRow {
        id: r.get(0),
        unit_id: r.get(1),
        unit_name: r.get(2),
        plan_id: r.get(3),
        plan_title: r.get(4),
        url: r.get(5),
        title: r.get(6),
        last_fetched_at: r.get(7),
        last_error: r.get(8),
        new_items: r.get(9),
    }
}

pub async fn feeds(db: &Db) -> Result<Vec<FeedRow>, sqlx::Error> {
    let sql = format!("{FEED_COLUMNS} ORDER BY u.name, f.id");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(feed_row)
        .collect())
}

pub async fn feed(db: &Db, id: i64) -> Result<Option<FeedRow>, sqlx::Error> {
    let sql = format!("{FEED_COLUMNS} WHERE f.id = $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(feed_row))
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

/// The plan's themes as (id, "number. text"), for suggestions and forms.
pub async fn themes(db: &Db, plan_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, number || '. ' || text FROM themes WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

#[derive(serde::Serialize)]
struct FeedAudit<'a> {
    unit_id: i64,
    plan_id: i64,
    url: &'a str,
}

fn entry<'a>(actor: i64, action: &'a str, entity: &'a str, id: i64, plan: i64) -> Entry<'a> {
    Entry {
        user_id: Some(actor),
        action,
        entity,
        entity_id: Some(id),
        plan_id: Some(plan),
    }
}

/// Stores a new feed and its first items in one transaction.
pub async fn insert(
    db: &Db,
    actor: i64,
    unit_id: i64,
    plan_id: i64,
    url: &FeedUrl,
    feed: &Feed,
    themes: &[(i64, String)],
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let title = if feed.title.is_empty() {
        url.as_str()
    } else {
        feed.title.as_str()
    };
    let id: i64 = sqlx::query(
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
    .await?
    .get(0);
    insert_items(&mut tx, id, &feed.items, themes).await?;
    let after = FeedAudit {
        unit_id,
        plan_id,
        url: url.as_str(),
    };
    audit::record::<(), _>(
        &mut tx,
        entry(actor, "create", "feed", id, plan_id),
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the items not seen before; returns how many were new.
async fn insert_items(
    tx: &mut Tx,
    feed_id: i64,
    items: &[FeedItem],
    themes: &[(i64, String)],
) -> Result<usize, sqlx::Error> {
    let mut added = 0;
    for item in items {
        let text = format!("{} {}", item.title, item.summary);
        let suggested: Vec<String> = coverage::suggested(themes, &text)
            .iter()
            .map(i64::to_string)
            .collect();
        added += sqlx::query(
            "INSERT INTO feed_items (feed_id, guid, title, link, published_on, summary, suggested_themes, status, fetched_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8) ON CONFLICT (feed_id, guid) DO NOTHING",
        )
        .bind(feed_id)
        .bind(&item.guid)
        .bind(&item.title)
        .bind(&item.link)
        .bind(&item.published_on)
        .bind(&item.summary)
        .bind(suggested.join(","))
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
    themes: &[(i64, String)],
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
    audit::record::<_, ()>(
        &mut tx,
        entry(actor, "delete", "feed", feed.id, feed.plan_id),
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await
}

fn item_row(r: &sqlx::any::AnyRow) -> ItemRow {
    ItemRow {
        id: r.get(0),
        feed_id: r.get(1),
        title: r.get(2),
        link: r.get(3),
        published_on: r.get(4),
        summary: r.get(5),
        suggested: r
            .get::<String, _>(6)
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect(),
    }
}

const ITEM_COLUMNS: &str = "SELECT id, feed_id, title, link, published_on, summary, suggested_themes \
     FROM feed_items";

/// Items waiting for a decision, newest article first.
pub async fn new_items(db: &Db, feed_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    let sql = format!(
        "{ITEM_COLUMNS} WHERE feed_id = $1 AND status = 'new' \
         ORDER BY published_on DESC, id DESC LIMIT 100"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(feed_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(item_row)
        .collect())
}

/// An item still waiting for a decision.
pub async fn item(db: &Db, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    let sql = format!("{ITEM_COLUMNS} WHERE id = $1 AND status = 'new'");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(item_row))
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
    let claimed =
        sqlx::query("UPDATE feed_items SET status = 'confirmed' WHERE id = $1 AND status = 'new'")
            .bind(item_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if claimed == 0 {
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
    sqlx::query("UPDATE feed_items SET status = 'dismissed' WHERE id = $1 AND status = 'new'")
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    audit::record::<(), ()>(
        &mut tx,
        entry(actor, "dismiss", "feed_item", item_id, feed.plan_id),
        None,
        None,
    )
    .await?;
    tx.commit().await
}
