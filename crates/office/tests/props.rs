mod common;

use common::{check_well_formed, xml_parts};
use kehoach_office::{Paragraph, PartyReport, Signature, party_report_docx, read_table};
use proptest::prelude::*;

/// Any characters at all, control characters and non-characters included.
fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter)
}

fn any_paragraph() -> impl Strategy<Value = Paragraph> {
    prop_oneof![
        any_text().prop_map(Paragraph::Heading),
        any_text().prop_map(Paragraph::SubHeading),
        any_text().prop_map(Paragraph::Text),
        any_text().prop_map(Paragraph::Bullet),
        (
            prop::collection::vec(any_text(), 0..3),
            prop::collection::vec(prop::collection::vec(any_text(), 0..4), 0..3)
        )
            .prop_map(|(header, rows)| Paragraph::Table { header, rows }),
    ]
}

fn any_report() -> impl Strategy<Value = PartyReport> {
    (
        (
            prop::option::of(any_text()),
            any_text(),
            any_text(),
            any_text(),
        ),
        (any_text(), any_text()),
        prop::collection::vec(any_paragraph(), 0..6),
        prop::collection::vec(any_text(), 0..4),
        (prop::option::of(any_text()), any_text(), any_text()),
    )
        .prop_map(
            |(
                (superior, issuer, number, place),
                (title, summary),
                body,
                recipients,
                (authority, role, name),
            )| PartyReport {
                superior,
                issuer,
                number,
                place,
                date: (5, 4, 2021),
                title,
                summary,
                body,
                recipients,
                signature: Signature {
                    authority,
                    role,
                    name,
                },
            },
        )
}

/// A small real workbook to corrupt.
fn sample_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Ngày").unwrap();
    ws.write_string(0, 1, "Nội dung").unwrap();
    ws.write_number(1, 0, 45000.0).unwrap();
    ws.write_string(1, 1, "Hội nghị").unwrap();
    book.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn docx_is_always_well_formed(report in any_report()) {
        let bytes = party_report_docx(&report).expect("a valid date always writes");
        for (name, xml) in xml_parts(&bytes) {
            prop_assert!(check_well_formed(&xml).is_ok(), "{name}: {:?}", check_well_formed(&xml));
        }
    }

    #[test]
    fn read_table_never_panics_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        max_rows in 0usize..20,
    ) {
        let _ = read_table(&bytes, 1024, max_rows);
    }

    #[test]
    fn read_table_never_panics_on_zip_like_bytes(
        tail in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let _ = read_table(&bytes, 4096, 10);
    }

    #[test]
    fn read_table_never_panics_on_corrupted_xlsx(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = sample_xlsx();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = read_table(&bytes, 1 << 20, 10);
    }

    #[test]
    fn csv_text_always_reads_or_fails_cleanly(text in "[a-zA-ZàáạảãêếệỳđĐ0-9 ,;\"\\r\\n]{0,200}") {
        if let Ok(table) = read_table(text.as_bytes(), 1 << 20, 1000) {
            prop_assert!(!table.header.is_empty());
            let mut last = 0;
            for row in &table.rows {
                prop_assert!(row.line > last);
                prop_assert!(row.cells.len() >= table.header.len());
                last = row.line;
            }
        }
    }

    #[test]
    fn from_plain_keeps_every_non_blank_line(text in any_text()) {
        let paragraphs = Paragraph::from_plain(&text);
        let non_blank = text
            .lines()
            .filter(|l| !l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty())
            .count();
        prop_assert_eq!(paragraphs.len(), non_blank);
    }
}
