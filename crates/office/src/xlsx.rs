//! Workbooks (.xlsx) for exports.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::OfficeError;
use crate::text::is_valid_date;

/// One cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Integer(i64),
    Date { year: i32, month: u32, day: u32 },
    Empty,
}

/// One worksheet: a header row and data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Column widths in Excel's character units; empty (or shorter than the
    /// header) means widths are estimated from the content.
    pub column_widths: Vec<f64>,
}

const FONT: &str = "Times New Roman";
const FONT_SIZE: f64 = 12.0;
/// Excel's limits: rows per sheet, columns per sheet, characters per name.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_NAME_UNITS: usize = 31;
/// Integers beyond ±2^53 cannot be stored exactly as Excel's doubles, so
/// they are written as text rather than silently rounded.
const EXACT_INTEGER: i64 = 1 << 53;
/// Estimating widths from every row of a large export costs more than it
/// is worth; the first rows represent the column well enough.
const WIDTH_SAMPLE_ROWS: usize = 500;

/// Writes the sheets as an .xlsx workbook: bold frozen header row with an
/// autofilter, dates formatted dd/mm/yyyy, Times New Roman 12 throughout.
/// Sheet names are made valid for Excel (at most 31 characters, none of
/// `[]:*?/\`) and unique. Fails on an impossible date or a sheet larger than
/// Excel allows.
pub fn workbook_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, OfficeError> {
    let mut workbook = Workbook::new();
    let names = sheet_names(sheets.iter().map(|s| s.name.as_str()));
    let formats = Formats::new();
    for (sheet, name) in sheets.iter().zip(names) {
        let columns = sheet
            .rows
            .iter()
            .map(Vec::len)
            .chain([sheet.header.len()])
            .max()
            .unwrap_or(0);
        if sheet.rows.len() >= MAX_ROWS || columns > MAX_COLUMNS {
            return Err(OfficeError::SheetTooLarge { sheet: name });
        }
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name.as_str()).map_err(xlsx_error)?;
        write_sheet(worksheet, sheet, columns, &formats)?;
    }
    if sheets.is_empty() {
        // A workbook needs at least one sheet to open.
        workbook.add_worksheet();
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn xlsx_error(e: XlsxError) -> OfficeError {
    OfficeError::Xlsx(e.to_string())
}

struct Formats {
    plain: Format,
    header: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        let plain = Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
        Formats {
            header: plain.clone().set_bold(),
            date: plain.clone().set_num_format("dd/mm/yyyy"),
            plain,
        }
    }
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    columns: usize,
    formats: &Formats,
) -> Result<(), OfficeError> {
    for col in 0..columns {
        let c = col as u16;
        // The column format gives empty cells the same font as filled ones.
        ws.set_column_format(c, &formats.plain)
            .map_err(xlsx_error)?;
        ws.set_column_width(c, column_width(sheet, col))
            .map_err(xlsx_error)?;
    }
    for (col, title) in sheet.header.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, title.as_str(), &formats.header)
            .map_err(xlsx_error)?;
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = (i + 1) as u32;
        for (col, cell) in row.iter().enumerate() {
            write_cell(ws, r, col as u16, cell, formats)?;
        }
    }
    if !sheet.header.is_empty() {
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        let last_col = (sheet.header.len() - 1) as u16;
        ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), OfficeError> {
    let written = match cell {
        Cell::Text(t) if t.is_empty() => return Ok(()),
        Cell::Text(t) => ws.write_string_with_format(row, col, t.as_str(), &formats.plain),
        // Infinity and NaN have no spreadsheet form; an empty cell is the
        // honest rendering.
        Cell::Number(n) if !n.is_finite() => return Ok(()),
        Cell::Number(n) => ws.write_number_with_format(row, col, *n, &formats.plain),
        Cell::Integer(n) if (-EXACT_INTEGER..=EXACT_INTEGER).contains(n) => {
            ws.write_number_with_format(row, col, *n as f64, &formats.plain)
        }
        Cell::Integer(n) => ws.write_string_with_format(row, col, n.to_string(), &formats.plain),
        Cell::Date { year, month, day } => {
            if !is_valid_date(*day, *month, *year) {
                return Err(OfficeError::InvalidDate {
                    day: *day,
                    month: *month,
                    year: *year,
                });
            }
            let date = ExcelDateTime::from_ymd(*year as u16, *month as u8, *day as u8)
                .map_err(xlsx_error)?;
            ws.write_datetime_with_format(row, col, date, &formats.date)
        }
        Cell::Empty => return Ok(()),
    };
    written.map(|_| ()).map_err(xlsx_error)
}

fn column_width(sheet: &Sheet, col: usize) -> f64 {
    if let Some(w) = sheet.column_widths.get(col).filter(|w| w.is_finite()) {
        return w.clamp(0.0, 255.0);
    }
    let header = sheet.header.get(col).map_or(0, |h| h.chars().count());
    let longest = sheet
        .rows
        .iter()
        .take(WIDTH_SAMPLE_ROWS)
        .filter_map(|r| r.get(col))
        .map(|c| match c {
            Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Number(n) => format!("{n}").len(),
            Cell::Integer(n) => n.to_string().len(),
            Cell::Date { .. } => 10,
            Cell::Empty => 0,
        })
        .chain([header + 3]) // room for the autofilter button
        .max()
        .unwrap_or(0);
    (longest as f64 * 1.1 + 2.0).clamp(8.0, 60.0)
}

/// Excel's sheet-name rules, applied so any user-supplied title works: the
/// characters `[]:*?/\` are replaced, names are at most 31 UTF-16 units,
/// cannot start or end with an apostrophe, cannot be blank or "History",
/// and must differ ignoring case.
pub(crate) fn sheet_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, raw) in names.enumerate() {
        let base = clean_sheet_name(raw);
        let base = if base.is_empty() || base.eq_ignore_ascii_case("history") {
            format!("Trang {}", i + 1)
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = truncate_units(&base, MAX_NAME_UNITS - suffix.encode_utf16().count());
            name = format!("{}{suffix}", trim_name(&name));
            n += 1;
        }
        taken.push(name.to_lowercase());
        out.push(name);
    }
    out
}

fn clean_sheet_name(raw: &str) -> String {
    let replaced: String = raw
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            ':' | '*' | '?' | '/' | '\\' => '-',
            _ => c,
        })
        .collect();
    trim_name(&truncate_units(trim_name(&replaced), MAX_NAME_UNITS)).to_string()
}

fn trim_name(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\'')
}

fn truncate_units(s: &str, max_units: usize) -> String {
    let mut units = 0;
    s.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= max_units
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        let long = "Kế hoạch tuyên truyền kỷ niệm 50 năm giải phóng";
        let names = sheet_names(
            [
                "Quý I/2021",
                "quý i/2021",
                "[Nháp]: a*b?",
                "",
                "'Trích'",
                "History",
                long,
                long,
            ]
            .into_iter(),
        );
        assert_eq!(names[0], "Quý I-2021");
        assert_eq!(names[1], "quý i-2021 (2)");
        assert_eq!(names[2], "(Nháp)- a-b-");
        assert_eq!(names[3], "Trang 4");
        assert_eq!(names[4], "Trích");
        assert_eq!(names[5], "Trang 6");
        assert_eq!(names[6].encode_utf16().count(), 31);
        assert!(names[7].ends_with(" (2)"));
        assert!(names[7].encode_utf16().count() <= 31);
        let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), names.len());
    }

    #[test]
    fn astral_characters_count_twice() {
        let name = "🎉".repeat(20);
        let names = sheet_names([name.as_str()].into_iter());
        assert_eq!(names[0].encode_utf16().count(), 30);
    }
}
