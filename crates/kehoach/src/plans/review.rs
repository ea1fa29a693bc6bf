//! The review screen: everything the parser found, each item with the source
//! line it came from, the editable themes and duties, and what needs a
//! coordinator's decision (unknown unit names, linter warnings).

use askama::Template;
use axum::extract::Path;
use axum::response::Html;
use std::sync::Arc;

use kehoach_plan::PlanDocument;

use super::repo::{self, ChannelRow, DutyRow, PlanRow, ThemeRow};
use super::states::ThemeKind;
use crate::error::AppResult;
use crate::state::AppState;
use crate::units::repo::{self as units, UnitRow};
use crate::web::{Ctx, render};

pub struct ThemeGroup {
    pub heading: String,
    pub kind: ThemeKind,
    pub themes: Vec<ThemeRow>,
}

pub struct UnitDuties {
    pub unit: String,
    pub duties: Vec<DutyRow>,
}

/// Everything the review screen reads from the store, cached under the data
/// version: repeated views of a plan cost one query (the session's).
pub struct ReviewData {
    plan: PlanRow,
    doc: PlanDocument,
    theme_groups: Vec<ThemeGroup>,
    channels: Vec<ChannelRow>,
    by_unit: Vec<UnitDuties>,
    unknown: Vec<String>,
    units: Vec<UnitRow>,
}

#[derive(Template)]
#[template(path = "plans/templates/review.html")]
struct ReviewPage {
    ctx: Ctx,
    data: Arc<ReviewData>,
    /// "dòng"/"line", looked up once for the many source links.
    line_word: String,
}

impl ReviewPage {
    fn theme_count(&self) -> usize {
        self.data.theme_groups.iter().map(|g| g.themes.len()).sum()
    }

    fn duty_count(&self) -> usize {
        self.data.by_unit.iter().map(|g| g.duties.len()).sum()
    }

    /// The link to a source line shown beside every extracted item.
    fn src(&self, line: impl std::fmt::Display) -> String {
        format!(
            "<a class=\"line\" href=\"/plans/{}/source#L{line}\">{} {line}</a>",
            self.data.plan.id, self.line_word
        )
    }
}

/// Themes under their group headings ("1. Nội dung ... trọng tâm").
fn group_themes(doc: &PlanDocument, themes: Vec<ThemeRow>) -> Vec<ThemeGroup> {
    let mut groups: Vec<ThemeGroup> = Vec::new();
    for t in themes {
        let prefix = t.number.split('.').next().unwrap_or_default().to_owned();
        let heading = doc
            .theme_groups
            .iter()
            .find(|g| g.number == prefix)
            .map(|g| format!("{}. {}", g.number, g.heading))
            .unwrap_or_default();
        match groups.last_mut() {
            Some(g) if g.heading == heading => g.themes.push(t),
            _ => groups.push(ThemeGroup {
                heading,
                kind: t.kind,
                themes: vec![t],
            }),
        }
    }
    groups
}

/// Duties under the unit heading they were written for, in document order.
pub fn group_duties(duties: Vec<DutyRow>) -> Vec<UnitDuties> {
    let mut out: Vec<UnitDuties> = Vec::new();
    for d in duties {
        match out.last_mut() {
            Some(g) if g.unit == d.source_unit => g.duties.push(d),
            _ => out.push(UnitDuties {
                unit: d.source_unit.clone(),
                duties: vec![d],
            }),
        }
    }
    out
}

async fn load(state: &AppState, id: i64) -> AppResult<ReviewData> {
    let plan = super::load(state, id).await?;
    let doc = repo::document(&state.db, id).await?;
    let themes = repo::themes(&state.db, id).await?;
    let duties = repo::duties(&state.db, id).await?;
    let mut unknown: Vec<String> = duties
        .iter()
        .filter(|d| d.assignments.is_empty())
        .map(|d| d.source_unit.clone())
        .collect();
    unknown.dedup();
    Ok(ReviewData {
        theme_groups: group_themes(&doc, themes),
        channels: repo::channels(&state.db, id).await?,
        by_unit: group_duties(duties),
        units: if unknown.is_empty() {
            Vec::new()
        } else {
            units::list(&state.db).await?
        },
        unknown,
        plan,
        doc,
    })
}

pub async fn page(
    state: AppState,
    svc: super::Services,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Html<String>> {
    ctx.office()?;
    let data = svc
        .review_cache
        .get(id, ctx.data_version, || load(&state, id))
        .await?;
    let line_word = ctx.t("line");
    render(&ReviewPage {
        ctx,
        data,
        line_word,
    })
}

#[derive(Template)]
#[template(path = "plans/templates/source.html")]
struct SourcePage {
    ctx: Ctx,
    plan: PlanRow,
    lines: Vec<(usize, String)>,
}

pub async fn source(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Html<String>> {
    ctx.office()?;
    let plan = super::load(&state, id).await?;
    let text = repo::source_text(&state.db, id).await?;
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.to_owned()))
        .collect();
    render(&SourcePage { ctx, plan, lines })
}
