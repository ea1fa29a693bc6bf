//! Reading back what the crate writes, independently of the writers.
#![allow(dead_code)] // each test file uses a different part

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use kehoach_office::{Paragraph, PartyReport, Signature};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// Every XML part of a zip package, by path.
pub fn xml_parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).expect("a readable member");
        let name = member.name().expect("a UTF-8 name").to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut text = String::new();
            member.read_to_string(&mut text).expect("UTF-8 XML");
            parts.insert(name, text);
        }
    }
    parts
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

fn reference(r: &BytesRef<'_>) -> Result<char, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => match &**r {
            "amp" => Ok('&'),
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "quot" => Ok('"'),
            "apos" => Ok('\''),
            other => Err(format!("unknown entity &{other};")),
        },
        Err(e) => Err(e.to_string()),
    }
}

/// Parses the whole document, checking end tags match, the root closes,
/// entities resolve and every character (raw or referenced) is allowed in
/// XML 1.0. quick-xml alone does not check the characters.
pub fn check_well_formed(xml: &str) -> Result<(), String> {
    if let Some(c) = xml.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!("raw character U+{:04X}", c as u32));
    }
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(_) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            Event::Empty(_) if depth == 0 => roots += 1,
            Event::GeneralRef(r) => {
                let c = reference(&r)?;
                if !is_xml_char(c) {
                    return Err(format!("referenced character U+{:04X}", c as u32));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 || roots != 1 {
        return Err(format!("depth {depth} at the end, {roots} root elements"));
    }
    Ok(())
}

/// What a run looks like to a reader of the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub size: Option<u32>,
    pub font: Option<String>,
}

/// A paragraph's text and layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParaInfo {
    pub text: String,
    pub runs: Vec<RunInfo>,
    pub align: Option<String>,
    pub first_line: Option<u32>,
    pub after: Option<u32>,
    /// The sides with a paragraph border ("top", "bottom", ...).
    pub borders: Vec<String>,
    pub in_table: bool,
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// A toggle property (`<w:b/>`) is on unless its value says otherwise.
fn toggle(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, "w:val").as_deref(), Some("false" | "0" | "none"))
}

/// Paragraphs in document order, table cells included.
pub fn paragraphs(xml: &str) -> Vec<ParaInfo> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut para: Option<ParaInfo> = None;
    let mut run: Option<RunInfo> = None;
    let mut in_text = false;
    let mut in_ppr = false;
    let mut in_pbdr = false;
    let mut table_depth = 0;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (e, is_start) = match &event {
            Event::Start(e) => (Some(e.clone()), true),
            Event::Empty(e) => (Some(e.clone()), false),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                "w:tbl" if is_start => table_depth += 1,
                "w:p" => {
                    let p = ParaInfo {
                        in_table: table_depth > 0,
                        ..ParaInfo::default()
                    };
                    if is_start {
                        para = Some(p);
                    } else {
                        out.push(p);
                    }
                }
                "w:pPr" if is_start => in_ppr = true,
                "w:pBdr" if is_start => in_pbdr = true,
                side if in_pbdr => {
                    let set = !matches!(attr(&e, "w:val").as_deref(), Some("nil" | "none"));
                    if let (true, Some(p)) = (set, para.as_mut()) {
                        p.borders.push(side.trim_start_matches("w:").to_string());
                    }
                }
                "w:jc" if in_ppr => para.as_mut().unwrap().align = attr(&e, "w:val"),
                "w:ind" if in_ppr => {
                    para.as_mut().unwrap().first_line =
                        attr(&e, "w:firstLine").and_then(|v| v.parse().ok());
                }
                "w:spacing" if in_ppr => {
                    para.as_mut().unwrap().after = attr(&e, "w:after").and_then(|v| v.parse().ok());
                }
                "w:r" if is_start => run = Some(RunInfo::default()),
                "w:b" if run.is_some() => run.as_mut().unwrap().bold = toggle(&e),
                "w:i" if run.is_some() => run.as_mut().unwrap().italic = toggle(&e),
                "w:u" if run.is_some() => run.as_mut().unwrap().underline = toggle(&e),
                "w:sz" if run.is_some() => {
                    run.as_mut().unwrap().size = attr(&e, "w:val").and_then(|v| v.parse().ok());
                }
                "w:rFonts" if run.is_some() => {
                    run.as_mut().unwrap().font = attr(&e, "w:ascii");
                }
                "w:t" if is_start => in_text = true,
                _ => {}
            }
            continue;
        }
        match event {
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => table_depth -= 1,
                "w:p" => out.extend(para.take()),
                "w:pPr" => in_ppr = false,
                "w:pBdr" => in_pbdr = false,
                "w:r" => {
                    if let (Some(r), Some(p)) = (run.take(), para.as_mut()) {
                        p.text.push_str(&r.text);
                        p.runs.push(r);
                    }
                }
                "w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => run.as_mut().unwrap().text.push_str(&t),
            Event::GeneralRef(r) if in_text => {
                run.as_mut().unwrap().text.push(reference(&r).unwrap());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Every run in the document, with the given text.
pub fn runs_with<'a>(paras: &'a [ParaInfo], text: &str) -> Vec<&'a RunInfo> {
    paras
        .iter()
        .flat_map(|p| &p.runs)
        .filter(|r| r.text == text)
        .collect()
}

/// The first `<tag .../>` element's attributes.
pub fn element_attrs(xml: &str, tag: &str) -> Option<BTreeMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == tag => {
                return Some(
                    e.attributes()
                        .flatten()
                        .map(|a| (a.key.as_ref().to_string(), a.value.into_owned()))
                        .collect(),
                );
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

pub fn sample_report() -> PartyReport {
    let mut body = Paragraph::from_plain(
        "I. KẾT QUẢ THỰC HIỆN\n\
         1. Công tác tuyên truyền trên báo chí\n\
         Các cơ quan báo chí của tỉnh đã đăng tải 245 tin, bài về kết quả thực hiện Nghị quyết.\n\
         - Báo Phú Yên: 120 tin, bài;\n\
         + Trong đó có 15 bài chuyên đề;\n\
         \n\
         2. Công tác tuyên truyền cổ động trực quan\n\
         II. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2021\n\
         Tiếp tục triển khai thực hiện Kế hoạch số 12-KH/TU & các văn bản liên quan.",
    );
    body.insert(
        5,
        Paragraph::Table {
            header: vec!["STT".into(), "Cơ quan".into(), "Số tin, bài".into()],
            rows: vec![
                vec!["1".into(), "Báo Phú Yên".into(), "120".into()],
                vec!["2".into(), "Đài Phát thanh và Truyền hình tỉnh".into()],
            ],
        },
    );
    PartyReport {
        superior: Some("Đảng bộ tỉnh Phú Yên".into()),
        issuer: "TỈNH ỦY PHÚ YÊN".into(),
        number: "Số 25-BC/TU".into(),
        place: "Tuy Hòa".into(),
        date: (5, 4, 2021),
        title: "BÁO CÁO".into(),
        summary: "kết quả thực hiện Kế hoạch số 12-KH/TU quý I năm 2021".into(),
        body,
        recipients: vec![
            "Ban Tuyên giáo Trung ương (b/c)".into(),
            "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy".into(),
            "Lưu Văn phòng Tỉnh ủy".into(),
        ],
        signature: Signature {
            authority: Some("T/M BAN THƯỜNG VỤ".into()),
            role: "PHÓ BÍ THƯ".into(),
            name: "Nguyễn Văn An".into(),
        },
    }
}
