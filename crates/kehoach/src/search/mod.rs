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
use sqlx::Row;

use crate::db::Db;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Ctx, SessionUser, render};

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
    for r in sqlx::query("SELECT id, kind, title, status FROM plans")
        .fetch_all(&db.pool)
        .await?
    {
        let (id, kind, title): (i64, String, String) = (r.get(0), r.get(1), r.get(2));
        let text = format!("{kind} {title}");
        let hit = Hit {
            href: format!("/plans/{id}"),
            title: text.clone(),
            context: String::new(),
        };
        rows.push((
            hit,
            kehoach_plan::fold(&text),
            None,
            r.get::<String, _>(3) == "published",
        ));
    }
    let duties = sqlx::query(
        "SELECT d.id, d.plan_id, d.text, d.source_unit, p.title, a.unit_id, p.status FROM duties d \
         JOIN plans p ON p.id = d.plan_id LEFT JOIN assignments a ON a.duty_id = d.id",
    )
    .fetch_all(&db.pool)
    .await?;
    for r in duties {
        let (id, plan_id, text, unit, plan): (i64, i64, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let hit = Hit {
            href: format!("/plans/{plan_id}#duty-{id}"),
            title: text.clone(),
            context: format!("{unit} · {plan}"),
        };
        rows.push((
            hit,
            kehoach_plan::fold(&format!("{text} {unit}")),
            r.get(5),
            r.get::<String, _>(6) == "published",
        ));
    }
    Ok(Corpus { rows })
}

/// Activities whose title has every term as a word, newest recorded first.
/// The first term drives a walk down the word index; the others are checked
/// per candidate, so a common word stops as soon as a page is found.
async fn activities(
    db: &Db,
    user: &SessionUser,
    terms: &[String],
) -> Result<Vec<Hit>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT a.id, a.title, u.name, a.date_from FROM activity_words w \
         JOIN activities a ON a.id = w.activity_id JOIN units u ON u.id = a.unit_id WHERE w.word = $1",
    );
    for i in 1..terms.len() {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM activity_words w{i} WHERE w{i}.activity_id = w.activity_id \
             AND w{i}.word = ${})",
            i + 1
        ));
    }
    if !user.is_office() {
        let ids: Vec<String> = user.unit_ids.iter().map(i64::to_string).collect();
        let list = if ids.is_empty() {
            "-1".into()
        } else {
            ids.join(",")
        };
        sql.push_str(&format!(" AND a.unit_id IN ({list})"));
    }
    sql.push_str(&format!(" ORDER BY w.activity_id DESC LIMIT {LIMIT}"));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for t in terms {
        q = q.bind(t.clone());
    }
    Ok(q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Hit {
            href: format!("/activities/{}", r.get::<i64, _>(0)),
            title: r.get(1),
            context: format!(
                "{} · {}",
                r.get::<String, _>(2),
                crate::web::dates::iso_to_vn(&r.get::<String, _>(3))
            ),
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
