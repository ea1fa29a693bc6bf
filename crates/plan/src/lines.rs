//! Splitting into lines and reading each line's list marker
//! ("IV.", "1.2.", "a)", "-", "+").

/// Beyond this many lines a file is not a plan any more; the rest is ignored
/// (with a warning) so memory stays bounded.
pub(crate) const MAX_LINES: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker<'a> {
    Plain,
    /// "-----", "***", a lone "*": separators under headings.
    Rule,
    /// "IV." or "Phần IV:".
    Roman {
        value: u32,
        numeral: &'a str,
    },
    /// "1.", "1.2.", "1.2" (no trailing dot needed when there are two parts).
    /// `paren` for "1)", which Vietnamese documents use for sub-lists.
    Num {
        number: &'a str,
        depth: u8,
        paren: bool,
    },
    /// "a)", "đ)", "b.".
    Letter(char),
    /// "-", "+", "•"...
    Bullet(char),
}

#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the decoded text.
    pub no: usize,
    pub raw: &'a str,
    /// `raw` trimmed.
    pub text: &'a str,
    pub indented: bool,
    pub marker: Marker<'a>,
    /// Text after the marker, trimmed.
    pub body: &'a str,
}

impl Line<'_> {
    pub(crate) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn is_item(&self) -> bool {
        !self.is_blank() && !matches!(self.marker, Marker::Rule | Marker::Roman { .. })
    }
}

/// Splits text into lines; returns them and whether the text was cut at
/// [`MAX_LINES`].
pub(crate) fn split(text: &str) -> (Vec<Line<'_>>, bool) {
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        if i == MAX_LINES {
            return (lines, true);
        }
        lines.push(read_line(i + 1, raw));
    }
    (lines, false)
}

pub(crate) fn read_line(no: usize, raw: &str) -> Line<'_> {
    let text = raw.trim();
    let indented = raw.starts_with(char::is_whitespace) && !text.is_empty();
    let (marker, body) = read_marker(text);
    Line {
        no,
        raw,
        text,
        indented,
        marker,
        body: body.trim(),
    }
}

/// Cells of a line laid out as columns (a letterhead or the signature row):
/// split at tabs and at runs of three or more spaces.
pub(crate) fn cells(raw: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in raw.split('\t') {
        let mut rest = part;
        while let Some(at) = rest.find("   ") {
            out.push(&rest[..at]);
            rest = rest[at..].trim_start_matches(' ');
        }
        out.push(rest);
    }
    out.into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

fn read_marker(text: &str) -> (Marker<'_>, &str) {
    if text.is_empty() {
        return (Marker::Plain, text);
    }
    if is_rule(text) {
        return (Marker::Rule, "");
    }
    if let Some(found) = roman(text) {
        return found;
    }
    if let Some(found) = numbered(text) {
        return found;
    }
    if let Some(found) = lettered(text) {
        return found;
    }
    if let Some(found) = bullet(text) {
        return found;
    }
    (Marker::Plain, text)
}

fn is_rule(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, '-' | '_' | '=' | '*' | '~' | '–' | '—' | '·' | '•') || c.is_whitespace()
    })
}

/// The terminator after a list number: "." ")" ":" "-" "–".
fn after_terminator(rest: &str, allow_dash: bool) -> Option<&str> {
    let mut chars = rest.chars();
    let c = chars.next()?;
    let ok = matches!(c, '.' | ')' | ':') || (allow_dash && matches!(c, '-' | '–'));
    ok.then_some(chars.as_str())
}

fn roman(text: &str) -> Option<(Marker<'_>, &str)> {
    let (text, needs_sep) = match text.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("phần ") || p == "PHẦN " => {
            (text[7..].trim_start(), false)
        }
        _ => (text, true),
    };
    let len = text.bytes().take_while(|b| b"IVXL".contains(b)).count();
    if len == 0 {
        return None;
    }
    let numeral = &text[..len];
    let value = roman_value(numeral)?;
    let rest = &text[len..];
    let rest = match after_terminator(rest.trim_start(), true) {
        Some(r) => r,
        None if !needs_sep && (rest.is_empty() || rest.starts_with(char::is_whitespace)) => rest,
        None => return None,
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((Marker::Roman { value, numeral }, rest))
}

/// Value of a canonical Roman numeral up to 39 (plans never have more
/// sections); anything else ("IIII", "VX") is not a numeral.
pub(crate) fn roman_value(s: &str) -> Option<u32> {
    const UNITS: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = s.bytes().take_while(|b| *b == b'X').count();
    if tens > 3 {
        return None;
    }
    let unit = UNITS.iter().position(|u| *u == &s[tens..])?;
    let value = (tens * 10 + unit) as u32;
    (value > 0).then_some(value)
}

pub(crate) fn to_roman(mut n: u32) -> String {
    const UNITS: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let mut out = String::new();
    while n >= 10 {
        out.push('X');
        n -= 10;
    }
    out.push_str(UNITS[n as usize]);
    out
}

fn numbered(text: &str) -> Option<(Marker<'_>, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut depth = 0u8;
    let mut end_of_number;
    loop {
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 2 {
            return None;
        }
        i += digits;
        depth += 1;
        end_of_number = i;
        // A dot followed by another component continues the number.
        if bytes.get(i) == Some(&b'.')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            && depth < 6
        {
            i += 1;
            continue;
        }
        break;
    }
    let number = &text[..end_of_number];
    let rest = &text[end_of_number..];
    let (rest, paren) = match rest.as_bytes().first() {
        Some(b'.') => (&rest[1..], false),
        Some(b')') => (&rest[1..], true),
        // "1.1 Công tác" – a multi-part number needs no final dot.
        Some(c) if depth > 1 && c.is_ascii_whitespace() => (rest, false),
        _ => return None,
    };
    // "1.Ban Tuyên giáo" (missing space) is accepted; "1.5%" is not.
    let next = rest.chars().next();
    if next.is_some_and(|c| !(c.is_whitespace() || c.is_alphabetic())) {
        return None;
    }
    Some((
        Marker::Num {
            number,
            depth,
            paren,
        },
        rest,
    ))
}

const LETTERS: &str = "abcdđeghiklmnopqrstuvxy";

fn lettered(text: &str) -> Option<(Marker<'_>, &str)> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if !LETTERS.contains(c) {
        return None;
    }
    let rest = chars.as_str();
    let rest = match rest.chars().next() {
        Some(')') => &rest[1..],
        Some('.') => &rest[1..],
        _ => return None,
    };
    // A letter item is followed by text; "a." alone or "b.c" is something else.
    if !rest.starts_with(char::is_whitespace) || rest.trim().is_empty() {
        return None;
    }
    Some((Marker::Letter(c), rest))
}

/// Position of a letter in the Vietnamese list alphabet (a b c d đ e g h ...).
pub(crate) fn letter_index(c: char) -> Option<usize> {
    LETTERS.chars().position(|l| l == c)
}

fn bullet(text: &str) -> Option<(Marker<'_>, &str)> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if !matches!(
        c,
        '-' | '+' | '–' | '—' | '•' | '●' | '▪' | '◦' | '*' | '·' | '\u{f0b7}'
    ) {
        return None;
    }
    let rest = chars.as_str();
    let next = rest.chars().next()?;
    // "-5%" or "--" are not bullets.
    if next.is_ascii_digit() || next == c {
        return None;
    }
    let c = if matches!(c, '–' | '—' | '•' | '●' | '▪' | '·' | '\u{f0b7}') {
        '-'
    } else {
        c
    };
    Some((Marker::Bullet(c), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(s: &str) -> Marker<'_> {
        read_line(1, s).marker
    }

    #[test]
    fn markers() {
        assert_eq!(
            marker("IV. TỔ CHỨC THỰC HIỆN"),
            Marker::Roman {
                value: 4,
                numeral: "IV"
            }
        );
        assert_eq!(
            marker("Phần II: NỘI DUNG"),
            Marker::Roman {
                value: 2,
                numeral: "II"
            }
        );
        assert_eq!(marker("IIII. x"), Marker::Plain);
        assert_eq!(
            marker(" 2.9. Việc nghiên cứu"),
            Marker::Num {
                number: "2.9",
                depth: 2,
                paren: false
            }
        );
        assert_eq!(
            marker("1.1 Công tác"),
            Marker::Num {
                number: "1.1",
                depth: 2,
                paren: false
            }
        );
        assert_eq!(
            marker("1.1.2. Mục"),
            Marker::Num {
                number: "1.1.2",
                depth: 3,
                paren: false
            }
        );
        assert_eq!(
            marker("3) Ba"),
            Marker::Num {
                number: "3",
                depth: 1,
                paren: true
            }
        );
        assert_eq!(marker("2021 là năm"), Marker::Plain);
        assert_eq!(marker("22/3/2021 ngày"), Marker::Plain);
        assert_eq!(marker("đ) Sở Y tế"), Marker::Letter('đ'));
        assert_eq!(marker("f) x"), Marker::Plain);
        assert_eq!(marker(" - Vận động"), Marker::Bullet('-'));
        assert_eq!(marker("+ Tổ chức"), Marker::Bullet('+'));
        assert_eq!(marker("-----"), Marker::Rule);
        assert_eq!(marker("*"), Marker::Rule);
        assert_eq!(marker("-5% so với"), Marker::Plain);
        assert_eq!(
            read_line(1, "1. Ban Tuyên giáo Tỉnh ủy ").body,
            "Ban Tuyên giáo Tỉnh ủy"
        );
        assert_eq!(
            cells("TỈNH ỦY PHÚ YÊN\t\tĐẢNG CỘNG SẢN VIỆT NAM"),
            vec!["TỈNH ỦY PHÚ YÊN", "ĐẢNG CỘNG SẢN VIỆT NAM"]
        );
        assert_eq!(
            cells("  Số 12-KH/TU      Tuy Hòa, ngày 5"),
            vec!["Số 12-KH/TU", "Tuy Hòa, ngày 5"]
        );
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(roman_value("VX"), None);
        assert_eq!(to_roman(14), "XIV");
        for n in 1..40 {
            assert_eq!(roman_value(&to_roman(n)), Some(n));
        }
    }
}
