//! Recording, listing, editing and exporting activities.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use kehoach_office::Cell;

use super::columns::Column;
use super::domain::{ActivityInput, ActivityKind};
use super::repo::{self, ActivityFilter, ActivityRow, Choice, EvidenceFile};
use super::view::{ActivityDates, FileSize};
use super::{may_act_for, require_unit, require_unit_record};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::units::repo::{self as units, UnitRow};
use crate::web::{Ctx, HtmlForm, SessionUser, Tr, render_form};

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub plan: Option<i64>,
    #[serde(default)]
    pub page: Option<i64>,
    /// Drill-down from the dashboard: one theme, channel or period.
    #[serde(default)]
    pub theme: Option<i64>,
    #[serde(default)]
    pub channel: Option<i64>,
    #[serde(default)]
    pub period: Option<i64>,
}

/// The activities a user may see: their units', or all for the office.
pub fn visible(user: &SessionUser, plan_id: Option<i64>) -> ActivityFilter {
    ActivityFilter {
        member_id: (!user.is_office()).then_some(user.id),
        plan_id,
        ..Default::default()
    }
}

/// The Vietnamese (or English) name of each kind, for forms and imports.
pub fn kind_label(tr: Tr, kind: ActivityKind) -> String {
    tr.t(&kind.label_key())
}

#[derive(Template)]
#[template(path = "tracking/templates/activities.html")]
struct ListPage {
    ctx: Ctx,
    plans: Vec<Choice>,
    plan: Option<i64>,
    rows: Vec<ActivityRow>,
    total: i64,
    page: i64,
    pages: i64,
    notice: Option<String>,
    errors: Vec<String>,
}

impl ListPage {
    fn kind(&self, kind: &ActivityKind) -> String {
        kind_label(self.ctx.tr, *kind)
    }

    fn pager_href(&self, page: i64) -> String {
        match self.plan {
            Some(p) => format!("/activities?page={page}&plan={p}"),
            None => format!("/activities?page={page}"),
        }
    }

    fn plan_selected(&self, id: &i64) -> bool {
        self.plan == Some(*id)
    }
}

pub async fn list_page(
    state: &AppState,
    ctx: Ctx,
    q: ListQuery,
    notice: Option<String>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let mut filter = visible(&user, q.plan);
    filter.theme_id = q.theme;
    filter.channel_id = q.channel;
    if let Some(p) = q.period {
        let period = repo::period(&state.db, p)
            .await?
            .ok_or(AppError::NotFound)?;
        filter.plan_id = Some(period.plan_id);
        filter.from = Some(period.starts_on);
        filter.to = Some(period.ends_on);
    }
    let (rows, total) =
        repo::activities(&state.db, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let page = ListPage {
        plans: repo::published_plans(&state.db).await?,
        plan: q.plan,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        rows,
        total,
        page,
        notice,
        errors,
        ctx,
    };
    render_form(&page, !page.errors.is_empty())
}

pub async fn list(state: AppState, ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    list_page(&state, ctx, q, None, Vec::new()).await
}

#[derive(Template)]
#[template(path = "tracking/templates/activity_form.html")]
struct FormPage {
    ctx: Ctx,
    action: String,
    plans: Vec<Choice>,
    plan: Option<i64>,
    units: Vec<UnitRow>,
    kinds: Vec<(ActivityKind, String)>,
    themes: Vec<Choice>,
    channels: Vec<Choice>,
    current: Option<ActivityRow>,
    files: Vec<EvidenceFile>,
    error: Option<String>,
}

impl FormPage {
    /// The current value of a field, as the form shows it.
    fn v(&self, field: &str) -> String {
        let Some(a) = &self.current else {
            return String::new();
        };
        let date = crate::web::dates::iso_to_vn;
        match field {
            "title" => a.title.clone(),
            "date_from" => date(&a.date_from),
            "date_to" => a.date_to.as_deref().map(date).unwrap_or_default(),
            "link" => a.link.clone().unwrap_or_default(),
            "items" => a.items.to_string(),
            "participants" => a.participants.to_string(),
            "reach" => a.reach.to_string(),
            _ => String::new(),
        }
    }

    fn unit_is(&self, id: &i64) -> bool {
        self.current.as_ref().is_some_and(|a| a.unit_id == *id)
    }

    fn kind_is(&self, kind: &ActivityKind) -> bool {
        self.current.as_ref().is_some_and(|a| a.kind == *kind)
    }

    fn channel_is(&self, id: &i64) -> bool {
        self.current
            .as_ref()
            .is_some_and(|a| a.channel_id == Some(*id))
    }

    fn theme_is(&self, id: &i64) -> bool {
        self.current.as_ref().is_some_and(|a| a.has_theme(id))
    }
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    plan: Option<i64>,
    current: Option<ActivityRow>,
    error: Option<String>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let units = units::list(&state.db)
        .await?
        .into_iter()
        .filter(|u| may_act_for(&user, u.id))
        .collect();
    // Only a published plan's themes and channels are offered.
    let plans = repo::published_plans(&state.db).await?;
    let plan = plan.filter(|p| plans.iter().any(|x| x.id == *p));
    let (themes, channels) = match plan {
        Some(p) => (
            repo::themes(&state.db, p).await?,
            repo::channels(&state.db, p).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let files = match &current {
        Some(a) => repo::files(&state.db, a.id).await?,
        None => Vec::new(),
    };
    let page = FormPage {
        action: current
            .as_ref()
            .map(|a| format!("/activities/{}", a.id))
            .unwrap_or_else(|| "/activities".into()),
        plans,
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| (*k, kind_label(ctx.tr, *k)))
            .collect(),
        plan,
        units,
        themes,
        channels,
        current,
        files,
        error,
        ctx,
    };
    render_form(&page, page.error.is_some())
}

pub async fn new_form(
    state: AppState,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    ctx.user()?;
    form_page(&state, ctx, q.plan, None, None).await
}

fn parse(ctx: &Ctx, input: &ActivityInput) -> Result<super::domain::NewActivity, &'static str> {
    let kind = ActivityKind::parse(&input.kind, |k| kind_label(ctx.tr, k));
    input.parse(kind)
}

/// The plan must be published and the unit the user's own (and exist).
async fn check_scope(
    state: &AppState,
    user: &SessionUser,
    plan_id: i64,
    unit_id: i64,
) -> AppResult<()> {
    require_unit(user, unit_id)?;
    if units::find(&state.db, unit_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if !repo::published_plans(&state.db)
        .await?
        .iter()
        .any(|p| p.id == plan_id)
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The channel must be one of the activity's plan, and the duty one of
/// that plan's assigned to the activity's unit; otherwise the form's error.
pub(super) async fn foreign_reference(
    state: &AppState,
    a: &super::domain::NewActivity,
) -> AppResult<Option<&'static str>> {
    if let Some(channel) = a.channel_id
        && !repo::channels(&state.db, a.plan_id)
            .await?
            .iter()
            .any(|c| c.id == channel)
    {
        return Ok(Some("err-channel"));
    }
    if let Some(duty) = a.duty_id
        && !crate::plans::repo::duties(&state.db, a.plan_id)
            .await?
            .iter()
            .any(|d| d.id == duty && d.has_unit(&a.unit_id))
    {
        return Ok(Some("err-duty"));
    }
    Ok(None)
}

pub async fn create(
    state: AppState,
    ctx: Ctx,
    HtmlForm(input): HtmlForm<ActivityInput>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let plan = input.plan_id.parse().ok();
    let activity = match parse(&ctx, &input) {
        Ok(a) => a,
        Err(key) => {
            let msg = ctx.t(key);
            return form_page(&state, ctx, plan, None, Some(msg)).await;
        }
    };
    check_scope(&state, &user, activity.plan_id, activity.unit_id).await?;
    if let Some(key) = foreign_reference(&state, &activity).await? {
        let msg = ctx.t(key);
        return form_page(&state, ctx, plan, None, Some(msg)).await;
    }
    repo::insert_activities(&state.db, user.id, std::slice::from_ref(&activity)).await?;
    Ok(Redirect::to(&format!("/activities?plan={}", activity.plan_id)).into_response())
}

/// An activity the user may change; 404 alike for another unit's and for
/// none at all.
async fn own(state: &AppState, user: &SessionUser, id: i64) -> AppResult<ActivityRow> {
    let row = repo::activity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_unit_record(user, row.unit_id)?;
    Ok(row)
}

pub async fn edit_form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let row = own(&state, &user, id).await?;
    form_page(&state, ctx, Some(row.plan_id), Some(row), None).await
}

pub async fn update(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(mut input): HtmlForm<ActivityInput>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let before = own(&state, &user, id).await?;
    // An activity stays with its plan and unit.
    input.plan_id = before.plan_id.to_string();
    input.unit_id = before.unit_id.to_string();
    // The form has no duty field: an edit keeps the duty an import set.
    if input.duty_id.trim().is_empty()
        && let Some(duty) = before.duty_id
    {
        input.duty_id = duty.to_string();
    }
    let activity = match parse(&ctx, &input) {
        Ok(a) => a,
        Err(key) => {
            let msg = ctx.t(key);
            return form_page(&state, ctx, Some(before.plan_id), Some(before), Some(msg)).await;
        }
    };
    if let Some(key) = foreign_reference(&state, &activity).await? {
        let msg = ctx.t(key);
        return form_page(&state, ctx, Some(before.plan_id), Some(before), Some(msg)).await;
    }
    repo::update_activity(&state.db, user.id, id, &before, &activity).await?;
    Ok(Redirect::to(&format!("/activities?plan={}", before.plan_id)).into_response())
}

pub async fn delete(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let before = own(&state, &user, id).await?;
    repo::delete_activity(&state.db, user.id, &before).await?;
    Ok(Redirect::to(&format!("/activities?plan={}", before.plan_id)).into_response())
}

/// The visible activities as CSV (UTF-8 with BOM, so Excel reads Vietnamese).
pub async fn export_csv(
    state: AppState,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let (rows, _) = repo::activities(&state.db, &visible(&user, q.plan), i64::MAX, 0).await?;
    let header = Column::names(Column::EXPORTED);
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| Column::EXPORTED.iter().map(|c| csv_cell(r, *c)).collect())
        .collect();
    // The writer adds the BOM Excel needs and neutralises formula-like cells.
    let bytes = kehoach_office::csv_bytes(&header, &rows);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hoat-dong.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// An activity's value in one column of the CSV export.
fn csv_cell(r: &ActivityRow, column: Column) -> Cell {
    let vn = crate::web::dates::iso_to_vn;
    let text = |s: &str| Cell::Text(s.to_owned());
    match column {
        Column::Unit => text(&r.unit_name),
        Column::Kind => text(r.kind.as_str()),
        Column::Title => text(&r.title),
        Column::DateFrom => text(&vn(&r.date_from)),
        Column::DateTo => text(&r.date_to.as_deref().map(vn).unwrap_or_default()),
        Column::Link => text(r.link.as_deref().unwrap_or_default()),
        Column::Items => Cell::Integer(r.items),
        Column::Participants => Cell::Integer(r.participants),
        Column::Reach => Cell::Integer(r.reach),
        // Plan numbers only mean something next to the plan: not exported.
        Column::Themes | Column::Channel => text(""),
    }
}
