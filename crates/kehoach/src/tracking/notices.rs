//! A user's in-app notices (report reminders), newest first; viewing them
//! marks them read.

use askama::Template;
use axum::response::Html;
use sqlx::Row;

use crate::db::now;
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

pub async fn page(state: AppState, ctx: Ctx) -> AppResult<Html<String>> {
    let user_id = ctx.user()?.id;
    let notices = sqlx::query(
        "SELECT text, link, created_at, read_at FROM notices WHERE user_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(user_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|r| Notice {
        text: r.get(0),
        link: r.get(1),
        at: crate::web::dates::instant_vn(r.get(2)),
        unread: r.get::<Option<i64>, _>(3).is_none(),
    })
    .collect();
    // Reading is not an audited change of the plan's data: no version bump.
    sqlx::query("UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now())
        .bind(user_id)
        .execute(&state.db.pool)
        .await?;
    render(&NoticesPage { ctx, notices })
}
