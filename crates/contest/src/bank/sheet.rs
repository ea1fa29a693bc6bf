//! Question banks from spreadsheet rows: columns found by their header.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Column {
    Question,
    Option(usize),
    Answer,
    Topic,
    Difficulty,
}

impl Column {
    pub(super) fn recognise(header: &str) -> Option<Self> {
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
