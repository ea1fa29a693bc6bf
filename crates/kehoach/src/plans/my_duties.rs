//! A unit member's duties across published plans, and their status updates.
//! A member sees and changes only the assignments of their own units.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

use serde::Deserialize;
use sqlx::Row;

use super::forms::Status;
use crate::audit;
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm, render};

#[derive(Debug, Clone, serde::Serialize)]
pub struct MyDuty {
    pub assignment_id: i64,
    pub plan_id: i64,
    pub plan_title: String,
    pub unit_name: String,
    pub role: String,
    pub text: String,
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    pub status: String,
    pub status_note: Option<String>,
}

impl MyDuty {
    pub fn deadline_vn(&self) -> String {
        crate::web::dates::deadline_vn(self.deadline.as_deref(), self.deadline_text.as_deref())
    }

    pub fn overdue(&self) -> bool {
        self.status != "done"
            && self
                .deadline
                .as_deref()
                .is_some_and(|d| d < crate::web::dates::today_iso().as_str())
    }
}

const MY_DUTY_SELECT: &str = "SELECT a.id, p.id, p.title, u.name, a.role, d.text, d.deadline, \
     d.deadline_text, a.status, a.status_note \
     FROM assignments a JOIN duties d ON d.id = a.duty_id JOIN plans p ON p.id = d.plan_id \
     JOIN units u ON u.id = a.unit_id JOIN user_units uu ON uu.unit_id = a.unit_id \
     WHERE uu.user_id = $1 AND p.status = 'published'";

fn my_duty(r: &sqlx::any::AnyRow) -> MyDuty {
    MyDuty {
        assignment_id: r.get(0),
        plan_id: r.get(1),
        plan_title: r.get(2),
        unit_name: r.get(3),
        role: r.get(4),
        text: r.get(5),
        deadline: r.get(6),
        deadline_text: r.get(7),
        status: r.get(8),
        status_note: r.get(9),
    }
}

pub const PAGE_SIZE: i64 = 50;

/// One page of a user's duties, newest plan first, and the total count.
pub async fn for_user(db: &Db, user_id: i64, page: i64) -> Result<(Vec<MyDuty>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM assignments a JOIN duties d ON d.id = a.duty_id \
         JOIN plans p ON p.id = d.plan_id JOIN user_units uu ON uu.unit_id = a.unit_id \
         WHERE uu.user_id = $1 AND p.status = 'published'",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    let sql = format!("{MY_DUTY_SELECT} ORDER BY p.id DESC, d.position, u.name LIMIT $2 OFFSET $3");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(PAGE_SIZE)
        .bind((page - 1) * PAGE_SIZE)
        .fetch_all(&db.pool)
        .await?;
    Ok((rows.iter().map(my_duty).collect(), total))
}

async fn one(db: &Db, user_id: i64, assignment_id: i64) -> Result<Option<MyDuty>, sqlx::Error> {
    let sql = format!("{MY_DUTY_SELECT} AND a.id = $2");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(assignment_id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(my_duty))
}

#[derive(Template)]
#[template(path = "plans/templates/my_duties.html")]
struct MyDutiesPage {
    ctx: Ctx,
    data: Arc<MyDutiesData>,
    statuses: [Status; 3],
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
    d: MyDuty,
    statuses: [Status; 3],
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
    let data = svc
        .duties_cache
        .get((user_id, page), ctx.data_version, || async {
            let (duties, total) = for_user(&state.db, user_id, page).await?;
            Ok::<_, sqlx::Error>(MyDutiesData { duties, total })
        })
        .await?;
    let pages = ((data.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = MyDutiesPage {
        ctx,
        data,
        statuses: Status::ALL,
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
    let status =
        Status::parse(&form.status).ok_or_else(|| AppError::BadRequest(ctx.t("err-status")))?;
    // Found only through the user's own units: another unit's assignment is
    // indistinguishable from one that does not exist.
    let before = one(&state.db, user_id, id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let note: String = form.note.trim().chars().take(2000).collect();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "UPDATE assignments SET status = $1, status_note = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(status.as_str())
    .bind((!note.is_empty()).then_some(&note))
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Entry {
            user_id: Some(user_id),
            action: "status",
            entity: "assignment",
            entity_id: Some(id),
            plan_id: Some(before.plan_id),
        },
        Some(&before),
        Some(&serde_json::json!({"status": status, "note": note})),
    )
    .await?;
    tx.commit().await?;
    if headers.contains_key("hx-request") {
        let d = one(&state.db, user_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(render(&MyDutyRow {
            ctx,
            d,
            statuses: Status::ALL,
        })?
        .into_response());
    }
    Ok(Redirect::to(&format!("/duties#a-{id}")).into_response())
}
