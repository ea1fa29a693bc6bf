//! Handlers for corrections and publication. Every one is office-only and
//! returns to the review screen at the item it changed.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::{DutyForm, SplitForm, ThemeForm};
use super::repo::edits::{self, Item, Resolution};
use super::repo::{self, DutyRow, PlanRow, ThemeRow};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::units::repo::{self as units, GroupRow, UnitRow};
use crate::web::{Ctx, HtmlForm, render, render_form};

fn back(plan_id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/plans/{plan_id}#{anchor}")).into_response()
}

fn invalid(ctx: &Ctx, key: &str) -> AppError {
    AppError::BadRequest(ctx.t(key))
}

pub async fn publish(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    super::load(&state, id).await?;
    repo::publish(&state.db, Some(actor), id).await?;
    Ok(back(id, "main"))
}

#[derive(Template)]
#[template(path = "plans/templates/theme.html")]
struct ThemePage {
    ctx: Ctx,
    plan: PlanRow,
    theme: ThemeRow,
}

pub async fn theme_form(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let plan = super::load(&state, id).await?;
    let theme = repo::themes(&state.db, id)
        .await?
        .into_iter()
        .find(|t| t.id == item)
        .ok_or(AppError::NotFound)?;
    Ok(render(&ThemePage { ctx, plan, theme })?.into_response())
}

pub async fn theme(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<ThemeForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let edit = form.parse().map_err(|k| invalid(&ctx, k))?;
    edits::edit_theme(&state.db, actor, id, item, &edit).await?;
    Ok(back(id, &format!("theme-{item}")))
}

async fn merge(
    state: AppState,
    ctx: Ctx,
    id: i64,
    item_id: i64,
    item: Item,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    edits::merge_with_next(&state.db, actor, item, id, item_id).await?;
    Ok(back(id, &format!("{}-{item_id}", item.entity())))
}

pub async fn merge_theme(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
) -> AppResult<Response> {
    merge(state, ctx, id, item, Item::Theme).await
}

pub async fn merge_duty(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
) -> AppResult<Response> {
    merge(state, ctx, id, item, Item::Duty).await
}

async fn split(
    state: AppState,
    ctx: Ctx,
    id: i64,
    item_id: i64,
    item: Item,
    form: SplitForm,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let (first, second) = form.parse().map_err(|k| invalid(&ctx, k))?;
    edits::split(&state.db, actor, item, id, item_id, &first, &second).await?;
    Ok(back(id, &format!("{}-{item_id}", item.entity())))
}

pub async fn split_theme(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<SplitForm>,
) -> AppResult<Response> {
    split(state, ctx, id, item, Item::Theme, form).await
}

pub async fn split_duty(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<SplitForm>,
) -> AppResult<Response> {
    split(state, ctx, id, item, Item::Duty, form).await
}

#[derive(Template)]
#[template(path = "plans/templates/duty.html")]
struct DutyPage {
    ctx: Ctx,
    plan: PlanRow,
    duty: DutyRow,
    units: Vec<UnitRow>,
    groups: Vec<GroupRow>,
    error: Option<String>,
}

impl DutyPage {
    fn deadline_input(&self) -> String {
        self.duty
            .deadline
            .as_deref()
            .map(crate::web::dates::iso_to_vn)
            .unwrap_or_default()
    }
}

async fn duty_page(
    state: &AppState,
    ctx: Ctx,
    id: i64,
    item: i64,
    error: Option<String>,
) -> AppResult<Response> {
    let plan = super::load(state, id).await?;
    let duty = repo::duties(&state.db, id)
        .await?
        .into_iter()
        .find(|d| d.id == item)
        .ok_or(AppError::NotFound)?;
    let page = DutyPage {
        ctx,
        plan,
        duty,
        units: units::list(&state.db).await?,
        groups: units::groups(&state.db).await?,
        error,
    };
    render_form(&page, page.error.is_some())
}

pub async fn duty_form(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    duty_page(&state, ctx, id, item, None).await
}

pub async fn duty(
    state: AppState,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    HtmlForm(mut form): HtmlForm<DutyForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    // A unit group chosen as lead hands the duty to each member.
    if let Ok(group_id) = form.lead_group.parse::<i64>() {
        let group = units::groups(&state.db)
            .await?
            .into_iter()
            .find(|g| g.id == group_id)
            .ok_or(AppError::NotFound)?;
        form.lead.extend(group.members.iter().map(|(id, _)| *id));
    }
    let (edit, assignments) = match form.parse() {
        Ok(v) => v,
        Err(key) => {
            let msg = ctx.t(key);
            return duty_page(&state, ctx, id, item, Some(msg)).await;
        }
    };
    let known: Vec<i64> = units::list(&state.db).await?.iter().map(|u| u.id).collect();
    if assignments.iter().any(|a| !known.contains(&a.unit_id)) {
        return Err(AppError::NotFound);
    }
    edits::edit_duty(&state.db, actor, id, item, &edit, &assignments).await?;
    Ok(back(id, &format!("duty-{item}")))
}

#[derive(Deserialize)]
pub struct ResolveForm {
    name: String,
    action: String,
    #[serde(default)]
    unit_id: String,
}

/// A name the directory did not know: create it as a unit, or record it as
/// an alias of an existing one; either way its duties get their unit.
pub async fn resolve_unit(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ResolveForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    super::load(&state, id).await?;
    let resolution = match form.action.as_str() {
        "create" => Resolution::Create,
        "map" => {
            let unit_id: i64 = form
                .unit_id
                .parse()
                .map_err(|_| invalid(&ctx, "err-choose-unit"))?;
            if crate::units::repo::find(&state.db, unit_id)
                .await?
                .is_none()
            {
                return Err(invalid(&ctx, "err-choose-unit"));
            }
            Resolution::AliasOf(unit_id)
        }
        _ => return Err(invalid(&ctx, "err-choose-unit")),
    };
    edits::resolve_unit_name(&state.db, actor, id, &form.name, resolution).await?;
    Ok(back(id, "h-duties"))
}
