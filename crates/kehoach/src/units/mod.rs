//! Units: the organisation directory (hierarchy, short names, aliases, unit
//! groups), its CSV import, and matching plan text against it.

pub mod csv_import;
pub mod matching;
pub mod repo;

use askama::Template;
use axum::Router;
use axum::extract::FromRef;
use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm, render};
use repo::{GroupRow, NewUnit, UnitRow};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new()
        .route("/units", get(directory).post(create_unit))
        .route("/units/{id}", get(edit_form).post(update_unit))
        .route("/units/groups", post(create_group))
        .route("/units/groups/{id}", get(group_form).post(update_group))
        .route("/units/import", post(import_csv))
}

#[derive(Template)]
#[template(path = "units/templates/directory.html")]
struct DirectoryPage {
    ctx: Ctx,
    units: Vec<UnitRow>,
    groups: Vec<GroupRow>,
    error: Option<String>,
    notice: Option<String>,
}

async fn directory_page(
    state: &AppState,
    ctx: Ctx,
    error: Option<String>,
    notice: Option<String>,
) -> AppResult<Response> {
    let page = DirectoryPage {
        units: repo::list(&state.db).await?,
        groups: repo::groups(&state.db).await?,
        ctx,
        error,
        notice,
    };
    Ok(render(&page)?.into_response())
}

async fn directory(state: AppState, ctx: Ctx) -> AppResult<Response> {
    ctx.office()?;
    directory_page(&state, ctx, None, None).await
}

#[derive(Deserialize)]
struct UnitForm {
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    aliases: String,
}

impl UnitForm {
    /// The form as a domain value, or the Fluent key of what is wrong.
    fn parse(&self) -> Result<NewUnit, &'static str> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 || matching::key(name).is_empty() {
            return Err("err-unit-name");
        }
        let parent_id = match self.parent_id.trim() {
            "" => None,
            p => Some(p.parse().map_err(|_| "err-unit-parent")?),
        };
        let short = self.short_name.trim();
        Ok(NewUnit {
            name: name.to_owned(),
            short_name: (!short.is_empty()).then(|| short.to_owned()),
            parent_id,
            aliases: self
                .aliases
                .split([';', '\n'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}

/// The parent must be a unit of the directory and not the unit itself or
/// one of its descendants (a circle would hang every tree walk).
fn check_parent(
    units: &[UnitRow],
    id: Option<i64>,
    unit: NewUnit,
) -> Result<NewUnit, &'static str> {
    let Some(mut at) = unit.parent_id else {
        return Ok(unit);
    };
    for _ in 0..=units.len() {
        if Some(at) == id {
            return Err("err-unit-parent");
        }
        match units.iter().find(|u| u.id == at) {
            Some(u) => match u.parent_id {
                Some(p) => at = p,
                None => return Ok(unit),
            },
            None => return Err("err-unit-parent"),
        }
    }
    Err("err-unit-parent")
}

/// Every unit id a form names must be in the directory.
pub async fn known_units(db: &crate::db::Db, ids: &[i64]) -> AppResult<bool> {
    let units = repo::list(db).await?;
    Ok(ids.iter().all(|id| units.iter().any(|u| u.id == *id)))
}

async fn create_unit(
    state: AppState,
    ctx: Ctx,
    HtmlForm(form): HtmlForm<UnitForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let units = repo::list(&state.db).await?;
    let unit = match form.parse().and_then(|u| check_parent(&units, None, u)) {
        Ok(u) => u,
        Err(key) => {
            let msg = ctx.t(key);
            return directory_page(&state, ctx, Some(msg), None).await;
        }
    };
    repo::create_unit(&state.db, actor, &unit).await?;
    Ok(Redirect::to("/units").into_response())
}

#[derive(Template)]
#[template(path = "units/templates/edit.html")]
struct EditPage {
    ctx: Ctx,
    unit: UnitRow,
    units: Vec<UnitRow>,
    error: Option<String>,
}

async fn edit_form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let unit = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let units = repo::list(&state.db).await?;
    Ok(render(&EditPage {
        ctx,
        unit,
        units,
        error: None,
    })?
    .into_response())
}

async fn update_unit(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<UnitForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let before = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let units = repo::list(&state.db).await?;
    let parsed = form.parse().and_then(|u| check_parent(&units, Some(id), u));
    let unit = match parsed {
        Ok(u) => u,
        Err(key) => {
            let units = repo::list(&state.db).await?;
            let error = Some(ctx.t(key));
            return Ok(render(&EditPage {
                ctx,
                unit: before,
                units,
                error,
            })?
            .into_response());
        }
    };
    repo::save_unit(&state.db, actor, id, &before, &unit).await?;
    Ok(Redirect::to("/units").into_response())
}

#[derive(Deserialize)]
struct GroupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit_ids: Vec<i64>,
}

async fn create_group(
    state: AppState,
    ctx: Ctx,
    HtmlForm(form): HtmlForm<GroupForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    if matching::key(&form.name).is_empty() {
        let msg = ctx.t("err-group-name");
        return directory_page(&state, ctx, Some(msg), None).await;
    }
    if !known_units(&state.db, &form.unit_ids).await? {
        let msg = ctx.t("err-unit-unknown");
        return directory_page(&state, ctx, Some(msg), None).await;
    }
    repo::create_group(&state.db, actor, &form.name, &form.unit_ids).await?;
    Ok(Redirect::to("/units").into_response())
}

#[derive(Template)]
#[template(path = "units/templates/group.html")]
struct GroupPage {
    ctx: Ctx,
    group: GroupRow,
    units: Vec<UnitRow>,
}

async fn group_form(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let group = repo::groups(&state.db)
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or(AppError::NotFound)?;
    let units = repo::list(&state.db).await?;
    Ok(render(&GroupPage { ctx, group, units })?.into_response())
}

async fn update_group(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<GroupForm>,
) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    if !repo::groups(&state.db).await?.iter().any(|g| g.id == id) {
        return Err(AppError::NotFound);
    }
    if !known_units(&state.db, &form.unit_ids).await? {
        return Err(AppError::BadRequest(ctx.t("err-unit-unknown")));
    }
    repo::save_group_members(&state.db, actor, id, &form.unit_ids).await?;
    Ok(Redirect::to("/units").into_response())
}

async fn import_csv(state: AppState, ctx: Ctx, multipart: Multipart) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let Some((_, bytes)) = crate::web::upload::first_file(multipart, 2 * 1024 * 1024).await? else {
        let msg = ctx.t("err-no-file");
        return directory_page(&state, ctx, Some(msg), None).await;
    };
    let result = match csv_import::parse(&bytes) {
        Ok(rows) => csv_import::store(&state.db, Some(actor), &rows).await,
        Err(rows) => Err(csv_import::ImportError::Rows(rows)),
    };
    match result {
        Ok(s) => {
            let notice = ctx.t1("units-imported", "count", s.units);
            directory_page(&state, ctx, None, Some(notice)).await
        }
        Err(csv_import::ImportError::Rows(rows)) => {
            let msg = csv_import::ImportError::Rows(rows).to_string();
            directory_page(&state, ctx, Some(msg), None).await
        }
        Err(csv_import::ImportError::Db(e)) => Err(e.into()),
    }
}
