//! Turning the plain text a coordinator edits in a textarea into report
//! paragraphs, following the numbering habits of Party reports.

use kehoach_plan::roman;

use crate::docx::Paragraph;

impl Paragraph {
    /// Plain text → paragraphs. A line starting with an upper-case Roman
    /// numeral and "." ("I.", "II.", "IV.") is a [`Paragraph::Heading`];
    /// "1." or "1.1." is a [`Paragraph::SubHeading`]; "- " or "+ " is a
    /// [`Paragraph::Bullet`]; blank lines only separate; every other line is a
    /// [`Paragraph::Text`] of its own. Tables are not expressible in plain text.
    ///
    /// A "- " item keeps only its text (the dash is added back when written);
    /// a "+ " item keeps its "+ " so second-level items stay distinguishable.
    pub fn from_plain(text: &str) -> Vec<Paragraph> {
        text.lines()
            .map(|line| line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
            .filter(|line| !line.is_empty())
            .map(classify)
            .collect()
    }
}

fn classify(line: &str) -> Paragraph {
    if let Some(rest) = bullet_rest(line, &["- ", "– ", "• "]) {
        return Paragraph::Bullet(rest.to_string());
    }
    if let Some(rest) = bullet_rest(line, &["+ "]) {
        return Paragraph::Bullet(format!("+ {rest}"));
    }
    if is_roman_heading(line) {
        return Paragraph::Heading(line.to_string());
    }
    if is_numbered_heading(line) {
        return Paragraph::SubHeading(line.to_string());
    }
    Paragraph::Text(line.to_string())
}

fn bullet_rest<'a>(line: &'a str, markers: &[&str]) -> Option<&'a str> {
    markers
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .map(str::trim_start)
        .filter(|rest| !rest.is_empty())
}

/// The marker must be followed by a space or end the line, so "V.v." or
/// "X.Y" in ordinary text are not taken for headings.
fn ends_marker(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with(char::is_whitespace)
}

fn is_roman_heading(line: &str) -> bool {
    let numeral_len = line
        // Only I, V and X: report parts never reach L (50), and "C." or
        // "L." more likely label lettered sections than Roman numbers.
        .find(|c: char| !matches!(c, 'I' | 'V' | 'X'))
        .unwrap_or(line.len());
    let (numeral, rest) = line.split_at(numeral_len);
    let Some(rest) = rest.strip_prefix('.') else {
        return false;
    };
    ends_marker(rest) && roman_value(numeral).is_some_and(|n| roman(n) == numeral)
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let digit = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        _ => 0,
    };
    let values: Vec<u32> = s.chars().map(digit).collect();
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        match values.get(i + 1) {
            Some(next) if next > v => total -= *v as i64,
            _ => total += *v as i64,
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

/// "1.", "2.3.", "1.1" followed by a space. Each group has at most two
/// digits so a sentence opening with "1.000 người ..." stays body text.
fn is_numbered_heading(line: &str) -> bool {
    let mut rest = line;
    let mut groups = 0;
    loop {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 2 {
            return false;
        }
        groups += 1;
        rest = &rest[digits..];
        match rest.strip_prefix('.') {
            Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => rest = after,
            Some(after) => return ends_marker(after),
            // "1.1 Tiêu đề" without the final dot is common enough to accept,
            // but a bare "1 ..." is not a heading.
            None => return groups > 1 && ends_marker(rest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_round_trip() {
        for n in 1..=120 {
            assert_eq!(roman_value(&roman(n)), Some(n));
        }
        assert_eq!(roman_value("IIII").map(roman).as_deref(), Some("IV"));
        assert_eq!(roman_value(""), None);
    }
}
