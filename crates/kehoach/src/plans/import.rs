//! Bringing a plan document in: the upload form and the one import path the
//! web form, the command line and the demo data all use.

use askama::Template;
use axum::extract::Multipart;
use axum::response::{IntoResponse, Redirect, Response};

use super::repo::{self, PlanRow};
use crate::db::Db;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, render_form, upload};

/// Why an import did not happen; nothing was stored in either case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Parse(#[from] kehoach_plan::ParseError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Decodes, parses and stores a plan document as a draft in one transaction.
pub async fn import_bytes(
    db: &Db,
    actor: Option<i64>,
    source_name: &str,
    bytes: &[u8],
) -> Result<i64, ImportError> {
    import_as(db, actor, source_name, bytes, None).await
}

/// The same import for a plan that is a unit's sub-plan, or not.
pub async fn import_as(
    db: &Db,
    actor: Option<i64>,
    source_name: &str,
    bytes: &[u8],
    owner: Option<repo::SubPlanOf>,
) -> Result<i64, ImportError> {
    let text = kehoach_plan::decode(bytes)?;
    let doc = kehoach_plan::parse_text(&text)?;
    Ok(repo::import(db, actor, source_name, &text, &doc, owner).await?)
}

#[derive(Template)]
#[template(path = "plans/templates/list.html")]
struct ListPage {
    ctx: Ctx,
    plans: Vec<PlanRow>,
    error: Option<String>,
}

async fn list_page(state: &AppState, ctx: Ctx, error: Option<String>) -> AppResult<Response> {
    let plans = repo::plans(&state.db).await?;
    let has_error = error.is_some();
    render_form(&ListPage { ctx, plans, error }, has_error)
}

pub async fn list(state: AppState, ctx: Ctx) -> AppResult<Response> {
    ctx.office()?;
    list_page(&state, ctx, None).await
}

pub async fn upload(state: AppState, ctx: Ctx, multipart: Multipart) -> AppResult<Response> {
    let actor = ctx.office()?.id;
    let file = match upload::first_file(multipart, state.settings.max_upload_bytes).await {
        Ok(Some(f)) => f,
        Ok(None) => {
            let msg = ctx.t("err-no-file");
            return list_page(&state, ctx, Some(msg)).await;
        }
        Err(crate::error::AppError::BadRequest(msg)) => {
            return list_page(&state, ctx, Some(msg)).await;
        }
        Err(e) => return Err(e),
    };
    let (name, bytes) = file;
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    match import_bytes(&state.db, Some(actor), &name, &bytes).await {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(ImportError::Parse(e)) => {
            tracing::info!(file = %name, code = e.code(), "plan import refused");
            list_page(&state, ctx, Some(e.to_string())).await
        }
        Err(ImportError::Db(e)) => Err(e.into()),
    }
}
