//! Diacritic-insensitive search over plans, duties and activities: "dang uy"
//! finds "Đảng ủy", "hòa" and "hoà" find each other. Text is folded in Rust
//! (kehoach_plan::fold), so both database engines give the same answers.

use askama::Template;
use axum::Router;
use axum::extract::FromRef;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use crate::db::Db;
use crate::error::AppResult;
use crate::plans::states::PlanStatus;
use crate::state::AppState;
use crate::web::{Ctx, SessionUser, render};

mod repo;
mod services;
pub use services::Services;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    Services: FromRef<S>,
{
    Router::new().route("/search", get(page))
}

const LIMIT: i64 = 50;

/// The folded words of a query; words shorter than two characters are noise.
pub fn terms(q: &str) -> Vec<String> {
    terms_unbounded(q).into_iter().take(8).collect()
}

/// The distinct folded words of a text, as the word index stores them.
pub fn words(text: &str) -> Vec<String> {
    let mut w = terms_unbounded(text);
    w.sort();
    w.dedup();
    w
}

fn terms_unbounded(q: &str) -> Vec<String> {
    kehoach_plan::fold(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_owned)
        .collect()
}

/// Pure: does folded text contain every term?
pub fn matches(folded: &str, terms: &[String]) -> bool {
    !terms.is_empty() && terms.iter().all(|t| folded.contains(t.as_str()))
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub href: String,
    pub title: String,
    pub context: String,
}

/// Plans and duties: few enough to fold in memory; cached under the data version.
pub struct Corpus {
    rows: Vec<(Hit, String, Option<i64>, bool)>,
}

async fn corpus(db: &Db) -> Result<Corpus, sqlx::Error> {
    let mut rows = Vec::new();
    for p in repo::plans(db).await? {
        let text = format!("{} {}", p.kind, p.title);
        let hit = Hit {
            href: format!("/plans/{}", p.id),
            title: text.clone(),
            context: String::new(),
        };
        rows.push((
            hit,
            kehoach_plan::fold(&text),
            None,
            p.status == PlanStatus::Published,
        ));
    }
    for d in repo::duties(db).await? {
        let hit = Hit {
            href: format!("/plans/{}#duty-{}", d.plan_id, d.id),
            title: d.text.clone(),
            context: format!("{} · {}", d.source_unit, d.plan_title),
        };
        rows.push((
            hit,
            kehoach_plan::fold(&format!("{} {}", d.text, d.source_unit)),
            d.unit_id,
            d.plan_status == PlanStatus::Published,
        ));
    }
    Ok(Corpus { rows })
}

async fn activities(
    db: &Db,
    user: &SessionUser,
    terms: &[String],
) -> Result<Vec<Hit>, sqlx::Error> {
    Ok(repo::activities(db, user, terms, LIMIT)
        .await?
        .into_iter()
        .map(|a| Hit {
            href: format!("/activities/{}", a.id),
            context: format!(
                "{} · {}",
                a.unit_name,
                crate::web::dates::iso_to_vn(&a.date_from)
            ),
            title: a.title,
        })
        .collect())
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search/templates/search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    plans: Vec<Hit>,
    duties: Vec<Hit>,
    activities: Vec<Hit>,
}

pub async fn page(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Query(query): Query<SearchQuery>,
) -> AppResult<Html<String>> {
    let user = ctx.user()?.clone();
    let terms = terms(&query.q);
    let (mut plans, mut duties, mut acts) = (Vec::new(), Vec::new(), Vec::new());
    if !terms.is_empty() {
        let corpus = svc
            .search_cache
            .get((), ctx.data_version, || corpus(&state.db))
            .await?;
        for (hit, folded, unit, published) in &corpus.rows {
            // The office sees every plan; a member only published duties of their units.
            let visible =
                user.is_office() || (*published && unit.is_some_and(|u| user.belongs_to(u)));
            if !visible || !matches(folded, &terms) {
                continue;
            }
            let list = if hit.context.is_empty() {
                &mut plans
            } else {
                &mut duties
            };
            if list.len() < LIMIT as usize && !list.iter().any(|h: &Hit| h.href == hit.href) {
                list.push(hit.clone());
            }
        }
        acts = activities(&state.db, &user, &terms).await?;
    }
    if !user.is_office() {
        // Members have no plan pages; their duties live on /duties.
        plans.clear();
        for d in &mut duties {
            d.href = "/duties".into();
        }
    }
    render(&SearchPage {
        ctx,
        q: query.q,
        plans,
        duties,
        activities: acts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_makes_tones_and_d_irrelevant() {
        let t = terms("dang uy");
        assert!(matches(&kehoach_plan::fold("Đảng ủy Khối"), &t));
        assert!(matches(&kehoach_plan::fold("Sơn Hoà"), &terms("hòa")));
        assert!(!matches("dang", &terms("")));
        assert_eq!(terms("a Đ bc"), vec!["bc"]);
    }
}
