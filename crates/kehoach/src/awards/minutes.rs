//! The minutes of the final council (.docx, Party document format): who
//! sat, what was received, each round's seal as `kehoach award verify
//! --minutes` reads it back, the ranking, the council's changes to single
//! works and to whole tiers, the stored notices and the conclusion.

use std::collections::HashMap;

use kehoach_office::{Paragraph, PartyReport};

use super::EditionRow;
use super::exports::{header, report, topics_table, winners_table};
use super::repo::{self, EntryRow, PrizeRow, RoundRow};
use super::states::EntryStatus;
use super::view;
use crate::db::Db;
use crate::error::AppResult;

/// How a round's seal is printed: the hash, the chain and the key's id,
/// as `kehoach award verify --minutes` reads it back.
fn seal_line(r: &RoundRow, seal: &str) -> String {
    let chain = match &r.key_id {
        Some(id) => format!("HMAC-SHA-256, khóa {id}"),
        None => "SHA-256, không khóa".to_owned(),
    };
    format!("dấu niêm phong điểm ({chain}): {seal}")
}

pub(super) async fn minutes(
    db: &Db,
    edition: &EditionRow,
    rows: &[(PrizeRow, EntryRow)],
    rounds: &[RoundRow],
) -> AppResult<PartyReport> {
    let entries = repo::entries(db, edition.id).await?;
    let accepted = entries
        .iter()
        .filter(|e| e.status == EntryStatus::Accepted)
        .count();
    let judges = repo::judges(db, edition.id).await?;
    let council: Vec<String> = judges
        .iter()
        .filter(|j| j.final_council)
        .map(|j| j.name.clone())
        .collect();
    let mut body = vec![
        Paragraph::Heading("I. THÀNH PHẦN".into()),
        Paragraph::Text(format!(
            "Hội đồng Chung khảo gồm {} thành viên:",
            council.len()
        )),
    ];
    body.extend(council.iter().map(|n| Paragraph::Bullet(n.clone())));
    body.push(Paragraph::Heading("II. NỘI DUNG".into()));
    body.push(Paragraph::Text(format!(
        "Ban Tổ chức nhận {} tác phẩm, trong đó {accepted} tác phẩm đủ điều kiện dự giải.",
        entries.len()
    )));
    for r in rounds {
        let stage = if r.is_final() {
            "Chung khảo"
        } else {
            "Sơ khảo"
        };
        body.push(Paragraph::Bullet(match &r.seal {
            Some(seal) => format!(
                "Vòng {stage} kết thúc lúc {}; {}",
                view::instant_vn(r.closed_at),
                seal_line(r, seal)
            ),
            None => format!("Vòng {stage}: chưa kết thúc"),
        }));
    }
    body.push(Paragraph::SubHeading("1. Kết quả chấm Chung khảo".into()));
    body.push(Paragraph::Table {
        header: header([
            "Hạng",
            "Tác phẩm",
            "Điểm TB",
            "Giải theo điểm",
            "Giải Hội đồng quyết định",
        ]),
        rows: rows
            .iter()
            .map(|(p, e)| {
                vec![
                    p.position.to_string(),
                    view::title_and_code(&e.title, &e.code),
                    view::milli(p.mean_milli),
                    p.computed_tier.clone(),
                    p.tier.clone(),
                ]
            })
            .collect(),
    });
    let changed: Vec<&(PrizeRow, EntryRow)> = rows.iter().filter(|(p, _)| p.overridden()).collect();
    body.push(Paragraph::SubHeading(
        "2. Các quyết định điều chỉnh của Hội đồng".into(),
    ));
    if changed.is_empty() {
        body.push(Paragraph::Text(
            "Hội đồng thống nhất giữ nguyên kết quả theo điểm.".into(),
        ));
    }
    for (p, e) in changed {
        body.push(Paragraph::Bullet(format!(
            "Tác phẩm {} ({}): từ “{}” thành “{}”. Lý do: {}",
            e.title,
            e.code,
            if p.computed_tier.is_empty() {
                "không giải"
            } else {
                &p.computed_tier
            },
            if p.tier.is_empty() {
                "không giải"
            } else {
                &p.tier
            },
            p.reason
        )));
    }
    body.extend(tier_record(db, edition.id).await?);
    // Ties, unfilled and unreached tiers, as the computation stored them.
    let notices = repo::notices(db, edition.id).await?;
    if !notices.is_empty() {
        let codes: HashMap<i64, String> = entries.iter().map(|e| (e.id, e.code.clone())).collect();
        let vi = crate::web::i18n::Tr(crate::web::i18n::Lang::Vi);
        body.push(Paragraph::Text("Ghi nhận khi tính kết quả:".into()));
        body.extend(
            notices
                .iter()
                .map(|n| Paragraph::Bullet(n.text(&vi, &codes))),
        );
    }
    body.push(Paragraph::SubHeading("3. Kết luận".into()));
    body.push(Paragraph::Text(
        "Hội đồng thống nhất đề nghị tặng giải cho các tác phẩm dưới đây:".into(),
    ));
    body.push(winners_table(edition, rows));
    let held = repo::topic_awards(db, edition.id).await?;
    if let Some(table) = topics_table(edition, &entries, &held) {
        body.push(Paragraph::Text(
            "và đề nghị trao giải chủ đề cho các tác phẩm dưới đây:".into(),
        ));
        body.push(table);
    }
    Ok(report(
        edition,
        "BIÊN BẢN",
        &edition.letterhead.minutes_symbol,
        format!("họp Hội đồng Chung khảo {}", edition.title),
        body,
    ))
}

/// The council's decisions on whole tiers and the changes of tiers made
/// after a round was sealed, as minutes paragraphs.
async fn tier_record(db: &Db, edition: i64) -> AppResult<Vec<Paragraph>> {
    let mut out: Vec<Paragraph> = repo::not_awarded(db, edition)
        .await?
        .iter()
        .map(|n| Paragraph::Bullet(super::tiers::not_awarded_line(&n.tier, &n.reason)))
        .collect();
    let changes = repo::tier_changes(db, edition).await?;
    if !changes.is_empty() {
        out.push(Paragraph::Text(
            "Cơ cấu giải được điều chỉnh sau khi niêm phong điểm:".into(),
        ));
        out.extend(changes.iter().map(|c| {
            Paragraph::Bullet(format!(
                "{}: từ “{}” thành “{}”",
                view::instant_vn(Some(c.changed_at)),
                c.before_tiers,
                c.after_tiers
            ))
        }));
    }
    Ok(out)
}
