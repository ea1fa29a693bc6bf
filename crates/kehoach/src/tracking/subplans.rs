//! Sub-plans: a unit attaches its own implementing plan to a published plan
//! (imported with the same importer); the office sees which units have one
//! and which of the parent's themes each covers or misses.

use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::coverage;
use super::repo;
use super::require_unit;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::plans::repo::{self as plans, PlanRow, SubPlanOf};
use crate::plans::{ImportError, import_as};
use crate::state::AppState;
use crate::web::{Ctx, render, render_form, upload};

/// A sub-plan and, for each of the parent's themes, whether it covers it.
pub struct SubPlan {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    pub themes: Vec<(String, bool)>,
}

impl SubPlan {
    pub fn covered_count(&self) -> usize {
        self.themes.iter().filter(|t| t.1).count()
    }

    pub fn missed(&self) -> String {
        let missed: Vec<&str> = self
            .themes
            .iter()
            .filter(|t| !t.1)
            .map(|t| t.0.as_str())
            .collect();
        missed.join(", ")
    }
}

async fn subplans(db: &Db, parent: i64) -> Result<Vec<SubPlan>, sqlx::Error> {
    let themes = repo::parent_themes(db, parent).await?;
    let texts: Vec<String> = themes.iter().map(|t| t.text.clone()).collect();
    Ok(repo::subplans(db, parent)
        .await?
        .into_iter()
        .map(|r| {
            let flags = coverage::covered(&texts, &r.source_text);
            SubPlan {
                id: r.id,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
                title: r.title,
                themes: themes.iter().map(|t| t.number.clone()).zip(flags).collect(),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "tracking/templates/subplans.html")]
struct OfficePage {
    ctx: Ctx,
    plan: PlanRow,
    subplans: Vec<SubPlan>,
    without: Vec<String>,
    theme_count: usize,
}

/// The office's view: who has a sub-plan, what each covers, who has none.
pub async fn for_plan(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let plan = plans::plan(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let subplans = subplans(&state.db, id).await?;
    let without: Vec<String> = repo::plan_units(&state.db, id)
        .await?
        .into_iter()
        .filter(|u| !subplans.iter().any(|s| s.unit_id == u.id))
        .map(|u| u.name)
        .collect();
    let theme_count = repo::parent_themes(&state.db, id).await?.len();
    Ok(render(&OfficePage {
        ctx,
        plan,
        subplans,
        without,
        theme_count,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "tracking/templates/my_subplans.html")]
struct MemberPage {
    ctx: Ctx,
    rows: Vec<(PlanRow, i64, String, Option<SubPlan>)>,
    error: Option<String>,
}

async fn member_page(state: &AppState, ctx: Ctx, error: Option<String>) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let units = super::own_units(&state.db, &user).await?;
    let mut rows = Vec::new();
    for plan in super::published_plans(&state.db).await? {
        let mut subs = subplans(&state.db, plan.id).await?;
        for (unit_id, unit_name) in &units {
            let sub = subs
                .iter()
                .position(|s| s.unit_id == *unit_id)
                .map(|i| subs.remove(i));
            rows.push((plan.clone(), *unit_id, unit_name.clone(), sub));
        }
    }
    let has_error = error.is_some();
    render_form(&MemberPage { ctx, rows, error }, has_error)
}

/// A member's units and their sub-plans, with an upload form where missing.
pub async fn mine(state: AppState, ctx: Ctx) -> AppResult<Response> {
    member_page(&state, ctx, None).await
}

#[derive(Deserialize)]
pub struct Target {
    plan: i64,
    unit: i64,
}

pub async fn upload(
    state: AppState,
    ctx: Ctx,
    Query(t): Query<Target>,
    multipart: Multipart,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    require_unit(&user, t.unit)?;
    if crate::units::repo::find(&state.db, t.unit).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let parent = plans::plan(&state.db, t.plan)
        .await?
        .ok_or(AppError::NotFound)?;
    if !parent.is_published() {
        return Err(AppError::NotFound);
    }
    if subplans(&state.db, t.plan)
        .await?
        .iter()
        .any(|s| s.unit_id == t.unit)
    {
        let msg = ctx.t("err-subplan-exists");
        return member_page(&state, ctx, Some(msg)).await;
    }
    let (name, bytes) = match upload::first_file(multipart, state.settings.max_upload_bytes).await {
        Ok(Some(f)) => f,
        Ok(None) => {
            let msg = ctx.t("err-no-file");
            return member_page(&state, ctx, Some(msg)).await;
        }
        Err(AppError::BadRequest(msg)) => return member_page(&state, ctx, Some(msg)).await,
        Err(e) => return Err(e),
    };
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    let owner = SubPlanOf {
        parent_id: t.plan,
        unit_id: t.unit,
    };
    match import_as(&state.db, Some(user.id), &name, &bytes, Some(owner)).await {
        Ok(_) => Ok(Redirect::to("/subplans").into_response()),
        Err(ImportError::Parse(e)) => member_page(&state, ctx, Some(e.to_string())).await,
        Err(ImportError::Db(e)) => Err(e.into()),
    }
}
