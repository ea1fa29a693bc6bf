//! The judge's side: assigned entries, the scoring sheet beside the work
//! itself (PDF, images, audio and video inline), and the other judges'
//! scores once the judge has submitted their own.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{ScoreSheet, SheetError, canonical_payload, problems, to_milli, weighted};

use super::EditionRow;
use super::access::{self, Access};
use super::repo::{self, AwardError, EntryRow, RoundRow, ScoreRow};
use super::states::RoundStatus;
use super::view;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, Role, render, render_form};

fn judge(ctx: &Ctx) -> AppResult<i64> {
    let user = ctx.account()?;
    if user.role == Role::Judge {
        Ok(user.id)
    } else {
        Err(AppError::Forbidden)
    }
}

pub struct Work {
    pub round: RoundRow,
    pub entry: EntryRow,
    pub category: String,
    pub scored: Option<String>,
}

#[derive(Template)]
#[template(path = "awards/templates/judge_list.html")]
struct ListPage {
    ctx: Ctx,
    work: Vec<Work>,
    /// Each round the judge has work in: (round, scored, assigned).
    rounds: Vec<(RoundRow, usize, usize)>,
}

impl ListPage {
    fn round_progress(&self, scored: &usize, assigned: &usize) -> String {
        self.ctx.t2(
            "award-round-progress",
            ("scored", scored),
            ("assigned", assigned),
        )
    }
}

/// What the list needs of one round, read once however many entries the
/// judge has in it.
struct RoundData {
    round: RoundRow,
    edition: EditionRow,
    scores: Vec<ScoreRow>,
    entries: HashMap<i64, EntryRow>,
}

async fn round_data(state: &AppState, round_id: i64) -> AppResult<Option<RoundData>> {
    let Some(round) = repo::round(&state.db, round_id).await? else {
        return Ok(None);
    };
    let Some(edition) = repo::edition(&state.db, round.edition_id).await? else {
        return Ok(None);
    };
    let entries = repo::entries(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(Some(RoundData {
        scores: repo::scores(&state.db, round_id).await?,
        round,
        edition,
        entries,
    }))
}

pub async fn list(state: AppState, ctx: Ctx) -> AppResult<Response> {
    let me = judge(&ctx)?;
    let mut work = Vec::new();
    let mut rounds: HashMap<i64, Option<RoundData>> = HashMap::new();
    for w in repo::judge_work(&state.db, me).await? {
        let (round_id, entry_id) = (w.round_id, w.entry_id);
        use std::collections::hash_map::Entry;
        let data = match rounds.entry(round_id) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(round_data(&state, round_id).await?),
        };
        let Some(data) = data else {
            continue;
        };
        let Some(entry) = data.entries.get(&entry_id) else {
            continue;
        };
        work.push(Work {
            round: data.round.clone(),
            category: data.edition.category_name(&entry.category),
            scored: data
                .scores
                .iter()
                .find(|s| s.entry_id == entry_id && s.judge_id == me)
                .map(|s| view::milli(s.total_milli)),
            entry: entry.clone(),
        });
    }
    // Open rounds first, and in each what is still to score.
    work.sort_by_key(|w| (w.round.status != RoundStatus::Open, w.scored.is_some()));
    let mut per_round: Vec<(RoundRow, usize, usize)> = Vec::new();
    for w in &work {
        match per_round.iter_mut().find(|(r, _, _)| r.id == w.round.id) {
            Some((_, scored, assigned)) => {
                *scored += usize::from(w.scored.is_some());
                *assigned += 1;
            }
            None => per_round.push((w.round.clone(), usize::from(w.scored.is_some()), 1)),
        }
    }
    let page = ListPage {
        ctx,
        work,
        rounds: per_round,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "awards/templates/sheet.html")]
struct SheetPage {
    ctx: Ctx,
    edition: EditionRow,
    round: RoundRow,
    entry: EntryRow,
    shows_identity: bool,
    marks: HashMap<String, String>,
    comment: String,
    mine: Option<ScoreRow>,
    /// Other judges' sheets, only once this judge has submitted.
    others: Vec<ScoreRow>,
    /// The submitted totals differ by the edition's threshold or more.
    disagree: bool,
    errors: Vec<String>,
}

impl SheetPage {
    fn mark(&self, key: &str) -> String {
        self.marks.get(key).cloned().unwrap_or_default()
    }

    fn open(&self) -> bool {
        self.round.status == RoundStatus::Open
    }
}

/// The round and entry, for a judge assigned to that entry in that round.
async fn assigned(
    state: &AppState,
    ctx: &Ctx,
    round_id: i64,
    entry_id: i64,
) -> AppResult<(i64, RoundRow, EntryRow, EditionRow, Access)> {
    let me = judge(ctx)?;
    let round = repo::round(&state.db, round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_round = repo::assignments(&state.db, round_id)
        .await?
        .iter()
        .any(|a| a.entry_id == entry_id && a.judge_id == me);
    if !in_round {
        return Err(AppError::NotFound);
    }
    let (entry, edition, access) = access::entry(state, ctx, entry_id).await?;
    Ok((me, round, entry, edition, access))
}

pub async fn sheet(
    state: AppState,
    ctx: Ctx,
    Path((round_id, entry_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (me, round, entry, edition, access) = assigned(&state, &ctx, round_id, entry_id).await?;
    let scores = repo::scores(&state.db, round_id).await?;
    let mine = scores
        .iter()
        .find(|s| s.entry_id == entry_id && s.judge_id == me)
        .cloned();
    let page = sheet_page(ctx, edition, round, entry, access, &scores, mine, None);
    Ok(render(&page)?.into_response())
}

#[allow(clippy::too_many_arguments)]
fn sheet_page(
    ctx: Ctx,
    edition: EditionRow,
    round: RoundRow,
    entry: EntryRow,
    access: Access,
    scores: &[ScoreRow],
    mine: Option<ScoreRow>,
    typed: Option<(HashMap<String, String>, String, Vec<String>)>,
) -> SheetPage {
    let others = match &mine {
        Some(m) => scores
            .iter()
            .filter(|s| s.entry_id == entry.id && s.judge_id != m.judge_id)
            .cloned()
            .collect(),
        None => vec![],
    };
    let (marks, comment, errors) = typed.unwrap_or_else(|| match &mine {
        Some(m) => (
            m.marks
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect(),
            m.comment.clone(),
            vec![],
        ),
        None => (HashMap::new(), String::new(), vec![]),
    });
    let totals: Vec<i64> = mine.iter().chain(&others).map(|s| s.total_milli).collect();
    let spread = totals
        .iter()
        .max()
        .zip(totals.iter().min())
        .map(|(a, b)| a - b);
    let disagree = spread.is_some_and(|d| d >= kehoach_award::to_milli(edition.disagreement));
    SheetPage {
        disagree,
        ctx,
        shows_identity: access.shows_identity(),
        edition,
        round,
        entry,
        marks,
        comment,
        mine,
        others,
        errors,
    }
}

pub async fn score(
    state: AppState,
    svc: super::Services,
    ctx: Ctx,
    Path((round_id, entry_id)): Path<(i64, i64)>,
    crate::web::HtmlForm(form): crate::web::HtmlForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let (me, round, entry, edition, access) = assigned(&state, &ctx, round_id, entry_id).await?;
    // NFC once here: the sealed log hashes exactly what is stored.
    let comment: String = form
        .get("comment")
        .map(|c| {
            unicode_normalization::UnicodeNormalization::nfc(c.trim())
                .take(5000)
                .collect()
        })
        .unwrap_or_default();
    let mut errors = Vec::new();
    let mut marks = Vec::new();
    for c in &edition.criteria {
        let typed = form.get(&format!("mark-{}", c.key)).map(|s| s.trim());
        match typed.and_then(|s| s.parse::<u32>().ok()) {
            Some(v) => marks.push((c.key.clone(), v)),
            None => errors.push(ctx.t1("err-award-mark", "criterion", &c.name)),
        }
    }
    let sheet = ScoreSheet {
        entry: entry_id,
        judge: me,
        marks: marks.clone(),
    };
    if errors.is_empty() {
        errors.extend(
            problems(&sheet, &edition.criteria(), edition.scale())
                .iter()
                .map(|p| match p {
                    SheetError::OutOfRange { .. } => {
                        ctx.t1("err-award-scale-mark", "max", edition.scale_max)
                    }
                    _ => ctx.t("err-award-sheet"),
                }),
        );
    }
    if !errors.is_empty() {
        let typed: HashMap<String, String> = edition
            .criteria
            .iter()
            .map(|c| {
                let v = form
                    .get(&format!("mark-{}", c.key))
                    .cloned()
                    .unwrap_or_default();
                (c.key.clone(), v)
            })
            .collect();
        let scores = repo::scores(&state.db, round_id).await?;
        let mine = scores
            .iter()
            .find(|s| s.entry_id == entry_id && s.judge_id == me)
            .cloned();
        let page = sheet_page(
            ctx,
            edition,
            round,
            entry,
            access,
            &scores,
            mine,
            Some((typed, comment, errors)),
        );
        return render_form(&page, true);
    }
    let total = to_milli(weighted(&sheet, &edition.criteria()));
    let payload = canonical_payload(&marks, &comment);
    let sheet = repo::Sheet {
        marks: &marks,
        comment: &comment,
        total_milli: total,
        payload: &payload,
    };
    let key = svc.seal_key()?;
    let saved = repo::save_score(&state.db, key, round_id, entry_id, me, sheet).await;
    match saved {
        Ok(()) => {}
        Err(AwardError::RoundState) => {
            return Err(AppError::BadRequest(ctx.t("err-award-round-closed")));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/giai/cham/{round_id}/{entry_id}")).into_response())
}
