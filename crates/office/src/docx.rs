//! Reports in the Party document format (Hướng dẫn 36-HD/VPTW) as .docx.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use docx_rs as dx;
use docx_rs::{AlignmentType, LineSpacingType, ParagraphBorderPosition, SpecialIndentType};
use docx_rs::{TableLayoutType, WidthType};

use crate::OfficeError;
use crate::text::{is_valid_date, xml_safe};

/// A report in the Party document format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyReport {
    /// The direct superior body, e.g. "ĐẢNG BỘ TỈNH PHÚ YÊN"; often left out.
    pub superior: Option<String>,
    /// The issuing body, e.g. "TỈNH ỦY PHÚ YÊN" or "BAN TUYÊN GIÁO TỈNH ỦY".
    pub issuer: String,
    /// Written as given, e.g. "Số 25-BC/TU", or "Số    -BC/TU" for a draft
    /// whose number the office fills in by hand.
    pub number: String,
    /// "Tuy Hòa".
    pub place: String,
    /// (day, month, year).
    pub date: (u32, u32, i32),
    /// "BÁO CÁO".
    pub title: String,
    /// The summary line under the title, in regular case.
    pub summary: String,
    pub body: Vec<Paragraph>,
    /// Without the leading "- " and the trailing ";" or "."; the last one is
    /// the file copy ("Lưu Văn phòng Tỉnh ủy").
    pub recipients: Vec<String>,
    pub signature: Signature,
}

/// The signature block, e.g. "T/M BAN THƯỜNG VỤ" / "PHÓ BÍ THƯ" / the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// "T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN"; none when the head signs
    /// directly.
    pub authority: Option<String>,
    pub role: String,
    pub name: String,
}

/// One block of the report body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paragraph {
    /// "I. KẾT QUẢ THỰC HIỆN", in bold.
    Heading(String),
    /// "1. Công tác tuyên truyền trên báo chí", in bold.
    SubHeading(String),
    /// Justified with a first-line indent.
    Text(String),
    /// A dash item; the "- " is added when written unless the text already
    /// starts with "- " or "+ ".
    Bullet(String),
    /// A bordered table with a bold header row, in 12 pt.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const FONT: &str = "Times New Roman";

// Sizes are in half-points, as Word stores them.
const SIZE_BODY: usize = 28;
const SIZE_PARTY: usize = 30;
const SIZE_TITLE: usize = 32;
const SIZE_SMALL: usize = 24;

// Lengths are in twentieths of a point (1 mm ≈ 56.7).
const PAGE_WIDTH: u32 = 11906; // A4, 210 mm
const PAGE_HEIGHT: u32 = 16838; // A4, 297 mm
const MARGIN_TOP: i32 = 1417; // 25 mm
const MARGIN_BOTTOM: i32 = 1417; // 25 mm
const MARGIN_LEFT: i32 = 1984; // 35 mm
const MARGIN_RIGHT: i32 = 850; // 15 mm
/// The page number sits 10 mm from the top edge.
const HEADER_DISTANCE: i32 = 567;
const TEXT_WIDTH: usize = 9072;
/// The left column holds the issuing body, the right one the
/// "ĐẢNG CỘNG SẢN VIỆT NAM" heading and the date line, which needs the room.
const HEAD_LEFT: usize = 4082;
const HEAD_RIGHT: usize = TEXT_WIDTH - HEAD_LEFT;
/// "ĐẢNG CỘNG SẢN VIỆT NAM" in bold 15 pt is about 4130 twips wide; indenting
/// the paragraph by this much on each side makes its bottom border about as
/// long as the text, as the format asks.
const PARTY_RULE_INDENT: i32 = 320;
/// The short rule under the title block is about 3 cm long.
const TITLE_RULE_INDENT: i32 = (TEXT_WIDTH as i32 - 1701) / 2;
const FIRST_LINE_INDENT: i32 = 720; // 1.27 cm
const SPACE_AFTER_BODY: u32 = 120; // 6 pt
/// Room for the handwritten signature and the seal.
const SIGNATURE_BLANK_LINES: usize = 4;

/// Writes the report as a .docx file.
///
/// Text is written as given except that upper-case elements (issuing body,
/// title, signing authority and role) are upper-cased, and characters XML
/// cannot hold (control characters) are dropped. Fails on an impossible date.
pub fn party_report_docx(report: &PartyReport) -> Result<Vec<u8>, OfficeError> {
    let (day, month, year) = report.date;
    if !is_valid_date(day, month, year) {
        return Err(OfficeError::InvalidDate { day, month, year });
    }
    pack(build(report))
}

/// docx-rs reaches an `unreachable!` on some run contents (upstream issue
/// #750); a report must come back as an error, never take the server thread
/// down with it. (This relies on panics unwinding, the default profile.)
pub(crate) fn pack(docx: dx::Docx) -> Result<Vec<u8>, OfficeError> {
    let written = catch_unwind(AssertUnwindSafe(move || {
        let mut out = Cursor::new(Vec::new());
        docx.build().pack(&mut out).map(|()| out.into_inner())
    }));
    match written {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(OfficeError::Docx(e.to_string())),
        Err(_) => Err(OfficeError::Docx(
            "lỗi nội bộ của bộ ghi tài liệu".to_string(),
        )),
    }
}

fn build(report: &PartyReport) -> dx::Docx {
    let page_number = dx::Header::new().add_paragraph(
        line(AlignmentType::Center)
            .add_page_num(dx::PageNum::new())
            .size(SIZE_BODY),
    );
    // The document's own date rather than 1970, so file properties and
    // document managers show something meaningful.
    let (day, month, year) = report.date;
    let stamp = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
    let mut docx = dx::Docx::new()
        .created_at(&stamp)
        .updated_at(&stamp)
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            dx::PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(HEADER_DISTANCE)
                .footer(HEADER_DISTANCE),
        )
        .default_fonts(fonts())
        .default_size(SIZE_BODY)
        .header(page_number)
        // An empty first-page header keeps page 1 unnumbered.
        .first_header(dx::Header::new().add_paragraph(dx::Paragraph::new()))
        .add_table(heading_table(report));

    for p in title_block(report) {
        docx = docx.add_paragraph(p);
    }
    for block in &report.body {
        docx = match block {
            Paragraph::Table { header, rows } => match body_table(header, rows) {
                // Two tables in a row would merge; the gap also gives air.
                Some(table) => docx.add_table(table).add_paragraph(body_line()),
                None => docx,
            },
            other => docx.add_paragraph(body_paragraph(other)),
        };
    }
    docx.add_paragraph(line(AlignmentType::Left))
        .add_table(closing_table(report))
}

fn fonts() -> dx::RunFonts {
    dx::RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn run(text: &str, size: usize) -> dx::Run {
    dx::Run::new()
        .add_text(xml_safe(text))
        .fonts(fonts())
        .size(size)
}

fn upper(text: &str) -> String {
    text.trim().to_uppercase()
}

/// A single-spaced line with no extra spacing, for the heading blocks.
fn line(align: AlignmentType) -> dx::Paragraph {
    dx::Paragraph::new().align(align).line_spacing(
        dx::LineSpacing::new()
            .before(0)
            .after(0)
            .line(240)
            .line_rule(LineSpacingType::Auto),
    )
}

fn centered(text: &str, size: usize) -> dx::Paragraph {
    line(AlignmentType::Center).add_run(run(text, size))
}

fn bold_centered(text: &str, size: usize) -> dx::Paragraph {
    line(AlignmentType::Center).add_run(run(text, size).bold())
}

fn with_bottom_rule(p: dx::Paragraph, indent: i32) -> dx::Paragraph {
    let mut p = p.indent(Some(indent), None, Some(indent), None);
    // Starting from `with_empty`: docx-rs's default border set boxes the
    // paragraph on every side.
    p.property = p.property.set_borders(
        dx::ParagraphBorders::with_empty().set(
            dx::ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .size(6)
                .space(1)
                .color("000000"),
        ),
    );
    p
}

fn cell(width: usize) -> dx::TableCell {
    dx::TableCell::new().width(width, WidthType::Dxa)
}

fn borderless(rows: Vec<dx::TableRow>, grid: Vec<usize>) -> dx::Table {
    dx::Table::new(rows)
        .set_borders(dx::TableBorders::new().clear_all())
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

fn heading_table(r: &PartyReport) -> dx::Table {
    let mut left = cell(HEAD_LEFT);
    if let Some(superior) = r.superior.as_deref().filter(|s| !s.trim().is_empty()) {
        left = left.add_paragraph(centered(&upper(superior), SIZE_BODY));
    }
    let left = left
        .add_paragraph(bold_centered(&upper(&r.issuer), SIZE_BODY))
        .add_paragraph(centered("*", SIZE_BODY))
        .add_paragraph(centered(&r.number, SIZE_BODY));

    let (day, month, year) = r.date;
    let place = r.place.trim();
    let date = if place.is_empty() {
        format!("ngày {day:02} tháng {month:02} năm {year}")
    } else {
        format!("{place}, ngày {day:02} tháng {month:02} năm {year}")
    };
    let right = cell(HEAD_RIGHT)
        .add_paragraph(with_bottom_rule(
            bold_centered("ĐẢNG CỘNG SẢN VIỆT NAM", SIZE_PARTY),
            PARTY_RULE_INDENT,
        ))
        .add_paragraph(
            line(AlignmentType::Center)
                .line_spacing(dx::LineSpacing::new().before(240))
                .add_run(run(&date, SIZE_BODY).italic()),
        );
    borderless(
        vec![dx::TableRow::new(vec![left, right])],
        vec![HEAD_LEFT, HEAD_RIGHT],
    )
}

fn title_block(r: &PartyReport) -> Vec<dx::Paragraph> {
    let mut out = vec![
        bold_centered(&upper(&r.title), SIZE_TITLE)
            .line_spacing(dx::LineSpacing::new().before(480))
            .keep_next(true),
    ];
    if !r.summary.trim().is_empty() {
        out.push(bold_centered(r.summary.trim(), SIZE_BODY).keep_next(true));
    }
    // An empty paragraph in tiny type so the rule hugs the summary.
    out.push(with_bottom_rule(
        line(AlignmentType::Center)
            .size(8)
            .line_spacing(dx::LineSpacing::new().after(360)),
        TITLE_RULE_INDENT,
    ));
    out
}

fn body_line() -> dx::Paragraph {
    dx::Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
            None,
            None,
        )
        .line_spacing(
            dx::LineSpacing::new()
                .before(0)
                .after(SPACE_AFTER_BODY)
                .line(276)
                .line_rule(LineSpacingType::Auto),
        )
}

fn body_paragraph(p: &Paragraph) -> dx::Paragraph {
    match p {
        Paragraph::Heading(t) | Paragraph::SubHeading(t) => body_line()
            .keep_next(true)
            .add_run(run(t.trim(), SIZE_BODY).bold()),
        Paragraph::Text(t) => body_line().add_run(run(t.trim(), SIZE_BODY)),
        Paragraph::Bullet(t) => {
            let t = t.trim();
            let text = if t.starts_with("- ") || t.starts_with("+ ") {
                t.to_string()
            } else {
                format!("- {t}")
            };
            body_line().add_run(run(&text, SIZE_BODY))
        }
        // Tables are written by `body_table`; never reached.
        Paragraph::Table { .. } => body_line(),
    }
}

fn body_table(header: &[String], rows: &[Vec<String>]) -> Option<dx::Table> {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return None;
    }
    let width = (TEXT_WIDTH / columns).max(1);
    let table_cell = |text: &str, bold: bool, align: AlignmentType| {
        let r = run(text.trim(), SIZE_SMALL);
        let r = if bold { r.bold() } else { r };
        cell(width).add_paragraph(line(align).add_run(r))
    };
    let row_of = |texts: &[String], bold: bool, align: AlignmentType| {
        let cells = (0..columns)
            .map(|i| table_cell(texts.get(i).map_or("", String::as_str), bold, align))
            .collect();
        dx::TableRow::new(cells)
    };
    let mut table_rows = Vec::with_capacity(rows.len() + 1);
    if !header.is_empty() {
        table_rows.push(row_of(header, true, AlignmentType::Center));
    }
    table_rows.extend(rows.iter().map(|r| row_of(r, false, AlignmentType::Left)));
    Some(
        dx::Table::new(table_rows)
            .set_grid(vec![width; columns])
            .width(width * columns, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    )
}

/// Each recipient on its own dash line: ";" after all but the last, "." after
/// the last (the file copy). Markers the user typed anyway are not doubled.
fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let cleaned: Vec<&str> = recipients
        .iter()
        .map(|r| {
            let r = r.trim();
            let r = r.strip_prefix('-').unwrap_or(r).trim_start();
            r.trim_end_matches(|c: char| c == ';' || c == '.' || c == ',' || c.is_whitespace())
        })
        .filter(|r| !r.is_empty())
        .collect();
    let last = cleaned.len().saturating_sub(1);
    cleaned
        .iter()
        .enumerate()
        .map(|(i, r)| format!("- {r}{}", if i == last { "." } else { ";" }))
        .collect()
}

fn closing_table(r: &PartyReport) -> dx::Table {
    let half = TEXT_WIDTH / 2;
    let mut left = cell(half).add_paragraph(
        line(AlignmentType::Left).add_run(run("Nơi nhận:", SIZE_BODY).bold().underline("single")),
    );
    for recipient in recipient_lines(&r.recipients) {
        left = left.add_paragraph(line(AlignmentType::Left).add_run(run(&recipient, SIZE_SMALL)));
    }

    let s = &r.signature;
    let mut right = cell(TEXT_WIDTH - half);
    if let Some(authority) = s.authority.as_deref().filter(|a| !a.trim().is_empty()) {
        right = right.add_paragraph(bold_centered(&upper(authority), SIZE_BODY));
    }
    if !s.role.trim().is_empty() {
        right = right.add_paragraph(bold_centered(&upper(&s.role), SIZE_BODY));
    }
    for _ in 0..SIGNATURE_BLANK_LINES {
        right = right.add_paragraph(line(AlignmentType::Center).size(SIZE_BODY));
    }
    if !s.name.trim().is_empty() {
        right = right.add_paragraph(bold_centered(s.name.trim(), SIZE_BODY));
    }
    // Kept on one page so the signature never leaves its recipients behind;
    // the block is far shorter than a page.
    borderless(
        vec![dx::TableRow::new(vec![left, right]).cant_split()],
        vec![half, TEXT_WIDTH - half],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_panic_becomes_an_error() {
        // The variant the reader produces and the writer cannot write.
        let mut r = dx::Run::new();
        r.children
            .push(dx::RunChild::InstrTextString("PAGE".to_string()));
        let docx = dx::Docx::new().add_paragraph(dx::Paragraph::new().add_run(r));
        let err = pack(docx).unwrap_err();
        assert!(matches!(err, OfficeError::Docx(_)), "{err:?}");
        assert!(err.to_string().starts_with("Không tạo được tệp Word"));
    }

    #[test]
    fn recipients_get_their_punctuation() {
        let lines = recipient_lines(&[
            "Ban Tuyên giáo Trung ương (b/c)".into(),
            "- Các đồng chí Ủy viên BTV Tỉnh ủy;".into(),
            "   ".into(),
            "Lưu Văn phòng Tỉnh ủy.".into(),
        ]);
        assert_eq!(
            lines,
            [
                "- Ban Tuyên giáo Trung ương (b/c);",
                "- Các đồng chí Ủy viên BTV Tỉnh ủy;",
                "- Lưu Văn phòng Tỉnh ủy.",
            ]
        );
        assert!(recipient_lines(&[]).is_empty());
    }

    #[test]
    fn impossible_date_is_refused() {
        let report = PartyReport {
            superior: None,
            issuer: "TỈNH ỦY PHÚ YÊN".into(),
            number: "Số 1-BC/TU".into(),
            place: "Tuy Hòa".into(),
            date: (31, 2, 2021),
            title: "BÁO CÁO".into(),
            summary: String::new(),
            body: vec![],
            recipients: vec![],
            signature: Signature {
                authority: None,
                role: "BÍ THƯ".into(),
                name: "Nguyễn Văn A".into(),
            },
        };
        assert_eq!(
            party_report_docx(&report),
            Err(OfficeError::InvalidDate {
                day: 31,
                month: 2,
                year: 2021
            })
        );
    }
}

/// A prize certificate: one landscape A4 page, centred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY".
    pub issuer: String,
    /// The recipients (the work's authors), one per line.
    pub recipients: Vec<String>,
    /// The work's title.
    pub work: String,
    /// "Giải A".
    pub tier: String,
    /// The award and its edition.
    pub award: String,
    pub place: String,
    /// (day, month, year).
    pub date: (u32, u32, i32),
    pub signature: Signature,
}

const SIZE_CERT_TITLE: usize = 56;
const SIZE_CERT_NAME: usize = 40;

/// Writes a prize certificate as a .docx file. Fails on an impossible date.
pub fn certificate_docx(c: &Certificate) -> Result<Vec<u8>, OfficeError> {
    let (day, month, year) = c.date;
    if !is_valid_date(day, month, year) {
        return Err(OfficeError::InvalidDate { day, month, year });
    }
    let stamp = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
    let mut docx = dx::Docx::new()
        .created_at(&stamp)
        .updated_at(&stamp)
        .page_size(PAGE_HEIGHT, PAGE_WIDTH)
        .page_orient(dx::PageOrientationType::Landscape)
        .page_margin(
            dx::PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_TOP)
                .right(MARGIN_TOP),
        )
        .default_fonts(fonts())
        .default_size(SIZE_BODY)
        .add_paragraph(bold_centered(&upper(&c.issuer), SIZE_BODY))
        .add_paragraph(with_bottom_rule(
            bold_centered("ĐẢNG CỘNG SẢN VIỆT NAM", SIZE_PARTY),
            PARTY_RULE_INDENT + 3000,
        ))
        .add_paragraph(line(AlignmentType::Center))
        .add_paragraph(bold_centered("GIẤY CHỨNG NHẬN", SIZE_CERT_TITLE))
        .add_paragraph(centered("Tặng", SIZE_TITLE));
    for name in &c.recipients {
        docx = docx.add_paragraph(bold_centered(name, SIZE_CERT_NAME));
    }
    let (role, name) = (upper(&c.signature.role), c.signature.name.trim().to_owned());
    docx = docx
        .add_paragraph(centered(
            &format!("Tác giả tác phẩm: “{}”", c.work.trim()),
            SIZE_TITLE,
        ))
        .add_paragraph(bold_centered(
            &format!("Đã đạt {} — {}", c.tier.trim(), c.award.trim()),
            SIZE_TITLE,
        ))
        .add_paragraph(line(AlignmentType::Center))
        .add_paragraph(
            line(AlignmentType::Right).add_run(
                run(
                    &format!(
                        "{}, ngày {day:02} tháng {month:02} năm {year}",
                        c.place.trim()
                    ),
                    SIZE_BODY,
                )
                .italic(),
            ),
        );
    if let Some(a) = &c.signature.authority {
        docx = docx
            .add_paragraph(line(AlignmentType::Right).add_run(run(&upper(a), SIZE_BODY).bold()));
    }
    docx = docx.add_paragraph(line(AlignmentType::Right).add_run(run(&role, SIZE_BODY).bold()));
    for _ in 0..SIGNATURE_BLANK_LINES {
        docx = docx.add_paragraph(line(AlignmentType::Right));
    }
    pack(docx.add_paragraph(line(AlignmentType::Right).add_run(run(&name, SIZE_BODY).bold())))
}
