//! Queries of the awards module. Every write is audited in its transaction.

use std::collections::{BTreeMap, HashMap};

use kehoach_award::{GENESIS, LogEntry, chain_hex};
use serde::Serialize;
use sqlx::Row;

use super::EditionRow;
use super::domain::{Author, EditionSettings, NewEntry};
use super::store::Stored;
use crate::audit;
use crate::contests::repo::entry as audit_entry;
use crate::db::{Db, Tx, flag, now};

/// Records a write of the awards module in its transaction.
async fn audited<A: Serialize>(
    tx: &mut Tx,
    actor: i64,
    action: &str,
    entity: &str,
    id: i64,
    after: A,
) -> Result<(), sqlx::Error> {
    audit::record::<(), _>(
        tx,
        audit_entry(actor, action, entity, id),
        None,
        Some(&after),
    )
    .await
}

/// Exports carry authors' names: each one is recorded.
pub async fn log_export(
    db: &Db,
    actor: i64,
    edition_id: i64,
    what: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    audited(&mut tx, actor, "export", "award_edition", edition_id, what).await?;
    tx.commit().await
}

// ---------------------------------------------------------------- editions

fn edition_row(r: &sqlx::any::AnyRow) -> Result<EditionRow, sqlx::Error> {
    let json: String = r.get(2);
    let settings: EditionSettings =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(EditionRow {
        id: r.get(0),
        status: r.get(1),
        settings,
    })
}

pub async fn editions(db: &Db) -> Result<Vec<EditionRow>, sqlx::Error> {
    sqlx::query("SELECT id, status, settings_json FROM award_editions ORDER BY id DESC")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(edition_row)
        .collect()
}

pub async fn edition(db: &Db, id: i64) -> Result<Option<EditionRow>, sqlx::Error> {
    sqlx::query("SELECT id, status, settings_json FROM award_editions WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(edition_row)
        .transpose()
}

/// Creates (with its two rounds) or updates an edition.
pub async fn save_edition(
    db: &Db,
    actor: i64,
    id: Option<i64>,
    settings: &EditionSettings,
) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(settings).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = db.begin().await?;
    let at = now();
    let id = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE award_editions SET title = $1, settings_json = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(&settings.title)
            .bind(&json)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO award_editions (title, status, settings_json, created_at, updated_at) \
                 VALUES ($1, 'draft', $2, $3, $3) RETURNING id",
            )
            .bind(&settings.title)
            .bind(&json)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for stage in ["preliminary", "final"] {
                sqlx::query(
                    "INSERT INTO award_rounds (edition_id, stage, status) VALUES ($1, $2, 'pending')",
                )
                .bind(id)
                .bind(stage)
                .execute(&mut *tx)
                .await?;
            }
            id
        }
    };
    audited(&mut tx, actor, "save", "award_edition", id, settings).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_status(db: &Db, actor: i64, id: i64, status: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE award_editions SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, actor, "status", "award_edition", id, &status).await?;
    tx.commit().await
}

// ----------------------------------------------------------------- entries

#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub id: i64,
    pub entry_id: i64,
    pub sha256: String,
    pub kind: String,
    pub media_type: String,
    pub size: i64,
    pub original_name: String,
}

impl FileRow {
    pub fn size_vn(&self) -> String {
        let mb = self.size as f64 / (1024.0 * 1024.0);
        if mb >= 1.0 {
            format!("{mb:.1} MB")
        } else {
            format!("{} KB", (self.size + 1023) / 1024)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryRow {
    pub id: i64,
    pub edition_id: i64,
    pub code: String,
    pub entrant_id: i64,
    pub category: String,
    pub title: String,
    pub outlet: String,
    pub published_on: String,
    pub link: String,
    pub summary: String,
    pub series_parts: i64,
    pub locality: String,
    pub status: String,
    pub reason: String,
    pub created_at: i64,
    pub authors: Vec<Author>,
    pub files: Vec<FileRow>,
}

impl EntryRow {
    pub fn new_entry(&self) -> NewEntry {
        NewEntry {
            category: self.category.clone(),
            title: self.title.clone(),
            authors: self.authors.clone(),
            outlet: self.outlet.clone(),
            published_on: self.published_on.clone(),
            link: self.link.clone(),
            summary: self.summary.clone(),
            series_parts: self.series_parts as u32,
            locality: self.locality.clone(),
        }
    }

    pub fn author_names(&self) -> String {
        self.authors
            .iter()
            .map(|a| {
                if a.pen_name.is_empty() {
                    a.real_name.clone()
                } else {
                    format!("{} ({})", a.real_name, a.pen_name)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "Title (BI-0001)", as documents list a work.
    pub fn title_and_code(&self) -> String {
        format!("{} ({})", self.title, self.code)
    }

    pub fn published_vn(&self) -> String {
        crate::web::dates::iso_to_vn(&self.published_on)
    }
}

const ENTRY_COLUMNS: &str = "SELECT e.id, e.edition_id, e.code, e.entrant_id, e.category, e.title, \
     e.outlet, e.published_on, e.link, e.summary, e.series_parts, e.locality, e.status, e.reason, \
     e.created_at FROM award_entries e";

/// Loads entries by a WHERE clause on `e`, with their authors and files.
async fn load_entries(db: &Db, filter: &str, bind: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    let sql = format!("{ENTRY_COLUMNS} WHERE {filter} ORDER BY e.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(bind)
        .fetch_all(&db.pool)
        .await?;
    let mut entries: Vec<EntryRow> = rows
        .iter()
        .map(|r| EntryRow {
            id: r.get(0),
            edition_id: r.get(1),
            code: r.get(2),
            entrant_id: r.get(3),
            category: r.get(4),
            title: r.get(5),
            outlet: r.get(6),
            published_on: r.get(7),
            link: r.get(8),
            summary: r.get(9),
            series_parts: r.get(10),
            locality: r.get(11),
            status: r.get(12),
            reason: r.get(13),
            created_at: r.get(14),
            authors: Vec::new(),
            files: Vec::new(),
        })
        .collect();
    let index: HashMap<i64, usize> = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let sql = format!(
        "SELECT a.entry_id, a.real_name, a.pen_name FROM award_authors a \
         JOIN award_entries e ON e.id = a.entry_id WHERE {filter} ORDER BY a.entry_id, a.position"
    );
    for r in sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(bind)
        .fetch_all(&db.pool)
        .await?
    {
        if let Some(&i) = index.get(&r.get::<i64, _>(0)) {
            entries[i].authors.push(Author {
                real_name: r.get(1),
                pen_name: r.get(2),
            });
        }
    }
    let sql = format!(
        "SELECT f.id, f.entry_id, f.sha256, f.kind, f.media_type, f.size, f.original_name \
         FROM award_files f JOIN award_entries e ON e.id = f.entry_id WHERE {filter} ORDER BY f.id"
    );
    for r in sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(bind)
        .fetch_all(&db.pool)
        .await?
    {
        let file = file_row(&r);
        if let Some(&i) = index.get(&file.entry_id) {
            entries[i].files.push(file);
        }
    }
    Ok(entries)
}

fn file_row(r: &sqlx::any::AnyRow) -> FileRow {
    FileRow {
        id: r.get(0),
        entry_id: r.get(1),
        sha256: r.get(2),
        kind: r.get(3),
        media_type: r.get(4),
        size: r.get(5),
        original_name: r.get(6),
    }
}

/// What ranking needs of an entry: its category and when it came in.
#[derive(Debug, Clone)]
pub struct EntryKey {
    pub id: i64,
    pub category: String,
    pub created_at: i64,
}

impl From<&EntryRow> for EntryKey {
    fn from(e: &EntryRow) -> Self {
        Self {
            id: e.id,
            category: e.category.clone(),
            created_at: e.created_at,
        }
    }
}

pub async fn entry_keys(db: &Db, edition_id: i64) -> Result<Vec<EntryKey>, sqlx::Error> {
    Ok(
        sqlx::query("SELECT id, category, created_at FROM award_entries WHERE edition_id = $1")
            .bind(edition_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| EntryKey {
                id: r.get(0),
                category: r.get(1),
                created_at: r.get(2),
            })
            .collect(),
    )
}

pub async fn entries(db: &Db, edition_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    load_entries(db, "e.edition_id = $1", edition_id).await
}

pub async fn entries_of(db: &Db, entrant_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    load_entries(db, "e.entrant_id = $1", entrant_id).await
}

pub async fn entry(db: &Db, id: i64) -> Result<Option<EntryRow>, sqlx::Error> {
    Ok(load_entries(db, "e.id = $1", id).await?.pop())
}

pub async fn file(db: &Db, id: i64) -> Result<Option<FileRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, entry_id, sha256, kind, media_type, size, original_name FROM award_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(file_row))
}

/// How many entries (rejected ones aside) each author already has in the
/// edition, by folded real name, leaving one entry out (the one edited).
pub async fn author_counts(
    db: &Db,
    edition_id: i64,
    except: Option<i64>,
) -> Result<HashMap<String, u32>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.folded_name, COUNT(*) FROM award_authors a JOIN award_entries e ON e.id = a.entry_id \
         WHERE e.edition_id = $1 AND e.id <> $2 AND e.status <> 'rejected' GROUP BY a.folded_name",
    )
    .bind(edition_id)
    .bind(except.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1) as u32))
        .collect())
}

/// The code entrants quote: the category's initials and the entry number.
fn code(category: &str, id: i64) -> String {
    let initials: String = category
        .split('-')
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase();
    format!("{initials}-{id:04}")
}

/// Creates or updates an entry with its authors, adding `new_files` and
/// removing `drop_files`, all in one transaction. An edited entry goes back
/// to "submitted", so the secretariat checks it again. The per-author limit
/// is counted again inside the transaction, after the edition row is
/// locked, so two submissions at the same moment cannot both slip under
/// it: `Ok(Err(author))` names the folded author over the limit and
/// nothing is stored.
#[allow(clippy::too_many_arguments)]
pub async fn save_entry(
    db: &Db,
    actor: i64,
    edition_id: i64,
    existing: Option<i64>,
    e: &NewEntry,
    new_files: &[(Stored, String)],
    drop_files: &[i64],
    per_author: u32,
) -> Result<Result<i64, String>, sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE award_editions SET updated_at = updated_at WHERE id = $1")
        .bind(edition_id)
        .execute(&mut *tx)
        .await?;
    let at = now();
    // A new entry starts as a bare row with its number and code; the one
    // UPDATE below writes the content for new and edited entries alike.
    let id = match existing {
        Some(id) => {
            sqlx::query("DELETE FROM award_authors WHERE entry_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            let temp: String = (0..16)
                .map(|_| format!("{:02x}", rand::random::<u8>()))
                .collect();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO award_entries (edition_id, code, entrant_id, category, title, outlet, \
                 folded_outlet, folded_title, published_on, link, summary, series_parts, locality, \
                 status, reason, created_at, updated_at) \
                 VALUES ($1, $2, $3, '', '', '', '', '', '', '', '', 1, '', 'submitted', '', $4, $4) \
                 RETURNING id",
            )
            .bind(edition_id)
            .bind(temp)
            .bind(actor)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE award_entries SET code = $1 WHERE id = $2")
                .bind(code(&e.category, id))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    sqlx::query(
        "UPDATE award_entries SET category = $1, title = $2, outlet = $3, folded_outlet = $4, \
         folded_title = $5, published_on = $6, link = $7, summary = $8, series_parts = $9, \
         locality = $10, updated_at = $11, status = 'submitted', reason = '' WHERE id = $12",
    )
    .bind(&e.category)
    .bind(&e.title)
    .bind(&e.outlet)
    .bind(kehoach_plan::fold(&e.outlet))
    .bind(kehoach_plan::fold(&e.title))
    .bind(&e.published_on)
    .bind(&e.link)
    .bind(&e.summary)
    .bind(i64::from(e.series_parts))
    .bind(&e.locality)
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    for (i, a) in e.authors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO award_authors (entry_id, position, real_name, pen_name, folded_name) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&a.real_name)
        .bind(&a.pen_name)
        .bind(kehoach_plan::fold(&a.real_name))
        .execute(&mut *tx)
        .await?;
    }
    let over: Option<String> = sqlx::query_scalar(
        "SELECT a.folded_name FROM award_authors a JOIN award_entries e ON e.id = a.entry_id \
         WHERE e.edition_id = $1 AND e.status <> 'rejected' GROUP BY a.folded_name \
         HAVING COUNT(*) > $2 LIMIT 1",
    )
    .bind(edition_id)
    .bind(i64::from(per_author))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(author) = over {
        return Ok(Err(author));
    }
    for f in drop_files {
        sqlx::query("DELETE FROM award_files WHERE id = $1 AND entry_id = $2")
            .bind(f)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for (stored, name) in new_files {
        sqlx::query(
            "INSERT INTO award_files (entry_id, sha256, kind, media_type, size, original_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&stored.sha256)
        .bind(stored.format.kind.key())
        .bind(stored.format.media_type)
        .bind(stored.size as i64)
        .bind(name)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    let files: Vec<&str> = new_files.iter().map(|(s, _)| s.sha256.as_str()).collect();
    audited(
        &mut tx,
        actor,
        "save",
        "award_entry",
        id,
        &serde_json::json!({ "entry": e, "added_files": files, "removed_files": drop_files }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// The secretariat's intake decision.
pub async fn set_intake(
    db: &Db,
    actor: i64,
    entry_id: i64,
    status: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE award_entries SET status = $1, reason = $2, updated_at = $3 WHERE id = $4")
        .bind(status)
        .bind(reason)
        .bind(now())
        .bind(entry_id)
        .execute(&mut *tx)
        .await?;
    audited(
        &mut tx,
        actor,
        "intake",
        "award_entry",
        entry_id,
        &serde_json::json!({ "status": status, "reason": reason }),
    )
    .await?;
    tx.commit().await
}

/// Groups of entries that look like the same work: the same link, or the
/// same title in the same outlet (diacritics and case aside).
pub async fn duplicates(
    db: &Db,
    edition_id: i64,
) -> Result<Vec<(String, Vec<String>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT code, link, folded_title, folded_outlet FROM award_entries WHERE edition_id = $1 ORDER BY id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_link: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_title: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for r in &rows {
        let code: String = r.get(0);
        let link: String = r.get(1);
        let link = link.trim().trim_end_matches('/').to_lowercase();
        if !link.is_empty() {
            by_link.entry(link).or_default().push(code.clone());
        }
        by_title.entry((r.get(2), r.get(3))).or_default().push(code);
    }
    let mut out: Vec<(String, Vec<String>)> =
        by_link.into_iter().filter(|(_, v)| v.len() > 1).collect();
    out.extend(
        by_title
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|((t, o), v)| (format!("{t} / {o}"), v)),
    );
    Ok(out)
}

/// Entry counts grouped by one column (category, outlet or locality).
pub async fn counts_by(
    db: &Db,
    edition_id: i64,
    column: Breakdown,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let col = match column {
        Breakdown::Category => "category",
        Breakdown::Outlet => "outlet",
        Breakdown::Locality => "locality",
    };
    let sql = format!(
        "SELECT {col}, CAST(COUNT(*) AS BIGINT), CAST(SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS BIGINT) \
         FROM award_entries WHERE edition_id = $1 GROUP BY {col} ORDER BY COUNT(*) DESC, {col}"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(edition_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

#[derive(Debug, Clone, Copy)]
pub enum Breakdown {
    Category,
    Outlet,
    Locality,
}

// ------------------------------------------------------------------ judges

#[derive(Debug, Clone, Serialize)]
pub struct JudgeRow {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub categories: Vec<String>,
    pub outlet: String,
    pub final_council: bool,
    pub declared: Vec<i64>,
}

pub async fn judges(db: &Db, edition_id: i64) -> Result<Vec<JudgeRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT j.user_id, u.username, u.display_name, j.categories, j.outlet, j.final_council, j.declared \
         FROM award_judges j JOIN users u ON u.id = j.user_id WHERE j.edition_id = $1 ORDER BY u.display_name",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| JudgeRow {
        user_id: r.get(0),
        username: r.get(1),
        name: r.get(2),
        categories: split(&r.get::<String, _>(3)),
        outlet: r.get(4),
        final_council: r.get::<i64, _>(5) != 0,
        declared: split(&r.get::<String, _>(6))
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
    })
    .collect())
}

fn split(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A council seat for an existing or a new judge account.
pub struct Seat<'a> {
    pub categories: &'a [String],
    pub outlet: &'a str,
    pub final_council: bool,
    pub declared: &'a [i64],
}

pub async fn add_judge(
    db: &Db,
    actor: i64,
    edition_id: i64,
    user: &crate::accounts::domain::NewUser,
    password_hash: &str,
    seat: &Seat<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = crate::accounts::repo::insert_tx(&mut tx, Some(actor), user, password_hash).await?;
    write_seat(&mut tx, actor, edition_id, id, seat, false).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_seat(
    db: &Db,
    actor: i64,
    edition_id: i64,
    judge: i64,
    seat: &Seat<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    write_seat(&mut tx, actor, edition_id, judge, seat, true).await?;
    tx.commit().await
}

async fn write_seat(
    tx: &mut Tx,
    actor: i64,
    edition_id: i64,
    judge: i64,
    seat: &Seat<'_>,
    replace: bool,
) -> Result<(), sqlx::Error> {
    if replace {
        sqlx::query("DELETE FROM award_judges WHERE edition_id = $1 AND user_id = $2")
            .bind(edition_id)
            .bind(judge)
            .execute(&mut **tx)
            .await?;
    }
    let declared: Vec<String> = seat.declared.iter().map(i64::to_string).collect();
    sqlx::query(
        "INSERT INTO award_judges (edition_id, user_id, categories, outlet, final_council, declared) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(edition_id)
    .bind(judge)
    .bind(seat.categories.join(","))
    .bind(seat.outlet)
    .bind(flag(seat.final_council))
    .bind(declared.join(","))
    .execute(&mut **tx)
    .await?;
    audited(
        tx,
        actor,
        "seat",
        "award_judge",
        judge,
        &serde_json::json!({
            "edition": edition_id, "categories": seat.categories, "outlet": seat.outlet,
            "final_council": seat.final_council, "declared": seat.declared,
        }),
    )
    .await
}

// ------------------------------------------------------------------ rounds

#[derive(Debug, Clone, Serialize)]
pub struct RoundRow {
    pub id: i64,
    pub edition_id: i64,
    pub stage: String,
    pub status: String,
    pub seal: Option<String>,
    pub closed_at: Option<i64>,
}

impl RoundRow {
    pub fn is_final(&self) -> bool {
        self.stage == "final"
    }

    pub fn closed_vn(&self) -> String {
        self.closed_at
            .map(crate::web::dates::instant_vn)
            .unwrap_or_default()
    }
}

fn round_row(r: &sqlx::any::AnyRow) -> RoundRow {
    RoundRow {
        id: r.get(0),
        edition_id: r.get(1),
        stage: r.get(2),
        status: r.get(3),
        seal: r.get(4),
        closed_at: r.get(5),
    }
}

pub async fn rounds(db: &Db, edition_id: i64) -> Result<Vec<RoundRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, edition_id, stage, status, seal, closed_at FROM award_rounds \
         WHERE edition_id = $1 ORDER BY id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(round_row)
    .collect())
}

pub async fn round(db: &Db, id: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, edition_id, stage, status, seal, closed_at FROM award_rounds WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(round_row))
}

pub async fn sealed_rounds(db: &Db) -> Result<Vec<RoundRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, edition_id, stage, status, seal, closed_at FROM award_rounds \
         WHERE seal IS NOT NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(round_row)
    .collect())
}

/// Opens a round: its entries and the assignment, in one transaction.
pub async fn open_round(
    db: &Db,
    actor: i64,
    round_id: i64,
    entries: &[i64],
    pairs: &[(i64, i64)],
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Only a round still pending opens; a second click finds it open.
    let opened =
        sqlx::query("UPDATE award_rounds SET status = 'open' WHERE id = $1 AND status = 'pending'")
            .bind(round_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if opened != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM award_assignments WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM award_round_entries WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    let rows: Vec<String> = entries
        .iter()
        .map(|e| format!("({round_id}, {e})"))
        .collect();
    insert_integer_rows(&mut tx, "award_round_entries (round_id, entry_id)", &rows).await?;
    let rows: Vec<String> = pairs
        .iter()
        .map(|(e, j)| format!("({round_id}, {e}, {j}, 0)"))
        .collect();
    insert_integer_rows(
        &mut tx,
        "award_assignments (round_id, entry_id, judge_id, manual)",
        &rows,
    )
    .await?;
    audited(
        &mut tx,
        actor,
        "open",
        "award_round",
        round_id,
        &serde_json::json!({ "entries": entries, "assignments": pairs }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Multi-row inserts of rows made only of integers (ids, flags), written
/// inline: thousands of rows go in a few statements, and integers formatted
/// by Rust cannot carry SQL.
async fn insert_integer_rows(tx: &mut Tx, table: &str, rows: &[String]) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(500) {
        let sql = format!("INSERT INTO {table} VALUES {}", chunk.join(", "));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn in_a_round(db: &Db, entry_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 FROM award_round_entries WHERE entry_id = $1")
            .bind(entry_id)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

pub async fn round_entries(db: &Db, round_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT entry_id FROM award_round_entries WHERE round_id = $1 ORDER BY entry_id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}

/// (entry, judge, manual) of a round.
pub async fn assignments(db: &Db, round_id: i64) -> Result<Vec<(i64, i64, bool)>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT entry_id, judge_id, manual FROM award_assignments WHERE round_id = $1 ORDER BY entry_id, judge_id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get::<i64, _>(2) != 0))
    .collect())
}

/// A manual change to the assignment: add or remove one judge of an entry.
pub async fn change_assignment(
    db: &Db,
    actor: i64,
    round_id: i64,
    entry_id: i64,
    judge_id: i64,
    add: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM award_assignments WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .execute(&mut *tx)
    .await?;
    if !add {
        // A judge taken off an entry (a late-found conflict) no longer
        // counts; the score log keeps what they had given.
        sqlx::query(
            "DELETE FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
        )
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?;
    }
    if add {
        sqlx::query(
            "INSERT INTO award_assignments (round_id, entry_id, judge_id, manual) VALUES ($1, $2, $3, 1)",
        )
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?;
    }
    audit::record::<(), _>(
        &mut tx,
        audit_entry(
            actor,
            if add { "assign" } else { "unassign" },
            "award_round",
            round_id,
        ),
        None,
        Some(&serde_json::json!({ "entry": entry_id, "judge": judge_id })),
    )
    .await?;
    tx.commit().await
}

/// (round, entry) pairs a judge is assigned to, open rounds first.
pub async fn judge_work(db: &Db, judge_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT a.round_id, a.entry_id FROM award_assignments a JOIN award_rounds r ON r.id = a.round_id \
         WHERE a.judge_id = $1 ORDER BY r.status DESC, a.round_id DESC, a.entry_id",
    )
    .bind(judge_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

pub async fn is_assigned(db: &Db, judge_id: i64, entry_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 FROM award_assignments WHERE judge_id = $1 AND entry_id = $2")
            .bind(judge_id)
            .bind(entry_id)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

// ------------------------------------------------------------------ scores

#[derive(Debug, Clone, Serialize)]
pub struct ScoreRow {
    pub entry_id: i64,
    pub judge_id: i64,
    pub marks: Vec<(String, u32)>,
    pub comment: String,
    pub total_milli: i64,
    pub submitted_at: i64,
}

impl ScoreRow {
    pub fn total(&self) -> String {
        format!("{:.2}", self.total_milli as f64 / 1000.0)
    }

    pub fn mark(&self, key: &str) -> String {
        self.marks
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    }
}

pub async fn scores(db: &Db, round_id: i64) -> Result<Vec<ScoreRow>, sqlx::Error> {
    scores_in(&mut *db.pool.acquire().await?, round_id).await
}

async fn scores_in(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<ScoreRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT entry_id, judge_id, marks_json, comment, total_milli, submitted_at FROM award_scores \
         WHERE round_id = $1 ORDER BY entry_id, judge_id",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| ScoreRow {
        entry_id: r.get(0),
        judge_id: r.get(1),
        marks: serde_json::from_str(&r.get::<String, _>(2)).unwrap_or_default(),
        comment: r.get(3),
        total_milli: r.get(4),
        submitted_at: r.get(5),
    })
    .collect())
}

/// Saves a judge's sheet and appends it to the round's chained score log,
/// in one transaction. The round row is written first so that concurrent
/// saves in one round queue up (a row lock on PostgreSQL, the write lock on
/// SQLite) and the log's sequence has no gaps or forks.
#[allow(clippy::too_many_arguments)]
pub async fn save_score(
    db: &Db,
    round_id: i64,
    entry_id: i64,
    judge_id: i64,
    marks: &[(String, u32)],
    comment: &str,
    total_milli: i64,
    payload: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let open =
        sqlx::query("UPDATE award_rounds SET status = status WHERE id = $1 AND status = 'open'")
            .bind(round_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if !open {
        return Ok(false);
    }
    let at = now();
    let at_ms = crate::contests::now_ms();
    let before: Option<String> = sqlx::query_scalar(
        "SELECT marks_json FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM award_scores WHERE round_id = $1 AND entry_id = $2 AND judge_id = $3")
        .bind(round_id)
        .bind(entry_id)
        .bind(judge_id)
        .execute(&mut *tx)
        .await?;
    let marks_json = serde_json::to_string(marks).unwrap_or_default();
    sqlx::query(
        "INSERT INTO award_scores (round_id, entry_id, judge_id, marks_json, comment, total_milli, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(round_id)
    .bind(entry_id)
    .bind(judge_id)
    .bind(&marks_json)
    .bind(comment)
    .bind(total_milli)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let last = sqlx::query(
        "SELECT seq, hash FROM award_score_log WHERE round_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(round_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (seq, prev) = match last {
        Some(r) => (r.get::<i64, _>(0) + 1, r.get::<String, _>(1)),
        None => (1, GENESIS.to_owned()),
    };
    let row = LogEntry {
        seq: seq as u64,
        entry: entry_id,
        judge: judge_id,
        payload: payload.to_owned(),
        at_ms,
    };
    let hash = chain_hex(&prev, &row).ok_or_else(|| sqlx::Error::Protocol("bad chain".into()))?;
    sqlx::query(
        "INSERT INTO award_score_log (round_id, seq, entry_id, judge_id, payload, at_ms, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(round_id)
    .bind(seq)
    .bind(entry_id)
    .bind(judge_id)
    .bind(payload)
    .bind(at_ms)
    .bind(hash)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit_entry(judge_id, "score", "award_entry", entry_id),
        before.as_ref(),
        Some(&marks_json),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A round's score log in order, with each row's stored hash.
pub async fn score_log(db: &Db, round_id: i64) -> Result<Vec<(LogEntry, String)>, sqlx::Error> {
    score_log_in(&mut *db.pool.acquire().await?, round_id).await
}

async fn score_log_in(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<(LogEntry, String)>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT seq, entry_id, judge_id, payload, at_ms, hash FROM award_score_log \
         WHERE round_id = $1 ORDER BY seq",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        (
            LogEntry {
                seq: r.get::<i64, _>(0) as u64,
                entry: r.get(1),
                judge: r.get(2),
                payload: r.get(3),
                at_ms: r.get(4),
            },
            r.get(5),
        )
    })
    .collect())
}

/// Why a round was not closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseRefusal {
    NotOpen,
    /// The score log does not check out; nothing was changed.
    Broken(String),
}

/// Closes a round and seals it, in one transaction: the round row is
/// updated first, which makes any concurrent score save wait and then find
/// the round closed, so the log read next is the final one. `check` turns
/// the log and the scores into the seal (or says why it cannot).
pub async fn close_round(
    db: &Db,
    actor: i64,
    round_id: i64,
    check: impl Fn(&[(LogEntry, String)], &[ScoreRow]) -> Result<String, String>,
) -> Result<Result<String, CloseRefusal>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let closed = sqlx::query(
        "UPDATE award_rounds SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open'",
    )
    .bind(now())
    .bind(round_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed != 1 {
        return Ok(Err(CloseRefusal::NotOpen));
    }
    let log = score_log_in(&mut tx, round_id).await?;
    let scores = scores_in(&mut tx, round_id).await?;
    let seal = match check(&log, &scores) {
        Ok(seal) => seal,
        Err(why) => return Ok(Err(CloseRefusal::Broken(why))),
    };
    sqlx::query("UPDATE award_rounds SET seal = $1 WHERE id = $2")
        .bind(&seal)
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, actor, "seal", "award_round", round_id, &seal).await?;
    tx.commit().await?;
    Ok(Ok(seal))
}

// ------------------------------------------------------------------ prizes

#[derive(Debug, Clone, Serialize)]
pub struct PrizeRow {
    pub entry_id: i64,
    pub position: i64,
    pub mean_milli: i64,
    pub computed_tier: String,
    pub tier: String,
    pub reason: String,
    pub forwarded: bool,
}

impl PrizeRow {
    pub fn mean(&self) -> String {
        format!("{:.2}", self.mean_milli as f64 / 1000.0)
    }

    pub fn overridden(&self) -> bool {
        self.tier != self.computed_tier
    }
}

pub async fn prizes(db: &Db, edition_id: i64) -> Result<Vec<PrizeRow>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT entry_id, position, mean_milli, computed_tier, tier, reason, forwarded FROM award_prizes \
         WHERE edition_id = $1 ORDER BY position, entry_id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| PrizeRow {
        entry_id: r.get(0),
        position: r.get(1),
        mean_milli: r.get(2),
        computed_tier: r.get(3),
        tier: r.get(4),
        reason: r.get(5),
        forwarded: r.get::<i64, _>(6) != 0,
    })
    .collect())
}

/// Replaces the computed results of an edition.
pub async fn save_prizes(
    db: &Db,
    actor: i64,
    edition_id: i64,
    rows: &[PrizeRow],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM award_prizes WHERE edition_id = $1")
        .bind(edition_id)
        .execute(&mut *tx)
        .await?;
    // A hundred rows a statement: few round trips, and few enough
    // parameters that SQLite's numbered-parameter lookup stays cheap.
    for chunk in rows.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 8;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7,
                    n + 8
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO award_prizes (edition_id, entry_id, position, mean_milli, computed_tier, \
             tier, reason, forwarded) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            q = q
                .bind(edition_id)
                .bind(p.entry_id)
                .bind(p.position)
                .bind(p.mean_milli)
                .bind(p.computed_tier.clone())
                .bind(p.tier.clone())
                .bind(p.reason.clone())
                .bind(flag(p.forwarded));
        }
        q.execute(&mut *tx).await?;
    }
    audited(
        &mut tx,
        actor,
        "results",
        "award_edition",
        edition_id,
        &rows,
    )
    .await?;
    tx.commit().await
}

/// A council decision on one entry: its tier (empty for none), the reason,
/// and whether it goes on to the national award.
pub async fn decide(
    db: &Db,
    actor: i64,
    edition_id: i64,
    entry_id: i64,
    tier: &str,
    reason: &str,
    forwarded: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE award_prizes SET tier = $1, reason = $2, forwarded = $3 WHERE edition_id = $4 AND entry_id = $5",
    )
    .bind(tier)
    .bind(reason)
    .bind(flag(forwarded))
    .bind(edition_id)
    .bind(entry_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    audited(
        &mut tx,
        actor,
        "decide",
        "award_entry",
        entry_id,
        &serde_json::json!({ "tier": tier, "reason": reason, "forwarded": forwarded }),
    )
    .await?;
    tx.commit().await
}
