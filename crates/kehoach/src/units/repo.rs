//! Directory queries: units, their aliases, unit groups.

use super::matching::{Directory, Target, key};
use crate::audit::{self, Entry};
use crate::clock::now;
use crate::db::{Db, Tx, flag};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub aliases: String,
    pub groups: String,
}

/// A unit as stored, before its aliases and groups are joined in.
#[derive(sqlx::FromRow)]
struct UnitBase {
    id: i64,
    name: String,
    short_name: Option<String>,
    parent_id: Option<i64>,
    parent_name: Option<String>,
}

/// A name tied to an id: a unit's alias, a group's name, a member's group.
#[derive(sqlx::FromRow)]
struct Named {
    id: i64,
    name: String,
}

pub async fn list(db: &Db) -> Result<Vec<UnitRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, UnitBase>(
        "SELECT u.id, u.name, u.short_name, u.parent_id, p.name AS parent_name FROM units u \
         LEFT JOIN units p ON p.id = u.parent_id WHERE u.confirmed = 1",
    )
    .fetch_all(&db.pool)
    .await?;
    let aliases = named(
        db,
        "SELECT unit_id AS id, alias AS name FROM unit_aliases ORDER BY alias",
    )
    .await?;
    let groups = named(
        db,
        "SELECT m.unit_id AS id, g.name FROM unit_group_members m \
         JOIN unit_groups g ON g.id = m.group_id ORDER BY g.name",
    )
    .await?;
    let joined = |list: &[Named], id: i64| {
        list.iter()
            .filter(|n| n.id == id)
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out: Vec<UnitRow> = rows
        .into_iter()
        .map(|r| UnitRow {
            aliases: joined(&aliases, r.id),
            groups: joined(&groups, r.id),
            id: r.id,
            name: r.name,
            short_name: r.short_name,
            parent_id: r.parent_id,
            parent_name: r.parent_name,
        })
        .collect();
    // Vietnamese order: by the folded name, so "Đ" sorts with "D", not after "Z".
    out.sort_by_cached_key(|u| (kehoach_plan::fold(&u.name), u.name.clone()));
    Ok(out)
}

async fn named(db: &Db, sql: &'static str) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as::<_, Named>(sql).fetch_all(&db.pool).await
}

impl UnitRow {
    pub fn parent_is(&self, id: &i64) -> bool {
        self.parent_id == Some(*id)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub members: Vec<(i64, String)>,
}

impl GroupRow {
    pub fn has(&self, unit_id: &i64) -> bool {
        self.members.iter().any(|(id, _)| id == unit_id)
    }
}

/// A group joined with one of its members (none for an empty group).
#[derive(sqlx::FromRow)]
struct GroupMember {
    id: i64,
    name: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
}

pub async fn groups(db: &Db) -> Result<Vec<GroupRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, GroupMember>(
        "SELECT g.id, g.name, u.id AS unit_id, u.name AS unit_name FROM unit_groups g \
         LEFT JOIN unit_group_members m ON m.group_id = g.id \
         LEFT JOIN units u ON u.id = m.unit_id ORDER BY g.name, g.id, u.name",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<GroupRow> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|g| g.id != r.id) {
            out.push(GroupRow {
                id: r.id,
                name: r.name,
                members: Vec::new(),
            });
        }
        if let (Some(uid), Some(name), Some(g)) = (r.unit_id, r.unit_name, out.last_mut()) {
            g.members.push((uid, name));
        }
    }
    Ok(out)
}

/// Everything the matcher needs, loaded in two queries.
pub async fn directory(db: &Db) -> Result<Directory, sqlx::Error> {
    let mut dir = Directory::default();
    #[derive(sqlx::FromRow)]
    struct Names {
        id: i64,
        name: String,
        short_name: String,
    }
    let units = sqlx::query_as::<_, Names>(
        "SELECT id, name, COALESCE(short_name, '') AS short_name FROM units WHERE confirmed = 1",
    )
    .fetch_all(&db.pool)
    .await?;
    for u in &units {
        dir.add(&u.name, Target::Unit(u.id));
        dir.add(&u.short_name, Target::Unit(u.id));
    }
    for a in named(db, "SELECT unit_id AS id, alias AS name FROM unit_aliases").await? {
        dir.add(&a.name, Target::Unit(a.id));
    }
    for g in named(db, "SELECT id, name FROM unit_groups").await? {
        dir.add(&g.name, Target::Group(g.id));
    }
    Ok(dir)
}

/// The units a target stands for: a group expands to its members.
pub async fn expand(tx: &mut Tx, target: Target) -> Result<Vec<i64>, sqlx::Error> {
    match target {
        Target::Unit(id) => Ok(vec![id]),
        Target::Group(id) => {
            sqlx::query_scalar(
                "SELECT unit_id FROM unit_group_members WHERE group_id = $1 ORDER BY unit_id",
            )
            .bind(id)
            .fetch_all(&mut **tx)
            .await
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewUnit {
    pub name: String,
    pub short_name: Option<String>,
    pub parent_id: Option<i64>,
    pub aliases: Vec<String>,
}

/// Finds a unit by its name's key, or creates it; returns its id.
pub async fn upsert_unit(
    tx: &mut Tx,
    actor: Option<i64>,
    unit: &NewUnit,
) -> Result<i64, sqlx::Error> {
    let k = key(&unit.name);
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE folded_name = $1")
        .bind(&k)
        .fetch_optional(&mut **tx)
        .await?;
    let (id, action) = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE units SET short_name = COALESCE($1, short_name), \
                 parent_id = COALESCE($2, parent_id), confirmed = 1 WHERE id = $3",
            )
            .bind(&unit.short_name)
            .bind(unit.parent_id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            (id, "update")
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO units (name, short_name, parent_id, folded_name, confirmed, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(unit.name.trim())
            .bind(&unit.short_name)
            .bind(unit.parent_id)
            .bind(&k)
            .bind(flag(true))
            .bind(now())
            .fetch_one(&mut **tx)
            .await?;
            (id, "create")
        }
    };
    audit::record::<(), _>(tx, Entry::new(actor, action, "unit", id), None, Some(unit)).await?;
    for alias in &unit.aliases {
        add_alias(tx, id, alias).await?;
    }
    Ok(id)
}

pub async fn add_alias(tx: &mut Tx, unit_id: i64, alias: &str) -> Result<(), sqlx::Error> {
    let k = key(alias);
    if k.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO unit_aliases (unit_id, alias, folded_alias) VALUES ($1, $2, $3) \
         ON CONFLICT (folded_alias) DO NOTHING",
    )
    .bind(unit_id)
    .bind(alias.trim())
    .bind(k)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn upsert_group(tx: &mut Tx, actor: Option<i64>, name: &str) -> Result<i64, sqlx::Error> {
    let k = key(name);
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM unit_groups WHERE folded_name = $1")
            .bind(&k)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO unit_groups (name, folded_name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name.trim())
    .bind(k)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    audit::record::<(), _>(
        tx,
        Entry::new(actor, "create", "unit_group", id),
        None,
        Some(&name),
    )
    .await?;
    Ok(id)
}

pub async fn set_group_members(
    tx: &mut Tx,
    actor: Option<i64>,
    group_id: i64,
    unit_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM unit_group_members WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut **tx)
        .await?;
    for unit_id in unit_ids {
        add_group_member(tx, group_id, *unit_id).await?;
    }
    audit::record::<(), _>(
        tx,
        Entry::new(actor, "update", "unit_group", group_id),
        None,
        Some(&unit_ids),
    )
    .await
}

pub async fn add_group_member(tx: &mut Tx, group_id: i64, unit_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO unit_group_members (group_id, unit_id) VALUES ($1, $2) \
         ON CONFLICT (group_id, unit_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(unit_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn find(db: &Db, id: i64) -> Result<Option<UnitRow>, sqlx::Error> {
    Ok(list(db).await?.into_iter().find(|u| u.id == id))
}

pub async fn update_unit(
    tx: &mut Tx,
    actor: i64,
    id: i64,
    before: &UnitRow,
    unit: &NewUnit,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE units SET name = $1, short_name = $2, parent_id = $3, folded_name = $4 WHERE id = $5",
    )
    .bind(unit.name.trim())
    .bind(&unit.short_name)
    .bind(unit.parent_id)
    .bind(key(&unit.name))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM unit_aliases WHERE unit_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for alias in &unit.aliases {
        add_alias(tx, id, alias).await?;
    }
    audit::record(
        tx,
        Entry::new(actor, "update", "unit", id),
        Some(before),
        Some(unit),
    )
    .await
}

/// Adds a unit from the directory form (or completes the one of that name).
pub async fn create_unit(db: &Db, actor: i64, unit: &NewUnit) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = upsert_unit(&mut tx, Some(actor), unit).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a unit's edit form in one transaction.
pub async fn save_unit(
    db: &Db,
    actor: i64,
    id: i64,
    before: &UnitRow,
    unit: &NewUnit,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    update_unit(&mut tx, actor, id, before, unit).await?;
    tx.commit().await
}

/// Adds a group (or finds the one of that name) with exactly these members.
pub async fn create_group(
    db: &Db,
    actor: i64,
    name: &str,
    unit_ids: &[i64],
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = upsert_group(&mut tx, Some(actor), name).await?;
    set_group_members(&mut tx, Some(actor), id, unit_ids).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a group's members in one transaction.
pub async fn save_group_members(
    db: &Db,
    actor: i64,
    group_id: i64,
    unit_ids: &[i64],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    set_group_members(&mut tx, Some(actor), group_id, unit_ids).await?;
    tx.commit().await
}
