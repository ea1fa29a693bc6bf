//! Directory queries: units, their aliases, unit groups.

use serde::Serialize;
use sqlx::Row;

use super::matching::{Directory, Target, key};
use crate::audit::{self, Entry};
use crate::db::{Db, Tx, flag, now};

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

pub async fn list(db: &Db) -> Result<Vec<UnitRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, u.short_name, u.parent_id, p.name FROM units u \
         LEFT JOIN units p ON p.id = u.parent_id WHERE u.confirmed = 1",
    )
    .fetch_all(&db.pool)
    .await?;
    let aliases = pairs(db, "SELECT unit_id, alias FROM unit_aliases ORDER BY alias").await?;
    let groups = pairs(
        db,
        "SELECT m.unit_id, g.name FROM unit_group_members m \
         JOIN unit_groups g ON g.id = m.group_id ORDER BY g.name",
    )
    .await?;
    let joined = |list: &[(i64, String)], id: i64| {
        list.iter()
            .filter(|(u, _)| *u == id)
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out: Vec<UnitRow> = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            UnitRow {
                id,
                name: r.get(1),
                short_name: r.get(2),
                parent_id: r.get(3),
                parent_name: r.get(4),
                aliases: joined(&aliases, id),
                groups: joined(&groups, id),
            }
        })
        .collect();
    // Vietnamese order: by the folded name, so "Đ" sorts with "D", not after "Z".
    out.sort_by_cached_key(|u| (kehoach_plan::fold(&u.name), u.name.clone()));
    Ok(out)
}

async fn pairs(db: &Db, sql: &'static str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(sqlx::query(sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
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
    pub fn member_names(&self) -> String {
        self.members
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn has(&self, unit_id: &i64) -> bool {
        self.members.iter().any(|(id, _)| id == unit_id)
    }
}

pub async fn groups(db: &Db) -> Result<Vec<GroupRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.id, g.name, u.id, u.name FROM unit_groups g \
         LEFT JOIN unit_group_members m ON m.group_id = g.id \
         LEFT JOIN units u ON u.id = m.unit_id ORDER BY g.name, g.id, u.name",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<GroupRow> = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        if out.last().is_none_or(|g| g.id != id) {
            out.push(GroupRow {
                id,
                name: r.get(1),
                members: Vec::new(),
            });
        }
        if let (Some(uid), Some(name), Some(g)) = (
            r.get::<Option<i64>, _>(2),
            r.get::<Option<String>, _>(3),
            out.last_mut(),
        ) {
            g.members.push((uid, name));
        }
    }
    Ok(out)
}

/// Everything the matcher needs, loaded in two queries.
pub async fn directory(db: &Db) -> Result<Directory, sqlx::Error> {
    let mut dir = Directory::default();
    let units =
        sqlx::query("SELECT id, name, COALESCE(short_name, '') FROM units WHERE confirmed = 1")
            .fetch_all(&db.pool)
            .await?;
    for r in &units {
        let id: i64 = r.get(0);
        dir.add(&r.get::<String, _>(1), Target::Unit(id));
        dir.add(&r.get::<String, _>(2), Target::Unit(id));
    }
    for (id, alias) in pairs(db, "SELECT unit_id, alias FROM unit_aliases").await? {
        dir.add(&alias, Target::Unit(id));
    }
    for (id, name) in pairs(db, "SELECT id, name FROM unit_groups").await? {
        dir.add(&name, Target::Group(id));
    }
    Ok(dir)
}

/// The units a target stands for: a group expands to its members.
pub async fn expand(tx: &mut Tx, target: Target) -> Result<Vec<i64>, sqlx::Error> {
    match target {
        Target::Unit(id) => Ok(vec![id]),
        Target::Group(id) => Ok(sqlx::query(
            "SELECT unit_id FROM unit_group_members WHERE group_id = $1 ORDER BY unit_id",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect()),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewUnit {
    pub name: String,
    pub short_name: Option<String>,
    pub parent_id: Option<i64>,
    pub aliases: Vec<String>,
}

fn audit_entry(
    user_id: Option<i64>,
    action: &'static str,
    entity: &'static str,
    id: i64,
) -> Entry<'static> {
    Entry {
        user_id,
        action,
        entity,
        entity_id: Some(id),
        plan_id: None,
    }
}

/// Finds a unit by its name's key, or creates it; returns its id.
pub async fn upsert_unit(
    tx: &mut Tx,
    actor: Option<i64>,
    unit: &NewUnit,
) -> Result<i64, sqlx::Error> {
    let k = key(&unit.name);
    let existing = sqlx::query("SELECT id FROM units WHERE folded_name = $1")
        .bind(&k)
        .fetch_optional(&mut **tx)
        .await?;
    let id: i64 = match existing {
        Some(r) => {
            let id = r.get(0);
            sqlx::query(
                "UPDATE units SET short_name = COALESCE($1, short_name), \
                 parent_id = COALESCE($2, parent_id), confirmed = 1 WHERE id = $3",
            )
            .bind(&unit.short_name)
            .bind(unit.parent_id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            audit::record::<(), _>(
                tx,
                audit_entry(actor, "update", "unit", id),
                None,
                Some(unit),
            )
            .await?;
            id
        }
        None => {
            let id = sqlx::query(
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
            .await?
            .get(0);
            audit::record::<(), _>(
                tx,
                audit_entry(actor, "create", "unit", id),
                None,
                Some(unit),
            )
            .await?;
            id
        }
    };
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
    if let Some(r) = sqlx::query("SELECT id FROM unit_groups WHERE folded_name = $1")
        .bind(&k)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(r.get(0));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO unit_groups (name, folded_name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name.trim())
    .bind(k)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .get(0);
    audit::record::<(), _>(
        tx,
        audit_entry(actor, "create", "unit_group", id),
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
        audit_entry(actor, "update", "unit_group", group_id),
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
        audit_entry(Some(actor), "update", "unit", id),
        Some(before),
        Some(unit),
    )
    .await
}
