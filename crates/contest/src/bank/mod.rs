//! Importing a multiple-choice question bank from what offices already have:
//! a spreadsheet (the downloadable template, or their own) or a Word
//! document. The caller turns the file into rows of strings or lines of
//! text; this module turns those into [`QuestionDraft`]s or into a list of
//! Vietnamese error messages that point at the offending row or line.
//!
//! Why the formats are as they are:
//!
//! * **Spreadsheet.** Columns are found by their header, not their position,
//!   because staff reorder, insert ("STT", "Ghi chú") and retype columns.
//!   Header names are compared without case, tone marks or spaces
//!   ("CÂU HỎI", "cau hoi", "Câu hỏi" are the same column) because the same
//!   header gets typed on keyboards with and without Vietnamese input.
//!   Unknown columns are ignored. The answer may be the letter (in any case,
//!   with stray spaces), "Phương án B", or the text of the option, which is
//!   what people copy when they build the sheet from an older document.
//! * **Word.** This is the layout Vietnamese exam setters commonly use:
//!   "Câu 1: …", options "A. …" to "F. …", the correct one marked with a
//!   leading `*` or given on a "Đáp án: B" line, a "Chủ đề: …" line that
//!   applies to the questions after it, and an optional difficulty marker
//!   such as "(Mức độ: 2)" or "[khó]" at the end of the question. Anything
//!   before the first "Câu" line (the document title) is ignored, and so is
//!   text between questions once a blank line has closed the options (section
//!   headings). Text directly after the options that is not an option is an
//!   error rather than being guessed at. Options may also be given on one
//!   line separated by tabs ("A. 1925⇥B. 1930⇥…"), as in printed exams.
//!   Questions before any "Chủ đề:" line get the topic "Chung" (general):
//!   short documents often have a single topic and no such line.
//! * **All or nothing.** If any question is wrong, nothing is imported and
//!   every problem is reported at once, so the office fixes the file in one
//!   pass and never ends up with half a bank in the contest. A file with no
//!   question at all is an error too (usually the wrong file or sheet), and
//!   one import holds at most [`MAX_QUESTIONS`].
//! * **Refusals.** Duplicated questions (ignoring case and spacing) and
//!   duplicated options are refused because they are almost always
//!   copy-paste mistakes; cells that a spreadsheet would evaluate as a formula (`=`,
//!   `+`, `@` or `-` followed by a letter) are refused because the bank
//!   may be exported to a spreadsheet again (CSV injection); the length limits
//!   keep a question readable on a phone screen. "-5" or "+84" stay
//!   legitimate answers.
//!
//! Messages are in Vietnamese and already carry their location ("Dòng 5: …"
//! or "Câu 3 (dòng 14): …"), because they are shown to office staff as they
//! are. Line numbers are 1-based, the header row being line 1.

use std::collections::HashMap;

use serde::Serialize;

/// The header of the downloadable spreadsheet template, in order.
pub const TEMPLATE_HEADER: [&str; 10] = [
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Phương án E",
    "Phương án F",
    "Đáp án",
    "Chủ đề",
    "Mức độ",
];

/// Most questions one import may hold.
pub const MAX_QUESTIONS: usize = 5_000;
/// Longest question text, in characters.
pub const MAX_QUESTION_CHARS: usize = 1_000;
/// Longest option text, in characters.
pub const MAX_OPTION_CHARS: usize = 300;

/// Option letters, in order; a question has 2 to 6 options.
const LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];
/// Topic of Word questions that follow no "Chủ đề:" line.
const DEFAULT_TOPIC: &str = "Chung";

/// One question as read from the file, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionDraft {
    /// The question, whitespace runs collapsed to single spaces.
    pub text: String,
    /// 2 to 6 options, in order A, B, …, whitespace collapsed.
    pub options: Vec<String>,
    /// 0-based index into `options` of the correct one.
    pub correct: u8,
    /// Topic, whitespace collapsed.
    pub topic: String,
    /// 1 (dễ), 2 (trung bình) or 3 (khó); 1 when not given.
    pub difficulty: u8,
}

/// A problem in the imported file. `message` is the complete Vietnamese
/// sentence to show, location included (e.g. "Dòng 5: thiếu nội dung câu
/// hỏi"); `line` is the 1-based row (header = 1) or text line it refers to,
/// for a Word question the line of its "Câu" line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct BankError {
    /// 1-based row number (header row = 1) or line number in the text.
    pub line: usize,
    /// Vietnamese message, location included.
    pub message: String,
}

// ---------------------------------------------------------------------------
// Text helpers

/// Vietnamese letters with diacritics, by the base letter they fold to.
/// Upper case is handled by lower-casing first.
const FOLD: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

/// Lower case without Vietnamese tone and vowel marks: "Đáp Án" → "dap an".
/// Input is assumed NFC; stray combining marks (from NFD text) are dropped.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            FOLD.iter()
                .find(|(_, marked)| marked.contains(c))
                .map_or(c, |&(base, _)| base)
        })
        .collect()
}

/// Folded, letters and digits only: "Phương án  B:" → "phuonganb".
fn key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Trimmed, whitespace runs collapsed to one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What two texts must share to count as the same question or option.
fn same_key(s: &str) -> String {
    collapse(s).to_lowercase()
}

/// The sign a spreadsheet would start a formula with, if `s` starts with
/// `=`, `+`, `@` or `-` followed by a letter.
fn formula_sign(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let first = chars.next()?;
    let formula = matches!(first, '=' | '+' | '@' | '-') && chars.next()?.is_alphabetic();
    formula.then_some(first)
}

/// 1234 → "1.234" (Vietnamese thousands separator).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The first `max` characters of `s`, with "…" if cut.
fn excerpt(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// "1", "2", "3" (also "2.0" from a numeric cell), "dễ", "trung bình", "khó".
fn parse_difficulty(s: &str) -> Option<u8> {
    let t = s.trim();
    let t = t
        .strip_suffix(".0")
        .or_else(|| t.strip_suffix(",0"))
        .unwrap_or(t);
    match t {
        "1" => return Some(1),
        "2" => return Some(2),
        "3" => return Some(3),
        _ => {}
    }
    match key(t).as_str() {
        "de" => Some(1),
        "trungbinh" => Some(2),
        "kho" => Some(3),
        _ => None,
    }
}

/// An option line: optional `*`, a letter A–F, then '.', ')' or ':'.
/// Returns (marked, letter index, text after the separator).
fn option_prefix(line: &str) -> Option<(bool, usize, &str)> {
    let (marked, rest) = match line.strip_prefix('*') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, line),
    };
    let mut chars = rest.chars();
    let first = chars.next()?;
    let letter = LETTERS.iter().position(|&l| l == first)?;
    if !matches!(chars.next()?, '.' | ')' | ':') {
        return None;
    }
    Some((marked, letter, rest[2..].trim()))
}

// ---------------------------------------------------------------------------
// Checks shared by both formats. Messages carry no location; the caller
// prefixes it.

fn check_text(text: &str, errors: &mut Vec<String>) {
    let n = text.chars().count();
    if n == 0 {
        errors.push("thiếu nội dung câu hỏi".into());
    } else if n > MAX_QUESTION_CHARS {
        errors.push(format!(
            "câu hỏi dài quá {} ký tự (có {} ký tự)",
            thousands(MAX_QUESTION_CHARS),
            thousands(n)
        ));
    }
}

/// `options` are (letter index, text) in the order given.
fn check_options(options: &[(usize, String)], errors: &mut Vec<String>) {
    if options.len() < 2 {
        errors.push("cần ít nhất 2 phương án".into());
    }
    for (letter, text) in options {
        let n = text.chars().count();
        if n == 0 {
            errors.push(format!("phương án {} để trống", LETTERS[*letter]));
        } else if n > MAX_OPTION_CHARS {
            errors.push(format!(
                "phương án {} dài quá {MAX_OPTION_CHARS} ký tự (có {} ký tự)",
                LETTERS[*letter],
                thousands(n)
            ));
        }
    }
    let keys: Vec<String> = options
        .iter()
        .map(|(_, t)| same_key(t))
        .filter(|k| !k.is_empty())
        .collect();
    if keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k)) {
        errors.push("phương án trùng nhau".into());
    }
}

/// The letter an answer designates, if it is written as one: "B", " b ",
/// "Phương án B".
fn answer_letter(answer: &str) -> Option<usize> {
    let last = answer.chars().last()?;
    let letter = LETTERS
        .iter()
        .position(|&l| l == last.to_ascii_uppercase())?;
    let head = key(&answer[..answer.len() - 1]);
    (head.is_empty() || head == "phuongan").then_some(letter)
}

/// Position in `options` of the option `answer` designates: its letter, its
/// text, or "B. its text".
fn resolve_answer(answer: &str, options: &[(usize, String)]) -> Result<usize, String> {
    let answer = answer.trim();
    let by_letter = |letter: usize| {
        options
            .iter()
            .position(|(l, _)| *l == letter)
            .ok_or_else(|| format!("đáp án \"{answer}\" không có phương án tương ứng"))
    };
    if let Some(letter) = answer_letter(answer) {
        return by_letter(letter);
    }
    let wanted = same_key(answer);
    if let Some(p) = options.iter().position(|(_, t)| same_key(t) == wanted) {
        return Ok(p);
    }
    let upper: String = answer
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .collect();
    let upper = upper + &answer[answer.chars().next().map_or(0, char::len_utf8)..];
    if let Some((false, letter, text)) = option_prefix(&upper) {
        let p = by_letter(letter)?;
        if same_key(text) != same_key(&options[p].1) {
            return Err(format!(
                "đáp án \"{answer}\" không khớp với nội dung phương án {}",
                LETTERS[letter]
            ));
        }
        return Ok(p);
    }
    Err(format!(
        "đáp án \"{answer}\" không phải chữ cái A–F và không trùng với phương án nào"
    ))
}

fn too_many(count: usize) -> Option<String> {
    (count == MAX_QUESTIONS + 1).then(|| {
        format!(
            "vượt quá {} câu hỏi, giới hạn của một lần nhập",
            thousands(MAX_QUESTIONS)
        )
    })
}

mod sheet;
mod word;

pub use sheet::parse_rows;
pub use word::parse_text;

/// All or nothing: the drafts, or every error; no question at all is an error too.
fn finish(
    drafts: Vec<QuestionDraft>,
    errors: Vec<BankError>,
    empty: &str,
) -> Result<Vec<QuestionDraft>, Vec<BankError>> {
    if !errors.is_empty() {
        Err(errors)
    } else if drafts.is_empty() {
        Err(vec![BankError {
            line: 1,
            message: empty.into(),
        }])
    } else {
        Ok(drafts)
    }
}

#[cfg(test)]
mod tests {
    use super::sheet::Column;
    use super::word::{question_line, split_marker};
    use super::*;

    #[test]
    fn folds_every_vietnamese_letter() {
        for (base, marked) in FOLD {
            for c in marked.chars() {
                assert_eq!(fold(&c.to_string()), base.to_string(), "{c}");
                let upper: String = c.to_uppercase().collect();
                assert_eq!(fold(&upper), base.to_string(), "{upper}");
            }
        }
        // 12 vowel letters × 5 tones, plus the 6 toneless marked vowels and đ.
        let total: usize = FOLD.iter().map(|(_, m)| m.chars().count()).sum();
        assert_eq!(total, 12 * 5 + 6 + 1);
        assert_eq!(fold("ĐÁP ÁN Đúng"), "dap an dung");
        // Decomposed input: combining marks are dropped.
        assert_eq!(fold("Cau\u{302}\u{309} ho\u{309}i"), "cau hoi");
    }

    #[test]
    fn recognises_headers() {
        assert_eq!(Column::recognise("CÂU HỎI"), Some(Column::Question));
        assert_eq!(Column::recognise(" cau  hoi "), Some(Column::Question));
        assert_eq!(Column::recognise("Phương án f"), Some(Column::Option(5)));
        assert_eq!(Column::recognise("Phương án G"), None);
        assert_eq!(Column::recognise("STT"), None);
    }

    #[test]
    fn recognises_question_lines() {
        assert_eq!(question_line("Câu 1: Hỏi?"), Some(("1", "Hỏi?")));
        assert_eq!(question_line("CÂU 12. Hỏi?"), Some(("12", "Hỏi?")));
        assert_eq!(question_line("Câu 3 - Hỏi?"), Some(("3", "Hỏi?")));
        assert_eq!(question_line("Câu 4) Hỏi?"), Some(("4", "Hỏi?")));
        assert_eq!(question_line("Câu hỏi 5: Hỏi?"), Some(("5", "Hỏi?")));
        assert_eq!(question_line("Câu 6"), Some(("6", "")));
        assert_eq!(question_line("Câu hỏi nào đúng?"), None);
        assert_eq!(question_line("Câu 7 có nghĩa là"), None);
    }

    #[test]
    fn markers() {
        assert_eq!(split_marker("Hỏi? (Mức độ: 2)"), ("Hỏi?", Some(Ok(2))));
        assert_eq!(split_marker("Hỏi? [khó]"), ("Hỏi?", Some(Ok(3))));
        assert_eq!(split_marker("Hỏi? (Mức độ: 7)"), ("Hỏi?", Some(Err(()))));
        assert_eq!(
            split_marker("Theo (Luật Đất đai)"),
            ("Theo (Luật Đất đai)", None)
        );
        assert_eq!(split_marker("Năm [2]"), ("Năm [2]", None));
    }

    #[test]
    fn thousands_separator() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(1_000), "1.000");
        assert_eq!(thousands(1_234_567), "1.234.567");
    }
}
