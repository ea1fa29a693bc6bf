//! A unit member's duties across published plans, and their status updates.
//! A member sees and changes only the assignments of their own units.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

use serde::Deserialize;

use super::repo::{self, MY_DUTIES_PAGE, MyDuty};
use super::states::AssignmentStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm, render};

/// One duty as its row shows it: the stored assignment, its deadline in
/// words and whether it is late today.
struct DutyLine {
    row: MyDuty,
    deadline_vn: String,
    overdue: bool,
}

impl std::ops::Deref for DutyLine {
    type Target = MyDuty;
    fn deref(&self) -> &MyDuty {
        &self.row
    }
}

impl DutyLine {
    fn new(row: MyDuty, today: &str) -> Self {
        Self {
            deadline_vn: crate::web::dates::deadline_vn(
                row.deadline.as_deref(),
                row.deadline_text.as_deref(),
            ),
            overdue: row.status != AssignmentStatus::Done
                && row.deadline.as_deref().is_some_and(|d| d < today),
            row,
        }
    }
}

#[derive(Template)]
#[template(path = "plans/templates/my_duties.html")]
struct MyDutiesPage {
    ctx: Ctx,
    total: i64,
    duties: Vec<DutyLine>,
    statuses: &'static [AssignmentStatus],
    page: i64,
    pages: i64,
}

impl MyDutiesPage {
    fn pager_href(&self, page: i64) -> String {
        format!("/duties?page={page}")
    }
}

/// One page of a user's duties and their total, cached under the data version.
pub struct MyDutiesData {
    duties: Vec<MyDuty>,
    total: i64,
}

#[derive(Template)]
#[template(path = "plans/templates/my_duty_row.html")]
struct MyDutyRow {
    ctx: Ctx,
    d: DutyLine,
    statuses: &'static [AssignmentStatus],
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

pub async fn page(
    state: AppState,
    svc: super::Services,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let user_id = ctx.user()?.id;
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let data: Arc<MyDutiesData> = svc
        .duties_cache
        .get((user_id, page), ctx.data_version, || async {
            let (duties, total) = repo::my_duties(&state.db, user_id, page).await?;
            Ok::<_, sqlx::Error>(MyDutiesData { duties, total })
        })
        .await?;
    let pages = ((data.total + MY_DUTIES_PAGE - 1) / MY_DUTIES_PAGE).max(1);
    // Lateness is judged at each view: the cached rows outlive a day.
    let today = crate::web::dates::today_iso();
    let page = MyDutiesPage {
        ctx,
        total: data.total,
        duties: data
            .duties
            .iter()
            .map(|d| DutyLine::new(d.clone(), &today))
            .collect(),
        statuses: AssignmentStatus::ALL,
        page,
        pages,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn update_status(
    state: AppState,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<StatusForm>,
) -> AppResult<Response> {
    let user_id = ctx.user()?.id;
    let status: AssignmentStatus = form
        .status
        .parse()
        .map_err(|_| AppError::BadRequest(ctx.t("err-status")))?;
    // Found only through the user's own units: another unit's assignment is
    // indistinguishable from one that does not exist.
    let before = repo::my_duty(&state.db, user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let note: String = form.note.trim().chars().take(2000).collect();
    repo::set_status(&state.db, user_id, &before, status, &note).await?;
    if headers.contains_key("hx-request") {
        let d = repo::my_duty(&state.db, user_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(render(&MyDutyRow {
            ctx,
            d: DutyLine::new(d, &crate::web::dates::today_iso()),
            statuses: AssignmentStatus::ALL,
        })?
        .into_response());
    }
    Ok(Redirect::to(&format!("/duties#a-{id}")).into_response())
}
