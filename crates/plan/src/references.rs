//! Documents the plan cites: "Kế hoạch số 04-KH/BTCTW, ngày 22/3/2021 của
//! Ban Tổ chức Trung ương", "Quyết định số 1005/QĐ-UBND ngày ...".

use std::collections::HashMap;
use std::ops::Range;

use crate::dates::date_at;
use crate::fold::{fold, strip_word};
use crate::lines::Line;
use crate::model::DocRef;
use crate::names::{TYPE_WORDS, org_name};

/// A cited number found in a line.
struct Found<'a> {
    start: usize,
    end: usize,
    number: &'a str,
    code: &'a str,
    party: bool,
}

fn take_while(s: &str, max_chars: usize, pred: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .take(max_chars)
        .find(|(_, c)| !pred(*c))
        .map_or_else(
            || s.chars().take(max_chars).map(char::len_utf8).sum(),
            |(i, _)| i,
        )
}

fn is_code_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ'
}

/// A type code: an upper-case letter then letters, e.g. "KH", "QĐ", "TTr".
fn code(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_uppercase() || c == 'Đ') {
        return 0;
    }
    take_while(s, 6, is_code_letter)
}

/// An issuer code: letters, digits, "&", and inner hyphens ("BTGDVTW",
/// "UBND", "QH14", "HĐND").
fn issuer_code(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_uppercase() || c == 'Đ' || c.is_ascii_digit()) {
        return 0;
    }
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if is_code_letter(c) || c.is_ascii_digit() || c == '&' {
            end = i + c.len_utf8();
        } else if c != '-' || i > end {
            break;
        }
    }
    end
}

fn digits(s: &str, max: usize) -> usize {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n > max { 0 } else { n }
}

/// Party style "04-KH/BTCTW" or state style "159/KH-UBND", "30/2020/NĐ-CP",
/// "25/2018/QH14" at `start`.
fn number_at(text: &str, start: usize) -> Option<Found<'_>> {
    let s = &text[start..];
    let n = digits(s, 5);
    if n == 0 {
        return None;
    }
    let rest = &s[n..];
    if let Some(r) = rest.strip_prefix('-') {
        let c = code(r);
        let after = r[c..].strip_prefix('/')?;
        let i = issuer_code(after);
        if c == 0 || i == 0 {
            return None;
        }
        let end = start + s.len() - after.len() + i;
        return Some(Found {
            start,
            end,
            number: &text[start..end],
            code: &r[..c],
            party: true,
        });
    }
    let r = rest.strip_prefix('/')?;
    let y = digits(r, 4);
    let (r, has_year) = match r[y..].strip_prefix('/') {
        Some(after) if y == 4 => (after, true),
        _ => (r, false),
    };
    let c = code(r);
    if c == 0 {
        return None;
    }
    let end_rel = if let Some(after) = r[c..].strip_prefix('-') {
        let i = issuer_code(after);
        if i == 0 {
            return None;
        }
        c + 1 + i
    } else if has_year {
        // "25/2018/QH14": the issuer code carries digits.
        issuer_code(r)
    } else {
        return None;
    };
    let end = start + s.len() - r.len() + end_rel;
    Some(Found {
        start,
        end,
        number: &text[start..end],
        code: &r[..c],
        party: false,
    })
}

fn find_numbers(text: &str) -> Vec<Found<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // Only at the start of a run of digits that is not glued to a word.
        let prev = text[..i].chars().next_back();
        let boundary = prev.is_none_or(|p| !(p.is_alphanumeric() || matches!(p, '/' | '-' | '.')));
        if boundary && let Some(found) = number_at(text, i) {
            i = found.end;
            out.push(found);
            continue;
        }
        i += bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    }
    out
}

/// The type word written before the number ("Kế hoạch số", "Nghị quyết").
fn type_before(prefix: &str) -> Option<&'static str> {
    let tail: String = {
        let chars: Vec<char> = prefix.chars().rev().take(40).collect();
        chars.into_iter().rev().collect()
    };
    let mut f = fold(&tail);
    for strip in [":", " so", "so"] {
        if let Some(s) = f.strip_suffix(strip) {
            f = s.trim_end().to_string();
        }
    }
    TYPE_WORDS
        .iter()
        .find(|(w, _)| {
            f.ends_with(w)
                && f[..f.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c == ' ' || c == '(')
        })
        .map(|(_, t)| *t)
}

fn type_from_code(code: &str, party: bool) -> &'static str {
    match code {
        "KH" => "Kế hoạch",
        "NQ" => "Nghị quyết",
        "CT" => "Chỉ thị",
        "KL" => "Kết luận",
        "QĐ" => "Quyết định",
        "QyĐ" => "Quy định",
        "HD" => "Hướng dẫn",
        "BC" => "Báo cáo",
        "TB" => "Thông báo",
        "TT" if party => "Thông tri",
        "TT" => "Thông tư",
        "TTr" => "Tờ trình",
        "CV" => "Công văn",
        "CTr" => "Chương trình",
        "ĐA" => "Đề án",
        "NĐ" => "Nghị định",
        "QC" => "Quy chế",
        "PA" => "Phương án",
        "CĐ" => "Công điện",
        _ if party => "Văn bản",
        // "1234/UBND-VX": a state letter carries its issuer where the type
        // code would be.
        _ => "Công văn",
    }
}

/// Date and issuer written after a number: ", ngày 22/3/2021 của Bộ Chính trị".
fn details(after: &str) -> (Option<crate::dates::RawDate>, Option<String>) {
    let mut r = after.trim_start_matches([',', ' ']);
    let mut date = None;
    if let Some(rest) = strip_word(r, "ngày") {
        let rest = rest.trim_start();
        if let Some(d) = date_at(rest) {
            date = Some(d);
            r = rest[d.len..].trim_start_matches([',', ' ']);
        }
    }
    let issuer = strip_word(r, "của ").and_then(|rest| org_name(rest.trim_start()));
    (date, issuer)
}

/// All cited documents in the lines, unique by number: the first mention
/// wins, later mentions fill in a missing date or issuer. Returns also the
/// impossible dates met (line, text as written).
pub(crate) fn collect(
    lines: &[Line<'_>],
    range: Range<usize>,
    own_number: Option<&str>,
) -> (Vec<DocRef>, Vec<(usize, String)>) {
    let mut refs: Vec<DocRef> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut bad_dates = Vec::new();
    for line in lines.get(range).unwrap_or_default() {
        let text = line.text;
        for found in find_numbers(text) {
            if Some(found.number) == own_number {
                continue;
            }
            let doc_type = type_before(&text[..found.start])
                .unwrap_or_else(|| type_from_code(found.code, found.party));
            let after = &text[found.end..];
            let (raw, issuer) = details(after);
            let date = raw.and_then(|d| {
                let iso = d.iso(None);
                if let (None, Some(y)) = (&iso, d.year) {
                    bad_dates.push((line.no, format!("{:02}/{:02}/{y}", d.day, d.month)));
                }
                iso
            });
            match index.get(found.number).and_then(|&i| refs.get_mut(i)) {
                Some(existing) => {
                    if existing.date.is_none() {
                        existing.date = date;
                    }
                    if existing.issuer.is_none() {
                        existing.issuer = issuer;
                    }
                }
                None => {
                    index.insert(found.number.to_string(), refs.len());
                    refs.push(DocRef {
                        number: found.number.to_string(),
                        doc_type: doc_type.to_string(),
                        issuer,
                        date,
                        line: line.no,
                    })
                }
            }
        }
    }
    (refs, bad_dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::read_line;

    fn numbers(text: &str) -> Vec<&str> {
        find_numbers(text).into_iter().map(|f| f.number).collect()
    }

    #[test]
    fn finds_party_and_state_numbers() {
        assert_eq!(
            numbers("Kế hoạch số 04-KH/BTCTW, ngày 22/3/2021"),
            vec!["04-KH/BTCTW"]
        );
        assert_eq!(
            numbers("Nghị định số 30/2020/NĐ-CP và Quyết định 1005/QĐ-UBND; Luật số 25/2018/QH14."),
            vec!["30/2020/NĐ-CP", "1005/QĐ-UBND", "25/2018/QH14"]
        );
        assert!(numbers("nhiệm kỳ 2020-2025, ngày 22/3/2021, Covid-19").is_empty());
    }

    #[test]
    fn types_and_issuers() {
        assert_eq!(type_before("Thực hiện Kế hoạch số "), Some("Kế hoạch"));
        assert_eq!(type_before("theo Nghị quyết "), Some("Nghị quyết"));
        assert_eq!(type_before("tại văn bản "), None);
        assert_eq!(
            org_name("Ban Tổ chức Trung ương thông tin, tuyên truyền").as_deref(),
            Some("Ban Tổ chức Trung ương")
        );
        assert_eq!(
            org_name("Bộ Chính trị (khóa XII) và").as_deref(),
            Some("Bộ Chính trị")
        );
        assert_eq!(
            org_name("Bộ Chính trị, Chỉ thị số 28").as_deref(),
            Some("Bộ Chính trị")
        );
        assert_eq!(
            org_name("Ban Thường vụ Tỉnh ủy về việc").as_deref(),
            Some("Ban Thường vụ Tỉnh ủy")
        );
        assert_eq!(
            org_name("Ủy ban nhân dân tỉnh về tổ chức").as_deref(),
            Some("Ủy ban nhân dân tỉnh")
        );
        assert_eq!(
            org_name("Bộ Văn hóa, Thể thao và Du lịch hướng dẫn").as_deref(),
            Some("Bộ Văn hóa, Thể thao và Du lịch")
        );
        assert_eq!(
            org_name("Ban Tuyên giáo và Dân vận Trung ương.").as_deref(),
            Some("Ban Tuyên giáo và Dân vận Trung ương")
        );
    }

    #[test]
    fn merges_mentions() {
        let lines = vec![
            read_line(1, "theo Nghị quyết số 35-NQ/TW của Bộ Chính trị."),
            read_line(
                2,
                "Nghị quyết số 35-NQ/TW, ngày 22/10/2018 của Bộ Chính trị (khóa XII)",
            ),
            read_line(3, "Kế hoạch số 9-KH/TU, ngày 31/02/2021"),
        ];
        let (refs, bad) = collect(&lines, 0..3, None);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].line, 1);
        assert_eq!(refs[0].date.as_deref(), Some("2018-10-22"));
        assert_eq!(refs[0].issuer.as_deref(), Some("Bộ Chính trị"));
        assert_eq!(refs[1].date, None);
        assert_eq!(bad.len(), 1);
    }
}
