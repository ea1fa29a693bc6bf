mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::{check_well_formed, element_attrs, xml_parts};
use kehoach_office::{Cell, OfficeError, Sheet, csv_bytes, workbook_xlsx};

fn activities() -> Sheet {
    Sheet {
        name: "Hoạt động quý I/2021".into(),
        header: vec![
            "STT".into(),
            "Nội dung".into(),
            "Ngày".into(),
            "Kinh phí (triệu đồng)".into(),
        ],
        rows: vec![
            vec![
                Cell::Integer(1),
                Cell::Text("Hội nghị báo cáo viên".into()),
                Cell::Date {
                    year: 2021,
                    month: 4,
                    day: 5,
                },
                Cell::Number(12.5),
            ],
            vec![
                Cell::Integer(2),
                Cell::Text("=HYPERLINK(\"x\")".into()),
                Cell::Empty,
                Cell::Number(f64::NAN),
            ],
            vec![Cell::Integer(9_007_199_254_740_993)],
        ],
        column_widths: vec![6.0, 40.0],
    }
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens it")
}

#[test]
fn xlsx_reads_back_with_calamine() {
    let second = Sheet {
        name: "hoạt động quý i/2021".into(),
        header: vec!["A".into()],
        rows: vec![vec![Cell::Text("b".into())]],
        column_widths: vec![],
    };
    let mut book = open(workbook_xlsx(&[activities(), second]).unwrap());
    assert_eq!(
        book.sheet_names(),
        ["Hoạt động quý I-2021", "hoạt động quý i-2021 (2)"]
    );

    let range = book.worksheet_range("Hoạt động quý I-2021").unwrap();
    let row = |r: usize| range.rows().nth(r).unwrap().to_vec();
    assert_eq!(
        row(0),
        [
            Data::String("STT".into()),
            Data::String("Nội dung".into()),
            Data::String("Ngày".into()),
            Data::String("Kinh phí (triệu đồng)".into()),
        ]
    );
    let first = row(1);
    assert_eq!(first[0], Data::Float(1.0));
    assert_eq!(first[1], Data::String("Hội nghị báo cáo viên".into()));
    match &first[2] {
        Data::DateTime(dt) => {
            assert!(dt.is_datetime());
            assert_eq!(dt.to_ymd_hms_milli(), (2021, 4, 5, 0, 0, 0, 0));
        }
        other => panic!("expected a date, got {other:?}"),
    }
    assert_eq!(first[3], Data::Float(12.5));

    let second_row = row(2);
    // Text that looks like a formula stays text in a workbook.
    assert_eq!(second_row[1], Data::String("=HYPERLINK(\"x\")".into()));
    assert_eq!(second_row[2], Data::Empty);
    assert_eq!(second_row[3], Data::Empty, "NaN has no cell form");
    // Beyond 2^53 an integer is kept exact as text.
    assert_eq!(row(3)[0], Data::String("9007199254740993".into()));

    let other = book.worksheet_range("hoạt động quý i-2021 (2)").unwrap();
    assert_eq!(other.get_value((1, 0)), Some(&Data::String("b".into())));
}

#[test]
fn xlsx_header_is_bold_frozen_and_filtered() {
    let bytes = workbook_xlsx(&[activities()]).unwrap();
    let parts = xml_parts(&bytes);
    for (name, xml) in &parts {
        check_well_formed(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let sheet = &parts["xl/worksheets/sheet1.xml"];
    let pane = element_attrs(sheet, "pane").expect("a frozen pane");
    assert_eq!(pane["ySplit"], "1");
    assert_eq!(pane["state"], "frozen");
    assert_eq!(element_attrs(sheet, "autoFilter").unwrap()["ref"], "A1:D4");
    // Given widths for the first two columns, estimated for the rest.
    let cols = sheet.matches("<col ").count();
    assert!(cols >= 4, "{sheet}");

    let styles = &parts["xl/styles.xml"];
    assert!(styles.contains(r#"<name val="Times New Roman"/>"#));
    assert!(styles.contains(r#"<sz val="12"/>"#));
    assert!(styles.contains(r#"formatCode="dd/mm/yyyy""#));
    assert!(styles.contains("<b/>"));
}

#[test]
fn xlsx_edge_cases() {
    // No sheets at all still makes a workbook that opens.
    let book = open(workbook_xlsx(&[]).unwrap());
    assert_eq!(book.sheet_names().len(), 1);

    // An empty sheet with an awkward name.
    let empty = Sheet {
        name: "  ''  ".into(),
        header: vec![],
        rows: vec![],
        column_widths: vec![f64::NAN, -3.0, 1e9],
    };
    let book = open(workbook_xlsx(&[empty]).unwrap());
    assert_eq!(book.sheet_names(), ["Trang 1"]);

    let bad = Sheet {
        name: "x".into(),
        header: vec![],
        rows: vec![vec![Cell::Date {
            year: 2021,
            month: 2,
            day: 30,
        }]],
        column_widths: vec![],
    };
    assert_eq!(
        workbook_xlsx(&[bad]),
        Err(OfficeError::InvalidDate {
            day: 30,
            month: 2,
            year: 2021
        })
    );

    let wide = Sheet {
        name: "rộng".into(),
        header: vec![String::new(); 16_385],
        rows: vec![],
        column_widths: vec![],
    };
    assert!(matches!(
        workbook_xlsx(&[wide]),
        Err(OfficeError::SheetTooLarge { .. })
    ));
}

#[test]
fn csv_has_bom_crlf_and_neutralised_formulas() {
    let header = vec!["Nội dung".to_string(), "Ghi chú".to_string()];
    let rows = vec![
        vec![
            Cell::Text("=1+2".into()),
            Cell::Text("+84 912 345 678".into()),
        ],
        vec![Cell::Text("-giảm".into()), Cell::Text("@SUM(A1)".into())],
        vec![
            Cell::Text("có dấu phẩy, và \"ngoặc kép\"".into()),
            Cell::Text("hai\ndòng".into()),
        ],
        vec![Cell::Number(-2.0), Cell::Number(2.5)],
        vec![
            Cell::Integer(-7),
            Cell::Date {
                year: 2021,
                month: 4,
                day: 5,
            },
        ],
        vec![Cell::Empty, Cell::Text("thường".into())],
    ];
    let bytes = csv_bytes(&header, &rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_eq!(
        text,
        "Nội dung,Ghi chú\r\n\
         '=1+2,'+84 912 345 678\r\n\
         '-giảm,'@SUM(A1)\r\n\
         \"có dấu phẩy, và \"\"ngoặc kép\"\"\",\"hai\ndòng\"\r\n\
         -2,2.5\r\n\
         -7,05/04/2021\r\n\
         ,thường\r\n"
    );
    // Every record ends in CRLF; the only bare LF is inside a quoted field.
    assert_eq!(text.matches("\r\n").count(), 7);
}

#[test]
fn csv_of_nothing_is_just_the_bom_and_header() {
    assert_eq!(csv_bytes(&[], &[]), b"\xEF\xBB\xBF\r\n");
}
