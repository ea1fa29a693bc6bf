//! The end of a document: the distribution list ("Nơi nhận:") and the
//! signature block. In files converted from Word the two sit side by side,
//! so a line may hold a recipient and a signature cell separated by tabs.

use crate::fold::{
    fold, fold_prefix, is_caps, squash, starts_lower, starts_upper, trim_list_punct,
};
use crate::lines::{Line, cells};
use crate::model::{Recipient, Signature};

const AUTHORITY_PREFIXES: &[&str] = &[
    "T/M", "TM.", "TM ", "K/T", "KT.", "KT ", "T/L", "TL.", "TL ", "TUQ.", "T/U", "Q.",
];

/// "T/M BAN THƯỜNG VỤ", "KT. CHỦ TỊCH".
fn is_authority(cell: &str) -> bool {
    AUTHORITY_PREFIXES.iter().any(|p| {
        cell.strip_prefix(p)
            .is_some_and(|rest| is_caps(rest) || rest.trim().is_empty())
    })
}

fn is_recipients_heading(cell: &str) -> bool {
    fold_prefix(cell, 10).starts_with("noi nhan")
}

/// A title line in capitals ("PHÓ BÍ THƯ", "CHỦ TỊCH").
fn is_role(cell: &str) -> bool {
    is_caps(cell)
        && cell.split_whitespace().count() <= 8
        && !cell.starts_with(['-', '+'])
        && !is_recipients_heading(cell)
}

/// A person's name: two to six capitalised words, no digits.
fn is_name(cell: &str) -> bool {
    let words: Vec<&str> = cell.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words
            .iter()
            .all(|w| starts_upper(w) && w.chars().all(char::is_alphabetic))
        && !is_caps(cell)
}

/// "(Đã ký)", "[daky]" and the like stand where the signature would be.
fn is_signed_mark(cell: &str) -> bool {
    let f = fold(cell);
    f.contains("da ky") || f.contains("daky") || f.contains("ky ten") || f.contains("dong dau")
}

/// Where the tail starts: the "Nơi nhận" line or the first signing
/// authority after `from`; failing both, a trailing title-and-name pair.
pub(crate) fn find_start(lines: &[Line<'_>], from: usize) -> usize {
    for (i, line) in lines.iter().enumerate().skip(from) {
        if line.is_blank() {
            continue;
        }
        // Most lines are body text: split into cells only when the line
        // could hold the heading or a signing authority.
        let maybe = line.raw.contains('\t') || line.text.starts_with(['N', 'n', 'T', 'K', 'Q']);
        if maybe
            && cells(line.raw)
                .iter()
                .any(|c| is_recipients_heading(c) || is_authority(c))
        {
            return i;
        }
    }
    // "CHỦ TỊCH" then a name among the last lines, with no "Nơi nhận".
    let tail: Vec<usize> = (from..lines.len())
        .rev()
        .filter(|&i| !lines[i].is_blank())
        .take(8)
        .collect();
    let mut start = lines.len();
    for &i in &tail {
        if is_role(lines[i].text) && tail.iter().any(|&j| j > i && is_name(lines[j].text)) {
            start = i;
        }
    }
    start
}

#[derive(Debug, Default)]
pub(crate) struct Tail {
    pub recipients: Vec<Recipient>,
    pub signature: Option<Signature>,
}

struct Open {
    name: String,
    line: usize,
}

pub(crate) fn parse(lines: &[Line<'_>], start: usize) -> Tail {
    let mut tail = Tail::default();
    let mut sig: Option<Signature> = None;
    let mut listing = false;
    let mut list_closed = false;
    let mut open: Option<Open> = None;
    for line in lines.get(start..).unwrap_or_default() {
        for (k, cell) in cells(line.raw).into_iter().enumerate() {
            if is_recipients_heading(cell) {
                listing = true;
                let rest = cell.split_once(':').map_or("", |(_, r)| r.trim());
                if !rest.is_empty() {
                    open = Some(Open {
                        name: rest.to_string(),
                        line: line.no,
                    });
                }
                continue;
            }
            if is_authority(cell) {
                let s = sig.get_or_insert(Signature {
                    authority: None,
                    role: None,
                    name: None,
                    line: line.no,
                });
                let a = squash(cell);
                s.authority = Some(match s.authority.take() {
                    Some(prev) if s.role.is_none() => format!("{prev} / {a}"),
                    Some(prev) => prev,
                    None => a,
                });
                continue;
            }
            if is_signed_mark(cell) {
                continue;
            }
            let bullet = cell.starts_with(['-', '+', '•', '–']);
            if !bullet
                && is_role(cell)
                && sig
                    .as_ref()
                    .is_none_or(|s| s.role.is_none() && s.name.is_none())
            {
                let s = sig.get_or_insert(Signature {
                    authority: None,
                    role: None,
                    name: None,
                    line: line.no,
                });
                s.role = Some(squash(cell));
                continue;
            }
            if let Some(s) = sig
                .as_mut()
                .filter(|s| s.name.is_none() && s.role.is_some())
                && !bullet
                && is_name(cell)
            {
                s.name = Some(squash(cell));
                continue;
            }
            if !listing || list_closed {
                continue;
            }
            let continuation = !bullet
                && open
                    .as_ref()
                    .is_some_and(|o| !o.name.trim_end().ends_with('.'))
                && (starts_lower(cell) || (k == 0 && line.indented));
            if continuation {
                if let Some(o) = open.as_mut() {
                    o.name = format!("{} {}", o.name.trim_end(), cell);
                }
                continue;
            }
            let item = bullet || cell.ends_with([',', ';', '.']) && cell.chars().count() < 150;
            if !item {
                continue;
            }
            if let Some(o) = open.take() {
                let done = push_recipient(&mut tail.recipients, o);
                list_closed |= done;
            }
            if !list_closed {
                open = Some(Open {
                    name: cell.to_string(),
                    line: line.no,
                });
            }
        }
    }
    if let Some(o) = open {
        push_recipient(&mut tail.recipients, o);
    }
    tail.signature = sig;
    tail
}

/// Adds a finished recipient; returns true when it closes the list (the
/// file copy, or an item ending with a full stop).
fn push_recipient(list: &mut Vec<Recipient>, open: Open) -> bool {
    let closes = open.name.trim_end().ends_with('.');
    let raw = open.name.trim_start_matches(['-', '+', '•', '–', ' ']);
    let (name, for_report) = strip_report_tag(raw);
    let name = squash(trim_list_punct(&name));
    if name.is_empty() {
        return closes;
    }
    let file_copy = fold_prefix(&name, 4).starts_with("luu");
    list.push(Recipient {
        name,
        for_report,
        file_copy,
        line: open.line,
    });
    closes || file_copy
}

/// Removes "(b/c)", "(Báo cáo)", "(để báo cáo)"; says whether one was there.
fn strip_report_tag(name: &str) -> (String, bool) {
    let mut out = String::new();
    let mut found = false;
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inner = fold(&rest[open + 1..close]);
        out.push_str(&rest[..open]);
        if matches!(
            inner.as_str(),
            "b/c" | "bc" | "bao cao" | "de bao cao" | "de b/c" | "b/cao"
        ) {
            found = true;
        } else {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (out, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::split;

    #[test]
    fn report_tags() {
        assert_eq!(
            strip_report_tag("Ban Tổ chức Trung ương (b/c),"),
            ("Ban Tổ chức Trung ương ,".into(), true)
        );
        assert!(strip_report_tag("Thường trực Tỉnh ủy (Để báo cáo);").1);
        assert_eq!(
            strip_report_tag("Sở Y tế (để thực hiện);"),
            ("Sở Y tế (để thực hiện);".into(), false)
        );
    }

    #[test]
    fn side_by_side_tail() {
        let text = "Nơi nhận:\t\tTM. ỦY BAN NHÂN DÂN\n- Bộ Thông tin và Truyền thông (b/c);\tKT. CHỦ TỊCH\n- Như trên;\tPHÓ CHỦ TỊCH\n- Lưu: VT, KGVX.\n\n\tNguyễn Văn Bình";
        let (lines, _) = split(text);
        assert_eq!(find_start(&lines, 0), 0);
        let tail = parse(&lines, 0);
        let names: Vec<_> = tail.recipients.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["Bộ Thông tin và Truyền thông", "Như trên", "Lưu: VT, KGVX"]
        );
        assert!(tail.recipients[0].for_report && tail.recipients[2].file_copy);
        let sig = tail.signature.unwrap();
        assert_eq!(
            sig.authority.as_deref(),
            Some("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH")
        );
        assert_eq!(sig.role.as_deref(), Some("PHÓ CHỦ TỊCH"));
        assert_eq!(sig.name.as_deref(), Some("Nguyễn Văn Bình"));
    }

    #[test]
    fn signature_without_authority() {
        let text = "Nội dung cuối.\nCHỦ TỊCH\n(Đã ký)\nTrần Hữu Thế";
        let (lines, _) = split(text);
        let start = find_start(&lines, 0);
        assert_eq!(start, 1);
        let sig = parse(&lines, start).signature.unwrap();
        assert_eq!(
            (sig.role.as_deref(), sig.name.as_deref(), sig.line),
            (Some("CHỦ TỊCH"), Some("Trần Hữu Thế"), 2)
        );
    }
}
