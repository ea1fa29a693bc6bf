//! Roman-numeral sections, their roles, and the purposes and requirements
//! of section I.

use std::ops::Range;

use crate::fold::{fold_prefix, squash};
use crate::lines::{Line, Marker};
use crate::model::{Block, Section, SectionRole};
use crate::outline::{self, Outline};

/// A section with its lines and item tree.
#[derive(Debug)]
pub(crate) struct Span {
    pub number: String,
    pub value: u32,
    pub heading: String,
    pub role: SectionRole,
    /// Line index of the heading.
    pub idx: usize,
    /// Line index just past the section.
    pub end: usize,
    pub outline: Outline,
    /// What each outline item announces, computed once.
    pub kinds: Vec<SubKind>,
}

impl Span {
    pub(crate) fn kind(&self, id: usize) -> SubKind {
        self.kinds.get(id).copied().unwrap_or(SubKind::Other)
    }
}

impl Span {
    pub(crate) fn to_section(&self, lines: &[Line<'_>]) -> Section {
        Section {
            number: self.number.clone(),
            heading: self.heading.clone(),
            role: self.role,
            line: lines[self.idx].no,
        }
    }
}

pub(crate) fn spans(lines: &[Line<'_>], body: Range<usize>) -> Vec<Span> {
    let heads: Vec<(usize, u32, &str)> = body
        .clone()
        .filter_map(|i| match lines[i].marker {
            Marker::Roman { value, numeral } => Some((i, value, numeral)),
            _ => None,
        })
        .collect();
    let folded: Vec<String> = heads
        .iter()
        .map(|&(i, ..)| fold_prefix(lines[i].body, 80))
        .collect();
    let has_strict = folded.iter().any(|f| is_strict_implementation(f));
    heads
        .iter()
        .enumerate()
        .map(|(k, &(idx, value, numeral))| {
            let end = heads.get(k + 1).map_or(body.end, |h| h.0);
            let outline = outline::build(lines, idx + 1..end);
            let kinds = outline
                .items
                .iter()
                .map(|it| {
                    let line = &lines[it.line];
                    if is_heading_marker(line.marker) {
                        sub_kind(line.body)
                    } else {
                        SubKind::Other
                    }
                })
                .collect();
            Span {
                number: numeral.to_string(),
                value,
                heading: squash(lines[idx].body),
                role: role(&folded[k], has_strict),
                idx,
                end,
                outline,
                kinds,
            }
        })
        .collect()
}

fn is_strict_implementation(folded: &str) -> bool {
    ["to chuc thuc hien", "phan cong", "trach nhiem"]
        .iter()
        .any(|p| folded.contains(p))
}

/// The role of a section from its heading. "NHIỆM VỤ VÀ GIẢI PHÁP" holds the
/// assignments unless another section is explicitly about implementation.
fn role(folded: &str, has_strict: bool) -> SectionRole {
    if folded.contains("muc dich") || folded.starts_with("yeu cau") || folded.contains(", yeu cau")
    {
        SectionRole::PurposesRequirements
    } else if is_strict_implementation(folded) {
        SectionRole::Implementation
    } else if folded.contains("hinh thuc") && !folded.contains("noi dung") {
        SectionRole::Forms
    } else if folded.contains("noi dung") {
        SectionRole::Content
    } else if folded.contains("nhiem vu") {
        if has_strict {
            SectionRole::Content
        } else {
            SectionRole::Implementation
        }
    } else {
        SectionRole::Other
    }
}

/// What a numbered sub-heading announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubKind {
    Purposes,
    Requirements,
    Forms,
    Duties,
    Budget,
    /// "Giải pháp": measures, not content themes.
    Solutions,
    Other,
}

pub(crate) fn sub_kind(body: &str) -> SubKind {
    let f = fold_prefix(body, 40);
    let starts = |list: &[&str]| list.iter().any(|p| f.starts_with(p));
    if starts(&["muc dich"]) {
        SubKind::Purposes
    } else if starts(&["yeu cau"]) {
        SubKind::Requirements
    } else if starts(&["hinh thuc", "phuong thuc tuyen truyen"]) {
        SubKind::Forms
    } else if starts(&[
        "trach nhiem thuc hien",
        "trach nhiem cua",
        "phan cong nhiem vu",
        "phan cong thuc hien",
        "phan cong trach nhiem",
        "to chuc thuc hien",
    ]) {
        SubKind::Duties
    } else if starts(&["kinh phi"]) {
        SubKind::Budget
    } else if starts(&["giai phap", "cac giai phap"]) {
        SubKind::Solutions
    } else {
        SubKind::Other
    }
}

pub(crate) fn is_heading_marker(marker: Marker<'_>) -> bool {
    matches!(marker, Marker::Num { paren: false, .. } | Marker::Letter(_))
}

/// Text after the heading words of "1. Mục đích: ..." if any.
fn after_colon(body: &str) -> Option<&str> {
    let (head, rest) = body.split_once(':')?;
    let rest = rest.trim();
    (head.chars().count() <= 30 && !rest.is_empty()).then_some(rest)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Purposes,
    Requirements,
}

/// Purposes and requirements: the items under "Mục đích" / "Yêu cầu"
/// sub-headings, or under a section titled only one of them.
pub(crate) fn purposes_requirements(
    spans: &[Span],
    lines: &[Line<'_>],
) -> (Vec<Block>, Vec<Block>) {
    let mut purposes = Vec::new();
    let mut requirements = Vec::new();
    for span in spans
        .iter()
        .filter(|s| s.role == SectionRole::PurposesRequirements)
    {
        let f = fold_prefix(&span.heading, 60);
        let mut target = match (f.contains("muc dich"), f.contains("yeu cau")) {
            (false, true) => Target::Requirements,
            _ => Target::Purposes,
        };
        for (id, item) in span.outline.items.iter().enumerate() {
            let line = &lines[item.line];
            if item.parent.is_none() {
                let switched = match span.kind(id) {
                    SubKind::Purposes => Some(Target::Purposes),
                    SubKind::Requirements => Some(Target::Requirements),
                    _ => None,
                };
                if let Some(t) = switched {
                    target = t;
                    if let Some(rest) = after_colon(line.body) {
                        push(&mut purposes, &mut requirements, target, rest, line.no);
                    }
                    continue;
                }
            }
            push(&mut purposes, &mut requirements, target, line.body, line.no);
        }
    }
    (purposes, requirements)
}

fn push(p: &mut Vec<Block>, r: &mut Vec<Block>, target: Target, text: &str, line: usize) {
    let block = Block {
        text: text.to_string(),
        line,
    };
    match target {
        Target::Purposes => p.push(block),
        Target::Requirements => r.push(block),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        let r = |h: &str, strict| role(&fold_prefix(h, 80), strict);
        assert_eq!(
            r("MỤC ĐÍCH, YÊU CẦU", false),
            SectionRole::PurposesRequirements
        );
        assert_eq!(
            r("NỘI DUNG TUYÊN TRUYỀN (có đề cương kèm theo)", false),
            SectionRole::Content
        );
        assert_eq!(r("HÌNH THỨC TUYÊN TRUYỀN", false), SectionRole::Forms);
        assert_eq!(r("TỔ CHỨC THỰC HIỆN", false), SectionRole::Implementation);
        assert_eq!(r("PHÂN CÔNG NHIỆM VỤ", false), SectionRole::Implementation);
        assert_eq!(
            r("NHIỆM VỤ VÀ GIẢI PHÁP", false),
            SectionRole::Implementation
        );
        assert_eq!(r("NHIỆM VỤ VÀ GIẢI PHÁP", true), SectionRole::Content);
        assert_eq!(r("KINH PHÍ", false), SectionRole::Other);
    }

    #[test]
    fn sub_kinds() {
        assert_eq!(sub_kind("Trách nhiệm thực hiện"), SubKind::Duties);
        assert_eq!(sub_kind("Hình thức tuyên truyền"), SubKind::Forms);
        assert_eq!(sub_kind("Mục đích"), SubKind::Purposes);
        assert_eq!(sub_kind("Kinh phí thực hiện"), SubKind::Budget);
    }
}
