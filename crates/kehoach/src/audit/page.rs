//! The administrator's view of the audit log.

use askama::Template;
use axum::Router;
use axum::extract::FromRef;
use axum::response::Html;
use axum::routing::get;

use super::Change;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, render};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new().route("/audit", get(page))
}

#[derive(Template)]
#[template(path = "audit/templates/audit.html")]
struct AuditPage {
    ctx: Ctx,
    changes: Vec<Change>,
}

async fn page(state: AppState, ctx: Ctx) -> AppResult<Html<String>> {
    ctx.admin()?;
    let changes = super::changes(&state.db, None, 0, 500).await?;
    render(&AuditPage { ctx, changes })
}
