//! Checks a careful reader would make. Each warning quotes the offending
//! value in Vietnamese.

use std::collections::HashMap;
use std::ops::Range;

use crate::fold::{excerpt, find_either_case, fold};
use crate::lines::{Line, Marker, letter_index, to_roman};
use crate::model::{DocRef, Duty, Recipient, Warning};
use crate::sections::Span;

pub(crate) const NUMBERING_GAP: &str = "numbering_gap";
pub(crate) const NUMBERING_DUPLICATE: &str = "numbering_duplicate";
pub(crate) const YEAR_OUT_OF_RANGE: &str = "year_out_of_range";
pub(crate) const DUTY_WITHOUT_UNIT: &str = "duty_without_unit";
pub(crate) const REFERENCE_AFTER_PLAN: &str = "reference_after_plan";
pub(crate) const NO_FILE_COPY: &str = "no_file_copy";
pub(crate) const INVALID_DATE: &str = "invalid_date";
pub(crate) const MISSING_KIND: &str = "missing_kind";
pub(crate) const TOO_MANY_LINES: &str = "too_many_lines";

pub(crate) fn warning(line: Option<usize>, code: &str, message: String) -> Warning {
    Warning {
        line,
        code: code.to_string(),
        message,
    }
}

/// Roman sections out of sequence, and numbered items whose siblings skip or
/// repeat a number.
pub(crate) fn numbering(spans: &[Span], lines: &[Line<'_>]) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut seen: HashMap<u32, usize> = HashMap::new();
    let mut prev: Option<u32> = None;
    for span in spans {
        let no = lines[span.idx].no;
        let cur = &span.number;
        if let Some(first) = seen.get(&span.value) {
            out.push(warning(
                Some(no),
                NUMBERING_DUPLICATE,
                format!("Mục {cur} bị lặp lại (đã có ở dòng {first})."),
            ));
        } else {
            let expected = prev.map_or(1, |p| p + 1);
            if span.value != expected {
                let missing = to_roman(expected);
                let message = match prev {
                    Some(p) => format!(
                        "Đánh số không liên tục: sau mục {} là mục {cur}, thiếu mục {missing}.",
                        to_roman(p)
                    ),
                    None => format!(
                        "Đánh số không liên tục: mục đầu tiên là {cur}, thiếu mục {missing}."
                    ),
                };
                out.push(warning(Some(no), NUMBERING_GAP, message));
            }
            seen.insert(span.value, no);
        }
        prev = Some(span.value.max(prev.unwrap_or(0)));
        let o = &span.outline;
        siblings(&o.roots, lines, o, &mut out);
        for item in &o.items {
            siblings(&item.children, lines, o, &mut out);
        }
    }
    out
}

fn siblings(
    ids: &[usize],
    lines: &[Line<'_>],
    o: &crate::outline::Outline,
    out: &mut Vec<Warning>,
) {
    if ids.len() < 2 {
        // A single item can still start at the wrong number ("1.2" alone).
        if let Some(&id) = ids.first()
            && let Marker::Num {
                number,
                paren: false,
                ..
            } = lines[o.items[id].line].marker
            && number.rsplit('.').next() == Some("1")
        {
            return;
        }
        if ids.is_empty() {
            return;
        }
    }
    // Per depth: last number seen (as written) and its last component.
    let mut last: HashMap<u8, (String, u32)> = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for &id in ids {
        let line = &lines[o.items[id].line];
        let key = match line.marker {
            Marker::Num {
                number,
                depth,
                paren: false,
            } => {
                let Some(n) = number
                    .rsplit('.')
                    .next()
                    .and_then(|c| c.parse::<u32>().ok())
                else {
                    continue;
                };
                let prefix = number
                    .rsplit_once('.')
                    .map(|(p, _)| format!("{p}."))
                    .unwrap_or_default();
                let expected = last.get(&depth).map_or(1, |(_, l)| l + 1);
                if !seen.contains_key(number) && n != expected && n > 0 {
                    let missing = format!("{prefix}{expected}");
                    let message = match last.get(&depth) {
                        Some((p, _)) => format!(
                            "Đánh số không liên tục: sau mục {p} là mục {number}, thiếu mục {missing}."
                        ),
                        None => format!(
                            "Đánh số không liên tục: mục đầu tiên là {number}, thiếu mục {missing}."
                        ),
                    };
                    out.push(warning(Some(line.no), NUMBERING_GAP, message));
                }
                last.insert(
                    depth,
                    (
                        number.to_string(),
                        n.max(last.get(&depth).map_or(0, |l| l.1)),
                    ),
                );
                number.to_string()
            }
            Marker::Letter(c) if letter_index(c).is_some() => {
                o.number(lines, id).unwrap_or_default()
            }
            _ => continue,
        };
        if let Some(first) = seen.get(&key) {
            out.push(warning(
                Some(line.no),
                NUMBERING_DUPLICATE,
                format!("Mục {key} bị lặp lại (đã có ở dòng {first})."),
            ));
        } else {
            seen.insert(key, line.no);
        }
    }
}

/// Four-digit years in a line that are not part of a date, a document
/// number or a range, with their byte offsets.
fn free_years(text: &str) -> Vec<(usize, i32)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - start != 4 {
            continue;
        }
        let Ok(year) = text[start..i].parse::<i32>() else {
            continue;
        };
        if !(1000..=2999).contains(&year) {
            continue;
        }
        let before = text[..start].trim_end_matches(' ');
        let after = text[i..].trim_start_matches(' ');
        let glued = |c: Option<char>| {
            c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '-' | '–' | '—'))
        };
        let prev_char = text[..start].chars().next_back();
        let next_char = text[i..].chars().next();
        // "22/3/2021", "30/2020/NĐ-CP", "Covid-2019"...
        if glued(prev_char) || next_char.is_some_and(|c| c.is_alphanumeric() || c == '/') {
            continue;
        }
        // "2020-2025", "2020 – 2025", "(1930-2021)".
        let dash_after = after
            .strip_prefix(['-', '–', '—'])
            .map(|r| r.trim_start_matches(' '));
        if dash_after.is_some_and(|r| r.bytes().take_while(u8::is_ascii_digit).count() == 4) {
            continue;
        }
        let dash_before = before
            .strip_suffix(['-', '–', '—'])
            .map(|r| r.trim_end_matches(' '));
        if dash_before.is_some_and(|r| r.bytes().rev().take_while(u8::is_ascii_digit).count() >= 4)
        {
            continue;
        }
        if is_word_date(before) {
            continue;
        }
        out.push((start, year));
    }
    out
}

/// "... tháng 4 năm " just before a year: part of a date.
fn is_word_date(before: &str) -> bool {
    let tail_start = before.char_indices().rev().nth(20).map_or(0, |(i, _)| i);
    let lower = before[tail_start..].to_lowercase();
    let Some(rest) = lower.trim_end().strip_suffix("năm") else {
        return false;
    };
    let rest = rest.trim_end();
    let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[..rest.len() - digits].trim_end().ends_with("tháng")
}

/// A vision or target year: "đến năm 2045", "tầm nhìn 2045".
fn is_target(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let f = fold(&tail);
    f.ends_with("den nam")
        || f.ends_with("tam nhin")
        || f.ends_with("tam nhin den")
        || f.ends_with("den")
}

pub(crate) struct Period {
    pub start: i32,
    pub end: i32,
}

impl Period {
    fn describe(&self) -> String {
        if self.start == self.end {
            self.start.to_string()
        } else {
            format!("{}-{}", self.start, self.end)
        }
    }
}

/// Years far outside the plan's period: a target year ("đến năm", "tầm
/// nhìn") before the period, or any free year more than 50 years away
/// (anniversaries excepted).
pub(crate) fn years(
    lines: &[Line<'_>],
    range: Range<usize>,
    period: &Period,
    place: &dyn Fn(usize) -> String,
) -> Vec<Warning> {
    let mut out = Vec::new();
    for idx in range {
        let Some(line) = lines.get(idx) else { break };
        let mut anniversary = None;
        for (at, year) in free_years(line.text) {
            let before = &line.text[..at];
            let target_too_early = is_target(before) && year < period.start;
            let distance = (period.start - year).max(year - period.end);
            let far = distance > 50
                && !*anniversary.get_or_insert_with(|| {
                    let f = fold(line.text);
                    ["ky niem", "ngay sinh", "thanh lap"]
                        .iter()
                        .any(|w| f.contains(w))
                });
            if target_too_early || far {
                out.push(warning(
                    Some(line.no),
                    YEAR_OUT_OF_RANGE,
                    format!(
                        "Năm {year} ở {} nằm xa ngoài thời kỳ của kế hoạch ({})",
                        place(idx),
                        period.describe()
                    ),
                ));
            }
        }
    }
    out
}

pub(crate) fn duties_without_unit(duties: &[Duty]) -> Vec<Warning> {
    duties
        .iter()
        .filter(|d| d.unit.is_empty())
        .map(|d| {
            warning(
                Some(d.line),
                DUTY_WITHOUT_UNIT,
                format!(
                    "Nhiệm vụ không rõ đơn vị thực hiện: “{}”",
                    excerpt(&d.text, 80)
                ),
            )
        })
        .collect()
}

fn dmy(iso: &str) -> String {
    let mut parts = iso.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

pub(crate) fn references_after(
    refs: &[DocRef],
    plan_date: Option<&str>,
    plan_year: Option<i32>,
) -> Vec<Warning> {
    let mut out = Vec::new();
    for r in refs {
        let Some(date) = r.date.as_deref() else {
            continue;
        };
        let late = match (plan_date, plan_year) {
            (Some(plan), _) => (date > plan).then(|| format!("ngày của kế hoạch ({})", dmy(plan))),
            (None, Some(y)) => {
                let ref_year: i32 = date.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
                (ref_year > y).then(|| format!("năm của kế hoạch ({y})"))
            }
            (None, None) => None,
        };
        if let Some(what) = late {
            out.push(warning(
                Some(r.line),
                REFERENCE_AFTER_PLAN,
                format!(
                    "{} số {} ngày {} được ban hành sau {what}",
                    r.doc_type,
                    r.number,
                    dmy(date)
                ),
            ));
        }
    }
    out
}

pub(crate) fn file_copy(recipients: &[Recipient]) -> Option<Warning> {
    let last = recipients.last()?;
    if recipients.iter().any(|r| r.file_copy) {
        return None;
    }
    Some(warning(
        Some(last.line),
        NO_FILE_COPY,
        format!(
            "Danh sách nơi nhận không có dòng lưu văn bản (“Lưu ...”); nơi nhận cuối cùng là “{}”",
            excerpt(&last.name, 60)
        ),
    ))
}

/// Deadlines written with a date that does not exist.
pub(crate) fn impossible_deadlines(duties: &[Duty]) -> Vec<Warning> {
    duties
        .iter()
        .filter(|d| d.deadline.is_none())
        .filter_map(|d| {
            let written = crate::dates::impossible_date(d.deadline_text.as_deref()?)?;
            Some(invalid_date(d.line, &written))
        })
        .collect()
}

pub(crate) fn invalid_date(line: usize, written: &str) -> Warning {
    warning(
        Some(line),
        INVALID_DATE,
        format!("Ngày không tồn tại: “{written}”"),
    )
}

/// "năm 2021" in the title, else the first four-digit year after "năm".
pub(crate) fn title_year(title: &str) -> Option<i32> {
    let mut from = 0;
    while let Some(rel) = title.get(from..).and_then(|t| find_either_case(t, "năm")) {
        let at = from + rel + "năm".len();
        from = at;
        let rest = title[at..].trim_start();
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 4
            && let Ok(y) = rest[..4].parse()
        {
            return Some(y);
        }
    }
    None
}

/// A planning period written in the title ("giai đoạn 2021-2025").
pub(crate) fn title_range(title: &str) -> Option<(i32, i32)> {
    let b = title.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit) && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let rest = title[i + 4..].trim_start_matches(' ');
            if let Some(r) = rest
                .strip_prefix(['-', '–', '—'])
                .map(|r| r.trim_start_matches(' '))
                && r.len() >= 4
                && r.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            {
                let a: i32 = title[i..i + 4].parse().ok()?;
                let z: i32 = r[..4].parse().ok()?;
                if a < z && z - a <= 15 {
                    return Some((a, z));
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_years_skip_dates_numbers_and_ranges() {
        let years = |s: &str| {
            free_years(s)
                .into_iter()
                .map(|(_, y)| y)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            years("nhiệm kỳ 2020-2025, (2021-2030), tầm nhìn đến năm 1945"),
            vec![1945]
        );
        assert_eq!(
            years("ngày 22/10/2018, số 30/2020/NĐ-CP, ngày 5 tháng 4 năm 2021"),
            Vec::<i32>::new()
        );
        assert_eq!(years("kỷ niệm (1930 – 2021) và năm 1890"), vec![1890]);
    }

    #[test]
    fn targets_and_title_years() {
        assert!(is_target("tầm nhìn đến năm "));
        assert!(is_target("Chiến lược đến "));
        assert!(!is_target("năm "));
        assert_eq!(
            title_year("xây dựng hệ thống chính trị năm 2021"),
            Some(2021)
        );
        assert_eq!(title_range("giai đoạn 2021 - 2025"), Some((2021, 2025)));
        assert_eq!(title_range("kỷ niệm (1945-2025)"), None);
    }
}
