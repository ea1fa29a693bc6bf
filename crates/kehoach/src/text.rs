//! Text fields typed by people: trimmed, bounded and NFC-normalised once, at
//! the edge, so stored text compares and hashes the same whatever keyboard
//! (composed or decomposed Vietnamese) produced it. Errors are Fluent keys.

use unicode_normalization::UnicodeNormalization;

/// A field that must not be empty, of at most `max` characters.
pub fn required(s: &str, max: usize) -> Result<String, &'static str> {
    match optional(s, max)? {
        Some(t) => Ok(t),
        None => Err("err-text-empty"),
    }
}

/// A field that may be empty (then `None`), of at most `max` characters.
pub fn optional(s: &str, max: usize) -> Result<Option<String>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        Ok(None)
    } else if has_control(t) {
        Err("err-text-control")
    } else if t.chars().count() > max {
        Err("err-text-long")
    } else {
        Ok(Some(t.nfc().collect()))
    }
}

/// A field that may be empty (then the empty string).
pub fn or_empty(s: &str, max: usize) -> Result<String, &'static str> {
    optional(s, max).map(Option::unwrap_or_default)
}

/// The trimmed text, or `None` when blank; no length rule.
pub fn non_blank(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// Control characters (NUL, escape, …) have no place in typed text; line
/// breaks and tabs do.
pub fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// At most `max` characters of untrusted input for a log line, escaped, so a
/// log never carries a megabyte or a forged line of someone else's text.
pub fn log_prefix(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).flat_map(char::escape_debug).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// A whole number within `range`; `err` is the Fluent key shown otherwise.
pub fn number(
    s: &str,
    range: std::ops::RangeInclusive<i64>,
    err: &'static str,
) -> Result<i64, &'static str> {
    s.trim()
        .parse()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_bounds_and_composes() {
        assert_eq!(required("  a  ", 5), Ok("a".into()));
        assert_eq!(required("   ", 5), Err("err-text-empty"));
        assert_eq!(required("abcdef", 5), Err("err-text-long"));
        // "ệ" typed as e + combining marks becomes the composed character.
        assert_eq!(required("e\u{323}\u{302}", 5), Ok("\u{1ec7}".into()));
        assert_eq!(optional(" ", 5), Ok(None));
        assert_eq!(or_empty(" ", 5), Ok(String::new()));
        assert_eq!(non_blank("  x "), Some("x"));
        assert_eq!(number(" 7 ", 1..=9, "err"), Ok(7));
        assert_eq!(number("10", 1..=9, "err"), Err("err"));
        assert_eq!(required("a\u{0}b", 5), Err("err-text-control"));
        assert_eq!(required("a\nb", 5), Ok("a\nb".into()));
        assert_eq!(log_prefix("ab\ncd", 3), "ab\\n…");
    }
}
