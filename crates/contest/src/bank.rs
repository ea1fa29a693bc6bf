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

// ---------------------------------------------------------------------------
// Spreadsheet

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Question,
    Option(usize),
    Answer,
    Topic,
    Difficulty,
}

impl Column {
    fn recognise(header: &str) -> Option<Self> {
        let k = key(header);
        Some(match k.as_str() {
            "cauhoi" | "noidungcauhoi" => Self::Question,
            "dapan" | "dapandung" => Self::Answer,
            "chude" => Self::Topic,
            "mucdo" | "dokho" => Self::Difficulty,
            _ => {
                let rest = k.strip_prefix("phuongan")?;
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                Self::Option(LETTERS.iter().position(|&l| l == c.to_ascii_uppercase())?)
            }
        })
    }

    fn template_index(self) -> usize {
        match self {
            Self::Question => 0,
            Self::Option(i) => 1 + i,
            Self::Answer => 7,
            Self::Topic => 8,
            Self::Difficulty => 9,
        }
    }
}

/// Where each known column is in the sheet.
struct Layout {
    question: usize,
    /// Option columns A, B, … (contiguous).
    options: Vec<usize>,
    answer: usize,
    topic: usize,
    difficulty: Option<usize>,
}

impl Layout {
    fn from_header(header: &[String]) -> Result<Self, BankError> {
        let mut found: [Option<usize>; 10] = [None; 10];
        let mut problems = Vec::new();
        for (i, cell) in header.iter().enumerate() {
            let Some(column) = Column::recognise(cell) else {
                continue;
            };
            let slot = &mut found[column.template_index()];
            if slot.is_some() {
                problems.push(format!(
                    "cột \"{}\" xuất hiện nhiều lần",
                    TEMPLATE_HEADER[column.template_index()]
                ));
            } else {
                *slot = Some(i);
            }
        }
        // Optional option columns may only follow the ones before them.
        let last_option = (1..=6).rev().find(|&t| found[t].is_some()).unwrap_or(2);
        let required = [0, 7, 8].into_iter().chain(1..=last_option.max(2));
        let mut missing: Vec<usize> = required.filter(|&t| found[t].is_none()).collect();
        missing.sort_unstable();
        if !missing.is_empty() {
            let names: Vec<String> = missing
                .iter()
                .map(|&t| format!("\"{}\"", TEMPLATE_HEADER[t]))
                .collect();
            problems.insert(0, format!("thiếu cột {}", names.join(", ")));
        }
        if !problems.is_empty() {
            return Err(BankError {
                line: 1,
                message: format!("Dòng 1: {}", problems.join("; ")),
            });
        }
        let get = |t: usize| found[t].unwrap_or_default();
        Ok(Self {
            question: get(0),
            options: (1..=last_option).map(get).collect(),
            answer: get(7),
            topic: get(8),
            difficulty: found[9],
        })
    }

    fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.question)
            .chain(self.options.iter().copied())
            .chain([self.answer, self.topic])
            .chain(self.difficulty)
    }
}

/// Parses spreadsheet rows; the first row is the header. Returns every
/// question, or every problem found (nothing is imported if there is one).
pub fn parse_rows(rows: &[Vec<String>]) -> Result<Vec<QuestionDraft>, Vec<BankError>> {
    let Some((header, body)) = rows.split_first() else {
        return Err(vec![BankError {
            line: 1,
            message: "Tệp trống: không có dòng tiêu đề".into(),
        }]);
    };
    let layout = Layout::from_header(header).map_err(|e| vec![e])?;

    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut count = 0;
    for (i, row) in body.iter().enumerate() {
        let line = i + 2;
        let cell = |c: usize| row.get(c).map_or("", |s| s.trim());
        if layout.columns().all(|c| cell(c).is_empty()) {
            continue;
        }
        count += 1;
        let mut problems: Vec<String> = Vec::new();

        for c in layout.columns() {
            if let Some(sign) = formula_sign(cell(c)) {
                let m = format!("ô bắt đầu bằng dấu {sign} (công thức) không được chấp nhận");
                if !problems.contains(&m) {
                    problems.push(m);
                }
            }
        }

        let text = collapse(cell(layout.question));
        check_text(&text, &mut problems);

        let mut options = Vec::new();
        let mut gap = false;
        for (letter, &c) in layout.options.iter().enumerate() {
            let option = collapse(cell(c));
            if option.is_empty() {
                gap = true;
            } else {
                if gap {
                    problems.push(format!("phương án {} đứng sau ô trống", LETTERS[letter]));
                }
                options.push((letter, option));
            }
        }
        check_options(&options, &mut problems);

        let answer = cell(layout.answer);
        let correct = if answer.is_empty() {
            problems.push("thiếu đáp án".into());
            None
        } else {
            resolve_answer(answer, &options)
                .map_err(|m| problems.push(m))
                .ok()
        };

        let topic = collapse(cell(layout.topic));
        if topic.is_empty() {
            problems.push("thiếu chủ đề".into());
        }

        let difficulty = match layout.difficulty.map(cell).unwrap_or_default() {
            "" => 1,
            d => parse_difficulty(d).unwrap_or_else(|| {
                problems.push("mức độ phải là 1, 2 hoặc 3".into());
                1
            }),
        };

        if !text.is_empty() {
            if let Some(first) = seen.get(&same_key(&text)) {
                problems.push(format!("câu hỏi trùng với dòng {first}"));
            } else {
                seen.insert(same_key(&text), line);
            }
        }
        problems.extend(too_many(count));

        match correct {
            Some(correct) if problems.is_empty() => drafts.push(QuestionDraft {
                text,
                options: options.into_iter().map(|(_, o)| o).collect(),
                correct: u8::try_from(correct).unwrap_or_default(),
                topic,
                difficulty,
            }),
            _ => errors.extend(problems.into_iter().map(|m| BankError {
                line,
                message: format!("Dòng {line}: {m}"),
            })),
        }
    }
    finish(drafts, errors, "Tệp không có câu hỏi nào")
}

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

// ---------------------------------------------------------------------------
// Word text

/// `line` is "Label: value" with the label folding to one of `labels`.
fn labelled<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let (label, value) = line.split_once(':')?;
    (label.chars().count() <= 20 && labels.contains(&key(label).as_str())).then(|| value.trim())
}

/// A "Câu 12: …" line ("Câu 12.", "Câu 12 -", "Câu 12)", "Câu hỏi 12:", or
/// "Câu 12" alone): the number as written and the text after it.
fn question_line(line: &str) -> Option<(&str, &str)> {
    let head: String = line.chars().take(3).collect();
    if fold(&head) != "cau" {
        return None;
    }
    let rest = line[head.len()..].trim_start();
    let rest = match rest.split_once(char::is_whitespace) {
        Some((word, after)) if key(word) == "hoi" => after.trim_start(),
        _ => rest,
    };
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let (number, after) = rest.split_at(digits);
    let after = after.trim_start();
    let mut chars = after.chars();
    match chars.next() {
        None => Some((number, "")),
        Some(':' | '.' | '-' | ')' | '–' | '—') => Some((number, chars.as_str().trim())),
        Some(_) => None,
    }
}

/// A difficulty marker at the end of a line: "(Mức độ: 2)", "[khó]",
/// "(dễ)". Returns the line without it and the difficulty (Err if labelled
/// "Mức độ" but not 1–3).
fn split_marker(line: &str) -> (&str, Option<Result<u8, ()>>) {
    let t = line.trim_end();
    let open = match t.chars().last() {
        Some(')') => '(',
        Some(']') => '[',
        _ => return (t, None),
    };
    let Some(start) = t.rfind(open) else {
        return (t, None);
    };
    let inner = &t[start + 1..t.len() - 1];
    let k = key(inner);
    let value = if let Some(v) = k.strip_prefix("mucdo").or_else(|| k.strip_prefix("dokho")) {
        parse_difficulty(v).ok_or(())
    } else if matches!(k.as_str(), "de" | "trungbinh" | "kho") {
        parse_difficulty(&k).ok_or(())
    } else {
        return (t, None);
    };
    (t[..start].trim_end(), Some(value))
}

/// A question being read from the text.
struct Pending<'a> {
    number: &'a str,
    line: usize,
    text: Vec<&'a str>,
    /// (letter, text, marked with '*').
    options: Vec<(usize, String, bool)>,
    answers: Vec<&'a str>,
    difficulty: Option<u8>,
    /// A blank line came after the options: the question's block is over.
    closed: bool,
    problems: Vec<String>,
}

impl<'a> Pending<'a> {
    fn new(number: &'a str, line: usize) -> Self {
        Self {
            number,
            line,
            text: Vec::new(),
            options: Vec::new(),
            answers: Vec::new(),
            difficulty: None,
            closed: false,
            problems: Vec::new(),
        }
    }

    fn set_difficulty(&mut self, d: Option<u8>) {
        match (d, self.difficulty) {
            (None, _) => self.problems.push("mức độ phải là 1, 2 hoặc 3".into()),
            (Some(d), Some(old)) if d != old => {
                self.problems
                    .push("mức độ được ghi hai lần, khác nhau".into());
            }
            (Some(d), _) => self.difficulty = Some(d),
        }
    }

    fn add_text(&mut self, line: &'a str) {
        let (text, marker) = split_marker(line);
        if let Some(d) = marker {
            self.set_difficulty(d.ok());
        }
        self.text.push(text);
    }

    /// Adds the options on `line`, if it is an option line (or several
    /// options separated by tabs). Returns whether it was.
    fn add_options(&mut self, line: &str) -> bool {
        let pieces: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let parsed: Vec<_> =
            if pieces.len() > 1 && pieces.iter().all(|p| option_prefix(p).is_some()) {
                pieces.iter().filter_map(|p| option_prefix(p)).collect()
            } else if let Some(option) = option_prefix(line) {
                vec![option]
            } else {
                return false;
            };
        let next = self.options.len();
        if self.closed && parsed[0].1 != next {
            // After a blank line, "B. PHẦN HAI" is a heading, not option B.
            return true;
        }
        self.closed = false;
        for (marked, letter, text) in parsed {
            let expected = self.options.len();
            if letter != expected {
                let wanted = LETTERS
                    .get(expected)
                    .map_or_else(|| "không quá 6 phương án".into(), |l| format!("cần {l}"));
                self.problems.push(format!(
                    "phương án {} không đúng thứ tự ({wanted})",
                    LETTERS[letter]
                ));
            }
            self.options.push((letter, collapse(text), marked));
        }
        true
    }

    fn finish(mut self, topic: &str) -> Result<QuestionDraft, Vec<String>> {
        let mut problems = std::mem::take(&mut self.problems);
        let text = collapse(&self.text.join(" "));
        check_text(&text, &mut problems);
        if let Some(sign) = formula_sign(&text) {
            problems.push(format!(
                "câu hỏi bắt đầu bằng dấu {sign} (công thức) không được chấp nhận"
            ));
        }
        let options: Vec<(usize, String)> = self
            .options
            .iter()
            .map(|(l, t, _)| (*l, t.clone()))
            .collect();
        check_options(&options, &mut problems);
        for (letter, option) in &options {
            if let Some(sign) = formula_sign(option) {
                problems.push(format!(
                    "phương án {} bắt đầu bằng dấu {sign} (công thức) không được chấp nhận",
                    LETTERS[*letter]
                ));
            }
        }

        let marked: Vec<usize> = (0..self.options.len())
            .filter(|&p| self.options[p].2)
            .collect();
        let mut stated: Vec<usize> = Vec::new();
        for answer in &self.answers {
            match resolve_answer(answer, &options) {
                Ok(p) if !stated.contains(&p) => stated.push(p),
                Ok(_) => {}
                Err(m) => problems.push(m),
            }
        }
        let letter = |p: usize| LETTERS[options[p].0];
        let correct = match (marked.as_slice(), stated.as_slice()) {
            ([], []) => {
                if self.answers.is_empty() {
                    problems.push("không có đáp án đúng".into());
                }
                None
            }
            (m, _) if m.len() > 1 => {
                problems.push(format!("có {} đáp án được đánh dấu", m.len()));
                None
            }
            (_, s) if s.len() > 1 => {
                problems.push("có nhiều dòng \"Đáp án\" khác nhau".into());
                None
            }
            (&[m], &[s]) if m != s => {
                problems.push(format!(
                    "đáp án đánh dấu * ({}) khác với dòng \"Đáp án\" ({})",
                    letter(m),
                    letter(s)
                ));
                None
            }
            (&[p], _) | (_, &[p]) => Some(p),
            _ => None,
        };

        match correct {
            Some(correct) if problems.is_empty() => Ok(QuestionDraft {
                text,
                options: options.into_iter().map(|(_, o)| o).collect(),
                correct: u8::try_from(correct).unwrap_or_default(),
                topic: topic.to_owned(),
                difficulty: self.difficulty.unwrap_or(1),
            }),
            _ => Err(problems),
        }
    }
}

/// Accumulates the questions of a Word text.
struct WordBank {
    drafts: Vec<QuestionDraft>,
    errors: Vec<BankError>,
    /// Normalised question text → (number as written, line).
    seen: HashMap<String, (String, usize)>,
    count: usize,
}

impl WordBank {
    fn finish_question(&mut self, q: Pending<'_>, topic: &str) {
        let (number, line) = (q.number, q.line);
        self.count += 1;
        // Duplicates are checked on the text whether or not the rest is valid.
        let text_key = same_key(&q.text.join(" "));
        let mut result = q.finish(topic);
        let mut extra = Vec::new();
        if !text_key.is_empty() {
            if let Some((n, l)) = self.seen.get(&text_key) {
                extra.push(format!("câu hỏi trùng với câu {n} (dòng {l})"));
            } else {
                self.seen.insert(text_key, (number.to_owned(), line));
            }
        }
        extra.extend(too_many(self.count));
        if !extra.is_empty() {
            result = match result {
                Ok(_) => Err(extra),
                Err(mut p) => {
                    p.extend(extra);
                    Err(p)
                }
            };
        }
        match result {
            Ok(d) => self.drafts.push(d),
            Err(problems) => self.errors.extend(problems.into_iter().map(|m| BankError {
                line,
                message: format!("Câu {number} (dòng {line}): {m}"),
            })),
        }
    }
}

/// Parses the text of a Word document, paragraphs separated by '\n'.
/// Returns every question, or every problem found (nothing is imported if
/// there is one).
pub fn parse_text(text: &str) -> Result<Vec<QuestionDraft>, Vec<BankError>> {
    let mut bank = WordBank {
        drafts: Vec::new(),
        errors: Vec::new(),
        seen: HashMap::new(),
        count: 0,
    };
    let mut topic = DEFAULT_TOPIC.to_owned();
    let mut current: Option<Pending<'_>> = None;

    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            if let Some(q) = current.as_mut().filter(|q| !q.options.is_empty()) {
                q.closed = true;
            }
            continue;
        }
        if let Some(value) = labelled(line, &["chude"]) {
            if let Some(q) = current.take() {
                bank.finish_question(q, &topic);
            }
            let value = collapse(value);
            let problem = if value.is_empty() {
                Some("thiếu tên chủ đề sau \"Chủ đề:\"".to_owned())
            } else {
                formula_sign(&value).map(|sign| {
                    format!("chủ đề bắt đầu bằng dấu {sign} (công thức) không được chấp nhận")
                })
            };
            match problem {
                Some(m) => bank.errors.push(BankError {
                    line: n,
                    message: format!("Dòng {n}: {m}"),
                }),
                None => topic = value,
            }
            continue;
        }
        if let Some((number, rest)) = question_line(line) {
            if let Some(q) = current.take() {
                bank.finish_question(q, &topic);
            }
            let mut q = Pending::new(number, n);
            q.add_text(rest);
            current = Some(q);
            continue;
        }
        // Before the first question: a title or other preamble.
        let Some(q) = current.as_mut() else {
            continue;
        };
        if let Some(value) = labelled(line, &["dapan", "dapandung"]) {
            q.answers.push(value);
        } else if let Some(value) = labelled(line, &["mucdo", "dokho"]) {
            q.set_difficulty(parse_difficulty(value));
        } else if q.add_options(line) {
            // An option line (or a heading after the question's block).
        } else if q.options.is_empty() {
            // Question text continues until the first option.
            q.add_text(line);
        } else if !q.closed {
            q.problems.push(format!(
                "dòng {n} nằm sau các phương án nhưng không phải phương án hay \"Đáp án:\": \"{}\"",
                excerpt(line, 60)
            ));
        }
    }
    if let Some(q) = current.take() {
        bank.finish_question(q, &topic);
    }
    finish(
        bank.drafts,
        bank.errors,
        "Văn bản không có câu hỏi nào (mỗi câu cần bắt đầu bằng \"Câu 1:\", \"Câu 2:\", …)",
    )
}

#[cfg(test)]
mod tests {
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
