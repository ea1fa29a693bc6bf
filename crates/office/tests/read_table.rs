use std::io::Write;

use kehoach_office::{MAX_COLUMNS, OfficeError, Table, TableRow, read_table};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

const MB: usize = 1024 * 1024;

fn read(bytes: &[u8]) -> Result<Table, OfficeError> {
    read_table(bytes, MB, 100)
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn row(line: usize, cells: &[&str]) -> TableRow {
    TableRow {
        line,
        cells: strings(cells),
    }
}

#[test]
fn csv_with_bom() {
    let csv = "\u{feff}Ngày,Nội dung,Đơn vị\r\n05/04/2021,\"Hội nghị, tọa đàm\",Sở TT&TT\r\n\r\n06/04/2021,Tuyên truyền\r\n\r\n\r\n";
    let table = read(csv.as_bytes()).unwrap();
    assert_eq!(table.header, strings(&["Ngày", "Nội dung", "Đơn vị"]));
    assert_eq!(
        table.rows,
        vec![
            row(2, &["05/04/2021", "Hội nghị, tọa đàm", "Sở TT&TT"]),
            row(3, &["", "", ""]),
            row(4, &["06/04/2021", "Tuyên truyền", ""]),
        ]
    );
}

#[test]
fn csv_without_bom_semicolons_and_multiline_cells() {
    let csv = "STT;Nội dung\n1;\"Dòng một\nDòng hai\"\n2; Có khoảng trắng \n";
    let table = read(csv.as_bytes()).unwrap();
    assert_eq!(table.header, strings(&["STT", "Nội dung"]));
    // A quoted line break stays within one row, as in Excel.
    assert_eq!(
        table.rows,
        vec![
            row(2, &["1", "Dòng một\nDòng hai"]),
            row(3, &["2", "Có khoảng trắng"]),
        ]
    );
}

#[test]
fn csv_title_rows_above_the_header_are_skipped_but_counted() {
    let table = read(b"\n,,\nA,B\n1,2\n").unwrap();
    assert_eq!(table.header, strings(&["A", "B"]));
    assert_eq!(table.rows, vec![row(4, &["1", "2"])]);
}

fn xlsx_bytes(with_formula: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let datetime = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let ws = book.add_worksheet();
    ws.set_name("Hoạt động").unwrap();
    for (col, title) in ["Ngày", "Nội dung", "Số người", "Kinh phí"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, col as u16, *title).unwrap();
    }
    ws.write_datetime_with_format(1, 0, ExcelDateTime::from_ymd(2021, 4, 5).unwrap(), &date)
        .unwrap();
    ws.write_string(1, 1, "Hội nghị báo cáo viên").unwrap();
    ws.write_number(1, 2, 120.0).unwrap();
    ws.write_number(1, 3, 12.5).unwrap();
    ws.write_datetime_with_format(
        2,
        0,
        ExcelDateTime::parse_from_str("2021-04-06 14:30:00").unwrap(),
        &datetime,
    )
    .unwrap();
    ws.write_string(2, 1, "  Tọa đàm  ").unwrap();
    ws.write_number(2, 2, -3.0).unwrap();
    // Row 4 is left blank; row 5 carries the formula when asked for.
    ws.write_string(4, 1, "Tổng").unwrap();
    if with_formula {
        ws.write_formula(4, 2, Formula::new("=SUM(C2:C3)")).unwrap();
    } else {
        ws.write_number(4, 2, 117.0).unwrap();
    }
    // A second sheet is ignored.
    book.add_worksheet().write_string(0, 0, "khác").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn xlsx_text_numbers_and_dates() {
    let table = read(&xlsx_bytes(false)).unwrap();
    assert_eq!(
        table.header,
        strings(&["Ngày", "Nội dung", "Số người", "Kinh phí"])
    );
    assert_eq!(
        table.rows,
        vec![
            row(2, &["05/04/2021", "Hội nghị báo cáo viên", "120", "12.5"]),
            row(3, &["06/04/2021 14:30", "Tọa đàm", "-3", ""]),
            row(4, &["", "", "", ""]),
            row(5, &["", "Tổng", "117", ""]),
        ]
    );
}

#[test]
fn xlsx_formula_is_named() {
    let err = read(&xlsx_bytes(true)).unwrap_err();
    assert_eq!(err, OfficeError::Formula { cell: "C5".into() });
    assert_eq!(err.to_string(), "Ô C5 chứa công thức; hãy dán giá trị.");
}

#[test]
fn too_many_rows() {
    let mut csv = String::from("A\n");
    for i in 0..11 {
        csv.push_str(&format!("{i}\n"));
    }
    assert_eq!(read_table(csv.as_bytes(), MB, 11).unwrap().rows.len(), 11);
    let err = read_table(csv.as_bytes(), MB, 10).unwrap_err();
    assert_eq!(err, OfficeError::TooManyRows { max_rows: 10 });
    assert!(err.to_string().contains("10"));
    // Trailing blank rows do not count.
    csv.push_str("\n,\n\n");
    assert_eq!(read_table(csv.as_bytes(), MB, 11).unwrap().rows.len(), 11);

    let xlsx = xlsx_bytes(false);
    assert_eq!(read_table(&xlsx, MB, 4).unwrap().rows.len(), 4);
    assert_eq!(
        read_table(&xlsx, MB, 3),
        Err(OfficeError::TooManyRows { max_rows: 3 })
    );
}

#[test]
fn xlsx_row_cap_stops_early_on_huge_sheets() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "A").unwrap();
    ws.write_string(1_000_000, 0, "far away").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(
        read_table(&bytes, MB, 500),
        Err(OfficeError::TooManyRows { max_rows: 500 })
    );
}

#[test]
fn too_many_columns() {
    let wide = vec!["x"; MAX_COLUMNS + 1].join(",");
    assert_eq!(
        read(wide.as_bytes()),
        Err(OfficeError::TooManyColumns {
            max_columns: MAX_COLUMNS
        })
    );
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "A").unwrap();
    ws.write_string(1, 16_000, "xa").unwrap();
    assert!(matches!(
        read(&book.save_to_buffer().unwrap()),
        Err(OfficeError::TooManyColumns { .. })
    ));
}

#[test]
fn too_large() {
    let csv = "A\n1\n".repeat(10);
    let err = read_table(csv.as_bytes(), 10, 100).unwrap_err();
    assert_eq!(err, OfficeError::TooLarge { max_bytes: 10 });
    assert!(read_table(csv.as_bytes(), csv.len(), 100).is_ok());
}

#[test]
fn empty_inputs() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n", b" , ,\n"] {
        assert_eq!(read(bytes), Err(OfficeError::Empty), "{bytes:?}");
    }
    let mut book = Workbook::new();
    book.add_worksheet();
    assert_eq!(
        read(&book.save_to_buffer().unwrap()),
        Err(OfficeError::Empty)
    );
}

#[test]
fn wrong_bytes() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(read(png), Err(OfficeError::NotATable));
    assert_eq!(
        read(b"PK\x03\x04not really a zip"),
        Err(OfficeError::NotATable)
    );
    assert_eq!(
        read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
        Err(OfficeError::LegacyXls)
    );
    // Windows-1258 "Ngày" is not UTF-8.
    assert_eq!(read(b"Ng\xE0y,A\n1,2\n"), Err(OfficeError::NotUtf8));

    // A valid zip that is not a workbook (a .docx, say).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<w:document/>").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(read(&bytes), Err(OfficeError::NotATable));
}

#[test]
fn zip_bomb_is_refused() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let zeros = vec![b' '; MB];
    // 64 MiB against a cap of 40 times the 1 MiB upload limit.
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < MB, "compressed to {}", bytes.len());
    assert_eq!(read(&bytes), Err(OfficeError::Decompressed));
}
