//! Diacritic-insensitive folding and small text predicates shared by the
//! recognisers.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Diacritic-insensitive fold for matching and search: NFD, drop combining
/// marks, đ/Đ → d, lowercase, collapse whitespace, trim.
///
/// `fold("Đảng ủy") == "dang uy"`, and both tone placements ("hòa"/"hoà") as
/// well as NFC and NFD input give the same result.
pub fn fold(s: &str) -> String {
    fold_chars(s.chars(), s.len())
}

/// Folds at most the first `max_chars` characters: recognisers only look at
/// the start of a line, and long lines must stay cheap.
pub(crate) fn fold_prefix(s: &str, max_chars: usize) -> String {
    fold_chars(s.chars().take(max_chars), max_chars.min(s.len()))
}

fn fold_chars(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = Folded {
        text: String::with_capacity(capacity),
        pending_space: false,
    };
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = latin_table(c) {
            out.push(folded);
        } else {
            fold_char(c, |d| out.push(d));
        }
    }
    out.text
}

/// Folds one character. Dropping every combining mark makes canonical
/// reordering moot, so decomposing char by char equals taking the NFD of the
/// whole text: NFC and NFD inputs fold alike. Lowercasing can produce new
/// decomposable characters (e.g. U+0130), hence the second pass.
fn fold_char(c: char, mut emit: impl FnMut(char)) {
    decompose_canonical(c, |base| {
        if !is_combining_mark(base) {
            for lower in base.to_lowercase() {
                decompose_canonical(lower, |d| {
                    if !is_combining_mark(d) {
                        emit(d);
                    }
                });
            }
        }
    });
}

const LATIN: std::ops::RangeInclusive<u32> = 0xC0..=0x24F;
const VIETNAMESE: std::ops::RangeInclusive<u32> = 0x1E00..=0x1EFF;

/// `fold_char` precomputed for the Latin letters Vietnamese uses, where it
/// yields exactly one character (`'\0'` marks the others).
fn latin_table(c: char) -> Option<char> {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let code = c as u32;
    let index = if LATIN.contains(&code) {
        code - LATIN.start()
    } else if VIETNAMESE.contains(&code) {
        code - VIETNAMESE.start() + (LATIN.end() - LATIN.start() + 1)
    } else {
        return None;
    };
    let table = TABLE.get_or_init(|| {
        LATIN
            .chain(VIETNAMESE)
            .map(|code| {
                let mut out = Vec::new();
                if let Some(c) = char::from_u32(code) {
                    fold_char(c, |d| out.push(d));
                }
                match out.as_slice() {
                    [one] if !one.is_whitespace() => *one,
                    _ => '\0',
                }
            })
            .collect()
    });
    table.get(index as usize).copied().filter(|c| *c != '\0')
}

/// Output of [`fold`]: đ → d, whitespace runs collapsed, trimmed.
struct Folded {
    text: String,
    pending_space: bool,
}

impl Folded {
    fn push(&mut self, c: char) {
        let c = if c == 'đ' || c == 'Đ' { 'd' } else { c };
        if c.is_ascii_graphic() && !self.pending_space {
            self.text.push(c);
            return;
        }
        if c.is_whitespace() {
            self.pending_space = !self.text.is_empty();
            return;
        }
        if self.pending_space {
            self.text.push(' ');
            self.pending_space = false;
        }
        self.text.push(c);
    }
}

/// True when the text has letters and none of them is lowercase, e.g.
/// "T/M BAN THƯỜNG VỤ".
pub(crate) fn is_caps(s: &str) -> bool {
    let mut letters = 0usize;
    for c in s.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

pub(crate) fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

pub(crate) fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// Collapses runs of whitespace into one space and trims.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Strips trailing list punctuation (",", ";", ".", ":") and whitespace.
pub(crate) fn trim_list_punct(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '.' | ':'))
        .trim_start()
}

/// Finds `needle` (written in lower case) either as is or with its first
/// letter capitalised, e.g. "chủ trì" / "Chủ trì". One pass over `hay`, so
/// callers may loop over matches without going quadratic.
pub(crate) fn find_either_case(hay: &str, needle: &str) -> Option<usize> {
    let mut chars = needle.chars();
    let first = chars.next()?;
    let tail = chars.as_str();
    if tail.is_empty() {
        return hay.find(|c: char| same_letter(c, first));
    }
    hay.match_indices(tail).find_map(|(i, _)| {
        let c = hay[..i].chars().next_back()?;
        same_letter(c, first).then(|| i - c.len_utf8())
    })
}

fn same_letter(c: char, lower: char) -> bool {
    c == lower || c.to_lowercase().eq(lower.to_lowercase())
}

/// `s` without a leading `word` (matched like [`find_either_case`]).
pub(crate) fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let mut wc = word.chars();
    let first = wc.next()?;
    let mut sc = s.chars();
    let c = sc.next()?;
    if !same_letter(c, first) {
        return None;
    }
    sc.as_str().strip_prefix(wc.as_str())
}

/// Finds `word` as a whole word (bounded by non-alphanumerics).
pub(crate) fn find_word(hay: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = hay.get(from..).and_then(|h| h.find(word)) {
        let at = from + rel;
        let before_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The first `max` characters of `s`, with "…" when cut; used to quote
/// offending text in warnings.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", s[..cut].trim_end()),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đảng ủy"), "dang uy");
        assert_eq!(fold("hòa"), fold("hoà"));
        assert_eq!(fold("  Sở   Văn hóa,\tThể thao "), "so van hoa, the thao");
        let s = "Nguyễn Trãi phường Quỳnh uỷ";
        assert_eq!(
            fold(&s.nfc().collect::<String>()),
            fold(&s.nfd().collect::<String>())
        );
        assert_eq!(fold("ĐẢNG CỘNG SẢN VIỆT NAM"), "dang cong san viet nam");
    }

    #[test]
    fn prefix_and_predicates() {
        assert_eq!(fold_prefix("Nơi nhận: abc", 8), "noi nhan");
        assert!(is_caps("T/M BAN THƯỜNG VỤ"));
        assert!(!is_caps("Cao Thị Hòa An"));
        assert!(!is_caps("1."));
        assert_eq!(trim_list_punct("- abc ,; "), "- abc");
        assert_eq!(find_either_case("Chủ trì, phối hợp", "chủ trì"), Some(0));
        assert_eq!(find_word("nhiệm kỳ 2020-2025", "2020"), Some(13));
        assert_eq!(find_word("x12020", "2020"), None);
        assert_eq!(excerpt("một hai ba", 3), "một…");
    }
}
