//! News feeds: a press agency registers its website's RSS/Atom feed for a
//! plan; new articles are fetched on a schedule and wait as offers, with
//! suggested themes, until a member confirms one as an article activity.

mod fetch;
mod parse;
mod repo;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub use fetch::{FeedUrl, FetchError, Fetcher};
pub use parse::{Feed, FeedError, FeedItem};
pub use repo::{FeedRow, ItemRow};

use super::domain::{ActivityInput, ActivityKind};
use super::{Services, require_unit};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tracking::repo::Choice;
use crate::tracking::view::{FeedDates, ItemDates};
use crate::web::{Ctx, HtmlForm, render_form};

/// A member may ask for a fetch at most this often per feed.
const MANUAL_FETCH_SECS: i64 = 30;

#[derive(Template)]
#[template(path = "tracking/feeds/feeds.html")]
struct ListPage {
    ctx: Ctx,
    feeds: Vec<FeedRow>,
    units: Vec<(i64, String)>,
    plans: Vec<Choice>,
    form: Register,
    error: Option<String>,
}

impl ListPage {
    fn error_text(&self, code: &str) -> String {
        error_text(&self.ctx, code)
    }
}

/// A stored error code ("feed-error-status:404") in the reader's language.
fn error_text(ctx: &Ctx, code: &str) -> String {
    match code.split_once(':') {
        Some((key, arg)) => ctx.t1(key, "code", arg),
        None => ctx.t(code),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Register {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    url: String,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    form: Register,
    error: Option<String>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let units = super::own_units(&state.db, &user).await?;
    let feeds = repo::feeds(&state.db)
        .await?
        .into_iter()
        .filter(|f| super::may_act_for(&user, f.unit_id))
        .collect();
    let plans = super::repo::published_plans(&state.db).await?;
    let has_error = error.is_some();
    render_form(
        &ListPage {
            ctx,
            feeds,
            units,
            plans,
            form,
            error,
        },
        has_error,
    )
}

pub async fn list(state: AppState, ctx: Ctx) -> AppResult<Response> {
    list_page(&state, ctx, Register::default(), None).await
}

/// Registers a feed only once a first fetch has shown it is one, so a
/// wrong address is reported at once and nothing is stored.
pub async fn register(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    HtmlForm(form): HtmlForm<Register>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let (Ok(unit_id), Ok(plan_id)) = (form.unit_id.parse::<i64>(), form.plan_id.parse::<i64>())
    else {
        let msg = ctx.t("err-choose-unit");
        return list_page(&state, ctx, form, Some(msg)).await;
    };
    require_unit(&user, unit_id)?;
    if crate::units::repo::find(&state.db, unit_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if !super::repo::published_plans(&state.db)
        .await?
        .iter()
        .any(|p| p.id == plan_id)
    {
        return Err(AppError::NotFound);
    }
    let url = match FeedUrl::parse(&form.url) {
        Ok(u) => u,
        Err(e) => {
            let msg = error_text(&ctx, &e.code());
            return list_page(&state, ctx, form, Some(msg)).await;
        }
    };
    if repo::exists(&state.db, unit_id, plan_id, url.as_str()).await? {
        let msg = ctx.t("feed-error-exists");
        return list_page(&state, ctx, form, Some(msg)).await;
    }
    let feed = match svc.fetcher.fetch(&url).await {
        Ok(f) => f,
        Err(e) => {
            let msg = ctx.t1("feed-error-prefix", "reason", error_text(&ctx, &e.code()));
            return list_page(&state, ctx, form, Some(msg)).await;
        }
    };
    let themes = super::repo::themes(&state.db, plan_id).await?;
    repo::insert(&state.db, user.id, unit_id, plan_id, &url, &feed, &themes).await?;
    Ok(Redirect::to("/feeds").into_response())
}

/// The feed, if the user may act for its unit.
async fn own_feed(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<FeedRow> {
    let user = ctx.user()?;
    let feed = repo::feed(&state.db, id).await?.ok_or(AppError::NotFound)?;
    super::require_unit_record(user, feed.unit_id)?;
    Ok(feed)
}

/// Fetches one feed and stores what is new; the outcome is kept on the feed.
pub async fn fetch_one(db: &Db, svc: &Services, feed: &FeedRow) -> Result<usize, sqlx::Error> {
    let result = match FeedUrl::parse(&feed.url) {
        Ok(url) => svc.fetcher.fetch(&url).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(parsed) => {
            let themes = super::repo::themes(db, feed.plan_id).await?;
            repo::store_items(db, feed.id, &parsed.items, &themes).await
        }
        Err(e) => {
            tracing::info!(feed = feed.id, error = %e, "feed fetch failed");
            repo::record_error(db, feed.id, &e.code()).await?;
            Ok(0)
        }
    }
}

/// Fetches every registered feed in turn; returns the number of new items.
pub async fn fetch_all(db: &Db, svc: &Services) -> Result<usize, sqlx::Error> {
    let mut added = 0;
    for feed in repo::feeds(db).await? {
        added += fetch_one(db, svc, &feed).await?;
    }
    Ok(added)
}

pub async fn fetch_now(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let feed = own_feed(&state, &ctx, id).await?;
    let recent = feed
        .last_fetched_at
        .is_some_and(|t| crate::clock::now() - t < MANUAL_FETCH_SECS);
    if !recent {
        fetch_one(&state.db, &svc, &feed).await?;
    }
    Ok(Redirect::to(&format!("/feeds/{id}")).into_response())
}

pub async fn delete(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let feed = own_feed(&state, &ctx, id).await?;
    repo::delete(&state.db, ctx.user()?.id, &feed).await?;
    Ok(Redirect::to("/feeds").into_response())
}

#[derive(Template)]
#[template(path = "tracking/feeds/items.html")]
struct ItemsPage {
    ctx: Ctx,
    feed: FeedRow,
    items: Vec<ItemRow>,
    themes: Vec<Choice>,
    channels: Vec<Choice>,
    error: Option<String>,
}

impl ItemsPage {
    fn error_text(&self, code: &str) -> String {
        error_text(&self.ctx, code)
    }
}

async fn items_page(
    state: &AppState,
    ctx: Ctx,
    feed: FeedRow,
    error: Option<String>,
) -> AppResult<Response> {
    let items = repo::new_items(&state.db, feed.id).await?;
    let themes = super::repo::themes(&state.db, feed.plan_id).await?;
    let channels = super::repo::channels(&state.db, feed.plan_id).await?;
    let has_error = error.is_some();
    render_form(
        &ItemsPage {
            ctx,
            feed,
            items,
            themes,
            channels,
            error,
        },
        has_error,
    )
}

pub async fn items(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let feed = own_feed(&state, &ctx, id).await?;
    items_page(&state, ctx, feed, None).await
}

/// The item and its feed, if the user may act for the feed's unit and the
/// item still waits for a decision.
async fn open_item(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<(FeedRow, ItemRow)> {
    let item = repo::item(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let feed = own_feed(state, ctx, item.feed_id).await?;
    Ok((feed, item))
}

/// Confirms an offered article as an activity. The member may correct the
/// title, date, themes and channel; the unit, plan, kind and link come from
/// the feed and the article.
pub async fn confirm(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(input): HtmlForm<ActivityInput>,
) -> AppResult<Response> {
    let (feed, item) = open_item(&state, &ctx, id).await?;
    let input = ActivityInput {
        plan_id: feed.plan_id.to_string(),
        unit_id: feed.unit_id.to_string(),
        kind: ActivityKind::Article.as_str().to_owned(),
        link: item.link.clone().unwrap_or_default(),
        items: "1".into(),
        participants: String::new(),
        reach: String::new(),
        ..input
    };
    let activity = match input.parse(Some(ActivityKind::Article)) {
        Ok(a) => a,
        Err(key) => {
            let msg = format!("{}: {}", item.title, ctx.t(key));
            return items_page(&state, ctx, feed, Some(msg)).await;
        }
    };
    if let Some(key) = super::activities::foreign_reference(&state, &activity).await? {
        let msg = format!("{}: {}", item.title, ctx.t(key));
        return items_page(&state, ctx, feed, Some(msg)).await;
    }
    let user = ctx.user()?.id;
    if !repo::confirm(&state.db, user, item.id, &activity).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/feeds/{}", feed.id)).into_response())
}

pub async fn dismiss(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (feed, item) = open_item(&state, &ctx, id).await?;
    repo::dismiss(&state.db, ctx.user()?.id, &feed, item.id).await?;
    Ok(Redirect::to(&format!("/feeds/{}", feed.id)).into_response())
}
