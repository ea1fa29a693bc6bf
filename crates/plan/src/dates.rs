//! Dates as Vietnamese documents write them ("22/3/2021", "ngày 16 tháng 12
//! năm 2025", "Quý II") and deadlines built from them.

use crate::fold::{find_either_case, find_word, strip_word};
use crate::lines::roman_value;

/// A date as written; the year may be missing ("trước ngày 15/12").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawDate {
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
    /// Bytes consumed from the input.
    pub len: usize,
}

impl RawDate {
    /// ISO form when the date exists in the calendar.
    pub(crate) fn iso(&self, default_year: Option<i32>) -> Option<String> {
        iso(self.year.or(default_year)?, self.month, self.day)
    }
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD`, or `None` for an impossible date such as 31/02/2021.
pub(crate) fn iso(year: i32, month: u32, day: u32) -> Option<String> {
    let valid = (1000..=9999).contains(&year) && day >= 1 && day <= days_in_month(year, month);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn number(s: &str, max_digits: usize) -> Option<(u32, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > max_digits {
        return None;
    }
    Some((s[..digits].parse().ok()?, &s[digits..]))
}

fn year(s: &str) -> Option<(i32, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    Some((s[..4].parse().ok()?, &s[4..]))
}

/// Skips whitespace, then expects `w` (either case on the first letter),
/// then returns the rest.
fn word<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    strip_word(s.trim_start(), w)
}

/// Reads a date at the start of `s`: "22/3/2021", "22-3-2021", "22.3.2021",
/// "15/12" or "16 tháng 12 năm 2025".
pub(crate) fn date_at(s: &str) -> Option<RawDate> {
    let start = s.len();
    let (day, rest) = number(s, 2)?;
    if let Some(sep) = rest.chars().next().filter(|c| matches!(c, '/' | '-' | '.')) {
        let (month, rest) = number(&rest[1..], 2)?;
        let with_year = rest
            .strip_prefix(sep)
            .and_then(year)
            .filter(|(_, after)| !after.starts_with(|c: char| c.is_ascii_digit()));
        return Some(match with_year {
            Some((y, after)) => RawDate {
                day,
                month,
                year: Some(y),
                len: start - after.len(),
            },
            None => RawDate {
                day,
                month,
                year: None,
                len: start - rest.len(),
            },
        });
    }
    let rest = word(rest, "tháng")?;
    let (month, rest) = number(rest.trim_start(), 2)?;
    if let Some((y, after)) = word(rest, "năm").and_then(|r| year(r.trim_start())) {
        return Some(RawDate {
            day,
            month,
            year: Some(y),
            len: start - after.len(),
        });
    }
    if let Some((y, after)) = rest.strip_prefix('/').and_then(year) {
        return Some(RawDate {
            day,
            month,
            year: Some(y),
            len: start - after.len(),
        });
    }
    Some(RawDate {
        day,
        month,
        year: None,
        len: start - rest.len(),
    })
}

/// Finds "ngày <date>" in `s`; returns the date and the byte offset where
/// the word "ngày" starts.
pub(crate) fn find_dated(s: &str) -> Option<(RawDate, usize)> {
    let mut from = 0;
    while let Some(rel) = s.get(from..).and_then(|h| find_either_case(h, "ngày")) {
        let at = from + rel;
        let after = &s[at + "ngày".len()..];
        if let Some(d) = date_at(after.trim_start()) {
            return Some((d, at));
        }
        from = at + "ngày".len();
    }
    None
}

/// A deadline: the ISO date when one can be computed, and the phrase as
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deadline {
    pub date: Option<String>,
    pub text: String,
}

/// Reads a "when" phrase such as "trước ngày 15/12/2021", "Quý II/2025",
/// "tháng 6 năm 2025", "năm 2025" or "thường xuyên".
pub(crate) fn when(phrase: &str, plan_year: Option<i32>) -> Option<String> {
    // "từ tháng 4 đến hết tháng 5/2025": the end of the range is the deadline.
    let phrase = phrase.rfind("đến").map_or(phrase, |at| &phrase[at..]);
    if let Some((d, _)) = find_dated(phrase) {
        return d.iso(plan_year);
    }
    if let Some(d) = phrase
        .split_whitespace()
        .find_map(|w| date_at(w).filter(|d| d.year.is_some()))
    {
        return d.iso(plan_year);
    }
    if let Some((q, y, _)) = quarter(phrase) {
        return quarter_end(q, y.or(plan_year));
    }
    if let Some((m, y, _)) = month(phrase) {
        let y = y.or(plan_year)?;
        return iso(y, m, days_in_month(y, m));
    }
    let at = find_either_case(phrase, "năm")?;
    let (y, _) = year(phrase[at + "năm".len()..].trim_start())?;
    iso(y, 12, 31)
}

fn quarter_end(q: u32, year: Option<i32>) -> Option<String> {
    let y = year?;
    let m = q * 3;
    iso(y, m, days_in_month(y, m))
}

/// "Quý II", "quý 2", "Quý II/2025", "Quý II năm 2025": quarter, year, and
/// the byte range of the phrase.
fn quarter(s: &str) -> Option<(u32, Option<i32>, (usize, usize))> {
    let mut from = 0;
    while let Some(rel) = s.get(from..).and_then(|h| find_either_case(h, "quý")) {
        let at = from + rel;
        from = at + "quý".len();
        let rest = &s[from..];
        let rest_t = rest.trim_start();
        let tok_len = rest_t
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let tok = &rest_t[..tok_len];
        let q = roman_value(tok)
            .or_else(|| tok.parse().ok())
            .filter(|q| (1..=4).contains(q));
        let Some(q) = q else { continue };
        let after = &rest_t[tok_len..];
        let (year, end_rest) = trailing_year(after);
        return Some((q, year, (at, s.len() - end_rest.len())));
    }
    None
}

/// An optional year after a quarter or month: "/2025" or "năm 2025".
fn trailing_year(after: &str) -> (Option<i32>, &str) {
    if let Some((y, r)) = after.strip_prefix('/').and_then(year) {
        (Some(y), r)
    } else if let Some((y, r)) = word(after, "năm").and_then(|r| year(r.trim_start())) {
        (Some(y), r)
    } else {
        (None, after)
    }
}

/// "tháng 6/2025", "tháng 6 năm 2025", "tháng 6".
fn month(s: &str) -> Option<(u32, Option<i32>, (usize, usize))> {
    let mut from = 0;
    while let Some(rel) = s.get(from..).and_then(|h| find_either_case(h, "tháng")) {
        let at = from + rel;
        from = at + "tháng".len();
        let Some((m, after)) = number(s[from..].trim_start(), 2) else {
            continue;
        };
        if !(1..=12).contains(&m) {
            continue;
        }
        let (year, end_rest) = trailing_year(after);
        return Some((m, year, (at, s.len() - end_rest.len())));
    }
    None
}

const TIME_LABELS: &[&str] = &["thời gian", "thời hạn", "tiến độ"];
const BEFORE: &[&str] = &[
    "trước ngày",
    "chậm nhất là ngày",
    "chậm nhất vào ngày",
    "chậm nhất ngày",
    "hạn chót",
    "hoàn thành trong ngày",
];

/// The deadline of a duty, from (in order of trust) a "Thời gian: ..."
/// clause, "trước ngày <date>", "Quý II", "trong tháng 6", or a trailing
/// "thường xuyên".
pub(crate) fn find_deadline(text: &str, plan_year: Option<i32>) -> Option<Deadline> {
    if let Some(clause) = text.contains(':').then(|| time_clause(text)).flatten() {
        return Some(Deadline {
            date: when(clause, plan_year),
            text: clause.to_string(),
        });
    }
    // Every "before" phrase but one ends with "ngày": look there first.
    let dated = find_dated(text).is_some() || text.contains("hạn chót");
    for phrase in BEFORE.iter().filter(|_| dated) {
        let Some(at) = find_either_case(text, phrase) else {
            continue;
        };
        let after = &text[at + phrase.len()..];
        let trimmed = after.trim_start();
        if let Some(d) = date_at(trimmed) {
            let end = text.len() - trimmed.len() + d.len;
            return Some(Deadline {
                date: d.iso(plan_year),
                text: text[at..end].to_string(),
            });
        }
    }
    if let Some((q, y, (a, b))) = quarter(text) {
        return Some(Deadline {
            date: quarter_end(q, y.or(plan_year)),
            text: text[a..b].trim_end().to_string(),
        });
    }
    if let Some(at) = find_either_case(text, "trong tháng")
        && let Some((m, y, (_, b))) = month(&text[at..])
    {
        let y = y.or(plan_year);
        return Some(Deadline {
            date: y.and_then(|y| iso(y, m, days_in_month(y, m))),
            text: text[at..at + b].trim_end().to_string(),
        });
    }
    regular(text).then(|| Deadline {
        date: None,
        text: "thường xuyên".to_string(),
    })
}

/// "Thời gian: Quý II/2025." or "Thời gian thực hiện: thường xuyên" – the
/// part after the colon, up to the end of the clause.
pub(crate) fn time_clause(text: &str) -> Option<&str> {
    for label in TIME_LABELS {
        let Some(at) = find_either_case(text, label) else {
            continue;
        };
        let after = &text[at + label.len()..];
        // Only a few words between the label and its colon ("thực hiện").
        let Some((colon, _)) = after.char_indices().take(25).find(|(_, c)| *c == ':') else {
            continue;
        };
        let clause = &after[colon + 1..];
        let end = clause
            .find([';', ')', '\n'])
            .into_iter()
            .chain(clause.find(". "))
            .min()
            .unwrap_or(clause.len());
        let clause = clause[..end].trim().trim_end_matches('.').trim();
        if !clause.is_empty() {
            return Some(clause);
        }
    }
    None
}

/// "thường xuyên" as a timing rather than an adverb: in parentheses, or at
/// the end of the sentence ("..., thực hiện thường xuyên.").
fn regular(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ';' | ','));
    let lower_end = t.ends_with("thường xuyên") || t.ends_with("Thường xuyên");
    lower_end && t.chars().count() > "thường xuyên".chars().count()
        || text.contains("(thường xuyên)")
        || find_word(text, "Thường xuyên")
            .is_some_and(|at| at > 0 && text[..at].trim_end().ends_with(':'))
}

/// A date written in `text` that does not exist in the calendar
/// ("31/02/2024"), as written.
pub(crate) fn impossible_date(text: &str) -> Option<String> {
    let mut from = 0;
    while let Some((d, at)) = text.get(from..).and_then(find_dated) {
        let start = from + at + "ngày".len();
        let written = text[start..].trim_start();
        if d.year.is_some() && d.iso(None).is_none() {
            return Some(written[..d.len].to_string());
        }
        from = start;
    }
    text.split_whitespace().find_map(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit());
        let d = date_at(w).filter(|d| d.len == w.len() && d.year.is_some())?;
        d.iso(None).is_none().then(|| w.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates() {
        let d = date_at("22/3/2021 của").unwrap();
        assert_eq!((d.day, d.month, d.year, d.len), (22, 3, Some(2021), 9));
        let d = date_at("16 tháng 12 năm 2025 x").unwrap();
        assert_eq!(d.iso(None).as_deref(), Some("2025-12-16"));
        assert_eq!(
            date_at("15/12").unwrap().iso(Some(2021)).as_deref(),
            Some("2021-12-15")
        );
        assert_eq!(date_at("31/02/2021").unwrap().iso(None), None);
        assert_eq!(iso(2024, 2, 29).as_deref(), Some("2024-02-29"));
        assert_eq!(iso(2100, 2, 29), None);
        assert_eq!(date_at("2020-2025"), None);
        let (d, at) = find_dated("số 04-KH/BTCTW, ngày 22/3/2021 của").unwrap();
        assert_eq!((d.day, at), (22, 18));
    }

    #[test]
    fn reads_deadlines() {
        let d = find_deadline("Báo cáo kết quả trước ngày 15/12/2021.", None).unwrap();
        assert_eq!(
            (d.date.as_deref(), d.text.as_str()),
            (Some("2021-12-15"), "trước ngày 15/12/2021")
        );
        let d = find_deadline("Hoàn thành trước ngày 16 tháng 12 năm 2025.", None).unwrap();
        assert_eq!(d.date.as_deref(), Some("2025-12-16"));
        let d = find_deadline("Tổ chức hội thi trong Quý II.", Some(2021)).unwrap();
        assert_eq!(
            (d.date.as_deref(), d.text.as_str()),
            (Some("2021-06-30"), "Quý II")
        );
        let d = find_deadline("Tổ chức tọa đàm. Thời gian: Quý III/2025.", Some(2024)).unwrap();
        assert_eq!(
            (d.date.as_deref(), d.text.as_str()),
            (Some("2025-09-30"), "Quý III/2025")
        );
        let d =
            find_deadline("Cập nhật tin bài (thời gian thực hiện: thường xuyên)", None).unwrap();
        assert_eq!((d.date, d.text.as_str()), (None, "thường xuyên"));
        let d = find_deadline("Đăng tải tin, bài thường xuyên.", None).unwrap();
        assert_eq!(d.text, "thường xuyên");
        assert_eq!(
            find_deadline("Thường xuyên chỉ đạo, định hướng tuyên truyền.", None),
            None
        );
        let d = find_deadline("Thời gian: từ tháng 4 đến hết tháng 5/2025.", Some(2025)).unwrap();
        assert_eq!(d.date.as_deref(), Some("2025-05-31"));
        let d = find_deadline("Tổ chức triển lãm trong tháng 8/2025.", None).unwrap();
        assert_eq!(d.date.as_deref(), Some("2025-08-31"));
        assert_eq!(
            find_deadline("trước ngày 31/02/2021", None).unwrap().date,
            None
        );
        assert_eq!(
            impossible_date("trước ngày 31/02/2021.").as_deref(),
            Some("31/02/2021")
        );
        assert_eq!(
            impossible_date("ngày 30 tháng 2 năm 2024").as_deref(),
            Some("30 tháng 2 năm 2024")
        );
        assert_eq!(impossible_date("trước ngày 28/02/2021"), None);
    }
}
