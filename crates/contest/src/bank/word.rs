//! Question banks from a Word document's text: "Câu 1:", options "A." to "F.",
//! the answer marked or on a "Đáp án:" line, topics on "Chủ đề:" lines.

use super::*;

/// `line` is "Label: value" with the label folding to one of `labels`.
fn labelled<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let (label, value) = line.split_once(':')?;
    (label.chars().count() <= 20 && labels.contains(&key(label).as_str())).then(|| value.trim())
}

/// A "Câu 12: …" line ("Câu 12.", "Câu 12 -", "Câu 12)", "Câu hỏi 12:", or
/// "Câu 12" alone): the number as written and the text after it.
pub(super) fn question_line(line: &str) -> Option<(&str, &str)> {
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
pub(super) fn split_marker(line: &str) -> (&str, Option<Result<u8, ()>>) {
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
