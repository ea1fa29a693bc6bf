//! Reading an uploaded table (.xlsx or .csv) for bulk import.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, Xlsx};

use crate::OfficeError;
use crate::text::{column_letters, dd_mm_yyyy, format_number};

/// The first sheet of an uploaded table, every cell as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The row number the user sees in Excel; the header is row 1 (or the
    /// first non-empty row when blank rows precede it).
    pub line: usize,
    /// At least as many cells as the header has; cells are trimmed.
    pub cells: Vec<String>,
}

/// More columns than any import template has; the cap keeps a stray value
/// in column XFD from making every row 16,384 cells wide.
pub const MAX_COLUMNS: usize = 256;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const MIB: usize = 1024 * 1024;

/// Reads an uploaded table: .xlsx when the content is a zip archive,
/// otherwise CSV in UTF-8 (with or without a byte-order mark). Returns the
/// first sheet: the first non-empty row is the header, trailing empty rows
/// are dropped, numbers lose a trailing ".0", dates read dd/mm/yyyy.
///
/// Fails when the input exceeds `max_bytes`, has more than `max_rows` data
/// rows or [`MAX_COLUMNS`] columns, is empty, is not a table, or (in .xlsx)
/// has a formula cell, which is named so the user can paste values instead.
pub fn read_table(bytes: &[u8], max_bytes: usize, max_rows: usize) -> Result<Table, OfficeError> {
    if bytes.len() > max_bytes {
        return Err(OfficeError::TooLarge { max_bytes });
    }
    let rows = if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes, max_bytes, max_rows)?
    } else if bytes.starts_with(OLE_MAGIC) {
        return Err(OfficeError::LegacyXls);
    } else {
        read_csv(bytes)?
    };
    assemble(rows, max_rows)
}

/// Rows as (zero-based row index, cells); rows absent from the map are empty.
type Rows = BTreeMap<u32, Vec<String>>;

fn read_csv(bytes: &[u8]) -> Result<Rows, OfficeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // NUL never occurs in text; its presence means a binary upload (an
    // image, a PDF, a .docx renamed), which deserves the clearer message.
    if bytes.contains(&0) {
        return Err(OfficeError::NotATable);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| OfficeError::NotUtf8)?;
    let mut rows = Rows::new();
    for (i, row) in crate::csv::parse(text).into_iter().enumerate() {
        let i = u32::try_from(i).map_err(|_| OfficeError::NotATable)?;
        if row.len() > MAX_COLUMNS {
            return Err(OfficeError::TooManyColumns {
                max_columns: MAX_COLUMNS,
            });
        }
        rows.insert(i, row);
    }
    Ok(rows)
}

/// How much an .xlsx may inflate to: real workbooks compress 5–15 times, so
/// 40 times (within fixed bounds) only stops zip bombs.
fn decompressed_cap(max_bytes: usize) -> u64 {
    max_bytes.saturating_mul(40).clamp(32 * MIB, 512 * MIB) as u64
}

fn read_xlsx(bytes: &[u8], max_bytes: usize, max_rows: usize) -> Result<Rows, OfficeError> {
    // The zip and xlsx parsers are large and read hostile input; a panic in
    // them must come back as "not a table", not take the request thread down.
    catch_unwind(AssertUnwindSafe(|| {
        check_inflated_size(bytes, decompressed_cap(max_bytes))?;
        read_xlsx_cells(bytes, max_rows)
    }))
    .unwrap_or(Err(OfficeError::NotATable))
}

/// Inflates every member once, counting, before calamine does: declared
/// sizes in a zip can lie, and calamine would hold the inflated sheet and
/// shared strings in memory.
fn check_inflated_size(bytes: &[u8], cap: u64) -> Result<(), OfficeError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| OfficeError::NotATable)?;
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).map_err(|_| OfficeError::NotATable)?;
        loop {
            let n = member.read(&mut buf).map_err(|_| OfficeError::NotATable)?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > cap {
                return Err(OfficeError::Decompressed);
            }
        }
    }
    Ok(())
}

fn read_xlsx_cells(bytes: &[u8], max_rows: usize) -> Result<Rows, OfficeError> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| OfficeError::NotATable)?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(OfficeError::NotATable)?;
    let mut reader = book
        .worksheet_cells_reader(&first)
        .map_err(|_| OfficeError::NotATable)?;
    let mut rows = Rows::new();
    let mut first_row: Option<u32> = None;
    while let Some(record) = reader
        .next_cell_with_formula_metadata()
        .map_err(|_| OfficeError::NotATable)?
    {
        let (row, col) = record.pos;
        if record.formula.is_some() {
            return Err(OfficeError::Formula {
                cell: format!("{}{}", column_letters(col), u64::from(row) + 1),
            });
        }
        let text = cell_text(&record.value);
        if text.is_empty() {
            continue;
        }
        if col as usize >= MAX_COLUMNS {
            return Err(OfficeError::TooManyColumns {
                max_columns: MAX_COLUMNS,
            });
        }
        // Stop as soon as the limit is certainly exceeded, rather than after
        // reading a sheet of a million rows: the header is at or above
        // `first_row`, so this row is at least this far below it.
        let top = first_row.map_or(row, |t| t.min(row));
        first_row = Some(top);
        if (row - top) as usize > max_rows {
            return Err(OfficeError::TooManyRows { max_rows });
        }
        let cells = rows.entry(row).or_default();
        let col = col as usize;
        if cells.len() <= col {
            cells.resize(col + 1, String::new());
        }
        cells[col] = text;
    }
    Ok(rows)
}

fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => format_number(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(true) => "TRUE".to_string(),
        DataRef::Bool(false) => "FALSE".to_string(),
        DataRef::DateTime(dt) if dt.is_duration() => format_number(dt.as_f64()),
        DataRef::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                // A time of day with no date.
                format!("{h:02}:{mi:02}")
            } else if (h, mi, s) == (0, 0, 0) {
                dd_mm_yyyy(u32::from(d), u32::from(mo), i32::from(y))
            } else {
                format!(
                    "{} {h:02}:{mi:02}",
                    dd_mm_yyyy(u32::from(d), u32::from(mo), i32::from(y))
                )
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
    .trim()
    .to_string()
}

fn assemble(rows: Rows, max_rows: usize) -> Result<Table, OfficeError> {
    let mut non_empty = rows
        .into_iter()
        .map(|(i, cells)| (i, cells.into_iter().map(|c| c.trim().to_string()).collect()))
        .filter(|(_, cells): &(u32, Vec<String>)| cells.iter().any(|c| !c.is_empty()));
    let Some((header_row, mut header)) = non_empty.next() else {
        return Err(OfficeError::Empty);
    };
    trim_trailing_empty(&mut header);
    let width = header.len();
    let mut data = Vec::new();
    for (i, mut cells) in non_empty {
        // Blank rows in between are kept (the count must match what the
        // user sees); blank rows after the last one never reach here.
        let gap = (i - header_row) as usize;
        if gap > max_rows {
            return Err(OfficeError::TooManyRows { max_rows });
        }
        let first_missing = data.len() + 1;
        for missing in first_missing..gap {
            data.push(TableRow {
                line: header_row as usize + 1 + missing,
                cells: vec![String::new(); width],
            });
        }
        trim_trailing_empty(&mut cells);
        if cells.len() < width {
            cells.resize(width, String::new());
        }
        data.push(TableRow {
            line: i as usize + 1,
            cells,
        });
    }
    Ok(Table { header, rows: data })
}

fn trim_trailing_empty(cells: &mut Vec<String>) {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn blank_rows_keep_line_numbers() {
        let rows: Rows = [
            (1, row(&["STT", "Tên", ""])),
            (2, row(&["1", " Hội nghị "])),
            (4, row(&["2", "Tọa đàm", "ghi chú"])),
            (6, row(&["", ""])),
        ]
        .into_iter()
        .collect();
        let t = assemble(rows, 10).unwrap();
        assert_eq!(t.header, row(&["STT", "Tên"]));
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert_eq!(t.rows[0].cells, row(&["1", "Hội nghị"]));
        assert_eq!(t.rows[1].cells, row(&["", ""]));
        assert_eq!(t.rows[2].cells, row(&["2", "Tọa đàm", "ghi chú"]));
    }

    #[test]
    fn row_cap_counts_data_rows() {
        let rows: Rows = (0..4).map(|i| (i, row(&["x"]))).collect();
        assert_eq!(assemble(rows.clone(), 3).unwrap().rows.len(), 3);
        assert_eq!(
            assemble(rows, 2),
            Err(OfficeError::TooManyRows { max_rows: 2 })
        );
    }

    #[test]
    fn only_blank_rows_is_empty() {
        let rows: Rows = [(0, row(&["", " "]))].into_iter().collect();
        assert_eq!(assemble(rows, 3), Err(OfficeError::Empty));
    }
}
