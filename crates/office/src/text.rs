//! Small text and date helpers shared by the writers and the reader.

/// Makes a string safe to place in an XML 1.0 document: XML forbids most C0
/// controls outright (a document containing one is not well formed and Word
/// refuses to open it), C1 controls are "discouraged" and only ever arrive by
/// mistake, and U+FFFE/U+FFFF are non-characters. Line breaks and tabs become
/// spaces because each of our runs is a single line of text.
pub(crate) fn xml_safe(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => None,
            _ => Some(c),
        })
        .collect()
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Whether (day, month, year) names a real calendar day. Years are limited to
/// what Excel can store so the same check serves every format.
pub(crate) fn is_valid_date(day: u32, month: u32, year: i32) -> bool {
    if !(1900..=9999).contains(&year) {
        return false;
    }
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// The Vietnamese short date, as Excel shows it with a vi-VN locale.
pub(crate) fn dd_mm_yyyy(day: u32, month: u32, year: i32) -> String {
    format!("{day:02}/{month:02}/{year}")
}

/// A number as a person would type it: integers without a trailing ".0",
/// and non-finite values (which no spreadsheet can hold) as an empty cell.
pub(crate) fn format_number(n: f64) -> String {
    if !n.is_finite() {
        return String::new();
    }
    // Below 2^53 every integer-valued f64 is exact, so printing it as an
    // integer loses nothing; beyond that Display already omits the fraction.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return format!("{}", n as i64);
    }
    format!("{n}")
}

/// "A1"-style column letters for a zero-based column index.
pub(crate) fn column_letters(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_xml_forbids() {
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\u{fffe}"), "abc");
        assert_eq!(xml_safe("dòng 1\ndòng 2\tx"), "dòng 1 dòng 2 x");
        assert_eq!(xml_safe("Số    -BC/TU"), "Số    -BC/TU");
    }

    #[test]
    fn validates_calendar_days() {
        assert!(is_valid_date(29, 2, 2024));
        assert!(!is_valid_date(29, 2, 2023));
        assert!(!is_valid_date(29, 2, 1900));
        assert!(is_valid_date(29, 2, 2000));
        assert!(!is_valid_date(31, 4, 2021));
        assert!(!is_valid_date(0, 1, 2021));
        assert!(!is_valid_date(1, 13, 2021));
        assert!(!is_valid_date(1, 1, -5));
    }

    #[test]
    fn numbers_lose_trailing_zero() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-12.0), "-12");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(f64::NAN), "");
        assert_eq!(format_number(1e300), format!("{}", 1e300));
    }

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
        assert_eq!(column_letters(u32::MAX), column_letters(u32::MAX));
    }
}
