mod common;

use common::{check_well_formed, element_attrs, paragraphs, runs_with, sample_report, xml_parts};
use kehoach_office::{OfficeError, Paragraph, party_report_docx};

fn document_xml(report: &kehoach_office::PartyReport) -> String {
    let bytes = party_report_docx(report).expect("the report is written");
    xml_parts(&bytes)
        .remove("word/document.xml")
        .expect("word/document.xml")
}

#[test]
fn every_part_is_well_formed() {
    let bytes = party_report_docx(&sample_report()).unwrap();
    let parts = xml_parts(&bytes);
    assert!(parts.contains_key("word/document.xml"));
    assert!(parts.contains_key("[Content_Types].xml"));
    assert!(parts["docProps/core.xml"].contains("2021-04-05T00:00:00Z"));
    for (name, xml) in &parts {
        check_well_formed(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn contains_the_expected_texts() {
    let paras = paragraphs(&document_xml(&sample_report()));
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    for expected in [
        "ĐẢNG BỘ TỈNH PHÚ YÊN",
        "TỈNH ỦY PHÚ YÊN",
        "*",
        "Số 25-BC/TU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Tuy Hòa, ngày 05 tháng 04 năm 2021",
        "BÁO CÁO",
        "kết quả thực hiện Kế hoạch số 12-KH/TU quý I năm 2021",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác tuyên truyền trên báo chí",
        "- Báo Phú Yên: 120 tin, bài;",
        "+ Trong đó có 15 bài chuyên đề;",
        "Tiếp tục triển khai thực hiện Kế hoạch số 12-KH/TU & các văn bản liên quan.",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Nơi nhận:",
        "- Ban Tuyên giáo Trung ương (b/c);",
        "- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy;",
        "- Lưu Văn phòng Tỉnh ủy.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn An",
    ] {
        assert!(
            texts.contains(&expected),
            "missing {expected:?} in {texts:#?}"
        );
    }
}

#[test]
fn paragraph_texts_snapshot() {
    let paras = paragraphs(&document_xml(&sample_report()));
    let lines: Vec<String> = paras
        .iter()
        .filter(|p| !p.text.is_empty())
        .map(|p| {
            let place = if p.in_table { "| " } else { "" };
            format!("{place}{}", p.text)
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn runs_are_times_new_roman_and_body_is_14pt() {
    let paras = paragraphs(&document_xml(&sample_report()));
    let runs: Vec<_> = paras.iter().flat_map(|p| &p.runs).collect();
    assert!(!runs.is_empty());
    for r in &runs {
        assert_eq!(r.font.as_deref(), Some("Times New Roman"), "{r:?}");
    }
    let body = paras
        .iter()
        .find(|p| p.text.starts_with("Các cơ quan báo chí"))
        .unwrap();
    assert_eq!(body.runs[0].size, Some(28));
    assert!(!body.runs[0].bold);
    assert_eq!(body.align.as_deref(), Some("both"));
    assert_eq!(body.first_line, Some(720));
    assert_eq!(body.after, Some(120));

    let bytes = party_report_docx(&sample_report()).unwrap();
    let styles = &xml_parts(&bytes)["word/styles.xml"];
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
    assert!(styles.contains(r#"<w:sz w:val="28""#));
}

#[test]
fn heading_blocks_follow_the_party_format() {
    let paras = paragraphs(&document_xml(&sample_report()));
    let only = |text: &str| {
        let found = runs_with(&paras, text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        found[0].clone()
    };

    let superior = only("ĐẢNG BỘ TỈNH PHÚ YÊN");
    assert!(!superior.bold);
    assert_eq!(superior.size, Some(28));
    let issuer = only("TỈNH ỦY PHÚ YÊN");
    assert!(issuer.bold);
    assert_eq!(issuer.size, Some(28));
    assert!(!only("Số 25-BC/TU").bold);
    let party = only("ĐẢNG CỘNG SẢN VIỆT NAM");
    assert!(party.bold);
    assert_eq!(party.size, Some(30));
    let date = only("Tuy Hòa, ngày 05 tháng 04 năm 2021");
    assert!(date.italic);
    let title = only("BÁO CÁO");
    assert!(title.bold);
    assert_eq!(title.size, Some(32));
    assert!(only("kết quả thực hiện Kế hoạch số 12-KH/TU quý I năm 2021").bold);

    // The heading block is a two-column table; the rule under
    // "ĐẢNG CỘNG SẢN VIỆT NAM" is a bottom border on its paragraph.
    let party_para = paras
        .iter()
        .find(|p| p.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
        .unwrap();
    assert!(party_para.in_table);
    assert_eq!(party_para.borders, ["bottom"]);
    assert_eq!(party_para.align.as_deref(), Some("center"));
    // And the short rule under the title block.
    let title_at = paras.iter().position(|p| p.text == "BÁO CÁO").unwrap();
    assert_eq!(paras[title_at + 2].borders, ["bottom"]);
    assert!(paras[title_at + 2].text.is_empty());
    assert_eq!(paras.iter().filter(|p| !p.borders.is_empty()).count(), 2);
}

#[test]
fn body_headings_are_bold_and_bullets_dashed() {
    let paras = paragraphs(&document_xml(&sample_report()));
    for heading in [
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác tuyên truyền trên báo chí",
    ] {
        let r = &runs_with(&paras, heading)[0];
        assert!(r.bold, "{heading}");
        assert_eq!(r.size, Some(28));
    }
    assert!(!runs_with(&paras, "- Báo Phú Yên: 120 tin, bài;")[0].bold);
}

#[test]
fn body_table_is_bordered_with_a_bold_header() {
    let xml = document_xml(&sample_report());
    let paras = paragraphs(&xml);
    let header = &runs_with(&paras, "Cơ quan")[0];
    assert!(header.bold);
    assert_eq!(header.size, Some(24));
    let cell = &runs_with(&paras, "Báo Phú Yên")[0];
    assert!(!cell.bold);
    assert_eq!(cell.size, Some(24));
    // The short row is padded to three cells.
    let row_start = paras
        .iter()
        .position(|p| p.text == "Đài Phát thanh và Truyền hình tỉnh")
        .unwrap();
    assert!(paras[row_start + 1].in_table && paras[row_start + 1].text.is_empty());
    assert!(xml.contains(r#"<w:insideH w:val="single""#));
    // The header and closing tables have no borders.
    assert!(xml.contains(r#"<w:insideV w:val="nil""#));
}

#[test]
fn closing_block() {
    let paras = paragraphs(&document_xml(&sample_report()));
    let label = &runs_with(&paras, "Nơi nhận:")[0];
    assert!(label.bold && label.underline);
    for recipient in [
        "- Ban Tuyên giáo Trung ương (b/c);",
        "- Lưu Văn phòng Tỉnh ủy.",
    ] {
        let r = &runs_with(&paras, recipient)[0];
        assert_eq!(r.size, Some(24));
        assert!(!r.bold);
    }
    for signer in ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn An"] {
        let r = &runs_with(&paras, signer)[0];
        assert!(r.bold, "{signer}");
        assert_eq!(r.size, Some(28));
    }
    // Blank lines for the signature and seal between the role and the name.
    let role = paras.iter().position(|p| p.text == "PHÓ BÍ THƯ").unwrap();
    let name = paras
        .iter()
        .position(|p| p.text == "Nguyễn Văn An")
        .unwrap();
    assert!(name - role >= 4);
    assert!(paras[role + 1..name].iter().all(|p| p.text.is_empty()));
}

#[test]
fn a4_page_with_party_margins() {
    let xml = document_xml(&sample_report());
    let size = element_attrs(&xml, "w:pgSz").expect("w:pgSz");
    assert_eq!(size["w:w"], "11906");
    assert_eq!(size["w:h"], "16838");
    let margin = element_attrs(&xml, "w:pgMar").expect("w:pgMar");
    let twips = |k: &str| margin[k].parse::<i32>().unwrap();
    let mm = |v: i32| v as f64 * 25.4 / 1440.0;
    for (key, expected_mm) in [
        ("w:top", 25.0),
        ("w:bottom", 25.0),
        ("w:left", 35.0),
        ("w:right", 15.0),
    ] {
        let got = mm(twips(key));
        assert!((got - expected_mm).abs() < 0.1, "{key}: {got} mm");
    }
    assert_eq!(twips("w:top"), 1417);
    assert_eq!(twips("w:left"), 1984);
    assert_eq!(twips("w:right"), 850);
}

#[test]
fn page_numbers_start_on_page_two() {
    let bytes = party_report_docx(&sample_report()).unwrap();
    let parts = xml_parts(&bytes);
    let document = &parts["word/document.xml"];
    assert!(
        document.contains("<w:titlePg"),
        "first page has its own header"
    );
    assert!(document.contains(r#"w:type="first""#));
    assert!(document.contains(r#"w:type="default""#));
    let headers: Vec<&String> = parts
        .iter()
        .filter(|(name, _)| name.starts_with("word/header"))
        .map(|(_, xml)| xml)
        .collect();
    assert_eq!(headers.len(), 2);
    assert_eq!(headers.iter().filter(|h| h.contains("PAGE")).count(), 1);
    let numbered = headers.iter().find(|h| h.contains("PAGE")).unwrap();
    assert!(numbered.contains(r#"<w:jc w:val="center""#));
}

#[test]
fn optional_parts_can_be_left_out() {
    let mut report = sample_report();
    report.superior = None;
    report.signature.authority = None;
    report.signature.role = "TRƯỞNG BAN".into();
    report.recipients.clear();
    report.body.clear();
    report.summary.clear();
    report.place.clear();
    report.number = "Số    -BC/BTGTU".into();
    report.issuer = "Ban Tuyên giáo Tỉnh ủy".into();
    let xml = document_xml(&report);
    check_well_formed(&xml).unwrap();
    let texts: Vec<String> = paragraphs(&xml).into_iter().map(|p| p.text).collect();
    assert!(texts.contains(&"BAN TUYÊN GIÁO TỈNH ỦY".to_string()));
    assert!(
        texts.contains(&"Số    -BC/BTGTU".to_string()),
        "spaces kept"
    );
    assert!(texts.contains(&"ngày 05 tháng 04 năm 2021".to_string()));
    assert!(!texts.iter().any(|t| t.starts_with("- ")));
    assert!(!texts.iter().any(|t| t.contains("T/M")));
}

#[test]
fn control_characters_are_dropped() {
    let mut report = sample_report();
    report.issuer = "TỈNH ỦY\u{0} PHÚ\u{1b} YÊN".into();
    report.summary = "dòng một\ndòng hai\u{fffe}".into();
    report.body = vec![Paragraph::Text("a\u{8}b".into())];
    let xml = document_xml(&report);
    check_well_formed(&xml).unwrap();
    let texts: Vec<String> = paragraphs(&xml).into_iter().map(|p| p.text).collect();
    assert!(texts.contains(&"TỈNH ỦY PHÚ YÊN".to_string()));
    assert!(texts.contains(&"dòng một dòng hai".to_string()));
    assert!(texts.contains(&"ab".to_string()));
}

#[test]
fn empty_table_is_skipped() {
    let mut report = sample_report();
    report.body = vec![
        Paragraph::Table {
            header: vec![],
            rows: vec![vec![], vec![]],
        },
        Paragraph::Text("x".into()),
    ];
    let xml = document_xml(&report);
    assert_eq!(
        xml.matches("<w:tbl>").count(),
        2,
        "only the heading and closing tables"
    );
}

#[test]
fn impossible_dates_are_refused() {
    for date in [
        (0, 4, 2021),
        (31, 4, 2021),
        (29, 2, 2021),
        (1, 13, 2021),
        (1, 1, 0),
    ] {
        let mut report = sample_report();
        report.date = date;
        assert!(
            matches!(
                party_report_docx(&report),
                Err(OfficeError::InvalidDate { .. })
            ),
            "{date:?}"
        );
    }
    let mut report = sample_report();
    report.date = (29, 2, 2024);
    assert!(party_report_docx(&report).is_ok());
}

/// Converting with LibreOffice catches documents that parse as XML but that
/// an office suite rejects. Skipped where LibreOffice is not installed.
#[test]
fn libreoffice_converts_to_pdf() {
    let Ok(status) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        return;
    };
    if !status.status.success() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("kehoach-office-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("bao-cao.docx");
    std::fs::write(&docx, party_report_docx(&sample_report()).unwrap()).unwrap();
    let out = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .unwrap();
    let pdf = std::fs::read(dir.join("bao-cao.pdf"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{out:?}");
    assert!(pdf.unwrap().starts_with(b"%PDF"));
}
