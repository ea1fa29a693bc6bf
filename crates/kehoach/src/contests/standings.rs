//! The whole ranking as the last run stored it: every participant with the
//! value of every criterion, the submission time and the attempt number,
//! paged for the office and exported whole. Phone numbers stay masked: the
//! list is for checking the order, not for contacting people.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use kehoach_office::{Cell, Sheet};
use serde::Deserialize;

use super::repo::{self, RoundRow, StandingLine};
use super::results::contest_and_round;
use super::{ContestRow, find_contest, view};
use crate::contests::Services;
use crate::error::{AppError, AppResult};
use crate::web::download::{XLSX, attachment};
use crate::web::{Ctx, render};

/// Lines per page.
const PAGE: i64 = 100;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "contests/templates/standings.html")]
struct StandingsPage {
    ctx: Ctx,
    contest: ContestRow,
    round: Option<RoundRow>,
    lines: Vec<StandingLine>,
    page: i64,
    pages: i64,
    total: i64,
    rules: Vec<(String, String)>,
}

impl StandingsPage {
    fn base(&self) -> String {
        match &self.round {
            Some(r) => format!("/contests/{}/rounds/{}", self.contest.id, r.id),
            None => format!("/contests/{}/overall", self.contest.id),
        }
    }

    fn pager_href(&self, page: i64) -> String {
        format!("{}/ranking?page={page}", self.base())
    }

    fn cells(&self, l: &StandingLine) -> Vec<String> {
        row(l, self.round.as_ref().and_then(|r| r.truth))
    }
}

/// One line as the page and the workbook show it, after the place.
fn row(l: &StandingLine, truth: Option<i64>) -> Vec<String> {
    let (prediction, distance) = view::prediction(l.prediction, truth);
    vec![
        l.name.clone(),
        l.locality.clone(),
        view::masked(l.phone.as_deref()),
        l.score.to_string(),
        view::duration(l.duration_ms),
        prediction,
        distance,
        view::submitted(l.submitted_ms),
        if l.attempt_no > 0 {
            format!("{}/{}", l.attempt_no, l.attempts)
        } else {
            l.attempts.to_string()
        },
        l.tier.clone(),
    ]
}

async fn page(
    state: &Services,
    ctx: Ctx,
    contest: ContestRow,
    round: Option<RoundRow>,
    q: &PageQuery,
) -> AppResult<Response> {
    let key = repo::round_key(round.as_ref().map(|r| r.id));
    let total = repo::standings_count(&state.db, contest.id, key).await?;
    let pages = (total + PAGE - 1) / PAGE;
    let page = q.page.unwrap_or(1).clamp(1, pages.max(1));
    let lines = repo::standings(&state.db, contest.id, key, (page - 1) * PAGE, PAGE).await?;
    let rules = view::rules(&ctx, &contest);
    Ok(render(&StandingsPage {
        ctx,
        contest,
        round,
        lines,
        page,
        pages,
        total,
        rules,
    })?
    .into_response())
}

pub async fn round_page(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    ctx.office()?;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    page(&state, ctx, contest, Some(round), &q).await
}

pub async fn overall_page(
    state: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    page(&state, ctx, contest, None, &q).await
}

/// The header of the workbook, after the place.
const COLUMNS: [&str; 10] = [
    "Họ và tên",
    "Địa phương",
    "Số điện thoại",
    "Số câu đúng",
    "Thời gian làm bài",
    "Dự đoán",
    "Chênh lệch dự đoán",
    "Thời điểm nộp",
    "Lượt thi",
    "Giải",
];

async fn workbook(
    state: &Services,
    contest: &ContestRow,
    round: Option<&RoundRow>,
) -> AppResult<Vec<u8>> {
    let key = repo::round_key(round.map(|r| r.id));
    let lines = repo::standings(&state.db, contest.id, key, 0, i64::MAX / 2).await?;
    let truth = round.and_then(|r| r.truth);
    let mut header = vec!["Hạng".to_owned(), "Đồng hạng".to_owned()];
    header.extend(COLUMNS.map(String::from));
    let rows = lines
        .iter()
        .map(|l| {
            let mut cells = vec![
                Cell::Integer(l.place),
                Cell::Text(if l.tied != 0 { "=" } else { "" }.into()),
            ];
            cells.extend(row(l, truth).into_iter().map(Cell::Text));
            cells[5] = Cell::Integer(l.score);
            cells
        })
        .collect();
    let sheet = Sheet {
        name: "Bảng xếp hạng".into(),
        header,
        rows,
        column_widths: Vec::new(),
    };
    kehoach_office::workbook_xlsx(&[sheet]).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

pub async fn round_xlsx(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.office()?;
    let (contest, round) = contest_and_round(&state, id, round).await?;
    let bytes = workbook(&state, &contest, Some(&round)).await?;
    let name = format!("bang-xep-hang-vong-{}.xlsx", round.number);
    Ok(attachment(bytes, XLSX, &name))
}

pub async fn overall_xlsx(state: Services, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.office()?;
    let contest = find_contest(&state, id).await?;
    let bytes = workbook(&state, &contest, None).await?;
    Ok(attachment(bytes, XLSX, "bang-xep-hang-chung-cuoc.xlsx"))
}
