//! A secretariat's bulk work: importing the entry lists lower committees
//! forward (.xlsx or .csv, the columns of the downloadable template), and
//! accepting many entries at once. An import is all or nothing: every row
//! is checked like an entry typed online (except the submission deadline,
//! which the forwarding units met), every problem is reported with its row
//! number, and a file with any bad row stores nothing.

use std::collections::HashMap;

use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_award::{Candidate, EntryRules, Kind, Problem, check};
use kehoach_office::{Cell, Sheet, Table};
use serde::Deserialize;

use super::bulk_files::{self, Member};
use super::domain::EntryForm;
use super::office::{intake_page, office_edition};
use super::problems::{problem_messages, upload_message};
use super::repo::{self, AwardError, Imported};
use super::states::EditionStatus;
use super::{EditionRow, Services, files};
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, HtmlForm};

/// More rows than the largest national award receives.
const MAX_ROWS: usize = 20_000;

/// The import template's columns, in order.
pub const COLUMNS: [&str; 10] = [
    "Thể loại",
    "Tên tác phẩm",
    "Tác giả (Họ tên | Bút danh; ...)",
    "Cơ quan báo chí",
    "Ngày đăng, phát",
    "Đường dẫn",
    "Số kỳ",
    "Địa phương",
    "Đơn vị gửi",
    "Tóm tắt",
];

/// The template: the header and one example row, as .xlsx.
pub async fn template(state: AppState, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (_, edition) = office_edition(&state, &ctx, id).await?;
    // A category that takes a link, so the example row imports as it is.
    let category = edition
        .categories
        .iter()
        .find(|c| c.need != kehoach_award::Need::File)
        .or(edition.categories.first())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let today = crate::web::dates::iso_to_vn(&crate::web::dates::today_iso());
    let example = [
        category.as_str(),
        "Đảng viên trẻ nơi biên giới biển",
        "Trần Thị Hoa | Hoa Biển; Nguyễn Văn Nam",
        "Báo Phú Yên",
        &today,
        "https://baophuyen.vn/bai-viet",
        "1",
        "Tuy Hòa",
        "Ban Tuyên giáo Thành ủy Tuy Hòa",
        "",
    ];
    let sheet = Sheet {
        name: "Tac pham".into(),
        header: COLUMNS.map(String::from).to_vec(),
        rows: vec![example.map(|c| Cell::Text(c.to_owned())).to_vec()],
        column_widths: Vec::new(),
    };
    let bytes = kehoach_office::workbook_xlsx(&[sheet]).map_err(|e| anyhow::anyhow!(e))?;
    Ok(crate::web::download::attachment(
        bytes,
        crate::web::download::XLSX,
        "mau-danh-sach-tac-pham.xlsx",
    ))
}

/// Checks every row; the entries to store, or every problem by row.
/// Each row checked like an online entry, with the files the .zip holds for
/// it; the rows with their line numbers, or every problem found.
pub async fn check_rows(
    state: &AppState,
    ctx: &Ctx,
    edition: &EditionRow,
    table: &Table,
    files: &HashMap<usize, Vec<&Member>>,
) -> AppResult<Result<Vec<(usize, Imported)>, Vec<String>>> {
    let folded = |s: &str| kehoach_plan::fold(s);
    let expected: Vec<String> = COLUMNS.iter().map(|c| folded(c)).collect();
    let header: Vec<String> = table.header.iter().map(|c| folded(c)).collect();
    if header.get(..COLUMNS.len()) != Some(&expected[..]) {
        return Ok(Err(vec![ctx.t1(
            "award-import-columns",
            "columns",
            COLUMNS.join(" | "),
        )]));
    }
    if table.rows.is_empty() {
        return Ok(Err(vec![ctx.t("award-import-empty")]));
    }
    // The forwarding units met the deadline; the secretariat enters their
    // lists after it. Every other rule applies.
    let rules = EntryRules {
        deadline: i64::MAX,
        ..edition.rules.clone()
    };
    let mut counts: HashMap<String, u32> = repo::author_counts(&state.db, edition.id, None).await?;
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for row in &table.rows {
        let cell = |i: usize| row.cells.get(i).map(|s| s.trim()).unwrap_or_default();
        let category = edition
            .categories
            .iter()
            .find(|c| c.key == cell(0) || folded(&c.name) == folded(cell(0)))
            .map(|c| c.key.clone())
            .unwrap_or_default();
        let series = cell(6);
        let form = EntryForm {
            category,
            title: cell(1).into(),
            authors: cell(2).replace(';', "\n"),
            outlet: cell(3).into(),
            published_on: cell(4).into(),
            link: cell(5).into(),
            series_parts: if series.is_empty() { "1" } else { series }.into(),
            locality: cell(7).into(),
            summary: cell(9).into(),
        };
        let line = row.line;
        let entry = match form.parse(&edition.settings) {
            Ok(e) => e,
            Err(key) => {
                errors.push(format!("Dòng {line}: {}", ctx.t(key)));
                continue;
            }
        };
        let Some(category) = edition.category(&entry.category) else {
            continue;
        };
        let mine = files.get(&line).map(Vec::as_slice).unwrap_or_default();
        let unknown: Vec<&str> = mine
            .iter()
            .filter(|m| m.kind().is_none())
            .map(|m| m.name.as_str())
            .collect();
        if !unknown.is_empty() {
            let msg = ctx.t("award-import-file-kind");
            errors.push(format!("Dòng {line}: {msg}: {}", unknown.join(", ")));
            continue;
        }
        let kinds: Vec<(Kind, u64)> = mine
            .iter()
            .filter_map(|m| m.kind().map(|k| (k, m.size)))
            .collect();
        let keys = entry.author_keys();
        let candidate = Candidate {
            category,
            published_on: &entry.published_on,
            series_parts: entry.series_parts,
            authors: &keys,
            files: &kinds,
            link: &entry.link,
        };
        let problems: Vec<Problem> = check(&rules, &candidate, &counts, now());
        if !problems.is_empty() {
            let msgs = problem_messages(ctx, &entry, problems);
            errors.push(format!("Dòng {line}: {}", msgs.join("; ")));
            continue;
        }
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
        out.push((
            line,
            Imported {
                entry,
                forwarded_by: cell(8).chars().take(300).collect(),
                files: Vec::new(),
            },
        ));
    }
    let lines: std::collections::HashSet<usize> = table.rows.iter().map(|r| r.line).collect();
    let mut strays: Vec<usize> = files
        .keys()
        .filter(|l| !lines.contains(l))
        .copied()
        .collect();
    strays.sort_unstable();
    for line in strays {
        errors.push(ctx.t1("award-import-file-row", "line", line));
    }
    Ok(if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    })
}

pub async fn import(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    // Lists come in while entries are taken, not once judging has begun.
    if matches!(
        edition.status,
        EditionStatus::Judging | EditionStatus::Published
    ) {
        let msg = ctx.t("err-award-import-closed");
        return intake_page(&state, ctx, edition, None, vec![msg]).await;
    }
    let max_bytes = state.settings.max_upload_bytes;
    let spool = state.settings.data_dir.join("tmp");
    let got = match bulk_files::receive(multipart, max_bytes, &spool).await {
        Ok(got) => got,
        Err(msg) => return intake_page(&state, ctx, edition, None, vec![msg]).await,
    };
    let Some(list) = got.list else {
        let msg = ctx.t("err-no-file");
        return intake_page(&state, ctx, edition, None, vec![msg]).await;
    };
    let table = match kehoach_office::read_table(&list, max_bytes, MAX_ROWS) {
        Ok(t) => t,
        Err(e) => return intake_page(&state, ctx, edition, None, vec![e.to_string()]).await,
    };
    let archive = got.archive.as_ref().map(|f| f.path().to_owned());
    let members = match archive.clone() {
        Some(path) => {
            let indexed = tokio::task::spawn_blocking(move || bulk_files::index(&path))
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            match indexed {
                Ok(m) => m,
                Err(msg) => return intake_page(&state, ctx, edition, None, vec![msg]).await,
            }
        }
        None => Vec::new(),
    };
    let by_row = bulk_files::by_row(&members);
    let mut rows = match check_rows(&state, &ctx, &edition, &table, &by_row).await? {
        Ok(rows) => rows,
        Err(errors) => return intake_page(&state, ctx, edition, None, errors).await,
    };
    let (stored, failed) = store_files(&svc, &ctx, &edition, archive, &by_row, &mut rows).await?;
    let outcome = match failed {
        Some(msg) => Err(vec![msg]),
        None => {
            let rows: Vec<Imported> = rows.into_iter().map(|(_, r)| r).collect();
            let per_author = edition.rules.per_author;
            match repo::import_entries(&state.db, user, id, &rows, per_author).await {
                Ok(ids) => Ok(ids.len()),
                // Entries stored by others since the check pushed an author over.
                Err(AwardError::OverLimit(_)) => Err(vec![ctx.t("award-import-raced")]),
                Err(e) => {
                    files::forget_unreferenced(&state, &svc, stored.iter().map(String::as_str))
                        .await;
                    return Err(e.into());
                }
            }
        }
    };
    match outcome {
        Ok(count) => {
            let notice = ctx.t1("award-imported", "count", count);
            intake_page(&state, ctx, edition, Some(notice), Vec::new()).await
        }
        Err(errors) => {
            files::forget_unreferenced(&state, &svc, stored.iter().map(String::as_str)).await;
            intake_page(&state, ctx, edition, None, errors).await
        }
    }
}

/// Streams every row's files from the .zip into the store, checked against
/// the row's category; the hashes stored, and the first refusal.
async fn store_files(
    svc: &Services,
    ctx: &Ctx,
    edition: &EditionRow,
    archive: Option<std::path::PathBuf>,
    by_row: &HashMap<usize, Vec<&Member>>,
    rows: &mut [(usize, Imported)],
) -> AppResult<(Vec<String>, Option<String>)> {
    let mut stored = Vec::new();
    let Some(archive) = archive else {
        return Ok((stored, None));
    };
    let blobs = svc.blobs()?;
    for (line, row) in rows.iter_mut() {
        let Some(category) = edition.category(&row.entry.category) else {
            continue;
        };
        for m in by_row.get(line).into_iter().flatten() {
            let max = category.max_bytes();
            match bulk_files::store(blobs, archive.clone(), m, max, &category.kinds).await {
                Ok(s) => {
                    stored.push(s.sha256.clone());
                    row.files.push((s, m.name.clone()));
                }
                Err(e) => {
                    let msg = upload_message(ctx, &e, &m.name);
                    return Ok((stored, Some(format!("Dòng {line}: {msg}"))));
                }
            }
        }
    }
    Ok((stored, None))
}

#[derive(Deserialize)]
pub struct BulkForm {
    /// `all` (every submitted entry) or `selected`.
    scope: String,
    #[serde(default)]
    entry: Vec<i64>,
}

/// Accepts the selected submitted entries, or all of them. Rejection stays
/// one entry at a time: each needs its own reason.
pub async fn accept(
    state: AppState,
    ctx: Ctx,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<BulkForm>,
) -> AppResult<Response> {
    let (user, _) = office_edition(&state, &ctx, id).await?;
    let only = match form.scope.as_str() {
        "all" => None,
        "selected" if !form.entry.is_empty() => Some(form.entry.as_slice()),
        "selected" => return Err(AppError::BadRequest(ctx.t("err-award-none-selected"))),
        _ => return Err(AppError::BadRequest(ctx.t("err-award-status"))),
    };
    repo::accept_submitted(&state.db, user, id, only).await?;
    Ok(Redirect::to(&format!("/awards/{id}/entries")).into_response())
}
