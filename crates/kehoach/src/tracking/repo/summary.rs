//! Figures summed over activities: a report's counts by kind, theme and
//! channel, each unit's totals in a period, and the dashboard's coverage.

use crate::plans::states::ThemeKind;
use serde::Serialize;

use super::{ActivityFilter, PeriodRow, activity_where};
use crate::db::Db;
use crate::tracking::domain::ActivityKind;

/// How many activities, and their items, participants and reach summed.
macro_rules! totals {
    () => {
        concat!(
            "COUNT(*) AS n, ",
            crate::sum_i64!("a.items"),
            " AS items, ",
            crate::sum_i64!("a.participants"),
            " AS participants, ",
            crate::sum_i64!("a.reach"),
            " AS reach"
        )
    };
}

/// Activities of one kind and what they add up to.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct KindCount {
    pub kind: ActivityKind,
    pub n: i64,
    pub items: i64,
    pub participants: i64,
    pub reach: i64,
}

/// Activities under one theme or channel ("number. text").
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LabelCount {
    pub label: String,
    pub n: i64,
}

/// Counts of activities in a period: by kind, by theme, by channel.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub by_kind: Vec<KindCount>,
    pub by_theme: Vec<LabelCount>,
    pub by_channel: Vec<LabelCount>,
    pub total: i64,
}

fn in_period(period: &PeriodRow, unit_id: Option<i64>) -> ActivityFilter {
    ActivityFilter {
        unit_id,
        plan_id: Some(period.plan_id),
        from: Some(period.starts_on.clone()),
        to: Some(period.ends_on.clone()),
        ..Default::default()
    }
}

/// A period's counts, for one unit or for all.
pub async fn counts(
    db: &Db,
    period: &PeriodRow,
    unit_id: Option<i64>,
) -> Result<Counts, sqlx::Error> {
    let filter = in_period(period, unit_id);
    let by_kind: Vec<KindCount> = sqlx::query_as_with(
        concat!(
            "SELECT a.kind, ",
            totals!(),
            " FROM activities a",
            activity_where!(),
            " GROUP BY a.kind ORDER BY a.kind"
        ),
        filter.arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await?;
    let by_theme = sqlx::query_as_with(
        concat!(
            "SELECT t.number || '. ' || t.text AS label, COUNT(*) AS n FROM activities a \
             JOIN activity_themes at ON at.activity_id = a.id JOIN themes t ON t.id = at.theme_id",
            activity_where!(),
            " GROUP BY t.number, t.text, t.position ORDER BY t.position"
        ),
        filter.arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await?;
    let by_channel = sqlx::query_as_with(
        concat!(
            "SELECT c.number || '. ' || c.text AS label, COUNT(*) AS n FROM activities a \
             JOIN channels c ON c.id = a.channel_id",
            activity_where!(),
            " GROUP BY c.number, c.text, c.position ORDER BY c.position"
        ),
        filter.arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(Counts {
        total: by_kind.iter().map(|k| k.n).sum(),
        by_kind,
        by_theme,
        by_channel,
    })
}

/// One unit's activities in a period and what they add up to.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct UnitTotals {
    pub unit_id: i64,
    pub n: i64,
    pub items: i64,
    pub participants: i64,
    pub reach: i64,
}

/// Per unit in a period: activities, items, participants, reach.
pub async fn unit_totals(db: &Db, period: &PeriodRow) -> Result<Vec<UnitTotals>, sqlx::Error> {
    sqlx::query_as_with(
        concat!(
            "SELECT a.unit_id, ",
            totals!(),
            " FROM activities a",
            activity_where!(),
            " GROUP BY a.unit_id"
        ),
        in_period(period, None).arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await
}

/// A theme as the dashboard's grid lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GridTheme {
    pub id: i64,
    pub number: String,
    pub kind: ThemeKind,
}

impl GridTheme {
    pub fn is_key(&self) -> bool {
        self.kind == ThemeKind::Key
    }
}

/// A plan's themes in order, key ones marked.
pub async fn grid_themes(db: &Db, plan_id: i64) -> Result<Vec<GridTheme>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number, kind FROM themes \
         WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&db.pool)
    .await
}

/// A channel as the dashboard's grid lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GridChannel {
    pub id: i64,
    pub number: String,
}

pub async fn grid_channels(db: &Db, plan_id: i64) -> Result<Vec<GridChannel>, sqlx::Error> {
    sqlx::query_as("SELECT id, number FROM channels WHERE plan_id = $1 ORDER BY position")
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await
}

/// Activities on a theme through a channel (none: no channel given).
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct CoverageCell {
    pub theme_id: i64,
    pub channel_id: Option<i64>,
    pub n: i64,
}

pub async fn coverage(db: &Db, filter: &ActivityFilter) -> Result<Vec<CoverageCell>, sqlx::Error> {
    sqlx::query_as_with(
        concat!(
            "SELECT at.theme_id, a.channel_id, COUNT(*) AS n FROM activities a \
             JOIN activity_themes at ON at.activity_id = a.id",
            activity_where!(),
            " GROUP BY at.theme_id, a.channel_id"
        ),
        filter.arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await
}

/// Activities begun in one month ("2021-03").
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MonthCount {
    pub month: String,
    pub n: i64,
}

pub async fn months(db: &Db, filter: &ActivityFilter) -> Result<Vec<MonthCount>, sqlx::Error> {
    sqlx::query_as_with(
        concat!(
            "SELECT substr(a.date_from, 1, 7) AS month, COUNT(*) AS n FROM activities a",
            activity_where!(),
            " GROUP BY substr(a.date_from, 1, 7) ORDER BY 1"
        ),
        filter.arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await
}

/// A unit has recorded an activity on a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct Touched {
    pub unit_id: i64,
    pub theme_id: i64,
}

pub async fn touched(db: &Db, filter: &ActivityFilter) -> Result<Vec<Touched>, sqlx::Error> {
    sqlx::query_as_with(
        concat!(
            "SELECT DISTINCT a.unit_id, at.theme_id FROM activities a \
             JOIN activity_themes at ON at.activity_id = a.id",
            activity_where!()
        ),
        filter.arguments(&[])?,
    )
    .fetch_all(&db.pool)
    .await
}
