//! Decoding: text encodings, .docx, and every kind of unusable input.

use std::io::{Cursor, Write};

use kehoach_plan::{MAX_INPUT_BYTES, ParseError, decode, parse_bytes, parse_text};
use unicode_normalization::UnicodeNormalization;
use zip::write::SimpleFileOptions;

const SEED: &str = include_str!("../../../fixtures/plans/plan-2021.txt");

fn seed_plan() -> kehoach_plan::PlanDocument {
    parse_text(SEED).unwrap()
}

#[test]
fn utf8_with_bom_and_crlf() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(SEED.replace('\n', "\r\n").as_bytes());
    assert_eq!(decode(&bytes).unwrap(), SEED);
    assert_eq!(parse_bytes(&bytes).unwrap(), seed_plan());
}

#[test]
fn utf16_with_bom() {
    let mut le = vec![0xFF, 0xFE];
    le.extend(SEED.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(SEED.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(decode(&le).unwrap(), SEED);
    assert_eq!(parse_bytes(&be).unwrap(), seed_plan());
    // An odd byte count cannot be UTF-16.
    le.push(0x41);
    assert_eq!(decode(&le), Err(ParseError::UnsupportedEncoding));
}

/// Windows-1258 writes Vietnamese as a base letter (possibly with a
/// circumflex, breve or horn) followed by a combining tone mark.
fn detone(s: &str) -> String {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::new();
    for c in s.chars() {
        let parts: Vec<char> = c.to_string().nfd().collect();
        let base: String = parts
            .iter()
            .filter(|p| !TONES.contains(p))
            .collect::<String>()
            .nfc()
            .collect();
        out.push_str(&base);
        out.extend(parts.iter().filter(|p| TONES.contains(p)));
    }
    out
}

#[test]
fn windows_1258() {
    let decomposed = detone(SEED);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&decomposed);
    assert!(
        !unmappable,
        "the seed must be representable in Windows-1258"
    );
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(decode(&bytes).unwrap(), SEED);
    assert_eq!(parse_bytes(&bytes).unwrap(), seed_plan());
}

#[test]
fn nfd_text_gives_the_same_structure() {
    let nfd: String = SEED.nfd().collect();
    assert_ne!(nfd, SEED);
    assert_eq!(parse_text(&nfd).unwrap(), seed_plan());
    assert_eq!(parse_bytes(nfd.as_bytes()).unwrap(), seed_plan());
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal .docx whose body is `body_xml`.
fn docx(body_xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body_xml}<w:sectPr/></w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

fn paragraph(line: &str) -> String {
    let mut runs = String::new();
    for (i, part) in line.split('\t').enumerate() {
        if i > 0 {
            runs.push_str("<w:r><w:tab/></w:r>");
        }
        if !part.is_empty() {
            runs.push_str(&format!(
                r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
                escape(part)
            ));
        }
    }
    format!(r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>{runs}</w:p>"#)
}

fn seed_docx() -> Vec<u8> {
    docx(&SEED.split('\n').map(paragraph).collect::<String>())
}

#[test]
fn docx_gives_the_same_structure_as_txt() {
    let bytes = seed_docx();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let text = decode(&bytes).unwrap();
    assert!(text == SEED, "docx text differs from the .txt");
    assert_eq!(parse_bytes(&bytes).unwrap(), seed_plan());
}

#[test]
fn docx_table_cells_become_lines() {
    let cell = |paras: &[&str]| {
        format!(
            "<w:tc>{}</w:tc>",
            paras.iter().map(|p| paragraph(p)).collect::<String>()
        )
    };
    let letterhead = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell(&["ỦY BAN NHÂN DÂN", "TỈNH PHÚ YÊN"]),
        cell(&[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc"
        ]),
        cell(&["Số: 159/KH-UBND"]),
        cell(&["Phú Yên, ngày 16 tháng 5 năm 2025"]),
    );
    let body: String = [
        "KẾ HOẠCH",
        "Tuyên truyền về chuyển đổi số năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao nhận thức của Nhân dân.",
        "II. TỔ CHỨC THỰC HIỆN",
        "Sở Thông tin và Truyền thông: Chủ trì triển khai, báo cáo trước ngày 15/12/2025.",
    ]
    .iter()
    .map(|l| paragraph(l))
    .collect();
    let plan = parse_bytes(&docx(&(letterhead + &body))).unwrap();
    assert_eq!(plan.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN"));
    assert_eq!(plan.number.as_deref(), Some("159/KH-UBND"));
    assert_eq!(plan.date.as_deref(), Some("2025-05-16"));
    assert_eq!(plan.duties[0].deadline.as_deref(), Some("2025-12-15"));
    assert_eq!(plan.duties[0].line, 12);
}

#[test]
fn zip_that_is_not_a_docx() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"KE HOACH").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(parse_bytes(&bytes), Err(ParseError::CorruptDocx));
}

#[test]
fn truncated_docx() {
    let bytes = seed_docx();
    for cut in [4, 30, bytes.len() / 2, bytes.len() - 10] {
        assert_eq!(
            parse_bytes(&bytes[..cut]),
            Err(ParseError::CorruptDocx),
            "cut at {cut}"
        );
    }
}

#[test]
fn docx_with_broken_xml() {
    let bytes = docx("<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p><w:p><w:r><w:t>x &bogus y</w:t>");
    assert_eq!(parse_bytes(&bytes), Err(ParseError::CorruptDocx));
}

#[test]
fn docx_without_text_is_empty() {
    assert_eq!(
        parse_bytes(&docx("<w:p/><w:p></w:p>")),
        Err(ParseError::Empty)
    );
}

#[test]
fn zip_bomb_is_refused() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..51 {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < MAX_INPUT_BYTES);
    let err = parse_bytes(&bytes).unwrap_err();
    assert_eq!(err.code(), "docx_too_large");
}

#[test]
fn ole_compound_file() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 4096));
    let err = parse_bytes(&bytes).unwrap_err();
    assert_eq!(err, ParseError::EncryptedOrLegacyDoc);
    assert!(err.to_string().contains(".doc"));
}

#[test]
fn empty_input() {
    assert_eq!(parse_bytes(b""), Err(ParseError::Empty));
    assert_eq!(parse_bytes(b" \r\n\t\r\n"), Err(ParseError::Empty));
    assert_eq!(parse_text(""), Err(ParseError::Empty));
    assert_eq!(
        ParseError::Empty.to_string(),
        "Tệp rỗng: không có nội dung để nhập."
    );
}

#[test]
fn random_binary() {
    // A fixed pseudo-random stream, so the test is repeatable.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert_eq!(parse_bytes(&bytes), Err(ParseError::Binary));
    // A PNG header is binary too.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert_eq!(parse_bytes(png), Err(ParseError::Binary));
}

#[test]
fn text_that_is_not_a_plan() {
    let letter =
        "Kính gửi: Ban biên tập\nTôi xin gửi bài viết về du lịch biển Phú Yên.\nTrân trọng cảm ơn.";
    let err = parse_bytes(letter.as_bytes()).unwrap_err();
    assert_eq!(err, ParseError::NotAPlan);
    assert_eq!(err.code(), "not_a_plan");
    assert!(err.to_string().starts_with("Không nhận ra kế hoạch"));
}

#[test]
fn too_large() {
    let bytes = vec![b'a'; 11 * 1024 * 1024];
    let err = parse_bytes(&bytes).unwrap_err();
    assert_eq!(
        err,
        ParseError::TooLarge {
            limit_bytes: MAX_INPUT_BYTES
        }
    );
    assert_eq!(err.to_string(), "Tệp quá lớn: giới hạn 10 MB.");
    assert_eq!(
        parse_text(&"a".repeat(MAX_INPUT_BYTES + 1))
            .unwrap_err()
            .code(),
        "too_large"
    );
}

#[test]
fn utf32_is_unsupported() {
    let mut bytes = vec![0xFF, 0xFE, 0x00, 0x00];
    bytes.extend("KẾ HOẠCH".chars().flat_map(|c| (c as u32).to_le_bytes()));
    assert_eq!(parse_bytes(&bytes), Err(ParseError::UnsupportedEncoding));
}

#[test]
fn errors_serialise_with_code_and_message() {
    let json = serde_json::to_value(ParseError::TooLarge {
        limit_bytes: MAX_INPUT_BYTES,
    })
    .unwrap();
    assert_eq!(json["code"], "too_large");
    assert_eq!(json["message"], "Tệp quá lớn: giới hạn 10 MB.");
    assert_eq!(json["limit_bytes"], MAX_INPUT_BYTES);
    let json = serde_json::to_value(ParseError::CorruptDocx).unwrap();
    assert_eq!(json["code"], "corrupt_docx");
    assert_eq!(
        json["message"],
        "Tệp .docx bị hỏng hoặc không phải tài liệu Word."
    );
}

/// The seed as Word writes it when "I.", "1." and "1.1." come from its list
/// numbering: the labels live in numbering.xml, not in the text.
fn seed_docx_with_list_numbering() -> Vec<u8> {
    let mut body = String::new();
    for line in SEED.split('\n') {
        let t = line.trim_start();
        let roman = ["I. ", "II. ", "III. ", "IV. "]
            .iter()
            .find(|r| t.starts_with(**r));
        let digits: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let (level, rest) = if let Some(r) = roman {
            (Some(0), &t[r.len()..])
        } else if digits.ends_with('.')
            && t[digits.len()..].starts_with(' ')
            && digits.matches('.').count() <= 2
        {
            (Some(digits.matches('.').count()), &t[digits.len() + 1..])
        } else {
            (None, line)
        };
        match level {
            Some(l) => body.push_str(&format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                escape(rest)
            )),
            None => body.push_str(&paragraph(line)),
        }
    }
    let numbering = r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
    let plain = docx(&body);
    let mut archive = zip::ZipArchive::new(Cursor::new(plain)).unwrap();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        zip.raw_copy_file(archive.by_index(i).unwrap()).unwrap();
    }
    zip.start_file("word/numbering.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(numbering.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn word_list_numbering_is_rendered_before_parsing() {
    let doc = parse_bytes(&seed_docx_with_list_numbering()).unwrap();
    let seed = seed_plan();
    let numbers = |d: &kehoach_plan::PlanDocument| {
        d.themes
            .iter()
            .map(|t| t.number.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&doc), numbers(&seed));
    assert_eq!(doc.sections.len(), 4);
    assert_eq!(doc.sections[3].number, "IV");
    assert_eq!(doc.duties.len(), seed.duties.len());
    assert_eq!(
        doc.units.iter().map(|u| &u.name).collect::<Vec<_>>(),
        seed.units.iter().map(|u| &u.name).collect::<Vec<_>>()
    );
}
