//! A user's in-app notices (report reminders), newest first; viewing them
//! marks them read.

use askama::Template;
use axum::response::Html;

use super::repo;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, render};

pub struct Notice {
    pub text: String,
    pub link: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "tracking/templates/notices.html")]
struct NoticesPage {
    ctx: Ctx,
    notices: Vec<Notice>,
}

/// Every account reads its own notices (judges get reminders to score).
pub async fn page(state: AppState, ctx: Ctx) -> AppResult<Html<String>> {
    let user_id = ctx.account()?.id;
    let notices = repo::notices(&state.db, user_id)
        .await?
        .into_iter()
        .map(|n| Notice {
            at: crate::web::dates::instant_vn(n.created_at),
            unread: n.read_at.is_none(),
            text: n.text,
            link: n.link,
        })
        .collect();
    repo::mark_read(&state.db, user_id).await?;
    render(&NoticesPage { ctx, notices })
}
