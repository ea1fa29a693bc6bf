//! The council's paperwork: the decision and the minutes (.docx, Party
//! document format), the results list and the national forwarding list
//! (.xlsx), and a certificate per winner. Office roles only; every export
//! carries authors' names, so each one is audited.

use std::collections::HashMap;

use axum::extract::Path;
use axum::response::Response;
use kehoach_office::{Cell, Certificate, Paragraph, PartyReport, Sheet, Signature};

use super::office::office_edition;
use super::repo::{self, EntryRow, NotAwardedRow, PrizeRow, RoundRow, TopicAwardRow};
use super::rounds::require_seal;
use super::view;
use super::{EditionRow, Services};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{Ctx, dates};

/// Today in Vietnam as (day, month, year).
pub(super) fn today() -> (u32, u32, i32) {
    let t = dates::today_iso();
    (
        t[8..10].parse().unwrap_or(1),
        t[5..7].parse().unwrap_or(1),
        t[0..4].parse().unwrap_or(2000),
    )
}

/// The decided results with their entries, in ranking order.
async fn decided(db: &Db, edition: i64) -> AppResult<Vec<(PrizeRow, EntryRow)>> {
    let entries: HashMap<i64, EntryRow> = repo::entries(db, edition)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(repo::prizes(db, edition)
        .await?
        .into_iter()
        .filter_map(|p| entries.get(&p.entry_id).cloned().map(|e| (p, e)))
        .collect())
}

/// A table's header row.
pub(super) fn header<const N: usize>(columns: [&str; N]) -> Vec<String> {
    columns.map(String::from).to_vec()
}

pub(super) fn winners_table(edition: &EditionRow, rows: &[(PrizeRow, EntryRow)]) -> Paragraph {
    let mut table_rows = Vec::new();
    for tier in &edition.tiers {
        for (p, e) in rows.iter().filter(|(p, _)| p.tier == tier.name) {
            table_rows.push(vec![
                (table_rows.len() + 1).to_string(),
                p.tier.clone(),
                view::title_and_code(&e.title, &e.code),
                view::author_names(&e.authors),
                e.outlet.clone(),
            ]);
        }
    }
    Paragraph::Table {
        header: header(["TT", "Giải", "Tác phẩm", "Tác giả", "Cơ quan"]),
        rows: table_rows,
    }
}

/// The topic prizes given, as a table; `None` when there are none.
pub(super) fn topics_table(
    edition: &EditionRow,
    entries: &[EntryRow],
    held: &[TopicAwardRow],
) -> Option<Paragraph> {
    let by_id: HashMap<i64, &EntryRow> = entries.iter().map(|e| (e.id, e)).collect();
    let rows: Vec<Vec<String>> = edition
        .topic_prizes
        .iter()
        .flat_map(|t| held.iter().filter(move |h| h.topic == t.name))
        .filter_map(|h| by_id.get(&h.entry_id).map(|e| (h, e)))
        .enumerate()
        .map(|(i, (h, e))| {
            vec![
                (i + 1).to_string(),
                h.topic.clone(),
                view::title_and_code(&e.title, &e.code),
                view::author_names(&e.authors),
                e.outlet.clone(),
            ]
        })
        .collect();
    (!rows.is_empty()).then(|| Paragraph::Table {
        header: header(["TT", "Giải chủ đề", "Tác phẩm", "Tác giả", "Cơ quan"]),
        rows,
    })
}

pub(super) fn report(
    edition: &EditionRow,
    title: &str,
    symbol: &str,
    summary: String,
    body: Vec<Paragraph>,
) -> PartyReport {
    let l = &edition.letterhead;
    PartyReport {
        superior: Some(l.superior.clone()).filter(|s| !s.is_empty()),
        issuer: l.issuer.clone(),
        number: format!("Số      -{symbol}"),
        place: l.place.clone(),
        date: today(),
        title: title.into(),
        summary,
        body,
        recipients: l.recipients.clone(),
        signature: Signature {
            authority: None,
            role: l.signer_role.clone(),
            name: l.signer_name.clone(),
        },
    }
}

fn decision(
    edition: &EditionRow,
    rows: &[(PrizeRow, EntryRow)],
    topics: Option<Paragraph>,
    not_awarded: &[NotAwardedRow],
) -> PartyReport {
    let winners = rows.iter().filter(|(p, _)| !p.tier.is_empty()).count();
    let mut body = vec![
        Paragraph::Text(format!(
            "Căn cứ Thể lệ {}; căn cứ kết quả chấm của Hội đồng Giám khảo,",
            edition.title
        )),
        Paragraph::Heading("QUYẾT ĐỊNH".into()),
        Paragraph::Text(format!(
            "Điều 1. Trao {} cho {winners} tác phẩm có tên trong danh sách dưới đây.",
            edition.title
        )),
        winners_table(edition, rows),
    ];
    body.extend(
        not_awarded
            .iter()
            .map(|n| Paragraph::Text(super::tiers::not_awarded_line(&n.tier, &n.reason))),
    );
    if let Some(table) = topics {
        body.push(Paragraph::Text(
            "Trao giải chủ đề cho các tác phẩm có tên dưới đây:".into(),
        ));
        body.push(table);
    }
    body.extend([
        Paragraph::Text(
            "Điều 2. Kèm theo giải là Giấy chứng nhận và tiền thưởng theo quy định của Thể lệ."
                .into(),
        ),
        Paragraph::Text(
            "Điều 3. Ban Tổ chức giải, các cơ quan, đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này."
                .into(),
        ),
    ]);
    report(
        edition,
        "QUYẾT ĐỊNH",
        &edition.letterhead.decision_symbol,
        format!("về việc trao {}", edition.title),
        body,
    )
}

/// Every closed round of the edition, each checked against its seal first:
/// no paper is made from scores that do not check out.
async fn verified_rounds(
    state: &AppState,
    svc: &Services,
    ctx: &Ctx,
    edition: &EditionRow,
) -> AppResult<Vec<RoundRow>> {
    let rounds = repo::rounds(&state.db, edition.id).await?;
    for r in rounds.iter().filter(|r| r.seal.is_some()) {
        require_seal(&state.db, svc.seal_key()?, ctx, edition, r).await?;
    }
    Ok(rounds)
}

fn results_sheet(edition: &EditionRow, rows: &[(PrizeRow, EntryRow)]) -> Sheet {
    Sheet {
        name: "Kết quả".into(),
        header: header([
            "Hạng",
            "Mã",
            "Thể loại",
            "Tác phẩm",
            "Tác giả",
            "Cơ quan",
            "Điểm TB",
            "Giải theo điểm",
            "Giải",
            "Lý do điều chỉnh",
            "Gửi giải toàn quốc",
        ]),
        rows: rows
            .iter()
            .map(|(p, e)| {
                vec![
                    Cell::Integer(p.position),
                    Cell::Text(e.code.clone()),
                    Cell::Text(edition.category_name(&e.category)),
                    Cell::Text(e.title.clone()),
                    Cell::Text(view::author_names(&e.authors)),
                    Cell::Text(e.outlet.clone()),
                    Cell::Number(p.mean_milli as f64 / 1000.0),
                    Cell::Text(p.computed_tier.clone()),
                    Cell::Text(p.tier.clone()),
                    Cell::Text(p.reason.clone()),
                    Cell::Text(if p.forwarded { "Có" } else { "" }.into()),
                ]
            })
            .collect(),
        column_widths: vec![],
    }
}

/// The fields the national award's entry form asks for.
fn forwarding_sheet(edition: &EditionRow, rows: &[(PrizeRow, EntryRow)]) -> Sheet {
    let date = |iso: &str| {
        let p: Vec<&str> = iso.split('-').collect();
        match p.as_slice() {
            [y, m, d] => Cell::Date {
                year: y.parse().unwrap_or(2000),
                month: m.parse().unwrap_or(1),
                day: d.parse().unwrap_or(1),
            },
            _ => Cell::Empty,
        }
    };
    Sheet {
        name: "Gửi giải toàn quốc".into(),
        header: header([
            "TT",
            "Thể loại",
            "Tên tác phẩm",
            "Họ tên tác giả",
            "Bút danh",
            "Cơ quan báo chí",
            "Ngày đăng, phát",
            "Số kỳ",
            "Đường dẫn",
            "Giải cấp tỉnh",
            "Tóm tắt",
        ]),
        rows: rows
            .iter()
            .filter(|(p, _)| p.forwarded)
            .enumerate()
            .map(|(i, (p, e))| {
                vec![
                    Cell::Integer(i as i64 + 1),
                    Cell::Text(edition.category_name(&e.category)),
                    Cell::Text(e.title.clone()),
                    Cell::Text(
                        e.authors
                            .iter()
                            .map(|a| a.real_name.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::Text(
                        e.authors
                            .iter()
                            .map(|a| a.pen_name.clone())
                            .filter(|p| !p.is_empty())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::Text(e.outlet.clone()),
                    date(&e.published_on),
                    Cell::Integer(e.series_parts),
                    Cell::Text(e.link.clone()),
                    Cell::Text(p.tier.clone()),
                    Cell::Text(e.summary.clone()),
                ]
            })
            .collect(),
        column_widths: vec![],
    }
}

use crate::web::download::{DOCX, XLSX, attachment as file};

fn office_err(e: kehoach_office::OfficeError) -> AppError {
    AppError::Internal(anyhow::anyhow!(e))
}

pub async fn export(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path((id, doc)): Path<(i64, String)>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    let rows = decided(&state.db, id).await?;
    if rows.is_empty() {
        return Err(AppError::BadRequest(ctx.t("err-award-no-results")));
    }
    let rounds = verified_rounds(&state, &svc, &ctx, &edition).await?;
    let response = match doc.as_str() {
        "decision.docx" => file(
            kehoach_office::party_report_docx(&decision(
                &edition,
                &rows,
                topics_table(
                    &edition,
                    &repo::entries(&state.db, id).await?,
                    &repo::topic_awards(&state.db, id).await?,
                ),
                &repo::not_awarded(&state.db, id).await?,
            ))
            .map_err(office_err)?,
            DOCX,
            "quyet-dinh.docx",
        ),
        "minutes.docx" => file(
            kehoach_office::party_report_docx(
                &super::minutes::minutes(&state.db, &edition, &rows, &rounds).await?,
            )
            .map_err(office_err)?,
            DOCX,
            "bien-ban.docx",
        ),
        "results.xlsx" => file(
            kehoach_office::workbook_xlsx(&[results_sheet(&edition, &rows)]).map_err(office_err)?,
            XLSX,
            "ket-qua.xlsx",
        ),
        "forwarding.xlsx" => file(
            kehoach_office::workbook_xlsx(&[forwarding_sheet(&edition, &rows)])
                .map_err(office_err)?,
            XLSX,
            "gui-giai-toan-quoc.xlsx",
        ),
        _ => return Err(AppError::NotFound),
    };
    repo::log_export(&state.db, user, id, &doc).await?;
    Ok(response)
}

pub async fn certificate(
    state: AppState,
    svc: Services,
    ctx: Ctx,
    Path((id, entry)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (user, edition) = office_edition(&state, &ctx, id).await?;
    verified_rounds(&state, &svc, &ctx, &edition).await?;
    let (p, e) = decided(&state.db, id)
        .await?
        .into_iter()
        .find(|(p, _)| p.entry_id == entry && !p.tier.is_empty())
        .ok_or(AppError::NotFound)?;
    let l = &edition.letterhead;
    let cert = Certificate {
        issuer: l.issuer.clone(),
        recipients: e.authors.iter().map(|a| a.real_name.clone()).collect(),
        work: e.title.clone(),
        tier: p.tier.clone(),
        award: edition.title.clone(),
        place: l.place.clone(),
        date: today(),
        signature: Signature {
            authority: None,
            role: l.signer_role.clone(),
            name: l.signer_name.clone(),
        },
    };
    let bytes = kehoach_office::certificate_docx(&cert).map_err(office_err)?;
    repo::log_export(&state.db, user, id, &format!("certificate {}", e.code)).await?;
    Ok(file(bytes, DOCX, &format!("chung-nhan-{}.docx", e.code)))
}
