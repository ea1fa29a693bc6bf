//! Entries with their authors and files: loading, saving with the
//! per-author limit, intake decisions, and the secretariat's statistics.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{AwardError, audited};
use crate::awards::domain::{Author, NewEntry};
use crate::awards::states::{EntryStatus, FileKind};
use crate::awards::store::Stored;
use crate::clock::now;
use crate::db::{Db, Tx};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub entry_id: i64,
    pub sha256: String,
    pub kind: FileKind,
    pub media_type: String,
    pub size: i64,
    pub original_name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
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
    pub status: EntryStatus,
    pub reason: String,
    pub created_at: i64,
    /// The unit that forwarded an imported entry; empty when submitted online.
    pub forwarded_by: String,
    #[sqlx(skip)]
    pub authors: Vec<Author>,
    #[sqlx(skip)]
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
}

#[derive(sqlx::FromRow)]
struct AuthorRow {
    entry_id: i64,
    real_name: String,
    pen_name: String,
}

/// Which entries to load: one query each, so every one stays a static
/// statement on its own index.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Edition(i64),
    Entrant(i64),
    Entry(i64),
}

/// The three reads of a scope (entries, authors, files), each filtered by
/// the same condition on `e`.
macro_rules! entry_reads {
    ($filter:literal) => {
        [
            concat!(
                "SELECT e.id, e.edition_id, e.code, e.entrant_id, e.category, e.title, e.outlet, \
                 e.published_on, e.link, e.summary, e.series_parts, e.locality, e.status, \
                 e.reason, e.created_at, e.forwarded_by FROM award_entries e WHERE ",
                $filter,
                " ORDER BY e.id"
            ),
            concat!(
                "SELECT a.entry_id, a.real_name, a.pen_name FROM award_authors a \
                 JOIN award_entries e ON e.id = a.entry_id WHERE ",
                $filter,
                " ORDER BY a.entry_id, a.position"
            ),
            concat!(
                "SELECT f.id, f.entry_id, f.sha256, f.kind, f.media_type, f.size, f.original_name \
                 FROM award_files f JOIN award_entries e ON e.id = f.entry_id WHERE ",
                $filter,
                " ORDER BY f.id"
            ),
        ]
    };
}

impl Scope {
    fn reads(self) -> ([&'static str; 3], i64) {
        match self {
            Scope::Edition(id) => (entry_reads!("e.edition_id = $1"), id),
            Scope::Entrant(id) => (entry_reads!("e.entrant_id = $1"), id),
            Scope::Entry(id) => (entry_reads!("e.id = $1"), id),
        }
    }
}

/// Loads the entries of a scope with their authors and files.
async fn load_entries(db: &Db, scope: Scope) -> Result<Vec<EntryRow>, sqlx::Error> {
    let ([entries_sql, authors_sql, files_sql], bind) = scope.reads();
    let mut entries: Vec<EntryRow> = sqlx::query_as::<_, EntryRow>(entries_sql)
        .bind(bind)
        .fetch_all(&db.pool)
        .await?;
    let index: HashMap<i64, usize> = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let authors = sqlx::query_as::<_, AuthorRow>(authors_sql)
        .bind(bind)
        .fetch_all(&db.pool)
        .await?;
    for a in authors {
        if let Some(&i) = index.get(&a.entry_id) {
            entries[i].authors.push(Author {
                real_name: a.real_name,
                pen_name: a.pen_name,
            });
        }
    }
    let files = sqlx::query_as::<_, FileRow>(files_sql)
        .bind(bind)
        .fetch_all(&db.pool)
        .await?;
    for file in files {
        if let Some(&i) = index.get(&file.entry_id) {
            entries[i].files.push(file);
        }
    }
    Ok(entries)
}

/// What ranking needs of an entry: its category and when it came in.
#[derive(Debug, Clone, sqlx::FromRow)]
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
    sqlx::query_as::<_, EntryKey>(
        "SELECT id, category, created_at FROM award_entries WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn entries(db: &Db, edition_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    load_entries(db, Scope::Edition(edition_id)).await
}

pub async fn entries_of(db: &Db, entrant_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    load_entries(db, Scope::Entrant(entrant_id)).await
}

pub async fn entry(db: &Db, id: i64) -> Result<Option<EntryRow>, sqlx::Error> {
    Ok(load_entries(db, Scope::Entry(id)).await?.pop())
}

pub async fn file(db: &Db, id: i64) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as::<_, FileRow>(
        "SELECT id, entry_id, sha256, kind, media_type, size, original_name FROM award_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Whether a stored file still refers to the blob `sha256`.
pub async fn file_in_use(db: &Db, sha256: &str) -> Result<bool, sqlx::Error> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM award_files WHERE sha256 = $1 LIMIT 1")
            .bind(sha256)
            .fetch_optional(&db.pool)
            .await?;
    Ok(id.is_some())
}

#[derive(sqlx::FromRow)]
struct AuthorCount {
    person_key: String,
    n: i64,
}

/// How many entries (rejected ones aside) each author already has in the
/// edition, by identity key (`kehoach_award::person_key`), leaving one entry out (the one edited).
pub async fn author_counts(
    db: &Db,
    edition_id: i64,
    except: Option<i64>,
) -> Result<HashMap<String, u32>, sqlx::Error> {
    let rows = sqlx::query_as::<_, AuthorCount>(concat!(
        "SELECT a.person_key, ",
        crate::count_i64!("*"),
        " AS n FROM award_authors a JOIN award_entries e ON e.id = a.entry_id \
         WHERE e.edition_id = $1 AND e.id <> $2 AND e.status <> $3 GROUP BY a.person_key"
    ))
    .bind(edition_id)
    .bind(except.unwrap_or(0))
    .bind(EntryStatus::Rejected)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.person_key, r.n as u32))
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
/// it: [`AwardError::OverLimit`] names the identity key of the author over the limit and
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
) -> Result<i64, AwardError> {
    let mut tx = db.begin().await?;
    lock_edition(&mut tx, edition_id).await?;
    let at = now();
    // A new entry starts as a bare row with its number and code; one
    // UPDATE then writes the content for new and edited entries alike.
    let id = match existing {
        Some(id) => id,
        None => new_row(&mut tx, edition_id, actor, &e.category, at).await?,
    };
    write_entry(&mut tx, id, e, at).await?;
    check_limit(&mut tx, edition_id, per_author).await?;
    for f in drop_files {
        sqlx::query("DELETE FROM award_files WHERE id = $1 AND entry_id = $2")
            .bind(f)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    add_files(&mut tx, id, new_files, at).await?;
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
    Ok(id)
}

/// Locks the edition row, so that entries of one edition are written one
/// transaction at a time and the per-author count cannot race.
/// Records stored uploads as an entry's files.
pub(super) async fn add_files(
    tx: &mut Tx,
    entry_id: i64,
    files: &[(Stored, String)],
    at: i64,
) -> Result<(), sqlx::Error> {
    for (stored, name) in files {
        sqlx::query(
            "INSERT INTO award_files (entry_id, sha256, kind, media_type, size, original_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(entry_id)
        .bind(&stored.sha256)
        .bind(FileKind::from(stored.format.kind))
        .bind(stored.format.media_type)
        .bind(stored.size as i64)
        .bind(name)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(super) async fn lock_edition(tx: &mut Tx, edition_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE award_editions SET updated_at = updated_at WHERE id = $1")
        .bind(edition_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A bare entry row with its number and code (the category's initials and
/// the number).
pub(super) async fn new_row(
    tx: &mut Tx,
    edition_id: i64,
    actor: i64,
    category: &str,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let temp: String = (0..16)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_entries (edition_id, code, entrant_id, category, title, outlet, \
         folded_outlet, folded_title, published_on, link, summary, series_parts, locality, \
         status, reason, created_at, updated_at) \
         VALUES ($1, $2, $3, '', '', '', '', '', '', '', '', 1, '', $4, '', $5, $5) \
         RETURNING id",
    )
    .bind(edition_id)
    .bind(temp)
    .bind(actor)
    .bind(EntryStatus::Submitted)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE award_entries SET code = $1 WHERE id = $2")
        .bind(code(category, id))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Writes an entry's content and authors; it goes back to "submitted".
pub(super) async fn write_entry(
    tx: &mut Tx,
    id: i64,
    e: &NewEntry,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE award_entries SET category = $1, title = $2, outlet = $3, folded_outlet = $4, \
         folded_title = $5, published_on = $6, link = $7, summary = $8, series_parts = $9, \
         locality = $10, updated_at = $11, status = $12, reason = '' WHERE id = $13",
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
    .bind(EntryStatus::Submitted)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM award_authors WHERE entry_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, a) in e.authors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO award_authors (entry_id, position, real_name, pen_name, person_key) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&a.real_name)
        .bind(&a.pen_name)
        .bind(kehoach_award::person_key(&a.real_name))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// [`AwardError::OverLimit`] when an author now has more entries than the
/// edition allows (rejected ones aside).
pub(super) async fn check_limit(
    tx: &mut Tx,
    edition_id: i64,
    per_author: u32,
) -> Result<(), AwardError> {
    let over: Option<String> = sqlx::query_scalar(
        "SELECT a.person_key FROM award_authors a JOIN award_entries e ON e.id = a.entry_id \
         WHERE e.edition_id = $1 AND e.status <> $2 GROUP BY a.person_key \
         HAVING COUNT(*) > $3 LIMIT 1",
    )
    .bind(edition_id)
    .bind(EntryStatus::Rejected)
    .bind(i64::from(per_author))
    .fetch_optional(&mut **tx)
    .await?;
    match over {
        Some(author) => Err(AwardError::OverLimit(author)),
        None => Ok(()),
    }
}

/// The secretariat's intake decision.
pub async fn set_intake(
    db: &Db,
    actor: i64,
    entry_id: i64,
    status: EntryStatus,
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

#[derive(sqlx::FromRow)]
struct Likeness {
    code: String,
    link: String,
    folded_title: String,
    folded_outlet: String,
}

/// Groups of entries that look like the same work: the same link, or the
/// same title in the same outlet (diacritics and case aside).
pub async fn duplicates(
    db: &Db,
    edition_id: i64,
) -> Result<Vec<(String, Vec<String>)>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Likeness>(
        "SELECT code, link, folded_title, folded_outlet FROM award_entries WHERE edition_id = $1 ORDER BY id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_link: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_title: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for r in rows {
        let link = r.link.trim().trim_end_matches('/').to_lowercase();
        if !link.is_empty() {
            by_link.entry(link).or_default().push(r.code.clone());
        }
        by_title
            .entry((r.folded_title, r.folded_outlet))
            .or_default()
            .push(r.code);
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

#[derive(Debug, Clone, Copy)]
pub enum Breakdown {
    Category,
    Outlet,
    Locality,
}

/// Entries received and accepted in one group of a breakdown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupCount {
    pub label: String,
    pub received: i64,
    pub accepted: i64,
}

/// The statistics query grouped by one column, written out per column.
macro_rules! counts_by_column {
    ($col:literal) => {
        concat!(
            "SELECT ",
            $col,
            " AS label, ",
            crate::count_i64!("*"),
            " AS received, ",
            crate::sum_i64!("CASE WHEN status = $2 THEN 1 ELSE 0 END"),
            " AS accepted FROM award_entries WHERE edition_id = $1 GROUP BY ",
            $col,
            " ORDER BY COUNT(*) DESC, ",
            $col
        )
    };
}

/// Entry counts grouped by one column (category, outlet or locality).
pub async fn counts_by(
    db: &Db,
    edition_id: i64,
    column: Breakdown,
) -> Result<Vec<GroupCount>, sqlx::Error> {
    let sql = match column {
        Breakdown::Category => counts_by_column!("category"),
        Breakdown::Outlet => counts_by_column!("outlet"),
        Breakdown::Locality => counts_by_column!("locality"),
    };
    sqlx::query_as::<_, GroupCount>(sql)
        .bind(edition_id)
        .bind(EntryStatus::Accepted)
        .fetch_all(&db.pool)
        .await
}
