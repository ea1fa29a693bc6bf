//! A plan's version history: every change since publication, with who made
//! it, when, and the state before and after.

use askama::Template;
use axum::extract::Path;
use axum::response::Html;

use super::repo::PlanRow;
use crate::audit::{self, Change};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, render};

#[derive(Template)]
#[template(path = "plans/templates/history.html")]
struct HistoryPage {
    ctx: Ctx,
    plan: PlanRow,
    changes: Vec<Change>,
}

impl HistoryPage {
    fn published_vn(&self) -> String {
        self.plan
            .published_at
            .map(crate::web::dates::instant_vn)
            .unwrap_or_default()
    }
}

pub async fn page(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Html<String>> {
    ctx.office()?;
    let plan = super::load(&state, id).await?;
    // A draft has no versions yet; its history starts at publication.
    let since = plan.published_at.unwrap_or(i64::MAX);
    let changes = audit::changes(&state.db, Some(id), since, 1000).await?;
    render(&HistoryPage { ctx, plan, changes })
}
