//! The coordinator's units × duties matrix of a plan, filterable by unit
//! group and status.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use serde::Deserialize;

use super::repo::{self, DutyRow, PlanRow};
use super::states::{AssignmentRole, AssignmentStatus};
use crate::error::AppResult;
use crate::state::AppState;
use crate::units::repo::{self as units, GroupRow};
use crate::web::{Ctx, render};

#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    group: String,
    #[serde(default)]
    status: String,
}

pub struct MatrixRow {
    pub unit_name: String,
    /// One cell per duty column: (role, status) where the unit has it.
    pub cells: Vec<Option<(AssignmentRole, AssignmentStatus)>>,
}

#[derive(Template)]
#[template(path = "plans/templates/matrix.html")]
struct MatrixPage {
    ctx: Ctx,
    plan: PlanRow,
    duties: Vec<DutyRow>,
    rows: Vec<MatrixRow>,
    groups: Vec<GroupRow>,
    group: Option<i64>,
    status: Option<AssignmentStatus>,
    statuses: &'static [AssignmentStatus],
}

impl MatrixPage {
    fn group_selected(&self, id: &i64) -> bool {
        self.group == Some(*id)
    }

    fn status_selected(&self, s: &AssignmentStatus) -> bool {
        self.status == Some(*s)
    }
}

/// Pure: builds the rows from the plan's duties and the filter.
pub fn build(
    duties: &[DutyRow],
    group: Option<&GroupRow>,
    status: Option<AssignmentStatus>,
) -> Vec<MatrixRow> {
    let mut units: Vec<(i64, String)> = duties
        .iter()
        .flat_map(|d| {
            d.assignments
                .iter()
                .map(|a| (a.unit_id, a.unit_name.clone()))
        })
        .filter(|(id, _)| group.is_none_or(|g| g.has(id)))
        .collect();
    units.sort_by_cached_key(|(_, n)| kehoach_plan::fold(n));
    units.dedup();
    units
        .into_iter()
        .map(|(unit_id, unit_name)| MatrixRow {
            cells: duties
                .iter()
                .map(|d| {
                    d.assignments
                        .iter()
                        .find(|a| a.unit_id == unit_id)
                        .map(|a| (a.role, a.status))
                })
                .collect(),
            unit_name,
        })
        .filter(|r| status.is_none_or(|s| r.cells.iter().flatten().any(|(_, st)| *st == s)))
        .collect()
}

pub async fn page(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(filter): Query<Filter>,
) -> AppResult<Html<String>> {
    ctx.office()?;
    let plan = super::load(&state, id).await?;
    let duties = repo::duties(&state.db, id).await?;
    let groups = units::groups(&state.db).await?;
    let group = filter.group.parse::<i64>().ok();
    let status = filter.status.parse::<AssignmentStatus>().ok();
    let rows = build(&duties, groups.iter().find(|g| Some(g.id) == group), status);
    render(&MatrixPage {
        ctx,
        plan,
        duties,
        rows,
        groups,
        group,
        status,
        statuses: AssignmentStatus::ALL,
    })
}
