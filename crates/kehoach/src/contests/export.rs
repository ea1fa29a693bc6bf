//! The results of a round as a workbook: masked for publication, or with
//! full personal data for the office's own records.

use axum::extract::{Path, Query};
use axum::response::Response;
use kehoach_office::{Cell, Sheet};
use serde::Deserialize;

use super::repo;
use super::results::{contest_and_round, lines, stats};
use crate::contests::Services;
use crate::error::AppResult;
use crate::web::Ctx;
use crate::web::download::{XLSX, attachment};

#[derive(Deserialize)]
pub struct XlsxQuery {
    #[serde(default)]
    full: Option<String>,
}

/// Winners and statistics: masked for publication, or with full personal
/// data for the office's own records.
pub async fn round_xlsx(
    state: Services,
    ctx: Ctx,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<XlsxQuery>,
) -> AppResult<Response> {
    let user = ctx.office()?.id;
    let full = q.full.is_some();
    let (contest, round) = contest_and_round(&state, id, round).await?;
    let lines = lines(&state, id, Some(round.id)).await?;
    let stats = stats(&state, id, Some(round.id)).await?;
    let mut header: Vec<String> = ["Hạng", "Giải", "Họ và tên", "Địa phương", "Số điện thoại"]
        .map(String::from)
        .to_vec();
    if full {
        header.extend(["Số định danh", "Năm sinh"].map(String::from));
    }
    header.extend(["Số câu đúng", "Thời gian làm bài"].map(String::from));
    let winners = lines
        .iter()
        .filter(|l| l.kind.is_individual())
        .map(|l| {
            let mut row = vec![
                Cell::Integer(l.position),
                Cell::Text(l.tier.clone()),
                Cell::Text(l.name.clone()),
                Cell::Text(l.locality.clone()),
                Cell::Text(if full {
                    l.phone.clone().unwrap_or_default()
                } else {
                    l.phone_masked()
                }),
            ];
            if full {
                row.push(Cell::Text(l.id_number.clone().unwrap_or_default()));
                row.push(l.birth_year.map(Cell::Integer).unwrap_or(Cell::Empty));
            }
            row.extend([Cell::Integer(l.score), Cell::Text(l.duration())]);
            row
        })
        .collect();
    let stats_rows = stats
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.name.clone()),
                Cell::Integer(s.participants),
                Cell::Integer(s.attempts),
                s.population.map(Cell::Integer).unwrap_or(Cell::Empty),
                Cell::Text(s.rate()),
            ]
        })
        .collect();
    let sheets = [
        Sheet {
            name: "Người đoạt giải".into(),
            header,
            rows: winners,
            column_widths: Vec::new(),
        },
        Sheet {
            name: "Thống kê".into(),
            header: ["Địa phương", "Người dự thi", "Lượt thi", "Dân số", "Tỷ lệ"]
                .map(String::from)
                .to_vec(),
            rows: stats_rows,
            column_widths: Vec::new(),
        },
    ];
    let bytes = kehoach_office::workbook_xlsx(&sheets).map_err(|e| anyhow::anyhow!("{e}"))?;
    if full {
        // Who took personal data out of the system is itself on record.
        repo::record_full_export(&state.db, user, contest.id, round.id).await?;
    }
    let name = format!(
        "ket-qua-vong-{}{}.xlsx",
        round.number,
        if full { "-day-du" } else { "" }
    );
    Ok(attachment(bytes, XLSX, &name))
}
