//! The top of a document: letterhead (issuer, number, place and date), the
//! type heading ("KẾ HOẠCH"), the subject line(s) and the preamble.

use crate::dates::find_dated;
use crate::fold::{fold_prefix, is_caps, squash, starts_lower, strip_word};
use crate::lines::{Line, Marker, cells};
use crate::model::Block;

/// Longest first, so "CHƯƠNG TRÌNH HÀNH ĐỘNG" wins over "CHƯƠNG TRÌNH".
const KINDS: &[&str] = &[
    "CHƯƠNG TRÌNH HÀNH ĐỘNG",
    "KẾ HOẠCH LIÊN TỊCH",
    "HƯỚNG DẪN LIÊN TỊCH",
    "KẾ HOẠCH",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
    "BÁO CÁO",
    "ĐỀ CƯƠNG",
    "THÔNG BÁO",
    "THÔNG TRI",
    "QUYẾT ĐỊNH",
    "CHỈ THỊ",
    "NGHỊ QUYẾT",
    "KẾT LUẬN",
    "ĐỀ ÁN",
    "PHƯƠNG ÁN",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "TỜ TRÌNH",
    "CÔNG VĂN",
    "CÔNG ĐIỆN",
];

/// How far into a document without Roman sections the type heading may be.
const HEADER_SCAN_LINES: usize = 60;

pub(crate) struct KindLine<'a> {
    pub idx: usize,
    pub kind: &'static str,
    /// Subject text written on the same line as the type, if any.
    pub rest: &'a str,
}

pub(crate) fn find_kind<'a>(lines: &[Line<'a>], limit: usize) -> Option<KindLine<'a>> {
    lines
        .iter()
        .take(limit)
        .enumerate()
        .find_map(|(idx, line)| {
            let text = line.text;
            KINDS.iter().find_map(|kind| {
                let rest = text.strip_prefix(kind)?;
                let boundary = rest.is_empty() || rest.starts_with(char::is_whitespace);
                // "KẾ HOẠCH số 12..." in running text is not a heading; the
                // heading is alone or followed by a subject.
                let heading = boundary
                    && !rest
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_digit() || c == ':');
                heading.then(|| KindLine {
                    idx,
                    kind,
                    rest: rest.trim(),
                })
            })
        })
}

pub(crate) fn header_scan_limit(lines: &[Line<'_>], first_roman: Option<usize>) -> usize {
    first_roman.unwrap_or(HEADER_SCAN_LINES.min(lines.len()))
}

/// Phrases that open a preamble sentence rather than continue a subject.
const PREAMBLE_OPENERS: &[&str] = &[
    "can cu",
    "thuc hien",
    "trien khai",
    "de ",
    "nham ",
    "theo ",
    "qua ",
    "ban thuong vu",
    "thuong truc",
    "uy ban nhan dan",
    "ubnd",
    "tinh uy",
];

/// Reads the subject lines after the type heading. Returns the joined
/// subject and the index of the first line after the title block.
pub(crate) fn title(lines: &[Line<'_>], kind: &KindLine<'_>, limit: usize) -> (String, usize) {
    let mut parts: Vec<&str> = Vec::new();
    if !kind.rest.is_empty() {
        parts.push(kind.rest);
    }
    let mut idx = kind.idx + 1;
    let mut blanks = 0;
    while idx < limit {
        let line = &lines[idx];
        if line.is_blank() {
            if !parts.is_empty() || blanks >= 2 {
                break;
            }
            blanks += 1;
            idx += 1;
            continue;
        }
        if line.marker == Marker::Rule {
            idx += 1;
            break;
        }
        if !matches!(line.marker, Marker::Plain) || is_letterhead_line(line.text) {
            break;
        }
        if !parts.is_empty() && !continues_title(&parts, line.text) {
            break;
        }
        if parts.is_empty() && looks_like_preamble(line.text) {
            break;
        }
        parts.push(line.text);
        idx += 1;
        if parts.len() >= 5 {
            break;
        }
    }
    // A rule may follow the subject after a blank line.
    let mut after = idx;
    while after < limit && lines[after].is_blank() {
        after += 1;
    }
    if after < limit && lines[after].marker == Marker::Rule {
        idx = after + 1;
    }
    (squash(&parts.join(" ")), idx)
}

fn looks_like_preamble(text: &str) -> bool {
    let folded = fold_prefix(text, 20);
    text.chars().count() > 160
        || text.ends_with([':', ';'])
        || folded.starts_with("can cu")
        || (!starts_lower(text)
            && PREAMBLE_OPENERS.iter().any(|p| folded.starts_with(p))
            && text.chars().count() > 60)
}

fn continues_title(parts: &[&str], next: &str) -> bool {
    let prev = parts.last().copied().unwrap_or_default();
    if prev.ends_with(['.', ':', ';']) || looks_like_preamble(next) {
        return false;
    }
    // A subject goes on in lower case, or after a comma, or in capitals
    // when the whole subject is in capitals.
    starts_lower(next)
        || prev.trim_end().ends_with(',')
        || (is_caps(prev) && is_caps(next))
        || next.chars().count() < 90
}

/// The preamble: text between the title block and the first section.
pub(crate) fn preamble(lines: &[Line<'_>], from: usize, to: usize) -> Option<Block> {
    let mut text = String::new();
    let mut first = None;
    for line in lines.get(from..to).unwrap_or_default() {
        if line.is_blank() || line.marker == Marker::Rule || is_letterhead_line(line.text) {
            continue;
        }
        first.get_or_insert(line.no);
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line.text);
    }
    first.map(|line| Block { text, line })
}

#[derive(Debug, Default)]
pub(crate) struct Letterhead {
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    pub date_year: Option<i32>,
    /// A written date that does not exist (line, text as written).
    pub invalid_date: Option<(usize, String)>,
}

/// Letterhead cells that are never the issuer.
fn is_fixed_heading(folded: &str) -> bool {
    folded.starts_with("dang cong san viet nam")
        || folded.starts_with("cong hoa xa hoi chu nghia")
        || folded.starts_with("doc lap")
        || matches!(
            folded,
            "mat" | "toi mat" | "tuyet mat" | "khan" | "thuong khan" | "hoa toc" | "du thao"
        )
}

fn is_letterhead_line(text: &str) -> bool {
    let cells = cells(text);
    !cells.is_empty()
        && cells.iter().all(|c| {
            doc_number(c).is_some()
                || place_date(c).is_some()
                || is_fixed_heading(&fold_prefix(c, 30))
        })
}

/// Admin-level words that continue an issuer name split over two lines
/// ("ỦY BAN NHÂN DÂN" / "TỈNH PHÚ YÊN").
fn continues_issuer(folded: &str) -> bool {
    const LEVELS: &[&str] = &[
        "tinh ",
        "huyen ",
        "thanh pho ",
        "thi xa ",
        "quan ",
        "xa ",
        "phuong ",
        "thi tran ",
    ];
    LEVELS.iter().any(|l| folded.starts_with(l))
        && ![
            "tinh uy",
            "tinh doan",
            "huyen uy",
            "huyen doan",
            "thanh uy",
            "thanh doan",
            "quan uy",
            "thi uy",
        ]
        .iter()
        .any(|b| folded.starts_with(b))
}

pub(crate) fn letterhead(lines: &[Line<'_>]) -> Letterhead {
    let mut head = Letterhead::default();
    let mut issuer: Option<String> = None;
    let mut issuer_done = false;
    for line in lines {
        for cell in cells(line.raw) {
            if let Some(n) = doc_number(cell) {
                head.number.get_or_insert(n);
                issuer_done |= issuer.is_some();
                continue;
            }
            if let Some((place, date)) = place_date(cell) {
                if head.place.is_none() && head.date.is_none() && head.invalid_date.is_none() {
                    head.place = place;
                    if let Some((iso, year, written)) = date {
                        head.date_year = Some(year);
                        match iso {
                            Some(iso) => head.date = Some(iso),
                            None => head.invalid_date = Some((line.no, written)),
                        }
                    }
                }
                continue;
            }
            let folded = fold_prefix(cell, 40);
            if issuer_done
                || !is_caps(cell)
                || is_fixed_heading(&folded)
                || line.marker == Marker::Rule
            {
                continue;
            }
            issuer = Some(match issuer.take() {
                Some(prev) if continues_issuer(&folded) => format!("{prev} {}", squash(cell)),
                _ => squash(cell),
            });
        }
    }
    head.issuer = issuer;
    head
}

/// "Số 37-HD/BTGDVTW" → "37-HD/BTGDVTW"; "Số: 159/KH-UBND" → "159/KH-UBND".
pub(crate) fn doc_number(cell: &str) -> Option<String> {
    let rest = strip_word(cell, "số").or_else(|| cell.strip_prefix("SỐ"))?;
    if !rest.starts_with(|c: char| c.is_whitespace() || c == ':' || c.is_ascii_digit()) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let is_num_char = |c: char| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '&');
    let mut out = String::new();
    for tok in rest.split_whitespace() {
        let joins = out.is_empty() || out.ends_with(['/', '-']) || tok.starts_with(['/', '-']);
        if !joins || !tok.chars().all(is_num_char) {
            break;
        }
        out.push_str(tok);
    }
    let out = out.trim_end_matches(['.', ',']).to_string();
    let plausible = out.contains('/') && out.chars().any(|c| c.is_ascii_uppercase());
    plausible.then_some(out)
}

type WrittenDate = (Option<String>, i32, String);

/// "Tuy Hòa, ngày 05 tháng 4 năm 2021" → ("Tuy Hòa", 2021-04-05).
fn place_date(cell: &str) -> Option<(Option<String>, Option<WrittenDate>)> {
    if cell.chars().count() > 90 {
        return None;
    }
    let (date, at) = match find_dated(cell) {
        Some((d, at)) => (Some(d), at),
        None => {
            // A draft leaves the day blank: "Tuy Hòa, ngày    tháng 4 năm 2021".
            let at = cell.find(", ngày").map(|a| a + 2)?;
            (None, at)
        }
    };
    let before = cell[..at].trim();
    // "Tuy Hòa, ngày ..." – a short place name and a comma, or nothing.
    if !(before.is_empty() || before.ends_with(',')) {
        return None;
    }
    let place = before.trim_end_matches(',').trim();
    if place.split_whitespace().count() > 6 || place.contains(char::is_numeric) {
        return None;
    }
    let place = (!place.is_empty()).then(|| place.to_string());
    let date = date.and_then(|d| {
        let year = d.year?;
        let written = cell[at..].trim().to_string();
        Some((d.iso(None), year, written))
    });
    if place.is_none() && date.is_none() {
        return None;
    }
    Some((place, date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::split;

    #[test]
    fn numbers() {
        assert_eq!(
            doc_number("Số 37-HD/BTGDVTW").as_deref(),
            Some("37-HD/BTGDVTW")
        );
        assert_eq!(
            doc_number("Số: 159/KH-UBND").as_deref(),
            Some("159/KH-UBND")
        );
        assert_eq!(
            doc_number("Số:   159 /KH-UBND").as_deref(),
            Some("159/KH-UBND")
        );
        assert_eq!(doc_number("Số lượng tăng"), None);
    }

    #[test]
    fn place_and_date() {
        let (place, date) = place_date("Tuy Hòa, ngày 05 tháng 4 năm 2021").unwrap();
        assert_eq!(place.as_deref(), Some("Tuy Hòa"));
        assert_eq!(date.unwrap().0.as_deref(), Some("2021-04-05"));
        let (_, date) = place_date("Hà Nội, ngày 31/02/2021").unwrap();
        assert_eq!(date.unwrap().0, None);
    }

    #[test]
    fn state_letterhead() {
        let text = "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH PHÚ YÊN\tĐộc lập - Tự do - Hạnh phúc\n\nSố: 159/KH-UBND\tTuy Hòa, ngày 16 tháng 5 năm 2025";
        let (lines, _) = split(text);
        let head = letterhead(&lines);
        assert_eq!(head.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN"));
        assert_eq!(head.number.as_deref(), Some("159/KH-UBND"));
        assert_eq!(head.place.as_deref(), Some("Tuy Hòa"));
        assert_eq!(head.date.as_deref(), Some("2025-05-16"));
    }

    #[test]
    fn party_letterhead_keeps_the_issuing_line() {
        let text = "BAN CHẤP HÀNH TRUNG ƯƠNG\nBAN TUYÊN GIÁO VÀ DÂN VẬN\n*\nSố 37-HD/BTGDVTW\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 12 tháng 3 năm 2025";
        let (lines, _) = split(text);
        let head = letterhead(&lines);
        assert_eq!(head.issuer.as_deref(), Some("BAN TUYÊN GIÁO VÀ DÂN VẬN"));
        assert_eq!(head.number.as_deref(), Some("37-HD/BTGDVTW"));
    }

    #[test]
    fn seed_title() {
        let text = " KẾ HOẠCH\nthông tin, tuyên truyền về công tác xây dựng Đảng, \nxây dựng hệ thống chính trị năm 2021\n-----\nThực hiện Kế hoạch số 04-KH/BTCTW, ngày 22/3/2021 của Ban Tổ chức Trung ương, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch thực hiện như sau:\nI. MỤC ĐÍCH";
        let (lines, _) = split(text);
        let kind = find_kind(&lines, 5).unwrap();
        assert_eq!(kind.kind, "KẾ HOẠCH");
        let (title, end) = title(&lines, &kind, 5);
        assert_eq!(
            title,
            "thông tin, tuyên truyền về công tác xây dựng Đảng, xây dựng hệ thống chính trị năm 2021"
        );
        assert_eq!(end, 4);
        assert_eq!(preamble(&lines, end, 5).unwrap().line, 5);
    }
}
