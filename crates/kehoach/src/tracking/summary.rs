//! The province's summary report for a period: the figures gathered from
//! every unit's activities and reports, as plain text the coordinator edits
//! before export, and the Party-format document built from it. Pure.

use kehoach_office::{Paragraph, PartyReport, Signature};
use kehoach_plan::PlanDocument;

use super::domain::ActivityKind;
use super::repo::{Counts, PeriodRow};
use super::view::PeriodDates;

/// One unit's part of the summary.
pub struct UnitPart {
    pub name: String,
    pub activities: i64,
    pub results: String,
    pub shortcomings: String,
    pub proposals: String,
}

/// The default body: figures by kind, highlights per unit, shortcomings and
/// proposals, in the sections a Party report uses.
pub fn draft_body(
    period: &PeriodRow,
    counts: &Counts,
    kind_name: impl Fn(ActivityKind) -> String,
    units: &[UnitPart],
) -> String {
    let mut s = String::new();
    s.push_str("I. KẾT QUẢ THỰC HIỆN\n");
    s.push_str("1. Số liệu chung\n");
    s.push_str(&format!(
        "Trong {} (từ {}), các cơ quan, đơn vị đã ghi nhận {} hoạt động thông tin, tuyên truyền, cụ thể:\n",
        lower_first(&period.name),
        period.range_vn(),
        thousands(counts.total)
    ));
    for k in &counts.by_kind {
        s.push_str(&format!(
            "- {}: {} hoạt động; số lượng {}; {} người tham dự; {} lượt tiếp cận.\n",
            kind_name(k.kind),
            thousands(k.n),
            thousands(k.items),
            thousands(k.participants),
            thousands(k.reach)
        ));
    }
    if !counts.by_theme.is_empty() {
        s.push_str("2. Theo nội dung tuyên truyền\n");
        for theme in &counts.by_theme {
            let short: String = theme.label.chars().take(90).collect();
            s.push_str(&format!("- {short}: {} hoạt động.\n", thousands(theme.n)));
        }
    }
    s.push_str("3. Kết quả của các đơn vị\n");
    for u in units
        .iter()
        .filter(|u| u.activities > 0 || !u.results.is_empty())
    {
        let results = if u.results.is_empty() {
            String::new()
        } else {
            format!(" {}", one_line(&u.results))
        };
        s.push_str(&format!(
            "- {}: {} hoạt động.{results}\n",
            u.name,
            thousands(u.activities)
        ));
    }
    let listed = |f: fn(&UnitPart) -> &str| -> String {
        units
            .iter()
            .filter(|u| !f(u).trim().is_empty())
            .map(|u| format!("- {}: {}\n", u.name, one_line(f(u))))
            .collect()
    };
    s.push_str("II. HẠN CHẾ, KHÓ KHĂN\n");
    s.push_str(&listed(|u| &u.shortcomings));
    s.push_str("III. KIẾN NGHỊ, ĐỀ XUẤT\n");
    s.push_str(&listed(|u| &u.proposals));
    s
}

/// "Quý I năm 2021" → "quý I năm 2021": only the first letter, so Roman
/// numerals keep their case.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Vietnamese digit grouping: 490721 → "490.721".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the coordinator may change on the export form.
pub struct Letterhead {
    pub issuer: String,
    pub number: String,
    pub place: String,
    pub date: (u32, u32, i32),
}

/// The document: the plan supplies the recipients reported to, the file
/// copy and the signature; the coordinator supplies the letterhead and body.
pub fn report(
    doc: &PlanDocument,
    plan_title: &str,
    period: &PeriodRow,
    head: Letterhead,
    body: &str,
) -> PartyReport {
    let mut recipients: Vec<String> = doc
        .recipients
        .iter()
        .filter(|r| r.for_report)
        .map(|r| format!("{} (b/c)", r.name))
        .collect();
    recipients.push(
        doc.recipients
            .iter()
            .find(|r| r.file_copy)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| "Lưu Văn phòng".into()),
    );
    let signature = doc.signature.as_ref();
    PartyReport {
        superior: None,
        issuer: head.issuer,
        number: head.number,
        place: head.place,
        date: head.date,
        title: "BÁO CÁO".into(),
        summary: format!(
            "kết quả thực hiện Kế hoạch {plan_title}, {}",
            lower_first(&period.name)
        ),
        body: Paragraph::from_plain(body),
        recipients,
        signature: Signature {
            authority: signature.and_then(|s| s.authority.clone()),
            role: signature.and_then(|s| s.role.clone()).unwrap_or_default(),
            name: signature.and_then(|s| s.name.clone()).unwrap_or_default(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::domain::PeriodKind;
    use crate::tracking::repo::{KindCount, LabelCount};

    fn period() -> PeriodRow {
        PeriodRow {
            id: 1,
            plan_id: 1,
            kind: PeriodKind::Quarterly,
            name: "Quý I năm 2021".into(),
            starts_on: "2021-01-01".into(),
            ends_on: "2021-03-31".into(),
            due_on: "2021-04-05".into(),
        }
    }

    #[test]
    fn the_draft_carries_figures_and_each_units_words() {
        let counts = Counts {
            by_kind: vec![KindCount {
                kind: ActivityKind::Article,
                n: 3,
                items: 3,
                participants: 0,
                reach: 15000,
            }],
            by_theme: vec![LabelCount {
                label: "1.1. Học tập nghị quyết".into(),
                n: 2,
            }],
            by_channel: vec![],
            total: 3,
        };
        let units = [UnitPart {
            name: "Báo Phú Yên".into(),
            activities: 3,
            results: "Mở chuyên mục.".into(),
            shortcomings: "Thiếu\nphóng viên.".into(),
            proposals: String::new(),
        }];
        let body = draft_body(
            &period(),
            &counts,
            |k| {
                if k == ActivityKind::Article {
                    "Tin, bài".into()
                } else {
                    k.as_str().into()
                }
            },
            &units,
        );
        assert!(body.contains("ghi nhận 3 hoạt động"));
        assert!(body.contains(
            "- Tin, bài: 3 hoạt động; số lượng 3; 0 người tham dự; 15.000 lượt tiếp cận."
        ));
        assert!(body.contains("Trong quý I năm 2021"));
        assert_eq!(thousands(490_721), "490.721");
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(-1_000_000), "-1.000.000");
        assert!(body.contains("- Báo Phú Yên: 3 hoạt động. Mở chuyên mục."));
        assert!(body.contains("- Báo Phú Yên: Thiếu phóng viên."));
        let paragraphs = Paragraph::from_plain(&body);
        assert!(matches!(&paragraphs[0], Paragraph::Heading(h) if h == "I. KẾT QUẢ THỰC HIỆN"));
    }
}
